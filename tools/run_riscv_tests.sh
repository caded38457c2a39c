#!/usr/bin/env bash
# Runs RISC-V test programs (riscv-tests ELFs that end through tohost, or riscv-arch-test ELFs
# that leave a signature) on flecsim and reports pass/fail for each. See docs/conformance.md.
#
# usage: tools/run_riscv_tests.sh [options] DIR|ELF...
#   --flecsim BIN            flecsim binary (default: build/flecsim)
#   --platform YAML          platform to run on (default: platforms/edge-npu.yaml)
#   --max-instructions N     per-test instruction limit (default: 10000000)
#   --signatures OUTDIR      write OUTDIR/<test>.signature for each test (riscv-arch-test)
#   --references DIR         compare each signature with DIR/<test>.reference_output
#                            (riscv-arch-test's references/ folder); a difference fails
#   --filter REGEX           only test files whose name matches REGEX (grep -E)
# A test passes when flecsim exits 0 (HTIF tohost = 1) and, with --references, its signature
# equals the reference. Files in DIR that are not 32-bit ELF files (.dump, .S ...) are skipped.
# Exit code: 0 when every test passed, 1 otherwise, 2 for bad usage.
set -u
root="$(cd "$(dirname "$0")/.." && pwd)"
flecsim="$root/build/flecsim"
platform="$root/platforms/edge-npu.yaml"
max_insns=10000000
sig_dir=""
ref_dir=""
filter=""
inputs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --flecsim) flecsim="$2"; shift 2 ;;
    --platform) platform="$2"; shift 2 ;;
    --max-instructions) max_insns="$2"; shift 2 ;;
    --signatures) sig_dir="$2"; shift 2 ;;
    --references) ref_dir="$2"; shift 2 ;;
    --filter) filter="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run_riscv_tests.sh: unknown option $1" >&2; exit 2 ;;
    *) inputs+=("$1"); shift ;;
  esac
done
if [ ${#inputs[@]} -eq 0 ]; then
  echo "usage: tools/run_riscv_tests.sh [options] DIR|ELF... (--help for options)" >&2
  exit 2
fi
if [ ! -x "$flecsim" ]; then echo "run_riscv_tests.sh: no flecsim binary at $flecsim" >&2; exit 2; fi
if [ -n "$ref_dir" ] && [ -z "$sig_dir" ]; then sig_dir="$(mktemp -d)"; fi
[ -n "$sig_dir" ] && mkdir -p "$sig_dir"

is_elf32() { [ "$(head -c 5 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF001' ]; }

files=()
for input in "${inputs[@]}"; do
  if [ -d "$input" ]; then
    while IFS= read -r f; do files+=("$f"); done < <(find "$input" -maxdepth 1 -type f | sort)
  else
    files+=("$input")
  fi
done

passed=0
failed=0
failures=()
for elf in "${files[@]}"; do
  name="$(basename "$elf")"
  name="${name%.elf}"
  if [ -n "$filter" ] && ! echo "$name" | grep -qE "$filter"; then continue; fi
  is_elf32 "$elf" || continue
  args=(fw "$platform" "$elf" --quiet --max-instructions "$max_insns")
  [ -n "$sig_dir" ] && args+=(--signature "$sig_dir/$name.signature")
  log="$("$flecsim" "${args[@]}" 2>&1)"
  code=$?
  verdict=PASS
  detail=""
  if [ $code -ne 0 ]; then
    verdict=FAIL
    detail="exit $code: $(echo "$log" | tail -n 1)"
  elif [ -n "$ref_dir" ]; then
    ref="$ref_dir/$name.reference_output"
    if [ ! -f "$ref" ]; then
      verdict=FAIL; detail="no reference $ref"
    elif ! diff -q "$sig_dir/$name.signature" "$ref" >/dev/null; then
      verdict=FAIL; detail="signature differs from $ref"
    fi
  fi
  if [ $verdict = PASS ]; then
    passed=$((passed + 1))
    echo "PASS $name"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "FAIL $name ($detail)"
  fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
