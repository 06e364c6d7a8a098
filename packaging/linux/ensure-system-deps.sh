#!/bin/sh
# Qt's offscreen and xcb platform plugins load these shared libraries. On a minimal
# Debian/Ubuntu machine they may be missing; install them when we are allowed to.
set -u
missing=""
for lib in libEGL.so.1 libGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libdbus-1.so.3 libglib-2.0.so.0; do
  ldconfig -p 2>/dev/null | grep -q "$lib" || missing="$missing $lib"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system libraries for Qt:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq libegl1 libgl1 libxkbcommon0 \
    libfontconfig1 libdbus-1-3 libglib2.0-0 >/dev/null
else
  echo "missing system libraries for Qt:$missing (install your distribution's packages for them)" >&2
fi
