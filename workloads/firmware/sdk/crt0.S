/* flecsim firmware start-up: global and stack pointers, FPU on, trap vector, .data/.bss/TLS
 * initialisation, static constructors, main(), exit(). Machine mode, hart 0. */
#define MSTATUS_FS_INITIAL 0x2000

  .section .text.flecsim_start, "ax"
  .globl _start
  .type _start, @function
_start:
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  la sp, __stack
  /* FPU: mstatus.FS = Initial, then round-to-nearest, no flags. */
  li t0, MSTATUS_FS_INITIAL
  csrs mstatus, t0
  fscsr zero
  la t0, flecsim_trap_entry
  csrw mtvec, t0
  /* .data (and .tdata) from their load address, when it differs. */
  la a0, __data_start
  la a1, __data_source
  la a2, __data_end
  beq a0, a1, 2f
1: bgeu a0, a2, 2f
  lw t0, 0(a1)
  sw t0, 0(a0)
  addi a0, a0, 4
  addi a1, a1, 4
  j 1b
2: /* Zero .tbss (this hart's TLS block) and .bss. */
  la a0, __tbss_start
  la a2, __tls_end
  call flecsim_zero
  la a0, __bss_start
  la a2, __bss_end
  call flecsim_zero
  la tp, __tls_base
  call __libc_init_array
  li a0, 0
  li a1, 0
  call main
  call exit
3: wfi
  j 3b
  .size _start, . - _start

  /* Zeroes [a0, a2); both word aligned. */
  .type flecsim_zero, @function
flecsim_zero:
  bgeu a0, a2, 1f
  sw zero, 0(a0)
  addi a0, a0, 4
  j flecsim_zero
1: ret
  .size flecsim_zero, . - flecsim_zero
