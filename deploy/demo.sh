#!/usr/bin/env bash
# The demo county (演示县) in one command: installs what is missing (Debian
# 12; root or sudo the first time), builds, starts baoxue-server in
# simulated time on ./demo-data, fills it with 德化县 — 18 townships, ~60
# schools, 30,000 students — plays six weeks of school days, prints what to
# try next and leaves the server running. Extra arguments go to the
# driver (build/deploy/demo/baoxue-demo --help), e.g.
#
#   bash deploy/demo.sh --students 3000 --weeks 3
#
# Running it again on the same directory repeats nothing: the set-up is
# answered from the server's idempotency records and the days already
# played are skipped. DEMO_DIR (./demo-data) and DEMO_LISTEN
# (127.0.0.1:7070) move the data directory and the address.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build"
DATA="${DEMO_DIR:-./demo-data}"
LISTEN="${DEMO_LISTEN:-127.0.0.1:7070}"
# The simulated county clock starts the day before the autumn term.
START_DAY="2026-08-31"

bash "$ROOT/deploy/setup.sh"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$BUILD" -j"$(nproc)" baoxue-server baoxue baoxue-demo

mkdir -p "$DATA"
DATA="$(cd "$DATA" && pwd)"
PIDFILE="$DATA/server.pid"
LOG="$DATA/server.log"
SERVER=("$BUILD/services/baoxue-server" "--data_dir=$DATA" "--listen=$LISTEN"
        "--simulated_time=$START_DAY")

if [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  echo "baoxue-server 已在运行（pid $(cat "$PIDFILE")），继续使用它。"
else
  nohup "${SERVER[@]}" >>"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  # Wait (at most 30 s) for the start-up line and the bureau's token.
  for _ in $(seq 1 300); do
    if [[ -s "$DATA/bureau-admin.token" ]] && grep -q "simulated time\|模拟时间" "$LOG"; then
      break
    fi
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
      echo "baoxue-server 没能启动，日志 $LOG：" >&2
      tail -n 20 "$LOG" >&2
      exit 1
    fi
    sleep 0.1
  done
fi

"$BUILD/deploy/demo/baoxue-demo" --server="$LISTEN" \
  --token_file="$DATA/bureau-admin.token" "$@"

BX="$BUILD/clients/baoxue --server $LISTEN"
cat <<EOF

接下来可以试试（Try next）：

  alias bx='$BX --token_file $DATA/bureau-admin.token'
  alias tx='$BX --token_file $DATA/demo-tokens/town-350526100.token'   # 浔中镇
  bx bureau summary                       # 全县：各状态案件、重点、逾期、动态清零
  bx bureau ledger suspected              # 疑似辍学台账
  bx bureau ledger dropout                # 辍学台账
  bx bureau case show --case 350526-2026-00001
  tx township cases                       # 浔中镇的案件，最急的在前
  tx township roster list --village 350526100001   # 适龄儿童台账
  bx bureau monthly --month 2026-09       # 月报

服务器仍在运行（pid $(cat "$PIDFILE")，日志 $LOG）。
停止：kill $(cat "$PIDFILE")
再次启动（模拟时钟从上次停下的地方继续）：
  ${SERVER[*]}
EOF
