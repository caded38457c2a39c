// Decoding and disassembly, both generated from insns.def.
#pragma once
#include <cstdint>
#include <string>

#include "cpu/hart.h"

namespace flecsim {

enum class Op : uint16_t {
  illegal = 0,
#define INSN(name, match, mask, ext, cls, fmt) name,
#define CINSN(name, match, mask, ext, expander)
#include "cpu/insns.def"
#undef INSN
#undef CINSN
  kCount
};

// Extensions enabled, as a bit mask of letters ('A' = bit 0 ... 'Z' = bit 25), as in misa.
inline uint32_t isa_bit(char letter) {
  return 1u << (letter - 'A');
}

// Fills `out` (all fields but pc) from an instruction word; len 2 for compressed words
// (only the low 16 bits are used). Unknown or disabled encodings give Op::illegal.
void decode_insn(uint32_t insn, uint32_t isa, const Rv32Timing& timing, DecodedInsn& out);

// Expands a 16-bit instruction to its 32-bit equivalent; 0 when reserved or illegal.
uint32_t expand_compressed(uint16_t insn, uint32_t isa);

// "addi a0, a0, 1"; compressed words as objdump -M no-aliases shows them ("c.li a0, 1").
std::string disassemble(uint32_t insn, uint32_t pc = 0);

const char* op_mnemonic(Op op);
inline bool is_compressed(uint32_t insn) {
  return (insn & 3) != 3;
}

}  // namespace flecsim
