"""Checking and keeping the tamper-evident audit chain (core.audit_chain; ASVS 16.4.2/16.4.3; Cybersecurity Law
art. 21: logs kept at least six months):

* ``verify_chain`` walks the rows in ``seq`` order and names the first row that was edited (its hash no longer
  matches), or the place where a row is missing or was inserted (``prev_hash`` / ``seq`` run broken), and checks
  the exported chain heads still match (a truncated tail);
* ``export_head`` writes the chain's last link to a file (daily, to a directory the application cannot rewrite:
  another host, WORM storage — docs/security.md);
* ``archive_before`` moves rows older than the retention period into a gzip file of JSON lines, hashed, the file
  written and its hash recorded *before* the rows are deleted; on PostgreSQL the append-only trigger lets only this
  transaction delete, and only rows older than its cut-off (core migration 0009).
"""
from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.audit import audit_row
from wealthdesk.core.audit_chain import ADVISORY_KEY, GENESIS, HASH_SQL, HASHED_COLUMNS
from wealthdesk.core.models import AuditAction, AuditLog

from .models import AuditArchive

MIN_RETENTION_DAYS = 180
HEAD_PREFIX = "audit-head-"


@dataclass
class ChainReport:
    checked: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)
    first_break_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _anchor() -> tuple[int, str]:
    archive = AuditArchive.objects.order_by("-last_seq").first()
    return (archive.last_seq, archive.last_hash) if archive else (0, GENESIS)


def verify_chain(*, heads_dir: str | None = None, stop_at_first: bool = True) -> ChainReport:
    """Recompute the chain; ``problems`` names the first broken or missing row (all of them with
    ``stop_at_first=False``)."""
    report = ChainReport()
    expected_seq, previous = _anchor()
    unchained = AuditLog._base_manager.filter(seq__isnull=True).order_by("id").values_list("id", flat=True).first()
    if unchained is not None:
        report.problems.append(_("审计日志 #%(id)s 不在链上（没有链序号），是绕过应用直接写入的。") % {"id": unchained})
        report.first_break_id = unchained
        if stop_at_first:
            return report
    rows = (AuditLog._base_manager.filter(seq__isnull=False).order_by("seq")
            .annotate(expected=RawSQL(HASH_SQL, [])).values("id", "seq", "prev_hash", "row_hash", "expected"))
    for row in rows.iterator(chunk_size=5000):
        expected_seq += 1
        problem = None
        if row["seq"] != expected_seq:
            problem = _("链序号 %(want)s 的审计日志缺失（下一行是 #%(id)s，序号 %(seq)s）：有行被删除。") % {
                "want": expected_seq, "id": row["id"], "seq": row["seq"]}
        elif row["prev_hash"] != previous:
            problem = _("审计日志 #%(id)s（序号 %(seq)s）记录的前一行哈希与前一行不符：前一行被替换或有行被插入。") % {
                "id": row["id"], "seq": row["seq"]}
        elif row["expected"] != row["row_hash"]:
            problem = _("审计日志 #%(id)s（序号 %(seq)s）的内容与其哈希不符：该行被修改。") % {
                "id": row["id"], "seq": row["seq"]}
        report.checked += 1
        if problem:
            report.problems.append(problem)
            report.first_break_id = report.first_break_id or row["id"]
            if stop_at_first:
                return report
            expected_seq = row["seq"]
        previous = row["row_hash"]
        report.last_seq, report.last_hash = row["seq"], row["row_hash"]
    if heads_dir:
        report.problems += _check_heads(Path(heads_dir), report)
    return report


def _check_heads(directory: Path, report: ChainReport) -> list[str]:
    problems = []
    for path in sorted(directory.glob(f"{HEAD_PREFIX}*.json")):
        try:
            head = json.loads(path.read_text(encoding="utf-8"))
            seq, row_hash = int(head["seq"]), str(head["row_hash"])
        except (OSError, ValueError, KeyError, TypeError):
            problems.append(_("链头文件 %(f)s 无法读取。") % {"f": path.name})
            continue
        if seq == 0:
            continue
        if seq > report.last_seq:
            problems.append(_("链头文件 %(f)s 记录到序号 %(seq)s，表中只到 %(last)s：日志末尾被截断。") % {
                "f": path.name, "seq": seq, "last": report.last_seq})
            continue
        stored = AuditLog._base_manager.filter(seq=seq).values_list("row_hash", flat=True).first()
        if stored is None:
            archived = AuditArchive.objects.filter(first_seq__lte=seq, last_seq__gte=seq).exists()
            if not archived:
                problems.append(_("链头文件 %(f)s 记录的序号 %(seq)s 已不在表中。") % {"f": path.name, "seq": seq})
        elif stored != row_hash:
            problems.append(_("链头文件 %(f)s 记录的序号 %(seq)s 哈希与表中不符：日志被改写。") % {
                "f": path.name, "seq": seq})
    return problems


