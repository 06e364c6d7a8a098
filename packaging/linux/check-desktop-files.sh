#!/bin/sh
# Validate the desktop entry, the AppStream metainfo and the MIME type of plan files.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
sh "$here/ensure-desktop-tools.sh"
id=io.github.hvplanner.HvPlanner
desktop-file-validate "$here/$id.desktop"
appstreamcli validate --no-net "$here/$id.metainfo.xml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/mime/packages"
cp "$here/$id.mime.xml" "$tmp/mime/packages/$id.xml"
XDG_DATA_HOME="$tmp" update-mime-database "$tmp/mime"
grep -q '^60:application/x-hvplanner-plan+json:\*\.hvplan\.json$' "$tmp/mime/globs2"
echo "desktop files: valid"
