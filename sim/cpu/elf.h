// Loading 32-bit little-endian RISC-V ELF executables into a platform's memory.
//
// The headers are parsed here (with <elf.h> structures and bounds checks on every offset), so
// a malformed file is a UserError naming the file, never a crash. Loading copies each PT_LOAD
// segment to its physical address through the platform's backdoor and zeroes the rest of the
// segment (bss); a segment that does not fit inside one memory is an error naming its range.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace flecsim {

class Platform;

struct ElfSegment {
  uint64_t paddr = 0;         // where the segment is loaded (p_paddr)
  uint64_t vaddr = 0;         // where it is linked (p_vaddr)
  uint64_t memsz = 0;         // bytes in memory; beyond data.size() is zero-filled
  std::vector<uint8_t> data;  // the file bytes (p_filesz)
  bool executable = false;
};

struct ElfSymbol {
  uint64_t value = 0;
  uint64_t size = 0;
};

struct ElfImage {
  std::string path;
  uint64_t entry = 0;
  std::vector<ElfSegment> segments;          // PT_LOAD segments with memsz > 0, in file order
  std::map<std::string, ElfSymbol> symbols;  // every named symbol of .symtab

  std::optional<uint64_t> symbol(const std::string& name) const;
  // The symbol containing `addr` (function or object), for traces and gdb-less messages.
  std::string symbol_at(uint64_t addr) const;
};

// Reads and validates an ELF file. Throws UserError (naming the file) when the file is
// missing, not an ELF, not 32-bit little-endian, not RISC-V, not an executable, or truncated.
ElfImage read_elf(const std::string& path);

// Parses an ELF image held in memory; `path` names it in messages.
ElfImage parse_elf(const std::vector<uint8_t>& bytes, const std::string& path);

// Copies every segment into simulated memory (zeroing bss). Throws UserError naming the
// segment's address range when it lies outside every memory of the platform.
void load_elf(const ElfImage& image, Platform& platform);

}  // namespace flecsim
