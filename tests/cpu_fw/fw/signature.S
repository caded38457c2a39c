// Writes a known signature between begin_signature and end_signature (the riscv-arch-test
// convention) and exits 0; --signature must print one lower-case 8-digit hex word per line.
#include "test.h"
TEST_BEGIN
  la t0, begin_signature
  li t1, 0xdeadbeef
  sw t1, 0(t0)
  li t1, 0x12345678
  sw t1, 4(t0)
  li t1, 0x0000abcd
  sw t1, 8(t0)
  addi t1, zero, -1
  sw t1, 12(t0)
TEST_END
  .data
  .balign 16
  .globl begin_signature
begin_signature:
  .word 0x11111111, 0x22222222, 0x33333333, 0x44444444
  .globl end_signature
end_signature:
  .word 0x55555555