def record_verification(report: ChainReport, *, heads_dir: str | None) -> None:
    """Every verifier run is itself audited (the result and the first problem)."""
    row = audit_row(actor=None, action=AuditAction.VIEW, detail={
        "what": "audit_verify", "ok": report.ok, "checked": report.checked, "last_seq": report.last_seq,
        "first_problem": report.problems[0] if report.problems else "", "heads_dir": bool(heads_dir)})
    row.object_type = "core.auditlog"
    row.object_id = str(report.first_break_id or "")
    row.save()


def export_head(directory: str, *, day: dt.date | None = None) -> Path:
    """Write the chain's last link to ``<directory>/audit-head-YYYYMMDD.json`` (never overwriting an older one)."""
    day = day or timezone.localdate()
    seq, row_hash = (AuditLog._base_manager.filter(seq__isnull=False).order_by("-seq")
                     .values_list("seq", "row_hash").first() or (0, GENESIS))
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{HEAD_PREFIX}{day:%Y%m%d}.json"
    if path.exists():
        path = target / f"{HEAD_PREFIX}{day:%Y%m%d}-{timezone.now():%H%M%S%f}.json"
    body = {"seq": seq, "row_hash": row_hash, "exported_at": timezone.now().isoformat(),
            "database": connection.settings_dict.get("NAME", "")}
    with open(path, "x", encoding="utf-8") as handle:
        json.dump(body, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    return path


def _json_row(row: dict) -> dict:
    out = {}
    for key, value in row.items():
        out[key] = value.isoformat() if isinstance(value, dt.datetime) else value
    return out


def archive_before(directory: str, *, days: int, actor=None) -> AuditArchive | None:
    """Archive and delete the chain's rows older than ``days`` (at least 180). Returns the archive or ``None``."""
    if days < MIN_RETENTION_DAYS:
        raise ValueError(_("保留期不得少于 %(n)s 天。") % {"n": MIN_RETENTION_DAYS})
    cutoff = timezone.now() - dt.timedelta(days=days)
    first_kept = AuditLog._base_manager.filter(seq__isnull=False, at__gte=cutoff).order_by("seq").values_list(
        "seq", flat=True).first()
    newest = AuditLog._base_manager.filter(seq__isnull=False).order_by("-seq").values_list("seq", flat=True).first()
    if newest is None:
        return None
    last_seq = min((first_kept - 1) if first_kept else newest - 1, newest - 1)  # the newest row always stays
    start_seq, _start_hash = _anchor()
    if last_seq <= start_seq:
        return None
    report = verify_chain()
    if not report.ok:
        raise ValueError(_("审计日志链已断裂，请先调查再归档：%(p)s") % {"p": report.problems[0]})
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    name = f"audit-{start_seq + 1:012d}-{last_seq:012d}.jsonl.gz"
    path = target / name
    fields = ["id", *HASHED_COLUMNS, "row_hash"]
    rows = AuditLog._base_manager.filter(seq__gt=start_seq, seq__lte=last_seq).order_by("seq").values(*fields)
    count, last_hash = 0, GENESIS
    with open(path, "xb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        for row in rows.iterator(chunk_size=5000):
            gz.write(json.dumps(_json_row(row), ensure_ascii=False, sort_keys=True).encode() + b"\n")
            count, last_hash = count + 1, row["row_hash"]
        gz.close()
        raw.flush()
        os.fsync(raw.fileno())
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    path.with_suffix(".sha256").write_text(f"{sha}  {name}\n", encoding="utf-8")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_KEY])
                cursor.execute("SELECT set_config('wealthdesk.audit_archive_before', %s, true)", [cutoff.isoformat()])
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditlog WHERE seq > %s AND seq <= %s AND at < %s",
                           [start_seq, last_seq, cutoff])
            deleted = cursor.rowcount
        if deleted != count:
            raise RuntimeError(f"archived {count} rows but {deleted} matched the delete; nothing deleted")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('wealthdesk.audit_archive_before', '', true)")
        archive = AuditArchive.objects.create(cutoff=cutoff, file_name=name, sha256=sha, rows=count,
                                              first_seq=start_seq + 1, last_seq=last_seq, last_hash=last_hash)
        row = audit_row(actor=actor, action=AuditAction.DELETE, detail={
            "what": "audit_archive", "rows": count, "first_seq": start_seq + 1, "last_seq": last_seq,
            "file": name, "sha256": sha, "cutoff": cutoff.isoformat()})
        row.object_type = "core.auditlog"
        row.save()
    return archive
