"""Overload (`make bench-overload`): more than the cluster can take, and the excess refused fast.

On its own cluster (bench/benchlib.Cluster: nginx, two app nodes, PostgreSQL, Redis) it
1. measures a bare endpoint (/healthz) and the capacity on the burst endpoints — quiz answers
   and contest votes, two to one — with a closed loop of clients (each sends its next request
   when the last is answered): capacity_rps is what the cluster completes per second;
2. offers 1.5 × that as an open loop (requests on a fixed schedule, whether or not earlier ones
   were answered): nginx admits at most CLUSTER_ADMIT requests at once and refuses the rest at
   once with 503 and Retry-After, so the admitted keep their latency.
The last line is one JSON object: capacity_rps, offered_rps, admitted_rps, shed_fraction,
admitted_p99_ms, errors_5xx (5xx answers that were not a refusal with Retry-After).

Everything shares this machine's cores with the load generator, so the figures are this
machine's; the ratios are what carries over.
"""

import http.client
import json
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import Cluster, pg_admin
from faults import fixtures, start_attempts

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
PORT = int(os.environ.get("OVERLOAD_PORT", "8280"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
CLOSED_CLIENTS = int(os.environ.get("OVERLOAD_CLIENTS", "24"))
FACTOR = float(os.environ.get("OVERLOAD_FACTOR", "1.5"))
THREADS = int(os.environ.get("OVERLOAD_THREADS", "160"))
ATTEMPTS = int(os.environ.get("OVERLOAD_ATTEMPTS", "1500"))
CSRF = "overloadcsrftoken0123456789abcde"


class Requests:
    """The mix: two quiz answers for every vote; every vote a (voter, entry) pair not used yet."""

    def __init__(self, attempts, pairs):
        self.lock = threading.Lock()
        self.attempts = attempts
        self.pairs = iter(pairs)
        self.n = 0

    def next(self):
        with self.lock:
            self.n += 1
            n = self.n
            pair = next(self.pairs, None) if n % 3 == 0 else None
        if pair is not None:
            (_user, session), entry = pair
            headers = {
                "Cookie": f"sessionid={session}; csrftoken={CSRF}",
                "X-CSRFToken": CSRF,
                "Origin": f"http://127.0.0.1:{PORT}",
                "Referer": f"http://127.0.0.1:{PORT}/contest/",
            }
            return "POST", f"/api/contest-entries/{entry}/vote", b"", headers
        token, questions = self.attempts[n % len(self.attempts)]
        question = questions[(n // len(self.attempts)) % len(questions)]
        body = json.dumps({"question_id": question, "choices": [0]}).encode()
        return "POST", f"/api/quiz/attempts/{token}/answers", body, {}


def send(connection, method, path, body, headers):
    connection.request(
        method,
        path,
        body=body,
        headers={"Host": f"127.0.0.1:{PORT}", "Content-Type": "application/json", **headers},
    )
    response = connection.getresponse()
    payload = response.read()
    return response.status, response.getheader("Retry-After"), payload


def closed_loop(make, seconds: float, clients: int) -> dict:
    latencies, statuses, lock = [], {}, threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(number):
        connection = http.client.HTTPConnection(
            "127.0.0.1", PORT, timeout=30, source_address=(f"127.0.3.{number + 2}", 0)
        )
        mine, seen = [], {}
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            try:
                status, _retry, _body = send(connection, *make())
            except OSError:
                connection.close()
                status = 0
            mine.append(time.perf_counter() - began)
            seen[status] = seen.get(status, 0) + 1
        with lock:
            latencies.extend(mine)
            for status, n in seen.items():
                statuses[status] = statuses.get(status, 0) + n

    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    ok = sum(n for status, n in statuses.items() if 200 <= status < 300)
    latencies.sort()
    return {
        "rps": round(ok / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def open_loop(make, rate: float, seconds: float) -> dict:
    """Requests at `rate` per second on a fixed schedule, sent by a pool of THREADS."""
    slots = iter(range(int(rate * seconds)))
    lock = threading.Lock()
    start = time.perf_counter() + 0.5
    admitted, shed, errors, late = [], [], [], []

    def worker(number):
        connection = None
        while True:
            with lock:
                slot = next(slots, None)
            if slot is None:
                break
            due = start + slot / rate
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            else:
                late.append(-wait)
            if connection is None:
                connection = http.client.HTTPConnection(
                    "127.0.0.1", PORT, timeout=30,
                    source_address=(f"127.0.4.{number % 250 + 2}", 0),
                )  # fmt: skip
            began = time.perf_counter()
            try:
                status, retry_after, _body = send(connection, *make())
            except OSError:
                connection.close()
                connection = None
                errors.append(0)
                continue
            took = time.perf_counter() - began
            if status in (429, 503) and retry_after:
                shed.append(took)
            elif status >= 500:
                errors.append(status)
            else:
                admitted.append(took)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    sent = len(admitted) + len(shed) + len(errors)
    admitted.sort()
    shed.sort()
    return {
        "offered_rps": round(sent / elapsed, 1),
        "admitted_rps": round(len(admitted) / elapsed, 1),
        "shed_fraction": round(len(shed) / sent, 3) if sent else 0.0,
        "admitted_p99_ms": round(admitted[int(len(admitted) * 0.99) - 1] * 1000, 1)
        if admitted
        else None,
        "shed_p99_ms": round(shed[int(len(shed) * 0.99) - 1] * 1000, 1) if shed else None,
        "errors_5xx": sum(1 for status in errors if status >= 500),
        "connection_errors": sum(1 for status in errors if status == 0),
        "late_sends": len(late),
    }


def main() -> int:
    database = f"qm_overload_{os.getpid()}"
    pg_admin(PG, f"CREATE DATABASE {database}")
    node = Cluster(
        "overload",
        database=PG.rsplit("/", 1)[0] + f"/{database}",
        port=PORT,
        web_ports=("8211", "8212"),
        redis_port="6392",
        QUIZ_IP_LIMIT_FACTOR="100000",
        VOTE_IP_LIMIT_FACTOR="100000",
    )
    try:
        node.start()
        node.django()
        data = fixtures()
        attempts = start_attempts(data["quiz"], ATTEMPTS, "overload")
        pairs = [(voter, entry) for voter in data["voters"] for entry in data["entries"]]
        random.Random(3).shuffle(pairs)
        third = len(pairs) // 3
        bare = closed_loop(lambda: ("GET", "/healthz", b"", {}), SECONDS, CLOSED_CLIENTS)
        capacity = closed_loop(Requests(attempts, pairs[:third]).next, SECONDS, CLOSED_CLIENTS).get(
            "rps"
        )
        measured = closed_loop(Requests(attempts, pairs[third : 2 * third]).next, SECONDS, 12)
        overload = open_loop(
            Requests(attempts, pairs[2 * third :]).next, capacity * FACTOR, SECONDS
        )
    finally:
        node.stop()
        from django.db import connections

        connections.close_all()
        pg_admin(PG, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    print(
        f"bare {bare['rps']} req/s (p99 {bare['p99_ms']} ms); quiz+vote capacity {capacity} "
        f"req/s with {CLOSED_CLIENTS} clients; at 12 clients {measured['rps']} req/s, "
        f"p99 {measured['p99_ms']} ms"
    )
    print(
        f"offered {overload['offered_rps']} req/s ({FACTOR}× capacity): admitted "
        f"{overload['admitted_rps']} req/s, p99 {overload['admitted_p99_ms']} ms; refused "
        f"{overload['shed_fraction']:.1%} with Retry-After (p99 {overload['shed_p99_ms']} ms); "
        f"5xx {overload['errors_5xx']}, late sends {overload['late_sends']}"
    )
    summary = {
        "bare_rps": bare["rps"],
        "capacity_rps": capacity,
        "capacity_ratio_to_bare": round(capacity / bare["rps"], 3) if bare["rps"] else None,
        **overload,
    }
    print(json.dumps(summary))
    ok = overload["errors_5xx"] == 0 and (overload["admitted_p99_ms"] or 0) < 1000
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
