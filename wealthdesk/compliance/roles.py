"""Who opens the compliance monitor: the center head (what to do today) and the upper levels' service staff
(which branches and centers comply least); the business supervisor and the auditor read it."""
from wealthdesk.core.roles import Role

MONITOR_ROLES = frozenset({Role.CENTER_HEAD, Role.BUSINESS_SUPERVISOR, Role.SUBBRANCH_SERVICE, Role.BRANCH_SERVICE,
                           Role.HQ_SERVICE, Role.AUDITOR})
