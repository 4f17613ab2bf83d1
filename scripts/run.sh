#!/usr/bin/env bash
# The README's run command: installs what is missing, builds, and starts groupchat.
#   ./scripts/run.sh                 the server's admin window and a client connected to it
#                                    (without a display: the headless server)
#   ./scripts/run.sh server [ARGS]   the server alone: its admin window, or headless without
#                                    a display; ARGS as in groupchat-server --help
#   ./scripts/run.sh headless [ARGS] the server without any window, in this terminal
#   ./scripts/run.sh client [ARGS]   the desktop client (--host H --port P --nick N)
#   ./scripts/run.sh cluster [ARGS]  a private Redis on 127.0.0.1:6390 and three headless
#                                    servers sharing one room on ports 6666, 6667 and 6668
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  -h|--help|help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
./scripts/deps.sh
./scripts/build.sh --programs
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
  cluster)
    # Everything in a scratch directory: Redis keeps nothing, each server its own history.
    work=$(mktemp -d)
    redis-server --port 6390 --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
      >"$work/redis.log" 2>&1 &
    pids=($!)
    cleanup() { kill -TERM "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
    trap cleanup EXIT
    trap 'exit 0' INT TERM
    # Each server: plain and JSON on port P, IRC on P+1.
    for port in 6666 6676 6686; do
      "$server" --headless --bind 127.0.0.1 --port "$port" --irc-port $((port + 1)) --name "cluster server $port" \
        --redis redis://127.0.0.1:6390/main --db "$work/history-$port.sqlite" "$@" 2>&1 |
        sed -u "s/^/[$port] /" &
      pids+=($!)
    done
    echo "A cluster of three servers sharing one room: connect to any of them, e.g."
    echo "  nc 127.0.0.1 6666    nc 127.0.0.1 6676    ./scripts/run.sh client --host 127.0.0.1 --port 6686"
    echo "  an IRC client: 127.0.0.1/6667, /6677 or /6687"
    echo "Ctrl+C stops them all."
    wait ;;
  *)
    echo "run.sh: unknown mode '$what' (try: server, headless, client, cluster)" >&2
    exit 2 ;;
esac
