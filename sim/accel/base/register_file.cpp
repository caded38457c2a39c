#include "accel/base/register_file.h"

#include "core/error.h"

namespace flecsim {

void RegisterFile::add(uint32_t offset, std::string name, Reader reader, Writer writer) {
  if (offset % 4 != 0 || find(offset) || name.empty() || offset > (1u << 20))
    throw InternalError("register " + name + ": offset misaligned, taken or too large");
  if (regs_.size() <= offset / 4) regs_.resize(offset / 4 + 1);
  regs_[offset / 4] = Register{std::move(name), std::move(reader), std::move(writer)};
}

void RegisterFile::add_storage(uint32_t offset, std::string name, uint32_t* storage) {
  add(
      offset, std::move(name), [storage](uint64_t) { return *storage; },
      [storage](uint32_t v, uint64_t) { *storage = v; });
}

const RegisterFile::Register* RegisterFile::find(uint32_t offset) const {
  if (offset % 4 != 0 || offset / 4 >= regs_.size()) return nullptr;
  const Register& r = regs_[offset / 4];
  return r.name.empty() ? nullptr : &r;
}

bool RegisterFile::read(uint32_t offset, uint64_t cycle, uint32_t& value) const {
  const Register* r = find(offset);
  if (!r) return false;
  value = r->reader ? r->reader(cycle) : 0;
  return true;
}

bool RegisterFile::write(uint32_t offset, uint32_t value, uint64_t cycle) const {
  const Register* r = find(offset);
  if (!r) return false;
  if (r->writer) r->writer(value, cycle);
  return true;
}

uint64_t RegisterFile::span() const {
  uint64_t end = regs_.empty() ? 4 : regs_.size() * 4ull;
  return (end + 4095) / 4096 * 4096;
}

const std::string* RegisterFile::name_at(uint32_t offset) const {
  const Register* r = find(offset);
  return r ? &r->name : nullptr;
}

}  // namespace flecsim
