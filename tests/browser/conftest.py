import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("QM_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Without the background-networking flags Chromium keeps trying to reach outside hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between browser steps are ordinary blocking calls, which Django would otherwise refuse there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def playwright():
    """One Playwright per test process: its sync API runs an event loop in this thread, and a
    second one started beside it fails ("Sync API inside the asyncio loop")."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI installs Debian's chromium package.")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    yield context.new_page()
    context.close()


def settled(page) -> None:
    """Wait for htmx to finish: a part replaced by outerHTML is detached until the swap and
    settle end, the old part may already show what the test waits for, and the address htmx
    pushes afterwards can cancel a navigation a click started meanwhile."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed journey leaves what each of its pages showed: the address in the report and a
    screenshot in test-artifacts/ (a timeout alone does not say on which page it waited)."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    pages = {name: value for name, value in item.funcargs.items() if name in {"phone", "desktop"}}
    lines = []
    for name, page in pages.items():
        try:
            lines.append(f"{name}: {page.url}")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"failed-{item.name}-{name}.png"), full_page=True)
        except Exception as error:  # a closed page must not hide the test's own failure
            lines.append(f"{name}: no screenshot ({type(error).__name__})")
    if lines:
        report.sections.append(("browser pages", "\n".join(lines)))
