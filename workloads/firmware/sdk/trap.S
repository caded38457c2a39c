/* Trap entry (mtvec direct mode): saves the caller-saved integer and FP registers and fcsr,
 * calls flecsim_trap_dispatch(mcause, mepc, mtval) (trap.c), which returns the pc to resume
 * at, and returns with mret. Handlers are plain C functions; traps do not nest. */
#define FRAME 160

  .section .text.flecsim_trap, "ax"
  .globl flecsim_trap_entry
  .type flecsim_trap_entry, @function
  .balign 4
flecsim_trap_entry:
  addi sp, sp, -FRAME
  sw ra, 0(sp)
  sw t0, 4(sp)
  sw t1, 8(sp)
  sw t2, 12(sp)
  sw t3, 16(sp)
  sw t4, 20(sp)
  sw t5, 24(sp)
  sw t6, 28(sp)
  sw a0, 32(sp)
  sw a1, 36(sp)
  sw a2, 40(sp)
  sw a3, 44(sp)
  sw a4, 48(sp)
  sw a5, 52(sp)
  sw a6, 56(sp)
  sw a7, 60(sp)
  fsw ft0, 64(sp)
  fsw ft1, 68(sp)
  fsw ft2, 72(sp)
  fsw ft3, 76(sp)
  fsw ft4, 80(sp)
  fsw ft5, 84(sp)
  fsw ft6, 88(sp)
  fsw ft7, 92(sp)
  fsw ft8, 96(sp)
  fsw ft9, 100(sp)
  fsw ft10, 104(sp)
  fsw ft11, 108(sp)
  fsw fa0, 112(sp)
  fsw fa1, 116(sp)
  fsw fa2, 120(sp)
  fsw fa3, 124(sp)
  fsw fa4, 128(sp)
  fsw fa5, 132(sp)
  fsw fa6, 136(sp)
  fsw fa7, 140(sp)
  frcsr t0
  sw t0, 144(sp)

  csrr a0, mcause
  csrr a1, mepc
  csrr a2, mtval
  call flecsim_trap_dispatch
  csrw mepc, a0

  lw t0, 144(sp)
  fscsr t0
  flw ft0, 64(sp)
  flw ft1, 68(sp)
  flw ft2, 72(sp)
  flw ft3, 76(sp)
  flw ft4, 80(sp)
  flw ft5, 84(sp)
  flw ft6, 88(sp)
  flw ft7, 92(sp)
  flw ft8, 96(sp)
  flw ft9, 100(sp)
  flw ft10, 104(sp)
  flw ft11, 108(sp)
  flw fa0, 112(sp)
  flw fa1, 116(sp)
  flw fa2, 120(sp)
  flw fa3, 124(sp)
  flw fa4, 128(sp)
  flw fa5, 132(sp)
  flw fa6, 136(sp)
  flw fa7, 140(sp)
  lw ra, 0(sp)
  lw t0, 4(sp)
  lw t1, 8(sp)
  lw t2, 12(sp)
  lw t3, 16(sp)
  lw t4, 20(sp)
  lw t5, 24(sp)
  lw t6, 28(sp)
  lw a0, 32(sp)
  lw a1, 36(sp)
  lw a2, 40(sp)
  lw a3, 44(sp)
  lw a4, 48(sp)
  lw a5, 52(sp)
  lw a6, 56(sp)
  lw a7, 60(sp)
  addi sp, sp, FRAME
  mret
  .size flecsim_trap_entry, . - flecsim_trap_entry
