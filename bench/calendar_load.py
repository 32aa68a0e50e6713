"""Calendar benchmark: the public calendar (list, month, API) against a bare endpoint.

Starts gunicorn on a throw-away var directory loaded with the demo campaign (SQLite, or the
database in DATABASE_URL), then hits /healthz and each page with concurrent keep-alive clients
for a fixed time. Prints requests/s, p50 and p99 per endpoint and the ratio to /healthz measured
in the same run; the last line is one JSON object.
"""

import http.client
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import hammer, manage, server_env, start_gunicorn

PORT = int(os.environ.get("BENCH_PORT", "8765"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "6"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
ENDPOINTS = {
    "bare": "/healthz",
    "calendar_list": "/calendar/",
    "calendar_month": "/calendar/?view=month",
    "calendar_search": "/calendar/?q=%E8%AE%A1%E9%87%8F",
    "api_activities": "/api/activities",
}


def get(path: str):
    return lambda _client: ("GET", path, None)


def main() -> int:
    var = Path(tempfile.mkdtemp(prefix="qm-bench-"))
    env = server_env(var)
    for args in (
        ["migrate", "--no-input", "-v", "0"],
        ["collectstatic", "--no-input", "-v", "0"],
        ["seed-demo", "--quiet-accounts"],
    ):
        manage(env, *args)
    server = start_gunicorn(env, PORT, WORKERS)
    try:
        for path in ENDPOINTS.values():  # warm up: imports, jieba's dictionary, template caches
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            conn.request("GET", path, headers={"Host": "localhost"})
            conn.getresponse().read()
        results = {
            name: hammer(PORT, get(path), seconds=SECONDS, clients=CLIENTS)
            for name, path in ENDPOINTS.items()
        }
    finally:
        server.terminate()
        server.wait(10)
    bare = results["bare"]["rps"] or 1
    db = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    print(
        f"gunicorn workers={WORKERS}, clients={CLIENTS}, {SECONDS:.0f}s per endpoint, database={db}"
    )
    print(f"{'endpoint':<18}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'ratio':>8}")
    summary = {"database": db}
    for name, r in results.items():
        ratio = round(r["rps"] / bare, 3)
        print(f"{name:<18}{r['rps']:>9}{r['p50_ms']:>9}{r['p99_ms']:>9}{r['errors']:>8}{ratio:>8}")
        summary[f"{name}_rps"] = r["rps"]
        summary[f"{name}_ratio"] = ratio
        summary[f"{name}_p99_ms"] = r["p99_ms"]
    summary["errors"] = sum(r["errors"] for r in results.values())
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
