"""Registries that let each app plug into the shared pages without editing another app's files.

* ``register_nav`` – a link in the top navigation, shown to the roles named (``None`` = every signed-in user).
* ``register_panel`` – a card on a dashboard page (``"workbench"`` for client managers, ``"head"`` for the
  center head's view, ``"home"`` for everyone's home page). A panel is a template plus a function
  ``context(request) -> dict | None``; ``None`` hides the panel.
* ``register_metric`` – a figure per staff member over a period (contacts made, referrals followed, sales…),
  computed set-based for many users at once. The daily log pre-fills from these (R9) and the performance
  sheet (R34) scores from them, without importing the apps that own the data; an optional ``records`` callable
  lists the records behind one user's figure (the sheet's drill-down); an optional ``windows`` batch form answers
  many periods in one query (``metric_values_windows``, issue 16).
* ``register_note`` – lines describing one staff member's day (products sold, contacts made) that the daily
  log offers to fill its text fields.
Apps register in their ``AppConfig.ready``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from .memo import ids_key, memo
from .metric_windows import windows_of
from .scoping import scope_for


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    roles: frozenset[str] | None = None
    section: str = ""
    order: int = 100
    icon: str = ""
    require_staff: bool = False

    def visible_for(self, request) -> bool:
        user = request.user
        if self.require_staff and not user.is_staff:
            return False
        if self.roles is None:
            return True
        return scope_for(user).has(*self.roles)


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    context: Callable
    page: str = "home"
    roles: frozenset[str] | None = None
    order: int = 100
    extra: dict = field(default_factory=dict)


_NAV: dict[str, NavItem] = {}
_PANELS: dict[str, Panel] = {}


def register_nav(key: str, label, url_name: str, *, roles: Iterable[str] | None = None, section: str = "",
                 order: int = 100, icon: str = "", require_staff: bool = False) -> None:
    _NAV[key] = NavItem(key, label, url_name, frozenset(roles) if roles is not None else None, section, order, icon,
                        require_staff)


def register_panel(key: str, title, template: str, context: Callable, *, page: str = "home",
                   roles: Iterable[str] | None = None, order: int = 100) -> None:
    _PANELS[key] = Panel(key, title, template, context, page, frozenset(roles) if roles is not None else None, order)


# Navigation sections: menus that group the apps' entries so a busy role's bar stays on one line.
SECTIONS: dict[str, tuple[int, str]] = {}  # section key -> (order, label)
SECTION_OF: dict[str, str] = {}  # nav key -> section key (when the app did not name one)


def register_section(key: str, label, *, order: int, members: Iterable[str] = ()) -> None:
    SECTIONS[key] = (order, label)
    for member in members:
        SECTION_OF.setdefault(member, key)


def nav_for(request) -> list[dict]:
    """The user's navigation: single links, and sections (dropdowns) holding two or more links."""
    flat = _nav_items(request)
    groups: dict[str, list[dict]] = {}
    for item in flat:
        section = item["section"]
        if section in SECTIONS:
            groups.setdefault(section, []).append(item)
    out, placed = [], set()
    for item in flat:
        section = item["section"]
        if section in groups and len(groups[section]) > 1:
            if section in placed:
                continue
            placed.add(section)
            order, label = SECTIONS[section]
            members = groups[section]
            out.append({"key": section, "label": label, "children": members, "order": order,
                        "active": any(m["active"] for m in members)})
        else:
            out.append(item)
    return sorted(out, key=lambda e: e["order"])


def _nav_items(request) -> list[dict]:
    items = []
    for item in sorted(_NAV.values(), key=lambda i: (i.order, i.key)):
        if not item.visible_for(request):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        section = item.section or SECTION_OF.get(item.key, "")
        order = SECTIONS[section][0] if section in SECTIONS else item.order
        items.append({"key": item.key, "label": item.label, "url": url, "icon": item.icon, "section": section,
                      "order": order, "active": request.path.startswith(url) and url != "/"})
    return items


