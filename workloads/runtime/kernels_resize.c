/* RESIZE: ONNX Resize (opset 11+) on f32 with nearest / linear / cubic interpolation, every
 * coordinate transformation mode, exclude_outside and tf_crop_and_resize extrapolation.
 * The scales, sizes and roi are read at run time. Coordinates are computed in double (as the
 * ONNX reference does, so that nearest rounding decisions match); the interpolation itself
 * runs in f32, separably, one axis after the other. */
#include <math.h>
#include <string.h>

#include "runtime.h"

typedef struct {
  int32_t index[4];
  float weight[4];
  int32_t outside;
} rs_taps_t;
_Static_assert(sizeof(rs_taps_t) == RS_TAP_BYTES, "RS_TAP_BYTES");

typedef struct {
  int mode, transform, nearest;
  double cubic_a;
  int exclude_outside;
} rs_settings_t;

static double source_coordinate(const rs_settings_t* s, double x, double scale, int32_t in,
                                double out_len, double roi_start, double roi_end) {
  switch (s->transform) {
    case RST_ALIGN_CORNERS:
      return out_len == 1 ? 0 : x * (in - 1) / (out_len - 1);
    case RST_ASYMMETRIC:
      return x / scale;
    case RST_PYTORCH_HALF_PIXEL:
      return out_len == 1 ? -0.5 : (x + 0.5) / scale - 0.5;
    case RST_TF_HALF_PIXEL_FOR_NN:
      return (x + 0.5) / scale;
    case RST_TF_CROP_AND_RESIZE: {
      const double base = roi_start * (in - 1);
      if (out_len == 1) return base + (roi_end - roi_start) * (in - 1) / 2;
      return base + x * (roi_end - roi_start) * (in - 1) / (out_len - 1);
    }
    default:
      return (x + 0.5) / scale - 0.5;
  }
}

/* Weights of the taps around fraction r in (0, 1]; returns the tap count (2 or 4). */
static int coefficients(const rs_settings_t* s, double r, double* c) {
  if (s->mode == RSM_LINEAR) {
    c[0] = 1 - r, c[1] = r;
    return 2;
  }
  if (s->mode == RSM_CUBIC) {
    const double a = s->cubic_a, p = r + 1, q = 1 - r, q1 = q + 1;
    c[0] = ((a * p - 5 * a) * p + 8 * a) * p - 4 * a;
    c[1] = ((a + 2) * r - (a + 3)) * r * r + 1;
    c[2] = ((a + 2) * q - (a + 3)) * q * q + 1;
    c[3] = ((a * q1 - 5 * a) * q1 + 8 * a) * q1 - 4 * a;
    return 4;
  }
  int up = 1;
  if (r != 1) {
    if (s->nearest == RSN_ROUND_PREFER_FLOOR) up = r > 0.5;
    if (s->nearest == RSN_ROUND_PREFER_CEIL) up = r >= 0.5;
    if (s->nearest == RSN_FLOOR) up = 0;
  }
  c[0] = up ? 0.0 : 1.0, c[1] = up ? 1.0 : 0.0;
  return 2;
}

/* Taps of every output coordinate of one axis; returns the tap count per coordinate. */
static int axis_taps(const rs_settings_t* s, int32_t in, int32_t out, double scale, double r0,
                     double r1, rs_taps_t* taps) {
  const double out_len = scale * (double)in;
  int n = 2;
  for (int32_t o = 0; o < out; ++o) {
    const double x = source_coordinate(s, (double)o, scale, in, out_len, r0, r1);
    const double fl = floor(x);
    const double r = x == fl ? 1.0 : x - fl;
    const int32_t left = (int32_t)fl - (x == fl ? 1 : 0);
    double c[4], sum = 0;
    n = coefficients(s, r, c);
    const int32_t first = left - (n / 2 - 1);
    for (int k = 0; k < n; ++k) {
      const int32_t i = first + k;
      if (s->exclude_outside && (i < 0 || i >= in)) c[k] = 0;
      sum += c[k];
      taps[o].index[k] = i < 0 ? 0 : (i >= in ? in - 1 : i);
    }
    for (int k = 0; k < n; ++k)
      taps[o].weight[k] = (float)(s->exclude_outside && sum != 0 ? c[k] / sum : c[k]);
    taps[o].outside = s->transform == RST_TF_CROP_AND_RESIZE && (x < 0 || x > in - 1);
  }
  return n;
}

/* dst[o][j][i] = sum_k w[j][k] * src[o][index[j][k]][i] over one axis of `in` -> `out`. */
static void apply_axis(const float* src, float* dst, int32_t outer, int32_t in, int32_t out,
                       int32_t inner, const rs_taps_t* taps, int n) {
  for (int32_t o = 0; o < outer; ++o)
    for (int32_t j = 0; j < out; ++j) {
      float* d = dst + ((int64_t)o * out + j) * inner;
      for (int32_t i = 0; i < inner; ++i) d[i] = 0.0f;
      for (int k = 0; k < n; ++k) {
        const float w = taps[j].weight[k];
        if (w == 0.0f) continue;
        const float* sp = src + ((int64_t)o * in + taps[j].index[k]) * inner;
        for (int32_t i = 0; i < inner; ++i) d[i] += w * sp[i];
      }
    }
}

