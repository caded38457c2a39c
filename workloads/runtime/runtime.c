/* The runtime firmware's main loop: validate the loadable, then run its ops in order, each on
 * the unit the compiler chose, marking layer boundaries for the statistics. The host writes
 * the loadable's address into `flecsim_loadable_addr` before the CPU starts. */
#include "runtime.h"

#include <stdint.h>

#include "systolic_regs.h"

/* In .data (not .bss) so that start-up code does not clear what the host wrote. */
volatile uint32_t flecsim_loadable_addr __attribute__((section(".data"))) = 0;

enum { SIMCTRL_EXIT = 0x00, SIMCTRL_PUTCHAR = 0x04, SIMCTRL_MARK = 0x10 };
/* Exit codes of the runtime itself (the host explains them). */
enum {
  RT_BAD_LOADABLE = 10,
  RT_BAD_OPCODE = 11,
  RT_BAD_UNIT = 12,
  RT_KERNEL_ERROR = 13,
  RT_ACCEL_ERROR = 14
};

static const rt_kernel_fn cpu_kernels[FLC_OP_COUNT] = {
    [FLC_OP_COPY] = rt_copy,
    [FLC_OP_FILL] = rt_fill,
    [FLC_OP_UNARY] = rt_unary,
    [FLC_OP_BINARY] = rt_binary,
    [FLC_OP_CONV] = rt_conv,
    [FLC_OP_MATMUL] = rt_matmul,
    [FLC_OP_POOL] = rt_pool,
    [FLC_OP_SOFTMAX] = rt_softmax,
    [FLC_OP_REDUCE] = rt_reduce,
    [FLC_OP_QUANTIZE] = rt_quantize,
    [FLC_OP_DEQUANTIZE] = rt_dequantize,
    [FLC_OP_REQUANT] = rt_requant,
    [FLC_OP_GATHER] = rt_gather,
    [FLC_OP_QCONV] = rt_qconv,
    [FLC_OP_QMATMUL] = rt_qmatmul,
    [FLC_OP_QADD] = rt_qadd,
    [FLC_OP_QPOOL] = rt_qpool,
    [FLC_OP_CAST] = rt_cast,
    [FLC_OP_PAD] = rt_pad,
    [FLC_OP_RESIZE] = rt_resize,
};

static const flc_header_t* g_header;

void* rt_operand(const rt_loadable_t* l, const flc_op_t* op, int k) {
  if (k >= op->n_operands || op->operands[k] == FLC_NO_TENSOR) return 0;
  return (void*)(uintptr_t)l->tensors[op->operands[k]].addr;
}

const flc_tensor_t* rt_operand_tensor(const rt_loadable_t* l, const flc_op_t* op, int k) {
  if (k >= op->n_operands || op->operands[k] == FLC_NO_TENSOR) return 0;
  return &l->tensors[op->operands[k]];
}

static void simctrl_write(uint32_t offset, uint32_t value) {
  if (g_header && g_header->simctrl_base)
    *(volatile uint32_t*)(uintptr_t)(g_header->simctrl_base + offset) = value;
}

/* ---- systolic array driver (systolic_regs.h) ---- */

/* Commands pushed and completions seen, per unit (indexed by unit number in the loadable).
 * pushed - done bounds the FIFO occupancy, so the driver reads DONE_COUNT only when the FIFO
 * may be full, and then backs off between reads instead of hammering the register port. */
typedef struct {
  uint32_t reg_base, depth, pushed, done;
} sa_queue_t;
static sa_queue_t sa_queues[4];

static sa_queue_t* sa_queue(const flc_unit_t* u) {
  for (int i = 0; i < 4; ++i) {
    sa_queue_t* q = &sa_queues[i];
    if (q->reg_base == u->reg_base && q->depth) return q;
    if (!q->depth) {
      q->reg_base = u->reg_base;
      q->depth = (*sa_reg(u, SYSTOLIC_CAPS) >> 16) & 0xff;
      q->pushed = q->done = *sa_reg(u, SYSTOLIC_DONE_COUNT);
      return q;
    }
  }
  return &sa_queues[0];
}

static void back_off(void) {
  for (volatile int i = 0; i < 32; ++i) {
  }
}

void sa_push(const flc_unit_t* u, uint32_t cmd, uint32_t a0, uint32_t a1, uint32_t a2,
             uint32_t a3) {
  sa_queue_t* q = sa_queue(u);
  while (q->pushed - q->done >= q->depth) {
    q->done = *sa_reg(u, SYSTOLIC_DONE_COUNT);
    if (q->pushed - q->done >= q->depth) back_off();
  }
  *sa_reg(u, SYSTOLIC_ARG0) = a0;
  *sa_reg(u, SYSTOLIC_ARG0 + 4) = a1;
  *sa_reg(u, SYSTOLIC_ARG0 + 8) = a2;
  *sa_reg(u, SYSTOLIC_ARG0 + 12) = a3;
  *sa_reg(u, SYSTOLIC_CMD) = cmd;
  ++q->pushed;
}

