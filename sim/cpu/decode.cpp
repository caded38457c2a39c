// The decode table and disassembler, generated from insns.def.
#include "cpu/decode.h"

#include <cstdio>
#include <cstring>
#include <vector>

namespace flecsim {
namespace {

// Operand layouts. X = integer register, F = float register.
enum class Fmt : uint8_t {
  U,
  J,
  JR,
  B,
  LD,
  ST,
  I,
  SH,
  R,
  NONE,
  CSR,
  CSRI,
  LR,
  AMO,
  FLD,
  FST,
  FR4,
  FRM,
  FR1,
  FR,
  F2XRM,
  F2X,
  FCMP,
  X2FRM,
  X2F
};

struct Encoding {
  const char* name;
  uint32_t match, mask;
  char ext;
  uint8_t cls;
  Fmt fmt;
  Op op;
};

const Encoding kEncodings[] = {
#define INSN(name, match, mask, ext, cls, fmt) \
  {#name, match, mask, #ext[0], kClass_##cls, Fmt::fmt, Op::name},
#define CINSN(name, match, mask, ext, expander)
#include "cpu/insns.def"
#undef INSN
#undef CINSN
};

struct CompressedName {
  const char* name;
  uint32_t match, mask;
};
const CompressedName kCompressed[] = {
#define INSN(name, match, mask, ext, cls, fmt)
#define CINSN(name, match, mask, ext, expander) {#name, match, mask},
#include "cpu/insns.def"
#undef INSN
#undef CINSN
};

uint32_t field(uint32_t v, int hi, int lo) {
  return (v >> lo) & ((1u << (hi - lo + 1)) - 1);
}
int32_t sext(uint32_t v, int width) {
  return static_cast<int32_t>(v << (32 - width)) >> (32 - width);
}

int32_t imm_i(uint32_t i) {
  return static_cast<int32_t>(i) >> 20;
}
int32_t imm_s(uint32_t i) {
  return sext((field(i, 31, 25) << 5) | field(i, 11, 7), 12);
}
int32_t imm_b(uint32_t i) {
  return sext((field(i, 31, 31) << 12) | (field(i, 7, 7) << 11) | (field(i, 30, 25) << 5) |
                  (field(i, 11, 8) << 1),
              13);
}
int32_t imm_j(uint32_t i) {
  return sext((field(i, 31, 31) << 20) | (field(i, 19, 12) << 12) | (field(i, 20, 20) << 11) |
                  (field(i, 30, 21) << 1),
              21);
}

const Encoding* find_encoding(uint32_t insn) {
  for (const Encoding& e : kEncodings)
    if ((insn & e.mask) == e.match) return &e;
  return nullptr;
}

// Which operand fields are integer (X) or float (F) registers, per format: rd, rs1, rs2, rs3.
struct RegKinds {
  char rd, rs1, rs2, rs3;  // 'x', 'f' or 0 (unused)
};
RegKinds reg_kinds(Fmt f) {
  switch (f) {
    case Fmt::U:
    case Fmt::J:
      return {'x', 0, 0, 0};
    case Fmt::JR:
    case Fmt::LD:
    case Fmt::I:
    case Fmt::SH:
    case Fmt::LR:
      return {'x', 'x', 0, 0};
    case Fmt::CSR:
      return {'x', 'x', 0, 0};
    case Fmt::CSRI:
      return {'x', 0, 0, 0};
    case Fmt::B:
    case Fmt::ST:
      return {0, 'x', 'x', 0};
    case Fmt::R:
    case Fmt::AMO:
      return {'x', 'x', 'x', 0};
    case Fmt::NONE:
      return {0, 0, 0, 0};
    case Fmt::FLD:
      return {'f', 'x', 0, 0};
    case Fmt::FST:
      return {0, 'x', 'f', 0};
    case Fmt::FR4:
      return {'f', 'f', 'f', 'f'};
    case Fmt::FRM:
    case Fmt::FR:
      return {'f', 'f', 'f', 0};
    case Fmt::FR1:
      return {'f', 'f', 0, 0};
    case Fmt::F2XRM:
    case Fmt::F2X:
      return {'x', 'f', 0, 0};
    case Fmt::FCMP:
      return {'x', 'f', 'f', 0};
    case Fmt::X2FRM:
    case Fmt::X2F:
      return {'f', 'x', 0, 0};
  }
  return {0, 0, 0, 0};
}

uint64_t reg_bit(char kind, unsigned r) {
  if (kind == 'x') return r ? 1ull << r : 0;  // x0 never waits for a load
  if (kind == 'f') return 1ull << (32 + r);
  return 0;
}

int32_t immediate(Fmt f, uint32_t insn) {
  switch (f) {
    case Fmt::U:
      return static_cast<int32_t>(insn & 0xfffff000u);
    case Fmt::J:
      return imm_j(insn);
    case Fmt::B:
      return imm_b(insn);
    case Fmt::ST:
    case Fmt::FST:
      return imm_s(insn);
    case Fmt::SH:
      return static_cast<int32_t>(field(insn, 24, 20));
    case Fmt::CSR:
    case Fmt::CSRI:
      return static_cast<int32_t>(field(insn, 31, 20));
    case Fmt::JR:
    case Fmt::LD:
    case Fmt::I:
    case Fmt::FLD:
      return imm_i(insn);
    default:
      return 0;
  }
}

}  // namespace

const char* op_mnemonic(Op op) {
  static char names[static_cast<size_t>(Op::kCount)][16];
  static bool init = [] {
    std::strcpy(names[0], "illegal");
    for (const Encoding& e : kEncodings) {
      char* n = names[static_cast<size_t>(e.op)];
      std::snprintf(n, 16, "%s", e.name);
      size_t len = std::strlen(n);
      if (len && n[len - 1] == '_') n[--len] = 0;  // xor_ -> xor
      for (char* p = n; *p; ++p)
        if (*p == '_') *p = '.';
    }
    return true;
  }();
  (void)init;
  return names[static_cast<size_t>(op)];
}

void decode_insn(uint32_t insn, uint32_t isa, const Rv32Timing& timing, DecodedInsn& out) {
  bool compressed = is_compressed(insn);
  out.insn = compressed ? (insn & 0xffff) : insn;
  out.len = compressed ? 2 : 4;
  uint32_t word = compressed ? expand_compressed(static_cast<uint16_t>(insn), isa) : insn;
  const Encoding* e = word ? find_encoding(word) : nullptr;
  if (e && !(isa & isa_bit(e->ext))) e = nullptr;
  out.rd = out.rs1 = out.rs2 = out.rs3 = out.rm = 0;
  out.imm = 0;
  out.reads = out.loads = 0;
  if (!e) {
    out.op = static_cast<uint16_t>(Op::illegal);
    out.cls = kClass_system;
    out.cycles = static_cast<uint8_t>(timing.cycles[kClass_system]);
    return;
  }
  out.op = static_cast<uint16_t>(e->op);
  out.cls = e->cls;
  out.cycles = static_cast<uint8_t>(timing.cycles[e->cls]);
  RegKinds k = reg_kinds(e->fmt);
  unsigned rd = field(word, 11, 7), rs1 = field(word, 19, 15), rs2 = field(word, 24, 20);
  out.rd = static_cast<uint8_t>((k.rd == 'x' && rd == 0) ? Hart::kSinkReg : rd);
  out.rs1 = static_cast<uint8_t>(rs1);
  out.rs2 = static_cast<uint8_t>(rs2);
  out.rs3 = static_cast<uint8_t>(field(word, 31, 27));
  out.rm = static_cast<uint8_t>(field(word, 14, 12));
  out.imm = immediate(e->fmt, word);
  out.reads = reg_bit(k.rs1, rs1) | reg_bit(k.rs2, rs2) | reg_bit(k.rs3, out.rs3);
  if (e->cls == kClass_load && k.rd) out.loads = reg_bit(k.rd, rd);
}

namespace {

const char* const kXNames[32] = {"zero", "ra", "sp",  "gp",  "tp", "t0", "t1", "t2",
                                 "s0",   "s1", "a0",  "a1",  "a2", "a3", "a4", "a5",
                                 "a6",   "a7", "s2",  "s3",  "s4", "s5", "s6", "s7",
                                 "s8",   "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
const char* const kFNames[32] = {"ft0", "ft1", "ft2",  "ft3",  "ft4", "ft5", "ft6",  "ft7",
                                 "fs0", "fs1", "fa0",  "fa1",  "fa2", "fa3", "fa4",  "fa5",
                                 "fa6", "fa7", "fs2",  "fs3",  "fs4", "fs5", "fs6",  "fs7",
                                 "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"};
const char* const kRoundingModes[8] = {"rne", "rtz", "rdn", "rup", "rmm", "rm5", "rm6", "dyn"};

std::string reg(char kind, unsigned r) {
  return kind == 'f' ? kFNames[r & 31] : kXNames[r & 31];
}

std::string operands(Fmt f, uint32_t w, uint32_t pc) {
  unsigned rd = field(w, 11, 7), rs1 = field(w, 19, 15), rs2 = field(w, 24, 20);
  unsigned rs3 = field(w, 31, 27), rm = field(w, 14, 12);
  int32_t imm = immediate(f, w);
  RegKinds k = reg_kinds(f);
  char buf[96];
  std::string rms = rm == 7 ? "" : std::string(", ") + kRoundingModes[rm];
  switch (f) {
    case Fmt::U:
      std::snprintf(buf, sizeof buf, "%s, 0x%x", kXNames[rd], static_cast<uint32_t>(imm) >> 12);
      break;
    case Fmt::J:
      std::snprintf(buf, sizeof buf, "%s, 0x%x", kXNames[rd], pc + imm);
      break;
    case Fmt::B:
      std::snprintf(buf, sizeof buf, "%s, %s, 0x%x", kXNames[rs1], kXNames[rs2], pc + imm);
      break;
    case Fmt::JR:
    case Fmt::LD:
    case Fmt::FLD:
      std::snprintf(buf, sizeof buf, "%s, %d(%s)", reg(k.rd, rd).c_str(), imm, kXNames[rs1]);
      break;
    case Fmt::ST:
    case Fmt::FST:
      std::snprintf(buf, sizeof buf, "%s, %d(%s)", reg(k.rs2, rs2).c_str(), imm, kXNames[rs1]);
      break;
    case Fmt::I:
    case Fmt::SH:
      std::snprintf(buf, sizeof buf, "%s, %s, %d", kXNames[rd], kXNames[rs1], imm);
      break;
    case Fmt::CSR:
      std::snprintf(buf, sizeof buf, "%s, 0x%x, %s", kXNames[rd], imm, kXNames[rs1]);
      break;
    case Fmt::CSRI:
      std::snprintf(buf, sizeof buf, "%s, 0x%x, %u", kXNames[rd], imm, rs1);
      break;
    case Fmt::NONE:
      buf[0] = 0;
      break;
    case Fmt::LR:
      std::snprintf(buf, sizeof buf, "%s, (%s)", kXNames[rd], kXNames[rs1]);
      break;
    case Fmt::R:
      std::snprintf(buf, sizeof buf, "%s, %s, %s", kXNames[rd], kXNames[rs1], kXNames[rs2]);
      break;
    case Fmt::AMO:
      std::snprintf(buf, sizeof buf, "%s, %s, (%s)", kXNames[rd], kXNames[rs2], kXNames[rs1]);
      break;
    case Fmt::FR4:
      std::snprintf(buf, sizeof buf, "%s, %s, %s, %s%s", kFNames[rd], kFNames[rs1], kFNames[rs2],
                    kFNames[rs3], rms.c_str());
      break;
    case Fmt::FRM:
      std::snprintf(buf, sizeof buf, "%s, %s, %s%s", kFNames[rd], kFNames[rs1], kFNames[rs2],
                    rms.c_str());
      break;
    case Fmt::FR:
    case Fmt::FCMP:
      std::snprintf(buf, sizeof buf, "%s, %s, %s", reg(k.rd, rd).c_str(), kFNames[rs1],
                    kFNames[rs2]);
      break;
    case Fmt::FR1:
    case Fmt::F2XRM:
    case Fmt::X2FRM:
      std::snprintf(buf, sizeof buf, "%s, %s%s", reg(k.rd, rd).c_str(), reg(k.rs1, rs1).c_str(),
                    rms.c_str());
      break;
    case Fmt::F2X:
    case Fmt::X2F:
      std::snprintf(buf, sizeof buf, "%s, %s", reg(k.rd, rd).c_str(), reg(k.rs1, rs1).c_str());
      break;
  }
  return buf;
}

}  // namespace

namespace {

// Operands of a compressed instruction in its own (objdump) form, from those of its 32-bit
// expansion: implied registers are dropped ("c.li a0, 1", not "addi a0, zero, 1").
std::string compressed_operands(const std::string& name, const std::string& expanded) {
  std::vector<std::string> t;
  for (size_t at = 0; at <= expanded.size();) {
    size_t comma = expanded.find(", ", at);
    if (comma == std::string::npos) comma = expanded.size();
    t.push_back(expanded.substr(at, comma - at));
    at = comma + 2;
  }
  if (name == "c.ebreak") return "";
  if (name == "c.j" || name == "c.jal") return t.back();
  if (name == "c.jr" || name == "c.jalr") {  // "zero, 0(a0)" -> "a0"
    size_t open = t.back().find('(');
    return t.back().substr(open + 1, t.back().size() - open - 2);
  }
  if (name == "c.li" || name == "c.mv" || name == "c.beqz" || name == "c.bnez")
    return t[0] + ", " + t[2];
  if (t.size() == 3 && t[0] == t[1] && name != "c.addi4spn") return t[0] + ", " + t[2];
  return expanded;
}

}  // namespace

std::string disassemble(uint32_t insn, uint32_t pc) {
  bool compressed = is_compressed(insn);
  uint32_t word = compressed ? expand_compressed(static_cast<uint16_t>(insn), ~0u) : insn;
  const Encoding* e = word ? find_encoding(word) : nullptr;
  if (!e) return "illegal";
  std::string name = op_mnemonic(e->op);
  if (compressed) {
    for (const CompressedName& c : kCompressed)
      if ((insn & c.mask) == c.match) {
        name = c.name;
        name[1] = '.';
        break;
      }
  }
  std::string ops = operands(e->fmt, word, pc);
  if (compressed) ops = compressed_operands(name, ops);
  return ops.empty() ? name : name + " " + ops;
}

}  // namespace flecsim
