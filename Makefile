# The two commands a newcomer needs (see README): `make run` and `make test`.
# Every step a fresh machine needs is scripted here, so CI (a clean clone) does exactly this.

VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test bench setup setup-dev data check lint system-deps

# The page at http://localhost:8501 (Ctrl+C stops it).
run: setup
	$(VENV)/bin/streamlit run app.py

test: setup-dev system-deps lint
	$(PY) -m pytest

# Leaflet for the offline map (copied from its registry package) and the map's own script and
# data, published into static/ (gitignored).
LEAFLET := static/vendor/leaflet/.version

setup: $(VENV)/.runtime $(LEAFLET)

setup-dev: $(STAMP) node_modules/.package-lock.json $(LEAFLET)

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# Measure the page beside a naive build and a floor; writes benchmarks/report.json and
# benchmarks/REPORT.md (a benchmark: it reports, it never fails on a slow machine).
bench: setup-dev system-deps
	$(PY) -m benchmarks.run

# Rebuild the derived files in geodata/ from their sources (see geodata/README.md).
data: setup-dev
	$(PY) scripts/build_countries.py
	$(PY) scripts/build_article.py

# Validate the committed data and print the measured figures.
check: setup
	$(PY) -m corridors.check

$(VENV)/bin/python:
	python3 -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(STAMP): requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(VENV)/.runtime $@

# The script leaves an up-to-date copy alone, so touch the stamp for make's sake.
$(LEAFLET): $(VENV)/.runtime scripts/install_assets.py $(wildcard corridors/*.py corridors/web/* geodata/*.* geodata/articles/*)
	$(PY) scripts/install_assets.py
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here), the
# proxy tests run Debian's nginx with deploy/nginx/corridors.conf, the container tests build
# and run the image with Debian's podman (daemonless; runc, and debootstrap for stand-in base
# images where no image registry answers: harness/containers.py), and the article store's tests
# run Debian's PostgreSQL server (harness/postgres.py). Each is package:program it installs.
SYSTEM_PACKAGES := chromium:chromium nginx:/usr/sbin/nginx podman:podman runc:runc \
	debootstrap:/usr/sbin/debootstrap postgresql:/usr/lib/postgresql/*/bin/initdb

system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do program=$${p#*:}; \
	  command -v $$program >/dev/null || ls $$program >/dev/null 2>&1 || echo $${p%%:*}; done); \
	if [ -n "$$missing" ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
