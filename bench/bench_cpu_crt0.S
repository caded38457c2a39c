// Start-up of the CPU benchmark ELFs: stack, global pointer, FPU on, then bench_start().
  .section .text.init, "ax", @progbits
  .globl _start
_start:
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  la sp, _stack_top
  la tp, __tls_base
  li t0, 0x2000          // mstatus.FS = initial
  csrs mstatus, t0
  call bench_start
1:j 1b
