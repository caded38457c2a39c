// Zicsr and Zifencei: every CSR instruction form on mscratch (old value returned, set/clear
// masks, x0 source does not write), misa, the counters (minstret counts exactly, mcycle
// moves forward, the user aliases match), and fence.i after rewriting code.
#include "test.h"
TEST_BEGIN
  li t0, 0x12345678
  csrrw a0, mscratch, t0
  csrr a0, mscratch
  CHECK(1, a0, 0x12345678)
  li t1, 0x0000ff00
  csrrs a0, mscratch, t1
  CHECK(2, a0, 0x12345678)
  csrr a0, mscratch
  CHECK(3, a0, 0x1234ff78)
  li t1, 0x000000f0
  csrrc a0, mscratch, t1
  csrr a0, mscratch
  CHECK(4, a0, 0x1234ff08)
  csrrwi a0, mscratch, 0x15
  CHECK(5, a0, 0x1234ff08)
  csrrsi a0, mscratch, 0x0a
  csrr a0, mscratch
  CHECK(6, a0, 0x1f)
  csrrci a0, mscratch, 0x03
  csrr a0, mscratch
  CHECK(7, a0, 0x1c)
  csrrs a0, mscratch, zero       // reads without writing
  CHECK(8, a0, 0x1c)

  // misa: RV32 with I, M, A, F and C.
  csrr a0, misa
  srli a1, a0, 30
  CHECK(9, a1, 1)
  li t0, (1 << 8) | (1 << 12) | (1 << 0) | (1 << 5) | (1 << 2)
  and a1, a0, t0
  CHECK(10, a1, (1 << 8) | (1 << 12) | (1 << 0) | (1 << 5) | (1 << 2))
  csrr a0, mhartid
  CHECK(11, a0, 0)

  // minstret counts retired instructions: reads 3 instructions apart differ by 3.
  csrr a0, minstret
  nop
  nop
  csrr a1, minstret
  sub a2, a1, a0
  CHECK(12, a2, 3)
  rdinstret a0
  nop
  rdinstret a1
  sub a2, a1, a0
  CHECK(13, a2, 2)
  rdcycle a0
  nop
  rdcycle a1
  li TESTNUM, 14
  bgeu a0, a1, fail
  // Writing minstret sets the count.
  li t0, 1000
  csrw minstret, t0
  csrr a0, minstret
  CHECK(15, a0, 1000)          // the write wins over the csrw's own count
  csrr a0, minstreth
  CHECK(16, a0, 0)

  // fence.i: code rewritten by stores runs in its new form.
  la t0, patched
  li t1, 0x02a00513              // addi a0, zero, 42
  sw t1, 0(t0)
  fence.i
  li a0, 0
  .balign 4                      // (padded with c.nop) the patched word is an aligned store
  .option push
  .option norvc
patched:
  addi a0, zero, 7
  .option pop
  CHECK(17, a0, 42)
TEST_END
