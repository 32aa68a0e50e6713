"""Faults under load (`make test-faults`): the production topology loses nothing it acknowledged.

It starts its own cluster (tools/cluster.py: nginx, two app nodes, task worker, flushers,
scheduler, a Redis of its own with append-only persistence, a fresh PostgreSQL database), drives
a steady mixed load through nginx from many loopback addresses — quiz answers and submissions,
contest votes, activity registrations, complaints — and, one at a time:

1. kills one app node with SIGKILL (supervisord starts it again; nginx uses the other meanwhile);
2. kills the quiz flusher and the task worker with SIGKILL while they work;
3. restarts PostgreSQL (fast shutdown: every connection is cut);
4. restarts the cluster's Redis (append-only: what it acknowledged is on disk);
5. stops Redis for FAULTS_REDIS_DOWN seconds (default 60): the database paths carry the load.

After each it lets the queues drain and compares what clients were told was accepted with what
PostgreSQL holds: every acknowledged answer, submission, vote, registration and complaint must be
stored exactly once. A 500 from the application fails the run as well (503 while an engine is
away is the designed answer; 502 is a request the killed node was holding). The last line is one
JSON object. Needs root or sudo for the PostgreSQL restart (pg_ctlcluster).
"""

import http.client
import json
import os
import random
import re
import secrets
import shutil
import string
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "bench"))
from benchlib import Cluster, pg_admin, signed_in_session  # noqa: E402

PG = os.environ.get("FAULTS_PG", "postgres://postgres@127.0.0.1:5432/postgres")
PORT = int(os.environ.get("FAULTS_PORT", "8180"))
CLIENTS = int(os.environ.get("FAULTS_CLIENTS", "12"))
PAUSE = float(os.environ.get("FAULTS_PAUSE", "0.02"))  # seconds each client waits between requests
REDIS_DOWN = float(os.environ.get("FAULTS_REDIS_DOWN", "60"))
ATTEMPTS = int(os.environ.get("FAULTS_ATTEMPTS", "400"))  # quiz attempts started per fault
VOTERS = int(os.environ.get("FAULTS_VOTERS", "400"))
KEEP = os.environ.get("FAULTS_KEEP") == "1"  # leave the cluster's folder and database behind

WEIGHTS = {"answer": 50, "submit": 0, "vote": 25, "register": 15, "complaint": 10}
ACCEPTED = {"answer": 200, "submit": 200, "vote": 200, "register": 201, "complaint": 201}


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {text}", flush=True)


def as_root(*command: str) -> None:
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    subprocess.run([*prefix, *command], check=True, stdout=subprocess.DEVNULL)


# --- what the load needs, made in-process on the cluster's database and Redis ----------------
def fixtures() -> dict:
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from qualitymonth.campaigns.models import Activity
    from qualitymonth.contest.models import Contest, Entry
    from qualitymonth.core.identity import remember_account
    from qualitymonth.quiz.models import Quiz

    quiz = Quiz.objects.get(slug="quiz-2022-xiamen")
    quiz.attempts_per_day = 1000
    quiz.save(update_fields=["attempts_per_day"])
    contest = Contest.objects.get()
    contest.votes_per_day = 1000
    contest.save(update_fields=["votes_per_day"])
    entries = list(
        Entry.objects.filter(contest=contest, status="approved").values_list("pk", flat=True)
    )
    now = timezone.now()
    activity = Activity.objects.filter(status=Activity.Status.PUBLISHED).first()
    activity.pk = None
    activity.title = "故障演练报名 · Fault drill registration"
    activity.starts_at = now + dt.timedelta(days=10)
    activity.ends_at = now + dt.timedelta(days=10, hours=2)
    activity.registration_opens_at = now - dt.timedelta(hours=1)
    activity.registration_closes_at = now + dt.timedelta(days=9)
    activity.capacity = 1_000_000
    activity.save()
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"faultvoter{n:05d}", password="!") for n in range(VOTERS)]
    )
    sessions = []
    for user in users:
        sessions.append((user.pk, signed_in_session(user)))
        remember_account(user)
    return {"quiz": quiz, "entries": entries, "activity": activity.pk, "voters": sessions}


