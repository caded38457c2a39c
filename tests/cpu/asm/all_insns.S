// Not run: one of every instruction, assembled so that test_decode.cpp can compare our
// decoder and disassembler with objdump's (-M no-aliases) on the same words.
  .section .text.init, "ax", @progbits
  .globl _start
_start:
  lui a0, 0x12345
  auipc a1, 0x1
  jal ra, _start
  jalr ra, 4(a0)
  beq a0, a1, _start
  bne a0, a1, _start
  blt a0, a1, _start
  bge a0, a1, _start
  bltu a0, a1, _start
  bgeu a0, a1, _start
  lb a0, -1(s0)
  lh a0, 2(s0)
  lw a0, 4(s0)
  lbu a0, 5(s0)
  lhu a0, 6(s0)
  sb a0, 7(s0)
  sh a0, 8(s0)
  sw a0, 12(s0)
  addi t0, t1, -5
  slti t0, t1, 3
  sltiu t0, t1, 3
  xori t0, t1, 3
  ori t0, t1, 3
  andi t0, t1, 3
  slli t0, t1, 31
  srli t0, t1, 1
  srai t0, t1, 2
  add t0, t1, t2
  sub t0, t1, t2
  sll t0, t1, t2
  slt t0, t1, t2
  sltu t0, t1, t2
  xor t0, t1, t2
  srl t0, t1, t2
  sra t0, t1, t2
  or t0, t1, t2
  and t0, t1, t2
  fence rw, rw
  fence.i
  ecall
  ebreak
  mret
  wfi
  csrrw a0, mscratch, a1
  csrrs a0, mstatus, a1
  csrrc a0, mie, a1
  csrrwi a0, mscratch, 5
  csrrsi a0, mstatus, 8
  csrrci a0, mie, 1
  mul a0, a1, a2
  mulh a0, a1, a2
  mulhsu a0, a1, a2
  mulhu a0, a1, a2
  div a0, a1, a2
  divu a0, a1, a2
  rem a0, a1, a2
  remu a0, a1, a2
  lr.w a0, (a1)
  sc.w a0, a2, (a1)
  amoswap.w a0, a2, (a1)
  amoadd.w a0, a2, (a1)
  amoxor.w a0, a2, (a1)
  amoand.w a0, a2, (a1)
  amoor.w a0, a2, (a1)
  amomin.w a0, a2, (a1)
  amomax.w a0, a2, (a1)
  amominu.w a0, a2, (a1)
  amomaxu.w a0, a2, (a1)
  flw fa0, 4(a1)
  fsw fa0, 8(a1)
  fmadd.s fa0, fa1, fa2, fa3
  fmsub.s fa0, fa1, fa2, fa3, rtz
  fnmsub.s fa0, fa1, fa2, fa3
  fnmadd.s fa0, fa1, fa2, fa3
  fadd.s fa0, fa1, fa2
  fsub.s fa0, fa1, fa2, rdn
  fmul.s fa0, fa1, fa2
  fdiv.s fa0, fa1, fa2
  fsqrt.s fa0, fa1
  fsgnj.s fa0, fa1, fa2
  fsgnjn.s fa0, fa1, fa2
  fsgnjx.s fa0, fa1, fa2
  fmin.s fa0, fa1, fa2
  fmax.s fa0, fa1, fa2
  fcvt.w.s a0, fa1, rtz
  fcvt.wu.s a0, fa1
  fmv.x.w a0, fa1
  fclass.s a0, fa1
  feq.s a0, fa1, fa2
  flt.s a0, fa1, fa2
  fle.s a0, fa1, fa2
  fcvt.s.w fa0, a1
  fcvt.s.wu fa0, a1, rmm
  fmv.w.x fa0, a1
#ifdef __riscv_compressed
  // C: every 16-bit encoding
  c.addi4spn s0, sp, 16
  c.lw s0, 4(s1)
  c.flw fs0, 8(s1)
  c.sw s0, 4(s1)
  c.fsw fs0, 8(s1)
  c.nop
  c.addi a0, -3
  c.jal _start
  c.li a0, 7
  c.addi16sp sp, 32
  c.lui a0, 3
  c.srli s0, 3
  c.srai s0, 4
  c.andi s0, 5
  c.sub s0, s1
  c.xor s0, s1
  c.or s0, s1
  c.and s0, s1
  c.j _start
  c.beqz s0, _start
  c.bnez s0, _start
  c.slli a0, 5
  c.lwsp a0, 8(sp)
  c.flwsp fa0, 12(sp)
  c.jr a0
  c.mv a0, a1
  c.ebreak
  c.jalr a0
  c.add a0, a1
  c.swsp a0, 8(sp)
  c.fswsp fa0, 12(sp)
#endif
  .section .tohost, "aw", @progbits
  .globl tohost
tohost: .word 0, 0
