"""4. Investment preference (R36): how customers' holdings split across deposits, wealth products, funds,
insurance, precious metals (and bonds and agency products), by tier — beside the answers customers gave in the
half-year's surveys (R21, read from the voice app's own figures)."""
from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Prefetch, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wealthdesk.corebanking.choices import ProductKind
from wealthdesk.voice.choices import SurveyQuestionKind
from wealthdesk.voice.models import Survey, SurveyQuestion, SurveyResponse
from wealthdesk.voice.selectors import question_figures

from .base import Context, Result, Table, money, pie_chart, series_chart, share, tier_key, tier_labels

ASSET_CLASSES = [
    ("deposits", gettext_lazy("存款"), (ProductKind.DEPOSIT_CURRENT, ProductKind.DEPOSIT_TIME)),
    ("wmp", gettext_lazy("理财产品"), (ProductKind.WMP,)),
    ("funds", gettext_lazy("基金"), (ProductKind.FUND,)),
    ("insurance", gettext_lazy("保险"), (ProductKind.INSURANCE,)),
    ("metals", gettext_lazy("贵金属"), (ProductKind.METAL,)),
    ("other", gettext_lazy("债券及代销产品"), (ProductKind.BOND, ProductKind.THIRD_PARTY)),
]
CLASS_OF = {kind: key for key, _label, kinds in ASSET_CLASSES for kind in kinds}


def compute(ctx: Context) -> Result:
    result = Result(kind="investment", as_of=ctx.as_of)
    held = ctx.holdings()
    found: dict[tuple[str, str], list] = defaultdict(lambda: [0.0, 0])
    for r in ctx.with_tier(held, "t", ctx.as_of, "customer__").values("t", "product__kind").annotate(
            amount=Sum("amount")).order_by():
        acc = found[(tier_key(r["t"]), CLASS_OF.get(r["product__kind"], "other"))]
        acc[0] += float(r["amount"] or 0)
    total = sum(v[0] for v in found.values())
    surveys = survey_tables(ctx)
    if not total and not surveys:
        result.empty = _("截至 %(d)s 该机构的客户没有持仓，本半年度也没有客户调研答卷。") % {"d": f"{ctx.as_of:%Y-%m-%d}"}
        return result
    by_class = {key: sum(v[0] for (t, c), v in found.items() if c == key) for key, _l, _k in ASSET_CLASSES}
    holders = dict(held.values("product__kind").annotate(h=Count("customer_id", distinct=True))
                   .values_list("product__kind", "h").order_by())
    table = Table("classes", _("资产配置"), [_("资产类别"), _("持有金额（元）"), _("占比"), _("持有客户数")])
    for key, label, kinds in ASSET_CLASSES:
        table.rows.append([str(label), money(by_class[key]), share(by_class[key], total),
                           sum(holders.get(k, 0) for k in kinds)])
    table.note = _("持有客户数按产品类型相加，同一客户持有同一类别的多种产品时可能重复计数。")
    tiers = Table("tiers", _("各级别客户的资产配置（占比）"), [_("客户级别"), *[str(lbl) for _k, lbl, _x in ASSET_CLASSES],
                                                               _("持有金额（元）")],
                  share_columns=tuple(range(1, 1 + len(ASSET_CLASSES))))
    for tkey, tlabel in tier_labels():
        row_total = sum(found[(tkey, c)][0] for c, _l, _k in ASSET_CLASSES if (tkey, c) in found)
        tiers.rows.append([tlabel, *[share(found[(tkey, c)][0] if (tkey, c) in found else 0, row_total)
                                     for c, _l, _k in ASSET_CLASSES], money(row_total)])
    result.figures = [("holdings_amount", _("持有金额（元）"), money(total)),
                      ("responses", _("本期调研答卷数"), _responses_qs(ctx).count())]
    result.tables += [table, tiers, *surveys]
    result.charts = {
        "classes": pie_chart(_("资产配置"), [(r[0], r[1]) for r in table.rows]),
        "tiers": series_chart(_("各级别客户的资产配置（%）"), [r[0] for r in tiers.rows],
                              {str(lbl): [round(100 * r[i + 1], 2) for r in tiers.rows]
                               for i, (_k, lbl, _x) in enumerate(ASSET_CLASSES)}),
    }
    return result


def _responses_qs(ctx: Context):
    return SurveyResponse.objects.visible_to(ctx.user).filter(
        center__path__startswith=ctx.unit.path, responded_on__gte=ctx.period.start, responded_on__lte=ctx.period.end)


def survey_tables(ctx: Context) -> list[Table]:
    """One table per choice/scale question of every survey answered in the unit's subtree in the half-year,
    counted with the voice app's own ``question_figures`` (R21)."""
    by_survey: dict[int, list[dict]] = defaultdict(list)
    for survey_id, answers in _responses_qs(ctx).values_list("survey_id", "answers").iterator(chunk_size=2000):
        by_survey[survey_id].append(answers)
    if not by_survey:
        return []
    tables = []
    surveys = Survey.objects.filter(pk__in=by_survey).prefetch_related(
        Prefetch("questions", queryset=SurveyQuestion.objects.order_by("position", "id"))).order_by("id")
    for survey in surveys:
        answers = by_survey[survey.pk]
        for question in survey.questions.all():
            if question.kind == SurveyQuestionKind.TEXT:
                continue
            fig = question_figures(question, answers)
            answered = fig["answered"]
            table = Table(f"survey-{question.pk}", f"{survey.title} · {question.text}",
                          [_("答案"), _("人次"), _("占答题人数")])
            for option, n in fig["counts"].items():
                label = _("%(n)s分") % {"n": option} if question.kind == SurveyQuestionKind.SCALE else option
                table.rows.append([label, n, share(n, answered)])
            table.note = _("答卷 %(r)s 份，本题作答 %(a)s 人。") % {"r": len(answers), "a": answered}
            tables.append(table)
    return tables
