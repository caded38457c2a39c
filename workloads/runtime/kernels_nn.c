/* Convolution, matrix multiply and pooling on the CPU (f32, and integer with zero points). */
#include <math.h>
#include <stddef.h>

#include "runtime.h"

typedef struct {
  int32_t n, c, h, w, m, kh, kw, oh, ow, group, sh, sw, pt, pl, dh, dw;
} conv_geometry_t;

static conv_geometry_t conv_geometry(const int32_t* p) {
  conv_geometry_t g = {p[CV_N],  p[CV_C],  p[CV_H],  p[CV_W],     p[CV_M],  p[CV_KH],
                       p[CV_KW], p[CV_OH], p[CV_OW], p[CV_GROUP], p[CV_SH], p[CV_SW],
                       p[CV_PT], p[CV_PL], p[CV_DH], p[CV_DW]};
  return g;
}

/* Starts from the bias and adds the products in (c, ky, kx) order, as the reference executor
 * does: a float sum that feeds a QuantizeLinear must round identically, bit for bit. */
static float conv_f32_point(const conv_geometry_t* g, const float* x, const float* w, float bias,
                            int32_t b, int32_t oc, int32_t oy, int32_t ox) {
  const int32_t cg = g->c / g->group, first_c = (oc / (g->m / g->group)) * cg;
  float sum = bias;
  for (int32_t ic = 0; ic < cg; ++ic) {
    const float* plane = x + ((int64_t)b * g->c + first_c + ic) * g->h * g->w;
    const float* wk = w + ((int64_t)oc * cg + ic) * g->kh * g->kw;
    for (int32_t ky = 0; ky < g->kh; ++ky) {
      const int32_t iy = oy * g->sh - g->pt + ky * g->dh;
      if (iy < 0 || iy >= g->h) continue;
      for (int32_t kx = 0; kx < g->kw; ++kx) {
        const int32_t ix = ox * g->sw - g->pl + kx * g->dw;
        if (ix >= 0 && ix < g->w) sum += plane[iy * g->w + ix] * wk[ky * g->kw + kx];
      }
    }
  }
  return sum;
}

/* Zero points of the integer convolution: parameters, or tensors read at run time (x's zero
 * point one value; w's one value or one per output channel). */
typedef struct {
  int32_t x;
  const void* w;
  int32_t w_per_channel;
} conv_zero_points_t;

static int32_t conv_int_point(const conv_geometry_t* g, const int32_t* p, const void* x,
                              const void* w, const conv_zero_points_t* zp, int32_t b, int32_t oc,
                              int32_t oy, int32_t ox) {
  const int32_t cg = g->c / g->group, first_c = (oc / (g->m / g->group)) * cg;
  const int32_t x_zp = zp->x;
  const int32_t wz =
      zp->w ? (int32_t)rt_load_int(zp->w, p[CV_W_DTYPE], zp->w_per_channel ? oc : 0) : p[CV_W_ZP];
  int32_t sum = 0;
  for (int32_t ic = 0; ic < cg; ++ic) {
    const int64_t plane = ((int64_t)b * g->c + first_c + ic) * g->h * g->w;
    const int64_t wk = ((int64_t)oc * cg + ic) * g->kh * g->kw;
    for (int32_t ky = 0; ky < g->kh; ++ky) {
      const int32_t iy = oy * g->sh - g->pt + ky * g->dh;
      for (int32_t kx = 0; kx < g->kw; ++kx) {
        const int32_t ix = ox * g->sw - g->pl + kx * g->dw;
        /* Padding holds the zero point, i.e. contributes nothing after subtraction. */
        if (iy < 0 || iy >= g->h || ix < 0 || ix >= g->w) continue;
        const int32_t xv = (int32_t)rt_load_int(x, p[CV_X_DTYPE], plane + iy * g->w + ix) - x_zp;
        const int32_t wv = (int32_t)rt_load_int(w, p[CV_W_DTYPE], wk + ky * g->kw + kx) - wz;
        sum += xv * wv;
      }
    }
  }
  return sum;
}

int rt_conv(const rt_loadable_t* l, const flc_op_t* op) {
  const int32_t* p = op->params;
  const conv_geometry_t g = conv_geometry(p);
  const void* x = rt_operand(l, op, 0);
  const void* w = rt_operand(l, op, 1);
  const void* bias = rt_operand(l, op, 2);
  void* y = rt_operand(l, op, 3);
  const void* x_zp = rt_operand(l, op, 5);
  const flc_tensor_t* w_zp = rt_operand_tensor(l, op, 4);
  conv_zero_points_t zp = {x_zp ? (int32_t)rt_load_int(x_zp, p[CV_X_DTYPE], 0) : p[CV_X_ZP],
                           rt_operand(l, op, 4), 0};
  for (int d = 0; w_zp && d < w_zp->rank; ++d) zp.w_per_channel |= w_zp->dims[d] > 1;
  int64_t yi = 0;
  for (int32_t b = 0; b < g.n; ++b)
    for (int32_t oc = 0; oc < g.m; ++oc)
      for (int32_t oy = 0; oy < g.oh; ++oy)
        for (int32_t ox = 0; ox < g.ow; ++ox, ++yi) {
          if (p[CV_MODE] == 0) {
            ((float*)y)[yi] = conv_f32_point(&g, (const float*)x, (const float*)w,
                                             bias ? ((const float*)bias)[oc] : 0.0f, b, oc, oy, ox);
          } else {
            int32_t v = conv_int_point(&g, p, x, w, &zp, b, oc, oy, ox);
            ((int32_t*)y)[yi] = bias ? v + ((const int32_t*)bias)[oc] : v;
          }
        }
  return 0;
}

