#!/bin/sh
# Checks the system parts the portal needs beyond Python packages, installs them on
# Debian when run as root, and otherwise stops with one line saying what to install.
#   CJK fonts   -> PDFs without empty boxes (fonts-noto-cjk)
#   Pango       -> WeasyPrint renders PDFs (libpango-1.0-0, libpangoft2-1.0-0)
#   HarfBuzz subset -> WeasyPrint embeds only the CJK glyphs used, in C; without it fontTools
#                  does it in Python, many times slower (libharfbuzz-subset0)
#   msgfmt      -> compiled translation catalogues (gettext)
#   java        -> the W3C Nu HTML checker the markup test runs (default-jre-headless)
# Extra Debian packages may be named in EXTRA_DEBIAN_PACKAGES (CI adds chromium, poppler-utils).
set -eu

missing=""
fc-list :lang=zh family 2>/dev/null | grep -q . || missing="$missing fonts-noto-cjk"
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || missing="$missing libpango-1.0-0"
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || missing="$missing libpangoft2-1.0-0"
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so' || missing="$missing libharfbuzz-subset0"
command -v msgfmt >/dev/null 2>&1 || missing="$missing gettext"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
for package in ${EXTRA_DEBIAN_PACKAGES:-}; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
    || missing="$missing $package"
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fc-cache -f >/dev/null 2>&1 || true
  exit 0
fi

echo "缺少系统组件 / missing system packages:$missing — 请安装后重试 / install them, e.g.: sudo apt-get install$missing" >&2
exit 1
