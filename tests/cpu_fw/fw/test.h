// Macros of our own self-checking test programs (tests/cpu_fw): riscv-tests style, ending
// through HTIF tohost. gp holds the number of the running test case; a failure exits with
// that number as the exit code (tohost = number << 1 | 1), success exits 0.
#pragma once

#define TESTNUM gp

// Start of every test program: a trap vector that fails the test unless a test installs its
// own, a stack, and the tohost/fromhost words HTIF watches.
#define TEST_BEGIN                         \
  .section .tohost, "aw", @progbits;       \
  .balign 64;                              \
  .globl tohost;                           \
  .type tohost, @object;                   \
  .size tohost, 8;                         \
  tohost: .word 0, 0;                      \
  .balign 64;                              \
  .globl fromhost;                         \
  .type fromhost, @object;                 \
  .size fromhost, 8;                       \
  fromhost: .word 0, 0;                    \
  .section .text.init, "ax", @progbits;    \
  .globl _start;                           \
  _start:                                  \
  la t0, unexpected_trap;                  \
  csrw mtvec, t0;                          \
  la sp, _stack_top;                       \
  li TESTNUM, 0;

#define TEST_PASS \
  li a0, 1;       \
  j write_tohost;

// Common tail (tohost is written low word first, then the high word, as riscv-tests do; qemu's
// HTIF acts on the high word, flecsim's on the low one): pass/fail exits and the unexpected-trap handler (fails with the test number).
#define TEST_END                 \
  TEST_PASS                      \
  fail:                          \
  slli a0, TESTNUM, 1;           \
  ori a0, a0, 1;                 \
  j write_tohost;                \
  .balign 4;                     \
  unexpected_trap:               \
  j fail;                        \
  write_tohost:                  \
  la t0, tohost;                 \
  sw a0, 0(t0);                  \
  sw zero, 4(t0);                \
  1: j 1b;

// Compares register `reg` with `expected` for test case n.
#define CHECK(n, reg, expected) \
  li TESTNUM, n;                \
  li t6, expected;              \
  bne reg, t6, fail;

// reg-reg, reg-imm and one-operand tests of integer instructions.
#define TEST_RR(n, inst, expected, a, b) \
  li a1, a;                              \
  li a2, b;                              \
  inst a0, a1, a2;                       \
  CHECK(n, a0, expected)

#define TEST_RI(n, inst, expected, a, imm) \
  li a1, a;                                \
  inst a0, a1, imm;                        \
  CHECK(n, a0, expected)

// Single-precision tests on bit patterns: fa1/fa2/fa3 from integer words, result moved back
// with fmv.x.w (so NaN payloads and signs are compared exactly), then fflags (read and
// cleared) compared with `flags`.
#define FLOAD(freg, bits) \
  li t0, bits;            \
  fmv.w.x freg, t0;

#define CHECK_FLAGS(n, flags) \
  csrrw t1, fflags, zero;     \
  li TESTNUM, n;              \
  li t6, flags;               \
  bne t1, t6, fail;

#define TEST_FRR(n, inst, expected, flags, a, b) \
  FLOAD(fa1, a)                                  \
  FLOAD(fa2, b)                                  \
  csrw fflags, zero;                             \
  inst fa0, fa1, fa2;                            \
  fmv.x.w a0, fa0;                               \
  CHECK(n, a0, expected)                         \
  CHECK_FLAGS(n, flags)

#define TEST_FR(n, inst, expected, flags, a) \
  FLOAD(fa1, a)                              \
  csrw fflags, zero;                         \
  inst fa0, fa1;                             \
  fmv.x.w a0, fa0;                           \
  CHECK(n, a0, expected)                     \
  CHECK_FLAGS(n, flags)

#define TEST_FRRR(n, inst, expected, flags, a, b, c) \
  FLOAD(fa1, a)                                      \
  FLOAD(fa2, b)                                      \
  FLOAD(fa3, c)                                      \
  csrw fflags, zero;                                 \
  inst fa0, fa1, fa2, fa3;                           \
  fmv.x.w a0, fa0;                                   \
  CHECK(n, a0, expected)                             \
  CHECK_FLAGS(n, flags)

// Float to integer (result in a0) and comparisons (result in a0).
#define TEST_FX(n, inst, expected, flags, a, rm) \
  FLOAD(fa1, a)                                  \
  csrw fflags, zero;                             \
  inst a0, fa1, rm;                              \
  CHECK(n, a0, expected)                         \
  CHECK_FLAGS(n, flags)

#define TEST_FCMP(n, inst, expected, flags, a, b) \
  FLOAD(fa1, a)                                   \
  FLOAD(fa2, b)                                   \
  csrw fflags, zero;                              \
  inst a0, fa1, fa2;                              \
  CHECK(n, a0, expected)                          \
  CHECK_FLAGS(n, flags)
