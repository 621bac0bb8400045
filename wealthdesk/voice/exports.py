"""Rows of the monthly reports for the page tables and the Excel exports (handbook layout)."""
from __future__ import annotations

from django.utils.translation import gettext as _

from .choices import AnswerRoute, NeedCategory, ServicePosition, SurveyQuestionKind


def category_rows(figures: dict) -> list[tuple[str, int]]:
    by_cat = figures.get("by_category", {})
    return [(str(label), by_cat.get(value, 0)) for value, label in NeedCategory.choices]


def route_rows(figures: dict) -> list[tuple[str, int]]:
    by_route = figures.get("by_route", {})
    return [(str(label), by_route.get(value, 0)) for value, label in AnswerRoute.choices if value in by_route]


def opinion_product_rows(figures: dict) -> list[tuple[str, int]]:
    """R23: opinion-book entries by product line (unclassified last)."""
    by_product = (figures.get("opinions") or {}).get("by_product", {})
    rows = [(str(label), by_product.get(value, 0)) for value, label in NeedCategory.choices]
    return rows + [(_("未注明"), by_product.get("", 0))]


def opinion_position_rows(figures: dict) -> list[tuple[str, dict]]:
    """R23: service quality by position — entries, complaints, praise and the average rating per counter/role."""
    by_position = (figures.get("opinions") or {}).get("by_position", {})
    empty = {"n": 0, "complaints": 0, "praise": 0, "rated": 0, "avg_rating": None}
    rows = [(str(label), by_position.get(value, empty)) for value, label in ServicePosition.choices]
    return rows + [(_("未注明"), by_position.get("", empty))]


def needs_summary_rows(report) -> tuple[list[str], list[list]]:
    f = report.figures
    q = f.get("questions", {})
    rate = q.get("in_time_rate")
    rows = [[_("需求卡"), _("需求卡份数"), f.get("cards", 0)], [_("需求卡"), _("涉及客户数"), f.get("customers", 0)]]
    rows += [[_("需求类别"), label, n] for label, n in category_rows(f)]
    rows += [
        [_("客户问题"), _("提问数"), q.get("asked", 0)],
        [_("客户问题"), _("当场答复"), q.get("on_spot", 0)],
        [_("客户问题"), _("转交答复"), q.get("routed", 0)],
        [_("客户问题"), _("按时答复"), q.get("in_time", 0)],
        [_("客户问题"), _("超时答复"), q.get("late", 0)],
        [_("客户问题"), _("尚未答复"), q.get("open", 0)],
        [_("客户问题"), _("已逾期"), q.get("overdue", 0)],
        [_("客户问题"), _("按时答复率"), f"{rate * 100:.1f}%" if rate is not None else "—"],
    ]
    rows += [[_("转交去向"), label, n] for label, n in route_rows(f)]
    rows += [[_("意见簿（按业务）"), label, n] for label, n in opinion_product_rows(f)]
    for label, p in opinion_position_rows(f):
        avg = "—" if p.get("avg_rating") is None else p["avg_rating"]
        rows.append([_("意见簿（按岗位）"), label, _("留言%(n)s条，投诉%(c)s，表扬%(p)s，平均评分%(a)s") % {
            "n": p["n"], "c": p["complaints"], "p": p["praise"], "a": avg}])
    rows += [[_("负责人意见"), _("需求分析"), report.commentary], [_("负责人意见"), _("营销建议"), report.marketing_advice],
             [_("负责人意见"), _("产品配置建议"), report.product_advice]]
    return [_("项目"), _("明细"), _("数值")], rows


def survey_report_rows(report) -> tuple[list[str], list[list]]:
    rows = []
    for survey in report.figures.get("surveys", []):
        for q in survey["questions"]:
            label = f"{q['position']}. {q['text']}"
            kind = str(SurveyQuestionKind(q["kind"]).label)
            if q["kind"] == SurveyQuestionKind.TEXT:
                rows.append([survey["title"], label, kind, _("作答人数"), q["answered"], ""])
                continue
            answered = q["answered"] or 0
            for option, n in q["counts"].items():
                share = f"{n / answered * 100:.1f}%" if answered else "—"
                rows.append([survey["title"], label, kind, option, n, share])
            if q.get("average") is not None:
                rows.append([survey["title"], label, kind, _("平均分"), q["average"], ""])
    rows.append([_("分析意见"), report.analysis, "", "", "", ""])
    return [_("调研主题"), _("题目"), _("题型"), _("选项/分值"), _("人数"), _("占比")], rows


def footer(report) -> str:
    if report.submitted_at:
        who = report.submitted_by.full_name or report.submitted_by.username if report.submitted_by else ""
        return _("已上报：%(who)s") % {"who": who}
    return _("草稿，尚未上报")
