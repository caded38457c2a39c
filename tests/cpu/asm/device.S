// Device (non-DMI) accesses synchronise: the device sees the core's local time, and its
// latency is added. Reads the bench's time register after 10 cycles, writes it back.
  .section .text.init, "ax", @progbits
  .globl _start
  .option norvc
_start:
  li t0, 0x10000000     // lui: 1 cycle (at 100 MHz: 10 ns)
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  nop                   // 10 alu cycles so far: the load is issued at 100 ns
  lw a0, 0(t0)          // load 1 cycle; arrives at 110 ns? no: at the start of its own cycle
  sw a0, 0(t0)          // the device logs (time of this access, value)
  la t1, tohost
  li t2, 1
  sw t2, 0(t1)
1:j 1b
  .section .tohost, "aw", @progbits
  .globl tohost
tohost: .word 0, 0
