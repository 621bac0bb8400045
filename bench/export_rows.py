"""Benchmark: the export mechanism (core.exports) writes N rows of a 14-column handbook sheet in constant memory.

    .venv/bin/python bench/export_rows.py [--rows 200000] [--format xlsx|csv]

Runs the writer (spool + openpyxl write-only, or csv) on generated rows shaped like the contact record export
(text with formula-like values mixed in, dates, decimals) in a child process per size, and prints rows/s,
the file size and the peak resident memory of each child — peak memory must not grow with the row count.
No database is needed (the audit row is the caller's one INSERT and is not timed here).
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(rows: int, fmt: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wealthdesk.config.settings.test")
    import datetime as dt
    import tempfile
    from decimal import Decimal

    import django

    django.setup()
    from wealthdesk.core import exports

    headers = ["序号", "联系时间", "客户姓名", "客户号", "客户级别", "手机号", "联系方式", "地点", "目的", "内容",
               "客户反馈", "下一步", "金额（元）", "客户经理"]
    start = dt.datetime(2026, 1, 1, 9, 0)

    def gen():
        for i in range(rows):
            yield [i + 1, start + dt.timedelta(minutes=i), "张伟", f"C{i:09d}", "核心优质", "138****1234", "电话",
                   "理财室", "=回访" if i % 50 == 0 else "回访", f"客户关心基金净值 第{i}次", "满意", "", Decimal("1234.50"),
                   "王经理"]

    t0 = time.perf_counter()
    spool = exports._Spool(headers)
    spool.feed(gen())
    with tempfile.TemporaryFile() as out:
        if fmt == "xlsx":
            exports._write_xlsx(out, spool=spool, title="《会面/电话/邮寄客户维护记录表》", sheet_title="表", unit="总行",
                                period="全部", headers=headers, watermark="导出人：bench", footer="")
        else:
            exports._write_csv(out, spool=spool, title="《表》", headers=headers, watermark="导出人：bench", footer="")
        size = out.tell()
    spool.close()
    elapsed = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "format": fmt, "seconds": round(elapsed, 1), "rows_per_s": int(rows / elapsed),
                      "file_mb": round(size / 2**20, 1), "peak_rss_mb": round(peak_mb, 1)}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--format", default="xlsx", choices=["xlsx", "csv"])
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.rows, args.format)
        return
    for n in (args.rows // 10, args.rows):
        subprocess.run([sys.executable, __file__, "--child", "--rows", str(n), "--format", args.format], check=True)


if __name__ == "__main__":
    main()
