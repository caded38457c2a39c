// Instruction semantics: one small unit per insns.def line, all with the same shape.
// Included once, by run.cpp, where the dispatch switch inlines them.
#pragma once
#include "cpu/exec.h"

namespace flecsim {
namespace {

#define RV_INSN(name)                                                              \
  inline void exec_##name([[maybe_unused]] Rv32Cpu& cpu, [[maybe_unused]] Hart& h, \
                          [[maybe_unused]] const DecodedInsn& d, [[maybe_unused]] uint32_t& npc)
#define RS1 (h.x[d.rs1])
#define RS2 (h.x[d.rs2])
#define SRS1 (static_cast<int32_t>(h.x[d.rs1]))
#define SRS2 (static_cast<int32_t>(h.x[d.rs2]))
#define IMM (static_cast<uint32_t>(d.imm))
#define WRITE_RD(v) (h.x[d.rd] = static_cast<uint32_t>(v))
#define ADDR (RS1 + IMM)
#define LOAD(T) Rv32Exec::load<T>(cpu, h, ADDR)
#define STORE(T, v) Rv32Exec::store<T>(cpu, h, ADDR, static_cast<T>(v))
#define BRANCH(cond)                             \
  if (cond) {                                    \
    Rv32Exec::jump(h, h.pc + IMM, npc);          \
    h.cycle += h.timing.branch_taken - d.cycles; \
  }

// ---- RV32I
RV_INSN(lui) {
  WRITE_RD(IMM);
}
RV_INSN(auipc) {
  WRITE_RD(h.pc + IMM);
}
RV_INSN(jal) {
  uint32_t link = npc;
  Rv32Exec::jump(h, h.pc + IMM, npc);
  WRITE_RD(link);
}
RV_INSN(jalr) {
  uint32_t link = npc;
  Rv32Exec::jump(h, (RS1 + IMM) & ~1u, npc);
  WRITE_RD(link);
}
RV_INSN(beq){BRANCH(RS1 == RS2)} RV_INSN(bne){BRANCH(RS1 != RS2)} RV_INSN(blt){
    BRANCH(SRS1 < SRS2)} RV_INSN(bge){BRANCH(SRS1 >= SRS2)} RV_INSN(bltu){
    BRANCH(RS1 < RS2)} RV_INSN(bgeu){BRANCH(RS1 >= RS2)} RV_INSN(lb) {
  WRITE_RD(static_cast<int32_t>(LOAD(int8_t)));
}
RV_INSN(lh) {
  WRITE_RD(static_cast<int32_t>(LOAD(int16_t)));
}
RV_INSN(lw) {
  WRITE_RD(LOAD(uint32_t));
}
RV_INSN(lbu) {
  WRITE_RD(LOAD(uint8_t));
}
RV_INSN(lhu) {
  WRITE_RD(LOAD(uint16_t));
}
RV_INSN(sb) {
  STORE(uint8_t, RS2);
}
RV_INSN(sh) {
  STORE(uint16_t, RS2);
}
RV_INSN(sw) {
  STORE(uint32_t, RS2);
}
RV_INSN(addi) {
  WRITE_RD(RS1 + IMM);
}
RV_INSN(slti) {
  WRITE_RD(SRS1 < d.imm);
}
RV_INSN(sltiu) {
  WRITE_RD(RS1 < IMM);
}
RV_INSN(xori) {
  WRITE_RD(RS1 ^ IMM);
}
RV_INSN(ori) {
  WRITE_RD(RS1 | IMM);
}
RV_INSN(andi) {
  WRITE_RD(RS1 & IMM);
}
RV_INSN(slli) {
  WRITE_RD(RS1 << d.imm);
}
RV_INSN(srli) {
  WRITE_RD(RS1 >> d.imm);
}
RV_INSN(srai) {
  WRITE_RD(SRS1 >> d.imm);
}
RV_INSN(add) {
  WRITE_RD(RS1 + RS2);
}
RV_INSN(sub) {
  WRITE_RD(RS1 - RS2);
}
RV_INSN(sll) {
  WRITE_RD(RS1 << (RS2 & 31));
}
RV_INSN(slt) {
  WRITE_RD(SRS1 < SRS2);
}
RV_INSN(sltu) {
  WRITE_RD(RS1 < RS2);
}
RV_INSN(xor_) {
  WRITE_RD(RS1 ^ RS2);
}
RV_INSN(srl) {
  WRITE_RD(RS1 >> (RS2 & 31));
}
RV_INSN(sra) {
  WRITE_RD(SRS1 >> (RS2 & 31));
}
RV_INSN(or_) {
  WRITE_RD(RS1 | RS2);
}
RV_INSN(and_) {
  WRITE_RD(RS1 & RS2);
}
RV_INSN(fence) {}
RV_INSN(fence_i) {
  h.flush_all_code();
}
RV_INSN(ecall) {
  throw Trap{h.priv == 3 ? kCauseEcallM : kCauseEcallU, 0};
}
RV_INSN(ebreak) {
  Rv32Exec::ebreak(cpu, h);
}
RV_INSN(mret) {
  Rv32Exec::mret(h, d, npc);
}
RV_INSN(wfi) {
  Rv32Exec::wfi(cpu, h, d);
}
RV_INSN(csrrw) {
  Rv32Exec::csr_instruction(cpu, h, d, RS1, 0, true);
}
RV_INSN(csrrs) {
  Rv32Exec::csr_instruction(cpu, h, d, RS1, 1, d.rs1 != 0);
}
RV_INSN(csrrc) {
  Rv32Exec::csr_instruction(cpu, h, d, RS1, 2, d.rs1 != 0);
}
RV_INSN(csrrwi) {
  Rv32Exec::csr_instruction(cpu, h, d, d.rs1, 0, true);
}
RV_INSN(csrrsi) {
  Rv32Exec::csr_instruction(cpu, h, d, d.rs1, 1, d.rs1 != 0);
}
RV_INSN(csrrci) {
  Rv32Exec::csr_instruction(cpu, h, d, d.rs1, 2, d.rs1 != 0);
}

// ---- M
RV_INSN(mul) {
  WRITE_RD(RS1 * RS2);
}
RV_INSN(mulh) {
  WRITE_RD((int64_t{SRS1} * int64_t{SRS2}) >> 32);
}
RV_INSN(mulhsu) {
  WRITE_RD((int64_t{SRS1} * static_cast<int64_t>(RS2)) >> 32);
}
RV_INSN(mulhu) {
  WRITE_RD((uint64_t{RS1} * uint64_t{RS2}) >> 32);
}
RV_INSN(div) {
  if (RS2 == 0)
    WRITE_RD(~0u);
  else if (RS1 == 0x80000000u && RS2 == ~0u)
    WRITE_RD(RS1);
  else
    WRITE_RD(SRS1 / SRS2);
}
RV_INSN(divu) {
  WRITE_RD(RS2 == 0 ? ~0u : RS1 / RS2);
}
RV_INSN(rem) {
  if (RS2 == 0)
    WRITE_RD(RS1);
  else if (RS1 == 0x80000000u && RS2 == ~0u)
    WRITE_RD(0);
  else
    WRITE_RD(SRS1 % SRS2);
}
RV_INSN(remu) {
  WRITE_RD(RS2 == 0 ? RS1 : RS1 % RS2);
}

// ---- A (one hart: the reservation is only broken by sc.w and traps)
#define AMO(op)                                                                                   \
  uint32_t old = Rv32Exec::load<uint32_t, kCauseMisalignedStore, kCauseStoreAccess>(cpu, h, RS1); \
  uint32_t src = RS2;                                                                             \
  Rv32Exec::store<uint32_t>(cpu, h, RS1, (op));                                                   \
  WRITE_RD(old);
RV_INSN(lr_w) {
  uint32_t v = Rv32Exec::load<uint32_t>(cpu, h, RS1);
  h.reservation = RS1;
  WRITE_RD(v);
}
RV_INSN(sc_w) {
  if (RS1 & 3) throw Trap{kCauseMisalignedStore, RS1};
  bool ok = h.reservation == RS1;
  h.reservation = 1;
  if (ok) Rv32Exec::store<uint32_t>(cpu, h, RS1, RS2);
  WRITE_RD(ok ? 0 : 1);
}
RV_INSN(amoswap_w){AMO(src)} RV_INSN(amoadd_w){AMO(old + src)} RV_INSN(amoxor_w){
    AMO(old ^ src)} RV_INSN(amoand_w){AMO(old & src)} RV_INSN(amoor_w){
    AMO(old | src)} RV_INSN(amomin_w){
    AMO(static_cast<int32_t>(old) < static_cast<int32_t>(src) ? old : src)} RV_INSN(amomax_w){
    AMO(static_cast<int32_t>(old) > static_cast<int32_t>(src) ? old : src)} RV_INSN(amominu_w){
    AMO(old < src ? old : src)} RV_INSN(amomaxu_w) {
  AMO(old > src ? old : src)
}

// ---- F
#define FA (fpu::as_float(h.f[d.rs1]))
#define FB (fpu::as_float(h.f[d.rs2]))
#define FC (fpu::as_float(h.f[d.rs3]))
// Rounded arithmetic: host FPU in the instruction's mode, or the RMM path (fpu.h).
#define FP_ROUNDED(float_expr, double_expr)                         \
  unsigned rm = Rv32Exec::fp_rounding(h, d);                        \
  float a = FA, b = FB, c = FC;                                     \
  (void)b, (void)c;                                                 \
  if (rm != fpu::kRmm) {                                            \
    fpu::barrier(a), fpu::barrier(b), fpu::barrier(c);              \
    float r = (float_expr);                                         \
    fpu::barrier(r);                                                \
    h.f[d.rd] = fpu::canonical(r);                                  \
  } else {                                                          \
    double da = a, db = b, dc = c;                                  \
    (void)db, (void)dc;                                             \
    h.f[d.rd] = fpu::compute_rmm(h, [&] { return (double_expr); }); \
  }

RV_INSN(flw) {
  Rv32Exec::fp_require(h, d);
  h.f[d.rd] = LOAD(uint32_t);
}
RV_INSN(fsw) {
  Rv32Exec::fp_require(h, d);
  STORE(uint32_t, h.f[d.rs2]);
}
#define FP_FMA_INVALID_PRODUCT                            \
  if (fpu::fma_invalid_product(h.f[d.rs1], h.f[d.rs2])) { \
    Rv32Exec::fp_rounding(h, d);                          \
    h.fflags |= fpu::kNV;                                 \
    h.f[d.rd] = fpu::kCanonicalNaN;                       \
    return;                                               \
  }
RV_INSN(fmadd_s){
    FP_FMA_INVALID_PRODUCT FP_ROUNDED(std::fma(a, b, c), std::fma(da, db, dc))} RV_INSN(fmsub_s){
    FP_FMA_INVALID_PRODUCT FP_ROUNDED(std::fma(a, b, -c), std::fma(da, db, -dc))} RV_INSN(fnmsub_s){
    FP_FMA_INVALID_PRODUCT FP_ROUNDED(std::fma(-a, b, c), std::fma(-da, db, dc))} RV_INSN(fnmadd_s){
    FP_FMA_INVALID_PRODUCT FP_ROUNDED(std::fma(-a, b, -c), std::fma(-da, db, -dc))} RV_INSN(fadd_s){
    FP_ROUNDED(a + b, da + db)} RV_INSN(fsub_s){FP_ROUNDED(a - b, da - db)} RV_INSN(fmul_s){
    FP_ROUNDED(a * b, da* db)} RV_INSN(fdiv_s){FP_ROUNDED(a / b, da / db)} RV_INSN(fsqrt_s){
    FP_ROUNDED(std::sqrt(a), std::sqrt(da))} RV_INSN(fsgnj_s) {
  Rv32Exec::fp_require(h, d);
  h.f[d.rd] = (h.f[d.rs1] & 0x7fffffffu) | (h.f[d.rs2] & 0x80000000u);
}
RV_INSN(fsgnjn_s) {
  Rv32Exec::fp_require(h, d);
  h.f[d.rd] = (h.f[d.rs1] & 0x7fffffffu) | (~h.f[d.rs2] & 0x80000000u);
}
RV_INSN(fsgnjx_s) {
  Rv32Exec::fp_require(h, d);
  h.f[d.rd] = h.f[d.rs1] ^ (h.f[d.rs2] & 0x80000000u);
}
RV_INSN(fmin_s) {
  Rv32Exec::fp_require(h, d);
  h.f[d.rd] = fpu::min_max(h, h.f[d.rs1], h.f[d.rs2], false);
}
RV_INSN(fmax_s) {
  Rv32Exec::fp_require(h, d);
  h.f[d.rd] = fpu::min_max(h, h.f[d.rs1], h.f[d.rs2], true);
}
RV_INSN(fcvt_w_s) {
  WRITE_RD(fpu::to_int32(h, h.f[d.rs1], Rv32Exec::fp_rounding(h, d), false));
}
RV_INSN(fcvt_wu_s) {
  WRITE_RD(fpu::to_int32(h, h.f[d.rs1], Rv32Exec::fp_rounding(h, d), true));
}
RV_INSN(fmv_x_w) {
  Rv32Exec::fp_require(h, d);
  WRITE_RD(h.f[d.rs1]);
}
RV_INSN(fclass_s) {
  Rv32Exec::fp_require(h, d);
  WRITE_RD(fpu::classify(h.f[d.rs1]));
}
RV_INSN(feq_s) {
  Rv32Exec::fp_require(h, d);
  WRITE_RD(fpu::compare(h, h.f[d.rs1], h.f[d.rs2], 0));
}
RV_INSN(flt_s) {
  Rv32Exec::fp_require(h, d);
  WRITE_RD(fpu::compare(h, h.f[d.rs1], h.f[d.rs2], 1));
}
RV_INSN(fle_s) {
  Rv32Exec::fp_require(h, d);
  WRITE_RD(fpu::compare(h, h.f[d.rs1], h.f[d.rs2], 2));
}
// Integer sources: the operand is x[rs1], not f[rs1].
#define FP_FROM_INT(float_expr, double_expr)                        \
  unsigned rm = Rv32Exec::fp_rounding(h, d);                        \
  uint32_t v = RS1;                                                 \
  if (rm != fpu::kRmm) {                                            \
    fpu::barrier(v);                                                \
    float r = (float_expr);                                         \
    fpu::barrier(r);                                                \
    h.f[d.rd] = fpu::as_bits(r);                                    \
  } else {                                                          \
    h.f[d.rd] = fpu::compute_rmm(h, [&] { return (double_expr); }); \
  }
RV_INSN(fcvt_s_w){FP_FROM_INT(static_cast<float>(static_cast<int32_t>(v)),
                              static_cast<double>(static_cast<int32_t>(v)))} RV_INSN(fcvt_s_wu){
    FP_FROM_INT(static_cast<float>(v), static_cast<double>(v))} RV_INSN(fmv_w_x) {
  Rv32Exec::fp_require(h, d);
  h.f[d.rd] = RS1;
}

}  // namespace
}  // namespace flecsim
