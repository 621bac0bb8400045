"""Masking of personal data (R28, DESIGN rule 4): shown masked everywhere unless revealed (audited)."""
import re

_DISTRICT = re.compile(r"^(.{0,20}?(?:区|县|旗))")
_CITY = re.compile(r"^(.{0,12}?市)")


def mask_id_number(value: str | None) -> str:
    """ID numbers keep only their first and last character: ``1****************X``."""
    if not value:
        return ""
    if len(value) <= 2:
        return "*" * len(value)
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_mobile(value: str | None) -> str:
    """Mobiles keep the first three and last four digits: ``138****1234``."""
    if not value:
        return ""
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_address(value: str | None) -> str:
    """Addresses are cut after the district (区/县/旗, or a city without districts): ``上海市浦东新区****``."""
    if not value:
        return ""
    match = _DISTRICT.match(value) or _CITY.match(value)
    head = match.group(1) if match else value[:6]
    if head == value:
        return value
    return head + "****"


def mask_account(value: str | None) -> str:
    """Card and account numbers keep the first six and last four digits."""
    if not value:
        return ""
    if len(value) <= 10:
        return mask_id_number(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_name(value: str | None) -> str:
    """Names keep the surname: ``张*`` / ``欧阳**`` (for people who may only see that a customer was found)."""
    if not value:
        return ""
    if len(value) == 1:
        return value
    keep = 2 if len(value) >= 4 else 1
    return value[:keep] + "*" * (len(value) - keep)


MASKERS = {"id_number": mask_id_number, "mobile": mask_mobile, "address": mask_address, "account": mask_account,
           "name": mask_name}


_ID_RE = re.compile(r"(?<!\d)(\d{17}[\dXx]|\d{15})(?!\d)")
_CARD_RE = re.compile(r"(?<!\d)(\d{16,19})(?!\d)")
_MOBILE_RE = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")


def mask_text(value: str | None, names=()) -> str:
    """Free text that may quote customers (a report shared with other centers): ID numbers, card/account numbers
    and mobiles in it are masked, and so is every name in ``names`` (e.g. the author center's customers)."""
    if not value:
        return ""
    text = _ID_RE.sub(lambda m: mask_id_number(m.group(1)), value)
    text = _CARD_RE.sub(lambda m: mask_account(m.group(1)), text)
    text = _MOBILE_RE.sub(lambda m: mask_mobile(m.group(1)), text)
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        if name in text:
            text = text.replace(name, mask_name(name))
    return text
