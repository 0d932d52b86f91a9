#!/usr/bin/env bash
# Builds tests/bench in build-bench/ (-DBAOXUE_BUILD_BENCHMARKS=ON, which
# the ordinary build leaves off), runs baoxue_bench and writes
# tests/bench/RESULTS.md: the table (figure, baseline measured in the same
# run, ratio, target, met?), the command and the machine.
#
#   deploy/bench.sh                     # 1 s per benchmark, 1 repetition
#   deploy/bench.sh --min_time 0.3      # shorter
#   deploy/bench.sh --repetitions 3     # the table keeps the last repetition
#   deploy/bench.sh --note "shared with two builds"   # a line under the table
#
# Temporary data goes to $TMPDIR (default /tmp): the figures are only as
# durable as that disk's fsync.
set -euo pipefail

cd "$(dirname "$0")/.."
min_time=1
repetitions=1
note=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --min_time) min_time="$2"; shift 2 ;;
    --min_time=*) min_time="${1#*=}"; shift ;;
    --repetitions) repetitions="$2"; shift 2 ;;
    --repetitions=*) repetitions="${1#*=}"; shift ;;
    --note) note="$2"; shift 2 ;;
    --note=*) note="${1#*=}"; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBAOXUE_BUILD_BENCHMARKS=ON -DBAOXUE_BUILD_TESTS=OFF >/dev/null
nice -n 5 ninja -C build-bench -j"$(nproc)" baoxue_bench

# Before RESULTS.md is rewritten, so the tree is clean unless the code is.
commit=$(git describe --always --dirty 2>/dev/null || echo unknown)
rows=$(mktemp)
log=$(mktemp)
trap 'rm -f "$rows" "$log"' EXIT
command=(build-bench/tests/bench/baoxue_bench
  --benchmark_min_time="$min_time" --benchmark_repetitions="$repetitions"
  --results_md="$rows")
"${command[@]}" | tee "$log"

model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
memory=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
load=$(cut -d' ' -f1-3 /proc/loadavg)
out=tests/bench/RESULTS.md
{
  echo "# Benchmark results"
  echo
  echo "Written by \`deploy/bench.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') at commit"
  echo "$commit. Each figure is measured against its"
  echo "baseline in the same run; ratio = figure / baseline. Issue 8 lists the"
  echo "targets; benchmarks not yet written are listed in the README (Benchmarks)."
  echo "Single writes are home visits (RecordAction, each client on its own case) and,"
  echo "for comparison, UpdateStudent (each client on its own student)."
  echo
  cat "$rows"
  echo
  if [[ -n "$note" ]]; then
    echo "Note: $note"
    echo
  fi
  echo "## Command"
  echo
  echo '```'
  echo "deploy/bench.sh --min_time $min_time --repetitions $repetitions"
  echo "# runs: ${command[*]/#--results_md=*/--results_md=<table>}"
  echo '```'
  echo
  echo "## Machine"
  echo
  echo "- CPUs (nproc): $(nproc); model: $model"
  echo "- Memory: $memory"
  echo "- Load average at the end of the run: $load"
  echo "- Data directory: ${TMPDIR:-/tmp} ($(df -T "${TMPDIR:-/tmp}" | awk 'NR==2 {print $2}'))"
  echo
  echo "## Raw output"
  echo
  echo '```'
  grep -v '^\*\*\*WARNING' "$log" | sed -n '/^---/,$p'
  echo '```'
} >"$out"
echo "wrote $out"
