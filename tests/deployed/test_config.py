"""deploy/'s files agree with the settings they stand for (issue 22); the running stack is test_stack.py."""

import re
from pathlib import Path

from django.conf import settings

from records.record.forms import EVIDENCE_SLOTS

DEPLOY = Path(settings.BASE_DIR) / "deploy"
NGINX = (DEPLOY / "nginx" / "registry.conf").read_text()
ENV_EXAMPLE = (DEPLOY / "registry.env.example").read_text()
MIB = 1024 * 1024


def test_nginx_takes_the_largest_record_form_and_nothing_larger():
    (limit,) = re.findall(r"^\s*client_max_body_size (\d+)m;", NGINX, re.M)
    assert int(limit) * MIB == EVIDENCE_SLOTS * settings.EVIDENCE_MAX_BYTES + MIB


def test_the_protected_location_is_the_private_storage_of_the_environment_file():
    location = re.search(r"location (\S+) \{\s*internal;\s*alias (\S+);", NGINX)
    storage = re.search(r"^PRIVATE_STORAGE_ROOT=(\S+)$", ENV_EXAMPLE, re.M).group(1)
    assert location.group(1) == settings.SENDFILE_URL + "/"
    assert location.group(2) == storage.rstrip("/") + "/"
    assert re.search(r"^SENDFILE_BACKEND=django_sendfile\.backends\.nginx$", ENV_EXAMPLE, re.M)


def test_the_environment_file_names_every_setting_of_the_readme():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    table = readme.split("## Settings (environment variables, django-environ)", 1)[1].split("\n## ", 1)[0]
    names = {name for row in table.splitlines() if row.startswith("| `") for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}
    assert len(names) > 20
    missing = sorted(name for name in names if not re.search(rf"^#? ?{name}=", ENV_EXAMPLE, re.M))
    assert missing == []
