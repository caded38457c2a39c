// RV32A: lr/sc (success, failure without a reservation, reservation cleared by sc) and every
// AMO, checking both the returned old value and the new memory value.
#include "test.h"

#define TEST_AMO(n, inst, init, operand, old, new) \
  li t0, init;                                     \
  sw t0, 0(s0);                                    \
  li a2, operand;                                  \
  inst a0, a2, (s0);                               \
  CHECK(n, a0, old)                                \
  lw a1, 0(s0);                                    \
  CHECK(n, a1, new)

TEST_BEGIN
  la s0, word
  TEST_AMO(1, amoswap.w, 0x11, 0x22, 0x11, 0x22)
  TEST_AMO(2, amoadd.w, 0xffffffff, 2, 0xffffffff, 1)
  TEST_AMO(3, amoand.w, 0xff00ff00, 0x0ff00ff0, 0xff00ff00, 0x0f000f00)
  TEST_AMO(4, amoor.w, 0xff00ff00, 0x0ff00ff0, 0xff00ff00, 0xfff0fff0)
  TEST_AMO(5, amoxor.w, 0xff00ff00, 0x0ff00ff0, 0xff00ff00, 0xf0f0f0f0)
  TEST_AMO(6, amomax.w, 0xfffffffe, 1, 0xfffffffe, 1)
  TEST_AMO(7, amomin.w, 0xfffffffe, 1, 0xfffffffe, 0xfffffffe)
  TEST_AMO(8, amomaxu.w, 0xfffffffe, 1, 0xfffffffe, 0xfffffffe)
  TEST_AMO(9, amominu.w, 0xfffffffe, 1, 0xfffffffe, 1)
  TEST_AMO(10, amoadd.w.aqrl, 5, 6, 5, 11)

  // lr/sc: a successful pair writes 0 to rd and stores.
  li t0, 100
  sw t0, 0(s0)
  lr.w a0, (s0)
  CHECK(11, a0, 100)
  li t1, 200
  sc.w a1, t1, (s0)
  CHECK(12, a1, 0)
  lw a0, 0(s0)
  CHECK(13, a0, 200)
  // A second sc without a new lr fails (non-zero rd) and does not store.
  li t1, 300
  sc.w a1, t1, (s0)
  li TESTNUM, 14
  beqz a1, fail
  lw a0, 0(s0)
  CHECK(15, a0, 200)
TEST_END
  .data
  .balign 4
word:
  .word 0
