#!/usr/bin/env bash
# Installs the Debian packages flecsim needs, only those not yet present.
set -euo pipefail
PKGS=(cmake ninja-build g++ make pkg-config ccache
  libsystemc-dev verilator libyaml-cpp-dev libonnx-dev libprotobuf-dev protobuf-compiler
  libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev nlohmann-json3-dev libspdlog-dev
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf gdb-multiarch
  python3 python3-onnx python3-numpy python3-matplotlib chromium qemu-system-misc)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
