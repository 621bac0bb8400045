"""PostgreSQL session settings chosen in the environment, applied through libpq's ``options`` (``-c name=value``)
on every connection Django opens. Read by the settings, so no Django imports here.

``WD_PG_JIT`` (``on`` | ``off``, default ``off``): PostgreSQL's JIT compiles the expressions of a query whose
estimated cost is above ``jit_above_cost``; on this system's big list and roll-up queries that costs tens to
hundreds of milliseconds of compilation per query for no gain (figures: bench/README.md, "Issue 16, large
data"; decision: docs/operations.md, "PostgreSQL tuning").
"""
from django.core.exceptions import ImproperlyConfigured

JIT_DEFAULT = "off"
_JIT_WORDS = {"on": "on", "true": "on", "1": "on", "yes": "on", "off": "off", "false": "off", "0": "off", "no": "off"}


def parse_jit(raw: str | None) -> str:
    """``WD_PG_JIT``'s value → ``"on"`` or ``"off"``; unset or empty → the default; anything else is refused
    at start-up with the variable, the value and what it accepts (a typo must not silently pick one)."""
    value = (raw or "").strip().lower()
    if not value:
        return JIT_DEFAULT
    if value not in _JIT_WORDS:
        raise ImproperlyConfigured(
            f"环境变量 WD_PG_JIT 的值“{raw}”无效：只能是 on 或 off（WD_PG_JIT must be on or off, got {raw!r}）")
    return _JIT_WORDS[value]


def add_session_setting(database: dict, name: str, value: str) -> None:
    """Append ``-c name=value`` to a PostgreSQL database's libpq ``options`` (kept: what the URL or other
    settings put there); other engines are left alone."""
    if not database.get("ENGINE", "").endswith("postgresql"):
        return
    options = database.setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c {name}={value}".strip()
