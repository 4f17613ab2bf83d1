#!/usr/bin/env bash
# Configures (once) and builds groupchat into build/, incrementally. Used by run.sh, test.sh
# and bench.sh.
#   ./scripts/build.sh [CMAKE OPTIONS]             everything: programs, tests, benchmark
#   ./scripts/build.sh --programs [CMAKE OPTIONS]  only groupchat-server and groupchat-client
#                                                  (what run.sh starts; the tests are test.sh's)
# CMAKE OPTIONS go to the configure step (the first time, or when given).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${GROUPCHAT_BUILD_DIR:-build}
targets=()
if [ "${1:-}" = "--programs" ]; then
  shift
  targets=(--target groupchat-server groupchat-client)
fi
if [ ! -f "$build/build.ninja" ]; then
  echo "build.sh: configuring $build/ (once)" >&2
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
elif [ $# -gt 0 ]; then
  cmake "$build" "$@" >/dev/null
fi
if [ ${#targets[@]} -gt 0 ]; then
  echo "build.sh: building the server and the client in $build/ (a few minutes the first time)" >&2
else
  echo "build.sh: building everything in $build/ (programs, tests, benchmark)" >&2
fi
cmake --build "$build" "${targets[@]}"
