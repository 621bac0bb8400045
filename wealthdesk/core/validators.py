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