def second_city() -> tuple[str, str, str, str]:
    """A second city with its own campaign running beside the demo's (an invented region code,
    in a database of this run's own): (its code, its theme, the demo city's code, its theme)."""
    from qualitymonth.campaigns.models import Campaign
    from qualitymonth.core.models import Region, Unit

    demo = Campaign.objects.select_related("region").order_by("-year").first()
    region = Region.objects.create(
        code="990100",
        name="演练市",
        name_en="Drill City",
        level=Region.Level.CITY,
        parent=demo.region.parent,
    )
    unit = Unit.objects.create(
        region=region, name="演练市市场监督管理局", short_name="演练市监局", code="drill-amr"
    )
    other = Campaign.objects.create(
        year=demo.year,
        slug=f"{demo.year}-drill",
        region=region,
        lead_unit=unit,
        theme="演练市质量月 · 第二座城市的活动",
        starts_on=demo.starts_on,
        ends_on=demo.ends_on,
    )
    return region.code, other.theme, demo.region.code, demo.theme


def two_cities(node, cities) -> dict:
    """Through nginx: / offers both cities, and each city's address shows its own campaign."""
    import html

    code, theme, demo_code, demo_theme = cities
    home = html.unescape(node.get("/")[1].decode())
    mine = html.unescape(node.get(f"/c/{code}/")[1].decode())
    demo = html.unescape(node.get(f"/c/{demo_code}/")[1].decode())
    checks = {
        "chooser_offers_both": f"/c/{code}/" in home and f"/c/{demo_code}/" in home,
        "each_city_its_campaign": theme in mine
        and demo_theme not in mine
        and demo_theme in demo
        and theme not in demo,
    }
    return checks


def start_attempts(quiz, n: int, phase: str) -> list[tuple[str, list[int]]]:
    from django.db import close_old_connections

    from qualitymonth.quiz.services import Participant, attempt_start

    close_old_connections()
    attempts = []
    for i in range(n):
        attempt = attempt_start(
            quiz=quiz, participant=Participant(key=f"f:{phase}:{i}", name=f"演练{phase}{i}")
        )
        attempts.append((attempt.token, [item.question_id for item in attempt.items.all()]))
    return attempts