static double roi_value(const flc_tensor_t* t, const void* roi, int i, double fallback) {
  if (!roi) return fallback;
  return t->dtype == FLC_F64 ? ((const double*)roi)[i] : (double)((const float*)roi)[i];
}

/* Scale of every axis from `scales` or `sizes`; 0 when the sizes disagree with y's dims. */
static int axis_scales(const rt_loadable_t* l, const flc_op_t* op, double* scale) {
  const int32_t* p = op->params;
  const float* scales = (const float*)rt_operand(l, op, 2);
  const int64_t* sizes = (const int64_t*)rt_operand(l, op, 3);
  for (int d = 0; d < p[RS_RANK]; ++d) {
    const int32_t in = p[RS_X_DIMS + d], out = p[RS_Y_DIMS + d];
    if (sizes) {
      if (sizes[d] != out) return 0;
      scale[d] = (double)out / (double)in;
    } else {
      if (!scales || !(scales[d] > 0) || (int64_t)floor((double)in * scales[d]) != out) return 0;
      scale[d] = (double)scales[d];
    }
  }
  return 1;
}

static void mark_outside(const int32_t* p, float value, float* y, rs_taps_t* const* taps) {
  const int rank = p[RS_RANK];
  int32_t index[FLC_MAX_RANK] = {0};
  int32_t count = 1;
  for (int d = 0; d < rank; ++d) count *= p[RS_Y_DIMS + d];
  for (int32_t i = 0; i < count; ++i) {
    int outside = 0;
    for (int d = 0; d < rank; ++d) outside |= taps[d][index[d]].outside;
    if (outside) y[i] = value;
    for (int d = rank - 1; d >= 0 && ++index[d] == p[RS_Y_DIMS + d]; --d) index[d] = 0;
  }
}

int rt_resize(const rt_loadable_t* l, const flc_op_t* op) {
  const int32_t* p = op->params;
  const int rank = p[RS_RANK];
  const rs_settings_t s = {p[RS_MODE], p[RS_TRANSFORM], p[RS_NEAREST],
                           (double)rt_param_f32(op, RS_CUBIC_A), p[RS_EXCLUDE_OUTSIDE]};
  const void* roi = rt_operand(l, op, 1);
  const flc_tensor_t* roi_t = rt_operand_tensor(l, op, 1);
  uint8_t* scratch = (uint8_t*)rt_operand(l, op, 5);
  double scale[FLC_MAX_RANK];
  if (!axis_scales(l, op, scale)) return 1;
  rs_taps_t* taps[FLC_MAX_RANK];
  int n_taps[FLC_MAX_RANK];
  rs_taps_t* next = (rs_taps_t*)scratch;
  for (int d = 0; d < rank; ++d) {
    taps[d] = next;
    n_taps[d] =
        axis_taps(&s, p[RS_X_DIMS + d], p[RS_Y_DIMS + d], scale[d], roi_value(roi_t, roi, d, 0.0),
                  roi_value(roi_t, roi, d + rank, 1.0), taps[d]);
    next += p[RS_Y_DIMS + d];
  }
  /* Axes that change nothing are skipped (as the reference does); the last one that does
   * writes y, the others alternate between the two scratch buffers. */
  int active[FLC_MAX_RANK], n_active = 0;
  for (int d = 0; d < rank; ++d)
    if (p[RS_X_DIMS + d] != p[RS_Y_DIMS + d] || scale[d] != 1.0 ||
        s.transform == RST_TF_CROP_AND_RESIZE)
      active[n_active++] = d;
  const float* src = (const float*)rt_operand(l, op, 0);
  float* y = (float*)rt_operand(l, op, 4);
  float* buffers[2] = {(float*)(scratch + p[RS_BUF_A]), (float*)(scratch + p[RS_BUF_B])};
  int32_t shape[FLC_MAX_RANK];
  int32_t count = 1;
  for (int d = 0; d < rank; ++d) shape[d] = p[RS_X_DIMS + d], count *= shape[d];
  if (n_active == 0) memcpy(y, src, (size_t)count * sizeof(float));
  for (int a = 0; a < n_active; ++a) {
    const int d = active[a];
    int32_t outer = 1, inner = 1;
    for (int e = 0; e < d; ++e) outer *= shape[e];
    for (int e = d + 1; e < rank; ++e) inner *= shape[e];
    float* dst = a + 1 == n_active ? y : buffers[a % 2];
    apply_axis(src, dst, outer, shape[d], p[RS_Y_DIMS + d], inner, taps[d], n_taps[d]);
    shape[d] = p[RS_Y_DIMS + d];
    src = dst;
  }
  if (s.transform == RST_TF_CROP_AND_RESIZE)
    mark_outside(p, rt_param_f32(op, RS_EXTRAPOLATION), y, taps);
  return 0;
}
