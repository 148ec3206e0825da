# Peer'M's two commands: `make run` and `make test`. Both set up what they need first and
# are safe to run again (a second `make run` keeps the data).
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(PY) -m flask --app app
# The PostgreSQL server the tests use for their second run (each run makes its own database).
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
export TEST_DATABASE_URL

.PHONY: run test install install-dev browser db messages bench clean

run: db
	$(PY) app.py

test: install-dev browser
	$(PY) -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Chromium for the browser tests, from Debian's packages when it is missing.
browser:
	@if [ -n "$$CHROME_PATH" ] && [ -x "$$CHROME_PATH" ]; then \
	  echo "Chromium: $$CHROME_PATH"; \
	elif [ -x /usr/bin/chromium ]; then \
	  echo "Chromium: /usr/bin/chromium"; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "Chromium is missing and cannot be installed here: the browser tests will be skipped" \
	       "(set CHROME_PATH, or install Debian's chromium package)."; \
	fi

db: install
	$(FLASK) load-demo

# Extract the messages and merge them into the Dutch catalogue (then translate what is new).
messages: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location -o /tmp/peerm-messages.pot .
	$(VENV)/bin/pybabel update -i /tmp/peerm-messages.pot -d peerm/translations --no-fuzzy-matching -w 100

bench: install-dev browser
	$(PY) bench/page_weight.py

clean:
	rm -rf static/gen .pytest_cache test-artifacts
