#!/usr/bin/env bash
# The main job of `make demo`: ResNet-8 (int8 QDQ) compiled for the default platform, run by the
# runtime firmware on the simulated RV32 CPU driving the 16x16 systolic array, checked against
# the reference executor, with energy, area and a report.
set -euo pipefail
BUILD=${1:-build}
cd "$(dirname "$0")/.."
"$BUILD/flecsim" platforms/edge-npu.yaml workloads/models/resnet8-int8.onnx -o flecsim-out/edge-npu
echo "summary.json, layers.csv, report.html and outputs/ are in flecsim-out/edge-npu/"
