"""Benchmark: every page of the navigation and every API list, for each persona, through gunicorn (issue 16).

    .venv/bin/python bench/pages.py --db wealthdesk_bench_pages [--seed small|medium|large] [--requests 30]
        [--personas cm_c1_1,head_c1,subbranch1_service,branch1_service,hq_service] [--workers 2 --threads 4]

Serves the given PostgreSQL database (127.0.0.1:5432, user postgres; ``--seed`` creates and fills it first with
``seed_demo``) with gunicorn as ``make run`` does, signs each persona in through the real login form (password,
then the demo second factor), reads the navigation from the home page and the API lists from the API root, and
requests each URL ``--warmup`` times and then ``--requests`` times, one at a time. It prints, per persona and
URL, p50 / p95 / max in milliseconds, the status and the number of SQL queries the request ran (the server runs
with ``WD_QUERY_COUNT_HEADER=1``, which adds ``X-Query-Count``). Nothing is timed in the tests; this script does.

After each persona a verdict line: how many of its URLs have p95 above ``--goal`` (150 ms, the issue's goal).
``--out NAME`` writes ``NAME.json`` and ``NAME.csv`` (every persona × URL: status, p50, p95, max, queries);
``--compare old.json`` prints each URL's before / after (p95, queries) next to the new figures and the totals.
``--compare old.json --report-only new.json`` compares two saved runs without measuring. ``--urls`` keeps only
the URLs containing one of the given comma-separated parts (a part ending in ``$`` must match the whole URL:
``/$`` is the home page alone); ``--url`` measures a server already running.
The server inherits the environment, e.g. ``WD_PG_JIT=on`` (PostgreSQL's JIT, docs/operations.md).
"""
from __future__ import annotations

import argparse
import binascii
import csv
import hashlib
import hmac
import json
import os
import re
import statistics
import struct
import subprocess
import sys
import time
import urllib.parse
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.request import HTTPCookieProcessor, Request, build_opener

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "WealthDesk-demo-2026"
DEMO_TOTP_KEY = os.environ.get("WD_DEMO_TOTP_KEY", "5765616c74684465736b2d64656d6f2d32303236")
NAV = re.compile(r'href="([^"#]+)"[^>]*data-nav="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def totp(key_hex: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 (what django-otp's TOTP device computes) for the demo secret."""
    counter = int((at or time.time()) // step)
    digest = hmac.new(binascii.unhexlify(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % (10 ** digits)
    return f"{code:0{digits}d}"


class Session:
    def __init__(self, base: str):
        self.base = base
        self.jar = CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.jar))

    def get(self, path: str):
        started = time.perf_counter()
        with self.opener.open(Request(self.base + path), timeout=120) as response:
            body = response.read()
            return (time.perf_counter() - started) * 1000, response.status, response.headers, body, response.url

    def post(self, path: str, data: dict):
        request = Request(self.base + path, data=urllib.parse.urlencode(data).encode(),
                          headers={"Referer": self.base + path})
        with self.opener.open(request, timeout=120) as response:
            return response.status, response.read().decode(errors="ignore"), response.url

    def login(self, username: str, attempts: int = 3) -> None:
        """Sign in; a code refused (another run on the same database used this 30-second step's code for the same
        persona: the server refuses a replay) is retried with the next step's code."""
        for attempt in range(attempts):
            try:
                return self._login(username)
            except SystemExit:
                if attempt == attempts - 1:
                    raise
                time.sleep(30 - time.time() % 30 + 1)

    def _login(self, username: str) -> None:
        self.jar.clear()
        _ms, _status, _h, body, _url = self.get("/accounts/login/")
        token = CSRF.search(body.decode()).group(1)
        _status, body, url = self.post("/accounts/login/", {"csrfmiddlewaretoken": token, "username": username,
                                                            "password": PASSWORD})
        if "/security/verify/" in url or "/security/enrol/" in url:
            path = urllib.parse.urlparse(url).path
            token = CSRF.search(body).group(1)
            _status, body, url = self.post(path, {"csrfmiddlewaretoken": token, "code": totp(DEMO_TOTP_KEY)})
        if "/accounts/login/" in url or "/security/" in url:
            raise SystemExit(f"could not sign in as {username} (ended on {url})")


