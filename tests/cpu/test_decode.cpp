// The decoder and disassembler against objdump on the same words (asm/all_insns.S), and
// properties of the generated decode table.
#include <fstream>
#include <regex>

#include "cpu/decode.h"
#include "test_soc.h"

namespace flecsim {
namespace {

struct Listed {
  uint32_t word;
  std::string mnemonic;
};

// Instruction lines of an objdump -d listing: "80000000:	12345537          	lui
// a0,0x12345".
std::vector<Listed> objdump_listing(const std::string& name) {
  std::ifstream in(program_path(name + ".dis"));
  std::vector<Listed> out;
  std::string line;
  std::regex insn(R"(^\s*[0-9a-f]+:\s+([0-9a-f]{4,8})\s+(\S+))");
  std::smatch m;
  while (std::getline(in, line))
    if (std::regex_search(line, m, insn))
      out.push_back({static_cast<uint32_t>(std::stoul(m[1], nullptr, 16)), m[2]});
  return out;
}

std::string first_word(const std::string& s) {
  return s.substr(0, s.find(' '));
}

void expect_same_mnemonics(const std::string& name, size_t at_least) {
  auto listing = objdump_listing(name);
  ASSERT_GE(listing.size(), at_least) << name;
  Rv32Timing timing;
  const uint32_t all = isa_bit('I') | isa_bit('M') | isa_bit('A') | isa_bit('F') | isa_bit('C');
  for (const Listed& l : listing) {
    EXPECT_EQ(first_word(disassemble(l.word)), l.mnemonic) << std::hex << l.word;
    DecodedInsn d;
    decode_insn(l.word, all, timing, d);
    EXPECT_NE(d.op, static_cast<uint16_t>(Op::illegal)) << std::hex << l.word;
    EXPECT_EQ(d.len, is_compressed(l.word) ? 2 : 4);
  }
}

TEST(Decode, MnemonicsMatchObjdumpFor32BitWords) {
  expect_same_mnemonics("all_insns_noc", 94);
}
TEST(Decode, MnemonicsMatchObjdumpWithCompressedWords) {
  expect_same_mnemonics("all_insns_c", 125);
}

TEST(Decode, Operands) {
  EXPECT_EQ(disassemble(0xfff50513), "addi a0, a0, -1");
  EXPECT_EQ(disassemble(0x00a12623), "sw a0, 12(sp)");
  EXPECT_EQ(disassemble(0xfe0518e3, 0x80000014), "bne a0, zero, 0x80000004");
  EXPECT_EQ(disassemble(0x68c5f543), "fmadd.s fa0, fa1, fa2, fa3");
  EXPECT_EQ(disassemble(0x08c59553), "fsub.s fa0, fa1, fa2, rtz");
  EXPECT_EQ(disassemble(0x34011573), "csrrw a0, 0x340, sp");
  EXPECT_EQ(disassemble(0x4505), "c.li a0, 1");
  EXPECT_EQ(disassemble(0x1575), "c.addi a0, -3");
  EXPECT_EQ(disassemble(0x0001), "c.addi zero, 0");  // c.nop, as objdump -M no-aliases
  EXPECT_EQ(disassemble(0x852e), "c.mv a0, a1");
  EXPECT_EQ(disassemble(0x8502), "c.jr a0");
  EXPECT_EQ(disassemble(0xa001, 0x80000010), "c.j 0x80000010");
  EXPECT_EQ(disassemble(0xc001, 0x80000010), "c.beqz s0, 0x80000010");
  EXPECT_EQ(disassemble(0x40c0), "c.lw s0, 4(s1)");
  EXPECT_EQ(disassemble(0x0800), "c.addi4spn s0, sp, 16");
  EXPECT_EQ(disassemble(0x0000), "illegal");
  EXPECT_EQ(disassemble(0xffffffff), "illegal");
}

TEST(Decode, DisabledExtensionsAreIllegal) {
  Rv32Timing timing;
  DecodedInsn d;
  decode_insn(0x02c58533, isa_bit('I'), timing, d);  // mul a0, a1, a2 without M
  EXPECT_EQ(d.op, static_cast<uint16_t>(Op::illegal));
  decode_insn(0x02c58533, isa_bit('I') | isa_bit('M'), timing, d);
  EXPECT_EQ(d.op, static_cast<uint16_t>(Op::mul));
  EXPECT_EQ(d.cls, kClass_mul);
  decode_insn(0x4505, isa_bit('I'), timing, d);  // c.li without C
  EXPECT_EQ(d.op, static_cast<uint16_t>(Op::illegal));
  decode_insn(0x6008, isa_bit('I') | isa_bit('C'), timing, d);  // c.flw without F
  EXPECT_EQ(d.op, static_cast<uint16_t>(Op::illegal));
}

TEST(Decode, ReservedCompressedEncodings) {
  const uint32_t isa = isa_bit('I') | isa_bit('C') | isa_bit('F');
  EXPECT_EQ(expand_compressed(0x0000, isa), 0u);           // c.addi4spn imm 0
  EXPECT_EQ(expand_compressed(0x4002, isa), 0u);           // c.lwsp rd 0
  EXPECT_EQ(expand_compressed(0x8002, isa), 0u);           // c.jr rs1 0
  EXPECT_EQ(expand_compressed(0x6101, isa), 0u);           // c.addi16sp imm 0
  EXPECT_EQ(expand_compressed(0x6501, isa), 0u);           // c.lui a0, 0
  EXPECT_EQ(expand_compressed(0x1502, isa), 0u);           // c.slli with shamt[5] (RV32: reserved)
  EXPECT_EQ(expand_compressed(0x9c01, isa), 0u);           // c.subw: RV64 only
  EXPECT_EQ(expand_compressed(0x4505, isa), 0x00100513u);  // c.li a0, 1 = addi a0, zero, 1
  EXPECT_EQ(expand_compressed(0x1141, isa), 0xff010113u);  // c.addi sp, -16
}

TEST(Decode, LoadUseRegisterMasks) {
  Rv32Timing timing;
  DecodedInsn d;
  const uint32_t isa = isa_bit('I') | isa_bit('F');
  decode_insn(0x00052583, isa, timing, d);  // lw a1, 0(a0)
  EXPECT_EQ(d.loads, 1ull << 11);
  EXPECT_EQ(d.reads, 1ull << 10);
  decode_insn(0x68c5f543, isa, timing, d);  // fmadd.s fa0, fa1, fa2, fa3
  EXPECT_EQ(d.reads, (1ull << 43) | (1ull << 44) | (1ull << 45));
  decode_insn(0x00000513, isa, timing, d);  // addi a0, zero, 0: x0 is never waited for
  EXPECT_EQ(d.reads, 0u);
  decode_insn(0x00000013, isa, timing, d);  // nop writes x0: redirected to the sink
  EXPECT_EQ(d.rd, Hart::kSinkReg);
}

}  // namespace
}  // namespace flecsim
