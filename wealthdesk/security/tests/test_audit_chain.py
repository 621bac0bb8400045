"""Issue 15, the tamper-evident audit log (ASVS 16.4; Cybersecurity Law: six months): every row carries the hash of
the one before; ``audit_verify`` names the first edited, missing or unchained row and a truncated tail (against the
exported chain head); retention archives old rows to a hashed gzip file before deleting them, and the PostgreSQL
trigger allows no other deletion."""
import datetime as dt
import gzip
import hashlib
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from wealthdesk.core.audit import audit_many, audit_record
from wealthdesk.core.audit_chain import GENESIS
from wealthdesk.core.models import AuditAction, AuditLog
from wealthdesk.security.audit_tools import archive_before, export_head, verify_chain
from wealthdesk.security.models import AuditArchive

pytestmark = pytest.mark.django_db


def tamper(sql, params=()):
    """Change the table behind the application's back (as a DBA would), the append-only trigger off for it."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditlog DISABLE TRIGGER wd_audit_no_change")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditlog ENABLE TRIGGER wd_audit_no_change")


def some_rows(world, n=5):
    for i in range(n):
        audit_record(actor=world.cm_c1_1, action=AuditAction.VIEW, obj=world.customers[list(world.customers)[0]],
                     detail={"i": i, "名": "值", "nested": {"b": 2, "a": [1, 2.5, None]}})
    audit_many(actor=world.head_c1, action=AuditAction.EXPORT, objects=list(world.customers.values()))


def verify_output():
    out = StringIO()
    call_command("audit_verify", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_rows_are_chained_in_insert_order(world):
    some_rows(world)
    rows = list(AuditLog.objects.order_by("seq"))
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.row_hash for a, b in zip(rows, rows[1:], strict=False))
    assert all(len(r.row_hash) == 64 for r in rows) and len({r.row_hash for r in rows}) == len(rows)
    assert "audit chain OK" in verify_output()


def test_an_edited_row_is_named(world):
    some_rows(world)
    victim = AuditLog.objects.order_by("seq")[3]
    tamper("UPDATE core_auditlog SET actor_name = %s WHERE id = %s", ["someone_else", victim.pk])
    with pytest.raises(CommandError) as exc:
        call_command("audit_verify", stdout=StringIO(), stderr=StringIO())
    assert f"审计日志 #{victim.pk}（序号 {victim.seq}）的内容与其哈希不符：该行被修改。" in str(exc.value)
    run = AuditLog.objects.filter(detail__what="audit_verify").latest("seq")
    assert run.detail["ok"] is False and run.object_id == str(victim.pk)


def test_an_edited_detail_or_time_is_named_too(world):
    some_rows(world)
    first, second = AuditLog.objects.order_by("seq")[:2]
    tamper("UPDATE core_auditlog SET at = %s WHERE id = %s", [first.at - dt.timedelta(seconds=1), first.pk])
    assert f"#{first.pk}" in verify_chain().problems[0]


def test_a_deleted_row_is_named(world):
    some_rows(world)
    victim = AuditLog.objects.order_by("seq")[2]
    tamper("DELETE FROM core_auditlog WHERE id = %s", [victim.pk])
    (problem,) = verify_chain().problems
    assert f"链序号 {victim.seq} 的审计日志缺失" in problem


def test_even_a_raw_insert_is_chained_and_a_forged_link_is_named(world):
    some_rows(world, 1)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO core_auditlog (at, actor_name, action, object_type, object_id, object_repr, "
                       "request_id, source, detail) VALUES (%s, 'x', 'view', 'x', '', '', '', 'shell', '{}')",
                       [timezone.now()])
    assert verify_chain().ok  # the database chains every insert, whoever writes it
    last = AuditLog.objects.order_by("-seq").first()
    tamper("UPDATE core_auditlog SET row_hash = %s WHERE id = %s", ["f" * 64, last.pk])
    assert f"#{last.pk}" in verify_chain().problems[0]


def test_the_row_comes_back_with_its_link(world):
    row = audit_record(actor=world.cm_c1_1, action=AuditAction.VIEW)
    if connection.vendor == "postgresql":  # RETURNING after the BEFORE INSERT trigger
        assert row.seq and row.prev_hash and row.row_hash


def test_a_truncated_tail_is_caught_against_the_exported_head(world, tmp_path):
    some_rows(world)
    path = export_head(str(tmp_path))
    head = json.loads(path.read_text())
    assert head["seq"] == AuditLog.objects.count()
    assert verify_chain(heads_dir=str(tmp_path)).ok
    tamper("DELETE FROM core_auditlog WHERE seq >= %s", [head["seq"] - 1])
    report = verify_chain(heads_dir=str(tmp_path))
    assert any("日志末尾被截断" in p for p in report.problems)


def test_the_head_export_never_overwrites(world, tmp_path):
    some_rows(world, 1)
    first = export_head(str(tmp_path))
    second = export_head(str(tmp_path))
    assert first != second and first.exists() and second.exists()
    out = StringIO()
    call_command("audit_chain_head", "--dir", str(tmp_path), stdout=out)
    assert "chain head written" in out.getvalue()


def old_rows(world, n, days):
    rows = []
    for i in range(n):
        row = AuditLog(actor=world.cm_c1_1, actor_name="cm_c1_1", action=AuditAction.VIEW, object_type="x",
                       object_id=str(i), at=timezone.now() - dt.timedelta(days=days), detail={"i": i})
        row.save()
        rows.append(row)
    return rows


def test_retention_archives_to_a_hashed_file_before_deleting(world, tmp_path):
    old = old_rows(world, 4, days=200)
    recent = old_rows(world, 2, days=3)
    archive = archive_before(str(tmp_path), days=180)
    assert archive.rows == 4 and (archive.first_seq, archive.last_seq) == (1, 4)
    path = tmp_path / archive.file_name
    assert hashlib.sha256(path.read_bytes()).hexdigest() == archive.sha256
    assert (tmp_path / archive.file_name).with_suffix(".sha256").read_text().startswith(archive.sha256)
    lines = [json.loads(x) for x in gzip.decompress(path.read_bytes()).splitlines()]
    assert [x["id"] for x in lines] == [r.pk for r in old] and lines[-1]["row_hash"] == archive.last_hash
    assert not AuditLog.objects.filter(pk__in=[r.pk for r in old]).exists()
    assert AuditLog.objects.filter(pk__in=[r.pk for r in recent]).count() == 2
    assert AuditLog.objects.filter(detail__what="audit_archive").exists()
    assert verify_chain().ok  # the remaining rows chain on from the archive's last hash
    assert archive_before(str(tmp_path), days=180) is None


def test_retention_refuses_fewer_than_180_days_and_a_broken_chain(world, tmp_path):
    old_rows(world, 3, days=400)
    old_rows(world, 1, days=1)
    with pytest.raises(CommandError) as exc:
        call_command("audit_archive", "--dir", str(tmp_path), "--days", "90")
    assert "不得少于 180 天" in str(exc.value)
    victim = AuditLog.objects.order_by("seq").first()
    tamper("UPDATE core_auditlog SET object_id = 'forged' WHERE id = %s", [victim.pk])
    with pytest.raises(CommandError) as exc:
        call_command("audit_archive", "--dir", str(tmp_path))
    assert "链已断裂" in str(exc.value)
    assert AuditLog.objects.count() == 4 and not AuditArchive.objects.exists() and not list(tmp_path.iterdir())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_trigger_allows_only_the_archive_path_to_delete(world):
    old = old_rows(world, 1, days=400)[0]
    recent = old_rows(world, 1, days=1)[0]
    for sql, params in (
        ("DELETE FROM core_auditlog WHERE id = %s", [old.pk]),  # no archive cut-off set
        ("SELECT set_config('wealthdesk.audit_archive_before', %s, true); DELETE FROM core_auditlog WHERE id = %s",
         [timezone.now().isoformat(), recent.pk]),  # a cut-off of today: under the 180-day floor
        ("SELECT set_config('wealthdesk.audit_archive_before', %s, true); DELETE FROM core_auditlog WHERE id = %s",
         [(timezone.now() - dt.timedelta(days=200)).isoformat(), recent.pk]),  # a row newer than the cut-off
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    assert AuditLog.objects.filter(pk__in=[old.pk, recent.pk]).count() == 2
