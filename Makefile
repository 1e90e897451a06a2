# Atlas: `make run` to use it, `make test` to check it. Both set up what they need.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test lint format setup admin gazetteer clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## setup: virtual environment, dependencies, database and fixtures (first run only).
setup: $(VENV)/.installed
	DEBUG=true $(PY) manage.py migrate --no-input
	DEBUG=true $(PY) manage.py load_fixtures --if-empty

## run: serve Atlas on http://$(HOST) with the embedded SQLite database.
run: setup
	@echo "Atlas on http://$(HOST)/ - an admin login: make admin (in another terminal)"
	DEBUG=true $(PY) manage.py runserver $(HOST)

## admin: create a login for the editors' admin.
admin: setup
	DEBUG=true $(PY) manage.py createsuperuser

## test: lint, then the whole suite (SQLite, or PostgreSQL when DATABASE_URL is set).
test: $(VENV)/.installed-dev lint
	DEBUG=true $(VENV)/bin/pytest

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## gazetteer: rebuild fixtures/places.json from GeoNames and the supplement.
gazetteer: $(VENV)/.installed
	DEBUG=true $(PY) manage.py build_gazetteer

clean:
	rm -rf $(VENV) db.sqlite3 var .pytest_cache .ruff_cache
