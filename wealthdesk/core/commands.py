"""Base class for management commands: everything they write is audited with source ``command:<name>``."""
from django.core.management.base import BaseCommand

from .audit import audit_context


class AuditedCommand(BaseCommand):
    def execute(self, *args, **options):
        name = self.__class__.__module__.rsplit(".", 1)[-1]
        with audit_context(source=f"command:{name}"):
            return super().execute(*args, **options)
