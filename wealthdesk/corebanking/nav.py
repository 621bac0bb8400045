from django.utils.translation import gettext_lazy as _

from wealthdesk.core.registry import register_metric, register_nav, register_note, register_panel
from wealthdesk.core.roles import NO_BALANCES, ROLE_REACH, Role

from . import metric_records, metrics, panels, services

register_nav("corebanking.imports", _("数据导入"), "corebanking:imports", roles=list(services.BATCH_VIEWERS),
             order=80, icon="upload")
register_panel("corebanking.holdings", _("持仓与资产走势"), "corebanking/panels/holdings.html",
               panels.holdings_panel, page="customer", roles=[r for r in ROLE_REACH if r not in NO_BALANCES], order=20)
register_metric("sales_amount", _("产品销售额"), metrics.sales_amount, unit="yuan",
                records=metric_records.sales_records, windows=metrics.sales_amount_windows)
register_panel("corebanking.keeper", _("档案录入"), "corebanking/panels/keeper.html", lambda request: {},
               roles=[Role.ARCHIVE_KEEPER], order=1)

for _key, _label, _kinds in metrics.SALES_BY_KIND:
    register_metric(_key, _label, metrics.sales_of(_kinds), unit="yuan", records=metric_records.sales_records_of(_kinds),
                    windows=metrics.sales_windows_of(_kinds))
register_metric("aum_change", _("管户资产变动"), metrics.aum_change, unit="yuan", records=metric_records.aum_records,
                windows=metrics.aum_change_windows)
register_note("products_sold", metrics.products_sold)
