#!/usr/bin/env bash
# Builds groupchat_<version>_<arch>.deb in the project folder: both programs, their desktop
# launchers and icons, translations, the systemd unit and the docs. Install it with
#   sudo apt install ./groupchat_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
build=${GROUPCHAT_PACKAGE_BUILD_DIR:-build-package}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGROUPCHAT_BUILD_TESTS=OFF \
        -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
fi
cmake --build "$build"
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls -t "$build"/groupchat_*.deb | head -n 1)
cp "$deb" .
echo "built $(basename "$deb"):"
dpkg-deb --field "$(basename "$deb")" Package Version Architecture Depends | sed 's/^/  /'
