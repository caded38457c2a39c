// Architectural state of one RV32 hart, the predecoded-instruction cache and the instruction
// classes of the timing model. Plain data: the SystemC component (rv32_cpu.h) owns one Hart.
#pragma once
#include <cstdint>
#include <cstring>
#include <vector>

#include "platform/dmi_traffic.h"

namespace flecsim {

// Timing classes: every instruction belongs to one; each class costs a configured cycle count.
#define FLECSIM_RV32_CLASSES(X)                                                                   \
  X(alu)                                                                                          \
  X(mul)                                                                                          \
  X(div)                                                                                          \
  X(load) X(store) X(branch) X(jump) X(fp_add) X(fp_mul) X(fp_fma) X(fp_div) X(fp_sqrt) X(fp_cvt) \
      X(fp_other) X(csr) X(system)
enum InsnClass : uint8_t {
#define FLECSIM_CLASS_ENUM(n) kClass_##n,
  FLECSIM_RV32_CLASSES(FLECSIM_CLASS_ENUM)
#undef FLECSIM_CLASS_ENUM
      kNumClasses
};
const char* insn_class_name(unsigned cls);

// Cycle costs (timing: keys of the rv32 kind). branch: cost of a not-taken branch; a taken
// one costs branch_taken instead.
struct Rv32Timing {
  uint32_t cycles[kNumClasses] = {};
  uint32_t branch_taken = 3;
  uint32_t load_use_penalty = 1;
  Rv32Timing();  // defaults documented in docs/cpu.md
};

// Synchronous exceptions are thrown as Trap from instruction semantics and caught by the loop.
struct Trap {
  uint32_t cause;
  uint32_t tval;
};

constexpr uint32_t kCauseMisalignedFetch = 0;
constexpr uint32_t kCauseFetchAccess = 1;
constexpr uint32_t kCauseIllegalInsn = 2;
constexpr uint32_t kCauseBreakpoint = 3;
constexpr uint32_t kCauseMisalignedLoad = 4;
constexpr uint32_t kCauseLoadAccess = 5;
constexpr uint32_t kCauseMisalignedStore = 6;
constexpr uint32_t kCauseStoreAccess = 7;
constexpr uint32_t kCauseEcallU = 8;
constexpr uint32_t kCauseEcallM = 11;
constexpr uint32_t kCauseInterrupt = 0x80000000u;

// One predecoded instruction. Compressed instructions are expanded at decode time: `op` and
// the operand fields are those of the 32-bit equivalent, `insn`/`len` those of the original.
struct DecodedInsn {
  uint32_t pc = 1;  // tag; odd = empty (real pcs are even)
  uint32_t insn = 0;
  int32_t imm = 0;  // immediate, shamt, or CSR number (csr formats)
  uint16_t op = 0;
  uint8_t rd = 0;  // integer destinations of x0 are redirected to the sink register 32
  uint8_t rs1 = 0, rs2 = 0, rs3 = 0;
  uint8_t rm = 0;  // rounding-mode field of F instructions
  uint8_t len = 4;
  uint8_t cls = 0;
  uint8_t cycles = 0;  // base cost of the class
  uint16_t pad = 0;
  uint64_t reads = 0;  // registers read: x in bits 0-31, f in bits 32-63 (load-use hazards)
  uint64_t loads = 0;  // for loads: the register written (else 0)
};

// Memory the core reaches by pointer (DMI), with its access latency in core cycles.
struct DmiRegion {
  uint64_t start = 0;
  uint64_t size = 0;  // 0 = unused
  uint8_t* ptr = nullptr;
  uint32_t read_cycles = 0;
  uint32_t write_cycles = 0;
  bool writable = false;
  // The memory's DMI traffic counters (platform/dmi_traffic.h); a memory that does not offer
  // them gets the hart's own sink, so the hot path never tests for null.
  DmiTrafficCounters read_traffic, write_traffic;

  void count_read(unsigned bytes) const {
    *read_traffic.bits += 8u * bytes;
    ++*read_traffic.accesses;
  }
  void count_write(unsigned bytes) const {
    *write_traffic.bits += 8u * bytes;
    ++*write_traffic.accesses;
  }
};

struct Hart {
  static constexpr unsigned kSinkReg = 32;
  uint32_t x[33] = {};  // x[32] absorbs writes to x0
  uint32_t f[32] = {};
  uint32_t pc = 0;
  unsigned priv = 3;

  // CSRs kept as fields (others are computed in csr.cpp).
  uint32_t mstatus = 0, mie = 0, mip = 0, mtvec = 0, mepc = 0, mcause = 0, mtval = 0;
  uint32_t mscratch = 0, mcounteren = 0, misa = 0;
  uint32_t fflags = 0, frm = 0;
  uint64_t cycle = 0;    // core cycles since time 0 (local time = cycle * period)
  uint64_t instret = 0;  // retired instructions
  uint64_t mcycle_offset = 0, minstret_offset = 0;  // written values minus the raw counts
  uint64_t timebase_ps = 1000000;                   // period of the `time` CSR
  uint64_t period_ps = 1000;
  bool has_c = true;

  uint32_t reservation = 1;  // lr.w address, odd = none
  uint32_t watch_word = 1;   // word address with a store watch (odd = none)

  // Execution-loop control: the block loop runs while cycle < run_limit and instret <
  // instret_limit; anything that needs attention (interrupt may be pending, stop) sets
  // run_limit to 0 so the loop exits after the current instruction.
  uint64_t run_limit = 0;
  uint64_t instret_limit = ~0ull;
  uint64_t pending_load = 0;  // register mask written by the previous instruction if a load
  uint64_t stall_cycles = 0;
  uint64_t class_count[kNumClasses] = {};
  int host_rm = -1;  // rounding mode the host FPU is set to (-1 unknown)

  Rv32Timing timing;

  // DMI regions; dmi_last[0] read / [1] write are the most recent hits.
  std::vector<DmiRegion> dmi;
  DmiRegion dmi_last[2];

  // Predecode cache, direct-mapped by pc, plus a bitmap of pages that hold cached code so
  // stores can drop stale entries (self-modifying code, loaders).
  static constexpr unsigned kCacheBits = 15;
  std::vector<DecodedInsn> icache = std::vector<DecodedInsn>(1u << kCacheBits);
  std::vector<uint64_t> code_pages = std::vector<uint64_t>(1u << 14);  // 2^20 4-KiB pages

  DecodedInsn& cache_slot(uint32_t at) { return icache[(at >> 1) & ((1u << kCacheBits) - 1)]; }
  bool is_code_page(uint32_t addr) const {
    uint32_t page = addr >> 12;
    return (code_pages[page >> 6] >> (page & 63)) & 1;
  }
  void mark_code_page(uint32_t addr) {
    uint32_t page = addr >> 12;
    code_pages[page >> 6] |= 1ull << (page & 63);
  }
  void flush_code_page(uint32_t addr);
  void flush_all_code();
};

}  // namespace flecsim
