"""The production topology on one machine: `make cluster` (and the fault tests) run this.

nginx in front of two gunicorn app nodes, a task worker, the two flushers and the scheduler, on
the machine's PostgreSQL and a Redis of the cluster's own (append-only, its own port and data
folder, so the machine's Redis is untouched). supervisord runs and restarts the processes; their
commands come from deploy/Procfile, the one list a real cluster (deploy/compose.yaml) shares.

    python tools/cluster.py run        prepare, then supervisord in the foreground (Ctrl+C stops)
    python tools/cluster.py prepare    configuration, database, migrations, demo; nothing started

Everything is configurable from the environment (defaults in brackets): CLUSTER_DIR [var/cluster],
CLUSTER_PORT [8080], WEB1_PORT [8101], WEB2_PORT [8102], CLUSTER_REDIS_PORT [6390],
CLUSTER_DATABASE_URL [postgres://postgres@127.0.0.1:5432/qm_cluster], WEB_CONCURRENCY [3],
CLUSTER_ADMIT [48: requests nginx lets through at once; more get 503 with Retry-After],
CLUSTER_ADMIT_PER_CLIENT [16: the same, per client address],
CLUSTER_DEMO [1: load the demo campaign].
"""

import contextlib
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PROCFILE = ROOT / "deploy" / "Procfile"


def settings() -> dict[str, str]:
    """The cluster's own knobs, from the environment."""
    env = os.environ
    cluster_dir = Path(env.get("CLUSTER_DIR", ROOT / "var" / "cluster")).resolve()
    return {
        "CLUSTER_DIR": str(cluster_dir),
        "CLUSTER_PORT": env.get("CLUSTER_PORT", "8080"),
        "WEB1_PORT": env.get("WEB1_PORT", "8101"),
        "WEB2_PORT": env.get("WEB2_PORT", "8102"),
        "CLUSTER_REDIS_PORT": env.get("CLUSTER_REDIS_PORT", "6390"),
        "CLUSTER_DATABASE_URL": env.get(
            "CLUSTER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/qm_cluster"
        ),
        "CLUSTER_ADMIT": env.get("CLUSTER_ADMIT", "48"),
        "CLUSTER_ADMIT_PER_CLIENT": env.get("CLUSTER_ADMIT_PER_CLIENT", "16"),
        "WEB_CONCURRENCY": env.get("WEB_CONCURRENCY", "3"),
        "CLUSTER_DEMO": env.get("CLUSTER_DEMO", "1"),
    }


def app_environment(knobs: dict[str, str]) -> dict[str, str]:
    """What every app process sees: production settings, behind one proxy, on plain http."""
    cluster_dir = Path(knobs["CLUSTER_DIR"])
    secret_file = ROOT / "var" / "secret_key"
    return {
        "DJANGO_SETTINGS_MODULE": "qualitymonth.settings",
        "DATABASE_URL": knobs["CLUSTER_DATABASE_URL"],
        "REDIS_URL": f"redis://127.0.0.1:{knobs['CLUSTER_REDIS_PORT']}/0",
        "SECRET_KEY_FILE": str(secret_file),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{knobs['CLUSTER_PORT']},"
        f"http://localhost:{knobs['CLUSTER_PORT']}",
        # Plain http on loopback; production terminates TLS in front and leaves HTTPS on.
        "HTTPS": "0",
        "BEHIND_PROXY": "1",
        "TRUSTED_PROXY_COUNT": "1",
        "TRUSTED_PROXY_NETWORKS": "127.0.0.1/32",  # nginx, on this machine
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        # The scheduler refreshes the dashboard's figures every minute.
        "DASHBOARD_REFRESH_ON_READ": "0",
        "SMS_SHOW_CODES_ON_PAGE": "1",
        "QM_VAR_DIR": str(ROOT / "var"),
        "MEDIA_ROOT": str(cluster_dir / "media"),
        "PRIVATE_MEDIA_ROOT": str(cluster_dir / "private"),
        "WEB_CONCURRENCY": knobs["WEB_CONCURRENCY"],
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
        "PATH": f"{BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "PYTHONUNBUFFERED": "1",
    }


def procfile() -> list[tuple[str, str]]:
    entries = []
    for line in PROCFILE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, command = line.split(":", 1)
            entries.append((name.strip(), command.strip()))
    return entries


