"""Template context shared by every page: navigation for the user's roles."""
from .registry import nav_for
from .scoping import scope_for


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    scope = scope_for(request.user)
    return {"nav_items": nav_for(request), "wd_scope": scope}