# --- the load -------------------------------------------------------------------------------
class Load:
    """CLIENTS threads, each from its own loopback address, sending the mix until stopped."""

    def __init__(self, fixtures: dict):
        self.fixtures = fixtures
        self.lock = threading.Lock()
        self.acks: dict[str, set] = defaultdict(set)
        self.log: list[tuple[float, str, int, float]] = []  # (time, kind, status, seconds)
        self.attempts: list[tuple[str, list[int]]] = []
        self.vote_pairs = iter(())
        self.counter = 0
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    def feed(self, attempts, vote_pairs) -> None:
        with self.lock:
            self.attempts = list(attempts)
            self.vote_pairs = iter(vote_pairs)

    def start(self) -> None:
        self.stopping.clear()
        self.threads = [threading.Thread(target=self._client, args=(n,)) for n in range(CLIENTS)]
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def _next(self) -> int:
        with self.lock:
            self.counter += 1
            return self.counter

    def _client(self, number: int) -> None:
        rng = random.Random(number * 7919 + int(time.time()))
        home = f"127.0.{number // 200}.{2 + number % 200}"
        connection = None
        attempt = None  # (token, question ids left)
        kinds, weights = zip(*WEIGHTS.items(), strict=True)
        while not self.stopping.is_set():
            kind = rng.choices(kinds, weights)[0]
            request = None
            if kind == "answer":
                if not attempt:
                    with self.lock:
                        attempt = self.attempts.pop() if self.attempts else None
                    if attempt:
                        attempt = (attempt[0], list(attempt[1]))
                if attempt and attempt[1]:
                    token, questions = attempt
                    question = questions[0]
                    body = json.dumps({"question_id": question, "choices": [0]})
                    request = (
                        "answer",
                        (token, question),
                        "POST",
                        f"/api/quiz/attempts/{token}/answers",
                        body,
                        {},
                    )
                elif attempt:
                    kind, token = "submit", attempt[0]
                    request = (
                        "submit",
                        token,
                        "POST",
                        f"/api/quiz/attempts/{token}/submit",
                        "",
                        {},
                    )
            elif kind == "vote":
                with self.lock:
                    pair = next(self.vote_pairs, None)
                if pair:
                    (user_id, session), entry = pair
                    csrf = "faultscsrftoken0123456789abcdefg"
                    headers = {
                        "Cookie": f"sessionid={session}; csrftoken={csrf}",
                        "X-CSRFToken": csrf,
                        "Origin": f"http://127.0.0.1:{PORT}",
                        "Referer": f"http://127.0.0.1:{PORT}/contest/",
                    }
                    request = (
                        "vote",
                        (user_id, entry),
                        "POST",
                        f"/api/contest-entries/{entry}/vote",
                        "",
                        headers,
                    )
            elif kind == "register":
                n = self._next()
                mobile = f"139{n:08d}"
                body = json.dumps({"name": f"演练{n}", "mobile": mobile})
                activity = self.fixtures["activity"]
                request = (
                    "register",
                    mobile,
                    "POST",
                    f"/api/activities/{activity}/registrations",
                    body,
                    {},
                )
            else:
                n = self._next()
                marker = "".join(rng.choice(string.ascii_lowercase) for _ in range(16))
                body = json.dumps(
                    {
                        "kind": "complaint",
                        "complainant_name": "演练",
                        "complainant_mobile": f"137{n:08d}",
                        "complainant_address": "思明区演练路",
                        "respondent_name": "演练超市",
                        "respondent_address": "湖里区演练路",
                        "request": "退货退款",
                        "facts": f"演练投诉 drill {marker}",
                        "product_or_service": "牛奶",
                    },
                    ensure_ascii=False,
                )
                cookie = {"Cookie": f"qm_city={self.fixtures['city']}"}
                request = ("complaint", marker, "POST", "/api/complaints", body, cookie)
            if request is None:
                time.sleep(PAUSE)
                continue
            kind, key, method, path, body, headers = request
            address = home
            if kind in ("register", "complaint"):
                # Each registration and complaint from another person's address: the limits
                # per address (20 a minute, 10 an hour) are not what this run measures.
                if connection is not None:
                    connection.close()
                    connection = None
                address = f"127.1.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            if connection is None:
                connection = http.client.HTTPConnection(
                    "127.0.0.1", PORT, timeout=20, source_address=(address, 0)
                )
            began = time.monotonic()
            status, payload = 0, b""
            try:
                connection.request(
                    method,
                    path,
                    body=body.encode(),
                    headers={
                        "Host": f"127.0.0.1:{PORT}",
                        "Content-Type": "application/json",
                        **headers,
                    },
                )
                response = connection.getresponse()
                status, payload = response.status, response.read()
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except OSError:
                connection.close()
                connection = None
            took = time.monotonic() - began
            with self.lock:
                self.log.append((time.time(), kind, status, took))
                if status == ACCEPTED[kind]:
                    if kind == "complaint":
                        key = (key, json.loads(payload)["tracking_number"])
                    self.acks[kind].add(key)
            if kind == "answer" and status != 0 and status < 500 and status != 429:
                attempt[1].pop(0)  # answered, or refused for good (the attempt closed)
            elif kind == "submit" and status != 0 and status < 500 and status != 429:
                attempt = None
            if kind in ("register", "complaint") and connection is not None:
                connection.close()
                connection = None
            time.sleep(PAUSE)


# --- the comparison -------------------------------------------------------------------------
def drain(redis_port: int, seconds: float = 60) -> float:
    """Wait until the answer, submission and vote queues in Redis are empty."""
    import redis

    client = redis.Redis(port=redis_port, socket_connect_timeout=1, socket_timeout=2)
    began = time.monotonic()
    names = ["qm:quiz:answer-queue", "qm:quiz:finish-queue", "qm:vote:queue"]
    while time.monotonic() - began < seconds:
        try:
            if sum(client.llen(name) for name in names) == 0:
                return time.monotonic() - began
        except redis.RedisError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the queues did not drain")


def queued(redis_port: int) -> int:
    import redis

    client = redis.Redis(port=redis_port, socket_connect_timeout=1, socket_timeout=2)
    names = ["qm:quiz:answer-queue", "qm:quiz:finish-queue", "qm:vote:queue"]
    return sum(client.llen(name) for name in names)


