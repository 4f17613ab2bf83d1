#!/usr/bin/env bash
# The README's run command: installs what is missing, builds, and starts groupchat.
#   ./scripts/run.sh                 the server's admin window and a client connected to it
#                                    (without a display: the headless server)
#   ./scripts/run.sh server [ARGS]   the server alone: its admin window, or headless without
#                                    a display; ARGS as in groupchat-server --help
#   ./scripts/run.sh headless [ARGS] the server without any window, in this terminal
#   ./scripts/run.sh client [ARGS]   the desktop client (--host H --port P --nick N)
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  -h|--help|help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
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
    "$server" "$@" &
    server_pid=$!
    trap 'kill -TERM $server_pid 2>/dev/null; wait $server_pid 2>/dev/null' INT TERM
    # Connect once the server listens (it exits at once if the port is taken).
    for _ in $(seq 50); do
      kill -0 $server_pid 2>/dev/null || { echo "run.sh: the server did not start" >&2; exit 1; }
      (exec 3<>/dev/tcp/127.0.0.1/6666) 2>/dev/null && break
      sleep 0.1
    done
    "$client" --host 127.0.0.1 --port 6666 --nick "${USER:-me}" &
    # Both windows stay until their user closes them.
    wait ;;
  server)
    exec "$server" "$@" ;;
  headless)
    echo "Starting groupchat-server. Others connect with: nc <this machine's address> 6666"
    exec "$server" --headless "$@" ;;
  client)
    exec "$client" "$@" ;;
  *)
    echo "run.sh: unknown mode '$what' (try: server, headless, client)" >&2
    exit 2 ;;
esac
