# The two commands: `make run` (set up, demo data, start) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_PASSWORD ?= demo-lösenord-2026
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := eventapp

.PHONY: install run test test-fast lint format translations browser icaljs clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed
	$(BIN)/python scripts/translations.py compile

run: install
	EVENTAPP_ENVIRONMENT=development $(BIN)/flask init-db
	EVENTAPP_ENVIRONMENT=development $(BIN)/flask seed-demo --password "$(DEMO_PASSWORD)"
	@echo "Demo accounts: admin@example.org, organiser@example.org, entrepreneur@example.org, juror1..5@example.org, panel1@example.org; password: $(DEMO_PASSWORD)"
	@echo "Open http://$(HOST):$(PORT)/ (mail is written to instance/mail/)"
	EVENTAPP_ENVIRONMENT=development EVENTAPP_MAIL_TRANSPORT=file EVENTAPP_MAIL_SEND_AFTER_REQUEST=true \
		$(BIN)/flask run --host $(HOST) --port $(PORT)

# The whole suite: SQLite always, PostgreSQL too when EVENTAPP_TEST_POSTGRES_URL is set,
# browser tests in Chromium (installed from Debian's archive when missing and possible).
test: install browser icaljs
	$(BIN)/python -m pytest

# Mozilla's ical.js reads our feeds in tests/calendar (skipped with a message without it).
icaljs:
	@if command -v npm >/dev/null; then cd tests/calendar/icaljs && npm ci --no-audit --no-fund --silent; \
	else echo "npm not found: the ical.js feed check will be skipped"; fi

test-fast: install
	$(BIN)/python -m pytest -m "not e2e and not slow"

browser:
	@scripts/ensure_chromium.sh

lint:
	$(BIN)/ruff check eventapp tests bench scripts
	$(BIN)/ruff format --check eventapp tests bench scripts

format:
	$(BIN)/ruff format eventapp tests bench scripts
	$(BIN)/ruff check --fix eventapp tests bench scripts

translations: install
	$(BIN)/python scripts/translations.py update

clean:
	rm -rf $(VENV) .pytest_cache
