/* A tiled int8 GEMM and a convolution (im2col + GEMM) on the systolic array through the HAL,
 * then the same GEMM as one LOOP_MATMUL, a strided padded convolution as one LOOP_CONV
 * (implicit im2col from NHWC) and a depthwise convolution with per-channel requantisation,
 * each checked element by element against a plain C reference. Exit 0 when all match.
 * Shapes are not multiples of the array size, so edge tiles and zero padding are exercised. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../hal/systolic.h"
#include "flecsim_platform.h"

enum { GM = 40, GK = 72, GN = 24 };                     /* GEMM: [40x72] x [72x24] */
enum { C = 3, H = 10, W = 10, M = 8, KS = 3, PAD = 1 }; /* conv 3x3, pad 1, stride 1 */
enum { P = H * W, CK = C * KS * KS };

static int8_t ga[GM * GK], gb[GK * GN], x[C * H * W], wt[M * CK], cols[P * CK], wk[CK * M];
static int32_t gout[GM * GN], cout[P * M];
enum { SOH = (H + 2 * PAD - KS) / 2 + 1, SOW = SOH }; /* LOOP_CONV: stride 2 */
enum { DC = 6, DP = H * W };                          /* depthwise: 6 channels, 3x3, pad 1 */
static int8_t xh[H * W * C], xd[DP * DC], wdw[KS * KS * DC], yd[DC * DP];
static int32_t sout[SOH * SOW * M], dbias[DC], dmult[DC], dshift[DC];
static uint32_t lcg = 12345;

static int8_t rnd8(void) {
  lcg = lcg * 1103515245u + 12345u;
  return (int8_t)(lcg >> 24);
}

static int check_gemm(const int32_t* out) {
  for (int m = 0; m < GM; ++m)
    for (int n = 0; n < GN; ++n) {
      int32_t ref = 0;
      for (int k = 0; k < GK; ++k) ref += ga[m * GK + k] * gb[k * GN + n];
      if (out[m * GN + n] != ref) {
        printf("gemm mismatch at [%d][%d]: %ld != %ld\n", m, n, (long)out[m * GN + n], (long)ref);
        return 1;
      }
    }
  return 0;
}

/* cols[p][k] for pixel p and tap k = (c, ky, kx); padding is 0. wk[k][m] = weight of tap k. */
static void im2col(void) {
  for (int oy = 0; oy < H; ++oy)
    for (int ox = 0; ox < W; ++ox)
      for (int c = 0, k = 0; c < C; ++c)
        for (int ky = 0; ky < KS; ++ky)
          for (int kx = 0; kx < KS; ++kx, ++k) {
            const int iy = oy + ky - PAD, ix = ox + kx - PAD;
            cols[(oy * W + ox) * CK + k] =
                (iy >= 0 && iy < H && ix >= 0 && ix < W) ? x[(c * H + iy) * W + ix] : 0;
          }
  for (int m = 0; m < M; ++m)
    for (int k = 0; k < CK; ++k) wk[k * M + m] = wt[m * CK + k];
}

/* Convolution output (m, oy, ox) at out[(oy * ow + ox) * M + m], stride `st`. */
static int check_conv(const int32_t* out, int st, int oh, int ow) {
  for (int m = 0; m < M; ++m)
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < ow; ++ox) {
        int32_t ref = 0;
        for (int c = 0; c < C; ++c)
          for (int ky = 0; ky < KS; ++ky)
            for (int kx = 0; kx < KS; ++kx) {
              const int iy = oy * st + ky - PAD, ix = ox * st + kx - PAD;
              if (iy >= 0 && iy < H && ix >= 0 && ix < W)
                ref += x[(c * H + iy) * W + ix] * wt[((m * C + c) * KS + ky) * KS + kx];
            }
        const int32_t got = out[(oy * ow + ox) * M + m];
        if (got != ref) {
          printf("conv mismatch at m=%d y=%d x=%d: %ld != %ld\n", m, oy, ox, (long)got, (long)ref);
          return 1;
        }
      }
  return 0;
}

/* The spec's requantisation (section 4) with ReLU. */
static int8_t requant_relu(int32_t acc, int32_t mult, int32_t shift) {
  int64_t q = (int64_t)acc * mult;
  if (shift) q = (q + ((int64_t)1 << (shift - 1))) >> shift;
  return (int8_t)(q < 0 ? 0 : (q > 127 ? 127 : q));
}

static int check_depthwise(void) {
  for (int c = 0; c < DC; ++c)
    for (int oy = 0; oy < H; ++oy)
      for (int ox = 0; ox < W; ++ox) {
        int32_t acc = dbias[c];
        for (int ky = 0; ky < KS; ++ky)
          for (int kx = 0; kx < KS; ++kx) {
            const int iy = oy + ky - PAD, ix = ox + kx - PAD;
            if (iy >= 0 && iy < H && ix >= 0 && ix < W)
              acc += xd[(iy * W + ix) * DC + c] * wdw[(ky * KS + kx) * DC + c];
          }
        const int8_t ref = requant_relu(acc, dmult[c], dshift[c]), got = yd[c * DP + oy * W + ox];
        if (got != ref) {
          printf("depthwise mismatch at c=%d y=%d x=%d: %d != %d\n", c, oy, ox, got, ref);
          return 1;
        }
      }
  return 0;
}

#define ADDR(p) ((uint32_t)(uintptr_t)(p))

