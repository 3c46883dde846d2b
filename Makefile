# Two commands: `make run` and `make test`. Everything else is here for them.
# The interpreter .venv is made from: scripts/python.sh says which and why.
PYTHON ?= $(shell sh scripts/python.sh)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_bench

.PHONY: run dev demo test bench load setup system-deps messages makemessages lint lock clean

# Absolute links (e-mails, calendar files, open data) name the address served, unless
# PORTAL_BASE_URL is set.
run dev demo: export PORTAL_BASE_URL ?= http://$(HOST):$(PORT)

# The portal as its users see it: the portal's own error pages, static files served.
run: demo
	@echo ""
	@echo "  公众首页 / public site:      http://$(HOST):$(PORT)/"
	@echo "  工作台 / staff workbench:     http://$(HOST):$(PORT)/workbench/"
	@echo "  管理后台 / general office:    http://$(HOST):$(PORT)/admin/   (bgt_wangli)"
	@echo ""
	$(MANAGE) runserver $(HOST):$(PORT)

# The same with Django's debug pages and reloading, for developers.
dev: demo
	DEBUG=true $(MANAGE) runserver $(HOST):$(PORT)

demo: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) build_open_data

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks: one table of every case, also written to docs/PERFORMANCE.md. They
# run on the scale database BENCH_DATABASE_URL, created, migrated and seeded (seed_scale)
# on the first run and only read afterwards; fixtures are rolled back. BENCH_QUICK=1 for a
# short smoke run, BENCH_DURATION=seconds of load per URL, BENCH_ARGS="--only pdfs" etc.
bench: setup
	@sh scripts/ensure-bench-deps.sh
	DJANGO_SETTINGS_MODULE=consult_portal.settings.bench DATABASE_URL=$(BENCH_DATABASE_URL) \
		$(MANAGE) bench --setup $(BENCH_ARGS)

# Load without loss: gunicorn as in production on loopback, LOAD_CLIENTS visitors
# reading public pages and submitting opinions for LOAD_SECONDS; fails on any 5xx, any
# request left without an answer, or when the opinions stored differ from the submissions
# answered with success. Its own database (created, migrated, demo data) and Redis db.
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_load
LOAD_REDIS_URL ?= redis://127.0.0.1:6379/14
LOAD_SECONDS ?= 60
LOAD_CLIENTS ?= 40
load: setup
	DJANGO_SETTINGS_MODULE=consult_portal.settings.bench \
		DATABASE_URL=$(LOAD_DATABASE_URL) LOAD_REDIS_URL=$(LOAD_REDIS_URL) \
		$(MANAGE) load_run --setup --seconds $(LOAD_SECONDS) --clients $(LOAD_CLIENTS)

setup: $(STAMP) system-deps messages
	@sh scripts/ensure-axe.sh
	@sh scripts/ensure-lighthouse.sh
	@sh scripts/ensure-oidc-provider.sh

$(STAMP): pyproject.toml requirements/constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements/constraints.txt -e '.[dev]'
	@touch $@

system-deps:
	@sh scripts/ensure-system-deps.sh

messages: $(STAMP)
	@$(MANAGE) compilemessages --ignore=.venv -v0

# Refresh the catalogues after changing user-facing strings; then translate locale/en.
makemessages: $(STAMP)
	$(MANAGE) makemessages -l en --ignore=.venv --ignore=test-artifacts --no-obsolete

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# Re-pin after changing dependencies in pyproject.toml.
lock: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[dev]'
	( head -n 2 requirements/constraints.txt; $(BIN)/python -m pip freeze --exclude-editable ) > requirements/constraints.new
	mv requirements/constraints.new requirements/constraints.txt

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts .pytest_cache .ruff_cache
