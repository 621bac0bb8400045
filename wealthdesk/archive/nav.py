"""Plug the archive into the navigation, the head and workbench pages and the parameters (core.registry)."""
from django.utils.translation import gettext_lazy as _

from wealthdesk.core.params import register_defaults
from wealthdesk.core.registry import register_nav, register_panel

from . import panels
from .roles import CUSTODY_WATCHERS, METADATA_READERS, PAPER_READERS

register_defaults({
    "archive.max_upload_bytes": (10 * 1024 * 1024, "客户档案上传文件大小上限（字节）"),
    "archive.departure_days": (90, "客户经理离职或客户移交后N天内，列出其未归档资料的客户（天）"),
    "archive.max_loan_days": (30, "纸质档案单次借阅的最长期限（自然日）"),
})

register_nav("archive", _("客户档案"), "archive:document-list", roles=METADATA_READERS, order=60, icon="archive")
register_nav("archive.paper", _("纸质档案"), "archive:paper-list", roles=PAPER_READERS, order=61, icon="folder2")
register_nav("archive.departures", _("离职移交未归档"), "archive:departures", roles=CUSTODY_WATCHERS, order=62,
             icon="person-x")
register_panel("archive.custody", _("纸质档案借出与逾期"), "archive/panels/custody.html", panels.custody_panel,
               page="head", roles=CUSTODY_WATCHERS, order=60)
register_panel("archive.custody.keeper", _("纸质档案借出与逾期"), "archive/panels/custody.html",
               panels.custody_panel, page="home", roles=["archive_keeper"], order=60)
register_panel("archive.customer", _("客户档案"), "archive/panels/customer.html", panels.customer_panel,
               page="customer", roles=METADATA_READERS, order=60)
