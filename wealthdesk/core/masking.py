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


# ---------------------------------------------------------------------------------------------------------
# Names (one rule for every page and export, docs/security.md "Names")
# ---------------------------------------------------------------------------------------------------------
def sees_full_names(user) -> bool:
    """Who reads customers' and complainants' names in full: the positions that serve customers by name.

    That is every position whose reach opens customer records (client manager, team lead, center head,
    business supervisor, archive keeper, the upper-level service desks) — the people who see the name on the
    customer pages. The auditor and the quality manager read masked names (``张*``) even where they see the
    record; positions without customer reach never see a customer at all.
    """
    from .roles import NAME_MASKED_ROLES, ROLE_REACH, Reach
    from .scoping import scope_for

    roles = scope_for(user).roles - NAME_MASKED_ROLES
    return max((ROLE_REACH.get(r, Reach.NONE) for r in roles), default=Reach.NONE) >= Reach.OWN


def export_name(user, name: str | None) -> str:
    """A customer's name in an export: in full for ``sees_full_names`` users, else ``mask_name``."""
    return name_masker(user)(name)


def name_masker(user):
    """``export_name`` decided once per export: a function from a name to what ``user`` may read."""
    if sees_full_names(user):
        return lambda name: name or ""
    return mask_name


_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def mask_identifiers_in_text(value: str | None) -> str:
    """Mask every mainland ID number and mobile found anywhere in free text (rejected rows of a load)."""
    if not value:
        return value or ""
    value = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0)), value)
    return _MOBILE_IN_TEXT.sub(lambda m: mask_mobile(m.group(0)), value)

_CARD_RE = re.compile(r"(?<!\d)(\d{16,19})(?!\d)")


def mask_text(value: str | None, names=()) -> str:
    """Free text that may quote customers (a report shared with other centers): ID numbers and mobiles in it
    are masked (``mask_identifiers_in_text``), card/account numbers too, and so is every name in ``names``
    (e.g. the author center's customers)."""
    if not value:
        return ""
    text = mask_identifiers_in_text(value)
    text = _CARD_RE.sub(lambda m: mask_account(m.group(1)), text)
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        if name in text:
            text = text.replace(name, mask_name(name))
    return text
