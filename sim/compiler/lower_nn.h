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

// "" when input 0 is float32 (or of unknown type), else why the CPU kernels cannot run it.
std::string need_f32(const graph::Node& node, const graph::Graph& g);
// Elementwise building blocks (lower_elementwise.cpp) shared by the composite lowerings.
void emit_binary(LowerContext& ctx, int func, int a, int b, int y, const Shape& sa, const Shape& sb,
                 const Shape& sy, DType dtype);
void emit_unary_on(LowerContext& ctx, int func, int x, int y, int64_t count, float a = 0,
                   float b = 0);
// Mean over the axes flagged in `reduced` of x (shape `shape`) into y (REDUCE).
void emit_reduce_mean(LowerContext& ctx, int x, int y, const Shape& shape,
                      const std::vector<bool>& reduced);
// Element type conversion of `count` elements (CAST).
void emit_cast(LowerContext& ctx, int x, int y, int64_t count, DType from, DType to);

// Lowerings registered by the register_lower_* functions of lower.h.
void register_lower_resize(LowerTable& t);  // from register_lower_shape
void register_lower_norm(LowerTable& t);    // from register_lower_elementwise

}  // namespace flecsim::compiler
