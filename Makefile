# Two commands for a newcomer: `make run` and `make test`. Everything else is a step of theirs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install run test test-browser browser test-postgres lint migrate demo bench clean

install: $(STAMP) .env

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml requirements.lock | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

# A local settings file with fresh random keys, made once.
.env:
	$(PYTHON) -c "import secrets; print(open('.env.example').read() \
	  .replace('SECRET_KEY=change-me', 'SECRET_KEY=' + secrets.token_urlsafe(50)) \
	  .replace('FIELD_ENCRYPTION_KEYS=00112233445566778899aabbccddeeff', 'FIELD_ENCRYPTION_KEYS=' + secrets.token_hex(16)) \
	  .replace('DEMO_ADMIN_PASSWORD=change-me', 'DEMO_ADMIN_PASSWORD=' + secrets.token_urlsafe(9)), end='')" > .env

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo
	$(PY) manage.py setup_schedules

run: demo
	$(PY) manage.py rundev

test: install browser
	$(PY) -m pytest $(PYTEST_ARGS)

# The browser tests alone (tests/browser, marked `browser`): the admin driven in headless Chromium.
test-browser: install browser
	$(PY) -m pytest -m browser tests/browser $(PYTEST_ARGS)

# Debian's Chromium for the browser tests (Playwright drives it; it downloads no browser of its own). Installed
# when missing and this is root with apt-get; otherwise the browser tests are reported as skipped, with the reason.
CHROMIUM := /usr/bin/chromium
browser:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "== installing Debian chromium for the browser tests"; \
	  (DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-wqy-microhei >/dev/null 2>&1 || \
	   (apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-wqy-microhei >/dev/null)) \
	  || echo "!! could not install chromium: the browser tests will be skipped"; \
	else echo "!! $(CHROMIUM) missing and apt-get unavailable or not root: the browser tests will be skipped"; fi

lint: install
	$(VENV)/bin/ruff check .

# The suite against a fresh database on the local PostgreSQL, with the Redis job broker.
test-postgres: install
	$(PY) -m tests.support.fresh_postgres procurement_test
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/procurement_test REDIS_URL=redis://127.0.0.1:6379/15 \
	  $(MAKE) test

bench: install
	command -v wrk >/dev/null || apt-get install -y wrk || sudo apt-get install -y wrk
	for b in bench/[a-z]*.py; do case $$b in */harness.py) ;; *) $(PY) $$b || exit 1;; esac; done

clean:
	rm -rf $(VENV) var .pytest_cache
