"""Agenda items pulled from other apps' records onto an upper-level meeting (R15).

The apps that own the records register an agenda source in ``core.registry`` (the reports app: reports submitted
to the unit); this module only stores the link and the agenda line, so ``meetings`` imports none of them.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wealthdesk.core.audit import AuditAction, audit_record
from wealthdesk.core.registry import agenda_source, agenda_sources

from .choices import UPPER_KINDS
from .models import AgendaLink, Meeting


def sources_for(user, meeting: Meeting) -> list[dict]:
    """Each registered source with what it offers this meeting, minus what is already on the agenda."""
    if meeting.kind not in UPPER_KINDS:
        return []
    taken = set(meeting.agenda_links.values_list("source", "object_id"))
    out = []
    for source in agenda_sources():
        items = [c for c in source.candidates(user, meeting.unit) if (c.source, c.object_id) not in taken]
        if items:
            out.append({"key": source.key, "label": source.label, "items": items})
    return out


@transaction.atomic
def meeting_pull_item(*, actor, meeting: Meeting, source: str, object_id) -> AgendaLink:
    """Put one record offered by ``source`` on the meeting's agenda: a line in the agenda and a link back to it."""
    from .services import can_edit_meeting

    locked = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    if not can_edit_meeting(actor, locked):
        raise PermissionDenied(_("只有主持人、记录人或负责人可以修改议程。"))
    if locked.kind not in UPPER_KINDS:
        raise ValidationError({"source": [_("只有支行、分行的例会可以引用报送的报告。")]})
    found = agenda_source(source or "")
    if found is None:
        raise ValidationError({"source": [_("议题来源无效。")]})
    item = found.resolve(actor, locked.unit, object_id)
    if locked.agenda_links.filter(source=item.source, object_id=item.object_id).exists():
        raise ValidationError({"source": [_("该报告已在议程中。")]})
    link = AgendaLink.objects.create(meeting=locked, source=item.source, object_id=item.object_id,
                                     title=item.title[:200], text=item.text[:400], url=item.url[:200], added_by=actor)
    line = item.text or _("议题：%(t)s") % {"t": item.title}
    Meeting.objects.filter(pk=locked.pk).update(agenda=(locked.agenda + "\n" + line).strip(),
                                                version=locked.version + 1)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=locked,
                 detail={"agenda_source": item.source, "object_id": item.object_id})
    meeting.refresh_from_db()
    return link
