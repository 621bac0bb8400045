"""Benchmark: peak memory (RSS) of a 1,000,000-row balance load on PostgreSQL (issue 9, uploads that exhaust).

    .venv/bin/python bench/load_memory.py [--rows 1000000] [--keep]

Creates the throw-away database ``wealthdesk_bench_mem`` on 127.0.0.1:5432 (user postgres), N customers and a
balance CSV of N rows (as ``bench/load_balances.py``), then runs the load in a fresh subprocess twice — the
PostgreSQL COPY fast path, and the streaming Python path (what files with bad rows take) — and prints each
child's peak RSS (``resource.getrusage(RUSAGE_SELF).ru_maxrss``), its RSS before the load (Django set up, the
file's bytes read) and the difference: what the load itself costs on top of holding the upload.
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
sys.path.insert(0, str(ROOT / "bench"))
DB = os.environ.get("BENCH_DB", "wealthdesk_bench_mem")  # a helper may pass its own name
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"


def child(path: Path, python_path: bool) -> None:
    import load_balances as lb

    lb.URL = URL
    lb.setup_django()
    from wealthdesk.corebanking import services
    from wealthdesk.corebanking.importing import loaders
    from wealthdesk.staff.models import User

    if python_path:
        loaders.stage_balances_fast = lambda *a, **k: False  # force the row-by-row streaming path
    loader = User.objects.get(username="hq_service")
    data = path.read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    batch, _ = services.import_run(actor=loader, kind="balances", data=data, file_name=path.name, source="bench")
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"status": batch.status, "rows": batch.rows_loaded + batch.rows_skipped, "seconds": seconds,
                      "before_kb": before, "peak_kb": peak, "file_mb": len(data) / 1e6}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--child", choices=["fast", "python"])
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.child:
        child(Path(args.file), args.child == "python")
        return
    import load_balances as lb

    lb.DB, lb.URL = DB, URL
    lb.psql(f"DROP DATABASE IF EXISTS {DB}")
    lb.psql(f"CREATE DATABASE {DB}")
    lb.setup_django()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    lb.build(args.rows)
    path = Path(f"/tmp/{DB}_balances.csv")
    lb.write_file(path, args.rows)
    connections.close_all()
    print(f"{args.rows:,} rows, file {path.stat().st_size / 1e6:.1f} MB")
    for mode in ("fast", "python"):
        if mode == "python":  # a second load of the same rows: roll the first back so that it loads again
            lb.psql("DELETE FROM corebanking_dailybalance; UPDATE corebanking_importbatch SET status='rolled_back'", DB)
        out = subprocess.run([sys.executable, __file__, "--child", mode, "--file", str(path)], check=True,
                             capture_output=True, text=True, env={**os.environ, "DATABASE_URL": URL})
        result = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{mode:>6} path: {result['status']} {result['rows']:,} rows in {result['seconds']:.1f} s; "
              f"peak RSS {result['peak_kb'] / 1024:.0f} MB (before the load {result['before_kb'] / 1024:.0f} MB, "
              f"load adds {(result['peak_kb'] - result['before_kb']) / 1024:.0f} MB)")
    if not args.keep:
        lb.psql(f"DROP DATABASE IF EXISTS {DB}")
        path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
