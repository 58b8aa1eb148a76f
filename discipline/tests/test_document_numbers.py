"""发文字号 (issue 20, GB/T 9704-2012 7.2.4): every issued document is numbered per issuer and year from 1,
with no gap and no duplicate, also when people issue at the same instant. Real threads with their own
database connections decide at once (a barrier); on PostgreSQL the issuer's row lock serialises them,
on SQLite the immediate transaction does."""

import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from discipline.faults import services as fault
from discipline.models import FaultCase
from discipline.review import services
from discipline.review.models import Handling, SpecialReport
from discipline.tests.test_documents import pdf_lines
from records.calendar.dates import local_date

THREADS = 8


def _open_cases(org, jj, person, count):
    cases = []
    for _ in range(count):
        fc = fault.fault_case_open(
            body=org["discipline"], unit=org["section"], act="罚款决定事实不清", occurred_on=timezone.localdate(), fault_types=["facts_unclear"],
            participants=[(person, "handler")], actor=jj, now=timezone.now(),
        )  # fmt: skip
        for participant in fc.participants.all():
            fault.fault_share_confirm(participant=participant, share=participant.suggested_share, actor=jj, now=timezone.now())
        cases.append(fc)
    return cases


@pytest.mark.django_db(transaction=True)
def test_simultaneous_decisions_get_consecutive_numbers(org, jj, officer):
    cases = _open_cases(org, jj, officer.person, THREADS)
    barrier = threading.Barrier(THREADS)
    errors = []

    def decide(fc):
        try:
            barrier.wait(timeout=60)
            fault.fault_case_decide(fault_case=fc, decision="批评教育", decided_on=timezone.localdate(), actor=jj, now=timezone.now())
        except Exception as error:  # noqa: BLE001 - collected: the assertion shows what failed
            errors.append(error)
            barrier.abort()
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=decide, args=(fc,)) for fc in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    year = timezone.localdate().year
    numbered = FaultCase.objects.filter(body=org["discipline"], decision_year=year).order_by("decision_seq")
    assert [fc.decision_seq for fc in numbered] == list(range(1, THREADS + 1))
    assert {fc.decision_number for fc in numbered} == {f"过错决〔{year}〕{n}号" for n in range(1, THREADS + 1)}


@pytest.mark.django_db
def test_numbers_run_per_issuer_and_year_and_print_on_the_documents(org, jj, officer, submit, leader, client):
    """The internal notices of one bureau count 1, 2 within a year and start again at 1 in the next;
    the special report and the fault decision carry theirs on the page and in the PDF."""
    today = local_date(timezone.now())
    numbers = []
    for notice_on in (today, today, today.replace(year=today.year - 1)):
        record = submit(interferer=leader, interferer_name="周副局长", interferer_position="副局长", interferer_kind="insider")
        services.record_receive(record=record, actor=jj, now=timezone.now())
        services.review_verify(record=record, conclusion="founded", findings="属实。", seriousness="general", actor=jj, now=timezone.now())
        handling = services.handling_decide(
            record=record, kind="own_unit", person=leader, decision="诫勉谈话。", internal_notice="通报。", internal_notice_on=notice_on,
            disclosure_reason="不公开。", actor=jj, now=timezone.now(),
        )  # fmt: skip
        numbers.append(handling.notice_number)
    assert numbers == [f"内通〔{today.year}〕1号", f"内通〔{today.year}〕2号", f"内通〔{today.year - 1}〕1号"]
    assert Handling.objects.filter(notice_issuer=org["bureau"]).count() == 3

    record = submit()
    services.record_receive(record=record, actor=jj, now=timezone.now())
    services.review_verify(
        record=record, conclusion="founded", findings="属实。", seriousness="serious", affects_case=True, special=True, actor=jj, now=timezone.now()
    )
    assert SpecialReport.objects.get(review__record=record).number == f"纪特〔{today.year}〕1号"
    [fc] = _open_cases(org, jj, officer.person, 1)
    fault.fault_case_decide(fault_case=fc, decision="批评教育", decided_on=today, actor=jj, now=timezone.now())
    fc.refresh_from_db()
    assert fc.decision_number == f"过错决〔{today.year}〕1号"
    client.force_login(jj)
    assert fc.decision_number in pdf_lines(client.get(reverse("discipline:fault_decision_pdf", args=[fc.pk])).content)


@pytest.mark.django_db
def test_the_handling_form_previews_the_letter_without_saving_or_numbering(client, jj, submit, outsider):
    record = submit(interferer=outsider, interferer_name="李副县长", interferer_position="副县长", interferer_unit="某县人民政府")
    services.record_receive(record=record, actor=jj, now=timezone.now())
    services.review_verify(record=record, conclusion="founded", findings="属实。", seriousness="general", actor=jj, now=timezone.now())
    client.force_login(jj)
    url = reverse("discipline:handle", args=[record.pk])
    today = timezone.localdate()
    data = {
        "kind": "other_unit", "person": outsider.pk, "decision": "函告。", "addressee": "中共某县委员会", "cc": "中共某县纪律检查委员会",
        "letter_text": "经核实，情况属实，现将有关情况通报你单位。", "issued_on": today.isoformat(),
    }  # fmt: skip
    assert 'name="preview"' in client.get(url).content.decode()
    preview = client.post(url, {**data, "preview": "1"})
    assert preview["Content-Type"] == "application/pdf"
    text = "".join(pdf_lines(preview.content).split())
    assert "（保存后编号）" in text and "抄送：中共某县纪律检查委员会。" in text and "经核实，情况属实" in text
    assert not Handling.objects.filter(record=record).exists()
    assert client.post(url, data).status_code == 302
    assert Handling.objects.get(record=record).letter.number == f"纪通〔{today.year}〕1号"


@pytest.mark.django_db
def test_the_internal_notice_pdf_opens_for_its_body_only(client, jj, jj_other, submit, leader):
    """The matrix's world record was handled with a letter; an own-unit one: its body's staff open the
    通报 with its number, another body's staff get 404 like a missing one."""
    record = submit(interferer=leader, interferer_name="周副局长", interferer_position="副局长", interferer_kind="insider")
    services.record_receive(record=record, actor=jj, now=timezone.now())
    services.review_verify(record=record, conclusion="founded", findings="属实。", seriousness="general", actor=jj, now=timezone.now())
    handling = services.handling_decide(
        record=record, kind="own_unit", person=leader, decision="诫勉谈话。", internal_notice="在全局通报。",
        internal_notice_on=timezone.localdate(), disclosure_reason="不公开。", actor=jj, now=timezone.now(),
    )  # fmt: skip
    url = reverse("discipline:circular_pdf", args=[record.pk])
    client.force_login(jj)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert handling.notice_number in "".join(pdf_lines(response.content).split())
    client.force_login(jj_other)
    assert client.get(url).status_code == 404
