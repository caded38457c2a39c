// RV32C: the compressed encodings (explicit c.* mnemonics), including the stack-relative,
// register-pair and FP forms, and jumps that link pc + 2.
#include "test.h"
TEST_BEGIN
  li t0, 0x2000          // mstatus.FS = initial, for c.flw/c.fsw
  csrs mstatus, t0
  .option push
  .option rvc
  li TESTNUM, 1
  c.li a0, -5
  CHECK(1, a0, -5)
  c.addi a0, 7
  CHECK(2, a0, 2)
  c.lui a1, 0x1f
  CHECK(3, a1, 0x1f000)
  c.mv a2, a1
  c.add a2, a0
  CHECK(4, a2, 0x1f002)
  li s0, 0xf0
  li s1, 0x3c
  c.and s0, s1
  CHECK(5, s0, 0x30)
  li s0, 0xf0
  c.or s0, s1
  CHECK(6, s0, 0xfc)
  li s0, 0xf0
  c.xor s0, s1
  CHECK(7, s0, 0xcc)
  li s0, 0xf0
  c.sub s0, s1
  CHECK(8, s0, 0xb4)
  li s0, 0x80000000
  c.srai s0, 4
  CHECK(9, s0, 0xf8000000)
  c.srli s0, 4
  CHECK(10, s0, 0x0f800000)
  c.slli s0, 4
  CHECK(11, s0, 0xf8000000)
  li s0, 0xff
  c.andi s0, 0x0f
  CHECK(12, s0, 0x0f)

  // Stack-relative and register-based loads and stores.
  c.addi16sp sp, -32
  li t0, 0x12345678
  c.swsp t0, 4(sp)
  c.lwsp a3, 4(sp)
  CHECK(13, a3, 0x12345678)
  c.addi4spn s0, sp, 8
  li s1, 0xabcdef01
  c.sw s1, 4(s0)
  c.lw a4, 4(s0)
  CHECK(14, a4, 0xabcdef01)
  li t0, 0x40490fdb
  c.sw s1, 0(s0)
  sw t0, 0(s0)
  c.flw fa5, 0(s0)
  c.fsw fa5, 8(s0)
  lw a5, 8(s0)
  CHECK(15, a5, 0x40490fdb)
  c.fswsp fa5, 16(sp)
  c.flwsp fa4, 16(sp)
  fmv.x.w a5, fa4
  CHECK(16, a5, 0x40490fdb)
  c.addi16sp sp, 32

  // Jumps and branches; c.jal and c.jalr link pc + 2.
  li TESTNUM, 17
  li s1, 0
  c.beqz s1, 1f
  j fail
1:c.bnez s1, fail_near
  c.jal 2f
3:j fail
2:la t0, 3b
  bne ra, t0, fail
  li TESTNUM, 18
  la t1, 4f
  c.jalr t1
5:j fail
4:la t0, 5b
  bne ra, t0, fail
  la t1, 6f
  c.jr t1
  j fail
6:c.j 7f
fail_near:
  j fail
7:c.nop
  .option pop
TEST_END
