# PCCC Inspect task runner. `make run` and `make test` are the two commands a newcomer needs.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint format lock migrate demo worker web clean prod-local prod-local-stop vendor \
	mutation mutation-recheck

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py create_dev_signing_cert
	$(BIN)/python manage.py seed_demo

# Web app on http://127.0.0.1:8000 plus a Celery worker with embedded beat, on the embedded
# defaults (SQLite + SQLite broker) unless DATABASE_URL / REDIS_URL are set. Ctrl-C stops all.
run: demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python -m config.run_dev

web: install
	$(BIN)/python manage.py runserver 127.0.0.1:8000

worker: install
	$(BIN)/celery -A config worker -B -l info --concurrency 2 --scheduler config.beat:AdminEditableScheduler \
	  -Q celery,records,signing,notifications,summaries,imports,obligations

# The production stack on this machine (docs/deploy.md): nginx + 2 gunicorn + PostgreSQL + Redis +
# three Celery worker pools + one beat, configured by .env (created from .env.example).
prod-local: install
	deploy/prod-local.sh start

prod-local-stop:
	deploy/prod-local.sh stop

# Two passes: everything but the browser and multi-process tests on one worker per core
# (pytest-xdist; each worker has its own test database and cache, tests/conftest.py), then
# those (live server, nginx, fixed ports) one at a time. The slowest tests are listed.
# PYTEST_ARGS narrow both passes; a pass that selects nothing is not a failure.
PYTEST_WORKERS ?= auto
test: install
	$(BIN)/pytest -m "not e2e" -n $(PYTEST_WORKERS) --dist loadfile --durations=15 $(PYTEST_ARGS) \
	  || [ $$? -eq 5 ]
	$(BIN)/pytest -m e2e --durations=15 $(PYTEST_ARGS) || [ $$? -eq 5 ]

# Mutation testing of the legal engine (docs/testing.md): every mutant of inspections/rules/
# against tests/inspections/rules/, then the score per module (fails below 85%). CPU heavy.
MUTMUT_CHILDREN ?= 2
mutation: install
	rm -rf mutants/
	$(BIN)/mutmut run --max-children $(MUTMUT_CHILDREN)
	$(BIN)/python scripts/mutation_score.py

# After adding tests: test again only the mutants not killed yet (killed ones stay killed).
mutation-recheck: install
	$(BIN)/python scripts/mutation_score.py --recheck
	$(BIN)/mutmut run --max-children $(MUTMUT_CHILDREN)
	$(BIN)/python scripts/mutation_score.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the lock (pinned versions of everything installed) after changing pyproject.toml.
lock:
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e ' > requirements.lock

# The inspector app's npm libraries (package.json + package-lock.json), copied into
# fieldapp/static/fieldapp/vendor/ and committed: needs npm, unlike run and test.
vendor: install
	npm ci --ignore-scripts --no-audit --no-fund
	$(BIN)/python -m fieldapp.vendoring

clean:
	rm -rf var/ .pytest_cache artifacts/ mutants/
