# The README's quick start is `make run` and `make test`; both set up .venv themselves.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint typecheck layers pytest bench screenshots bundle bundle-check sysdeps clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e '.[test]' > $(VENV)/pip.log 2>&1 \
	  || { grep -v 'is ignored: it is neither' $(VENV)/pip.log; exit 1; }
	$(BIN)/python -c "import hvplanner, PySide6, pyqtgraph, pydantic, numpy, pytest"
	@touch $(STAMP)

# Qt needs a few system libraries even offscreen; the script installs what is missing.
sysdeps:
	@sh packaging/linux/ensure-system-deps.sh

run: $(STAMP) sysdeps
	$(BIN)/hvplanner gui

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports --no-cache

pytest: $(STAMP) sysdeps
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

test: lint typecheck layers pytest

# Real windows on a virtual X server, so the pictures show what users see.
SHOTS := docs/screenshots
SAMPLES := resources/samples
screenshots: $(STAMP) sysdeps
	@command -v xvfb-run >/dev/null 2>&1 && ldconfig -p | grep -q libxcb-cursor || { [ "$$(id -u)" = 0 ] \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
	     libxcb-image0 libxcb-render-util0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-shape0 >/dev/null; } \
	  || { echo "make screenshots needs xvfb-run (Debian: apt-get install xvfb)" >&2; exit 1; }
	mkdir -p $(SHOTS)
	env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1200x24" $(BIN)/hvplanner gui \
	  --screenshot $(SHOTS)/canvas-seed.png --size 1600x1000
	env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1200x24" $(BIN)/hvplanner gui \
	  $(SAMPLES)/p2v-128-old-servers.hvplan.json --screenshot $(SHOTS)/canvas-p2v.png --size 1600x1000
	env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1200x24" $(BIN)/hvplanner gui \
	  $(SAMPLES)/p2v-128-old-servers.hvplan.json --view compare \
	  --screenshot $(SHOTS)/compare-p2v.png --size 1600x1000
	env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1200x24" $(BIN)/hvplanner gui \
	  --view readiness --screenshot $(SHOTS)/readiness.png --size 1600x1000
	env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1200x24" $(BIN)/hvplanner gui \
	  $(SAMPLES)/mixed-workloads-6-hosts.hvplan.json --view utilization --select h1 --select h4 \
	  --screenshot $(SHOTS)/utilization.png --size 1600x1000
	env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1200x24" $(BIN)/hvplanner gui \
	  $(SAMPLES)/mixed-workloads-6-hosts.hvplan.json --fail h2@d1-10:00 \
	  --screenshot $(SHOTS)/utilization-failure.png --size 1600x1000

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
