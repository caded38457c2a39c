/* Firmware HAL of the systolic array (docs/accelerators/systolic.md). Bare-metal C, no
 * allocation. A handle holds the register base; every command waits for a free FIFO entry,
 * writes its arguments and the command word. Errors are sticky in the ERROR register:
 * systolic_wait() returns it (0 = every command since the last wait succeeded). */
#ifndef FLECSIM_HAL_SYSTOLIC_H
#define FLECSIM_HAL_SYSTOLIC_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Register offsets (spec section 3). */
#define SYSTOLIC_ID 0x00u
#define SYSTOLIC_CAPS 0x04u
#define SYSTOLIC_STATUS 0x08u
#define SYSTOLIC_ERROR 0x0Cu
#define SYSTOLIC_IRQ_ENABLE 0x10u
#define SYSTOLIC_IRQ_STATUS 0x14u
#define SYSTOLIC_DONE_COUNT 0x18u
#define SYSTOLIC_SP_ROWS 0x1Cu
#define SYSTOLIC_ARG0 0x20u
#define SYSTOLIC_CMD 0x30u
#define SYSTOLIC_LOOP_ARG0 0x40u /* LOOP_ARG0..13 at 0x40 + 4i (spec section 10) */
#define SYSTOLIC_ID_VALUE 0x53595331u

/* Opcodes, command flags, status bits, error codes, activations. */
enum {
  SYSTOLIC_OP_CONFIG = 1,
  SYSTOLIC_OP_MVIN = 2,
  SYSTOLIC_OP_MVOUT = 3,
  SYSTOLIC_OP_PRELOAD = 4,
  SYSTOLIC_OP_COMPUTE = 5,
  SYSTOLIC_OP_LOOP_MATMUL = 6,
  SYSTOLIC_OP_LOOP_CONV = 7,
  SYSTOLIC_OP_FENCE = 8
};
#define SYSTOLIC_CMD_IRQ_ON_DONE (1u << 8)
/* LOOP_ARG5 flags (spec section 10). */
#define SYSTOLIC_LOOP_BIAS (1u << 24)
#define SYSTOLIC_LOOP_PER_CHANNEL (1u << 25)
#define SYSTOLIC_LOOP_RAW (1u << 26)
#define SYSTOLIC_STATUS_BUSY 1u
#define SYSTOLIC_STATUS_ERROR 2u
#define SYSTOLIC_IRQ_DONE 1u
#define SYSTOLIC_IRQ_ERROR 2u
enum {
  SYSTOLIC_ERR_NONE = 0,
  SYSTOLIC_ERR_ILLEGAL_OPCODE = 1,
  SYSTOLIC_ERR_ADDR_RANGE = 2,
  SYSTOLIC_ERR_BAD_ARG = 3,
  SYSTOLIC_ERR_BAD_CONFIG = 4,
  SYSTOLIC_ERR_FIFO_OVERFLOW = 5,
  SYSTOLIC_ERR_MEM_ERROR = 6
};
enum { SYSTOLIC_ACT_NONE = 0, SYSTOLIC_ACT_RELU = 1, SYSTOLIC_ACT_RELU6 = 2 };
/* CONFIG mode fields (spec section 4): dataflow, precision, max-pool rows P. */
enum { SYSTOLIC_DATAFLOW_WS = 0, SYSTOLIC_DATAFLOW_OS = 1, SYSTOLIC_DATAFLOW_IS = 2 };
enum { SYSTOLIC_PREC_INT8 = 0, SYSTOLIC_PREC_INT16 = 1, SYSTOLIC_PREC_BF16 = 2 };
enum { SYSTOLIC_POOL_OFF = 0, SYSTOLIC_POOL_2 = 1, SYSTOLIC_POOL_4 = 2, SYSTOLIC_POOL_9 = 3 };
/* Bytes per SP element = SP rows per element row of a precision (int8 1, int16/bf16 2). */
#define SYSTOLIC_SP_ELEM_BYTES(prec) ((prec) == SYSTOLIC_PREC_INT8 ? 1u : 2u)

typedef struct {
  volatile uint32_t* regs;
  uint32_t dim, fifo_depth, bus_bytes, sp_rows, acc_rows;
} systolic_t;

/* Binds the handle to the array at `base`; returns 0, or -1 when no array answers there. */
int systolic_init(systolic_t* s, uintptr_t base);

/* Requantisation and activation used by later MVOUTs (int8 outputs). */
void systolic_config(systolic_t* s, uint32_t activation, uint32_t shift, int8_t relu6_max,
                     int32_t multiplier);
