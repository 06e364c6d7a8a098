#!/bin/sh
# The real-window tests (tests/real) run the application on an Xvfb server with Qt's xcb
# platform and move the pointer with xdotool. Qt's xcb plugin loads the xcb libraries below.
# Installed when missing and allowed; `make test` then requires them.
set -u
missing=""
command -v Xvfb >/dev/null 2>&1 || missing="$missing xvfb"
command -v xdotool >/dev/null 2>&1 || missing="$missing xdotool"
for pair in libxcb-cursor.so.0:libxcb-cursor0 libxcb-icccm.so.4:libxcb-icccm4 \
  libxcb-keysyms.so.1:libxcb-keysyms1 libxcb-image.so.0:libxcb-image0 \
  libxcb-render-util.so.0:libxcb-render-util0 libxcb-xkb.so.1:libxcb-xkb1 \
  libxkbcommon-x11.so.0:libxkbcommon-x11-0 libxcb-shape.so.0:libxcb-shape0 \
  libxcb-randr.so.0:libxcb-randr0 libxcb-xfixes.so.0:libxcb-xfixes0; do
  ldconfig -p 2>/dev/null | grep -q "${pair%%:*}" || missing="$missing ${pair#*:}"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing real-window test tools:$missing"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "missing real-window test tools:$missing (tests/real fails without them)" >&2
fi
exit 0
