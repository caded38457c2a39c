#include "cpu/elf.h"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include "core/error.h"
#include "platform/platform.h"

namespace flecsim {
namespace {

std::string hex(uint64_t v) {
  std::ostringstream os;
  os << "0x" << std::hex << v;
  return os.str();
}

// Bounds-checked view of the file bytes: every read names what was being read when the file
// ends too early.
class ElfBytes {
 public:
  ElfBytes(const std::vector<uint8_t>& bytes, const std::string& path)
      : bytes_(bytes), path_(path) {}

  template <typename T>
  T read(uint64_t offset, const char* what) const {
    check(offset, sizeof(T), what);
    T value;
    std::memcpy(&value, bytes_.data() + offset, sizeof(T));
    return value;
  }
  void check(uint64_t offset, uint64_t len, const char* what) const {
    if (offset > bytes_.size() || len > bytes_.size() - offset)
      fail(std::string("truncated file: ") + what + " at offset " + hex(offset) + " (+" +
           std::to_string(len) + " bytes) is past the end of the file (" +
           std::to_string(bytes_.size()) + " bytes)");
  }
  const uint8_t* at(uint64_t offset) const { return bytes_.data() + offset; }
  uint64_t size() const { return bytes_.size(); }
  [[noreturn]] void fail(const std::string& message) const {
    throw UserError(SourceLoc{path_, 0, 0}, message);
  }

