"""R29 paper files: checked out to a person (who, when, due back, purpose) and back in; what is out and overdue
for the head and the keeper; overdue reminders; the compliance measure; the departures list."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from wealthdesk.archive import services
from wealthdesk.archive.compliance import paper_files_returned
from wealthdesk.archive.models import PaperCheckout, PaperFile
from wealthdesk.archive.panels import custody_panel
from wealthdesk.core.calendar import add_working_days
from wealthdesk.core.concurrency import Conflict
from wealthdesk.core.models import AuditLog, Notification
from wealthdesk.core.registry import compliance_measures

from .helpers import archive, paper


def _out(world, p, **kw):
    return services.paper_file_check_out(actor=world.archivist_c1, paper_file=p, holder=world.cm_c1_1,
                                         purpose=kw.pop("purpose", "客户回访核对签字"), **kw)


@pytest.mark.django_db
def test_check_out_records_who_when_due_and_why_and_check_in_closes_it(world, django_capture_on_commit_callbacks):
    p = paper(world)
    with django_capture_on_commit_callbacks(execute=True):
        loan = _out(world, p)
    p.refresh_from_db()
    assert p.status == "out" and p.holder == world.cm_c1_1 and p.version == 2
    assert loan.due_back_on == add_working_days(timezone.localdate(), 5) == p.due_back_on
    assert Notification.objects.filter(recipient=world.cm_c1_1, object_id=str(p.pk)).exists()
    services.paper_file_check_in(actor=world.archivist_c1, paper_file=p)
    p.refresh_from_db()
    loan.refresh_from_db()
    assert p.status == "in" and p.holder is None and loan.returned_at and loan.checked_in_by == world.archivist_c1
    whats = list(AuditLog.objects.filter(object_type="archive.paperfile").order_by("id").values_list("detail__what", flat=True))
    assert whats == ["paper_file_create", "paper_file_check_out", "paper_file_check_in"]


@pytest.mark.django_db
def test_bad_check_out_input_names_the_field_and_changes_nothing(world):
    p = paper(world)
    with pytest.raises(ValidationError) as exc:
        services.paper_file_check_out(actor=world.archivist_c1, paper_file=p, holder=world.cm_c2_1, purpose="x",
                                      due_back_on=timezone.localdate() - dt.timedelta(days=1))
    assert set(exc.value.message_dict) == {"holder", "purpose", "due_back_on"}
    p.refresh_from_db()
    assert p.status == "in" and not PaperCheckout.objects.exists()


@pytest.mark.django_db
def test_a_file_out_cannot_be_checked_out_again_nor_a_file_in_checked_in(world):
    p = paper(world)
    with pytest.raises(ValidationError):
        services.paper_file_check_in(actor=world.archivist_c1, paper_file=p)
    _out(world, p)
    with pytest.raises(ValidationError) as exc:
        _out(world, PaperFile.objects.get(pk=p.pk))
    assert "已借出" in exc.value.message_dict["status"][0]


@pytest.mark.django_db
def test_a_stale_version_is_a_conflict(world):
    p = paper(world)
    with pytest.raises(Conflict):
        _out(world, p, version=p.version + 5)


@pytest.mark.django_db
def test_only_the_centers_keeper_checks_files_out(world):
    p = paper(world)
    for who in (world.head_c1, world.cm_c1_1):
        with pytest.raises(PermissionDenied):
            services.paper_file_check_out(actor=who, paper_file=p, holder=world.cm_c1_1, purpose="调阅资料")


@pytest.mark.django_db
def test_the_panel_and_list_show_what_is_out_and_overdue(world, login_as):
    p1, p2, _p3 = paper(world), paper(world, reference="ZD-0002"), paper(world, reference="ZD-0003")
    _out(world, p1)
    _out(world, p2)
    PaperFile.objects.filter(pk=p2.pk).update(due_back_on=timezone.localdate() - dt.timedelta(days=2))
    request = RequestFactory().get("/")
    request.user = world.head_c1
    ctx = custody_panel(request)
    assert ctx["counts"] == {"out": 2, "overdue": 1, "total": 3} and [f.pk for f in ctx["overdue"]] == [p2.pk]
    body = login_as("head_c1").get("/archive/paper/?overdue=1").content.decode()
    assert "ZD-0002" in body and "ZD-0001" not in body
    assert "ZD-0001" not in login_as("head_c2").get("/archive/paper/").content.decode()


@pytest.mark.django_db
def test_overdue_reminders_go_to_the_holder_and_the_keeper_once_a_day(world, django_capture_on_commit_callbacks):
    p = paper(world)
    _out(world, p)
    PaperCheckout.objects.update(due_back_on=timezone.localdate() - dt.timedelta(days=1))
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("archive_remind_overdue", stdout=open("/dev/null", "w"))
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"cm_c1_1", "archivist_c1"}
    assert "逾期未还" in Notification.objects.first().text
    assert services.paper_files_remind_overdue(today=timezone.localdate()) == 0  # not twice the same day
    assert AuditLog.objects.filter(detail__what="paper_file_overdue_reminders", source="command:archive_remind_overdue").exists()


@pytest.mark.django_db
def test_compliance_measure_counts_returns_on_time(world):
    assert "R29" in {m.key for m in compliance_measures()}
    today = timezone.localdate()
    p1, p2 = paper(world), paper(world, reference="ZD-0002")
    _out(world, p1)
    _out(world, p2)
    services.paper_file_check_in(actor=world.archivist_c1, paper_file=PaperFile.objects.get(pk=p1.pk))
    # both fell due yesterday: p1 came back (today, late), p2 is still out
    PaperCheckout.objects.update(due_back_on=today - dt.timedelta(days=1))
    if (today - dt.timedelta(days=1)).month != today.month:
        pytest.skip("first day of the month: nothing fell due this month yet")
    figures = paper_files_returned([world.c1.pk], today)[world.c1.pk]
    assert figures == {"due": 2, "done": 0, "overdue": 1}
    PaperCheckout.objects.filter(returned_at__isnull=False).update(due_back_on=today + dt.timedelta(days=0))
    figures = paper_files_returned([world.c1.pk], today + dt.timedelta(days=1))[world.c1.pk]
    assert figures["done"] == 1


@pytest.mark.django_db
def test_departures_list_shows_customers_of_a_departed_manager_without_material(world, login_as):
    from wealthdesk.customers.services import customer_reassign

    archive(world, customer=world.cust_a2, actor=world.archivist_c1)  # cust_a2 has material
    customer_reassign(actor=world.head_c1, customer=world.cust_a, to_manager=world.cm_c1_2, reason="客户经理离职")
    world.cm_c1_2.is_active = False
    world.cm_c1_2.save(update_fields=["is_active"])
    client = login_as("archivist_c1")
    body = client.get("/archive/departures/").content.decode()
    handed = body.split('data-testid="handed-table"')[1]
    inactive = body.split('data-testid="inactive-table"')[1].split('data-testid="handed-table"')[0]
    assert world.cust_a.name in handed  # handed over from cm_c1_1, nothing archived
    assert world.cust_a.name in inactive  # now held by the deactivated cm_c1_2
    assert world.cust_a2.name not in body  # archived
    archive(world, customer=world.cust_a, actor=world.archivist_c1)
    assert world.cust_a.name not in client.get("/archive/departures/").content.decode()
    assert login_as("head_c2").get("/archive/departures/").content.decode().count(world.cust_a.name) == 0
