"""Verify the tamper-evident audit chain: names the first edited, missing or inserted row, and (``--heads``)
checks the exported chain heads. Exit status 1 when broken. The run itself is audited."""
from django.core.management.base import CommandError

from wealthdesk.core.commands import AuditedCommand


class Command(AuditedCommand):
    help = "Verify the audit log's hash chain; name the first broken or missing row."

    def add_arguments(self, parser):
        parser.add_argument("--heads", default="", help="directory of exported chain heads (audit_chain_head)")
        parser.add_argument("--all", action="store_true", help="list every problem, not only the first")

    def handle(self, *args, **options):
        from wealthdesk.security.audit_tools import record_verification, verify_chain

        heads = options["heads"] or None
        report = verify_chain(heads_dir=heads, stop_at_first=not options["all"])
        record_verification(report, heads_dir=heads)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"audit chain BROKEN: {report.problems[0]}")
        self.stdout.write(f"audit chain OK: {report.checked} rows, last seq {report.last_seq}, "
                          f"head {report.last_hash}")
