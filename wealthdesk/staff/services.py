"""Staff services: accepting the confidentiality agreement (R28)."""
from django.db import transaction

from wealthdesk.core.audit import AuditAction, audit_record, current_context

from .models import Agreement, AgreementAcceptance


@transaction.atomic
def agreement_accept(*, actor, agreement: Agreement) -> AgreementAcceptance:
    """Record that ``actor`` accepted ``agreement`` now (idempotent)."""
    row, created = AgreementAcceptance.objects.get_or_create(
        user=actor, agreement=agreement, defaults={"ip": current_context().ip}
    )
    if created:
        audit_record(actor=actor, action=AuditAction.ACCEPT, obj=agreement, unit_id=actor.unit_id)
    actor._wd_agreement_ok = None
    return row
