// RV32F: arithmetic with exact results and flags, IEEE special cases (canonical NaN, signed
// zeros, infinities, signalling NaNs), fused multiply-add without intermediate rounding,
// every rounding mode (static and dynamic), conversions, comparisons, fclass, sign injection,
// moves that keep NaN payloads, loads/stores, and the fflags/frm/fcsr CSRs.
#include "test.h"

#define ONE 0x3f800000
#define TWO 0x40000000
#define THREE 0x40400000
#define QNAN 0x7fc00000
#define SNAN 0x7f800001
#define NV 0x10
#define DZ 0x08
#define NX 0x01

#define TEST_FCLASS(n, expected, a) \
  FLOAD(fa1, a)                     \
  fclass.s a0, fa1;                 \
  CHECK(n, a0, expected)

#define TEST_ITOF(n, inst, expected, flags, a, rm) \
  li a1, a;                                        \
  csrw fflags, zero;                               \
  inst fa0, a1, rm;                                \
  fmv.x.w a0, fa0;                                 \
  CHECK(n, a0, expected)                           \
  CHECK_FLAGS(n, flags)

TEST_BEGIN
  li t0, 0x2000          // mstatus.FS = initial: the FPU is usable
  csrs mstatus, t0
  csrw fcsr, zero

  TEST_FRR(1, fadd.s, THREE, 0, ONE, TWO)
  TEST_FRR(2, fsub.s, 0x00000000, 0, ONE, ONE)
  TEST_FRR(3, fmul.s, 0x40c00000, 0, TWO, THREE)
  TEST_FRR(4, fdiv.s, 0x3eaaaaab, NX, ONE, THREE)
  TEST_FRR(5, fdiv.s, 0x7f800000, DZ, ONE, 0)
  TEST_FRR(6, fdiv.s, QNAN, NV, 0, 0)
  TEST_FR(7, fsqrt.s, TWO, 0, 0x40800000)
  TEST_FR(8, fsqrt.s, QNAN, NV, 0xbf800000)
  TEST_FRR(9, fadd.s, QNAN, 0, 0x7fc00001, ONE)    // NaN payloads are not propagated
  TEST_FRR(10, fadd.s, QNAN, NV, SNAN, ONE)
  TEST_FRR(11, fsub.s, QNAN, NV, 0x7f800000, 0x7f800000)
  TEST_FRR(12, fmul.s, 0x80000000, 0, 0x80000000, ONE)
  TEST_FRR(13, fmin.s, ONE, 0, ONE, QNAN)
  TEST_FRR(14, fmin.s, 0x80000000, 0, 0x80000000, 0x00000000)
  TEST_FRR(15, fmax.s, 0x00000000, 0, 0x80000000, 0x00000000)
  TEST_FRR(16, fmin.s, ONE, NV, SNAN, ONE)
  TEST_FRR(17, fmax.s, QNAN, 0, QNAN, QNAN)
  TEST_FRRR(18, fmadd.s, 0x40a00000, 0, ONE, TWO, THREE)
  TEST_FRRR(19, fmsub.s, 0x40a00000, 0, TWO, THREE, ONE)
  TEST_FRRR(20, fnmadd.s, 0xc0e00000, 0, TWO, THREE, ONE)
  TEST_FRRR(21, fnmsub.s, 0xc0a00000, 0, TWO, THREE, ONE)
  // (1 + 2^-23)^2 - (1 + 2^-22) = 2^-46 exactly, only if the product is not rounded first.
  TEST_FRRR(22, fmadd.s, 0x28800000, 0, 0x3f800001, 0x3f800001, 0xbf800002)
  TEST_FRR(23, fsgnj.s, 0xbf800000, 0, ONE, 0xc0000000)
  TEST_FRR(24, fsgnjn.s, ONE, 0, ONE, 0xc0000000)
  TEST_FRR(25, fsgnjx.s, ONE, 0, 0xbf800000, 0xc0000000)

  // float -> integer in every rounding mode (2.5 and -2.5 are ties).
  TEST_FX(30, fcvt.w.s, 2, NX, 0x40200000, rne)
  TEST_FX(31, fcvt.w.s, 2, NX, 0x40200000, rtz)
  TEST_FX(32, fcvt.w.s, 2, NX, 0x40200000, rdn)
  TEST_FX(33, fcvt.w.s, 3, NX, 0x40200000, rup)
  TEST_FX(34, fcvt.w.s, 3, NX, 0x40200000, rmm)
  TEST_FX(35, fcvt.w.s, -2, NX, 0xc0200000, rne)
  TEST_FX(36, fcvt.w.s, -2, NX, 0xc0200000, rtz)
  TEST_FX(37, fcvt.w.s, -3, NX, 0xc0200000, rdn)
  TEST_FX(38, fcvt.w.s, -2, NX, 0xc0200000, rup)
  TEST_FX(39, fcvt.w.s, -3, NX, 0xc0200000, rmm)
  TEST_FX(40, fcvt.w.s, 0x7fffffff, NV, QNAN, rtz)
  TEST_FX(41, fcvt.w.s, 0x80000000, NV, 0xff800000, rtz)
  TEST_FX(42, fcvt.wu.s, 0, NV, 0xbf800000, rtz)
  TEST_FX(43, fcvt.wu.s, 0, NX, 0xbf000000, rtz)
  TEST_FX(44, fcvt.wu.s, 0xffffffff, NV, 0x4f800000, rtz)
  TEST_FX(45, fcvt.w.s, 7, 0, 0x40e00000, rne)
  // integer -> float
  TEST_ITOF(46, fcvt.s.w, 0x4f000000, NX, 0x7fffffff, rne)
  TEST_ITOF(47, fcvt.s.w, 0x4effffff, NX, 0x7fffffff, rtz)
  TEST_ITOF(48, fcvt.s.wu, 0x4f800000, NX, 0xffffffff, rne)
  TEST_ITOF(49, fcvt.s.w, 0xc0400000, 0, -3, rne)
  // Dynamic rounding mode from frm.
  li t0, 1               // rtz
  csrw frm, t0
  TEST_ITOF(50, fcvt.s.w, 0x4effffff, NX, 0x7fffffff, dyn)
  li t0, 3               // rup
  csrw frm, t0
  TEST_FRR(51, fadd.s, 0x3f800001, NX, ONE, 0x33800000)
  csrw frm, zero         // rne: the tie 1 + 2^-24 rounds to even
  TEST_FRR(52, fadd.s, ONE, NX, ONE, 0x33800000)

  // Comparisons: quiet NaN only signals for flt/fle.
  TEST_FCMP(60, flt.s, 1, 0, ONE, TWO)
  TEST_FCMP(61, fle.s, 1, 0, TWO, TWO)
  TEST_FCMP(62, feq.s, 0, 0, QNAN, QNAN)
  TEST_FCMP(63, flt.s, 0, NV, QNAN, ONE)
  TEST_FCMP(64, feq.s, 0, NV, SNAN, ONE)
  TEST_FCMP(65, feq.s, 1, 0, 0x80000000, 0x00000000)

  TEST_FCLASS(70, 0x001, 0xff800000)
  TEST_FCLASS(71, 0x004, 0x80000001)
  TEST_FCLASS(72, 0x010, 0x00000000)
  TEST_FCLASS(73, 0x008, 0x80000000)
  TEST_FCLASS(74, 0x040, ONE)
  TEST_FCLASS(75, 0x080, 0x7f800000)
  TEST_FCLASS(76, 0x100, SNAN)
  TEST_FCLASS(77, 0x200, QNAN)

  // Moves keep NaN payloads; loads and stores are bit-exact.
  FLOAD(fa1, SNAN)
  fmv.x.w a0, fa1
  CHECK(80, a0, SNAN)
  la s0, fdata
  flw fa2, 0(s0)
  fsw fa2, 4(s0)
  lw a0, 4(s0)
  CHECK(81, a0, 0x7f800123)

  // fcsr = frm << 5 | fflags; flags accumulate until cleared.
  li t0, 0xff
  csrw fcsr, t0
  csrr a0, frm
  CHECK(82, a0, 7)
  csrr a0, fflags
  CHECK(83, a0, 0x1f)
  csrw fcsr, zero
  FLOAD(fa1, ONE)
  FLOAD(fa2, THREE)
  fdiv.s fa0, fa1, fa2
  FLOAD(fa2, 0)
  fdiv.s fa0, fa1, fa2
  csrr a0, fflags
  CHECK(84, a0, NX | DZ)
TEST_END
  .data
  .balign 4
fdata:
  .word 0x7f800123, 0
