#!/bin/sh
# Runs a small model, then opens report.html in headless Chromium: the page must have its plots
# (<img class="plot"> with PNG data), no console errors, and a screenshot with many colours.
# Usage: check_report.sh FLECSIM SOURCE_DIR WORK_DIR
set -eu
flecsim=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
"$flecsim" run "$src/platforms/edge-npu.yaml" "$src/workloads/models/mlp-int8.onnx" -o "$work/out" -q
test -s "$work/out/report.html" || { echo "no report.html"; exit 1; }
flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
 --disable-background-networking --disable-component-update --disable-sync"
# shellcheck disable=SC2086
chromium $flags --user-data-dir="$work/profile1" --enable-logging=stderr --v=0 \
  --dump-dom "file://$work/out/report.html" > "$work/dom.html" 2> "$work/console.log" || true
# shellcheck disable=SC2086
chromium $flags --user-data-dir="$work/profile2" --window-size=1200,2000 \
  --screenshot="$work/shot.png" "file://$work/out/report.html" > /dev/null 2>&1 || true
if grep -E "Uncaught|ERROR:CONSOLE" "$work/console.log"; then echo "console errors"; exit 1; fi
plots=$(grep -o '<img class="plot"[^>]*src="data:image/png;base64,' "$work/dom.html" | wc -l)
echo "plots in the DOM: $plots"
[ "$plots" -ge 6 ] || { echo "expected at least 6 plots"; exit 1; }
/usr/bin/python3 - "$work/shot.png" <<'PY'
import sys
import matplotlib.image as mpimg
img = mpimg.imread(sys.argv[1])
colours = {tuple((px * 255).astype(int)[:3]) for row in img[::4] for px in row[::4]}
print("distinct colours in the screenshot:", len(colours), "size", img.shape)
sys.exit(0 if len(colours) >= 50 and img.shape[0] >= 1000 else 1)
PY