def compare(acks: dict[str, set], activity: int) -> dict:
    from django.db import close_old_connections, connection
    from django.db.models import Count

    from qualitymonth.campaigns.models import Registration
    from qualitymonth.complaints.models import Complaint
    from qualitymonth.contest.models import Vote
    from qualitymonth.core.models import AuditEvent
    from qualitymonth.quiz.models import Attempt, AttemptQuestion

    close_old_connections()
    connection.close()
    result = {}

    answers = acks["answer"]
    tokens = {token for token, _q in answers}
    stored_answers = set(
        AttemptQuestion.objects.filter(attempt__token__in=tokens, answered_at__isnull=False)
        .exclude(chosen=[])
        .values_list("attempt__token", "question_id")
    )
    result["answer"] = (len(answers), len(answers & stored_answers), 0)

    submitted = acks["submit"]
    finished = dict(
        Attempt.objects.filter(token__in=submitted)
        .exclude(status=Attempt.Status.OPEN)
        .values_list("token", "pk")
    )
    audits = Counter(
        AuditEvent.objects.filter(
            object_type="quiz.attempt",
            object_id__in=[str(pk) for pk in finished.values()],
            event_type__in=[f"quiz.{status}" for status in Attempt.FINISHED],
        ).values_list("object_id", flat=True)
    )
    twice = sum(1 for n in audits.values() if n > 1)
    result["submit"] = (len(submitted), len(finished), twice)

    votes = acks["vote"]
    rows = Counter(
        Vote.objects.filter(voided_at=None, voter__startswith="u:").values_list("voter", "entry_id")
    )
    stored = sum(1 for user, entry in votes if rows.get((f"u:{user}", entry)))
    twice = sum(1 for user, entry in votes if rows.get((f"u:{user}", entry), 0) > 1)
    result["vote"] = (len(votes), stored, twice)

    mobiles = acks["register"]
    counts = dict(
        Registration.objects.filter(activity_id=activity, mobile__in=mobiles)
        .values("mobile")
        .annotate(n=Count("id"))
        .values_list("mobile", "n")
    )
    result["register"] = (
        len(mobiles),
        sum(1 for m in mobiles if counts.get(m)),
        sum(1 for m in mobiles if counts.get(m, 0) > 1),
    )

    filed = acks["complaint"]
    markers = Counter()
    for facts in Complaint.objects.filter(facts__contains="演练投诉 drill").values_list(
        "facts", flat=True
    ):
        found = re.search(r"drill ([a-z]{16})", facts)
        if found:
            markers[found.group(1)] += 1
    result["complaint"] = (
        len(filed),
        sum(1 for marker, _n in filed if markers.get(marker)),
        sum(1 for marker, _n in filed if markers.get(marker, 0) > 1),
    )
    return result


def recovery(load: Load, since: float) -> dict:
    """From the fault on: server errors and refusals, and when the last one was."""
    after = [entry for entry in load.log if entry[0] >= since]
    bad = [entry for entry in after if entry[2] == 0 or entry[2] >= 500]
    statuses = Counter(entry[2] for entry in after)
    last = max((entry[0] for entry in bad), default=since)
    slowest = max((entry[3] for entry in after), default=0.0)
    slow_kinds = Counter(entry[1] for entry in after if entry[3] > 1.0)
    return {
        "requests": len(after),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "recovered_after_s": round(last - since, 1),
        "slowest_s": round(slowest, 2),
        "over_1s": dict(slow_kinds),
    }