def expand(command: str, values: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            raise SystemExit(f"deploy/Procfile uses ${{{name}}}, which the cluster does not set")
        return values[name]

    return re.sub(r"\$\{(\w+)\}", value, command)


def redis_conf(knobs: dict[str, str]) -> str:
    data = Path(knobs["CLUSTER_DIR"]) / "redis"
    data.mkdir(parents=True, exist_ok=True)
    # appendfsync always: an answer or vote acknowledged to a client is on disk before the
    # acknowledgement, so even a crash of Redis itself keeps it (everysec could lose a second).
    return f"""bind 127.0.0.1
port {knobs["CLUSTER_REDIS_PORT"]}
dir {data}
appendonly yes
appendfsync always
save ""
daemonize no
protected-mode yes
"""


def nginx_conf(knobs: dict[str, str]) -> str:
    cluster_dir = Path(knobs["CLUSTER_DIR"])
    for folder in ("logs", "tmp"):
        (cluster_dir / folder).mkdir(parents=True, exist_ok=True)
    user = "user root root;" if os.geteuid() == 0 else ""
    static_root = ROOT / "var" / "static"
    proxy = """
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            # The app trusts exactly one proxy (TRUSTED_PROXY_COUNT=1): the right-most entry.
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            limit_conn admit {admit};
            limit_conn client {per_client};"""
    proxy = proxy.replace("{admit}", knobs["CLUSTER_ADMIT"])
    proxy = proxy.replace("{per_client}", knobs["CLUSTER_ADMIT_PER_CLIENT"])
    return f"""# Rendered by tools/cluster.py; edit that, not this.
{user}
worker_processes 2;
pid {cluster_dir}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 4096; }}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    client_body_temp_path {cluster_dir}/tmp/body;
    proxy_temp_path {cluster_dir}/tmp/proxy;
    fastcgi_temp_path {cluster_dir}/tmp/fastcgi;
    uwsgi_temp_path {cluster_dir}/tmp/uwsgi;
    scgi_temp_path {cluster_dir}/tmp/scgi;

    # Fail fast: a node that does not accept within a second is skipped; a slow client is cut
    # off instead of holding a connection; nothing waits minutes.
    client_header_timeout 10s;
    client_body_timeout 10s;
    send_timeout 30s;
    keepalive_timeout 15s;
    proxy_connect_timeout 1s;
    proxy_send_timeout 30s;
    proxy_read_timeout 60s;
    # A node that refuses or drops the connection before answering: try the other node (for
    # POSTs too, as long as the request never reached the dead one).
    proxy_next_upstream error timeout http_502;
    proxy_next_upstream_tries 2;

    # The app's largest body outside the contest is REQUEST_BODY_MAX_MB (12) plus the form;
    # the app refuses oversized bodies per address from Content-Length, before reading them.
    client_max_body_size 13m;

    gzip on;
    gzip_min_length 1024;
    gzip_types text/css application/javascript application/json text/plain image/svg+xml;

    # Admission: at most CLUSTER_ADMIT requests in the app at once; the rest are refused at
    # once with 503 and Retry-After, so those admitted keep their latency under overload.
    limit_conn_zone $server_name zone=admit:1m;
    # And no one address takes them all (a slow upload holds its place while its body arrives).
    limit_conn_zone $binary_remote_addr zone=client:10m;
    limit_conn_status 503;
    limit_conn_log_level warn;

    upstream app {{
        server 127.0.0.1:{knobs["WEB1_PORT"]} max_fails=1 fail_timeout=2s;
        server 127.0.0.1:{knobs["WEB2_PORT"]} max_fails=1 fail_timeout=2s;
        keepalive 32;
    }}

    server {{
        listen 127.0.0.1:{knobs["CLUSTER_PORT"]};
        server_name qualitymonth;

        location /static/ {{
            alias {static_root}/;
            expires 30d;
            add_header Cache-Control "public";
        }}
        # Contest entries carry videos: the contest's own limit is checked by the app.
        location ~ ^/(api/)?contest/ {{
            client_max_body_size 1024m;{proxy}
        }}
        location / {{{proxy}
        }}
        error_page 503 @busy;
        location @busy {{
            default_type application/json;
            add_header Retry-After 1 always;
            return 503 '{{"code": "busy", "detail": "服务繁忙，请稍后重试 / Busy, please retry shortly"}}';
        }}
    }}
}}
"""


def supervisord_conf(knobs: dict[str, str]) -> str:
    cluster_dir = Path(knobs["CLUSTER_DIR"])
    logs = cluster_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    environment = app_environment(knobs)
    values = {**knobs, **environment}
    sections = [
        f"""; Rendered by tools/cluster.py from deploy/Procfile; edit those, not this.
[supervisord]
nodaemon=true
logfile={logs}/supervisord.log
pidfile={cluster_dir}/supervisord.pid
childlogdir={logs}
loglevel=warn

[unix_http_server]
file={cluster_dir}/supervisor.sock

[supervisorctl]
serverurl=unix://{cluster_dir}/supervisor.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
"""
    ]
    for name, command in procfile():
        env = dict(environment)
        if name.startswith("web"):
            metrics = cluster_dir / "metrics" / name
            env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics)
        program = expand(command, values)
        first, _, rest = program.partition(" ")
        if (BIN / first).exists():
            program = f"{BIN / first} {rest}"
        # supervisord expands %(name)s in values: a literal % (in a password, say) is doubled.
        quoted = ",".join(f'{key}="{value.replace("%", "%%")}"' for key, value in env.items())
        sections.append(
            f"""[program:{name}]
command={program}
directory={ROOT}
environment={quoted}
priority={10 if name == "redis" else 200 if name == "nginx" else 100}
autorestart=true
startsecs=1
startretries=1000
stopasgroup=true
killasgroup=true
stopwaitsecs=15
redirect_stderr=true
stdout_logfile={logs}/{name}.log
stdout_logfile_maxbytes=20MB
stdout_logfile_backups=1
"""
        )
    return "\n".join(sections)


