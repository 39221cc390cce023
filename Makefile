# Suksa: `make run` serves the demo; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEMO_PASSWORD ?= demo
INSTALLED := $(VENV)/.installed

.PHONY: run test install translations devenv setup lint bench clean backup restore

# Reinstall only when the lock file changed since the last install.
$(INSTALLED): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# pip before 23.3 refuses an extra (fonttools[woff]) under --require-hashes.
	$(PY) -m pip install --quiet --disable-pip-version-check "pip>=24"
	# icukit-pyicu replaced PyICU (same `icu` module): an older .venv must drop PyICU first.
	$(PY) -m pip uninstall --quiet --disable-pip-version-check --yes pyicu
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

install: $(INSTALLED)

translations: install
	$(PY) scripts/compile_translations.py

# A development checkout: manage.py and Celery use the dev settings (config/environment.py).
devenv:
	@grep -qs "^DJANGO_SETTINGS_MODULE=" .env || { \
		echo "DJANGO_SETTINGS_MODULE=config.settings.dev" >> .env; \
		echo "Wrote DJANGO_SETTINGS_MODULE=config.settings.dev to .env (a development checkout)."; }

setup: translations devenv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_places
	$(PY) manage.py seed_demo --password $(DEMO_PASSWORD)

run: setup
	@echo "Serving http://127.0.0.1:$(PORT)/ — sign in at /admin/ with the users above."
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# With DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis) set, the integration
# tests run too, against a real Celery worker process; without them they are deselected.
# The tests run in parallel, one process per core (TEST_WORKERS=0 for one process);
# each process has its own test database and media folder.
# TEST_MARKS narrows the run by markers (.ci/run: 'not browser' in its SQLite pass, the
# browser journeys running in its PostgreSQL pass).
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
TEST_MARKS ?=
PYTEST := $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal
test: translations
	@if [ -n "$$DATABASE_URL" ] && [ -n "$$CELERY_BROKER_URL" ]; then \
		echo "Tests on $${DATABASE_URL%%:*} with broker $${CELERY_BROKER_URL%%:*}, integration included"; \
		$(PYTEST) $(if $(TEST_MARKS),-m "$(TEST_MARKS)") $(PYTEST_ARGS); \
	else \
		echo "Tests on SQLite with eager Celery (set DATABASE_URL and CELERY_BROKER_URL for integration tests)"; \
		$(PYTEST) -m "not integration$(if $(TEST_MARKS), and ($(TEST_MARKS)))" $(PYTEST_ARGS); \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: translations
	$(PY) benchmarks/run.py

# Database dump (pg_dump or SQLite's backup API) and media into one archive under
# var/backups/ (BACKUP_DIR=… for elsewhere); restore with ARCHIVE=… (asks first).
BACKUP_DIR ?= var/backups
backup: install
	$(PY) manage.py backup --output $(BACKUP_DIR)

restore: install
	@test -n "$(ARCHIVE)" || (echo "Usage: make restore ARCHIVE=var/backups/suksa-….tar.gz"; exit 1)
	$(PY) manage.py restore $(ARCHIVE)

clean:
	rm -rf $(VENV) var db.sqlite3
