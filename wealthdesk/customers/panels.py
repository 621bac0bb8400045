"""Home-page panels of the customers app: real counts by tier for the user's scope."""
from wealthdesk.core.scoping import scope_for

from .choices import Tier
from .selectors import tier_counts


def tier_panel(request):
    if not request.user.has_accepted_agreement():
        return {"needs_agreement": True}
    counts = tier_counts(request.user)
    rows = [{"tier": t, "label": label, "count": counts.get(t, 0)} for t, label in Tier.choices]
    return {"rows": rows, "total": sum(counts.values()), "reach": scope_for(request.user).reach}


def overload_panel(request):
    """Client managers whose premium customers exceed ``cm.max_customers`` (R3 book size), with the way out."""
    from .selectors import overloaded_managers
    from .services import can_reassign

    if not request.user.has_accepted_agreement():
        return None
    from wealthdesk.core.params import get_param

    return {"rows": overloaded_managers(request.user), "max": int(get_param("cm.max_customers")),
            "can_reassign": can_reassign(request.user)}


def audit_names(ids: list[str]) -> dict[str, str]:
    """Masked names for the audit log page: ``张*（C000000001）``."""
    from wealthdesk.core.masking import mask_name

    from .models import Customer

    pks = [int(i) for i in ids if str(i).isdigit()]
    rows = Customer.objects.filter(pk__in=pks).values_list("pk", "name", "cif_no")
    return {str(pk): f"{mask_name(name)}（{cif}）" for pk, name, cif in rows}


def audit_find_customer(user, text: str):
    """The audit page's customer filter accepts a CIF number, within the user's scope."""
    from .models import Customer

    return Customer.objects.visible_to(user).filter(cif_no=text.strip()).values_list("pk", flat=True).first()
