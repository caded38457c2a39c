#include "cpu/htif.h"

#include <algorithm>
#include <sstream>

#include "core/error.h"
#include "cpu/rv32_cpu.h"

namespace flecsim {
namespace {
std::string hex(uint64_t v) {
  std::ostringstream os;
  os << "0x" << std::hex << v;
  return os.str();
}
}  // namespace

Htif::Htif(Rv32Cpu& cpu, uint32_t tohost, std::optional<uint32_t> fromhost, std::ostream& out,
           std::ostream& err)
    : cpu_(cpu), tohost_(tohost), fromhost_(fromhost), out_(out), err_(err) {
  cpu_.set_store_watch(tohost_, [this](uint32_t value) { on_tohost(value); });
}

void Htif::on_tohost(uint32_t value) {
  if (value == 0) return;  // the program clearing tohost, or the upper half of a 64-bit store
  if (value & 1) {
    int code = static_cast<int>(value >> 1);
    cpu_.stop(code,
              code == 0 ? "HTIF tohost: exit 0" : "HTIF tohost: exit " + std::to_string(code));
    return;
  }
  syscall(value);
}

uint64_t Htif::read_u64(uint32_t addr) {
  uint64_t v = 0;
  if (cpu_.debug_read(addr, &v, sizeof v) != sizeof v)
    cpu_.stop(kExitCheckFailed, "HTIF syscall block at " + hex(addr) + " is not readable memory");
  return v;
}

void Htif::write_u64(uint32_t addr, uint64_t value) {
  cpu_.debug_write(addr, &value, sizeof value);
}

void Htif::syscall(uint32_t block_addr) {
  ++syscalls_;
  uint64_t args[4];
  for (unsigned i = 0; i < 4; ++i) args[i] = read_u64(block_addr + 8 * i);
  if (cpu_.stopped()) return;
  uint64_t result = 0;
  switch (args[0]) {
    case kSysWrite:
      result = sys_write(args[1], static_cast<uint32_t>(args[2]), args[3]);
      break;
    case kSysExit:
      cpu_.stop(static_cast<int>(args[1]), "HTIF SYS_exit " + std::to_string(args[1]));
      return;
    default:
      cpu_.stop(kExitCheckFailed, "HTIF: unsupported syscall " + std::to_string(args[0]) +
                                      " (block at " + hex(block_addr) +
                                      "); supported: write (64), exit (93)");
      return;
  }
  write_u64(block_addr, result);
  // The host has consumed the request: tohost reads 0 again, fromhost says "done".
  uint32_t zero = 0;
  cpu_.debug_write(tohost_, &zero, sizeof zero);
  if (fromhost_) write_u64(*fromhost_, 1);
}

uint64_t Htif::sys_write(uint64_t fd, uint32_t buffer, uint64_t length) {
  if (fd != 1 && fd != 2) return static_cast<uint64_t>(-9);  // -EBADF
  std::ostream& os = fd == 1 ? out_ : err_;
  // In chunks, so a wild length costs no host memory; stops at the end of mapped memory.
  char chunk[4096];
  uint64_t done = 0;
  while (done < length) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(sizeof chunk, length - done));
    size_t got = cpu_.debug_read(buffer + static_cast<uint32_t>(done), chunk, want);
    os.write(chunk, static_cast<std::streamsize>(got));
    done += got;
    if (got < want) break;
  }
  os.flush();
  return done;
}

}  // namespace flecsim
