# Thaw: `make run` starts the app, `make test` runs every test. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint chromium webkit postgresql icons

run: $(VENV)/.installed
	$(BIN)/thaw serve

test: $(VENV)/.installed chromium webkit postgresql
	$(BIN)/ruff check pwa tests bench tools
	$(BIN)/ruff format --check pwa tests bench tools
	node --test tests/js
	$(BIN)/pytest

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Debian's Chromium for the browser tests (Playwright cannot download its own here).
chromium:
	@command -v chromium >/dev/null || { \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium; }
	@command -v node >/dev/null || { \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y nodejs; }

# Debian's WebKitGTK (MiniBrowser and WebKitWebDriver) and Xvfb for the WebKit journeys (tests/webkit).
webkit:
	@command -v WebKitWebDriver >/dev/null && command -v Xvfb >/dev/null || { \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y webkit2gtk-driver xvfb; }

# Debian's PostgreSQL server binaries: the tests start a real server from them in a temp folder.
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y postgresql; }

icons: $(VENV)/.installed chromium
	$(BIN)/python tools/make_icons.py