def panels_for(request, page: str) -> list[dict]:
    """Render-ready panels of one page for this user (each panel's context computed here)."""
    scope = scope_for(request.user)
    out = []
    for panel in sorted((p for p in _PANELS.values() if p.page == page), key=lambda p: (p.order, p.key)):
        if panel.roles is not None and not scope.has(*panel.roles):
            continue
        ctx = panel.context(request)
        if ctx is None:
            continue
        out.append({"key": panel.key, "title": panel.title, "template": panel.template, "ctx": ctx})
    return out


@dataclass(frozen=True)
class Metric:
    """``compute(user_ids, start, end) -> {user_id: number}`` for the closed date interval [start, end].

    ``records(user_id, start, end) -> list[MetricRecord]`` (optional) lists the records one user's figure was
    computed from, so a score can be traced back to them (R34 drill-down): for a count exactly the records
    counted, for money the records whose ``value`` add up to the figure.

    A **percentage** (``unit="percent"``) is registered with ``parts(user_ids, start, end) -> {user_id: (met,
    due)}`` instead of ``compute``: a person's figure is ``met / due × 100``, and a unit's or a group's is the sum
    of the met over the sum of the due (``metric_parts``), never a mean of percentages. Its records list every due
    item, ``value`` 1 when met and 0 when not. ``direction`` is ``"positive"`` (more is better) or ``"negative"``
    (complaints: a ceiling).

    ``windows(user_ids, windows) -> {(start, end): {user_id: number}}`` (optional) is the **batch form**: the figure
    of every window (closed date interval) in one grouped query, e.g. with ``core.metric_windows.per_window``; a
    percentage's batch form is ``parts_windows(user_ids, windows) -> {(start, end): {user_id: (met, due)}}``. It
    must give, window by window, what ``compute`` (``parts``) gives. Without it ``metric_values_windows`` calls
    ``compute`` once per window."""

    key: str
    label: str
    compute: Callable
    unit: str = ""  # "" for a count, "yuan" for money, "percent" for a share of 100
    records: Callable | None = None
    direction: str = "positive"
    parts: Callable | None = None
    windows: Callable | None = None
    parts_windows: Callable | None = None


@dataclass(frozen=True)
class MetricRecord:
    """One record behind a metric figure: its day, a label already masked, the page that opens it (``""`` when
    it has none) and what it contributes (1 for a counted record, the amount for money)."""

    day: object
    label: str
    url: str = ""
    value: float = 1


_METRICS: dict[str, Metric] = {}


def register_metric(key: str, label, compute: Callable | None = None, *, unit: str = "",
                    records: Callable | None = None, direction: str = "positive",
                    parts: Callable | None = None, windows: Callable | None = None,
                    parts_windows: Callable | None = None) -> None:
    if compute is None:
        if parts is None:
            raise ValueError(f"metric {key!r} needs compute or parts")
        compute = _share_of(parts)
    _METRICS[key] = Metric(key, label, compute, unit, records, direction, parts, windows, parts_windows)


def share_percent(met: float, due: float) -> float | None:
    """``met / due`` as a percentage rounded to 0.1, ``None`` when nothing is due."""
    return round(met / due * 100, 1) if due else None


def _shares(parts: dict) -> dict[int, float]:
    out = {}
    for uid, (met, due) in parts.items():
        share = share_percent(met, due)
        if share is not None:
            out[uid] = share
    return out


def _share_of(parts: Callable) -> Callable:
    def compute(user_ids, start, end) -> dict[int, float]:
        return _shares(parts(user_ids, start, end))

    return compute


def metric_parts(key: str, user_ids, start, end) -> dict[int, tuple[float, float]] | None:
    """The (met, due) of each user for a percentage metric, ``None`` for any other metric (which adds up)."""
    metric = _METRICS.get(key)
    if metric is None or metric.parts is None:
        return None
    ids = list(user_ids)
    return memo(("metric_parts", key, ids_key(ids), start, end), lambda: metric.parts(ids, start, end))


