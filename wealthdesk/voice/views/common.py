"""Small helpers shared by the voice pages: service errors onto forms and into clear messages."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def add_errors(form, exc: ValidationError) -> None:
    """Put a service's ``{field: [reason]}`` onto the form (unknown fields become form-wide errors)."""
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def error_lines(exc: ValidationError, form=None) -> list[str]:
    """``["答复内容：请填写答复内容。"]`` — the field's label and the reason, for pages without an inline form."""
    lines = []
    for field, errors in exc.message_dict.items():
        label = ""
        if form is not None and field in form.fields:
            label = str(form.fields[field].label or "")
        for error in errors:
            lines.append(f"{label}：{error}" if label else error)
    return lines


def form_error_lines(form) -> list[str]:
    lines = []
    for field, errors in form.errors.items():
        label = str(form.fields[field].label) if field in form.fields else ""
        for error in errors:
            lines.append(f"{label}：{error}" if label else str(error))
    return lines or [_("输入有误。")]
