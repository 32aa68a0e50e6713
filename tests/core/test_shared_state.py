"""The embedded default (`make run`: SQLite, no Redis, three gunicorn workers) shares limits,
codes and the account check across processes.

The real server is started with three workers that each exit after one request
(`--max-requests 1`), so no two requests are ever served by the same process: anything kept in one
process's memory is gone by the next request, exactly as when another worker answers.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
SETUP = """
from django.contrib.auth import get_user_model
from tests.factories import CampaignFactory
from qualitymonth.contest.models import Contest
import datetime as dt
from django.utils import timezone
now = timezone.now()
day = dt.timedelta(days=1)
Contest.objects.create(
    campaign=CampaignFactory(), slug="shared", title="t", theme="t", rules="r",
    min_seconds=1, max_seconds=60, max_file_mb=5, judges_per_entry=2, votes_per_day=3,
    submission_opens=now - day, submission_closes=now + day, review_closes=now + 2 * day,
    judging_closes=now + 5 * day, voting_opens=now + 2 * day, voting_closes=now + 4 * day,
    results_at=now + 6 * day,
)
get_user_model().objects.create_user("walker", password="first-Pass-2026")
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("embedded")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "QM_TESTING", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {
        "QM_VAR_DIR": str(var),
        "SECRET_KEY": "shared-state-test-key",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SMS_SHOW_CODES_ON_PAGE": "1",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    cli = str(BIN / "qualitymonth")
    commands = (
        ["migrate", "-v", "0"],
        ["createcachetable"],
        ["collectstatic", "--no-input", "-v", "0"],
        ["shell", "-c", SETUP],
    )
    for command in commands:
        subprocess.run([cli, *command], env=env, check=True, capture_output=True, timeout=300)
    port = _free_port()
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "qualitymonth.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--max-requests",
            "1",
            "--preload",
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(var / "server.log").open("wb"),
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    yield {"base": base, "env": env, "cli": cli, "log": var / "server.log"}
    process.terminate()
    process.wait(timeout=30)


class Browser:
    """A person's browser: cookies, English pages, forms posted with their CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.jar.set_cookie(_cookie("django_language", "en"))
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, data: dict) -> str:
        token = next((c.value for c in self.jar if c.name == "csrftoken"), None)
        if token is None:
            self.get("/accounts/login/")
            token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + path, data=body)
        request.add_header("Referer", self.base + path)
        with self.opener.open(request, timeout=30) as response:
            return response.read().decode()


def _cookie(name, value):
    return http.cookiejar.Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None, True, None,
        None, {},
    )  # fmt: skip


def _send_code(browser: Browser, mobile: str) -> str:
    return browser.post("/contest/shared/verify/", {"mobile": mobile, "next": "/accounts/login/"})


def test_codes_and_limits_are_shared_by_the_workers(server):
    """Ten codes an hour per connection: the ten are sent (each by a new process), each code
    is verified by yet another process, and the eleventh is refused."""
    for n in range(10):
        browser = Browser(server["base"])
        mobile = f"1380013{n:04d}"
        page = _send_code(browser, mobile)
        code = re.search(r"verification code is (\d{6})", page)
        assert code, page
        checked = {"mobile": mobile, "code": code.group(1), "next": "/accounts/login/"}
        assert "Mobile number verified" in browser.post("/contest/shared/verify/", checked)
    page = _send_code(Browser(server["base"]), "13900130000")
    assert "Too many codes requested from this connection" in page


def test_a_changed_password_signs_the_old_session_out_everywhere(server):
    browser = Browser(server["base"])
    browser.post("/accounts/login/", {"username": "walker", "password": "first-Pass-2026"})
    assert "Log out" in browser.get("/tickets/")
    subprocess.run(
        [
            server["cli"],
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model; "
            "u = get_user_model().objects.get(username='walker'); "
            "u.set_password('second-Pass-2026'); u.save()",
        ],
        env=server["env"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    for _ in range(4):
        try:
            page = browser.get("/tickets/")
        except urllib.error.HTTPError as error:
            page = error.read().decode()
        assert "Log out" not in page