def urls_for(session: Session) -> list[str]:
    _ms, _s, _h, body, _url = session.get("/")
    pages = sorted({href for href, _key in NAV.findall(body.decode())})
    try:
        _ms, status, _h, body, _url = session.get("/api/v1/")
        api = sorted(urllib.parse.urlparse(u).path for u in json.loads(body).values()) if status == 200 else []
    except Exception:
        api = []
    return pages + api


def measure(session: Session, url: str, warmup: int, requests: int) -> dict:
    times, status, queries = [], 0, ""
    for i in range(warmup + requests):
        try:
            ms, status, headers, _body, _u = session.get(url)
        except Exception as exc:
            status = getattr(exc, "code", 0)
            return {"url": url, "status": status, "p50": None, "p95": None, "max": None, "queries": ""}
        queries = headers.get("X-Query-Count", "")
        if i >= warmup:
            times.append(ms)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    return {"url": url, "status": status, "p50": statistics.median(times), "p95": p95, "max": times[-1],
            "queries": queries}


def fmt(value) -> str:
    return f"{value:8.0f}" if value is not None else f"{'—':>8}"


def serve(db_url: str, port: int, workers: int, threads: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": db_url, "WD_QUERY_COUNT_HEADER": "1", "DJANGO_SETTINGS_MODULE":
           "wealthdesk.config.settings.base"}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "wealthdesk.config.wsgi:application",
                               "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
                               "--timeout", "120"], cwd=ROOT, env=env)
    for _ in range(120):
        try:
            Session(f"http://127.0.0.1:{port}").get("/accounts/login/")
            return server
        except Exception:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not start")


FIELDS = ["persona", "url", "status", "p50", "p95", "max", "queries"]