/* The full CONFIG: dataflow, precision and max-pooling (SYSTOLIC_POOL_*) besides the
 * requantisation and activation of later MVOUTs (multiplier/shift unused in bf16 mode). */
void systolic_config_mode(systolic_t* s, uint32_t dataflow, uint32_t precision, uint32_t pool,
                          uint32_t activation, uint32_t shift, int8_t relu6_max,
                          int32_t multiplier);
/* Memory -> scratchpad (to_acc = 0, int8) or accumulator (to_acc = 1, int32) rows. */
void systolic_mvin(systolic_t* s, uint32_t addr, uint32_t stride, uint32_t local_row, int to_acc,
                   uint32_t rows, uint32_t cols);
/* Accumulator -> memory: int8 requantised (raw = 0) or int32 (raw = 1), ACC elements
 * col0 .. col0+cols-1 of each row. */
void systolic_mvout(systolic_t* s, uint32_t addr, uint32_t stride, uint32_t acc_row, int raw,
                    uint32_t col0, uint32_t rows, uint32_t cols);
void systolic_preload(systolic_t* s, uint32_t sp_row);
void systolic_compute(systolic_t* s, uint32_t a_row, uint32_t acc_row, uint32_t m, int accumulate);
/* Output-stationary COMPUTE (CONFIG dataflow OS): ACC rows acc_row.. (DIM) = A^T rows from
 * at_row times B rows from b_row over k steps. */
void systolic_compute_os(systolic_t* s, uint32_t at_row, uint32_t b_row, uint32_t acc_row,
                         uint32_t k, int accumulate);
/* A FENCE that sets IRQ_STATUS.done when it completes (for wfi-based waiting). */
void systolic_fence_irq(systolic_t* s);
/* Polls until the array is idle; returns the ERROR register (then cleared) and clears
 * IRQ_STATUS. */
uint32_t systolic_wait(systolic_t* s);

/* A whole layer in one command (spec section 10). Addresses are as the array's DMA port sees
 * them; strides in bytes. bias/mult/shift: int32 per output channel (bias used when has_bias,
 * mult/shift when per_channel: then CONFIG's multiplier and shift are not used). */
typedef struct {
  uint32_t x, w, y, bias, mult, shift;
  uint32_t h, w_in, c_per_group, m_per_group, oh, ow, groups; /* groups = C: depthwise */
  uint32_t kh, kw, stride_h, stride_w, pad_top, pad_left, dil_h, dil_w;
  int8_t pad_value;               /* what out-of-bounds input pixels read as */
  int has_bias, per_channel, raw; /* raw: int32 outputs, no requantisation */
  uint32_t x_pix, x_row;          /* input (iy, ix, c) at x + iy*x_row + ix*x_pix + c */
  uint32_t w_chan, w_tap;         /* weight (tap, c, n) at w + tap*w_tap + c*w_chan + n */
  uint32_t y_pix, y_chan;         /* output (p, n) at y + p*y_pix + n*y_chan */
} systolic_conv_t;

typedef struct {
  uint32_t a, b, c, bias, mult, shift;
  uint32_t m, k, n;
  uint32_t a_stride, b_stride, c_stride, c_elem_stride; /* c_elem_stride 1 (4 if raw): dense */
  int has_bias, per_channel, raw;
} systolic_matmul_t;

/* Queue one LOOP_CONV / LOOP_MATMUL (`flags`: SYSTOLIC_CMD_IRQ_ON_DONE or 0). The CONFIG in
 * force must be int8, WS, no pooling (systolic_config), else the LOOP ends with BAD_ARG. */
void systolic_loop_conv(systolic_t* s, const systolic_conv_t* c, uint32_t flags);
void systolic_loop_matmul(systolic_t* s, const systolic_matmul_t* mm, uint32_t flags);
/* The 18 argument words (ARG0..3, LOOP_ARG0..13) of those commands, for drivers that push
 * them themselves (the runtime firmware). */
void systolic_encode_conv(const systolic_conv_t* c, uint32_t a[18]);
void systolic_encode_matmul(const systolic_matmul_t* mm, uint32_t a[18]);

/* out[M][N] = requant(A[M][K] * B[K][N]) with int8 A, B (row-major, physical addresses as
 * the array's DMA port sees them), tiled over the array. out_raw != 0: int32 results.
 * Returns the ERROR value (0 = ok). Uses SP rows 0 .. DIM + tile rows and ACC rows from 0. */
uint32_t systolic_gemm_i8(systolic_t* s, uint32_t a, uint32_t b, uint32_t out, uint32_t m,
                          uint32_t k, uint32_t n, int out_raw);

#ifdef __cplusplus
}
#endif
#endif
