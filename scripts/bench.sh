#!/usr/bin/env bash
# Measures groupchat against two IRC servers, ngircd and InspIRCd (Debian's packages), with
# groupchat-bench: the same load against each in one run, groupchat's plain port and (when the
# server has one) its IRC port, side by side with the ratio to the best peer.
#   ./scripts/bench.sh                 the whole matrix, 3 runs each (median); ~15 minutes
#   ./scripts/bench.sh --runs 1        once each
#   ./scripts/bench.sh --only light    scenarios whose name contains "light" (a regular
#                                      expression: --only '^10+ clients$')
#   ./scripts/bench.sh --write         also put the results in docs/BENCHMARKS.md
#   ./scripts/bench.sh --smoke         10 clients, 100 lines, once (what CI runs)
#   ./scripts/bench.sh --build DIR     use the build in DIR as it is (no install, no build)
# Loopback only. Needs file descriptors for 10 000 clients on each side.
set -euo pipefail
cd "$(dirname "$0")/.."
build=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
if [ -z "$build" ]; then
  ./scripts/deps.sh
  ./scripts/build.sh
  build=${GROUPCHAT_BUILD_DIR:-build}
fi
# The peers: installed by deps.sh. Each run starts a private instance on a free loopback port
# with its own configuration (bench/*.conf.in); a system instance the package started is not
# ours to use or stop, but it shares the CPU, so say so.
# Both live in /usr/sbin, which is not on every user's PATH.
export PATH=$PATH:/usr/sbin
for peer in ngircd inspircd; do
  command -v "$peer" >/dev/null || { echo "bench.sh: $peer is missing (scripts/deps.sh installs it)" >&2; exit 1; }
  if pids=$(pgrep -x "$peer"); then
    echo "bench.sh: a $peer not started by this script is running (pid $(echo $pids)); it is not" \
      "measured, but it shares the machine (sudo systemctl stop $peer)" >&2
  fi
done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec python3 scripts/bench.py --build "$build" "${args[@]}"
