"""Retention: archive the audit rows older than ``audit.retention_days`` (default 180, never fewer) to a gzip file
of JSON lines with its SHA-256, then delete them from the table — the only deletion the PostgreSQL trigger allows."""
from django.core.management.base import CommandError

from wealthdesk.core.commands import AuditedCommand


class Command(AuditedCommand):
    help = "Archive audit rows past the retention period to <dir>, hashed, then remove them from the table."

    def add_arguments(self, parser):
        parser.add_argument("--dir", required=True, help="archive directory")
        parser.add_argument("--days", type=int, default=None, help="retention in days (default: the parameter)")

    def handle(self, *args, **options):
        from wealthdesk.core.params import get_param
        from wealthdesk.security.audit_tools import archive_before

        days = options["days"] if options["days"] is not None else int(get_param("audit.retention_days"))
        try:
            archive = archive_before(options["dir"], days=days)
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from None
        if archive is None:
            self.stdout.write("nothing to archive")
            return
        self.stdout.write(f"archived {archive.rows} rows (seq {archive.first_seq}-{archive.last_seq}) to "
                          f"{archive.file_name} sha256 {archive.sha256}")
