/* A tiled int8 GEMM and a convolution (im2col + GEMM) on the systolic array through the HAL,
 * each checked element by element against a plain C reference. Exit 0 when all match.
 * Shapes are not multiples of the array size, so edge tiles and zero padding are exercised. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../hal/systolic.h"
#include "flecsim_platform.h"

enum { GM = 40, GK = 72, GN = 24 };                      /* GEMM: [40x72] x [72x24] */
enum { C = 3, H = 10, W = 10, M = 8, KS = 3, PAD = 1 };  /* conv 3x3, pad 1, stride 1 */
enum { P = H * W, CK = C * KS * KS };

static int8_t ga[GM * GK], gb[GK * GN], x[C * H * W], wt[M * CK], cols[P * CK], wk[CK * M];
static int32_t gout[GM * GN], cout[P * M];
static uint32_t lcg = 12345;

static int8_t rnd8(void) {
  lcg = lcg * 1103515245u + 12345u;
  return (int8_t)(lcg >> 24);
}

static int check_gemm(void) {
  for (int m = 0; m < GM; ++m)
    for (int n = 0; n < GN; ++n) {
      int32_t ref = 0;
      for (int k = 0; k < GK; ++k) ref += ga[m * GK + k] * gb[k * GN + n];
      if (gout[m * GN + n] != ref) {
        printf("gemm mismatch at [%d][%d]: %ld != %ld\n", m, n, (long)gout[m * GN + n], (long)ref);
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
            cols[(oy * W + ox) * CK + k] = (iy >= 0 && iy < H && ix >= 0 && ix < W) ? x[(c * H + iy) * W + ix] : 0;
          }
  for (int m = 0; m < M; ++m)
    for (int k = 0; k < CK; ++k) wk[k * M + m] = wt[m * CK + k];
}

static int check_conv(void) {
  for (int m = 0; m < M; ++m)
    for (int oy = 0; oy < H; ++oy)
      for (int ox = 0; ox < W; ++ox) {
        int32_t ref = 0;
        for (int c = 0; c < C; ++c)
          for (int ky = 0; ky < KS; ++ky)
            for (int kx = 0; kx < KS; ++kx) {
              const int iy = oy + ky - PAD, ix = ox + kx - PAD;
              if (iy >= 0 && iy < H && ix >= 0 && ix < W)
                ref += x[(c * H + iy) * W + ix] * wt[((m * C + c) * KS + ky) * KS + kx];
            }
        const int32_t got = cout[(oy * W + ox) * M + m];
        if (got != ref) {
          printf("conv mismatch at m=%d y=%d x=%d: %ld != %ld\n", m, oy, ox, (long)got, (long)ref);
          return 1;
        }
      }
  return 0;
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
  if (err || check_gemm()) return printf("gemm failed (error %lu)\n", (unsigned long)err), 1;
  printf("systolic: gemm %dx%dx%d ok\n", GM, GK, GN);
  im2col();
  err = systolic_gemm_i8(&array, (uint32_t)(uintptr_t)cols, (uint32_t)(uintptr_t)wk,
                         (uint32_t)(uintptr_t)cout, P, CK, M, 1);
  if (err || check_conv()) return printf("conv failed (error %lu)\n", (unsigned long)err), 1;
  printf("systolic: conv %dx%dx%d k%d ok\n", C, H, W, KS);
  return 0;
}
