#!/usr/bin/env bash
# The README's run command: installs what is missing, builds, and starts groupchat.
#   ./scripts/run.sh                 the server (headless for now), in the foreground
#   ./scripts/run.sh server [ARGS]   the server with ARGS (see --help)
#   ./scripts/run.sh headless [ARGS] the server without any window
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
./scripts/build.sh
bin=${GROUPCHAT_BUILD_DIR:-build}/src/server

what=${1:-server}
[ $# -eq 0 ] || shift
case "$what" in
  server|headless)
    echo "Starting groupchat-server. Others connect with: nc <this machine's address> 6666"
    exec "$bin/groupchat-server" --headless "$@" ;;
  -h|--help|help)
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' ;;
  *)
    echo "run.sh: unknown mode '$what' (try: server, headless)" >&2
    exit 2 ;;
esac
