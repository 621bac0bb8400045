"""Shortcuts for the reports tests: a report of each kind written and filled by the right persona."""
import datetime as dt

from django.utils import timezone

from wealthdesk.core.submission import previous_period_start
from wealthdesk.reports import services
from wealthdesk.reports.choices import ReportKindChoice as K
from wealthdesk.reports.kinds import SPECS


def last_period(kind: str) -> dt.date:
    return previous_period_start(SPECS[kind].period, timezone.localdate())


def monthly(world, who="cm_c1_1", text="本月客户资产稳定增长。"):
    report = services.report_create(actor=world.users[who], kind=K.MONTHLY, period=last_period(K.MONTHLY))
    if text:
        report = services.report_update(actor=world.users[who], report=report, version=report.version,
                                        body={"customers": text, "market": "市场利率下行。"})
    return report


def semiannual(world, *, approve=True, body="张伟（13812341234）把到期存款转投稳健理财，身份证110105198001010016。"):
    report = services.report_create(actor=world.cm_c1_1, kind=K.SEMIANNUAL, period=last_period(K.SEMIANNUAL),
                                    title="到期存款客户的理财转化", tier="core", product="稳健理财")
    if approve:
        report = services.topic_decide(actor=world.head_c1, report=report, approve=True, note="可以")
    report = services.report_update(actor=world.cm_c1_1, report=report, version=report.version,
                                    body={"analysis": body})
    return report


def center_report(world, kind=K.OPERATING, who="head_c1", text="运营平稳。"):
    report = services.report_create(actor=world.users[who], kind=kind, period=last_period(kind))
    first = SPECS[kind].sections[0][0]
    return services.report_update(actor=world.users[who], report=report, version=report.version, body={first: text})
