#!/usr/bin/env bash
# The README's test command: installs what is missing, builds with warnings as errors and
# runs the whole test suite without a display.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
./scripts/build.sh -DGROUPCHAT_WERROR=ON -DGROUPCHAT_BUILD_TESTS=ON
cd "${GROUPCHAT_BUILD_DIR:-build}"
QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j"$(nproc)" "$@"
