"""The one scoping mechanism (DESIGN rule 1): ``Model.objects.visible_to(user)``.

A model opts in by using (a subclass of) ``ScopedQuerySet`` and naming two paths:

* ``scope_unit_field`` – the path to the ``OrgUnit`` the row belongs to (e.g. ``"center"``);
* ``scope_owner_field`` – the path to the responsible user (e.g. ``"client_manager"``), or ``None``.

A user's reach (from their positions, see ``core.roles``) picks the filter:
``OWN`` → rows they own; ``TEAM`` → rows owned by their team (and their own); ``SUBTREE`` → rows whose
unit lies in the subtree of the user's unit; ``NONE`` → nothing. Views, API viewsets, exports, form
choices and background jobs all start from ``visible_to``; an object outside it answers 404.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import In

from .roles import NO_BALANCES, ROLE_REACH, Reach, Role


@dataclass(frozen=True)
class Scope:
    """What a user may see: their roles, their reach and where they sit in the org tree."""

    user_id: int | None
    roles: frozenset[str]
    reach: Reach
    unit_id: int | None
    unit_path: str
    team_id: int | None

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


EMPTY_SCOPE = Scope(None, frozenset(), Reach.NONE, None, "", None)


def scope_for(user) -> Scope:
    """The user's scope, computed once per user object (one query for the positions)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return EMPTY_SCOPE
    cached = getattr(user, "_wd_scope", None)
    if cached is not None:
        return cached
    roles = frozenset(user.role_codes)
    reach = max((ROLE_REACH.get(r, Reach.NONE) for r in roles), default=Reach.NONE)
    unit = user.unit if user.unit_id else None
    scope = Scope(user.pk, roles, reach, user.unit_id, unit.path if unit else "", user.team_id)
    user._wd_scope = scope
    return scope


def subtree_units(prefix: str) -> models.QuerySet:
    """The ids of the org units in the subtree that starts at the materialized path ``prefix`` (a subquery)."""
    unit_model = apps.get_model(getattr(settings, "WD_ORG_UNIT_MODEL", "orgs.OrgUnit"))
    return unit_model._base_manager.filter(path__startswith=prefix).values("pk")


def unit_subtree_q(prefix: str, unit_field: str) -> Q:
    """Rows whose unit lies in the subtree that starts at the materialized path ``prefix``.

    ``unit_id IN (SELECT id FROM orgs_orgunit WHERE path LIKE 'prefix%')`` rather than a join on the path
    (issue 16, DESIGN rule 14): the join made PostgreSQL collect and sort the whole subtree before the first page;
    the semi-join lets it walk the list's own index (``ORDER BY … LIMIT``) and check each row's unit against the
    small set of units, at head office as at a center.
    """
    return Q(**{f"{unit_field}__in": subtree_units(prefix)})


class InArray(In):
    """``column IN (subquery)`` that PostgreSQL reads as ``column = ANY(ARRAY(subquery))``: the subquery runs once
    and the planner looks the few ids up in the column's index, rather than planning a semi-join that it may run
    once per row of an index walk. Other databases get the plain ``IN``."""

    def as_postgresql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs_sql} = ANY(ARRAY{rhs_sql})", (*lhs_params, *rhs_params)


# Extra visibility a higher app grants on a lower app's model without the lower app importing it (layers point
# down): e.g. the head-office relationship manager of a private-banking customer's joint team sees that customer
# (R5, registered by ``cases``). ``extend(scope) -> Q | None`` is ORed with the model's own filter; it must grant
# nothing to a scope it does not concern (return ``None``).
_EXTENSIONS: dict[str, list[Callable[[Scope], Q | None]]] = {}


