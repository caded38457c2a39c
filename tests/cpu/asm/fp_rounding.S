// Every rounding mode (static and dynamic, including RMM, which the host FPU lacks) on each
// rounded operation, with the exact fflags: ties, overflow, underflow, exact subnormals.
#include "test.h"

#define NX 0x01
#define UF 0x02
#define OF 0x04
#define ONE 0x3f800000
#define HALF_ULP 0x33800000      /* 2^-24: 1 + 2^-24 is a tie */
#define QUARTER_ULP 0x33000000   /* 2^-25 */
#define THREE_Q_ULP 0x33c00000   /* 3 * 2^-25 */
#define MAX 0x7f7fffff
#define MIN_SUB 0x00000001
#define MIN_NORM 0x00800000

#define T2(n, inst, rm, expected, flags, a, b) \
  FLOAD(fa1, a)                                \
  FLOAD(fa2, b)                                \
  csrw fflags, zero;                           \
  inst fa0, fa1, fa2, rm;                      \
  fmv.x.w a0, fa0;                             \
  CHECK(n, a0, expected)                       \
  CHECK_FLAGS(n, flags)

#define T1(n, inst, rm, expected, flags, a) \
  FLOAD(fa1, a)                             \
  csrw fflags, zero;                        \
  inst fa0, fa1, rm;                        \
  fmv.x.w a0, fa0;                          \
  CHECK(n, a0, expected)                    \
  CHECK_FLAGS(n, flags)

#define T3(n, inst, rm, expected, flags, a, b, c) \
  FLOAD(fa1, a)                                   \
  FLOAD(fa2, b)                                   \
  FLOAD(fa3, c)                                   \
  csrw fflags, zero;                              \
  inst fa0, fa1, fa2, fa3, rm;                    \
  fmv.x.w a0, fa0;                                \
  CHECK(n, a0, expected)                          \
  CHECK_FLAGS(n, flags)

#define TI(n, inst, rm, expected, flags, a) \
  li a1, a;                                 \
  csrw fflags, zero;                        \
  inst fa0, a1, rm;                         \
  fmv.x.w a0, fa0;                          \
  CHECK(n, a0, expected)                    \
  CHECK_FLAGS(n, flags)

