"""Calendar benchmark: the public calendar (list, month, API) against a bare endpoint.

Starts gunicorn on a throw-away var directory loaded with the demo campaign (SQLite, or the
database in DATABASE_URL), then hits /healthz and each page with concurrent keep-alive clients
for a fixed time. Prints requests/s, p50 and p99 per endpoint and the ratio to /healthz measured
in the same run; the last line is one JSON object.
"""

import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
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


def hammer(path: str) -> dict:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + SECONDS

    def client():
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        mine, bad = [], 0
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Host": "localhost"})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except OSError:
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
                continue
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1) if latencies else None,
        "errors": errors,
    }


def main() -> int:
    var = Path(tempfile.mkdtemp(prefix="qm-bench-"))
    env = {
        **os.environ,
        "QM_VAR_DIR": str(var),
        "SECRET_KEY": secrets.token_urlsafe(40),
        "HTTPS": "0",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DEBUG": "0",
    }
    qm = str(BIN / "qualitymonth")
    for args in (
        ["migrate", "--no-input", "-v", "0"],
        ["collectstatic", "--no-input", "-v", "0"],
        ["seed-demo", "--quiet-accounts"],
    ):
        subprocess.run([qm, *args], env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "qualitymonth.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            WORKERS,
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        for path in ENDPOINTS.values():  # warm up: imports, jieba's dictionary, template caches
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            conn.request("GET", path, headers={"Host": "localhost"})
            conn.getresponse().read()
        results = {name: hammer(path) for name, path in ENDPOINTS.items()}
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
