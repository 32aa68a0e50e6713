"""Production settings, checked the way an operator would: in a fresh process."""

import os
import subprocess
import sys

import pytest


def _run(tmp_path, *args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "QM_TESTING",
            "HTTPS",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    clean.update({"QM_VAR_DIR": str(tmp_path), "SECRET_KEY_FILE": str(tmp_path / "none"), **env})
    return subprocess.run(
        [sys.executable, "-c", "from qualitymonth.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=clean,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _run(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="k" * 20 + "q7Vn2xLp9RtY4mW8zB3cF6hJ1sD5gK0aE",
        ALLOWED_HOSTS="quality.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run(tmp_path, "check", ALLOWED_HOSTS="quality.example.org")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_a_mistyped_metrics_address_stops_the_process(tmp_path):
    result = _run(
        tmp_path,
        "check",
        DEBUG="1",
        METRICS_ALLOWED_ADDRESSES="127.0.0.1,prometheus.internal",
    )
    assert result.returncode != 0
    assert "'prometheus.internal' is not an address or a network" in result.stderr


def test_the_console_command_accepts_hyphenated_names(tmp_path):
    result = _run(tmp_path, "seed-demo", "--help", DEBUG="1")
    assert result.returncode == 0 and "--as-reported" in result.stdout


@pytest.mark.skipif(
    not os.path.exists(os.path.join(os.path.dirname(sys.executable), "qualitymonth")),
    reason="console script not installed in this environment",
)
def test_the_console_script_is_installed():
    script = os.path.join(os.path.dirname(sys.executable), "qualitymonth")
    result = subprocess.run(
        [script, "help"],
        capture_output=True,
        text=True,
        env={**os.environ, "DEBUG": "1"},
        timeout=120,
    )
    assert (
        result.returncode == 0 and "seed_demo" in result.stdout and "campaign_new" in result.stdout
    )


@pytest.mark.django_db
def test_a_bad_host_header_gets_a_400_page_not_a_500():
    from django.test import Client

    response = Client(HTTP_HOST="evil.example").get("/")
    assert response.status_code == 400
