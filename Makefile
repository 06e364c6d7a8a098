# The README's quick start is `make run` and `make test`; both set up .venv themselves.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: translations run test lint typecheck layers pytest bench screenshots bundle bundle-check sysdeps \
	report-pages desktop-tools desktop-check real-tools install-check lock man fuzz clean

# Exact versions of everything pip installs for the tests, the tools and the bundle: what
# CI ran green with. `make lock` refreshes it; pyproject.toml keeps the ranges.
LOCK := constraints.txt
PIP := $(BIN)/python -m pip

# pip >= 25.1 installs dependency groups (--group); the lock names the version.
$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	{ $(PIP) install -q -c $(LOCK) pip \
	  && $(PIP) install -q -c $(LOCK) -e '.[test]' --group dev; } > $(VENV)/pip.log 2>&1 \
	  || { grep -v 'is ignored: it is neither' $(VENV)/pip.log; exit 1; }
	$(BIN)/python -c "import hvplanner, PySide6, pyqtgraph, pydantic, numpy, pytest"
	@touch $(STAMP)

# The checkout's bytecode, compiled when a module changes: where PYTHONDONTWRITEBYTECODE is
# set (or the tree is read-only) every command would compile what it imports afresh, a
# sixth of `hvplanner size`. An installed wheel gets its bytecode from pip.
PYC := $(VENV)/.bytecode
$(PYC): $(STAMP) $(shell find hvplanner -name '*.py')
	$(BIN)/python -m compileall -q hvplanner > /dev/null
	@touch $@

# Qt needs a few system libraries even offscreen; the script installs what is missing.
sysdeps:
	@sh packaging/linux/ensure-system-deps.sh

# Tools the tests read outputs with: desktop-file validators and pdftotext (tests skip without them).
desktop-tools:
	@sh packaging/linux/ensure-desktop-tools.sh

desktop-check:
	@sh packaging/linux/check-desktop-files.sh

# Xvfb, xdotool and Qt's xcb libraries for the real-window tests (tests/real).
real-tools:
	@sh packaging/linux/ensure-real-window-tools.sh

run: $(STAMP) $(PYC) sysdeps
	$(BIN)/hvplanner gui

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports --no-cache

# The real-window layer (tests/real) starts its own X server; here a missing tool fails it.
pytest: $(STAMP) $(PYC) sysdeps desktop-tools real-tools
	QT_QPA_PLATFORM=offscreen HVPLANNER_REAL_TESTS=required $(BIN)/pytest

test: lint typecheck layers pytest

# Build the wheel, install it into a fresh venv in a temp folder and run it from there
# (about 15 s with a warm pip cache). CI runs it after `make test`.
install-check: $(STAMP) sysdeps desktop-tools
	bash packaging/check-install.sh $(BIN)/python

