# 质量月 platform. The two commands: `make run` (demo on http://127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
export QM_VAR_DIR ?= $(CURDIR)/var

.PHONY: run cluster test-faults bench-overload nginx test test-fuzz test-browser lint format messages assets install install-dev bench bench-calendar bench-quiz bench-vote bench-complaints bench-routing bench-enterprises bench-supervision bench-dashboard routing-model clean

# Use python3.11 when it exists, else python3 (which must be 3.11).
PY := $(shell command -v $(PYTHON) 2>/dev/null || command -v python3)

$(VENV)/.installed: requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# htmx, jsQR, swagger-ui and ECharts come from the npm registry at build time (package-lock.json pins them).
src/qualitymonth/static/vendor/.done: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: pages work without htmx/jsQR/ECharts (no live filtering, no camera scan, charts as tables)."; fi
	$(BIN)/python tools/vendor_assets.py
	@touch $@
assets: $(VENV)/.installed src/qualitymonth/static/vendor/.done

var/secret_key:
	@mkdir -p var
	@$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

# The demo: SQLite under var/, demo data on first run, gunicorn. HTTPS=0 because it is plain
# http on this machine; production leaves HTTPS on (see README).
run: $(VENV)/.installed assets var/secret_key
	@export HTTPS=0 SMS_SHOW_CODES_ON_PAGE=1 ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost}; \
	$(BIN)/qualitymonth migrate --no-input -v 0 && \
	$(BIN)/qualitymonth createcachetable && \
	$(BIN)/qualitymonth collectstatic --no-input -v 0 && \
	$(BIN)/qualitymonth seed-demo && \
	echo "" && echo "  质量月 Quality Month is running on http://$(HOST):$(PORT)/  (Ctrl+C stops it)" && \
	echo "  Back office: http://$(HOST):$(PORT)/office/   Admin: http://$(HOST):$(PORT)/admin/   API: http://$(HOST):$(PORT)/api/docs" && echo "" && \
	exec $(BIN)/gunicorn qualitymonth.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile - --log-level warning

# nginx and redis-server from Debian's packages, for the cluster (`make cluster`, the fault tests).
nginx:
	@need=""; { command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; } || need="nginx-light"; \
	command -v redis-server >/dev/null 2>&1 || need="$$need redis-server"; \
	if [ -n "$$need" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$need >/dev/null; fi

# The production topology on this machine: nginx on http://127.0.0.1:8080 in front of two app
# nodes, the task worker, the flushers and the scheduler, on the local PostgreSQL and a Redis of
# its own (append-only). Settings: tools/cluster.py. Ctrl+C stops all of it.
cluster: $(VENV)/.installed assets var/secret_key nginx
	$(BIN)/python tools/cluster.py run

# Kill and restart each part of the cluster under a steady mixed load; zero lost, zero duplicated.
# Needs the local PostgreSQL (it restarts it) and nginx; its own cluster on other ports.
test-faults: $(VENV)/.installed-dev assets var/secret_key nginx
	$(BIN)/python bench/faults.py

# The cluster's capacity on the quiz and vote endpoints, then 1.5x that: the excess refused fast.
bench-overload: $(VENV)/.installed-dev assets var/secret_key nginx
	$(BIN)/python bench/overload.py

test: $(VENV)/.installed-dev assets
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not fuzz" $(PYTEST_ARGS)

# schemathesis against /api/openapi.json (a few minutes; CI runs it on PostgreSQL + Redis).
test-fuzz: $(VENV)/.installed-dev assets
	$(BIN)/python -m pytest -m fuzz -p no:randomly $(PYTEST_ARGS) tests/api/test_schema_fuzz.py

test-browser: $(VENV)/.installed-dev assets
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Extract strings and compile the catalogue with polib (no system gettext needed to compile).
messages: $(VENV)/.installed-dev
	cd src/qualitymonth && DEBUG=1 ../../$(BIN)/qualitymonth makemessages -l zh_Hans --no-obsolete --no-location
	$(BIN)/python tools/compile_messages.py

bench: bench-calendar bench-quiz bench-vote bench-complaints bench-routing bench-enterprises bench-supervision bench-dashboard

bench-calendar: $(VENV)/.installed assets
	$(BIN)/python bench/calendar_load.py

# Needs the local PostgreSQL and Redis (see bench/quiz_burst.py for the addresses).
bench-quiz: $(VENV)/.installed assets
	$(BIN)/python bench/quiz_burst.py

# Needs the local PostgreSQL and Redis (see bench/vote_storm.py for the addresses).
bench-vote: $(VENV)/.installed assets
	$(BIN)/python bench/vote_storm.py

# Needs the local PostgreSQL: a million synthetic cases (BENCH_CASES), then the office pages.
bench-complaints: $(VENV)/.installed assets
	$(BIN)/python bench/complaints_scale.py

# Needs the local PostgreSQL: 100,000 enterprises and 500,000 needs (BENCH_ENTERPRISES,
# BENCH_NEEDS), then the office's registry and needs pages and the dispatch suggestion.
bench-enterprises: $(VENV)/.installed assets
	$(BIN)/python bench/enterprises.py

# Needs the local PostgreSQL: 200,000 subjects and 1,000,000 inspections (BENCH_SUBJECTS,
# BENCH_INSPECTIONS), then a draw of 1,000 subjects and the office's inspection and hazard lists.
bench-supervision: $(VENV)/.installed assets
	$(BIN)/python bench/supervision.py

# Needs the local PostgreSQL: 1,000,000 complaints, 1,000,000 quiz attempts, 100,000
# registrations and 2,000 activities in the demo campaign (BENCH_COMPLAINTS, BENCH_ATTEMPTS,
# BENCH_REGISTRATIONS, BENCH_ACTIVITIES), then the dashboard's data, the public results page and
# the Word report.
bench-dashboard: $(VENV)/.installed assets
	$(BIN)/python bench/dashboard.py

bench-routing: $(VENV)/.installed
	$(BIN)/python bench/routing_speed.py

# Rebuild the shipped routing models from src/qualitymonth/complaints/routing/data/*.csv.
routing-model: $(VENV)/.installed var/secret_key
	$(BIN)/qualitymonth routing build

clean:
	rm -rf $(VENV) node_modules src/qualitymonth/static/vendor var/static
