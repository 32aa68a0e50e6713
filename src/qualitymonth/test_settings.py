"""Settings for the test suite: the production settings with test conveniences switched on."""

import os

os.environ.setdefault("QM_TESTING", "1")
os.environ.setdefault("HTTPS", "0")

from qualitymonth.settings import *  # noqa: F403
from qualitymonth.settings import CACHES, DATABASES, STATIC_ROOT, VAR_DIR

# Each process gets its own database file and media folders: xdist workers by their id and their
# run (the controller's process id), a plain run by its process id, so two runs on one checkout
# never share or delete each other's test database.
_xdist = os.environ.get("PYTEST_XDIST_WORKER")
_worker = f"{_xdist}-{os.getppid()}" if _xdist else f"main{os.getpid()}"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not shared-cache memory: the concurrency tests need SQLite's real locking.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{_worker}.sqlite3")}
# Threads in the concurrency tests open their own connections: closed after each request, as
# the pool did, so none outlives its test.
DATABASES["default"]["CONN_MAX_AGE"] = 0
if CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
    # One test process: the cache need not be shared, and the suite clears it between tests,
    # also in tests without database access. tests/core/test_shared_state.py runs the real
    # server, with the database cache, in several processes.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
for cache in CACHES.values():
    cache["KEY_PREFIX"] = f"qmtest-{_worker}"
    if cache["BACKEND"].endswith("RedisCache"):
        # Each test worker gets its own Redis database: the suite clears the cache between
        # tests, and a FLUSHDB must not log the other worker's users out.
        _index = int(_xdist.removeprefix("gw")) if _xdist else 0
        cache["LOCATION"] = cache["LOCATION"].rsplit("/", 1)[0] + f"/{15 - _index}"
        # The hot paths' own client (core.redis: vote and answer queues, papers, leaderboards)
        # uses the same database, so clearing it between tests stays within this worker.
        REDIS_URL = cache["LOCATION"]
MEDIA_ROOT = VAR_DIR / f"test-media-{_worker}"
if STORAGES["private"]["BACKEND"].endswith(".RandomNameStorage"):  # noqa: F405 - the file system
    STORAGES["private"]["OPTIONS"]["location"] = VAR_DIR / f"test-private-{_worker}"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