# Real windows on a virtual X server, so the pictures show what users see.
SHOTS := docs/screenshots
SAMPLES := resources/samples
screenshots: $(STAMP) sysdeps
	@command -v xvfb-run >/dev/null 2>&1 && ldconfig -p | grep -q libxcb-cursor || { [ "$$(id -u)" = 0 ] \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
	     libxcb-image0 libxcb-render-util0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-shape0 >/dev/null; } \
	  || { echo "make screenshots needs xvfb-run (Debian: apt-get install xvfb)" >&2; exit 1; }
	mkdir -p $(SHOTS)
	env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1200x24" $(BIN)/hvplanner gui --theme light \
	  --screenshot $(SHOTS)/canvas-seed.png --size 1600x1000
	env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1200x24" $(BIN)/hvplanner gui \
	  $(SAMPLES)/p2v-128-old-servers.hvplan.json --theme light --screenshot $(SHOTS)/canvas-p2v.png --size 1600x1000
	env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1200x24" $(BIN)/hvplanner gui \
	  $(SAMPLES)/p2v-128-old-servers.hvplan.json --view compare \
	  --theme light --screenshot $(SHOTS)/compare-p2v.png --size 1600x1000
	env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1200x24" $(BIN)/hvplanner gui \
	  --view readiness --theme light --screenshot $(SHOTS)/readiness.png --size 1600x1000
	env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1200x24" $(BIN)/hvplanner gui \
	  $(SAMPLES)/mixed-workloads-6-hosts.hvplan.json --view utilization --select h1 --select h4 \
	  --theme light --screenshot $(SHOTS)/utilization.png --size 1600x1000
	env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1200x24" $(BIN)/hvplanner gui \
	  $(SAMPLES)/mixed-workloads-6-hosts.hvplan.json --fail h2@d1-10:00 \
	  --theme light --screenshot $(SHOTS)/utilization-failure.png --size 1600x1000
	# Every tab in the light and the dark theme (the light canvas, compare, readiness and
	# utilization shots are the ones above).
	env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1200x24" $(BIN)/hvplanner gui \
	  $(SAMPLES)/mixed-workloads-6-hosts.hvplan.json --view vms --theme light \
	  --screenshot $(SHOTS)/vms.png --size 1600x1000
	env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1200x24" $(BIN)/hvplanner gui \
	  $(SAMPLES)/mixed-workloads-6-hosts.hvplan.json --view hosts --select h1 --theme light \
	  --screenshot $(SHOTS)/hosts.png --size 1600x1000
	env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1200x24" $(BIN)/hvplanner gui \
	  $(SAMPLES)/mixed-workloads-6-hosts.hvplan.json --view cost --theme light \
	  --screenshot $(SHOTS)/cost.png --size 1600x1000
	for v in canvas vms hosts utilization compare cost readiness; do \
	  env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1200x24" $(BIN)/hvplanner gui \
	    $(SAMPLES)/mixed-workloads-6-hosts.hvplan.json --view $$v --select h1 --theme dark \
	    --screenshot $(SHOTS)/$$v-dark.png --size 1600x1000 || exit 1; \
	done
	# The window as it opens on the common laptop and desktop screens: it picks its own size.
	for s in 1280x800 1920x1080; do \
	  env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 $${s}x24" $(BIN)/hvplanner gui \
	    $(SAMPLES)/mixed-workloads-6-hosts.hvplan.json --select h1 --theme light \
	    --screenshot $(SHOTS)/window-$$s.png --size $$s || exit 1; \
	done
	env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1200x24" $(BIN)/python \
	  docs/screenshot_import_preview.py tests/formats/data/sources/rvtools.xlsx $(SHOTS)/import-preview.png

# Many generated plans, inventories and snapshots through the CLI (tests/fuzz; about
# 20 min on 2 busy cores). `make test` runs a few examples of the same generators.
fuzz: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.fuzz --plans 10000 --inventories 2000 \
	  --snapshots 500 --workers 2 --json .venv/fuzz-figures.json

# The template translators start from: every translate("Context", "text") of the window
# and every QT_TRANSLATE_NOOP("painting", …) its pictures draw, found by pyside6-lupdate (part of the PySide6-Essentials wheel). English is built in; a
# translator adds resources/translations/hvplanner_<lang>.ts and releases it with
# pyside6-lrelease to hvplanner_<lang>.qm beside it.
TS := resources/translations/hvplanner.ts
translations: $(STAMP)
	mkdir -p $(dir $(TS))
	$(BIN)/pyside6-lupdate -no-obsolete -locations relative -source-language en \
	  $$(find hvplanner/ui hvplanner/painting -name '*.py' | sort) -ts $(TS)

# hvplanner(1), written from the argument parser; a test fails while it is out of date.
# The sdist carries docs/hvplanner.1, the wheel installs it under share/man/man1, and the
# bundle has it in its top folder.
man: $(STAMP)
	$(BIN)/python -m hvplanner.commands.manpage docs/hvplanner.1

bench: $(STAMP) $(PYC)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

