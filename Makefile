# Two commands: `make run` and `make test`. Everything else is here for them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench setup system-deps messages makemessages lint lock clean

run: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) build_open_data
	@echo ""
	@echo "  公众首页 / public site:      http://$(HOST):$(PORT)/"
	@echo "  工作台 / staff workbench:     http://$(HOST):$(PORT)/workbench/"
	@echo "  管理后台 / general office:    http://$(HOST):$(PORT)/admin/   (bgt_wangli)"
	@echo ""
	$(MANAGE) runserver $(HOST):$(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks print their figures; they build their own data and leave the database as it was.
bench: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) bench_pdfs
	$(MANAGE) bench_reminders

setup: $(STAMP) system-deps messages

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

# Re-pin after changing dependencies in pyproject.toml.
lock: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[dev]'
	( head -n 2 requirements/constraints.txt; $(BIN)/python -m pip freeze --exclude-editable ) > requirements/constraints.new
	mv requirements/constraints.new requirements/constraints.txt

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts .pytest_cache .ruff_cache