/* PLIC (SiFive layout): claim/complete of context 0 after a wake-up. */
static void plic_enable(uint32_t source) {
  const uint32_t base = g_header->plic_base;
  if (!base || !source) return;
  *(volatile uint32_t*)(uintptr_t)(base + 4 * source) = 1;
  *(volatile uint32_t*)(uintptr_t)(base + 0x2000 + 4 * (source / 32)) |= 1u << (source % 32);
  *(volatile uint32_t*)(uintptr_t)(base + 0x200000) = 0;
  __asm__ volatile("csrs mie, %0" ::"r"(1u << 11)); /* MEIE; mstatus.MIE stays 0: wfi only */
}

/* One claim/complete: the source's level must already be low (its status cleared), or the
 * gateway pends it again at once. */
static void plic_claim_complete(void) {
  volatile uint32_t* claim = (volatile uint32_t*)(uintptr_t)(g_header->plic_base + 0x200004);
  const uint32_t id = *claim;
  if (id) *claim = id;
}

int sa_wait_idle(const flc_unit_t* u) {
  sa_push(u, SYSTOLIC_OP_FENCE | SYSTOLIC_CMD_IRQ_ON_DONE, 0, 0, 0, 0);
  *sa_reg(u, SYSTOLIC_IRQ_ENABLE) = 3;
  while (*sa_reg(u, SYSTOLIC_STATUS) & 1) {
    if (g_header->plic_base && u->irq) __asm__ volatile("wfi");
    *sa_reg(u, SYSTOLIC_IRQ_STATUS) = 3; /* lowers the line before the PLIC completes */
    if (g_header->plic_base) plic_claim_complete();
  }
  *sa_reg(u, SYSTOLIC_IRQ_STATUS) = 3;
  if (g_header->plic_base) plic_claim_complete();
  const uint32_t error = *sa_reg(u, SYSTOLIC_ERROR);
  *sa_reg(u, SYSTOLIC_ERROR) = 0;
  return error ? RT_ACCEL_ERROR : 0;
}

/* ---- main loop ---- */

static int run_op(const rt_loadable_t* l, const flc_op_t* op) {
  if (op->opcode >= FLC_OP_COUNT) return RT_BAD_OPCODE;
  if (op->unit >= l->header->n_units) return RT_BAD_UNIT;
  const flc_unit_t* unit = &l->units[op->unit];
  if (unit->kind == FLC_UNIT_SYSTOLIC) {
    if (op->opcode == FLC_OP_QCONV) return rt_systolic_qconv(l, op, unit);
    if (op->opcode == FLC_OP_QMATMUL) return rt_systolic_qmatmul(l, op, unit);
    return RT_BAD_UNIT;
  }
  rt_kernel_fn kernel = cpu_kernels[op->opcode];
  if (!kernel) return RT_BAD_OPCODE;
  return kernel(l, op) ? RT_KERNEL_ERROR : 0;
}

/* Ends the run through the simulation-control device named by the loadable (so one runtime
 * serves every platform, wherever its devices are). */
static int rt_exit(int code) {
  simctrl_write(SIMCTRL_EXIT, (uint32_t)code);
  for (;;) __asm__ volatile("wfi");
  return code;
}

static int run_loadable(void);

int main(void) {
  return rt_exit(run_loadable());
}

static int run_loadable(void) {
  const flc_header_t* h = (const flc_header_t*)(uintptr_t)flecsim_loadable_addr;
  if (!h || h->magic != FLC_MAGIC || h->version != FLC_VERSION) return RT_BAD_LOADABLE;
  g_header = h;
  const uint8_t* base = (const uint8_t*)h;
  rt_loadable_t l = {h, (const flc_unit_t*)(base + h->units_offset),
                     (const flc_tensor_t*)(base + h->tensors_offset),
                     (const flc_op_t*)(base + h->ops_offset)};
  for (uint32_t u = 0; u < h->n_units; ++u)
    if (l.units[u].kind == FLC_UNIT_SYSTOLIC) plic_enable(l.units[u].irq);
  int32_t layer = -1;
  for (uint32_t i = 0; i < h->n_ops; ++i) {
    const flc_op_t* op = &l.ops[i];
    if (op->layer != layer) simctrl_write(SIMCTRL_MARK, layer = op->layer);
    const int err = run_op(&l, op);
    if (err) return err;
  }
  simctrl_write(SIMCTRL_MARK, 0xFFFFFFFFu);
  return 0;
}
