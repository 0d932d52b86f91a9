#!/usr/bin/env bash
# Sets up, builds and runs baoxue-server on ./data (relative to where you
# run this). Extra arguments go to the server, e.g.
#
#   bash deploy/run.sh --listen=127.0.0.1:7171 --lang=en
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build"

bash "$ROOT/deploy/setup.sh"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$BUILD" -j"$(nproc)" baoxue-server baoxue

exec "$BUILD/services/baoxue-server" --data_dir=./data "$@"
