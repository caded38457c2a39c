#!/usr/bin/env bash
# CPU speed: MIPS of flecsim's rv32 ISS (timing model on, platform edge-npu) on the compute
# benchmark (workloads/firmware/examples/bench/bench.c: integer and float kernels) and on a
# plain integer loop, and the same ELFs under qemu-system-riscv32 for comparison.
#
# usage: tools/bench_cpu.sh [BUILD_DIR] [REPEAT]
#   BUILD_DIR  where flecsim is built (default: build); ELFs go to BUILD_DIR/bench_cpu/
#   REPEAT     rounds of the compute benchmark (default 20, about 70 M instructions)
# Both ELFs run unchanged on flecsim and on qemu's `spike` machine (-bios none): they start at
# 0x80000000 and end through HTIF tohost, which both implement (bench/bench_cpu_htif.c).
# MIPS = instructions retired (flecsim's count; qemu runs the same program) / wall seconds of
# the whole process, start-up included; "cpu MIPS" uses user+system CPU seconds instead, which
# is what to compare when other jobs share the machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
repeat="${2:-20}"
flecsim="$build/flecsim"
platform="$root/platforms/edge-npu.yaml"
out="$build/bench_cpu"
mkdir -p "$out"
[ -x "$flecsim" ] || { echo "bench_cpu.sh: no flecsim at $flecsim (build it first)" >&2; exit 2; }

gcc=riscv64-unknown-elf-gcc
arch=(-march=rv32imafc_zicsr_zifencei -mabi=ilp32f)
picolibc=/usr/lib/picolibc/riscv64-unknown-elf
# GCC 12 does not map the _zicsr_zifencei suffix to its multilib: ask for the plain one.
multilib="$($gcc -march=rv32imafc -mabi=ilp32f -print-multi-directory)"
libgcc_dir="$(dirname "$($gcc -march=rv32imafc -mabi=ilp32f -print-libgcc-file-name)")"
link=(-nostdlib -nostartfiles -T "$root/bench/bench_cpu.ld" -Wl,--no-warn-rwx-segments)

$gcc "${arch[@]}" "${link[@]}" -Wl,--no-relax "$root/bench/bench_cpu_intloop.S" -o "$out/intloop.elf"
$gcc "${arch[@]}" -O2 -DBENCH_REPEAT="$repeat" -isystem "$picolibc/include" -ftls-model=local-exec \
  -I "$root/workloads/firmware/include" "${link[@]}" -L"$picolibc/lib/$multilib" -L"$libgcc_dir" \
  "$root/bench/bench_cpu_crt0.S" "$root/bench/bench_cpu_htif.c" \
  "$root/workloads/firmware/examples/bench/bench.c" -Wl,--start-group -lc -lgcc -Wl,--end-group \
  -o "$out/compute.elf"
# The same program in edge-npu's SRAM (flecsim only: qemu's spike machine has no memory there).
$gcc "${arch[@]}" -O2 -DBENCH_REPEAT="$repeat" -isystem "$picolibc/include" -ftls-model=local-exec \
  -I "$root/workloads/firmware/include" "${link[@]}" -Wl,--defsym=__bench_base=0x10000000 \
  -L"$picolibc/lib/$multilib" -L"$libgcc_dir" \
  "$root/bench/bench_cpu_crt0.S" "$root/bench/bench_cpu_htif.c" \
  "$root/workloads/firmware/examples/bench/bench.c" -Wl,--start-group -lc -lgcc -Wl,--end-group \
  -o "$out/compute_sram.elf"

# Runs "$@", sets wall and cpu (seconds) and the exit status; output in $out/last.log.
timed() {
  local t0 t1 c0 c1
  t0=$(date +%s.%N)
  c0=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat)
  set +e
  "$@" >"$out/last.log" 2>&1
  status=$?
  set -e
  t1=$(date +%s.%N)
  # children's user+system ticks of this shell (cutime+cstime) grow by the child's CPU time.
  c1=$(awk '{print $14+$15+$16+$17}' /proc/$$/stat)
  wall=$(echo "$t1 - $t0" | bc -l)
  cpu=$(echo "($c1 - $c0) / $(getconf CLK_TCK)" | bc -l)
}

mips() { echo "$1 / $2 / 1000000" | bc -l | xargs printf "%.1f"; }

printf "%-12s %12s %10s %9s %9s %10s %9s %9s %8s\n" program instructions flecsim_s MIPS cpu_MIPS \
  qemu_s MIPS cpu_MIPS ratio
for prog in intloop compute compute_sram; do
  timed "$flecsim" fw "$platform" "$out/$prog.elf"
  [ $status -eq 0 ] || { cat "$out/last.log"; echo "bench_cpu.sh: flecsim failed on $prog" >&2; exit 1; }
  insns=$(sed -n 's/.* after \([0-9]*\) instructions.*/\1/p' "$out/last.log" | tail -n 1)
  [ "$prog" = compute ] && grep '^bench:' "$out/last.log" >"$out/compute.out"
  f_wall=$wall f_cpu=$cpu
  if [ "$prog" = compute_sram ]; then
    printf "%-12s %12s %10.2f %9s %9s %10s %9s %9s %8s\n" "$prog" "$insns" "$f_wall" \
      "$(mips "$insns" "$f_wall")" "$(mips "$insns" "$f_cpu")" - - - -
    continue
  fi
  timed timeout 600 qemu-system-riscv32 -machine spike -bios none -kernel "$out/$prog.elf" \
    -nographic -monitor none -serial none
  [ $status -eq 0 ] || { cat "$out/last.log"; echo "bench_cpu.sh: qemu failed on $prog" >&2; exit 1; }
  printf "%-12s %12s %10.2f %9s %9s %10.2f %9s %9s %8s\n" "$prog" "$insns" "$f_wall" \
    "$(mips "$insns" "$f_wall")" "$(mips "$insns" "$f_cpu")" "$wall" "$(mips "$insns" "$wall")" \
    "$(mips "$insns" "$cpu")" "$(echo "$f_wall / $wall" | bc -l | xargs printf "%.1fx")"
done
echo "(ratio = flecsim wall time / qemu wall time; compute benchmark output in $out/compute.out)"
