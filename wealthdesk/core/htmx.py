"""htmx answers shared by every app: close a dialog with a visible confirmation (DESIGN rule 12)."""
from __future__ import annotations

import json

from django.http import HttpResponse
from django.utils.html import escape


def trigger(response: HttpResponse, events: dict) -> HttpResponse:
    """Set ``HX-Trigger`` from a mapping of event name → detail (``None`` for none)."""
    response["HX-Trigger"] = json.dumps(events)  # ASCII: HTTP headers carry no raw Chinese
    return response


def close_modal(message: str = "", *events: str) -> HttpResponse:
    """After a dialog saved: close the modal, show ``message`` as a confirmation and tell the page what changed."""
    text = str(message)
    response = HttpResponse(f'<div class="modal-body text-success" role="status">{escape(text)}</div>')
    detail: dict = {"wd:close-modal": None}
    if text:
        detail["wd:toast"] = {"message": text, "level": "success"}
    detail.update({name: None for name in events})
    return trigger(response, detail)