 private:
  const std::vector<uint8_t>& bytes_;
  const std::string& path_;
};

Elf32_Ehdr read_header(const ElfBytes& file) {
  if (file.size() < SELFMAG || std::memcmp(file.at(0), ELFMAG, SELFMAG) != 0)
    file.fail("not an ELF file (no \\x7fELF magic)");
  if (file.size() < EI_NIDENT) file.fail("truncated file: ELF identification is incomplete");
  if (file.at(0)[EI_CLASS] == ELFCLASS64)
    file.fail("64-bit ELF; flecsim runs 32-bit RISC-V (RV32) programs (build with -march=rv32...)");
  if (file.at(0)[EI_CLASS] != ELFCLASS32) file.fail("unknown ELF class");
  if (file.at(0)[EI_DATA] != ELFDATA2LSB) file.fail("big-endian ELF; RISC-V is little-endian");
  auto header = file.read<Elf32_Ehdr>(0, "ELF header");
  if (header.e_machine != EM_RISCV)
    file.fail("not a RISC-V ELF (e_machine " + std::to_string(header.e_machine) + ", expected " +
              std::to_string(EM_RISCV) + ")");
  if (header.e_type != ET_EXEC)
    file.fail("not an executable ELF (e_type " + std::to_string(header.e_type) +
              "); link the program into an executable");
  return header;
}

void read_segments(const ElfBytes& file, const Elf32_Ehdr& header, ElfImage& image) {
  if (header.e_phnum > 0 && header.e_phentsize != sizeof(Elf32_Phdr))
    file.fail("unexpected program header entry size " + std::to_string(header.e_phentsize));
  for (unsigned i = 0; i < header.e_phnum; ++i) {
    auto ph =
        file.read<Elf32_Phdr>(header.e_phoff + uint64_t{i} * sizeof(Elf32_Phdr), "program header");
    if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
    if (ph.p_filesz > ph.p_memsz)
      file.fail("segment at " + hex(ph.p_paddr) + " has p_filesz > p_memsz");
    file.check(ph.p_offset, ph.p_filesz, "segment data");
    ElfSegment seg;
    seg.paddr = ph.p_paddr;
    seg.vaddr = ph.p_vaddr;
    seg.memsz = ph.p_memsz;
    seg.executable = (ph.p_flags & PF_X) != 0;
    seg.data.assign(file.at(ph.p_offset), file.at(ph.p_offset) + ph.p_filesz);
    image.segments.push_back(std::move(seg));
  }
  if (image.segments.empty()) file.fail("no loadable segment (PT_LOAD) in the program");
}

// Symbols are optional (a stripped program simply has none), but a symbol table that points
// outside the file is a truncated file.
void read_symbols(const ElfBytes& file, const Elf32_Ehdr& header, ElfImage& image) {
  if (header.e_shnum == 0) return;
  if (header.e_shentsize != sizeof(Elf32_Shdr))
    file.fail("unexpected section header entry size " + std::to_string(header.e_shentsize));
  auto section = [&](unsigned index) {
    if (index >= header.e_shnum)
      file.fail("section index " + std::to_string(index) + " out of range");
    return file.read<Elf32_Shdr>(header.e_shoff + uint64_t{index} * sizeof(Elf32_Shdr),
                                 "section header");
  };
  for (unsigned i = 0; i < header.e_shnum; ++i) {
    auto symtab = section(i);
    if (symtab.sh_type != SHT_SYMTAB) continue;
    auto strtab = section(symtab.sh_link);
    file.check(strtab.sh_offset, strtab.sh_size, "string table");
    file.check(symtab.sh_offset, symtab.sh_size, "symbol table");
    for (uint64_t off = 0; off + sizeof(Elf32_Sym) <= symtab.sh_size; off += sizeof(Elf32_Sym)) {
      auto sym = file.read<Elf32_Sym>(symtab.sh_offset + off, "symbol");
      if (sym.st_name == 0 || sym.st_name >= strtab.sh_size) continue;
      const char* name = reinterpret_cast<const char*>(file.at(strtab.sh_offset + sym.st_name));
      size_t max_len = strtab.sh_size - sym.st_name;
      std::string symbol_name(name, strnlen(name, max_len));
      // File and section symbols, and the assembler's mapping symbols ($x, $d, $xrv32i...),
      // name no program object.
      unsigned type = ELF32_ST_TYPE(sym.st_info);
      if (symbol_name.empty() || symbol_name[0] == '$' || type == STT_FILE || type == STT_SECTION)
        continue;
      // A global definition wins over a local one of the same name.
      bool global = ELF32_ST_BIND(sym.st_info) != STB_LOCAL;
      if (global || !image.symbols.count(symbol_name))
        image.symbols[symbol_name] = ElfSymbol{sym.st_value, sym.st_size};
    }
  }
}

}  // namespace

std::optional<uint64_t> ElfImage::symbol(const std::string& name) const {
  auto it = symbols.find(name);
  if (it == symbols.end()) return std::nullopt;
  return it->second.value;
}

std::string ElfImage::symbol_at(uint64_t addr) const {
  std::string best;
  uint64_t best_value = 0;
  for (const auto& [name, sym] : symbols) {
    bool inside =
        addr >= sym.value && (sym.size == 0 ? addr == sym.value : addr - sym.value < sym.size);
    if (inside && (best.empty() || sym.value > best_value)) {
      best = name;
      best_value = sym.value;
    }
  }
  if (best.empty()) return "";
  return addr == best_value ? best : best + "+" + hex(addr - best_value);
}

ElfImage parse_elf(const std::vector<uint8_t>& bytes, const std::string& path) {
  ElfBytes file(bytes, path);
  Elf32_Ehdr header = read_header(file);
  ElfImage image;
  image.path = path;
  image.entry = header.e_entry;
  read_segments(file, header, image);
  read_symbols(file, header, image);
  return image;
}

ElfImage read_elf(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw UserError(SourceLoc{path, 0, 0},
                    "cannot open the program: " + std::string(std::strerror(errno)));
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  return parse_elf(bytes, path);
}

void load_elf(const ElfImage& image, Platform& platform) {
  for (const auto& seg : image.segments) {
    uint8_t* mem = platform.backdoor(seg.paddr, seg.memsz);
    if (mem == nullptr)
      throw UserError(SourceLoc{image.path, 0, 0},
                      "segment [" + hex(seg.paddr) + ", " + hex(seg.paddr + seg.memsz) +
                          ") is outside every memory of platform '" + platform.name() +
                          "'; link the program for the platform's address map");
    std::memcpy(mem, seg.data.data(), seg.data.size());
    std::memset(mem + seg.data.size(), 0, seg.memsz - seg.data.size());
  }
}

}  // namespace flecsim
