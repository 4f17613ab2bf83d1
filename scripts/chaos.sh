#!/usr/bin/env bash
# The fault harness (docs/ARCHITECTURE.md, "The fault harness"): a private Redis, three
# groupchat servers sharing a room through it, JSON, plain and IRC clients behind fault-injecting
# proxies, faults from a seed, and a history checker at the end. Loopback only.
#   ./scripts/chaos.sh                          60 s of load and faults, a random seed
#   ./scripts/chaos.sh --minutes 10 --seed 42   ten minutes, the faults seed 42 makes
#   ./scripts/chaos.sh --faults kill,stop       only these kinds (groupchat-chaos --help lists them)
#   ./scripts/chaos.sh --build DIR              use the build in DIR as it is (no build)
# Other options go to groupchat-chaos (--clients, --plain, --irc, --quiet, --keep, --verbose ...).
# Exits 0 without violation, 1 with one (the first is printed with its context), 2 when the
# run could not be made. The seed is printed first: the same seed gives the same schedule.
set -euo pipefail
cd "$(dirname "$0")/.."
build=""
seed=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
if [ -z "$build" ]; then
  ./scripts/deps.sh
  build=${GROUPCHAT_BUILD_DIR:-build}
  if [ ! -f "$build/build.ninja" ]; then
    echo "chaos.sh: configuring $build/ (once)" >&2
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGROUPCHAT_BUILD_TESTS=ON >/dev/null
  fi
  # Only what the harness runs: the server and the harness.
  cmake --build "$build" --target groupchat-server groupchat-chaos
fi
if [ -z "$seed" ]; then
  seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
fi
echo "chaos.sh: seed $seed"
exec "$build/tests/chaos/groupchat-chaos" --seed "$seed" "${args[@]}"
