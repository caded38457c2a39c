/* Parameter layouts of the loadable's ops: index of each field in flc_op_t.params.
 * Shared by the compiler and the runtime; docs/loadable.md explains each op. Strides and
 * offsets are in elements; float parameters are stored as their IEEE-754 bit patterns. */
#ifndef FLECSIM_LOADABLE_PARAMS_H
#define FLECSIM_LOADABLE_PARAMS_H

/* COPY: operands x, y. y[dst_off + sum i*dst_stride] = x[src_off + sum i*src_stride]. */
enum {
  CP_ELEM = 0,
  CP_RANK,
  CP_DIMS,
  CP_SRC_STRIDES = CP_DIMS + 6,
  CP_DST_STRIDES = CP_SRC_STRIDES + 6,
  CP_SRC_OFFSET = CP_DST_STRIDES + 6,
  CP_DST_OFFSET
};

/* FILL: operand y. count elements of elem bytes set to the pattern (lo, hi words). */
enum { FL_ELEM = 0, FL_COUNT, FL_LO, FL_HI };

/* UNARY: operands x, y (f32). */
enum { UN_FUNC = 0, UN_COUNT, UN_A, UN_B };
enum {
  UNF_RELU = 0,
  UNF_LEAKY_RELU,
  UNF_CLIP,
  UNF_SIGMOID,
  UNF_TANH,
  UNF_SQRT,
  UNF_EXP,
  UNF_NEG,
  UNF_ABS,
  UNF_IDENTITY,
  UNF_RECIPROCAL,
  UNF_ROUND_BF16 /* to the nearest bfloat16, ties to even, kept as f32 (bf16 layers) */
};

/* BINARY: operands a, b, y; broadcasting through strides over y's shape. */
enum {
  BI_FUNC = 0,
  BI_DTYPE,
  BI_RANK,
  BI_DIMS,
  BI_A_STRIDES = BI_DIMS + 6,
  BI_B_STRIDES = BI_A_STRIDES + 6
};
enum { BIF_ADD = 0, BIF_SUB, BIF_MUL, BIF_DIV, BIF_MAX, BIF_MIN, BIF_POW };

/* CONV (2-D, NCHW; 1-D as H = 1): operands x, w, bias (or none), y, w_zero_points (or none).
 * mode 0: f32 -> f32. mode 1: integer x/w (dtypes given) minus zero points -> i32. */
enum {
  CV_MODE = 0,
  CV_N,
  CV_C,
  CV_H,
  CV_W,
  CV_M,
  CV_KH,
  CV_KW,
  CV_OH,
  CV_OW,
  CV_GROUP,
  CV_SH,
  CV_SW,
  CV_PT,
  CV_PL,
  CV_DH,
  CV_DW,
  CV_X_DTYPE,
  CV_W_DTYPE,
  CV_X_ZP,
  CV_W_ZP
};

/* MATMUL: operands a, b, c (bias or none), y, a_zero_point, b_zero_point (tensors or none).
 * y[batch][m][n] = alpha * sum_k A[m][k] B[k][n] + beta * C[m][n]; batch dims broadcast
 * through strides; A and B addressed with (row, col) strides so transposes are free.
 * mode 1: integer with zero points -> i32 (alpha/beta unused). */
enum {
  MM_MODE = 0,
  MM_BATCH_RANK,
  MM_BATCH_DIMS,
  MM_A_BSTRIDES = MM_BATCH_DIMS + 4,
  MM_B_BSTRIDES = MM_A_BSTRIDES + 4,
  MM_M = MM_B_BSTRIDES + 4,
  MM_N,
  MM_K,
  MM_A_RS,
  MM_A_CS,
  MM_B_RS,
  MM_B_CS,
  MM_C_RS,
  MM_C_CS,
  MM_ALPHA,
  MM_BETA,
  MM_A_DTYPE,
  MM_B_DTYPE
};

/* POOL: operands x, y. Planes = N*C. */
enum {
  PL_TYPE = 0,
  PL_PLANES,
  PL_H,
  PL_W,
  PL_OH,
  PL_OW,
  PL_KH,
  PL_KW,
  PL_SH,
  PL_SW,
  PL_PT,
  PL_PL,
  PL_DH,
  PL_DW,
  PL_DTYPE
};
enum { PLT_MAX = 0, PLT_AVG_EXCLUDE_PAD, PLT_AVG_INCLUDE_PAD };

/* SOFTMAX: operands x, y (f32): softmax along a dimension of `axis` elements with `inner`
 * stride, repeated `outer` times. */
enum { SM_OUTER = 0, SM_AXIS, SM_INNER, SM_LOG };

/* REDUCE: operands x, y (f32). Output shape dims/strides into x, reduced dims/strides. */
enum {
  RD_FUNC = 0,
  RD_RANK,
  RD_DIMS,
  RD_X_STRIDES = RD_DIMS + 6,
  RD_RED_RANK = RD_X_STRIDES + 6,
  RD_RED_DIMS,
  RD_RED_STRIDES = RD_RED_DIMS + 6
};
enum { RDF_MEAN = 0, RDF_SUM };

/* QUANTIZE / DEQUANTIZE: operands x, scale (f32), zero_point (or none), y. Per axis when
 * channels > 1: channel of element i = (i / inner) % channels. */
enum { QZ_COUNT = 0, QZ_CHANNELS, QZ_INNER, QZ_X_DTYPE, QZ_Y_DTYPE, QZ_ZP_DTYPE };

/* REQUANT: operands acc (i32), scale (f32, the real multiplier per channel), y.
 * y = saturate(round_half_even(acc * scale) + y_zp), computed in double like the reference. */
