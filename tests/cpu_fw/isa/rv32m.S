// RV32M: products (low and high halves, all signednesses) and divisions including the
// special cases the spec defines (division by zero, signed overflow).
#include "test.h"
TEST_BEGIN
  TEST_RR(1, mul, 0x00000006, 2, 3)
  TEST_RR(2, mul, 0xfffffffa, -2, 3)
  TEST_RR(3, mul, 0x00000001, -1, -1)
  TEST_RR(4, mulh, 0xffffffff, -2, 3)
  TEST_RR(5, mulh, 0x3fffffff, 0x7fffffff, 0x7fffffff)
  TEST_RR(6, mulh, 0x40000000, 0x80000000, 0x80000000)
  TEST_RR(7, mulhu, 0xfffffffe, 0xffffffff, 0xffffffff)
  TEST_RR(8, mulhu, 0x00000000, 2, 3)
  TEST_RR(9, mulhsu, 0xffffffff, -1, 0xffffffff)
  TEST_RR(10, mulhsu, 0x00000000, 1, 0xffffffff)
  TEST_RR(11, div, 0xfffffffd, 7, -2)          // rounds toward zero
  TEST_RR(12, div, 0xfffffffd, -7, 2)
  TEST_RR(13, divu, 0x7ffffffc, 0xfffffff8, 2)
  TEST_RR(14, rem, 0x00000001, 7, -2)
  TEST_RR(15, rem, 0xffffffff, -7, 2)
  TEST_RR(16, remu, 0x00000001, 7, 2)
  TEST_RR(17, div, 0xffffffff, 5, 0)           // division by zero: all ones
  TEST_RR(18, divu, 0xffffffff, 5, 0)
  TEST_RR(19, rem, 0x00000005, 5, 0)           // remainder by zero: the dividend
  TEST_RR(20, remu, 0x00000005, 5, 0)
  TEST_RR(21, div, 0x80000000, 0x80000000, -1) // overflow: the dividend
  TEST_RR(22, rem, 0x00000000, 0x80000000, -1)
TEST_END
