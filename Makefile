# Two commands do all the set-up (README): `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test lint check-migrations check-deploy deps dev-deps system-deps browser-deps screenshots document-images bench

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.deps: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.deps

deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

## Debian packages the product needs (WeasyPrint's text shaping, CJK font, PDF tools, gettext), and
## the free faces of the official documents (scripts/document-fonts.sh).
system-deps:
	@bash scripts/system-deps.sh
	@bash scripts/document-fonts.sh

## Run the product on the embedded default (SQLite, no Redis): web + Celery worker + beat.
run: system-deps deps
	bash scripts/run.sh

## What the browser tests need: Debian's Chromium and Node.js/npm, and axe-core from the npm registry
## (into node_modules/, not committed). Playwright never downloads a browser here.
AXE_VERSION ?= 4.14.1
browser-deps:
	@WITH_BROWSER=1 bash scripts/system-deps.sh
	@test -f node_modules/axe-core/axe.min.js || npm install --no-save --no-audit --no-fund --no-package-lock axe-core@$(AXE_VERSION)

## Run the whole test suite, browser journeys included (against DATABASE_URL/REDIS_URL when set, else
## SQLite); the ten-minute soak runs beside the rest (scripts/test.sh).
test: system-deps dev-deps browser-deps check-migrations check-deploy lint
	VENV=$(VENV) bash scripts/test.sh

## Run the browser journeys and keep their screenshots in docs/screenshots (shown in the README).
screenshots: dev-deps browser-deps
	SCREENSHOT_DIR=docs/screenshots $(VENV)/bin/pytest tests/browser -q

## Render one PDF of each issued document from the demo data and keep their first pages in docs/documents (README).
document-images: system-deps deps
	bash scripts/document-images.sh

check-migrations: $(VENV)/.dev-deps
	$(PY) manage.py makemigrations --check --dry-run

## Production settings must pass Django's deployment checks with no warning.
# Production requires an SM2 document signing key file (cases.signing): a throwaway one for the check.
check-deploy: $(VENV)/.dev-deps
	key=$$(mktemp -d)/sm2-signing.key && $(PY) manage.py document_signing_key --create $$key >/dev/null && \
	DJANGO_SETTINGS_MODULE=interference_registry.settings_production DOCUMENT_SIGNING_KEY_FILE=$$key \
	  SECRET_KEY=ci-only-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n') \
	  FIELD_ENCRYPTION_KEYS=ci:$$(head -c 16 /dev/urandom | base64) \
	  AUDIT_SEAL_KEY=ci-only-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n') \
	  $(PY) manage.py check --deploy --fail-level WARNING; status=$$?; rm -rf $$(dirname $$key); exit $$status

lint: $(VENV)/.dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

## Issue-10 benchmarks at national scale (2,000,000 records, its own PostgreSQL on port 54340; not in `make test`).
bench: system-deps dev-deps
	bash benchmarks/run.sh
