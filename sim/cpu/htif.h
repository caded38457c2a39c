// The host-target interface of riscv-tests style programs (HTIF), on top of a CPU store watch.
//
// A program that defines the symbol `tohost` talks to the host by storing to it:
//  - a value v with bit 0 set ends the run with exit code v >> 1 (0 = pass; riscv-tests put
//    the number of the failing test there);
//  - any other non-zero value is the address of a syscall block of 64-bit words
//    {which, arg0, arg1, arg2, ...} (riscv-tests' magic_mem). SYS_write (64) to fd 1 or 2 and
//    SYS_exit (93) are implemented; the result goes to block[0], then fromhost is set to 1.
// What it does not model: the device-style HTIF commands (device/command fields of the
// 64-bit word, used by the Berkeley bootloader's console), and reading from the host.
#pragma once
#include <cstdint>
#include <optional>
#include <ostream>

namespace flecsim {

class Rv32Cpu;

class Htif {
 public:
  static constexpr uint32_t kSysExit = 93;
  static constexpr uint32_t kSysWrite = 64;

  // Watches stores to `tohost` on `cpu`; `out`/`err` receive SYS_write to fd 1/2.
  Htif(Rv32Cpu& cpu, uint32_t tohost, std::optional<uint32_t> fromhost, std::ostream& out,
       std::ostream& err);

  uint64_t syscalls() const { return syscalls_; }

 private:
  void on_tohost(uint32_t value);
  void syscall(uint32_t block_addr);
  uint64_t sys_write(uint64_t fd, uint32_t buffer, uint64_t length);
  uint64_t read_u64(uint32_t addr);
  void write_u64(uint32_t addr, uint64_t value);

  Rv32Cpu& cpu_;
  uint32_t tohost_;
  std::optional<uint32_t> fromhost_;
  std::ostream& out_;
  std::ostream& err_;
  uint64_t syscalls_ = 0;
};

}  // namespace flecsim