def database(url: str) -> None:
    """Create the cluster's database on the machine's PostgreSQL if it is not there yet."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"CLUSTER_DATABASE_URL names an unusual database {name!r}")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def manage(knobs: dict[str, str], *args: str) -> None:
    env = {**os.environ, **app_environment(knobs)}
    subprocess.run([str(BIN / "qualitymonth"), *args], env=env, cwd=ROOT, check=True)


def prepare(knobs: dict[str, str]) -> Path:
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        raise SystemExit(
            "nginx is not installed: `apt-get install nginx-light` (make cluster does)"
        )
    cluster_dir = Path(knobs["CLUSTER_DIR"])
    cluster_dir.mkdir(parents=True, exist_ok=True)
    secret = ROOT / "var" / "secret_key"
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(50))
        secret.chmod(0o600)
    for name in ("web1", "web2"):
        metrics = cluster_dir / "metrics" / name
        shutil.rmtree(metrics, ignore_errors=True)
        metrics.mkdir(parents=True)
    (cluster_dir / "redis.conf").write_text(redis_conf(knobs))
    (cluster_dir / "nginx.conf").write_text(nginx_conf(knobs))
    conf = cluster_dir / "supervisord.conf"
    conf.write_text(supervisord_conf(knobs))
    database(knobs["CLUSTER_DATABASE_URL"])
    with redis_running(knobs):  # the demo's quiz papers and boards live in the cluster's Redis
        manage(knobs, "migrate", "--no-input", "-v", "0")
        manage(knobs, "createcachetable")
        manage(knobs, "collectstatic", "--no-input", "-v", "0")
        if knobs["CLUSTER_DEMO"] == "1":
            manage(knobs, "seed-demo")
    return conf


@contextlib.contextmanager
def redis_running(knobs: dict[str, str]):
    """The cluster's Redis for the preparation only; supervisord starts it for good."""
    import redis

    conf = Path(knobs["CLUSTER_DIR"]) / "redis.conf"
    server = subprocess.Popen(["redis-server", str(conf)], stdout=subprocess.DEVNULL)
    client = redis.Redis(port=int(knobs["CLUSTER_REDIS_PORT"]), socket_connect_timeout=1)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.1)
        else:
            raise SystemExit(
                f"the cluster's Redis did not start (port {knobs['CLUSTER_REDIS_PORT']} taken?)"
            )
        yield
    finally:
        server.terminate()  # SIGTERM: Redis writes its append-only file and exits
        server.wait(timeout=30)


def main() -> None:
    action = sys.argv[1] if len(sys.argv) > 1 else "run"
    knobs = settings()
    conf = prepare(knobs)
    if action == "prepare":
        print(conf)
        return
    port = knobs["CLUSTER_PORT"]
    print(
        f"\n  质量月 Quality Month cluster on http://127.0.0.1:{port}/  (Ctrl+C stops it)\n"
        f"  nginx → app nodes :{knobs['WEB1_PORT']} :{knobs['WEB2_PORT']}, worker, flushers,"
        f" scheduler, Redis :{knobs['CLUSTER_REDIS_PORT']} (append-only), PostgreSQL\n"
        f"  Logs: {knobs['CLUSTER_DIR']}/logs/   Control: "
        f"{BIN}/supervisorctl -c {conf} status\n",
        flush=True,
    )
    os.execv(str(BIN / "supervisord"), [str(BIN / "supervisord"), "-n", "-c", str(conf)])


if __name__ == "__main__":
    main()
