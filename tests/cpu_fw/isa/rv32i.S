// RV32I: arithmetic, logic, shifts, comparisons, upper immediates, loads/stores of every
// width and sign, branches both ways, jumps and links.
#include "test.h"
TEST_BEGIN
  TEST_RR(1, add, 0x00000003, 1, 2)
  TEST_RR(2, add, 0x00000000, -1, 1)
  TEST_RR(3, sub, 0xffffffff, 1, 2)
  TEST_RR(4, sub, 0x80000000, 0x7fffffff, -1)
  TEST_RR(5, and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f)
  TEST_RR(6, or, 0xff0fff0f, 0xff00ff00, 0x0f0f0f0f)
  TEST_RR(7, xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f)
  TEST_RR(8, sll, 0x80000000, 1, 31)
  TEST_RR(9, sll, 0x00000002, 1, 33)          // only the low 5 bits of the shift count
  TEST_RR(10, srl, 0x00000001, 0x80000000, 31)
  TEST_RR(11, sra, 0xffffffff, 0x80000000, 31)
  TEST_RR(12, sra, 0x00000001, 0x40000000, 30)
  TEST_RR(13, slt, 1, -1, 0)
  TEST_RR(14, slt, 0, 0, -1)
  TEST_RR(15, sltu, 0, -1, 0)
  TEST_RR(16, sltu, 1, 0, -1)
  TEST_RI(17, addi, 0x00000000, -1, 1)
  TEST_RI(18, addi, 0xfffff800, 0, -2048)
  TEST_RI(19, andi, 0x000000f0, 0xff00fff0, 0xf0)
  TEST_RI(20, ori, 0xfffffff0, 0x0000f0f0, -16)
  TEST_RI(21, xori, 0xffff0f0f, 0x0000f0f0, -1)
  TEST_RI(22, slli, 0x00000080, 1, 7)
  TEST_RI(23, srli, 0x01ffffff, 0xffffffff, 7)
  TEST_RI(24, srai, 0xff000000, 0x80000000, 7)
  TEST_RI(25, slti, 1, -5, -4)
  TEST_RI(26, sltiu, 1, 5, -1)               // -1 is the largest unsigned immediate
  TEST_RI(27, sltiu, 0, 5, 5)

  // lui / auipc
  li TESTNUM, 28
  lui a0, 0xabcde
  CHECK(28, a0, 0xabcde000)
1:auipc a0, 0x1
  la a1, 1b
  sub a0, a0, a1
  CHECK(29, a0, 0x1000)

  // Loads and stores of every width.
  la s0, scratch
  li t0, 0x8081f0ff
  sw t0, 0(s0)
  lb a0, 0(s0)
  CHECK(30, a0, 0xffffffff)
  lbu a0, 1(s0)
  CHECK(31, a0, 0xf0)
  lh a0, 2(s0)
  CHECK(32, a0, 0xffff8081)
  lhu a0, 2(s0)
  CHECK(33, a0, 0x8081)
  sb zero, 1(s0)
  lw a0, 0(s0)
  CHECK(34, a0, 0x808100ff)
  li t0, 0x1234
  sh t0, 2(s0)
  lw a0, 0(s0)
  CHECK(35, a0, 0x123400ff)
  sw t0, -4(s0)                               // negative offsets
  lw a0, -4(s0)
  CHECK(36, a0, 0x1234)

  // Branches: taken and not taken, signed and unsigned.
  li TESTNUM, 37
  li a1, -1
  li a2, 1
  beq a1, a2, fail
  bne a1, a1, fail
  blt a2, a1, fail
  bge a1, a2, fail
  bltu a1, a2, fail
  bgeu a2, a1, fail
  blt a1, a2, 2f
  j fail
2:bltu a2, a1, 3f
  j fail
3:bge a2, a2, 4f
  j fail
4:bgeu a1, a1, 5f
  j fail
5:
  // jal / jalr link the address of the next instruction; jalr clears bit 0 of the target.
  li TESTNUM, 38
  jal ra, 6f
7:j fail
6:la t0, 7b
  bne ra, t0, fail
  li TESTNUM, 39
  la t1, 8f
  addi t1, t1, 1                              // odd target: bit 0 is ignored
  jalr t2, 0(t1)
9:j fail
8:la t0, 9b
  bne t2, t0, fail
  // x0 stays zero
  li TESTNUM, 40
  addi zero, zero, 5
  bnez zero, fail
  fence
TEST_END
  .data
  .balign 16
  .word 0
scratch:
  .word 0, 0
