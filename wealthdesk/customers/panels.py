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
