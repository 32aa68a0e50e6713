"""tools/cluster.py: the one-machine topology is rendered from deploy/Procfile with the proxy's
limits, and refuses a Procfile that needs a setting it does not give."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import cluster  # noqa: E402


@pytest.fixture
def knobs(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTER_DIR", str(tmp_path))
    return cluster.settings()


def test_every_procfile_process_runs_under_supervisord(knobs):
    conf = cluster.supervisord_conf(knobs)
    names = [name for name, _command in cluster.procfile()]
    assert {"web1", "web2", "worker", "quiz-flusher", "vote-flusher", "scheduler"} <= set(names)
    for name in names:
        assert f"[program:{name}]" in conf
    assert "${" not in conf  # every ${VAR} of the Procfile was given a value
    assert "--bind 127.0.0.1:8101" in conf and "--bind 127.0.0.1:8102" in conf
    assert 'TASKS_BACKEND="django_tasks_db.DatabaseBackend"' in conf
    assert 'TRUSTED_PROXY_COUNT="1"' in conf and 'DASHBOARD_REFRESH_ON_READ="0"' in conf
    assert "autorestart=true" in conf


def test_a_procfile_setting_the_cluster_lacks_is_refused():
    with pytest.raises(SystemExit, match="NOT_SET"):
        cluster.expand("gunicorn --bind ${NOT_SET}", {})


def test_the_proxy_carries_the_limits(knobs):
    conf = cluster.nginx_conf(knobs)
    assert "client_max_body_size 13m;" in conf  # REQUEST_BODY_MAX_MB and the form around it
    assert "client_max_body_size 1024m;" in conf  # contest videos: the contest's own limit
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in conf
    assert "limit_conn admit 48;" in conf and "Retry-After" in conf
    assert "proxy_connect_timeout 1s;" in conf and "gzip on;" in conf
    assert "server 127.0.0.1:8101" in conf and "server 127.0.0.1:8102" in conf


def test_redis_keeps_what_it_acknowledged(knobs):
    conf = cluster.redis_conf(knobs)
    assert "appendonly yes" in conf and "appendfsync always" in conf
    assert "port 6390" in conf
