"""Export the audit chain's head (last seq and hash) to a file — daily, to a directory on another host or WORM
storage, so that a truncated or rewritten log is detected by ``audit_verify --heads``."""
from django.core.management.base import CommandError

from wealthdesk.core.commands import AuditedCommand


class Command(AuditedCommand):
    help = "Write the audit chain's head to <dir>/audit-head-YYYYMMDD.json."

    def add_arguments(self, parser):
        parser.add_argument("--dir", required=True, help="target directory (outside the application's reach)")

    def handle(self, *args, **options):
        from wealthdesk.security.audit_tools import export_head

        try:
            path = export_head(options["dir"])
        except OSError as exc:
            raise CommandError(f"--dir: {exc}") from None
        self.stdout.write(f"chain head written to {path}")
