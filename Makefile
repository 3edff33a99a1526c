# The two commands of the README, and the pieces they are made of.
VENV ?= .venv
PY := $(VENV)/bin/python
TSLCD := $(VENV)/bin/tslcd

.PHONY: demo test lint setup clean-data

# Set up, then run the main job against the built-in lab: start the lab, back up every device
# (an unattended run: backup, audit, report), stop the lab, and end with the audit summary
# (counts by severity, the top findings).
demo: $(VENV)/.installed
	$(TSLCD) inventory check
	$(TSLCD) lab up
	mkdir -p data/reports
	$(TSLCD) run backup+audit --lab > data/reports/demo-run.txt; status=$$?; \
	$(TSLCD) audit --format html --output data/reports/audit.html; \
	$(TSLCD) lab down; cat data/reports/demo-run.txt; exit $$status

# Set up, then run the whole test suite and the linter.
test: $(VENV)/.installed
	# Four workers, one test file each at a time: the lab tests mostly wait on device timers and
	# Netmiko's read delays, so they overlap well even on two cores (a file keeps its fixtures).
	$(PY) -m pytest -q --ignore=tests/tui -n 4 --dist loadfile
	$(PY) -m pytest -q tests/tui  # the TUI in a process of its own: no state left by other tests
	$(VENV)/bin/ruff check .

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@