def metrics() -> dict[str, Metric]:
    return dict(_METRICS)


def metric_values(key: str, user_ids, start, end) -> dict[int, float]:
    """``{user id: figure}``; the same metric for the same people and days is computed once per request (a page's
    panels — progress and score of the same month — ask for it more than once; ``core.memo``)."""
    metric = _METRICS.get(key)
    if not metric:
        return {}
    ids = list(user_ids)
    return memo(("metric_values", key, ids_key(ids), start, end), lambda: metric.compute(ids, start, end))


def metric_parts_windows(key: str, user_ids, windows) -> dict[tuple, dict[int, tuple[float, float]]] | None:
    """``metric_parts`` of every window ``(start, end)`` — one query with the metric's batch form, else one per
    window; ``None`` for a metric that is not a percentage."""
    metric = _METRICS.get(key)
    if metric is None or metric.parts is None:
        return None
    ids, wanted = list(user_ids), windows_of(windows)
    if not ids or not wanted:
        return {w: {} for w in wanted}
    def load():
        if metric.parts_windows is not None:
            got = metric.parts_windows(ids, wanted)
            return {w: got.get(w, {}) for w in wanted}
        return {w: metric.parts(ids, *w) for w in wanted}

    # Once per request for the same people and windows (the workbench's progress and score ask alike).
    return memo(("metric_parts_windows", key, ids_key(ids), tuple(wanted)), load)


def metric_values_windows(key: str, user_ids, windows) -> dict[tuple, dict[int, float]]:
    """``metric_values`` of every window ``(start, end)``: one grouped query when the metric registered its batch
    form (``windows``), else one ``compute`` per window (issue 16: a page's queries then still grow with its
    periods)."""
    metric = _METRICS.get(key)
    ids, wanted = list(user_ids), windows_of(windows)
    if metric is None or not ids or not wanted:
        return {w: {} for w in wanted}
    def load():
        if metric.windows is not None:
            got = metric.windows(ids, wanted)
            return {w: got.get(w, {}) for w in wanted}
        if metric.parts_windows is not None:
            got = metric.parts_windows(ids, wanted)
            return {w: _shares(got.get(w, {})) for w in wanted}
        return {w: metric.compute(ids, *w) for w in wanted}

    return memo(("metric_values_windows", key, ids_key(ids), tuple(wanted)), load)


def metric_records(key: str, user_id: int, start, end) -> list[MetricRecord] | None:
    """The records behind one user's figure, or ``None`` when the metric cannot list them."""
    metric = _METRICS.get(key)
    if metric is None or metric.records is None:
        return None
    return list(metric.records(user_id, start, end))


_NOTES: dict[str, Callable] = {}


def register_note(key: str, compute: Callable) -> None:
    """A line-by-line account the system can give of one staff member's day (``compute(user_id, day) ->
    list[str]``): the products their customers bought, the contacts they made. The daily log offers them."""
    _NOTES[key] = compute


def note_lines(key: str, user_id: int, day) -> list[str]:
    compute = _NOTES.get(key)
    return list(compute(user_id, day)) if compute else []


_HOME: list[tuple[int, frozenset[str], str]] = []


def register_home(url_name: str, *, roles: Iterable[str], order: int = 100) -> None:
    """Send users holding one of ``roles`` to ``url_name`` instead of the generic home page
    (e.g. a client manager lands on the workbench). The lowest ``order`` wins."""
    _HOME.append((order, frozenset(roles), url_name))
    _HOME.sort(key=lambda item: item[0])


def home_for(request) -> str | None:
    scope = scope_for(request.user)
    for _order, roles, url_name in _HOME:
        if scope.has(*roles):
            try:
                return reverse(url_name)
            except NoReverseMatch:
                continue
    return None


# --- Audit log display: apps say how their objects are named (masked) and how a customer is found ------------

_AUDIT_NAMERS: dict[str, Callable] = {}
_AUDIT_CUSTOMER_FINDERS: list[Callable] = []


