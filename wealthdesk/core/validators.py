"""Validators for Chinese personal identifiers: resident ID (GB 11643-1999 check digit) and mobile numbers."""
import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def id_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_mainland_id(value: str) -> None:
    """18 characters, a real birth date, and the GB 11643 check digit."""
    value = (value or "").upper()
    if not _ID_RE.match(value):
        raise ValidationError(_("身份证号码应为18位，前17位为数字，最后一位为数字或X。"), code="id_format")
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="id_birth") from None
    if id_check_digit(value[:17]) != value[17]:
        raise ValidationError(_("身份证号码校验位不正确。"), code="id_check")


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(value or ""):
        raise ValidationError(_("手机号码应为11位数字，以1开头，第二位为3–9。"), code="mobile")


def normalize_id(value: str) -> str:
    return (value or "").strip().upper()


# ---------------------------------------------------------------------------------------------------------
# Input hygiene (one place): control characters and the length of free text
# ---------------------------------------------------------------------------------------------------------
# C0 controls except tab, line feed and carriage return, DEL, and the C1 controls.
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Single-line text refuses tab, line feed and carriage return as well.
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Free text (TextField) without its own max_length: a few pages of notes, never a megabyte.
TEXT_MAX_LENGTH = 4000


def text_errors(value: str, *, label, multiline: bool, max_length: int | None = None) -> list:
    """The reasons why ``value`` may not be stored, each naming the field (empty list: fine)."""
    errors = []
    pattern = _CONTROL_MULTILINE if multiline else _CONTROL_SINGLE_LINE
    match = pattern.search(value)
    if match:
        errors.append(ValidationError(
            _("“%(field)s”含有不可见的控制字符（%(char)s），请删除后再提交。"),
            code="control_character", params={"field": label, "char": f"U+{ord(match.group()):04X}"}))
    if max_length is not None and len(value) > max_length:
        errors.append(ValidationError(_("“%(field)s”最多 %(max)s 个字符（现在 %(n)s 个）。"), code="max_length",
                                      params={"field": label, "max": max_length, "n": len(value)}))
    return errors


def model_text_errors(instance, exclude=None) -> dict[str, list]:
    """Control characters in any text field; free text (TextField) longer than its limit."""
    from django.db import models

    errors: dict[str, list] = {}
    limits = getattr(instance, "text_max_lengths", {})
    for field in instance._meta.concrete_fields:
        if exclude and field.name in exclude:
            continue
        if not isinstance(field, models.CharField | models.TextField) or field.choices:
            continue
        value = getattr(instance, field.attname, None)
        if not isinstance(value, str) or not value:
            continue
        multiline = isinstance(field, models.TextField)
        limit = limits.get(field.name, field.max_length or TEXT_MAX_LENGTH) if multiline else None
        found = text_errors(value, label=field.verbose_name, multiline=multiline, max_length=limit)
        if found:
            errors[field.name] = found
    return errors
