#!/bin/sh
# The tools the tests read outputs with: desktop-file-validate and update-desktop-database
# (desktop-file-utils), appstreamcli (appstream), update-mime-database (shared-mime-info)
# for the desktop integration, pdftotext (poppler-utils) for the PDF report, and zsh and
# fish to run the completion scripts in (bash is there already), groff for the man page,
# and objdump (binutils) for the glibc version the bundle launcher checks.
# Installed when missing and allowed.
set -u
missing=""
command -v desktop-file-validate >/dev/null 2>&1 || missing="$missing desktop-file-utils"
command -v appstreamcli >/dev/null 2>&1 || missing="$missing appstream"
command -v update-mime-database >/dev/null 2>&1 || missing="$missing shared-mime-info"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v zsh >/dev/null 2>&1 || missing="$missing zsh"
command -v fish >/dev/null 2>&1 || missing="$missing fish"
command -v groff >/dev/null 2>&1 || missing="$missing groff-base"
command -v objdump >/dev/null 2>&1 || missing="$missing binutils"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing test tools:$missing"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "missing test tools:$missing (their tests are skipped)" >&2
fi
exit 0
