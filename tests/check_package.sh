#!/usr/bin/env bash
# Builds the .deb from the test build (as scripts/package.sh does from its own) and checks
# what a user who installs it gets: the Qt 6 runtime and ICU named as dependencies, both programs,
# both launchers, icons, translations and the systemd unit.
#   check_package.sh BUILD_DIR
set -euo pipefail
build=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if ! (cd "$build" && cpack -G DEB -B "$out" >"$out/cpack.log" 2>&1); then
  cat "$out/cpack.log"
  exit 1
fi
deb=$(ls "$out"/groupchat_*.deb)
depends=$(dpkg-deb --field "$deb" Depends)
contents=$(dpkg-deb --contents "$deb" | awk '{print $6}')
# The test build installs under /usr/local, scripts/package.sh under /usr.
prefix=$(grep -m1 '/bin/groupchat-server$' <<<"$contents" | sed 's|/bin/groupchat-server$||')
[ -n "$prefix" ] || { echo "no groupchat-server in the package"; exit 1; }
status=0
# ICU: the nick rules and the text sanitiser (libicu72 on Debian 12). Qt D-Bus: the client's
# desktop notifications.
for package in libqt6core6 libqt6gui6 libqt6network6 libqt6widgets6 libqt6dbus6 qt6-qpa-plugins libicu; do
  grep -q "$package" <<<"$depends" || { echo "Depends lacks $package: $depends"; status=1; }
done
for file in bin/groupchat-server bin/groupchat-client \
            share/applications/groupchat-client.desktop share/applications/groupchat-server.desktop \
            share/icons/hicolor/scalable/apps/groupchat.svg share/icons/hicolor/48x48/apps/groupchat.png \
            share/icons/hicolor/scalable/apps/groupchat-server.svg \
            share/groupchat/translations/groupchat_zh_CN.qm \
            share/groupchat/translations/groupchat-server_zh_CN.qm \
            lib/systemd/system/groupchat-server.service share/doc/groupchat/README.md; do
  grep -qx "$prefix/$file" <<<"$contents" || { echo "missing from the package: $prefix/$file"; status=1; }
done
# Read whole before it is searched: grep -q leaving early would kill tar with SIGPIPE, which
# pipefail counts as a failure (it did, now and then).
unit=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO "$prefix/lib/systemd/system/groupchat-server.service")
grep -q "^ExecStart=${prefix#.}/bin/groupchat-server --headless" <<<"$unit" \
  || { echo "the unit does not start ${prefix#.}/bin/groupchat-server"; status=1; }
[ $status -eq 0 ] && echo "package ok: $(basename "$deb"), $(wc -l <<<"$contents") entries"
exit $status
