// RVC: expansion of each 16-bit encoding (insns.def CINSN lines) to its 32-bit equivalent.
#include <cstdint>

#include "cpu/decode.h"

namespace flecsim {
namespace {

uint32_t bits(uint32_t v, int hi, int lo) {
  return (v >> lo) & ((1u << (hi - lo + 1)) - 1);
}
uint32_t bit(uint32_t v, int b) {
  return (v >> b) & 1;
}
int32_t sext(uint32_t v, int width) {
  return static_cast<int32_t>(v << (32 - width)) >> (32 - width);
}
uint32_t creg(uint32_t field) {
  return 8 + field;
}  // x8..x15 for 3-bit register fields

// 32-bit encoders by format.
uint32_t enc_i(uint32_t op, uint32_t f3, uint32_t rd, uint32_t rs1, int32_t imm) {
  return (static_cast<uint32_t>(imm) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}
uint32_t enc_s(uint32_t op, uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm) {
  uint32_t u = static_cast<uint32_t>(imm);
  return (bits(u, 11, 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (bits(u, 4, 0) << 7) |
         op;
}
uint32_t enc_r(uint32_t f7, uint32_t f3, uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x33;
}
uint32_t enc_b(uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm) {
  uint32_t u = static_cast<uint32_t>(imm);
  return (bit(u, 12) << 31) | (bits(u, 10, 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
         (bits(u, 4, 1) << 8) | (bit(u, 11) << 7) | 0x63;
}
uint32_t enc_j(uint32_t rd, int32_t imm) {
  uint32_t u = static_cast<uint32_t>(imm);
  return (bit(u, 20) << 31) | (bits(u, 10, 1) << 21) | (bit(u, 11) << 20) |
         (bits(u, 19, 12) << 12) | (rd << 7) | 0x6f;
}

// Immediates of the compressed formats.
uint32_t lw_imm(uint32_t c) {
  return (bits(c, 12, 10) << 3) | (bit(c, 6) << 2) | (bit(c, 5) << 6);
}
int32_t ci_imm(uint32_t c) {
  return sext((bit(c, 12) << 5) | bits(c, 6, 2), 6);
}
uint32_t shamt(uint32_t c) {
  return (bit(c, 12) << 5) | bits(c, 6, 2);
}
int32_t cj_imm(uint32_t c) {
  uint32_t v = (bit(c, 12) << 11) | (bit(c, 11) << 4) | (bits(c, 10, 9) << 8) | (bit(c, 8) << 10) |
               (bit(c, 7) << 6) | (bit(c, 6) << 7) | (bits(c, 5, 3) << 1) | (bit(c, 2) << 5);
  return sext(v, 12);
}
int32_t cb_imm(uint32_t c) {
  uint32_t v = (bit(c, 12) << 8) | (bits(c, 11, 10) << 3) | (bits(c, 6, 5) << 6) |
               (bits(c, 4, 3) << 1) | (bit(c, 2) << 5);
  return sext(v, 9);
}
uint32_t lwsp_imm(uint32_t c) {
  return (bit(c, 12) << 5) | (bits(c, 6, 4) << 2) | (bits(c, 3, 2) << 6);
}
uint32_t swsp_imm(uint32_t c) {
  return (bits(c, 12, 9) << 2) | (bits(c, 8, 7) << 6);
}
uint32_t rd_full(uint32_t c) {
  return bits(c, 11, 7);
}
uint32_t rs2_full(uint32_t c) {
  return bits(c, 6, 2);
}
uint32_t rdp(uint32_t c) {
  return creg(bits(c, 4, 2));
}  // rd'/rs2' at [4:2]
uint32_t rs1p(uint32_t c) {
  return creg(bits(c, 9, 7));
}  // rs1'/rd' at [9:7]

// One expander per CINSN line; 0 = reserved encoding (illegal instruction).
uint32_t x_addi4spn(uint32_t c) {
  uint32_t imm =
      (bits(c, 12, 11) << 4) | (bits(c, 10, 7) << 6) | (bit(c, 6) << 2) | (bit(c, 5) << 3);
  return imm ? enc_i(0x13, 0, rdp(c), 2, imm) : 0;
}
uint32_t x_lw(uint32_t c) {
  return enc_i(0x03, 2, rdp(c), rs1p(c), lw_imm(c));
}
uint32_t x_flw(uint32_t c) {
  return enc_i(0x07, 2, rdp(c), rs1p(c), lw_imm(c));
}
uint32_t x_sw(uint32_t c) {
  return enc_s(0x23, 2, rs1p(c), rdp(c), lw_imm(c));
}
uint32_t x_fsw(uint32_t c) {
  return enc_s(0x27, 2, rs1p(c), rdp(c), lw_imm(c));
}
uint32_t x_addi(uint32_t c) {
  return enc_i(0x13, 0, rd_full(c), rd_full(c), ci_imm(c));
}
uint32_t x_jal(uint32_t c) {
  return enc_j(1, cj_imm(c));
}
uint32_t x_li(uint32_t c) {
  return enc_i(0x13, 0, rd_full(c), 0, ci_imm(c));
}
uint32_t x_addi16sp(uint32_t c) {
  uint32_t v = (bit(c, 12) << 9) | (bit(c, 6) << 4) | (bit(c, 5) << 6) | (bits(c, 4, 3) << 7) |
               (bit(c, 2) << 5);
  return v ? enc_i(0x13, 0, 2, 2, sext(v, 10)) : 0;
}
uint32_t x_lui(uint32_t c) {
  int32_t imm = ci_imm(c);
  if (imm == 0) return 0;
  return (static_cast<uint32_t>(imm) << 12) | (rd_full(c) << 7) | 0x37;
}
uint32_t x_srli(uint32_t c) {
  return shamt(c) & 32 ? 0 : enc_i(0x13, 5, rs1p(c), rs1p(c), shamt(c));
}
uint32_t x_srai(uint32_t c) {
  return shamt(c) & 32 ? 0 : enc_i(0x13, 5, rs1p(c), rs1p(c), shamt(c) | 0x400);
}
uint32_t x_andi(uint32_t c) {
  return enc_i(0x13, 7, rs1p(c), rs1p(c), ci_imm(c));
}
uint32_t x_sub(uint32_t c) {
  return enc_r(0x20, 0, rs1p(c), rs1p(c), rdp(c));
}
uint32_t x_xor_r(uint32_t c) {
  return enc_r(0, 4, rs1p(c), rs1p(c), rdp(c));
}
uint32_t x_or_r(uint32_t c) {
  return enc_r(0, 6, rs1p(c), rs1p(c), rdp(c));
}
uint32_t x_and_r(uint32_t c) {
  return enc_r(0, 7, rs1p(c), rs1p(c), rdp(c));
}
uint32_t x_j(uint32_t c) {
  return enc_j(0, cj_imm(c));
}
uint32_t x_beqz(uint32_t c) {
  return enc_b(0, rs1p(c), 0, cb_imm(c));
}
uint32_t x_bnez(uint32_t c) {
  return enc_b(1, rs1p(c), 0, cb_imm(c));
}
uint32_t x_slli(uint32_t c) {
  return shamt(c) & 32 ? 0 : enc_i(0x13, 1, rd_full(c), rd_full(c), shamt(c));
}
uint32_t x_lwsp(uint32_t c) {
  return rd_full(c) ? enc_i(0x03, 2, rd_full(c), 2, lwsp_imm(c)) : 0;
}
uint32_t x_flwsp(uint32_t c) {
  return enc_i(0x07, 2, rd_full(c), 2, lwsp_imm(c));
}
uint32_t x_jr(uint32_t c) {
  return rd_full(c) ? enc_i(0x67, 0, 0, rd_full(c), 0) : 0;
}
uint32_t x_mv(uint32_t c) {
  return enc_r(0, 0, rd_full(c), 0, rs2_full(c));
}
uint32_t x_ebreak(uint32_t) {
  return 0x00100073;
}
uint32_t x_jalr(uint32_t c) {
  return enc_i(0x67, 0, 1, rd_full(c), 0);
}
uint32_t x_add(uint32_t c) {
  return enc_r(0, 0, rd_full(c), rd_full(c), rs2_full(c));
}
uint32_t x_swsp(uint32_t c) {
  return enc_s(0x23, 2, 2, rs2_full(c), swsp_imm(c));
}
uint32_t x_fswsp(uint32_t c) {
  return enc_s(0x27, 2, 2, rs2_full(c), swsp_imm(c));
}

}  // namespace

uint32_t expand_compressed(uint16_t insn, uint32_t isa) {
  if (!(isa & isa_bit('C'))) return 0;
  uint32_t c = insn;
#define INSN(name, match, mask, ext, cls, fmt)
#define CINSN(name, match, mask, ext, expander) \
  if ((c & (mask)) == (match)) return (isa & isa_bit(#ext[0])) ? x_##expander(c) : 0;
#include "cpu/insns.def"
#undef INSN
#undef CINSN
  return 0;
}

}  // namespace flecsim
