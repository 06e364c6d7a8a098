#!/usr/bin/env bash
# Build the wheel, install it into a fresh virtual environment outside the source tree,
# and run hvplanner from there (packaging/smoke.py): catches package data missing from
# the wheel, a broken entry point, or code that only works from a checkout.
#
#   packaging/check-install.sh [PYTHON]     (default: python3; make install-check)
#
# pip's cache is reused, so the dependencies are unpacked, not downloaded, each time.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
python=${1:-python3}
case $python in */*) python=$(cd "$(dirname "$python")" && pwd)/$(basename "$python") ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hvplanner-install-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export PIP_DISABLE_PIP_VERSION_CHECK=1
start=$(date +%s)

# pip, quietly: its log is shown only when it fails.
pip_q() {
  "$@" >"$tmp/pip.log" 2>&1 || { grep -v 'is ignored: it is neither' "$tmp/pip.log"; return 1; }
}

echo "building the wheel"
pip_q "$python" -m pip wheel -q --no-deps "$repo" -w "$tmp/dist"
wheel=$(ls "$tmp"/dist/hvplanner-*.whl)
echo "  $(basename "$wheel"): $(du -k "$wheel" | cut -f1) KiB"

# Everything the app reads at run time must be inside the wheel.
"$python" - "$wheel" <<'PY'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
app = "io.github.hvplanner.HvPlanner"
must = [
    "hvplanner/py.typed",
    "hvplanner/resources/hypervisors/sources.toml",
    "hvplanner/resources/samples/seed-200-win7-hyperv2008r2.hvplan.json",
    "hvplanner/resources/manual/index.html",
    f"hvplanner/resources/icons/hicolor/scalable/apps/{app}.svg",
    f"hvplanner/resources/icons/hicolor/48x48/apps/{app}.png",
    f"hvplanner/resources/desktop/{app}.desktop",
    f"hvplanner/resources/desktop/{app}.metainfo.xml",
    f"hvplanner/resources/desktop/{app}.mime.xml",
    "hvplanner/resources/licenses/LICENSE",
    "hvplanner/resources/licenses/NOTICES.md",
    "hvplanner/resources/licenses/LGPL-3.0.txt",
]
missing = [n for n in must if n not in names]
if not any(n.endswith(".dist-info/licenses/LICENSE") for n in names):
    missing.append("*.dist-info/licenses/LICENSE")
catalog = [n for n in names if n.startswith("hvplanner/resources/hypervisors/")]
if missing or len(catalog) < 2:
    sys.exit(f"the wheel lacks: {missing or 'catalog entries'}")
print(f"  wheel holds {len(names)} files, {len(catalog)} catalog files, the icons and desktop files")
PY

echo "installing it into a fresh venv in $tmp"
"$python" -m venv "$tmp/venv"
# The versions CI tested (constraints.txt, `make lock`), not whatever is newest today.
pip_q "$tmp/venv/bin/python" -m pip install -q -c "$repo/constraints.txt" "$wheel"
echo "  installed in $(( $(date +%s) - start )) s"

# Run from the temp folder: the source tree must play no part.
cd "$tmp"
"$tmp/venv/bin/python" -c "
import hvplanner, hvplanner.paths as p
assert '$repo' not in hvplanner.__file__, hvplanner.__file__
assert p.resources_dir().is_relative_to('$tmp/venv'), p.resources_dir()
assert p.desktop_dir().is_relative_to('$tmp/venv'), p.desktop_dir()
assert p.third_party_notices().is_relative_to('$tmp/venv'), p.third_party_notices()
assert p.license_file().is_relative_to('$tmp/venv'), p.license_file()
"
test -s "$tmp/venv/share/man/man1/hvplanner.1" || { echo "the wheel installed no man page" >&2; exit 1; }
"$python" "$repo/packaging/smoke.py" --desktop-entry --gui-script "$tmp/venv/bin/hvplanner-gui" \
  -- "$tmp/venv/bin/hvplanner"
echo "install check: $(( $(date +%s) - start )) s in all"
