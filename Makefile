# Ravabet — `make run` sets everything up and serves the demo; `make test` runs lint and every test.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.12 python3.13 python3; do \
	command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/ravabet
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test test-pg lint setup migrate demo worker bench clean chromium wrk smoke-prod bench-search-pg

$(BIN)/.installed: requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (python3.12 or python3.13 on PATH)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $@

setup: $(BIN)/.installed
	mkdir -p var

migrate: setup
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

# Web server, task worker and scheduler together; Ctrl+C stops all three.
# The demo relaxes the HQ two-step login enrolment (TWO_FACTOR_REQUIRED=0); the admin still needs a code.
run: export TWO_FACTOR_REQUIRED ?= 0
run: demo
	@$(BIN)/python manage.py shell -v 0 -c "from ravabet.lib.devwarning import development_warning as w; print(w())"
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/python manage.py db_worker --queue-name='*' & \
	$(BIN)/python manage.py run_scheduler & \
	$(BIN)/python manage.py runserver 127.0.0.1:8000 --noreload & \
	sleep 2; echo; echo "Ravabet: http://127.0.0.1:8000/  (logins above, password: ravabet-demo)"; wait

lint: setup
	$(BIN)/ruff check ravabet bench conftest.py
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# The browser tests drive Debian's Chromium (CHROMIUM=/path overrides /usr/bin/chromium). As root with apt
# (as CI runs) it is installed here; otherwise one line says how to get it, before anything else runs.
CHROMIUM ?= /usr/bin/chromium
chromium:
	@test -x "$(CHROMIUM)" || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  { echo "Installing Debian's chromium for the browser tests (apt-get install chromium)"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium && test -x "$(CHROMIUM)"; }; } || \
	  { echo "The browser tests need Chromium at $(CHROMIUM): run 'sudo apt-get install chromium' (Debian/Ubuntu) or set CHROMIUM=/path/to/chromium."; exit 1; }

test: chromium lint
	mkdir -p var/static
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

test-pg: chromium setup
	mkdir -p var/static
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# The bench drives Debian's wrk against gunicorn (apt-get install wrk; installed here when run as root).
wrk:
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  { echo "Installing Debian's wrk for the benchmark (apt-get install wrk)"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }; } || \
	  { echo "The benchmark needs wrk: run 'sudo apt-get install wrk' (Debian/Ubuntu)."; exit 1; }

bench: migrate wrk
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Production as a test (issue 18 §7): gunicorn with several workers, db_worker, run_scheduler, PostgreSQL and
# Redis, DEBUG off; a login, a public complaint (its rate limit shared across workers), a PDF and an SMS
# through the outbox. Uses a fresh database `ravabet_smoke` (PG_ADMIN_URL's server) and Redis database 13.
smoke-prod: setup
	$(BIN)/python .ci/smoke_prod.py $(SMOKE_ARGS)

# Public news search on PostgreSQL at 1,000,000 news items against the bench's 20-row page (issue 18 §5);
# the data go into a separate database `ravabet_search_bench`, loaded once (BENCH_ARGS=--rebuild reloads).
bench-search-pg: setup
	$(BIN)/python .ci/search_bench_pg.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