TEST_BEGIN
  // 1 + 2^-24: an exact tie.
  T2(1, fadd.s, rne, ONE, NX, ONE, HALF_ULP)
  T2(2, fadd.s, rtz, ONE, NX, ONE, HALF_ULP)
  T2(3, fadd.s, rdn, ONE, NX, ONE, HALF_ULP)
  T2(4, fadd.s, rup, 0x3f800001, NX, ONE, HALF_ULP)
  T2(5, fadd.s, rmm, 0x3f800001, NX, ONE, HALF_ULP)
  // -1 - 2^-24
  T2(6, fadd.s, rne, 0xbf800000, NX, 0xbf800000, 0xb3800000)
  T2(7, fadd.s, rtz, 0xbf800000, NX, 0xbf800000, 0xb3800000)
  T2(8, fadd.s, rdn, 0xbf800001, NX, 0xbf800000, 0xb3800000)
  T2(9, fadd.s, rup, 0xbf800000, NX, 0xbf800000, 0xb3800000)
  T2(10, fadd.s, rmm, 0xbf800001, NX, 0xbf800000, 0xb3800000)
  // Not ties: 1 + 2^-25 and 1 + 3*2^-25 with RMM.
  T2(11, fadd.s, rmm, ONE, NX, ONE, QUARTER_ULP)
  T2(12, fadd.s, rmm, 0x3f800001, NX, ONE, THREE_Q_ULP)
  T2(13, fsub.s, rmm, 0x3f800001, NX, ONE, 0xb3800000)
  // 1/3
  T2(14, fdiv.s, rne, 0x3eaaaaab, NX, ONE, 0x40400000)
  T2(15, fdiv.s, rtz, 0x3eaaaaaa, NX, ONE, 0x40400000)
  T2(16, fdiv.s, rdn, 0x3eaaaaaa, NX, ONE, 0x40400000)
  T2(17, fdiv.s, rup, 0x3eaaaaab, NX, ONE, 0x40400000)
  T2(18, fdiv.s, rmm, 0x3eaaaaab, NX, ONE, 0x40400000)
  T2(19, fdiv.s, rmm, 0x7f800000, 0x08, ONE, 0)          // divide by zero under RMM
  // Overflow: MAX * 2, and -MAX * 2.
  T2(20, fmul.s, rne, 0x7f800000, OF | NX, MAX, 0x40000000)
  T2(21, fmul.s, rtz, MAX, OF | NX, MAX, 0x40000000)
  T2(22, fmul.s, rdn, MAX, OF | NX, MAX, 0x40000000)
  T2(23, fmul.s, rup, 0x7f800000, OF | NX, MAX, 0x40000000)
  T2(24, fmul.s, rmm, 0x7f800000, OF | NX, MAX, 0x40000000)
  T2(25, fmul.s, rup, 0xff7fffff, OF | NX, 0xff7fffff, 0x40000000)
  T2(26, fmul.s, rdn, 0xff800000, OF | NX, 0xff7fffff, 0x40000000)
  T2(27, fmul.s, rmm, 0xff800000, OF | NX, 0xff7fffff, 0x40000000)
  // Underflow: 2^-150 is a tie between 0 and the smallest subnormal.
  T2(28, fmul.s, rne, 0, UF | NX, MIN_SUB, 0x3f000000)
  T2(29, fmul.s, rtz, 0, UF | NX, MIN_SUB, 0x3f000000)
  T2(30, fmul.s, rdn, 0, UF | NX, MIN_SUB, 0x3f000000)
  T2(31, fmul.s, rup, MIN_SUB, UF | NX, MIN_SUB, 0x3f000000)
  T2(32, fmul.s, rmm, MIN_SUB, UF | NX, MIN_SUB, 0x3f000000)
  T2(33, fmul.s, rmm, 0x80000001, UF | NX, 0x80000001, 0x3f000000)
  // An exact subnormal result raises nothing.
  T2(34, fmul.s, rne, 0x00400000, 0, MIN_NORM, 0x3f000000)
  T2(35, fmul.s, rmm, 0x00400000, 0, MIN_NORM, 0x3f000000)
  // sqrt(2)
  T1(36, fsqrt.s, rne, 0x3fb504f3, NX, 0x40000000)
  T1(37, fsqrt.s, rup, 0x3fb504f4, NX, 0x40000000)
  T1(38, fsqrt.s, rmm, 0x3fb504f3, NX, 0x40000000)
  T1(39, fsqrt.s, rmm, 0x7fc00000, 0x10, 0xbf800000)      // sqrt(-1): canonical NaN, NV
  // Fused multiply-add: 1*1 + 2^-24 is a tie after one rounding.
  T3(40, fmadd.s, rne, ONE, NX, ONE, ONE, HALF_ULP)
  T3(41, fmadd.s, rmm, 0x3f800001, NX, ONE, ONE, HALF_ULP)
  T3(42, fnmadd.s, rmm, 0xbf800001, NX, ONE, ONE, HALF_ULP)
  T3(43, fmsub.s, rdn, 0x3f7fffff, 0, ONE, ONE, HALF_ULP)     // 1 - 2^-24: exact
  T3(44, fnmsub.s, rup, 0xbf7fffff, 0, ONE, ONE, HALF_ULP)
  T3(62, fmsub.s, rmm, 0x3f7fffff, NX, ONE, 0x3f7fffff, QUARTER_ULP)  // tie below 1: away
  T3(45, fmadd.s, rmm, 0x7fc00000, 0x10, 0x7f800000, 0, 0x7fc00000)  // inf*0 + qNaN: NV
  T3(63, fnmsub.s, rne, 0x7fc00000, 0x10, 0x80000000, 0xff800000, 0x7fc00000)
  // Integer to float: 2^24 + 1 is a tie.
  TI(46, fcvt.s.w, rne, 0x4b800000, NX, 0x01000001)
  TI(47, fcvt.s.w, rmm, 0x4b800001, NX, 0x01000001)
  TI(48, fcvt.s.w, rup, 0x4b800001, NX, 0x01000001)
  TI(49, fcvt.s.w, rdn, 0xcb800001, NX, 0xfeffffff)
  TI(50, fcvt.s.w, rmm, 0xcb800001, NX, 0xfeffffff)
  TI(51, fcvt.s.wu, rtz, 0x4f7fffff, NX, 0xffffffff)
  TI(52, fcvt.s.wu, rmm, 0x4f800000, NX, 0xffffffff)
  TI(53, fcvt.s.w, rmm, 0xcf000000, 0, 0x80000000)
  // Float to integer ties.
  FLOAD(fa1, 0x3fc00000)    // 1.5
  fcvt.w.s a0, fa1, rne
  CHECK(54, a0, 2)
  FLOAD(fa1, 0x40200000)    // 2.5
  fcvt.w.s a0, fa1, rne
  CHECK(55, a0, 2)
  fcvt.w.s a0, fa1, rmm
  CHECK(56, a0, 3)
  FLOAD(fa1, 0xcf000000)    // -2^31: exact, no flags
  csrw fflags, zero
  fcvt.w.s a0, fa1, rtz
  CHECK(57, a0, 0x80000000)
  CHECK_FLAGS(57, 0)
  // Dynamic rounding through frm, including RMM.
  li t0, 4
  csrw frm, t0
  T2(58, fadd.s, dyn, 0x3f800001, NX, ONE, HALF_ULP)
  li t0, 2
  csrw frm, t0
  T2(59, fadd.s, dyn, 0xbf800001, NX, 0xbf800000, 0xb3800000)
  csrw frm, zero
  T2(60, fadd.s, dyn, ONE, NX, ONE, HALF_ULP)
  // Flags accumulate; fcsr = frm << 5 | fflags.
  li t0, 3
  csrw frm, t0
  csrw fflags, zero
  FLOAD(fa1, MAX)
  FLOAD(fa2, 0x40000000)
  fmul.s fa0, fa1, fa2          // OF NX
  fdiv.s fa0, fa1, fa0          // MAX/inf = 0: exact? (rup: +0) no new flags
  fsqrt.s fa0, fa1              // NX
  csrr a0, fcsr
  CHECK(61, a0, (3 << 5) | OF | NX)
  csrw fcsr, zero
TEST_END