def save(rows: list[dict], name: str, meta: dict) -> None:
    """``name.json`` (the rows and how they were measured) and ``name.csv`` (the rows)."""
    base = Path(name).with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)
    base.with_suffix(".json").write_text(json.dumps({"meta": meta, "rows": rows}, ensure_ascii=False, indent=1))
    with base.with_suffix(".csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows({k: row.get(k) for k in FIELDS} for row in rows)
    print(f"wrote {base.with_suffix('.json')} and {base.with_suffix('.csv')} ({len(rows)} rows)", flush=True)


def load_rows(name: str) -> list[dict]:
    data = json.loads(Path(name).read_text())
    return data["rows"] if isinstance(data, dict) else data


def over_goal(rows: list[dict], goal: float) -> list[dict]:
    return [r for r in rows if r["p95"] is not None and r["p95"] > goal]


def verdict(persona: str, rows: list[dict], goal: float) -> str:
    slow = over_goal(rows, goal)
    failed = [r for r in rows if r["status"] != 200]
    worst = max((r for r in rows if r["p95"] is not None), key=lambda r: r["p95"], default=None)
    text = (f"verdict {persona}: {len(slow)} of {len(rows)} URLs over {goal:g} ms (p95)"
            + (f", {len(failed)} not 200" if failed else ""))
    if worst is not None:
        text += f"; worst {worst['url']} {worst['p95']:.0f} ms"
    return text + (" — goal met" if not slow and not failed else " — goal NOT met")


def _num(value) -> str:
    return f"{value:,.0f}" if value is not None else "—"


def compare(old_rows: list[dict], new_rows: list[dict], goal: float) -> None:
    """Before / after per persona × URL (p95 and queries), the biggest changes first, and the totals."""
    old = {(r["persona"], r["url"]): r for r in old_rows}
    new = {(r["persona"], r["url"]): r for r in new_rows}
    keys = sorted(set(old) | set(new))

    def change(key):
        a, b = old.get(key, {}).get("p95"), new.get(key, {}).get("p95")
        return (b or 0) - (a or 0) if a is not None and b is not None else 0

    print(f"\n{'persona':<20} {'url':<44} {'p95 before':>10} {'p95 after':>10} {'change':>7} "
          f"{'q before':>8} {'q after':>7}")
    for key in sorted(keys, key=lambda k: change(k)):
        a, b = old.get(key, {}), new.get(key, {})
        pa, pb = a.get("p95"), b.get("p95")
        pct = f"{(pb - pa) / pa * 100:+.0f}%" if pa and pb is not None else ("new" if not a else "gone" if not b else "")
        print(f"{key[0]:<20} {key[1]:<44} {_num(pa):>10} {_num(pb):>10} {pct:>7} "
              f"{str(a.get('queries', '')):>8} {str(b.get('queries', '')):>7}")
    for label, rows in (("before", old_rows), ("after", new_rows)):
        print(f"{label}: {len(over_goal(rows, goal))} of {len(rows)} URLs over {goal:g} ms (p95)")
    both = [k for k in keys if k in old and k in new]
    better = sum(1 for k in both if change(k) < 0)
    print(f"{len(both)} URLs in both runs: {better} faster, {len(both) - better} not faster")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="wealthdesk_bench_pages")
    parser.add_argument("--seed", choices=["small", "medium", "large"], default="")
    parser.add_argument("--personas", default="cm_c1_1,lead_c1,head_c1,subbranch1_service,branch1_service,hq_service")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--url", default="", help="an already running server instead of starting gunicorn")
    parser.add_argument("--urls", default="", help="keep only the URLs containing one of these (comma-separated; '/$': exactly '/')")
    parser.add_argument("--goal", type=float, default=150.0, help="p95 goal in ms (the issue's: 150)")
    parser.add_argument("--out", default="", help="write OUT.json and OUT.csv")
    parser.add_argument("--compare", default="", help="a previous --out JSON to print before / after")
    parser.add_argument("--report-only", default="", help="with --compare: this saved JSON instead of measuring")
    args = parser.parse_args()
    if args.report_only:
        if not args.compare:
            raise SystemExit("--report-only needs --compare old.json")
        compare(load_rows(args.compare), load_rows(args.report_only), args.goal)
        return
    db_url = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    if args.seed:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", args.db], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", args.db], check=True)
        env = {**os.environ, "DATABASE_URL": db_url}
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([sys.executable, "manage.py", "seed_demo", "--size", args.seed], cwd=ROOT, env=env, check=True)
    server = None if args.url else serve(db_url, args.port, args.workers, args.threads)
    base = args.url.rstrip("/") or f"http://127.0.0.1:{args.port}"
    keep = [part for part in args.urls.split(",") if part]
    rows: list[dict] = []
    verdicts: list[str] = []
    meta = {"db": args.db, "url": base, "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
            "requests": args.requests, "warmup": args.warmup, "workers": args.workers, "threads": args.threads,
            "jit": os.environ.get("WD_PG_JIT", ""), "goal": args.goal}
    try:
        print(f"gunicorn --workers {args.workers} --threads {args.threads}; {args.requests} requests per URL "
              f"after {args.warmup} warm-up, one at a time; WD_PG_JIT={os.environ.get('WD_PG_JIT', '(default)')}")
        print(f"{'persona':<20} {'url':<44} {'status':>6} {'p50':>8} {'p95':>8} {'max':>8} {'queries':>7}")
        for persona in args.personas.split(","):
            session = Session(base)
            session.login(persona)
            mine = []
            for url in urls_for(session):
                if keep and not any(url == part[:-1] if part.endswith("$") else part in url for part in keep):
                    continue
                row = {"persona": persona, **measure(session, url, args.warmup, args.requests)}
                mine.append(row)
                print(f"{persona:<20} {url:<44} {row['status']:>6} {fmt(row['p50'])} {fmt(row['p95'])} "
                      f"{fmt(row['max'])} {row['queries']:>7}", flush=True)
            verdicts.append(verdict(persona, mine, args.goal))
            print(verdicts[-1], flush=True)
            rows.extend(mine)
            if args.out:  # after each persona: a run cut short keeps what it measured
                save(rows, args.out, meta)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    worst = sorted((r for r in rows if r["p95"] is not None), key=lambda r: -r["p95"])
    print("\nslowest p95:", ", ".join(f"{r['persona']} {r['url']} {r['p95']:.0f} ms" for r in worst[:10]))
    print("\n".join(verdicts))
    print(f"all: {len(over_goal(rows, args.goal))} of {len(rows)} URLs over {args.goal:g} ms (p95)")
    if args.compare:
        compare(load_rows(args.compare), rows, args.goal)


if __name__ == "__main__":
    main()
