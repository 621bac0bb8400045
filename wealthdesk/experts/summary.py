"""The masked case summary (R4): what an expert needs to know about the customer and nothing that identifies them —
tier, AUM band, age band, risk level and the kinds of product held. Never the name, ID, mobile, CIF or exact AUM."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from wealthdesk.core.masking import mask_text

# Lower bounds in yuan with their labels; the last band is open-ended.
AUM_BANDS = [(Decimal("0"), "20万元以下"), (Decimal("200000"), "20万–50万元"), (Decimal("500000"), "50万–100万元"),
             (Decimal("1000000"), "100万–300万元"), (Decimal("3000000"), "300万–600万元"),
             (Decimal("6000000"), "600万–1000万元"), (Decimal("10000000"), "1000万元以上")]
AGE_BANDS = [(0, "30岁以下"), (30, "30–39岁"), (40, "40–49岁"), (50, "50–59岁"), (60, "60岁及以上")]


def _band(value, bands) -> str:
    label = bands[0][1]
    for low, name in bands:
        if value >= low:
            label = name
    return label


def aum_band(aum) -> str:
    return _band(Decimal(aum or 0), AUM_BANDS)


def age_band(birth_date, today: dt.date) -> str:
    if birth_date is None:
        return ""
    age = today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
    return _band(age, AGE_BANDS)


def build_summary(customer, today: dt.date) -> dict:
    """The summary stored on the consultation (codes and bands; labels are shown in the reader's language)."""
    from wealthdesk.corebanking.models import Holding

    kinds = sorted(set(Holding.objects.filter(customer=customer, amount__gt=0)
                       .values_list("product__kind", flat=True)))
    return {"tier": customer.tier, "aum_band": aum_band(customer.aum), "age_band": age_band(customer.birth_date, today),
            "risk_level": customer.risk_level or "", "product_kinds": kinds}


def summary_lines(summary: dict) -> list[tuple[str, str]]:
    """(label, value) rows for a page, translated."""
    from wealthdesk.corebanking.choices import ProductKind
    from wealthdesk.customers.choices import RiskLevel, Tier

    tier = summary.get("tier", "")
    risk = summary.get("risk_level", "")
    kinds = [str(ProductKind(k).label) for k in summary.get("product_kinds", []) if k in ProductKind.values]
    return [
        (_("客户级别"), str(Tier(tier).label) if tier in Tier.values else "—"),
        (_("资产规模区间"), _(summary.get("aum_band") or "—")),
        (_("年龄段"), _(summary.get("age_band") or "—")),
        (_("风险承受能力"), str(RiskLevel(risk).label) if risk in RiskLevel.values else _("未评估")),
        (_("持有产品类型"), "、".join(kinds) if kinds else _("仅存款或无持仓")),
    ]


def anonymise(text: str, customer) -> str:
    """Free text written by the client manager, as stored for the expert: the customer's name and CIF number
    replaced, ID numbers, mobiles and card numbers masked."""
    text = (text or "").replace(customer.name, _("该客户")) if customer.name else (text or "")
    if customer.cif_no:
        text = text.replace(customer.cif_no, "***")
    return mask_text(text)