/* Offset of batch index `bi` (row-major over batch dims) with the given batch strides. */
static int64_t batch_offset(const int32_t* p, int32_t bi, const int32_t* strides) {
  int64_t off = 0;
  for (int d = p[MM_BATCH_RANK] - 1; d >= 0; --d) {
    const int32_t dim = p[MM_BATCH_DIMS + d];
    off += (int64_t)(bi % dim) * strides[d];
    bi /= dim;
  }
  return off;
}

int rt_matmul(const rt_loadable_t* l, const flc_op_t* op) {
  const int32_t* p = op->params;
  const void* a = rt_operand(l, op, 0);
  const void* b = rt_operand(l, op, 1);
  const void* c = rt_operand(l, op, 2);
  void* y = rt_operand(l, op, 3);
  const void* a_zp = rt_operand(l, op, 4);
  const void* b_zp = rt_operand(l, op, 5);
  const int32_t M = p[MM_M], N = p[MM_N], K = p[MM_K];
  int32_t batches = 1;
  for (int d = 0; d < p[MM_BATCH_RANK]; ++d) batches *= p[MM_BATCH_DIMS + d];
  const float alpha = rt_param_f32(op, MM_ALPHA), beta = rt_param_f32(op, MM_BETA);
  const int32_t az = a_zp ? (int32_t)rt_load_int(a_zp, p[MM_A_DTYPE], 0) : 0;
  const int32_t bz = b_zp ? (int32_t)rt_load_int(b_zp, p[MM_B_DTYPE], 0) : 0;
  int64_t yi = 0;
  for (int32_t bi = 0; bi < batches; ++bi) {
    const int64_t ao = batch_offset(p, bi, p + MM_A_BSTRIDES);
    const int64_t bo = batch_offset(p, bi, p + MM_B_BSTRIDES);
    for (int32_t m = 0; m < M; ++m)
      for (int32_t n = 0; n < N; ++n, ++yi) {
        if (p[MM_MODE] == 0) {
          const float* A = (const float*)a + ao + (int64_t)m * p[MM_A_RS];
          const float* B = (const float*)b + bo + (int64_t)n * p[MM_B_CS];
          float sum = 0.0f;
          for (int32_t k = 0; k < K; ++k)
            sum += A[(int64_t)k * p[MM_A_CS]] * B[(int64_t)k * p[MM_B_RS]];
          float v = alpha * sum;
          if (c) v += beta * ((const float*)c)[(int64_t)m * p[MM_C_RS] + (int64_t)n * p[MM_C_CS]];
          ((float*)y)[yi] = v;
        } else {
          int32_t sum = 0;
          for (int32_t k = 0; k < K; ++k)
            sum += ((int32_t)rt_load_int(a, p[MM_A_DTYPE],
                                         ao + (int64_t)m * p[MM_A_RS] + (int64_t)k * p[MM_A_CS]) -
                    az) *
                   ((int32_t)rt_load_int(b, p[MM_B_DTYPE],
                                         bo + (int64_t)k * p[MM_B_RS] + (int64_t)n * p[MM_B_CS]) -
                    bz);
          ((int32_t*)y)[yi] = sum;
        }
      }
  }
  return 0;
}

/* Pooling geometry; depth fields of 0 (2-D loadables) mean 1. */
typedef struct {
  int32_t d, h, w, od, oh, ow, kd, kh, kw, sd, sh, sw, pf, pt, pl, dd, dh, dw;
} pool_geometry_t;

static int32_t at_least_1(int32_t v) {
  return v ? v : 1;
}

static pool_geometry_t pool_geometry(const int32_t* p) {
  pool_geometry_t g = {at_least_1(p[PL_D]),
                       p[PL_H],
                       p[PL_W],
                       at_least_1(p[PL_OD]),
                       p[PL_OH],
                       p[PL_OW],
                       at_least_1(p[PL_KD]),
                       p[PL_KH],
                       p[PL_KW],
                       at_least_1(p[PL_SD]),
                       p[PL_SH],
                       p[PL_SW],
                       p[PL_PF],
                       p[PL_PT],
                       p[PL_PL],
                       at_least_1(p[PL_DD]),
                       p[PL_DH],
                       p[PL_DW]};
  return g;
}