def register_audit_namer(object_type: str, names: Callable) -> None:
    """``names(ids: list[str]) -> {id: "masked display name"}`` for audit rows about ``object_type``
    ("app_label.model"); the audit page shows these names instead of the bare object id."""
    _AUDIT_NAMERS[object_type] = names


def audit_namer(object_type: str) -> Callable | None:
    return _AUDIT_NAMERS.get(object_type)


def register_audit_customer_finder(find: Callable) -> None:
    """``find(user, text) -> customer id | None``: resolves what a user typed in the audit page's customer
    filter (e.g. a CIF number) within their scope."""
    _AUDIT_CUSTOMER_FINDERS.append(find)


def find_audit_customer(user, text: str):
    for find in _AUDIT_CUSTOMER_FINDERS:
        found = find(user, text)
        if found is not None:
            return found
    return None


# --- The handbook compliance monitor: every rule with a frequency or a deadline, measured per center ---------------

@dataclass(frozen=True)
class ComplianceMeasure:
    """One rule of the handbook as a live figure per center.

    ``compute(center_ids: list[int], today: date) -> {center_id: {"due": n, "done": n, "overdue": n}}`` counts,
    for the current period of the rule (the day, the week, the month, the quarter, the year — the measure says
    which in ``period``), what was due, what was done, and what is overdue now. Set-based: a fixed number of
    queries whatever the number of centers. ``overdue_url(unit) -> str | None`` is the page listing the overdue
    items behind the figure for a unit's subtree (the target page applies the user's own scope).
    The same selectors drive the workbench and the reminders (DESIGN rule 5: deadlines are data).
    """

    key: str
    rule: str
    label: str
    compute: Callable
    period: str = ""
    overdue_url: Callable | None = None
    order: int = 100


_COMPLIANCE: dict[str, ComplianceMeasure] = {}


def register_compliance(key: str, rule: str, label, compute: Callable, *, period: str = "",
                        overdue_url: Callable | None = None, order: int = 100) -> None:
    _COMPLIANCE[key] = ComplianceMeasure(key, rule, label, compute, period, overdue_url, order)


def compliance_measures() -> list[ComplianceMeasure]:
    return sorted(_COMPLIANCE.values(), key=lambda m: (m.order, m.key))


# --- Unit figures: what each app counts per center (and per client manager) for the roll-up dashboards (R1) --------

@dataclass(frozen=True)
class UnitFigure:
    """One figure of the dashboards and the operating report (R1, R35).

    ``flow`` figures count what happened in the period (compared month over month and year over year); the others
    are the state at the period's end (customers, AUM, maturities coming). A ``ratio`` figure is never summed: it
    is ``ratio[0] / ratio[1]`` of two summed figures, computed after the roll-up (R1: every sum rolls up, shares
    are recomputed at each level). ``unit`` is "" for a count, "yuan" for money, "percent" for a ratio.
    """

    key: str
    label: str
    group: str = ""
    unit: str = ""
    flow: bool = True
    ratio: tuple[str, str] | None = None
    order: int = 100


@dataclass(frozen=True)
class UnitFigureSource:
    """``compute(ids, start, end, by="center"|"staff") -> {id: {figure_key: number}}`` for the closed interval
    [start, end]: ``ids`` are centers (``by="center"``) or client managers (``by="staff"``, a figure of their
    own customers or work), a list or a queryset of ids (used as a subquery: ``field__in=ids``, never listed).
    Set-based: a fixed number of queries whatever the number of ids."""

    key: str
    figures: tuple[UnitFigure, ...]
    compute: Callable
    staff: bool = True  # False: the figure has no meaning per client manager (shown as "—")


_UNIT_FIGURES: dict[str, UnitFigureSource] = {}


def register_unit_figures(key: str, figures: Iterable[UnitFigure], compute: Callable, *, staff: bool = True) -> None:
    _UNIT_FIGURES[key] = UnitFigureSource(key, tuple(figures), compute, staff)


