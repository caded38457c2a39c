/* flecsim compute benchmark: integer and single-precision kernels with fixed inputs. Prints one
 * checksum per kernel, the total, and the instructions and cycles the CPU spent, so a script can
 * turn host wall time into MIPS. The checksums are the same on every correct RV32IMAFC. */
#include <stdint.h>
#include <stdio.h>

#include "flecsim/csr.h"

#ifndef BENCH_REPEAT
#define BENCH_REPEAT 2
#endif

static uint32_t rng_state = 12345;
static uint32_t rng(void) { /* xorshift32 */
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 17;
  rng_state ^= rng_state << 5;
  return rng_state;
}

#define N_MAT 48
static int32_t ia[N_MAT][N_MAT], ib[N_MAT][N_MAT], ic[N_MAT][N_MAT];
static float fa[N_MAT][N_MAT], fb[N_MAT][N_MAT], fc[N_MAT][N_MAT];

static uint32_t int_matmul(void) {
  for (int i = 0; i < N_MAT; ++i)
    for (int j = 0; j < N_MAT; ++j) {
      int32_t acc = 0;
      for (int k = 0; k < N_MAT; ++k) acc += ia[i][k] * ib[k][j];
      ic[i][j] = acc;
    }
  uint32_t sum = 0;
  for (int i = 0; i < N_MAT; ++i)
    for (int j = 0; j < N_MAT; ++j) sum = sum * 31 + (uint32_t)ic[i][j];
  return sum;
}

#define CRC_BYTES 8192
static uint8_t crc_buf[CRC_BYTES];
static uint32_t crc32(void) {
  uint32_t crc = 0xffffffffu;
  for (int i = 0; i < CRC_BYTES; ++i) {
    crc ^= crc_buf[i];
    for (int b = 0; b < 8; ++b) crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
  }
  return ~crc;
}

#define SIEVE_N 40000
static uint8_t composite[SIEVE_N];
static uint32_t sieve(void) {
  for (int i = 0; i < SIEVE_N; ++i) composite[i] = 0;
  uint32_t count = 0;
  for (int i = 2; i < SIEVE_N; ++i) {
    if (composite[i]) continue;
    ++count;
    for (int j = 2 * i; j < SIEVE_N; j += i) composite[j] = 1;
  }
  return count;
}

#define SORT_N 4000
static int32_t sort_buf[SORT_N];
static void quicksort(int32_t* v, int lo, int hi) {
  while (lo < hi) {
    int32_t pivot = v[(lo + hi) / 2];
    int i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot) ++i;
      while (v[j] > pivot) --j;
      if (i <= j) {
        int32_t t = v[i];
        v[i++] = v[j];
        v[j--] = t;
      }
    }
    if (j - lo < hi - i) {
      quicksort(v, lo, j);
      lo = i;
    } else {
      quicksort(v, i, hi);
      hi = j;
    }
  }
}
static uint32_t sort(void) {
  for (int i = 0; i < SORT_N; ++i) sort_buf[i] = (int32_t)(rng() % 100000) - 50000;
  quicksort(sort_buf, 0, SORT_N - 1);
  uint32_t sum = 0;
  for (int i = 0; i < SORT_N; ++i) sum = sum * 33 + (uint32_t)sort_buf[i];
  for (int i = 1; i < SORT_N; ++i)
    if (sort_buf[i - 1] > sort_buf[i]) return 0; /* not sorted: checksum 0 */
  return sum;
}

/* Float kernels: matrix product, Newton square roots, a polynomial exp and a softmax-like
 * normalisation; results are reduced to bits so the checksum tests exact IEEE behaviour. */
static uint32_t float_bits(float f) {
  union {
    float f;
    uint32_t u;
  } u = {f};
  return u.u;
}
static float exp_poly(float x) { /* e^x for |x| <= 1, 7 terms of the series */
  float term = 1.0f, sum = 1.0f;
  for (int n = 1; n < 8; ++n) {
    term *= x / (float)n;
    sum += term;
  }
  return sum;
}
static uint32_t float_kernels(void) {
  for (int i = 0; i < N_MAT; ++i)
    for (int j = 0; j < N_MAT; ++j) {
      float acc = 0.0f;
      for (int k = 0; k < N_MAT; ++k) acc += fa[i][k] * fb[k][j];
      fc[i][j] = acc;
    }
  uint32_t sum = 0;
  float norm = 0.0f;
  for (int i = 0; i < N_MAT; ++i) {
    float row = 0.0f;
    for (int j = 0; j < N_MAT; ++j) row += exp_poly(fc[i][j] / 64.0f);
    float r = row, x = row; /* Newton iterations for sqrt(row) */
    for (int it = 0; it < 8; ++it) x = 0.5f * (x + r / x);
    norm += x;
    sum = sum * 37 + float_bits(x);
  }
  return sum ^ float_bits(norm) ^ float_bits(__builtin_sqrtf(norm));
}

static void init(void) {
  for (int i = 0; i < N_MAT; ++i)
    for (int j = 0; j < N_MAT; ++j) {
      ia[i][j] = (int32_t)(rng() % 201) - 100;
      ib[i][j] = (int32_t)(rng() % 201) - 100;
      fa[i][j] = (float)((int32_t)(rng() % 2001) - 1000) / 1000.0f;
      fb[i][j] = (float)((int32_t)(rng() % 2001) - 1000) / 1000.0f;
    }
  for (int i = 0; i < CRC_BYTES; ++i) crc_buf[i] = (uint8_t)rng();
}

int main(void) {
  init();
  uint64_t insn0 = rdinstret64(), cycle0 = rdcycle64();
  uint32_t sums[5] = {0, 0, 0, 0, 0};
  for (int r = 0; r < BENCH_REPEAT; ++r) {
    /* Inputs change between rounds (sort draws new numbers; the others are fed back). */
    sums[0] = sums[0] * 3 + int_matmul();
    ia[r % N_MAT][0] += 1;
    sums[1] = sums[1] * 3 + crc32();
    crc_buf[r] ^= 0x5a;
    sums[2] = sums[2] * 3 + sieve();
    sums[3] = sums[3] * 3 + sort();
    sums[4] = sums[4] * 3 + float_kernels();
    fa[0][r % N_MAT] += 0.25f;
  }
  uint64_t insns = rdinstret64() - insn0, cycles = rdcycle64() - cycle0;
  static const char* names[5] = {"int_matmul", "crc32", "sieve", "sort", "float"};
  uint32_t total = 0;
  for (int i = 0; i < 5; ++i) {
    printf("bench: %-10s %08lx\n", names[i], (unsigned long)sums[i]);
    total = total * 131 + sums[i];
  }
  printf("bench: checksum %08lx\n", (unsigned long)total);
  printf("bench: instructions %lu cycles %lu\n", (unsigned long)insns, (unsigned long)cycles);
  return 0;
}
