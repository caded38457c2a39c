#!/usr/bin/env bash
# `make bench`: every speed benchmark, one after the other (nothing else should run meanwhile).
# Figures go into docs/PERFORMANCE.md by hand, with the date and the machine.
set -euo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/.."
cmake --build "$BUILD" --target bench_fabric bench_cpu bench_systolic
echo "## fabric: 256 MiB DRAM -> SRAM"; "$BUILD/bench/bench_fabric" 256
echo "## CPU"; "$BUILD/bench/bench_cpu" 200
echo "## systolic array: RTL vs C++ model"; "$BUILD/bench/bench_systolic" 256 256 256
echo "## end to end (wall time, peak memory)"
for model in lenet5-int8 resnet8-int8; do
  /usr/bin/time -f "$model: %e s wall, %M KiB peak" "$BUILD/flecsim" platforms/edge-npu.yaml \
    "workloads/models/$model.onnx" -q -o "$BUILD/bench-out/$model" > /dev/null
done
if [ -f "$BUILD/models/resnet50-int8.onnx" ] || cmake --build "$BUILD" --target workload_models; then
  /usr/bin/time -f "resnet50-int8: %e s wall, %M KiB peak" "$BUILD/flecsim" platforms/edge-npu.yaml \
    "$BUILD/models/resnet50-int8.onnx" -q -o "$BUILD/bench-out/resnet50-int8" | grep -E "^total"
fi
