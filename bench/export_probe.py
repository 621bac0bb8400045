"""Benchmark: what the approval of a large customer-data export (issue 15) adds to the export mechanism.

    .venv/bin/python bench/export_probe.py [--rows 100000]

An export request is checked by replaying the export inside ``core.exports.probe_export()``: the rows are read
and spooled (to count them) and no file is written. This times that probe against the full xlsx export of the
same generated rows (the contact record sheet's 14 columns), so the extra cost of asking (the request form shows
the probe, the submit probes again) is known relative to the export itself. No database: the rows are generated
(the database read is the same in both and is the export's own cost).
"""
import argparse
import datetime as dt
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wealthdesk.config.settings.test")
    import django

    django.setup()
    from types import SimpleNamespace

    from django.db import connection
    from django.test.utils import setup_test_environment

    from wealthdesk.core import exports

    setup_test_environment()
    headers = ["序号", "联系时间", "客户姓名", "客户号", "客户级别", "手机号", "联系方式", "地点", "目的", "内容",
               "客户反馈", "下一步", "金额（元）", "客户经理"]
    start = dt.datetime(2026, 1, 1, 9, 0)

    def gen():
        for i in range(args.rows):
            yield [i + 1, start + dt.timedelta(minutes=i), "张伟", f"C{i:09d}", "核心优质", "138****1234", "电话",
                   "理财室", "回访", f"客户关心基金净值 第{i}次", "满意", "", Decimal("1234.50"), "王经理"]

    user = SimpleNamespace(unit_id=None, full_name="bench", get_username=lambda: "bench")
    t0 = time.perf_counter()
    with exports.probe_export():
        try:
            exports.export_response(user=user, title="《表》", headers=headers, rows=gen(), filename="b.xlsx",
                                    unit="总行", customer_data=True)
        except exports.ExportProbed as found:
            probed = found.rows
    probe_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    spool = exports._Spool(headers)
    spool.feed(gen())
    import tempfile

    with tempfile.TemporaryFile() as out:
        exports._write_xlsx(out, spool=spool, title="《表》", sheet_title="表", unit="总行", period="全部",
                            headers=headers, watermark="导出人：bench", footer="", export_id="0" * 32)
    spool.close()
    full_s = time.perf_counter() - t0
    print(f"rows={probed} probe={probe_s:.2f}s full_xlsx={full_s:.2f}s probe/full={probe_s / full_s:.2f}"
          f" ({connection.vendor})")


if __name__ == "__main__":
    main()
