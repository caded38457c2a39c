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

#endif
