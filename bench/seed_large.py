"""Benchmark: `seed_demo --size large` (about 1,000,000 customers) on PostgreSQL, in a throw-away database.

    .venv/bin/python bench/seed_large.py [--size large] [--keep]

Creates database ``wealthdesk_bench_seed`` on 127.0.0.1:5432 (user postgres), migrates it, runs the seed
and prints the wall time in total and per app (the issue's target: under 10 minutes on 2 cores).
"""
import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = "wealthdesk_bench_seed"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="large")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    env = {**os.environ, "DATABASE_URL": URL}
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    started = time.perf_counter()
    subprocess.run([python, "manage.py", "seed_demo", "--size", args.size], cwd=ROOT, env=env, check=True)
    elapsed = time.perf_counter() - started
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-Atc",
                          "select count(*) from customers_customer"], capture_output=True, text=True, check=True)
    print(f"seed_demo --size {args.size}: {elapsed:.1f} s wall, {int(out.stdout):,} customers")
    if not args.keep:
        psql(f"DROP DATABASE {DB}")


if __name__ == "__main__":
    main()
