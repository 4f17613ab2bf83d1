#!/usr/bin/env bash
# Measures groupchat against ngircd (Debian's IRC server) with groupchat-bench, the same load
# against both in one run, and prints them side by side with the ratio.
#   ./scripts/bench.sh                 the whole matrix, 3 runs each (median); ~15 minutes
#   ./scripts/bench.sh --runs 1        once each
#   ./scripts/bench.sh --only light    scenarios whose name contains "light"
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
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
if [ -z "$build" ]; then
  ./scripts/deps.sh
  ./scripts/build.sh
  build=${GROUPCHAT_BUILD_DIR:-build}
fi
# The peer: installed by deps.sh; a system instance, if one started, is not ours to use.
command -v ngircd >/dev/null || { echo "bench.sh: ngircd is missing (scripts/deps.sh installs it)" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec python3 scripts/bench.py --build "$build" "${args[@]}"
