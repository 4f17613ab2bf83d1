#!/usr/bin/env bash
# Configures (once) and builds groupchat into build/, incrementally. Used by run.sh and
# test.sh; extra arguments are passed to the configure step the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${GROUPCHAT_BUILD_DIR:-build}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
elif [ $# -gt 0 ]; then
  cmake "$build" "$@" >/dev/null
fi
cmake --build "$build"
