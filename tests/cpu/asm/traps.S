// Every synchronous trap class with mcause, mepc and mtval; U-mode and its privilege checks;
// the FS off state; illegal rounding modes. On a core without C (the _noc build runs with
// isa rv32imaf) also misaligned fetch and 16-bit words being illegal.
#include "test.h"

// Runs the instruction(s) expecting a trap with `cause` and `tval`, mepc at the first one;
// the handler returns to the label after them (in M-mode).
#define EXPECT_TRAP(n, cause, tval, ...) \
  la s5, 8f;                             \
  li s2, -1;                             \
  li s4, -1;                             \
  7: __VA_ARGS__;                        \
  8: CHECK(n, s2, cause)                 \
  CHECK(n, s4, tval)                     \
  la t0, 7b;                             \
  bne s3, t0, fail;

// Same, with mtval compared to register `treg`.
#define EXPECT_TRAP_R(n, cause, treg, ...) \
  la s5, 8f;                               \
  li s2, -1;                               \
  li s4, -1;                               \
  7: __VA_ARGS__;                          \
  8: CHECK(n, s2, cause)                   \
  bne s4, treg, fail;                      \
  la t0, 7b;                               \
  bne s3, t0, fail;

#define BAD 0x40000000

TEST_BEGIN
  la t0, handler
  csrw mtvec, t0
  EXPECT_TRAP(1, 2, 0xffffffff, .word 0xffffffff)
  EXPECT_TRAP(2, 2, 0, .half 0; .half 0)                // 16-bit all-zero word
  EXPECT_TRAP(3, 2, 0x4002, .half 0x4002; .half 0)      // c.lwsp with rd = 0: reserved
  EXPECT_TRAP(4, 11, 0, ecall)
  la s5, 51f                 // ebreak: mtval = mepc = its pc
  li s2, -1
50:ebreak
51:CHECK(5, s2, 3)
  la t0, 50b
  bne s3, t0, fail
  bne s4, t0, fail
  la a1, data
  addi a2, a1, 1
  EXPECT_TRAP_R(6, 4, a2, lw a0, 0(a2))
  EXPECT_TRAP_R(7, 4, a2, lh a0, 0(a2))
  EXPECT_TRAP_R(8, 6, a2, sh a0, 0(a2))
  addi a2, a1, 2
  EXPECT_TRAP_R(9, 6, a2, sw a0, 0(a2))
  EXPECT_TRAP_R(10, 4, a2, lr.w a0, (a2))
  EXPECT_TRAP_R(11, 6, a2, amoadd.w a0, a0, (a2))
  EXPECT_TRAP_R(12, 6, a2, sc.w a0, a0, (a2))
  EXPECT_TRAP_R(13, 6, a2, amoswap.w a0, a0, (a2))
  addi a2, a1, 3
  EXPECT_TRAP_R(14, 4, a2, lhu a0, 0(a2))
  li a2, BAD
  EXPECT_TRAP(15, 5, BAD, lw a0, 0(a2))
  EXPECT_TRAP(16, 7, BAD + 4, sw a0, 4(a2))
  EXPECT_TRAP(17, 7, BAD, amoswap.w a0, a0, (a2))
  EXPECT_TRAP(18, 5, BAD, lr.w a0, (a2))
  // Fetch access fault: mepc and mtval are the target.
  la s5, 86f
  li s2, -1
  jalr zero, 0(a2)
86:CHECK(19, s2, 1)
  CHECK(20, s3, BAD)
  CHECK(21, s4, BAD)
  // CSRs: read-only, absent.
  EXPECT_TRAP(22, 2, 0xc0001073, csrw cycle, zero)
  EXPECT_TRAP(23, 2, 0x7c502573, csrr a0, 0x7c5)
  // Rounding modes 5 and 6 are reserved; dynamic with frm >= 5 is illegal.
  EXPECT_TRAP(24, 2, 0x00c5d553, .word 0x00c5d553)      // fadd.s fa0, fa1, fa2, rm=5
  li t0, 5
  csrw frm, t0
  EXPECT_TRAP(25, 2, 0x00c5f553, fadd.s fa0, fa1, fa2, dyn)
  csrw frm, zero
  // FS = Off makes every F instruction (and fcsr) illegal; an FP write makes it Dirty (SD).
  li t0, 0x6000
  csrc mstatus, t0
  EXPECT_TRAP(26, 2, 0xe0058553, fmv.x.w a0, fa1)
  EXPECT_TRAP(27, 2, 0x003025f3, frcsr a1)
  li t0, 0x2000
  csrs mstatus, t0
  fmv.w.x fa0, zero
  csrr a0, mstatus
  srli a0, a0, 13
  CHECK(28, a0, 0x40003)     // SD (bit 31) and FS = 3
  // Vectored mtvec: exceptions still go to the base.
  la t0, handler
  ori t0, t0, 1
  csrw mtvec, t0
  EXPECT_TRAP(29, 11, 0, ecall)
  la t0, handler
  csrw mtvec, t0

  // U-mode: enter with mret (MPP = 0).
  li t0, 0x1800
  csrc mstatus, t0
  la t0, user
  csrw mepc, t0
  la s5, 90f
  li s2, -1
  mret
user:
  ecall
90:CHECK(30, s2, 8)           // ecall from U
  csrr a0, mstatus           // the trap recorded MPP = U
  srli a0, a0, 11
  andi a0, a0, 3
  CHECK(31, a0, 0)
  // In U-mode: M CSRs, mret, wfi with TW and counters without mcounteren are illegal.
#define IN_USER(n, cause, ...) \
  li t0, 0x1800;               \
  csrc mstatus, t0;            \
  la t0, 91f;                  \
  csrw mepc, t0;               \
  la s5, 92f;                  \
  li s2, -1;                   \
  mret;                        \
  91: __VA_ARGS__;             \
  ecall;                       \
  92: CHECK(n, s2, cause)
  IN_USER(32, 2, csrr a0, mstatus)
  IN_USER(33, 2, mret)
  li t0, 0x200000
  csrs mstatus, t0
  IN_USER(34, 2, wfi)
  li t0, 0x200000
  csrc mstatus, t0
  csrw mcounteren, zero
  IN_USER(35, 2, rdcycle a0)
  li t0, 7
  csrw mcounteren, t0
  IN_USER(36, 8, rdcycle a0)  // allowed now: the ecall after it traps

  // Without C (misa.C = 0): a jump to a 2-byte aligned target is a misaligned fetch, raised
  // on the jump (mepc = the jump, mtval = the target).
  csrr a0, misa
  andi a0, a0, 4
  bnez a0, 99f
  la a2, target
  addi a2, a2, 2
  EXPECT_TRAP_R(37, 0, a2, jalr zero, 0(a2))
  EXPECT_TRAP(39, 2, 0x4501, .half 0x4501; .half 0)      // c.li a0, 0: no C extension
99:
TEST_END
  .balign 4
handler:
  csrr s2, mcause
  csrr s3, mepc
  csrr s4, mtval
  jr s5
  .balign 4
target:
  nop
  nop
  j fail
  .data
data: .word 0, 0, 0
