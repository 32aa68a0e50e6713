"""`django check --deploy` with the production settings, in a fresh process as an operator runs
it: clean with a real production environment and with deploy/compose.yaml's, and failing for the
mistakes it exists to catch."""

import os
import secrets
import subprocess
import sys

import yaml

from tests.test_deploy_files import DEPLOY, names_the_app_reads, resolved


def _check_deploy(tmp_path, **environment):
    # Nothing of this machine's own settings (CI's DATABASE_URL, REDIS_URL, QM_TESTING) leaks in.
    leave_out = names_the_app_reads() | {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in leave_out}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "qualitymonth.settings",
            "QM_VAR_DIR": str(tmp_path),
            "SECRET_KEY_FILE": str(tmp_path / "no-such-file"),
            **environment,
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _production(tmp_path) -> dict[str, str]:
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "qm.example.org",
        "HTTPS": "1",
        "BEHIND_PROXY": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'qualitymonth.sqlite3'}",
    }


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    result = _check_deploy(tmp_path, **_production(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_is_clean_with_the_compose_environment(tmp_path):
    anchor = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["x-environment"]
    environment = resolved(
        anchor,
        {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "qm.example.org",
            "POSTGRES_PASSWORD": secrets.token_hex(24),
        },
    )

    result = _check_deploy(tmp_path, **environment)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_on_a_guessable_secret_key(tmp_path):
    result = _check_deploy(tmp_path, **{**_production(tmp_path), "SECRET_KEY": "short-key"})

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_check_deploy_fails_with_debug_on(tmp_path):
    result = _check_deploy(tmp_path, **{**_production(tmp_path), "DEBUG": "1"})

    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


def test_check_deploy_fails_when_https_is_turned_off(tmp_path):
    result = _check_deploy(tmp_path, **{**_production(tmp_path), "HTTPS": "0"})

    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr  # SECURE_SSL_REDIRECT