/* The GEMM of main() as one LOOP_MATMUL (int32 results). */
static uint32_t loop_gemm(systolic_t* s) {
  const systolic_matmul_t mm = {.a = ADDR(ga),
                                .b = ADDR(gb),
                                .c = ADDR(gout),
                                .m = GM,
                                .k = GK,
                                .n = GN,
                                .a_stride = GK,
                                .b_stride = GN,
                                .c_stride = 4 * GN,
                                .c_elem_stride = 4,
                                .raw = 1};
  systolic_loop_matmul(s, &mm, 0);
  return systolic_wait(s);
}

/* 3x3, padding 1, stride 2 over the NHWC copy of x with the [C*KH*KW][M] weights wk. */
static uint32_t loop_conv(systolic_t* s) {
  for (int c = 0; c < C; ++c)
    for (int i = 0; i < H * W; ++i) xh[i * C + c] = x[c * H * W + i];
  const systolic_conv_t cv = {.x = ADDR(xh),
                              .w = ADDR(wk),
                              .y = ADDR(sout),
                              .h = H,
                              .w_in = W,
                              .c_per_group = C,
                              .m_per_group = M,
                              .oh = SOH,
                              .ow = SOW,
                              .groups = 1,
                              .kh = KS,
                              .kw = KS,
                              .stride_h = 2,
                              .stride_w = 2,
                              .pad_top = PAD,
                              .pad_left = PAD,
                              .dil_h = 1,
                              .dil_w = 1,
                              .raw = 1,
                              .x_pix = C,
                              .x_row = W * C,
                              .w_chan = KS * KS * M,
                              .w_tap = M,
                              .y_pix = 4 * M,
                              .y_chan = 4};
  systolic_loop_conv(s, &cv, 0);
  return systolic_wait(s);
}

/* Depthwise 3x3, padding 1, bias, per-channel requantisation, ReLU, int8 NCHW output. */
static uint32_t loop_depthwise(systolic_t* s) {
  for (int i = 0; i < DP * DC; ++i) xd[i] = rnd8();
  for (int i = 0; i < KS * KS * DC; ++i) wdw[i] = rnd8();
  for (int c = 0; c < DC; ++c) {
    dbias[c] = rnd8() * 37;
    dmult[c] = 200 + 91 * c;
    dshift[c] = 9 + c;
  }
  systolic_config(s, SYSTOLIC_ACT_RELU, 0, 127, 1);
  const systolic_conv_t cv = {.x = ADDR(xd),
                              .w = ADDR(wdw),
                              .y = ADDR(yd),
                              .bias = ADDR(dbias),
                              .mult = ADDR(dmult),
                              .shift = ADDR(dshift),
                              .h = H,
                              .w_in = W,
                              .c_per_group = 1,
                              .m_per_group = 1,
                              .oh = H,
                              .ow = W,
                              .groups = DC,
                              .kh = KS,
                              .kw = KS,
                              .stride_h = 1,
                              .stride_w = 1,
                              .pad_top = PAD,
                              .pad_left = PAD,
                              .dil_h = 1,
                              .dil_w = 1,
                              .has_bias = 1,
                              .per_channel = 1,
                              .x_pix = DC,
                              .x_row = W * DC,
                              .w_chan = DC,
                              .w_tap = DC,
                              .y_pix = 1,
                              .y_chan = DP};
  systolic_loop_conv(s, &cv, 0);
  return systolic_wait(s);
}

int main(void) {
  systolic_t array;
  if (systolic_init(&array, FLECSIM_SYSTOLIC0_BASE) != 0) {
    printf("no systolic array at 0x%lx\n", (unsigned long)FLECSIM_SYSTOLIC0_BASE);
    return 2;
  }
  for (int i = 0; i < GM * GK; ++i) ga[i] = rnd8();
  for (int i = 0; i < GK * GN; ++i) gb[i] = rnd8();
  for (int i = 0; i < C * H * W; ++i) x[i] = rnd8();
  for (int i = 0; i < M * CK; ++i) wt[i] = rnd8();
  uint32_t err = systolic_gemm_i8(&array, (uint32_t)(uintptr_t)ga, (uint32_t)(uintptr_t)gb,
                                  (uint32_t)(uintptr_t)gout, GM, GK, GN, 1);
  if (err || check_gemm(gout)) return printf("gemm failed (error %lu)\n", (unsigned long)err), 1;
  printf("systolic: gemm %dx%dx%d ok\n", GM, GK, GN);
  im2col();
  err = systolic_gemm_i8(&array, (uint32_t)(uintptr_t)cols, (uint32_t)(uintptr_t)wk,
                         (uint32_t)(uintptr_t)cout, P, CK, M, 1);
  if (err || check_conv(cout, 1, H, W))
    return printf("conv failed (error %lu)\n", (unsigned long)err), 1;
  printf("systolic: conv %dx%dx%d k%d ok\n", C, H, W, KS);
  for (int i = 0; i < GM * GN; ++i) gout[i] = 0;
  err = loop_gemm(&array);
  if (err || check_gemm(gout))
    return printf("loop gemm failed (error %lu)\n", (unsigned long)err), 1;
  err = loop_conv(&array);
  if (err || check_conv(sout, 2, SOH, SOW))
    return printf("loop conv failed (error %lu)\n", (unsigned long)err), 1;
  err = loop_depthwise(&array);
  if (err || check_depthwise())
    return printf("loop depthwise failed (error %lu)\n", (unsigned long)err), 1;
  printf("systolic: LOOP_MATMUL %dx%dx%d, LOOP_CONV stride 2 pad 1, depthwise %d ok\n", GM, GK, GN,
         DC);
  return 0;
}
