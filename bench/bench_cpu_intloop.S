// Plain integer loop for tools/bench_cpu.sh: 25 000 000 iterations of 8 instructions (ALU ops
// and a taken branch) = 200 000 004 instructions, then exit 0 through tohost.
  .section .text.init, "ax", @progbits
  .globl _start
_start:
  li t0, 25000000
  li a0, 0
  li a1, 1
loop:
  add a0, a0, a1
  xor a2, a0, t0
  slli a3, a2, 3
  sub a1, a3, a2
  andi a1, a1, 255
  or a4, a4, a0
  addi t0, t0, -1
  bnez t0, loop
  li a0, 1
  la t1, tohost
  sw a0, 0(t1)
  sw zero, 4(t1)
1:j 1b

  .section .tohost, "aw", @progbits
  .balign 64
  .globl tohost
  .type tohost, @object
  .size tohost, 8
tohost: .word 0, 0
  .balign 64
  .globl fromhost
  .type fromhost, @object
  .size fromhost, 8
fromhost: .word 0, 0
