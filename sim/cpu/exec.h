// Execution support shared by the instruction semantics (exec_insns.h) and the run loop:
// inline memory access through DMI, jumps, CSR access, trap entry and FP operand handling.
// Rv32Exec is a friend of Rv32Cpu so the semantics can reach its slow paths.
#pragma once
#include <cmath>
#include <cstring>

#include "cpu/decode.h"
#include "cpu/fpu.h"
#include "cpu/rv32_cpu.h"

namespace flecsim {

constexpr uint32_t kMstatusMIE = 1u << 3;
constexpr uint32_t kMstatusMPIE = 1u << 7;
constexpr uint32_t kMstatusMPP = 3u << 11;
constexpr uint32_t kMstatusFS = 3u << 13;
constexpr uint32_t kMstatusMPRV = 1u << 17;
constexpr uint32_t kMstatusTW = 1u << 21;
constexpr uint32_t kMstatusSD = 1u << 31;
constexpr uint32_t kMipMSIP = 1u << 3;
constexpr uint32_t kMipMTIP = 1u << 7;
constexpr uint32_t kMipMEIP = 1u << 11;
constexpr uint32_t kCauseDebugHalt = 0xfffffffeu;

struct Rv32Exec {
  [[noreturn]] static void illegal(const DecodedInsn& d) { throw Trap{kCauseIllegalInsn, d.insn}; }

  template <typename T, uint32_t kMisaligned = kCauseMisalignedLoad,
            uint32_t kFault = kCauseLoadAccess>
  static inline T load(Rv32Cpu& cpu, Hart& h, uint32_t addr) {
    if (addr & (sizeof(T) - 1)) throw Trap{kMisaligned, addr};
    const DmiRegion& r = h.dmi_last[0];
    uint64_t off = uint64_t{addr} - r.start;
    T v;
    if (off + sizeof(T) <= r.size) {
      std::memcpy(&v, r.ptr + off, sizeof(T));
      h.cycle += r.read_cycles;
      r.count_read(sizeof(T));
      return v;
    }
    if (!cpu.load_slow(addr, &v, sizeof(T), false)) throw Trap{kFault, addr};
    return v;
  }

  template <typename T>
  static inline void store(Rv32Cpu& cpu, Hart& h, uint32_t addr, T v) {
    if (addr & (sizeof(T) - 1)) throw Trap{kCauseMisalignedStore, addr};
    const DmiRegion& r = h.dmi_last[1];
    uint64_t off = uint64_t{addr} - r.start;
    if (off + sizeof(T) <= r.size) {
      std::memcpy(r.ptr + off, &v, sizeof(T));
      h.cycle += r.write_cycles;
      r.count_write(sizeof(T));
    } else if (!cpu.store_slow(addr, &v, sizeof(T))) {
      throw Trap{kCauseStoreAccess, addr};
    }
    if (h.is_code_page(addr) || (addr & ~3u) == h.watch_word) cpu.after_store(addr, sizeof(T));
  }

  static inline void jump(Hart& h, uint32_t target, uint32_t& npc) {
    if (!h.has_c && (target & 2)) throw Trap{kCauseMisalignedFetch, target};
    npc = target;
  }

  // F extension: FS must not be Off; the rounding mode (static or frm) must be legal.
  static inline void fp_require(Hart& h, const DecodedInsn& d) {
    if (!(h.mstatus & kMstatusFS)) illegal(d);
    h.mstatus |= kMstatusFS;  // Dirty
  }
  static inline unsigned fp_rounding(Hart& h, const DecodedInsn& d) {
    fp_require(h, d);
    unsigned rm = d.rm == fpu::kDyn ? h.frm : d.rm;
    if (rm > fpu::kRmm) illegal(d);
    if (rm != fpu::kRmm && h.host_rm != static_cast<int>(rm)) fpu::set_host_rounding(h, rm);
    return rm;
  }

  // Zicsr: kind 0 = write, 1 = set, 2 = clear; `write` false when rs1/uimm is x0/0 (s/c).
  static void csr_instruction(Rv32Cpu& cpu, Hart& h, const DecodedInsn& d, uint32_t operand,
                              int kind, bool write);
  static bool csr_read(Rv32Cpu& cpu, Hart& h, uint32_t csr, uint32_t& value);
  static bool csr_write(Rv32Cpu& cpu, Hart& h, uint32_t csr, uint32_t value);

  static void take_trap(Rv32Cpu& cpu, Hart& h, uint32_t cause, uint32_t tval);
  static bool take_pending_interrupt(Rv32Cpu& cpu, Hart& h);
  static void mret(Hart& h, const DecodedInsn& d, uint32_t& npc);
  static void wfi(Rv32Cpu& cpu, Hart& h, const DecodedInsn& d);
  static void ebreak(Rv32Cpu& cpu, Hart& h);
  // Fetches and decodes the instruction at h.pc into its cache slot (throws fetch faults).
  static void fill(Rv32Cpu& cpu, Hart& h, DecodedInsn& d);
};

}  // namespace flecsim
