// Shared pieces of the convolution / matmul lowerings (float, integer and quantised).
#pragma once
#include "compiler/lower.h"

namespace flecsim::compiler {

struct ConvGeometry {
  int64_t n, c, h, w, m, kh, kw, oh, ow, group, sh, sw, pt, pl, dh, dw;
};
ConvGeometry conv_geometry(LowerContext& ctx, const Shape& w_shape);
void put_conv_geometry(ProgramOp& op, const ConvGeometry& g);
uint64_t conv_macs(const ConvGeometry& g);

struct MatmulOperands {
  int a = -1, b = -1, c = -1, y = -1, a_zp = -1, b_zp = -1;
  Shape a_shape, b_shape, c_shape;
  bool trans_a = false, trans_b = false, integer = false;
  float alpha = 1.0f, beta = 1.0f;
  int32_t a_dtype = FLC_F32, b_dtype = FLC_F32;
};
void emit_matmul(LowerContext& ctx, const MatmulOperands& mm);

}  // namespace flecsim::compiler
