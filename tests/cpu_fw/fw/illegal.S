// An illegal instruction with no trap handler installed (mtvec left at its reset value):
// the run must stop with exit code 1, naming the pc, the instruction word and its disassembly.
  .section .text.init, "ax", @progbits
  .globl _start
_start:
  .option norvc          // fixed addresses: bad_insn is at 0x80000008
  li a0, 5
  nop
  .globl bad_insn
bad_insn:
  .word 0xfe000033      // OP with funct7 0x7f: no such instruction
  j _start
  .section .tohost, "aw", @progbits
  .balign 64
  .globl tohost
  .size tohost, 8
tohost: .word 0, 0
  .globl fromhost
  .size fromhost, 8
fromhost: .word 0, 0
