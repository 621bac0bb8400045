"""Demo: every demo account is pre-enrolled with the shown demo secret (``WD_DEMO_TOTP_KEY``, development and demo
settings only; production sets it to None), so a newcomer signs in with one authenticator entry or with
``manage.py demo_totp``. A few accounts stay unenrolled to show the first-login enrolment (``ENROL_ON_FIRST``)."""
from django.contrib.auth import get_user_model

from wealthdesk.core.seeding import SeedContext

from .twofactor import demo_enrol

ENROL_ON_FIRST = {"cm_c1_5"}


def seed(ctx: SeedContext) -> None:
    users = list(get_user_model().objects.exclude(username__in=ENROL_ON_FIRST).only("id"))
    made = demo_enrol(users)
    ctx.log(f"security: {made} demo accounts pre-enrolled with the demo authenticator secret")
    seed_alerts(ctx)


def seed_alerts(ctx: SeedContext) -> None:
    """A head-office security officer (``security_officer``) and a few alerts so the demo shows the page."""
    import datetime as dt

    from django.contrib.auth.hashers import make_password

    from wealthdesk.core.roles import Role
    from wealthdesk.core.seeding import DEMO_PASSWORD
    from wealthdesk.orgs.models import OrgUnit
    from wealthdesk.staff.models import StaffRole

    from .choices import AlertKind, AlertStatus
    from .models import SecurityAlert

    User = get_user_model()
    hq = OrgUnit.objects.filter(code="HO").first()
    if hq is None:
        return
    officer, created = User.objects.get_or_create(
        username="security_officer",
        defaults={"full_name": "安全管理员", "unit": hq, "password": make_password(DEMO_PASSWORD),
                  "employee_no": "E900001"})
    if created:
        StaffRole.objects.create(user=officer, role=Role.SECURITY_OFFICER)
        demo_enrol([officer])
    if SecurityAlert.objects.exists():
        return
    cm = User.objects.filter(username="cm_c1_1").select_related("unit").first()
    day = ctx.today - dt.timedelta(days=1)
    rows = [SecurityAlert(kind=AlertKind.FAILED_LOGINS, username="head_c2", unit=hq, day=day, count=6, threshold=5,
                          detail={"addresses": [f"10.20.0.{i}" for i in range(1, 7)]})]
    if cm is not None:
        rows += [
            SecurityAlert(kind=AlertKind.MANY_CUSTOMERS, user=cm, username=cm.username, unit=cm.unit, day=day,
                          count=236, threshold=200),
            SecurityAlert(kind=AlertKind.OFF_HOURS_EXPORT, user=cm, username=cm.username, unit=cm.unit,
                          day=day - dt.timedelta(days=1), count=2, threshold=0, status=AlertStatus.CLOSED,
                          note="客户经理加班准备客户沙龙名单，已核实。",
                          detail={"times": ["21:14", "21:40"], "working_day": True, "hours": "08:00-19:00"}),
        ]
    SecurityAlert.objects.bulk_create(rows)
