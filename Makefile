# The two commands of the README: `make run` and `make test`. Everything they need is installed here.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# A developer's machine runs in debug mode unless told otherwise: by the environment, or by a
# DEBUG line in .env (a server's .env with DEBUG=false must never get the demo accounts).
ifeq ($(origin DEBUG),undefined)
ifeq ($(shell grep -Eqs '^[[:space:]]*DEBUG[[:space:]]*=' .env && echo set),)
export DEBUG := true
endif
endif

.PHONY: run test lint format messages compilemessages browser install install-test check debug-mode

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet ".[test]"
	touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

# gettext's msgfmt compiles the catalogues; Debian machines without it get it from apt.
gettext:
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; } \
		|| { echo "msgfmt (GNU gettext) is needed: apt-get install gettext"; exit 1; }
.PHONY: gettext

compilemessages: gettext | $(BIN)/python
	$(MANAGE) compilemessages --ignore=.venv >/dev/null

# Refresh the catalogues after adding strings (then translate what is new in both).
messages: install-test
	$(MANAGE) makemessages -l ar -l fr --no-location --ignore=.venv --ignore=tests
	$(MANAGE) compilemessages --ignore=.venv >/dev/null

# Debian's Chromium for the browser tests; no browser is ever downloaded by Playwright.
browser:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null; } \
		|| echo "chromium is not installed: browser tests will be skipped (apt-get install chromium)"

run: install compilemessages
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:8000

test: install-test compilemessages browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install-test compilemessages
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

# Which DEBUG mode `make run` and `make test` use here (true unless the environment or .env says).
debug-mode:
	@echo "DEBUG=$${DEBUG:-unset (from .env)}"
