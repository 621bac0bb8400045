# WealthDesk — the two commands a newcomer needs: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SIZE ?= small

.PHONY: run test install migrate demo serve lint bench clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v0

demo: migrate
	$(BIN)/python manage.py seed_demo --size $(SIZE)

## make run: install, migrate the SQLite file under var/, load demo data once, serve with gunicorn
run: demo
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo ""
	@echo "WealthDesk is at http://$(HOST):$(PORT)/  — demo logins (password WealthDesk-demo-2026):"
	@echo "  admin auditor hq_service branch1_service subbranch1_service head_c1 lead_c1 cm_c1_1 cm_c1_2"
	@echo "  supervisor_c1 lobby_c1 teller_c1 teller2_c1 archivist_c1 cm_c2_1 head_c2 advisor_1 expert_1 quality_b1 security_officer"
	@echo "  second step: the code from .venv/bin/python manage.py demo_totp (demo secret in the README)"
	$(BIN)/gunicorn wealthdesk.config.wsgi:application --bind $(HOST):$(PORT) --workers 2 --threads 4 --timeout 60 --access-logfile -

## make test: the whole suite (unit, API, browser); DATABASE_URL selects PostgreSQL
test: install
	mkdir -p var/static
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	env -u DJANGO_SETTINGS_MODULE $(BIN)/pytest -q -n 2 --dist loadfile  # pytest.ini picks the test settings

lint: install
	$(BIN)/ruff check wealthdesk bench

## make bench: the PostgreSQL benchmarks (throw-away databases on 127.0.0.1:5432; see bench/README.md)
bench: install
	$(BIN)/python bench/load_balances.py
	$(BIN)/python bench/scan_alerts.py
	$(BIN)/python bench/seed_large.py

clean:
	rm -rf var/*.sqlite3* var/static
