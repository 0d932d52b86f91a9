#!/usr/bin/env bash
# Runs every benchmark of issue 8 and writes tests/bench/RESULTS.md: one
# table (figure, baseline measured in the same run, ratio, target, met?),
# the command and the machine. Builds what it runs in build/ first (the
# benchmarks are part of the ordinary build).
#
#   deploy/bench.sh                  # the full run: 1,000,000 students and
#                                    # 100,000 cases; a 200,000-event log
#   deploy/bench.sh --quick          # a tenth of the sizes, to try it out
#   deploy/bench.sh --events 10000000   # the rebuild at issue 8's size:
#                                    # ≈ 30 min (12 to build the log, ≈ 7
#                                    # each for the backlog and the rebuild)
#   deploy/bench.sh --min_time 0.5   # seconds per Google Benchmark figure
#   deploy/bench.sh --note "shared with two builds"   # a line under the table
#
# The programs, each also runnable alone (see the comment at its top):
#   baoxue_bench           1 batched ingest, 2 single writes (in-process server)
#   baoxue_province_bench  6 import, 4 ledger queries, 3 lag, 7 memory (the
#                          real baoxue-server binary in its own process)
#   baoxue_log_bench       3 worker apply rate on a backlog, 5 rebuild
# Temporary data goes to $TMPDIR (default /tmp): the figures are only as
# durable as that disk's fsync.
set -euo pipefail

cd "$(dirname "$0")/.."
args="$*"
min_time=1
note=""
students=1000000
cases=100000
# Building a log goes through the real write path (≈ 8,500 events/s here),
# so 10,000,000 events would take longer than the 15 minutes the whole run
# may take; the rebuild row projects 10,000,000 from the rate measured.
events=200000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --min_time) min_time="$2"; shift 2 ;;
    --min_time=*) min_time="${1#*=}"; shift ;;
    --quick) students=100000; cases=10000; events=50000; shift ;;
    --events) events="$2"; shift 2 ;;
    --events=*) events="${1#*=}"; shift ;;
    --note) note="$2"; shift 2 ;;
    --note=*) note="${1#*=}"; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
nice -n 5 ninja -C build -j"$(nproc)" baoxue_bench baoxue_province_bench \
  baoxue_log_bench baoxue-server

# Before RESULTS.md is rewritten, so the tree is clean unless the code is.
commit=$(git describe --always --dirty 2>/dev/null || echo unknown)
rows=$(mktemp)
log=$(mktemp)
trap 'rm -f "$rows" "$log"' EXIT
bin=build/tests/bench
commands=(
  "$bin/baoxue_bench --benchmark_min_time=$min_time --benchmark_repetitions=1"
  "$bin/baoxue_province_bench --students=$students --cases=$cases"
  "$bin/baoxue_log_bench --events $events"
)
start=$(date +%s)
for command in "${commands[@]}"; do
  echo "== $command" | tee -a "$log"
  # shellcheck disable=SC2086  # the command is split into its words
  $command --results_md="$rows" 2>&1 | tee -a "$log"
done
elapsed=$(( $(date +%s) - start ))

model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
memory=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
load=$(cut -d' ' -f1-3 /proc/loadavg)
out=tests/bench/RESULTS.md
{
  echo "# Benchmark results"
  echo
  echo "Written by \`deploy/bench.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') at commit"
  echo "$commit, in $((elapsed / 60)) min $((elapsed % 60)) s. Each figure is measured against"
  echo "its baseline in the same run; ratio = figure / baseline. Issue 8 sets the"
  echo "targets; the README (Benchmarks) says what each program does, and the"
  echo "issue's note what was found where a target is missed."
  echo
  echo "| figure | value | baseline | baseline value | ratio | target | met? | latency / notes |"
  echo "|---|---:|---|---:|---:|---|---|---|"
  cat "$rows"
  echo
  if [[ -n "$note" ]]; then
    echo "Note: $note"
    echo
  fi
  echo "## Command"
  echo
  echo '```'
  echo "deploy/bench.sh $args"
  for command in "${commands[@]}"; do echo "# runs: $command"; done
  echo '```'
  echo
  echo "## Machine"
  echo
  echo "- CPUs (nproc): $(nproc); model: $model"
  echo "- Memory: $memory"
  echo "- Load average at the end of the run: $load"
  echo "- Data directory: ${TMPDIR:-/tmp} ($(df -T "${TMPDIR:-/tmp}" | awk 'NR==2 {print $2}'))"
  echo
  echo "## Output"
  echo
  echo '```'
  grep -v '^\*\*\*WARNING' "$log"
  echo '```'
} >"$out"
echo "wrote $out"
