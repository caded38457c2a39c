// wfi wakes on a pending enabled interrupt even with mstatus.MIE = 0 (and is then not taken);
// once MIE is set the three pending interrupts are taken in priority order MEI, MSI, MTI, in
// vectored mode; each handler clears its source through the bench device and returns.
  .section .text.init, "ax", @progbits
  .globl _start
  .option norvc
_start:
  la t0, vectors
  ori t0, t0, 1
  csrw mtvec, t0
  li t0, 0x888          // MEIE | MTIE | MSIE
  csrw mie, t0
  la s0, order          // handlers append mcause here
  li s1, 0x10000000     // bench device
  wfi                   // the bench raises all three lines at 2 us
  csrr a0, mip
  sw a0, 12(s0)         // mip with all three pending, before any is taken
  csrsi mstatus, 8      // MIE: now they are taken, one after another
  nop
  la t1, tohost
  li t2, 1
  sw t2, 0(t1)
1:j 1b

  .balign 64
vectors:
  j fail
  j fail
  j fail
  j msi
  j fail
  j fail
  j fail
  j mti
  j fail
  j fail
  j fail
  j mei
record:                 // a0 = register of the bench device that clears the source
  csrr t0, mcause
  lw t1, 16(s0)         // count
  slli t2, t1, 2
  add t2, t2, s0
  sw t0, 0(t2)
  addi t1, t1, 1
  sw t1, 16(s0)
  add a0, a0, s1
  sw zero, 0(a0)
  mret
mei:
  li a0, 8
  j record
msi:
  li a0, 12
  j record
mti:
  li a0, 16
  j record
fail:
  la t1, tohost
  li t2, 3
  sw t2, 0(t1)
2:j 2b

  .section .tohost, "aw", @progbits
  .globl tohost
tohost: .word 0, 0
  .data
  .globl order
order: .word 0, 0, 0, 0, 0
