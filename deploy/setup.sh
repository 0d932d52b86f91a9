#!/usr/bin/env bash
# Installs what building and testing Baoxue needs on Debian 12, and nothing
# that is already there. Idempotent and quiet when everything is present.
#
#   bash deploy/setup.sh
#
# Debian packages are installed with apt-get (as root, or through sudo when
# run by another user); buf, the protobuf linter, comes pinned from the npm
# registry into build/tools/ of this checkout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUF_VERSION="1.75.0"

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev libabsl-dev
  libgoogle-perftools-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libssl-dev openssl
  clang libclang-rt-14-dev
)
# Node may come from elsewhere (nvm, NodeSource); only ask Debian for it
# when it is not on PATH at all.
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

missing=()
for package in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  SUDO=()
  if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
      SUDO=(sudo)
    else
      echo "setup: missing packages: ${missing[*]}" >&2
      echo "setup: run this script as root (or install sudo) to install them." >&2
      exit 1
    fi
  fi
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

BUF="$ROOT/build/tools/node_modules/.bin/buf"
if [[ "$("$BUF" --version 2>/dev/null || true)" != "$BUF_VERSION" ]]; then
  echo "setup: installing buf $BUF_VERSION into build/tools" >&2
  mkdir -p "$ROOT/build/tools"
  npm install --no-save --no-audit --no-fund --loglevel=error \
    --prefix "$ROOT/build/tools" "@bufbuild/buf@$BUF_VERSION" >/dev/null
  if [[ "$("$BUF" --version 2>/dev/null || true)" != "$BUF_VERSION" ]]; then
    echo "setup: buf $BUF_VERSION did not install into $ROOT/build/tools" >&2
    exit 1
  fi
fi