def main() -> int:
    database = f"qm_faults_{os.getpid()}"
    pg_admin(PG, f"CREATE DATABASE {database}")
    node = Cluster(
        "faults",
        database=PG.rsplit("/", 1)[0] + f"/{database}",
        port=PORT,
        web_ports=(
            os.environ.get("FAULTS_WEB1_PORT", "8111"),
            os.environ.get("FAULTS_WEB2_PORT", "8112"),
        ),
        redis_port=os.environ.get("FAULTS_REDIS_PORT", "6391"),
        # The load comes from a few hundred loopback addresses, not a city's worth.
        QUIZ_IP_LIMIT_FACTOR="1000",
        VOTE_IP_LIMIT_FACTOR="1000",
    )
    summary: dict = {"faults": {}}
    failed = []
    load = None
    try:
        log("starting the cluster (nginx, 2 app nodes, worker, flushers, scheduler, Redis)")
        node.start()
        node.django()
        data = fixtures()
        city = second_city()
        data["city"] = city[2]  # complaints are filed on the demo city's site
        cities = two_cities(node, city)
        summary["two_cities"] = cities
        log(f"two cities on the cluster: {cities}")
        if not all(cities.values()):
            failed.append("two_cities")
        load = Load(data)
        pg_version = sorted(os.listdir("/etc/postgresql"))[-1]
        redis_port = int(node.env["CLUSTER_REDIS_PORT"])
        voters = data["voters"]
        entries = data["entries"]
        pairs = [(voter, entry) for voter in voters for entry in entries]
        random.Random(5).shuffle(pairs)
        per_phase = len(pairs) // 6  # five faults and the warm-up

        def phase(name: str, fault, settle: float) -> None:
            index = len(summary["faults"])
            attempts = start_attempts(data["quiz"], ATTEMPTS, name)
            load.feed(attempts, pairs[index * per_phase : (index + 1) * per_phase])
            load.start()
            time.sleep(5)
            log(f"fault: {name}")
            since = time.time()
            fault()
            node.wait_ready(120)
            time.sleep(settle)
            load.stop()
            drained = drain(redis_port)
            figures = recovery(load, since)
            figures["drained_in_s"] = round(drained, 1)
            summary["faults"][name] = figures
            log(f"  {json.dumps(figures, ensure_ascii=False)}")

        def kill_node():
            node.kill("web1")

        def kill_flusher_and_worker():
            node.kill("quiz-flusher")
            node.kill("worker")
            time.sleep(2)
            node.kill("vote-flusher")

        def restart_postgresql():
            as_root(
                "pg_ctlcluster",
                "--skip-systemctl-redirect",
                pg_version,
                "main",
                "restart",
                "-m",
                "fast",
            )

        def restart_redis():
            # What waits in the queues when Redis goes down must be there when it is back.
            summary["queued_at_redis_restart"] = queued(redis_port)
            node.ctl("restart", "redis")

        def stop_redis():
            node.ctl("stop", "redis")
            log(f"  Redis stopped for {REDIS_DOWN:.0f} s")
            time.sleep(REDIS_DOWN)
            node.ctl("start", "redis")

        # Every worker loads what it needs on its first requests (the complaint router, the
        # templates); that is not what a fault costs, so it happens before the first one.
        load.feed(start_attempts(data["quiz"], 50, "warm"), pairs[5 * per_phase :])
        load.start()
        time.sleep(10)
        load.stop()
        load.log.clear()
        load.acks.clear()
        log("warmed up")
        phase("app_node_sigkill", kill_node, 8)
        phase("flusher_and_worker_sigkill", kill_flusher_and_worker, 8)
        phase("postgresql_restart", restart_postgresql, 8)
        phase("redis_restart", restart_redis, 8)
        phase("redis_stopped", stop_redis, 10)

        time.sleep(2)
        drain(redis_port)
        compared = compare(load.acks, data["activity"])
    except Exception as error:  # the summary must still be printed
        log(f"FAILED: {type(error).__name__}: {error}")
        failed.append(type(error).__name__)
        compared = {}
    finally:
        if load is not None and load.threads:
            load.stop()
        node.stop()
        if not KEEP:
            from django.db import connections

            connections.close_all()
            pg_admin(PG, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            shutil.rmtree(node.dir, ignore_errors=True)

    acknowledged = {kind: a for kind, (a, _s, _d) in compared.items()}
    stored = {kind: s for kind, (_a, s, _d) in compared.items()}
    lost = sum(a - s for a, s, _d in compared.values())
    duplicated = sum(d for _a, _s, d in compared.values())
    statuses = Counter(entry[2] for entry in (load.log if load else []))
    errors_500 = statuses.get(500, 0)
    errors_5xx = sum(n for status, n in statuses.items() if status >= 500)
    for kind in acknowledged:
        log(f"{kind:10} acknowledged {acknowledged[kind]:6}  stored {stored[kind]:6}")
    summary = {
        "acknowledged": sum(acknowledged.values()),
        "stored": sum(stored.values()),
        "lost": lost,
        "duplicated": duplicated,
        "errors_5xx": errors_5xx,
        "errors_500": errors_500,
        "connection_errors": statuses.get(0, 0),
        "requests": sum(statuses.values()),
        "by_kind": {k: {"acknowledged": acknowledged[k], "stored": stored[k]} for k in compared},
        "recovery_seconds": {
            name: figures["recovered_after_s"] for name, figures in summary["faults"].items()
        },
        "queued_at_redis_restart": summary.get("queued_at_redis_restart"),
        "two_cities": summary.get("two_cities"),
        "faults": summary["faults"],
        "failed": failed,
    }
    ok = not failed and compared and lost == 0 and duplicated == 0 and errors_500 == 0
    print(json.dumps(summary, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    secrets.token_hex(1)
    sys.exit(main())
