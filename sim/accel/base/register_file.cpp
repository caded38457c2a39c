#include "accel/base/register_file.h"

#include "core/error.h"

namespace flecsim {

void RegisterFile::add(uint32_t offset, std::string name, Reader reader, Writer writer) {
  if (offset % 4 != 0 || regs_.count(offset))
    throw InternalError("register " + name + ": offset misaligned or taken");
  regs_[offset] = Register{std::move(name), std::move(reader), std::move(writer)};
}

void RegisterFile::add_storage(uint32_t offset, std::string name, uint32_t* storage) {
  add(
      offset, std::move(name), [storage](uint64_t) { return *storage; },
      [storage](uint32_t v, uint64_t) { *storage = v; });
}

bool RegisterFile::read(uint32_t offset, uint64_t cycle, uint32_t& value) const {
  auto it = regs_.find(offset);
  if (it == regs_.end()) return false;
  value = it->second.reader ? it->second.reader(cycle) : 0;
  return true;
}

bool RegisterFile::write(uint32_t offset, uint32_t value, uint64_t cycle) const {
  auto it = regs_.find(offset);
  if (it == regs_.end()) return false;
  if (it->second.writer) it->second.writer(value, cycle);
  return true;
}

uint64_t RegisterFile::span() const {
  uint64_t end = regs_.empty() ? 4 : regs_.rbegin()->first + 4ull;
  return (end + 4095) / 4096 * 4096;
}

const std::string* RegisterFile::name_at(uint32_t offset) const {
  auto it = regs_.find(offset);
  return it == regs_.end() ? nullptr : &it->second.name;
}

}  // namespace flecsim