enum { RQ_COUNT = 0, RQ_CHANNELS, RQ_INNER, RQ_Y_DTYPE, RQ_Y_ZP };

/* GATHER: operands x, index (i32, count*taps), weight (f32, count*taps), y (f32). */
enum { GA_COUNT = 0, GA_TAPS };

/* QCONV: int8 convolution with the accelerator's integer semantics. Operands x (i8),
 * w (i8, [M][C/group][KH][KW]), bias (i32[M]), multiplier (i32[M]), shift (i32[M]), y (i8).
 * acc = bias + sum (x - x_zp) * w; q = (acc * mult + 2^(shift-1)) >> shift (round half up);
 * q += y_zp; activation; saturate to int8. Same fields as CONV for the geometry.
 * CV_X_DTYPE = FLC_I16: x, w, y int16, bias and acc int64 (no wrap), the multiplier has 15
 * bits (kernels_quant16.c; CPU only). */
enum { QC_ACT = CV_W_ZP + 1, QC_Y_ZP, QC_ACT_MAX, QC_ACT_MIN };
enum { QACT_NONE = 0, QACT_RELU, QACT_CLAMP };

/* QMATMUL: operands a (i8 [M][K]), b (i8 [K][N]), bias (i32[N]), multiplier (i32[N]),
 * shift (i32[N]), y (i8 [M][N]): requant per output column as QCONV. QM_X_DTYPE = FLC_I16:
 * int16 operands and output, int64 bias and acc, as QCONV. */
enum { QM_M = 0, QM_N, QM_K, QM_X_ZP, QM_Y_ZP, QM_ACT, QM_ACT_MAX, QM_ACT_MIN, QM_X_DTYPE };

/* QADD: operands a (i8), b (i8), y (i8), all same count.
 * y = sat(((a - a_zp) * ma + (b - b_zp) * mb + 2^(shift-1)) >> shift + y_zp), act. */
enum {
  QA_COUNT = 0,
  QA_A_ZP,
  QA_B_ZP,
  QA_Y_ZP,
  QA_MULT_A,
  QA_MULT_B,
  QA_SHIFT,
  QA_ACT,
  QA_ACT_MAX,
  QA_ACT_MIN
};

/* QPOOL: as POOL on int8 (max, or average rounded half away from zero). */

/* POOL, version 2 additions. Operand 2 (optional): MaxPool Indices (i64, flattened offsets
 * into x, row-major, or column-major within a plane when PL_COL_MAJOR). 3-D pooling: depth
 * fields below; 0 in PL_D / PL_OD / PL_KD / PL_SD / PL_DD means 1 (2-D pooling). */
enum { PL_COL_MAJOR = PL_DTYPE + 1, PL_D, PL_OD, PL_KD, PL_SD, PL_PF, PL_DD };

/* CONV / REQUANT, version 2: run-time zero points and scales as tensors.
 * CONV operand 5 (optional): x_zero_point (element 0, x's type); operand 4 may hold one value
 * (per tensor) or M values (per output channel).
 * REQUANT operands 3..5 (optional): y_zero_point (element 0, y's type), x_scale, y_scale
 * (f32 scalars); with x_scale and y_scale the multiplier of channel c is computed in double
 * as x_scale * scale[c] / y_scale, as the ONNX reference does. */

/* CAST: operands x, y; count elements converted from x_dtype to y_dtype (numpy astype:
 * float -> integer truncates toward zero). */
enum { CA_COUNT = 0, CA_X_DTYPE, CA_Y_DTYPE };

/* PAD: operands x, pads (i64 [2*rank]: begins then ends; negative crops), value (or none:
 * 0), y. Output element y[o] reads x[o - begin] mapped per mode; the kernel checks that the
 * run-time pads give y's dims (exit 13 otherwise). */
enum { PD_ELEM = 0, PD_MODE, PD_RANK, PD_X_DIMS, PD_Y_DIMS = PD_X_DIMS + 6 };
enum { PDM_CONSTANT = 0, PDM_REFLECT, PDM_EDGE };

/* RESIZE (f32): operands x, roi (f32 or f64, or none), scales (f32, or none), sizes (i64, or
 * none), y, scratch (u8). Separable: per axis, each output coordinate gets up to 4 taps
 * (input index, weight) computed at run time in double from scales or sizes (and roi for
 * tf_crop_and_resize); the axes are applied one after the other through two scratch
 * buffers at byte offsets RS_BUF_A / RS_BUF_B of the scratch tensor (the taps first). */
enum {
  RS_RANK = 0,
  RS_X_DIMS,
  RS_Y_DIMS = RS_X_DIMS + 6,
  RS_MODE = RS_Y_DIMS + 6,
  RS_TRANSFORM,
  RS_NEAREST,
  RS_CUBIC_A, /* f32 */
  RS_EXCLUDE_OUTSIDE,
  RS_EXTRAPOLATION, /* f32 */
  RS_BUF_A,
  RS_BUF_B
};
enum { RSM_NEAREST = 0, RSM_LINEAR, RSM_CUBIC };
enum {
  RST_HALF_PIXEL = 0,
  RST_ASYMMETRIC,
  RST_ALIGN_CORNERS,
  RST_PYTORCH_HALF_PIXEL,
  RST_TF_HALF_PIXEL_FOR_NN,
  RST_TF_CROP_AND_RESIZE
};
enum { RSN_ROUND_PREFER_FLOOR = 0, RSN_ROUND_PREFER_CEIL, RSN_FLOOR, RSN_CEIL };
/* Bytes of one output coordinate's taps in the scratch tensor: 4 indices (i32), 4 weights
 * (f32), an "outside the input" flag (i32). */
#define RS_TAP_BYTES 36

#endif
