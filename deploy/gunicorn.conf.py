"""gunicorn settings shared by every app node (`make cluster`, deploy/compose.yaml)."""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# The master loads the application before it opens its port: a node that is starting (again,
# after a crash) refuses connections until it can serve them, so the proxy sends them to another
# node instead of queueing them behind seconds of imports; and the workers share the loaded code.
preload_app = True
# A request that takes longer than this is a stuck one: the worker is replaced, nginx answers 504.
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 10
# Keep-alive from nginx's upstream pool.
keepalive = 5
accesslog = os.environ.get("WEB_ACCESS_LOG") or None
loglevel = os.environ.get("LOG_LEVEL", "warning").lower()
# Several workers write their metrics into one folder (prometheus_client's multiprocess mode).
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):

    def child_exit(server, worker):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
# Workers' heartbeat files: in memory where there is /dev/shm (a container's /tmp may be an
# overlay file system, where a slow write can make the master think a worker hangs).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