# The PDF report of both sample plans, and its pages as PNG for the README (pdftoppm).
REPORTS := docs/report
report-pages: $(STAMP) sysdeps
	@command -v pdftoppm >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; } \
	  || { echo "make report-pages needs pdftoppm (Debian: apt-get install poppler-utils)" >&2; exit 1; }
	mkdir -p $(REPORTS)
	rm -f $(REPORTS)/*.png
	QT_QPA_PLATFORM=offscreen $(BIN)/hvplanner export $(SAMPLES)/seed-200-win7-hyperv2008r2.hvplan.json \
	  --pdf $(REPORTS)/seed-200-win7.pdf
	QT_QPA_PLATFORM=offscreen $(BIN)/hvplanner export $(SAMPLES)/p2v-128-old-servers.hvplan.json \
	  --pdf $(REPORTS)/p2v-128-old-servers.pdf
	pdftoppm -r 60 -png $(REPORTS)/seed-200-win7.pdf $(REPORTS)/seed-200-win7
	pdftoppm -r 60 -png $(REPORTS)/p2v-128-old-servers.pdf $(REPORTS)/p2v-128-old-servers
	QT_QPA_PLATFORM=offscreen $(BIN)/hvplanner export $(SAMPLES)/windows-linux-licence-cost.hvplan.json \
	  --pdf $(REPORTS)/windows-linux-licence-cost.pdf
	pdftoppm -r 60 -png $(REPORTS)/windows-linux-licence-cost.pdf $(REPORTS)/windows-linux-licence-cost

# Standalone one-folder bundle in dist/hvplanner/ (PyInstaller goes into .venv only, not
# into the test extra). A clean build takes about 35 s on 2 cores; see bench/RESULTS.md.
PYINSTALLER := $(BIN)/pyinstaller
$(PYINSTALLER): $(STAMP)
	$(PIP) install -q -c $(LOCK) --group bundle > $(VENV)/pip-pyinstaller.log 2>&1 \
	  || { grep -v 'is ignored: it is neither' $(VENV)/pip-pyinstaller.log; exit 1; }
	@touch $@

bundle: $(PYINSTALLER)
	$(PYINSTALLER) --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
	  packaging/pyinstaller/hvplanner.spec
	@echo "bundle: dist/hvplanner, $$(du -sm dist/hvplanner | cut -f1) MB"

# Build the bundle, then run it as a user would, from outside the source tree.
bundle-check: bundle sysdeps desktop-tools
	$(BIN)/python packaging/smoke.py --desktop-entry -- dist/hvplanner/hvplanner
	@test -s dist/hvplanner/hvplanner.1 || { echo "the bundle has no man page" >&2; exit 1; }
	@test -s dist/hvplanner/_internal/hvplanner/resources/licenses/system-libraries/README.md \
	  || { echo "the bundle has no notices for its system libraries" >&2; exit 1; }

# Refresh constraints.txt: resolve pyproject.toml's ranges afresh in a clean venv (the
# runtime dependencies, the test extra and the dev and bundle groups), then run `make test`
# and `make install-check` before committing the new file. About a minute with a warm cache.
LOCK_VENV := build/lock-venv
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install -q --upgrade 'pip>=25.1'
	$(LOCK_VENV)/bin/python -m pip install -q '.[test]' --group dev --group bundle
	{ echo "# Exact versions for CI, make bundle and make install-check (pip install -c)."; \
	  echo "# Generated by 'make lock' with $$($(LOCK_VENV)/bin/python -V) on $$(uname -sm); do not edit."; \
	  $(LOCK_VENV)/bin/python -m pip freeze --all --exclude hvplanner --exclude setuptools; \
	} > $(LOCK).new
	mv $(LOCK).new $(LOCK)
	rm -rf $(LOCK_VENV)
	@echo "$(LOCK): $$(grep -c '==' $(LOCK)) pinned packages"

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
