// A memory-mapped register file: 32-bit little-endian registers at word offsets, each with an
// optional reader and writer that see the cycle of the access. Accelerators declare their
// registers once; the component wrapper (accelerator.h) and the regression drivers dispatch to it.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace flecsim {

class RegisterFile {
 public:
  using Reader = std::function<uint32_t(uint64_t cycle)>;
  using Writer = std::function<void(uint32_t value, uint64_t cycle)>;

  // A register at `offset` (multiple of 4). No reader: reads as 0. No writer: writes ignored.
  void add(uint32_t offset, std::string name, Reader reader, Writer writer);
  // A plain read/write storage register.
  void add_storage(uint32_t offset, std::string name, uint32_t* storage);

  // False when no register is at offset (the access is then a decode error).
  bool read(uint32_t offset, uint64_t cycle, uint32_t& value) const;
  bool write(uint32_t offset, uint32_t value, uint64_t cycle) const;
  // Bytes of address space the registers span (rounded up to 4 KiB).
  uint64_t span() const;
  const std::string* name_at(uint32_t offset) const;

 private:
  struct Register {
    std::string name;  // empty: no register at this offset
    Reader reader;
    Writer writer;
  };
  const Register* find(uint32_t offset) const;
  std::vector<Register> regs_;  // indexed by offset / 4 (accesses are on the hot path)
};

}  // namespace flecsim