def register_scope_extension(model_label: str, extend: Callable[[Scope], Q | None]) -> None:
    """Let ``extend(scope)`` open more rows of ``model_label`` ("customers.customer") in ``visible_to``."""
    hooks = _EXTENSIONS.setdefault(model_label.lower(), [])
    if extend not in hooks:
        hooks.append(extend)


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to restrict itself to what one user may see."""

    scope_unit_field: str | None = None
    scope_owner_field: str | None = None
    # The reach a user needs at minimum to see anything of this model (customer data: OWN).
    scope_min_reach: Reach = Reach.OWN
    # Least privilege: positions that reach into this model only (not into customer data at large), e.g. the
    # quality manager into complaints, the auditor into the audit log (see core.roles).
    scope_role_reach: dict[str, Reach] = {}

    def effective_reach(self, scope: Scope) -> Reach:
        """The scope's reach into this model: its own, or more where a position reaches this model only."""
        extra = max((self.scope_role_reach.get(r, Reach.NONE) for r in scope.roles), default=Reach.NONE)
        return max(scope.reach, extra)

    def scope_q(self, scope: Scope) -> Q | None:
        """The filter for one scope; ``None`` means "nothing"."""
        reach = self.effective_reach(scope)
        if reach != scope.reach:
            scope = replace(scope, reach=reach)
        if scope.reach < self.scope_min_reach or scope.reach == Reach.NONE:
            return None
        owner, unit = self.scope_owner_field, self.scope_unit_field
        if scope.reach >= Reach.SUBTREE and unit and scope.unit_path:
            return unit_subtree_q(scope.unit_path, unit)
        if owner is None:
            return None
        if scope.reach >= Reach.TEAM and scope.team_id:
            return self._team_q(owner, scope)
        return self._own_q(owner, scope)

    def _own_q(self, owner: str, scope: Scope) -> Q:
        """OWN reach. Through a relation (``customer__client_manager``) it is ``customer_id = ANY(ARRAY(SELECT id
        FROM customer WHERE client_manager_id = X))`` rather than a join (issue 16): ORed with a model's own rows
        (the complaints a client manager recorded or received) the join made PostgreSQL hash-join the whole table
        to the customers (a client manager's complaint list 660 ms on 1,000,000 customers)."""
        head, _sep, rest = owner.partition("__")
        if not rest:
            return Q(**{owner: scope.user_id})
        related = self.model._meta.get_field(head).related_model
        owned = related._base_manager.filter(**{rest: scope.user_id}).order_by().values("pk")
        return Q(InArray(F(head), owned))

    def _team_q(self, owner: str, scope: Scope) -> Q:
        """TEAM reach as semi-joins, never an OR across a join (issue 16).

        ``owner = X OR owner.team_id = T`` made PostgreSQL hash-join the whole owned table to the staff table;
        ``owner_id IN (SELECT id FROM staff_user WHERE team_id = T OR id = X)`` walks the owner index instead.
        A path through a relation (``customer__client_manager``) becomes ``customer_id IN (SELECT id FROM
        customer WHERE client_manager_id IN (…))``, so the owned table is not joined either and an OR with other
        conditions (the complaints' own rows) stays on one table. The rows are the same: a NULL key is in
        neither form. On PostgreSQL the related ids are an array (``customer_id = ANY(ARRAY(…))``, ``InArray``):
        a team's rows are few, and as a semi-join the planner walked the list's order index checking every row of
        the whole table against the team (the team lead's contact list, 580 ms → 150 ms, bench/README.md).
        """
        members = get_user_model()._base_manager.filter(Q(team_id=scope.team_id) | Q(pk=scope.user_id))
        members = members.values("pk")
        head, _sep, rest = owner.partition("__")
        if not rest:
            return Q(**{f"{owner}__in": members})
        related = self.model._meta.get_field(head).related_model
        owned = related._base_manager.filter(**{f"{rest}__in": members}).order_by().values("pk")
        return Q(InArray(F(head), owned))

    def few_rows_first(self, q: Q) -> ScopedQuerySet:
        """``pk = ANY(ARRAY(SELECT pk … WHERE q))`` (issue 16): for a person's own rows, found through several
        indexes (an OR of owners), collected once, so that a list ordered by date does not walk the whole table's
        date index checking each row against the OR (a client manager's complaints: 36,000 rows visited for 6)."""
        ids = self.model._base_manager.filter(q).order_by().values("pk")
        return self.filter(InArray(F("pk"), ids))

    def visible_to(self, user) -> ScopedQuerySet:
        scope = scope_for(user)
        q = self.scope_q(scope)
        for extend in _EXTENSIONS.get(self.model._meta.label_lower, ()):
            extra = extend(scope)
            if extra is not None:
                q = extra if q is None else q | extra
        return self.none() if q is None else self.filter(q)


def user_has_role(user, *roles: str | Role) -> bool:
    return scope_for(user).has(*roles)


def sees_balances(user) -> bool:
    """Least privilege (R29): the archive keeper keeps customer master records, not AUM, balances or holdings."""
    scope = scope_for(user)
    return not (scope.has(*NO_BALANCES) and not scope.roles - NO_BALANCES)
