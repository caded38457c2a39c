// A valid encoding that is illegal in context (a write to the read-only mhartid) with no trap
// handler: the stop message must carry its disassembly.
  .section .text.init, "ax", @progbits
  .globl _start
_start:
  .option norvc          // fixed address: the csrw is at 0x80000004
  nop
  csrw mhartid, zero
  j _start