/* One pooling window, in the element type: f32 max/sum in float, integers in int32 (the
 * CPU has no double unit). Integer averages round half away from zero. `best` is the
 * in-plane offset of the first maximum (MaxPool Indices). */
typedef struct {
  float f;
  int32_t i;
  int32_t count;
  int32_t best;
} pool_acc_t;

static void pool_tap(pool_acc_t* a, int type, int dtype, const void* x, int64_t plane,
                     int32_t offset) {
  if (type == PLT_AVG_EXCLUDE_PAD) ++a->count;
  if (dtype == FLC_F32) {
    const float v = ((const float*)x)[plane + offset];
    if (type != PLT_MAX)
      a->f += v;
    else if (v > a->f || a->best < 0)
      a->f = v, a->best = offset;
  } else {
    const int32_t v = (int32_t)rt_load_int(x, dtype, plane + offset);
    if (type != PLT_MAX)
      a->i += v;
    else if (v > a->i || a->best < 0)
      a->i = v, a->best = offset;
  }
}

static pool_acc_t pool_window(const int32_t* p, const pool_geometry_t* g, const void* x,
                              int64_t plane, int32_t oz, int32_t oy, int32_t ox) {
  const int type = p[PL_TYPE];
  pool_acc_t a = {type == PLT_MAX ? -INFINITY : 0.0f, type == PLT_MAX ? INT32_MIN : 0, 0, -1};
  for (int32_t kz = 0; kz < g->kd; ++kz) {
    const int32_t iz = oz * g->sd - g->pf + kz * g->dd;
    for (int32_t ky = 0; ky < g->kh; ++ky) {
      const int32_t iy = oy * g->sh - g->pt + ky * g->dh;
      for (int32_t kx = 0; kx < g->kw; ++kx) {
        const int32_t ix = ox * g->sw - g->pl + kx * g->dw;
        if (type == PLT_AVG_INCLUDE_PAD && iz < g->d + g->pf && iy < g->h + g->pt &&
            ix < g->w + g->pl)
          ++a.count;
        if (iz >= 0 && iz < g->d && iy >= 0 && iy < g->h && ix >= 0 && ix < g->w)
          pool_tap(&a, type, p[PL_DTYPE], x, plane, (iz * g->h + iy) * g->w + ix);
      }
    }
  }
  return a;
}

static void pool_store(const int32_t* p, const pool_acc_t* a, void* y, int64_t yi) {
  const int is_max = p[PL_TYPE] == PLT_MAX;
  if (p[PL_DTYPE] == FLC_F32) {
    ((float*)y)[yi] = is_max ? a->f : (a->count ? a->f / (float)a->count : 0.0f);
    return;
  }
  int32_t r = a->i;
  if (!is_max && a->count)
    r = a->i >= 0 ? (a->i + a->count / 2) / a->count : -((-a->i + a->count / 2) / a->count);
  if (p[PL_DTYPE] == FLC_I8)
    ((int8_t*)y)[yi] = (int8_t)r;
  else
    ((uint8_t*)y)[yi] = (uint8_t)r;
}

/* Index of the in-plane offset `best` (row-major) as MaxPool reports it. */
static int64_t pool_index(const int32_t* p, const pool_geometry_t* g, int64_t plane, int32_t best) {
  if (best < 0) best = 0;
  if (!p[PL_COL_MAJOR]) return plane + best;
  const int32_t ix = best % g->w, iy = (best / g->w) % g->h, iz = best / (g->w * g->h);
  return plane + ((int64_t)ix * g->h + iy) * g->d + iz;
}

int rt_pool(const rt_loadable_t* l, const flc_op_t* op) {
  const int32_t* p = op->params;
  const pool_geometry_t g = pool_geometry(p);
  const void* x = rt_operand(l, op, 0);
  void* y = rt_operand(l, op, 1);
  int64_t* indices = (int64_t*)rt_operand(l, op, 2);
  const int64_t in_plane = (int64_t)g.d * g.h * g.w;
  int64_t yi = 0;
  for (int32_t plane = 0; plane < p[PL_PLANES]; ++plane)
    for (int32_t oz = 0; oz < g.od; ++oz)
      for (int32_t oy = 0; oy < g.oh; ++oy)
        for (int32_t ox = 0; ox < g.ow; ++ox, ++yi) {
          const pool_acc_t a = pool_window(p, &g, x, plane * in_plane, oz, oy, ox);
          pool_store(p, &a, y, yi);
          if (indices) indices[yi] = pool_index(p, &g, plane * in_plane, a.best);
        }
  return 0;
}

int rt_qpool(const rt_loadable_t* l, const flc_op_t* op) {
  return rt_pool(l, op);
}
