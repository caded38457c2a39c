// wfi sleeps until mtip rises (driven by the bench at 5 us); the timer interrupt is taken in
// vectored mode at base + 4 * 7. The handler stores mcause, mepc and the device time.
  .section .text.init, "ax", @progbits
  .globl _start
  .option norvc
_start:
  la t0, vectors
  ori t0, t0, 1         // vectored
  csrw mtvec, t0
  li t0, 0x80           // mie.MTIE
  csrw mie, t0
  csrsi mstatus, 8      // mstatus.MIE
  wfi
after_wfi:
  j after_wfi           // not reached: the handler ends the program

  .balign 64
vectors:
  j fail                // 0: exceptions
  j fail
  j fail
  j fail                // 3: msi
  j fail
  j fail
  j fail
  j timer               // 7: mti
  j fail
  j fail
  j fail
  j fail                // 11: mei
timer:
  la t1, results
  csrr t2, mcause
  sw t2, 0(t1)
  csrr t2, mepc
  sw t2, 4(t1)
  li t0, 0x10000000
  lw t2, 0(t0)          // time in ns as the device sees it
  sw t2, 8(t1)
  la t2, after_wfi
  sw t2, 12(t1)
  la t1, tohost
  li t2, 1
  sw t2, 0(t1)
1:j 1b
fail:
  la t1, tohost
  li t2, 3
  sw t2, 0(t1)
2:j 2b

  .section .tohost, "aw", @progbits
  .globl tohost
tohost: .word 0, 0
  .data
  .globl results
results: .word 0, 0, 0, 0
