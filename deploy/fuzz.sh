#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang, ASan and UBSan in
# build-fuzz/ and runs each for a bounded time over its seed corpus.
#
#   deploy/fuzz.sh                   # 60 s per target, every target
#   deploy/fuzz.sh --seconds 600     # longer
#   deploy/fuzz.sh csv requests      # only these targets
#
# A crash or sanitizer finding is written to
# tests/fuzz/regressions/<target>/ (crash-<sha1>, leak-..., timeout-...);
# ctest then replays it as part of fuzz.<target> in the ordinary build, so
# fix the product code and commit the file. New corpus entries libFuzzer
# finds go to build-fuzz/corpus/<target>/ (not committed; the seeds stay
# small). Prints exec/s and coverage per target at the end.
set -euo pipefail

cd "$(dirname "$0")/.."
seconds=60
targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --seconds=*) seconds="${1#*=}"; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(identifiers csv requests events)
fi

build=build-fuzz
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBAOXUE_FUZZ=ON \
  -DBAOXUE_BUILD_TESTS=OFF -DBAOXUE_BUILD_BENCHMARKS=OFF >/dev/null
nice -n 5 ninja -C "$build" -j"${JOBS:-2}" "${targets[@]/#/fuzz_}"

status=0
summary=()
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  regressions="tests/fuzz/regressions/$t"
  mkdir -p "$corpus" "$regressions"
  log="$build/fuzz-$t.log"
  echo "== fuzz_$t for ${seconds}s (log: $log)"
  # The first corpus dir receives new inputs; the seeds are read only.
  if ! "$build/tests/fuzz/fuzz_$t" "$corpus" "tests/fuzz/corpus/$t" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
      -max_len=8192 -print_final_stats=1 \
      -artifact_prefix="$regressions/" >"$log" 2>&1; then
    echo "!! fuzz_$t found a problem; see $log and $regressions/"
    grep -E "ERROR|FUZZ_CHECK|runtime error|Test unit written" "$log" | head -5 || true
    status=1
  fi
  execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  rate=$(grep -E '^stat::average_exec_per_sec' "$log" | awk '{print $2}')
  last=$(grep -E '(DONE|pulse|NEW|REDUCE) +cov:' "$log" | tail -1)
  cov=$(sed -E 's/.*cov: ([0-9]+).*/\1/' <<<"$last")
  ft=$(sed -E 's/.*ft: ([0-9]+).*/\1/' <<<"$last")
  summary+=("$(printf '%-12s %10s execs %8s exec/s  cov %6s  ft %6s' \
    "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}")")
done
echo
echo "target            runs        speed        edges     features"
printf '%s\n' "${summary[@]}"
exit "$status"
