#!/usr/bin/env bash
# Installs every Debian package that building, testing, running and benchmarking groupchat
# needs. Idempotent and quiet when everything is present; uses sudo when not root.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config git
  # Qt 6 (Core, Network, Widgets, Sql, DBus, Test, Linguist tools)
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libqt6sql6-sqlite libgl-dev
  # the history's INSERT through SQLite's C API, on the connection of Qt's SQLite driver
  libsqlite3-dev
  # TLS: OpenSSL for Qt's TLS backend and for --generate-cert
  libssl-dev
  # Unicode: nick rules (UTS #39 spoof checks), normalization, character properties
  libicu-dev
  # the client's emoji picker and :shortcode: completion: Unicode's emoji list and CLDR's
  # names and keywords (read at build time)
  unicode-data unicode-cldr-core
  # clusters of servers (--redis): the client library, and Redis for the tests and run.sh cluster
  libhiredis-dev redis-server
  # the fuzz targets (libFuzzer) and the sanitizer build of the test suite
  clang libclang-rt-dev
  # Qt's own translations, fonts for Latin and Chinese text and colour emoji, running windows
  # without a screen
  qt6-translations-l10n fonts-dejavu-core fonts-wqy-microhei fonts-noto-color-emoji xvfb xauth
  # checking the desktop launchers; building the .deb (dpkg-shlibdeps)
  desktop-file-utils dpkg-dev file
  # LAN discovery by DNS-SD: the Avahi client library; the daemon and its tools for tst_dnssd
  # (which starts a private one on lo)
  libavahi-client-dev avahi-daemon avahi-utils
  # used by tests and scripts
  python3 procps netcat-openbsd
  # the client's notification tests start a private D-Bus session bus (dbus-daemon, which
  # Debian 12 packages apart from the system bus's dbus)
  dbus-daemon
  # the peers scripts/bench.sh measures groupchat against (each run starts its own private
  # instance on a free loopback port; a system service the package may start is not used)
  ngircd inspircd
  # real IRC clients tst_ircclients drives against the IRC port: WeeChat through its FIFO
  # plugin (in weechat-plugins), irssi in a terminal that tmux gives it
  weechat-headless weechat-plugins irssi tmux
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo_=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "deps.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo_=sudo
fi
echo "deps.sh: installing ${#missing[@]} Debian package(s), a few minutes on a new machine: ${missing[*]}" >&2
$sudo_ apt-get update -qq >/dev/null
$sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
