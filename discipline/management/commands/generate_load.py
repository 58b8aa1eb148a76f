"""`manage.py generate_load --records N`: benchmark data in bulk (discipline.demo.load)."""

import datetime as dt

from django.core.management.base import BaseCommand

from discipline.demo.load import LoadGenerator


class Command(BaseCommand):
    help = "生成基准测试数据：约3000个单位、人员、案件和N条记录（可复现）。"

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, records: int, seed: int, years: int, today: dt.date | None, **options):
        LoadGenerator(stdout=self.stdout, style=self.style).run(records=records, seed=seed, years=years, today=today)
