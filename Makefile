# Atlas: `make run` to use it, `make test` to check it. Both set up what they need.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
WORKERS ?= 4

.PHONY: run serve test lint format setup admin gazetteer clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# This checkout's own settings (git-ignored): DEBUG on and a generated key, so every
# `manage.py` command works in a new shell. Production sets its own environment instead.
.env:
	@printf '# Written by `make setup` for this checkout only (git-ignored).\n# The real environment wins over these; production sets its own.\nDEBUG=true\nSECRET_KEY=%s\n' \
		"$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "Wrote .env (DEBUG=true and a generated SECRET_KEY) for this checkout."

## setup: virtual environment, dependencies, settings, database and fixtures (first run only).
setup: $(VENV)/.installed .env
	@mkdir -p var/static
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_fixtures --if-empty

## run: serve Atlas on http://$(HOST) with the embedded SQLite database (development server),
## and the worker that imports the files editors upload (its queue is kept in the database).
run: setup
	@echo "Atlas on http://$(HOST)/ - an admin login: make admin (in another terminal)"
	@$(PY) manage.py worker --verbosity 0 & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
		$(PY) manage.py runserver $(HOST)

## serve: Atlas the production way on this machine: DEBUG off, gunicorn, static files by
## WhiteNoise, plain HTTP on $(HOST) (put TLS in front of it in a real deployment).
serve: setup
	$(PY) manage.py collectstatic --no-input --verbosity 0
	DEBUG=false SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0 SECURE_COOKIES=false \
		ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} \
		sh -c '$(PY) manage.py worker --verbosity 0 & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
		$(VENV)/bin/gunicorn atlas.wsgi --bind $(HOST) --workers $(WORKERS) \
		--access-logfile - --error-logfile -' 

## admin: create a login for the editors' admin.
admin: setup
	$(PY) manage.py createsuperuser

## test: lint, then the whole suite (SQLite, or PostgreSQL when DATABASE_URL is set).
test: $(VENV)/.installed-dev .env lint
	$(VENV)/bin/pytest

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## gazetteer: rebuild fixtures/places.json.gz from the open data in ../shared/data/gazetteer.
gazetteer: $(VENV)/.installed .env
	$(PY) manage.py build_gazetteer

## clean: remove what setup and the tests made (var/corpus, the rebuilt report texts, stays).
clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm var/static var/test.sqlite3* .pytest_cache .ruff_cache
