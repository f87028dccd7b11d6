#!/usr/bin/env bash
# Installs the Debian 12 packages Cunzhang needs (only those missing) and
# builds it into build/. Run as root on a fresh machine; safe to run again.
#   tools/setup.sh            install + build
#   tools/setup.sh --deps     install only
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  cmake ninja-build g++ pkg-config        # toolchain
  librocksdb-dev                          # storage
  libxxhash-dev                           # hashes of idempotency ids in the writer's index
  libssl-dev                              # SHA-256 (and Ed25519 for checkpoints)
  libboost-dev                            # Boost.Multiprecision (exact ratios)
  libcereal-dev                           # binary encoding of derived state
  libcli11-dev nlohmann-json3-dev         # command line, JSON reports
  libxlsxwriter-dev zlib1g-dev            # XLSX exports (and reading them back in tests)
  catch2 libvalijson-dev                  # tests, JSON Schema validation in tests
  xxd                                     # the FORMAT.md worked example's shell commands
  clang libclang-rt-14-dev                # libFuzzer for the bundle-reader fuzz target
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "== installing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "tools/setup.sh: these packages are missing and installing them needs root: ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[ "${1:-}" = "--deps" ] && exit 0

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
