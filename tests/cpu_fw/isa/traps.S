// Synchronous exceptions (mcause, mepc, mtval, mstatus.MPP/MPIE), mret, and interrupts:
// software (CLINT msip) in vectored mode and timer (CLINT mtimecmp) waking a wfi.
// Uses the CLINT of edge-npu at 0x02000000 (msip +0, mtimecmp +0x4000, mtime +0xbff8).
#include "test.h"

#define CLINT 0x02000000

// Runs `insn` expecting a trap with `cause` at its address; the handler resumes after it.
#define TRAP_AT(n, cause, ...) \
  la s5, 3f;                   \
  la s6, 2f;                   \
  li s2, -1;                   \
  2: __VA_ARGS__;              \
  3: CHECK(n, s2, cause)       \
  bne s3, s6, fail;

TEST_BEGIN
  la t0, handler
  csrw mtvec, t0

  TRAP_AT(1, 11, ecall)
  TRAP_AT(2, 3, ebreak)
  TRAP_AT(3, 2, .word 0xfe000033)
  li TESTNUM, 4                  // mtval of an illegal instruction: 0 or the instruction
  beqz s4, 4f
  li t0, 0xfe000033
  bne s4, t0, fail
4:TRAP_AT(5, 2, csrw mhartid, zero)   // read-only CSR
  TRAP_AT(6, 2, csrr a0, 0x7c5)       // no such CSR
  li a1, 0x40000000              // nothing is mapped there on edge-npu
  TRAP_AT(7, 5, lw a0, 0(a1))
  CHECK(8, s4, 0x40000000)
  TRAP_AT(9, 7, sw a0, 4(a1))
  CHECK(10, s4, 0x40000004)
  // The trap saved the previous privilege (machine) in MPP.
  srli a0, s7, 11
  andi a0, a0, 3
  CHECK(11, a0, 3)

  // Software interrupt, vectored mode: cause 3 goes to base + 12.
  la t0, vectors
  ori t0, t0, 1
  csrw mtvec, t0
  li s2, -1
  li t0, 8                       // mie.MSIE
  csrw mie, t0
  csrsi mstatus, 8               // mstatus.MIE
  li t1, CLINT
  li t0, 1
  sw t0, 0(t1)                   // msip = 1
  li t3, 100                     // bounded wait for the interrupt to be taken
5:addi t3, t3, -1
  li t4, -1
  bne s2, t4, 6f
  bnez t3, 5b
6:CHECK(12, s2, 0x80000003)
  csrr a0, mstatus               // mret restored MIE from MPIE
  andi a0, a0, 8
  CHECK(13, a0, 8)

  // Timer interrupt wakes wfi: mtimecmp = mtime + 5. wfi runs with mstatus.MIE clear (it wakes
  // on a pending enabled interrupt regardless), so the interrupt cannot be missed before it;
  // setting MIE afterwards takes it.
  csrci mstatus, 8
  li s2, -1
  li t2, CLINT + 0xbff8
  lw t0, 0(t2)
  addi t0, t0, 5
  li t2, CLINT + 0x4000
  sw zero, 4(t2)
  sw t0, 0(t2)
  li t0, 0x80                    // mie.MTIE only
  csrw mie, t0
  wfi
  csrsi mstatus, 8
  nop
  CHECK(14, s2, 0x80000007)
  csrci mstatus, 8
TEST_END

  .text
  .balign 4
handler:
  csrr s2, mcause
  csrr s3, mepc
  csrr s4, mtval
  csrr s7, mstatus
  csrw mepc, s5
  mret

  .balign 64
  .option push
  .option norvc                  // vector entries are 4 bytes each
vectors:
  j fail                         // 0: synchronous exceptions
  j fail
  j fail
  j msip_handler                 // 3: machine software
  j fail
  j fail
  j fail
  j mtip_handler                 // 7: machine timer
  j fail
  j fail
  j fail
  j fail
  .option pop

msip_handler:
  csrr s2, mcause
  li t1, CLINT
  sw zero, 0(t1)                 // clear msip
  mret
mtip_handler:
  csrr s2, mcause
  li t2, CLINT + 0x4000
  li t0, -1
  sw t0, 4(t2)                   // mtimecmp = max: no more timer interrupts
  sw t0, 0(t2)
  mret
