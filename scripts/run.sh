#!/usr/bin/env bash
# The README's run command: installs what is missing, builds, and starts groupchat.
#   ./scripts/run.sh                 the server, and with a display a client connected to it
#   ./scripts/run.sh server [ARGS]   the server alone (headless for now), ARGS as in --help
#   ./scripts/run.sh headless [ARGS] the server without any window
#   ./scripts/run.sh client [ARGS]   the desktop client (--host H --port P --nick N)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
./scripts/build.sh
build=${GROUPCHAT_BUILD_DIR:-build}
server=$build/src/server/groupchat-server
client=$build/src/client/groupchat-client

have_display() { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }

what=${1:-default}
[ $# -eq 0 ] || shift
case "$what" in
  default)
    if ! have_display; then
      echo "No display: starting the headless server. Others connect with: nc <this machine> 6666"
      exec "$server" --headless "$@"
    fi
    "$server" --headless "$@" &
    server_pid=$!
    trap 'kill -TERM $server_pid 2>/dev/null; wait $server_pid 2>/dev/null' EXIT
    # Connect once the server listens (it exits at once if the port is taken).
    for _ in $(seq 50); do
      kill -0 $server_pid 2>/dev/null || { echo "run.sh: the server did not start" >&2; exit 1; }
      (exec 3<>/dev/tcp/127.0.0.1/6666) 2>/dev/null && break
      sleep 0.1
    done
    "$client" --host 127.0.0.1 --port 6666 --nick "${USER:-me}" ;;
  server|headless)
    echo "Starting groupchat-server. Others connect with: nc <this machine's address> 6666"
    exec "$server" --headless "$@" ;;
  client)
    exec "$client" "$@" ;;
  -h|--help|help)
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' ;;
  *)
    echo "run.sh: unknown mode '$what' (try: server, headless, client)" >&2
    exit 2 ;;
esac
