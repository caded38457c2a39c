/* The flecsim loadable: what the compiler writes and the runtime firmware executes.
 * Shared by the compiler (C++) and the runtime (C). Little-endian, 32-bit words.
 *
 *   header | unit table | tensor table | op table | constant data ...
 *
 * Every tensor has a fixed physical address (constants inside the loadable image, activations
 * in the arena the compiler planned). An op names its operands by tensor index and carries
 * integer parameters whose meaning depends on the opcode (docs/loadable.md). The runtime walks
 * the ops in order; `unit` says which hardware runs the op (0 = the CPU). */
#ifndef FLECSIM_LOADABLE_FORMAT_H
#define FLECSIM_LOADABLE_FORMAT_H
#include <stdint.h>

#define FLC_MAGIC 0x4C434C46u /* "FLCL" */
#define FLC_VERSION 2u        /* 2: CAST, PAD, RESIZE; run-time zero points/scales; 3-D pool */
#define FLC_MAX_RANK 6
#define FLC_MAX_OPERANDS 8
#define FLC_MAX_PARAMS 56

typedef struct {
  uint32_t magic;
  uint32_t version;
  uint32_t n_units;
  uint32_t n_tensors;
  uint32_t n_ops;
  uint32_t units_offset; /* byte offsets from the header */
  uint32_t tensors_offset;
  uint32_t ops_offset;
  uint32_t image_bytes; /* the whole loadable image */
  uint32_t arena_base;  /* activations live in [arena_base, arena_base + arena_bytes) */
  uint32_t arena_bytes;
  uint32_t n_layers;
  uint32_t plic_base;    /* the platform's interrupt controller (0: none, then poll) */
  uint32_t simctrl_base; /* simulation control: layer marks, exit code */
  uint32_t reserved[2];
} flc_header_t; /* 64 bytes */

/* Hardware units the runtime can drive; kind values below. */
enum { FLC_UNIT_CPU = 0, FLC_UNIT_SYSTOLIC = 1 };

typedef struct {
  uint32_t kind;
  uint32_t reg_base; /* register window of the unit (0 for the CPU) */
  uint32_t dim;      /* systolic: DIM; other kinds: 0 */
  uint32_t sp_rows;  /* systolic: scratchpad rows */
  uint32_t acc_rows; /* systolic: accumulator rows */
  uint32_t irq;      /* interrupt-controller source of the unit's completion interrupt */
  uint32_t reserved[2];
} flc_unit_t; /* 32 bytes */

/* Element types: ONNX TensorProto.DataType numbers. */
enum {
  FLC_F32 = 1,
  FLC_U8 = 2,
  FLC_I8 = 3,
  FLC_U16 = 4,
  FLC_I16 = 5,
  FLC_I32 = 6,
  FLC_I64 = 7,
  FLC_BOOL = 9,
  FLC_F64 = 11,
  FLC_U32 = 12,
  FLC_U64 = 13
};

typedef struct {
  uint32_t addr;
  uint8_t dtype;
  uint8_t rank;
  uint16_t flags; /* FLC_TENSOR_* */
  uint32_t dims[FLC_MAX_RANK];
} flc_tensor_t; /* 32 bytes */

enum { FLC_TENSOR_CONSTANT = 1, FLC_TENSOR_INPUT = 2, FLC_TENSOR_OUTPUT = 4 };

/* Opcodes. Parameters per opcode are documented in docs/loadable.md. */
enum {
  FLC_OP_COPY = 1,        /* strided N-d copy: transpose, concat, slice, pad interior, reshape */
  FLC_OP_FILL = 2,        /* fill with a constant bit pattern */
  FLC_OP_UNARY = 3,       /* y = f(x) elementwise, f32 */
  FLC_OP_BINARY = 4,      /* z = x op y with broadcasting strides, any numeric dtype */
  FLC_OP_CONV = 5,        /* 2-D convolution, f32 or integer with zero points -> i32 */
  FLC_OP_MATMUL = 6,      /* batched matmul with broadcast strides, alpha/beta bias */
  FLC_OP_POOL = 7,        /* max / average pooling, 2-D */
  FLC_OP_SOFTMAX = 8,     /* softmax over the inner `axis_size` elements */
  FLC_OP_REDUCE = 9,      /* mean over strided reduction dims */
  FLC_OP_QUANTIZE = 10,   /* f32 -> int8/uint8, per-tensor or per-axis */
  FLC_OP_DEQUANTIZE = 11, /* int8/uint8/int32 -> f32 */
  FLC_OP_REQUANT = 12,    /* i32 -> int8/uint8: real-valued scale (ONNX QLinear semantics) */
  FLC_OP_GATHER = 13,     /* y[i] = sum_t w[i][t] * x[idx[i][t]] (resize) */
  FLC_OP_QCONV = 14,      /* int8 conv + dyadic requant (+relu): the accelerator's semantics */
  FLC_OP_QMATMUL = 15,    /* int8 matmul + dyadic requant: idem */
  FLC_OP_QADD = 16,       /* int8 + int8 -> int8 with dyadic rescale (residual adds) */
  FLC_OP_QPOOL = 17,      /* int8 max / average pool */
  FLC_OP_CAST = 18,       /* element type conversion (numpy astype semantics) */
  FLC_OP_PAD = 19,        /* constant / reflect / edge padding with run-time pads */
  FLC_OP_RESIZE = 20,     /* nearest / linear / cubic resize with run-time scales or sizes */
  FLC_OP_COUNT
};

typedef struct {
  uint16_t opcode;
  uint8_t unit; /* index into the unit table */
  uint8_t n_operands;
  uint16_t layer; /* layer index (an ONNX node after fusion) for statistics */
  uint16_t flags;
  uint16_t operands[FLC_MAX_OPERANDS]; /* tensor indices; 0xFFFF = none */
  int32_t params[FLC_MAX_PARAMS];
} flc_op_t; /* 8 + 16 + 224 = 248 bytes */

#define FLC_NO_TENSOR 0xFFFFu

#endif
