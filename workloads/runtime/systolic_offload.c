/* QCONV / QMATMUL on the systolic array, one LOOP command per layer (per image for QCONV):
 * the array's loop sequencer (docs/accelerators/systolic.md section 10) tiles the layer,
 * builds the im2col operand implicitly from an NHWC input, adds the bias and requantises
 * each output channel with its own multiplier and shift.
 *   B = weights [Kp][Mp] laid out by the compiler, row k = (c, ky, kx) with c the input channel
 *       within its group, K and M padded to DIM: weight (tap, c, m) at b + tap*Mp + c*KH*KW*Mp + m
 *       for the global output channel m, which is what LOOP_CONV addresses for G groups.
 *   x is NCHW: the CPU copies one image to NHWC in the op's scratch tensor ([H*W][C]).
 *   Padding reads as x_zp: the compiler folded -x_zp * sum(w) into the bias, so a padded tap
 *   contributes x_zp * w - x_zp * w = 0, as in the reference.
 *   y is NCHW (QCONV) or [M][N] (QMATMUL). */
#include <stddef.h>
#include <string.h>

#include "runtime.h"
#include "systolic_regs.h"

#define ADDR(p) ((uint32_t)(uintptr_t)(p))

/* The NHWC copy of one NCHW image [C][H][W], keeping every sy-th row and sx-th column:
 * y[(oy * ow + ox) * C + c] = x[c][oy * sy][ox * sx] for oy < oh, ox < ow. */
static void to_nhwc(const int8_t* x, int8_t* y, int32_t C, int32_t W, int32_t H, int32_t sy,
                    int32_t sx, int32_t oh, int32_t ow) {
  for (int32_t c = 0; c < C; ++c) {
    const int8_t* plane = x + (int64_t)c * H * W;
    int8_t* col = y + c;
    for (int32_t oy = 0; oy < oh; ++oy) {
      const int8_t* row = plane + (int64_t)oy * sy * W;
      for (int32_t ox = 0, ix = 0; ox < ow; ++ox, ix += sx, col += C) *col = row[ix];
    }
  }
}

static uint32_t padded(int32_t n, int32_t dim) {
  return (uint32_t)((n + dim - 1) / dim * dim);
}

int rt_systolic_qconv(const rt_loadable_t* l, const flc_op_t* op, const flc_unit_t* unit) {
  const int32_t* p = op->params;
  const uint32_t C = (uint32_t)p[CV_C], H = (uint32_t)p[CV_H], W = (uint32_t)p[CV_W];
  const uint32_t M = (uint32_t)p[CV_M], KH = (uint32_t)p[CV_KH], KW = (uint32_t)p[CV_KW];
  const uint32_t OH = (uint32_t)p[CV_OH], OW = (uint32_t)p[CV_OW], G = (uint32_t)p[CV_GROUP];
  const uint32_t mp = padded((int32_t)M, (int32_t)unit->dim);
  int8_t* nhwc = (int8_t*)rt_operand(l, op, 6);
  /* A 1x1 convolution without padding reads only the pixels its stride lands on: copy just
   * those and let the array run it with stride 1 (e.g. the strided shortcut convolutions). */
  const int pick = KH == 1 && KW == 1 && p[CV_PT] == 0 && p[CV_PL] == 0;
  const uint32_t sh = pick ? 1 : (uint32_t)p[CV_SH], sw = pick ? 1 : (uint32_t)p[CV_SW];
  const uint32_t h = pick ? OH : H, w = pick ? OW : W;
  systolic_conv_t conv = {0};
  conv.x = ADDR(nhwc), conv.w = ADDR(rt_operand(l, op, 1)), conv.bias = ADDR(rt_operand(l, op, 2));
  conv.mult = ADDR(rt_operand(l, op, 3)), conv.shift = ADDR(rt_operand(l, op, 4));
  conv.h = h, conv.w_in = w, conv.c_per_group = C / G, conv.m_per_group = M / G;
  conv.oh = OH, conv.ow = OW, conv.groups = G, conv.kh = KH, conv.kw = KW;
  conv.stride_h = sh, conv.stride_w = sw, conv.pad_top = (uint32_t)p[CV_PT];
  conv.pad_left = (uint32_t)p[CV_PL], conv.dil_h = (uint32_t)p[CV_DH];
  conv.dil_w = (uint32_t)p[CV_DW], conv.pad_value = (int8_t)p[CV_X_ZP];
  conv.has_bias = 1, conv.per_channel = 1;
  conv.x_pix = C, conv.x_row = w * C, conv.w_chan = KH * KW * mp, conv.w_tap = mp;
  conv.y_pix = 1, conv.y_chan = OH * OW;
  sa_config(unit, 0, 1, p[QC_ACT], p[QC_ACT_MAX]);
  for (int32_t b = 0; b < p[CV_N]; ++b) {
    /* The previous image's LOOP has finished reading the scratch copy (sa_wait_idle). */
    to_nhwc((const int8_t*)rt_operand(l, op, 0) + (int64_t)b * C * H * W, nhwc, (int32_t)C,
            (int32_t)W, (int32_t)H, pick ? p[CV_SH] : 1, pick ? p[CV_SW] : 1, (int32_t)h,
            (int32_t)w);
    conv.y = ADDR((int8_t*)rt_operand(l, op, 5) + (int64_t)b * M * OH * OW);
    uint32_t a[18];
    systolic_encode_conv(&conv, a);
    sa_push_loop(unit, SYSTOLIC_OP_LOOP_CONV, a);
    int err = sa_wait_idle(unit);
    if (err) return err;
  }
  return 0;
}

int rt_systolic_qmatmul(const rt_loadable_t* l, const flc_op_t* op, const flc_unit_t* unit) {
  const int32_t* p = op->params;
  const uint32_t M = (uint32_t)p[QM_M], K = (uint32_t)p[QM_K], N = (uint32_t)p[QM_N];
  systolic_matmul_t mm = {0};
  mm.a = ADDR(rt_operand(l, op, 0)), mm.b = ADDR(rt_operand(l, op, 1));
  mm.c = ADDR(rt_operand(l, op, 5)), mm.bias = ADDR(rt_operand(l, op, 2));
  mm.mult = ADDR(rt_operand(l, op, 3)), mm.shift = ADDR(rt_operand(l, op, 4));
  mm.m = M, mm.k = K, mm.n = N, mm.a_stride = K;
  mm.b_stride = padded((int32_t)N, (int32_t)unit->dim);
  mm.c_stride = N, mm.c_elem_stride = 1, mm.has_bias = 1, mm.per_channel = 1;
  uint32_t a[18];
  systolic_encode_matmul(&mm, a);
  sa_config(unit, 0, 1, p[QM_ACT], p[QM_ACT_MAX]);
  sa_push_loop(unit, SYSTOLIC_OP_LOOP_MATMUL, a);
  return sa_wait_idle(unit);
}