def unit_figure_sources() -> list[UnitFigureSource]:
    return sorted(_UNIT_FIGURES.values(), key=lambda s: (min((f.order for f in s.figures), default=100), s.key))


def unit_figures() -> list[UnitFigure]:
    """Every registered figure in display order."""
    return sorted((f for s in _UNIT_FIGURES.values() for f in s.figures), key=lambda f: (f.order, f.key))


def compute_unit_figures(ids, start, end, *, by: str = "center", flow_only: bool = False) -> dict[int, dict]:
    """Every registered unit figure for ``ids`` (centers, or client managers with ``by="staff"``) in [start, end],
    merged per id (``flow_only``: only the sources that count what happened in the period, for comparisons)."""
    out: dict[int, dict] = {}
    if isinstance(ids, (list, tuple, set)) and not ids:
        return out
    for source in unit_figure_sources():
        if (by == "staff" and not source.staff) or (flow_only and not any(f.flow for f in source.figures)):
            continue
        for key, figures in source.compute(ids, start, end, by=by).items():
            out.setdefault(key, {}).update(figures)
    return out


def with_ratios(figures: dict, defs: Iterable[UnitFigure]) -> dict:
    """Every figure of ``defs``: the summed ones as given (0 when absent), the ratios from their summed parts
    (``None`` where the denominator is 0: no share, not a zero share)."""
    out: dict = {}
    for f in defs:
        if f.ratio:
            num, den = figures.get(f.ratio[0], 0) or 0, figures.get(f.ratio[1], 0) or 0
            out[f.key] = round(num / den, 4) if den else None
        else:
            value = figures.get(f.key, 0) or 0
            out[f.key] = round(value, 2) if f.unit == "yuan" else value
    return out


# --- Extra figures of the center reports (R35): e.g. targets vs actual, campaigns — from apps that may not exist --

_REPORT_FIGURES: dict[str, tuple[str, Callable, int]] = {}


def register_report_figures(key: str, title, compute: Callable, *, order: int = 100) -> None:
    """A group of figures for the operating report: ``compute(unit, start, end) -> [{"key", "label", "value",
    "unit"}]`` (empty list: the group is left out). A targets app adds targets vs actual, a campaigns app its
    campaigns; the report shows whatever is registered."""
    _REPORT_FIGURES[key] = (title, compute, order)


def report_figure_groups(unit, start, end) -> list[dict]:
    out = []
    for _key, (title, compute, _order) in sorted(_REPORT_FIGURES.items(), key=lambda kv: (kv[1][2], kv[0])):
        items = list(compute(unit, start, end))
        if items:
            out.append({"title": str(title), "items": items})
    return out


# --- Agenda sources: what an upper-level meeting can pull onto its agenda from other apps (R15) ------------------

@dataclass(frozen=True)
class AgendaCandidate:
    """One item another app offers to a meeting's agenda: ``text`` is the agenda line (masked), ``url`` links back
    to the record it came from."""

    source: str
    object_id: int
    title: str
    text: str
    url: str


@dataclass(frozen=True)
class AgendaSource:
    """``candidates(user, unit) -> list[AgendaCandidate]`` lists what may be pulled onto a meeting held at ``unit``;
    ``resolve(user, unit, object_id) -> AgendaCandidate`` checks one pick (in the user's scope, eligible for the
    unit) and raises ``ValidationError`` with a clear message otherwise. The meetings app stores the link, so it
    never imports the app that owns the record."""

    key: str
    label: str
    candidates: Callable
    resolve: Callable
    order: int = 100


_AGENDA_SOURCES: dict[str, AgendaSource] = {}


def register_agenda_source(key: str, label, candidates: Callable, resolve: Callable, *, order: int = 100) -> None:
    _AGENDA_SOURCES[key] = AgendaSource(key, label, candidates, resolve, order)


def agenda_sources() -> list[AgendaSource]:
    return sorted(_AGENDA_SOURCES.values(), key=lambda s: (s.order, s.key))


def agenda_source(key: str) -> AgendaSource | None:
    return _AGENDA_SOURCES.get(key)
