#!/usr/bin/env bash
# Sets up, builds everything, lints the protos with buf and runs every test
# with ctest. Exits non-zero on any failure. This is what CI runs (.ci/run).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build"
JOBS="$(nproc)"

bash "$ROOT/deploy/setup.sh"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$BUILD" -j"$JOBS"

echo "test: buf lint proto/" >&2
(cd "$ROOT/proto" && "$BUILD/tools/node_modules/.bin/buf" lint)

echo "test: ctest" >&2
ctest --test-dir "$BUILD" --output-on-failure -j"$JOBS" --timeout 120 \
  --no-tests=error

# ctest above replays every fuzz seed and regression (fuzz.*). Then a short
# bounded libFuzzer run (clang, ASan, UBSan in build-fuzz/): by default the
# identifier validators for 20 s, whose sanitizer build is small; with
# BAOXUE_FUZZ_SECONDS=N every target for N s each (the sanitizer build of
# the whole server takes many minutes). A finding fails the run and is
# written to tests/fuzz/regressions/<target>/.
if [[ -n "${BAOXUE_FUZZ_SECONDS:-}" ]]; then
  echo "test: deploy/fuzz.sh --seconds $BAOXUE_FUZZ_SECONDS" >&2
  bash "$ROOT/deploy/fuzz.sh" --seconds "$BAOXUE_FUZZ_SECONDS"
else
  echo "test: deploy/fuzz.sh --seconds 20 identifiers" >&2
  bash "$ROOT/deploy/fuzz.sh" --seconds 20 identifiers
fi
