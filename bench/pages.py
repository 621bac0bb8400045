"""Benchmark: every page of the navigation and every API list, for each persona, through gunicorn (issue 16).

    .venv/bin/python bench/pages.py --db wealthdesk_bench_pages [--seed small|medium|large] [--requests 30]
        [--personas cm_c1_1,head_c1,subbranch1_service,branch1_service,hq_service] [--workers 2 --threads 4]
        [--urls /compliance/,/api/v1/compliance/,...]  (only these URLs for every persona; default: the navigation)

Serves the given PostgreSQL database (127.0.0.1:5432, user postgres; ``--seed`` creates and fills it first with
``seed_demo``) with gunicorn as ``make run`` does, signs each persona in through the real login form (password,
then the demo second factor), reads the navigation from the home page and the API lists from the API root, and
requests each URL ``--warmup`` times and then ``--requests`` times, one at a time. It prints, per persona and
URL, p50 / p95 / max in milliseconds, the status and the number of SQL queries the request ran (the server runs
with ``WD_QUERY_COUNT_HEADER=1``, which adds ``X-Query-Count``). Nothing is timed in the tests; this script does.
"""
from __future__ import annotations

import argparse
import binascii
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

    def login(self, username: str) -> None:
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
    parser.add_argument("--urls", default="", help="comma-separated paths instead of the navigation and API root")
    args = parser.parse_args()
    db_url = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    if args.seed:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", args.db], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", args.db], check=True)
        env = {**os.environ, "DATABASE_URL": db_url}
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([sys.executable, "manage.py", "seed_demo", "--size", args.seed], cwd=ROOT, env=env, check=True)
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", args.db, "-qc", "ANALYZE"], check=True)
    server = serve(db_url, args.port, args.workers, args.threads)
    try:
        print(f"gunicorn --workers {args.workers} --threads {args.threads}; {args.requests} requests per URL "
              f"after {args.warmup} warm-up, one at a time")
        print(f"{'persona':<20} {'url':<44} {'status':>6} {'p50':>8} {'p95':>8} {'max':>8} {'queries':>7}")
        worst = []
        for persona in args.personas.split(","):
            session = Session(f"http://127.0.0.1:{args.port}")
            session.login(persona)
            for url in (args.urls.split(",") if args.urls else urls_for(session)):
                row = measure(session, url, args.warmup, args.requests)
                print(f"{persona:<20} {url:<44} {row['status']:>6} {fmt(row['p50'])} {fmt(row['p95'])} "
                      f"{fmt(row['max'])} {row['queries']:>7}", flush=True)
                if row["p95"] is not None:
                    worst.append((row["p95"], persona, url))
        worst.sort(reverse=True)
        print("\nslowest p95:", ", ".join(f"{p} {u} {ms:.0f} ms" for ms, p, u in worst[:10]))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
