#!/usr/bin/env bash
# The README's test command: installs what is missing, then
#   1. builds with warnings as errors and runs the whole test suite without a display;
#   2. builds everything again with AddressSanitizer and UndefinedBehaviorSanitizer (any
#      report fails the test that caused it) and runs the whole suite again;
#   3. builds the libFuzzer targets with clang and runs each for GROUPCHAT_FUZZ_SECONDS
#      (default 60) from its seed corpus in tests/fuzz/corpus/.
# Arguments go to the first ctest run (e.g. -R tst_hostile). GROUPCHAT_TEST_QUICK=1 stops
# after step 1.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
build=${GROUPCHAT_BUILD_DIR:-build}
jobs=$(nproc)

./scripts/build.sh -DGROUPCHAT_WERROR=ON -DGROUPCHAT_BUILD_TESTS=ON
(cd "$build" && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j"$jobs" "$@")
[ "${GROUPCHAT_TEST_QUICK:-0}" = 1 ] && exit 0

echo "== the suite under AddressSanitizer and UndefinedBehaviorSanitizer"
GROUPCHAT_BUILD_DIR=$build-sanitize ./scripts/build.sh -DGROUPCHAT_WERROR=ON -DGROUPCHAT_SANITIZE=ON
(cd "$build-sanitize" && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j"$jobs")

echo "== fuzzing"
fuzz=$build-fuzz
if [ ! -f "$fuzz/build.ninja" ]; then
  cmake -S . -B "$fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DGROUPCHAT_FUZZ=ON >/dev/null
fi
cmake --build "$fuzz" --target fuzz_lineframer fuzz_jsonprotocol fuzz_ircmessage
seconds=${GROUPCHAT_FUZZ_SECONDS:-60}
for target in lineframer jsonprotocol ircmessage; do
  # New inputs go to a scratch directory; the checked-in corpus only seeds. A finding is
  # saved as $fuzz/artifacts/crash-* (add it to the corpus once fixed).
  scratch=$(mktemp -d)
  mkdir -p "$fuzz/artifacts"
  artifacts=$(cd "$fuzz/artifacts" && pwd)
  echo "fuzz_$target: $seconds s"
  if ! "$fuzz/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -artifact_prefix="$artifacts/" \
      "$scratch" "tests/fuzz/corpus/$target" \
      >"$fuzz/fuzz_$target.log" 2>&1; then
    tail -40 "$fuzz/fuzz_$target.log"
    rm -rf "$scratch"
    echo "fuzz_$target found a problem: see $fuzz/artifacts/" >&2
    exit 1
  fi
  grep -E '^Done' "$fuzz/fuzz_$target.log" || true
  rm -rf "$scratch"
done
echo "all tests passed"
