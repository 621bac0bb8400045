"""The customer-page panel: the customer's holdings (maturities flagged) and the last 90 days of AUM (ECharts)."""
import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from wealthdesk.core.params import get_param

from . import selectors


def holdings_panel(request):
    customer = getattr(request, "wd_customer", None)
    if customer is None:
        return None
    user = request.user
    today = timezone.localdate()
    window_end = today + datetime.timedelta(days=int(get_param("maturity.window_days")))
    holdings = list(selectors.holding_list(user, customer_id=customer.pk).order_by("maturity_date", "id")[:50])
    for h in holdings:
        h.maturing = bool(h.maturity_date and today <= h.maturity_date <= window_end)
    trend = selectors.aum_trend(user, customer, days=90)
    chart_id = f"chart-aum-{customer.pk}"
    chart = {
        "grid": {"left": 70, "right": 16, "top": 16, "bottom": 28},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": [d.isoformat() for d, _a in trend]},
        "yAxis": {"type": "value", "name": _("元")},
        "series": [{"type": "line", "name": _("资产余额"), "showSymbol": False, "areaStyle": {},
                    "data": [round(a, 2) for _d, a in trend]}],
    }
    return {"holdings": holdings, "trend": bool(trend), "chart": chart, "chart_id": chart_id,
            "customer_id": customer.pk}
