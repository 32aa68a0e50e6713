"""Shared by the benchmarks: a throw-away gunicorn and a keep-alive load generator."""

import http.client
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


class Cluster:
    """The production topology (tools/cluster.py: nginx, two app nodes, worker, flushers,
    scheduler, append-only Redis) on ports of its own, under supervisord, for a benchmark or the
    fault tests; `kill`, `ctl` and `stop` drive it."""

    def __init__(self, name: str, *, database: str, port: int, web_ports, redis_port, **extra):
        import shutil

        self.dir = ROOT / "var" / name
        shutil.rmtree(self.dir, ignore_errors=True)
        self.port = port
        self.env = {
            **os.environ,
            "CLUSTER_DIR": str(self.dir),
            "CLUSTER_PORT": str(port),
            "WEB1_PORT": str(web_ports[0]),
            "WEB2_PORT": str(web_ports[1]),
            "CLUSTER_REDIS_PORT": str(redis_port),
            "CLUSTER_DATABASE_URL": database,
            "CLUSTER_DEMO": "1",
            **extra,
        }
        self.conf = self.dir / "supervisord.conf"
        self.process = None

    def start(self) -> None:
        subprocess.run(
            [str(BIN / "python"), str(ROOT / "tools" / "cluster.py"), "prepare"],
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.process = subprocess.Popen(
            [str(BIN / "supervisord"), "-n", "-c", str(self.conf)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.wait_ready(60)

    def get(self, path: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers={"Host": "127.0.0.1"})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def wait_ready(self, seconds: float) -> float:
        began = time.monotonic()
        while time.monotonic() - began < seconds:
            try:
                if self.get("/readyz")[0] == 200:
                    return time.monotonic() - began
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the cluster did not become ready")

    def ctl(self, *args: str) -> str:
        result = subprocess.run(
            [str(BIN / "supervisorctl"), "-c", str(self.conf), *args],
            capture_output=True,
            text=True,
        )
        return result.stdout.strip()

    def pid(self, name: str) -> int:
        return int(self.ctl("pid", name))

    def kill(self, name: str) -> None:
        """SIGKILL to the process and everything it started (supervisord gives each program a
        process group of its own): an app node dies with its workers, as when its host does."""
        import signal

        os.killpg(os.getpgid(self.pid(name)), signal.SIGKILL)

    def stop(self) -> None:
        if self.process is not None:
            self.ctl("shutdown")
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def django(self) -> None:
        """Django in this process, on the cluster's database and Redis (to prepare and check)."""
        sys.path.insert(0, str(ROOT / "tools"))
        import cluster

        os.environ.update(cluster.app_environment(cluster.settings()))
        os.environ.update(
            {
                "DATABASE_URL": self.env["CLUSTER_DATABASE_URL"],
                "REDIS_URL": f"redis://127.0.0.1:{self.env['CLUSTER_REDIS_PORT']}/0",
                "MEDIA_ROOT": str(self.dir / "media"),
                "PRIVATE_MEDIA_ROOT": str(self.dir / "private"),
            }
        )
        import django

        django.setup()


def server_env(var: Path, **extra) -> dict:
    return {
        **os.environ,
        "QM_VAR_DIR": str(var),
        "SECRET_KEY": secrets.token_urlsafe(40),
        "HTTPS": "0",
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DEBUG": "0",
        **extra,
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [str(BIN / "qualitymonth"), *args], env=env, check=True, stdout=subprocess.DEVNULL
    )


def start_gunicorn(env: dict, port: int, workers: str) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "qualitymonth.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            workers,
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def hammer(
    port: int,
    make_request: Callable[[int], tuple | None],
    *,
    seconds: float,
    clients: int,
    on_response: Callable[[int, int, bytes], None] | None = None,
) -> dict:
    """Each client sends make_request(client_no) -> (method, path, body[, headers]) until time
    runs out or it returns None. Returns requests/s, p50, p99 and the number of non-2xx answers."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(number: int):
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        mine, bad = [], 0
        while time.perf_counter() < deadline:
            request = make_request(number)
            if request is None:
                break
            method, path, body, *extra = request
            headers = {"Host": "localhost", **(extra[0] if extra else {})}
            if body is not None:
                headers["Content-Type"] = "application/json"
            start = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
            except OSError:
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
                continue
            mine.append(time.perf_counter() - start)
            if not 200 <= response.status < 300:
                bad += 1
            if on_response is not None:
                on_response(number, response.status, payload)
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "requests": len(latencies),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p99_ms": round(latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000, 1)
        if latencies
        else None,
        "errors": errors,
    }


def django_in_process(env: dict) -> None:
    """Set Django up in the bench's own process, on the server's database and Redis."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "qualitymonth.settings"
    import django

    django.setup()


def signed_in_session(user) -> str:
    """A session for `user` as signing in makes it, created in-process; returns its key."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    session = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def pg_admin(url: str, sql: str) -> None:
    """Run one statement on the server's admin database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def bracketed(first: dict, last: dict) -> dict:
    """The bare endpoint measured before and after the others, as one base: the mean rate, so
    a machine that speeds up or slows down during the run does not tilt the ratios."""
    return {
        **first,
        "rps": round((first["rps"] + last["rps"]) / 2, 1),
        "errors": first["errors"] + last["errors"],
        "p99_ms": max(first["p99_ms"] or 0, last["p99_ms"] or 0),
    }


def pg_database_exists(url: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone())


def median_get(port: int, path: str, cookie: str, *, repeat: int, warm_up: int = 2) -> dict:
    """GET `path` `repeat` times on one keep-alive connection after `warm_up` requests: the
    median and the slowest, in milliseconds, and the last status."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": "localhost", "Cookie": cookie}
    samples, status = [], None
    for n in range(repeat + warm_up):
        start = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        status = response.status
        if n >= warm_up:
            samples.append((time.perf_counter() - start) * 1000)
    return {
        "ms": round(statistics.median(samples), 1),
        "max_ms": round(max(samples), 1),
        "status": status,
    }
