// Zicsr state, privileged transitions (traps, interrupts, mret, wfi) and instruction fetch.
#include "cpu/exec.h"

namespace flecsim {
namespace {

enum : uint32_t {
  kFflags = 0x001,
  kFrm = 0x002,
  kFcsr = 0x003,
  kCycle = 0xc00,
  kTime = 0xc01,
  kInstret = 0xc02,
  kCycleH = 0xc80,
  kTimeH = 0xc81,
  kInstretH = 0xc82,
  kMstatus = 0x300,
  kMisa = 0x301,
  kMie = 0x304,
  kMtvec = 0x305,
  kMcounteren = 0x306,
  kMstatusH = 0x310,
  kMcountinhibit = 0x320,
  kMscratch = 0x340,
  kMepc = 0x341,
  kMcause = 0x342,
  kMtval = 0x343,
  kMip = 0x344,
  kMcycle = 0xb00,
  kMinstret = 0xb02,
  kMcycleH = 0xb80,
  kMinstretH = 0xb82,
  kMvendorid = 0xf11,
  kMarchid = 0xf12,
  kMimpid = 0xf13,
  kMhartid = 0xf14,
  kMconfigptr = 0xf15,
};
constexpr uint32_t kMstatusWritable =
    kMstatusMIE | kMstatusMPIE | kMstatusMPP | kMstatusFS | kMstatusMPRV | kMstatusTW;
constexpr uint32_t kMieWritable = kMipMSIP | kMipMTIP | kMipMEIP;

bool in(uint32_t csr, uint32_t lo, uint32_t hi) {
  return csr >= lo && csr <= hi;
}

uint64_t time_value(const Hart& h) {
  return h.cycle * h.period_ps / h.timebase_ps;
}

// U-mode access to cycle/time/instret needs the mcounteren bit.
bool counter_enabled(const Hart& h, uint32_t csr) {
  return h.priv == 3 || ((h.mcounteren >> (csr & 31)) & 1);
}

uint32_t mepc_mask(const Hart& h) {
  return h.has_c ? ~1u : ~3u;
}

}  // namespace

bool Rv32Exec::csr_read(Rv32Cpu&, Hart& h, uint32_t csr, uint32_t& v) {
  uint64_t mcycle = h.cycle + h.mcycle_offset, minstret = h.instret + h.minstret_offset;
  bool fp = h.misa & isa_bit('F');
  if (in(csr, kCycle, 0xc1f) || in(csr, kCycleH, 0xc9f)) {
    if (!counter_enabled(h, csr)) return false;
    uint32_t low = csr & 0x1f;
    uint64_t value = low == 0 ? mcycle : low == 1 ? time_value(h) : low == 2 ? minstret : 0;
    v = static_cast<uint32_t>(csr >= kCycleH ? value >> 32 : value);
    return true;
  }
  if (in(csr, kMcycle, 0xb1f) || in(csr, kMcycleH, 0xb9f)) {
    uint32_t low = csr & 0x1f;
    uint64_t value = low == 0 ? mcycle : low == 2 ? minstret : 0;
    if (low == 1) return false;  // there is no mtime CSR
    v = static_cast<uint32_t>(csr >= kMcycleH ? value >> 32 : value);
    return true;
  }
  if (in(csr, 0x323, 0x33f)) return v = 0, true;  // mhpmevent3..31: no events
  switch (csr) {
    case kFflags:
    case kFrm:
    case kFcsr:
      if (!fp || !(h.mstatus & kMstatusFS)) return false;
      fpu::fold_host_flags(h);
      v = csr == kFflags ? h.fflags : csr == kFrm ? h.frm : (h.frm << 5) | h.fflags;
      return true;
    case kMstatus: {
      uint32_t s = h.mstatus;
      v = ((s & kMstatusFS) == kMstatusFS) ? s | kMstatusSD : s;
      return true;
    }
    case kMisa:
      v = h.misa;
      return true;
    case kMie:
      v = h.mie;
      return true;
    case kMtvec:
      v = h.mtvec;
      return true;
    case kMcounteren:
      v = h.mcounteren;
      return true;
    case kMstatusH:
    case kMcountinhibit:
    case kMvendorid:
    case kMarchid:
    case kMimpid:
    case kMhartid:
    case kMconfigptr:
      v = 0;
      return true;
    case kMscratch:
      v = h.mscratch;
      return true;
    case kMepc:
      v = h.mepc & mepc_mask(h);
      return true;
    case kMcause:
      v = h.mcause;
      return true;
    case kMtval:
      v = h.mtval;
      return true;
    case kMip:
      v = h.mip;
      return true;
    default:
      return false;
  }
}

bool Rv32Exec::csr_write(Rv32Cpu&, Hart& h, uint32_t csr, uint32_t v) {
  auto set_low = [v](uint64_t& offset, uint64_t raw, bool high) {
    uint64_t cur = raw + offset;
    cur = high ? (cur & 0xffffffffull) | (uint64_t{v} << 32) : (cur & ~0xffffffffull) | v;
    offset = cur - raw;
  };
  switch (csr) {
    case kFflags:
    case kFrm:
    case kFcsr:
      if (!(h.misa & isa_bit('F')) || !(h.mstatus & kMstatusFS)) return false;
      fpu::fold_host_flags(h);
      if (csr != kFrm) h.fflags = v & 0x1f;
      if (csr == kFrm) h.frm = v & 7;
      if (csr == kFcsr) h.frm = (v >> 5) & 7;
      h.mstatus |= kMstatusFS;
      return true;
    case kMstatus: {
      uint32_t s = (h.mstatus & ~kMstatusWritable) | (v & kMstatusWritable);
      uint32_t mpp = (s >> 11) & 3;
      if (mpp != 3 && mpp != 0) s &= ~kMstatusMPP;  // WARL: only M and U exist
      if (!(h.misa & isa_bit('F'))) s &= ~kMstatusFS;
      h.mstatus = s;
      h.run_limit = 0;  // an interrupt may now be enabled
      return true;
    }
    case kMie:
      h.mie = v & kMieWritable;
      h.run_limit = 0;
      return true;
    case kMtvec:
      h.mtvec = (v & 3) >= 2 ? v & ~3u : v & ~2u;
      return true;
    case kMcounteren:
      h.mcounteren = v & 7;
      return true;
    case kMscratch:
      h.mscratch = v;
      return true;
    case kMepc:
      h.mepc = v & ~1u;
      return true;
    case kMcause:
      h.mcause = v;
      return true;
    case kMtval:
      h.mtval = v;
      return true;
    case kMcycle:
      set_low(h.mcycle_offset, h.cycle, false);
      return true;
    case kMcycleH:
      set_low(h.mcycle_offset, h.cycle, true);
      return true;
    case kMinstret:
      set_low(h.minstret_offset, h.instret, false);
      return true;
    case kMinstretH:
      set_low(h.minstret_offset, h.instret, true);
      return true;
    case kMisa:
    case kMip:
    case kMstatusH:
    case kMcountinhibit:
      return true;  // WARL, fixed
    default:
      if (in(csr, 0xb03, 0xb1f) || in(csr, 0xb83, 0xb9f) || in(csr, 0x323, 0x33f)) return true;
      return false;
  }
}

void Rv32Exec::csr_instruction(Rv32Cpu& cpu, Hart& h, const DecodedInsn& d, uint32_t operand,
                               int kind, bool write) {
  uint32_t csr = static_cast<uint32_t>(d.imm);
  if (((csr >> 8) & 3) > h.priv) illegal(d);
  if (write && (csr >> 10) == 3) illegal(d);  // read-only CSR
  uint32_t old = 0;
  if (!csr_read(cpu, h, csr, old)) illegal(d);
  if (write) {
    uint32_t value = kind == 0 ? operand : kind == 1 ? old | operand : old & ~operand;
    // minstret written by this instruction must read back as written: it retires afterwards.
    bool instret = csr == kMinstret || csr == kMinstretH;
    if (!csr_write(cpu, h, csr, value)) illegal(d);
    if (instret) --h.minstret_offset;
  }
  h.x[d.rd] = old;
}

void Rv32Exec::take_trap(Rv32Cpu& cpu, Hart& h, uint32_t cause, uint32_t tval) {
  if (h.mtvec == 0) {
    cpu.stop_without_handler(cause, tval);
    return;
  }
  h.mepc = h.pc;
  h.mcause = cause;
  h.mtval = tval;
  uint32_t s = h.mstatus;
  s = (s & ~kMstatusMPIE) | ((s & kMstatusMIE) ? kMstatusMPIE : 0);
  s = (s & ~(kMstatusMIE | kMstatusMPP)) | (h.priv << 11);
  h.mstatus = s;
  h.priv = 3;
  h.reservation = 1;
  h.pending_load = 0;
  uint32_t base = h.mtvec & ~3u;
  bool vectored = (h.mtvec & 1) && (cause & kCauseInterrupt);
  h.pc = vectored ? base + 4 * (cause & 0x7fffffffu) : base;
}

bool Rv32Exec::take_pending_interrupt(Rv32Cpu& cpu, Hart& h) {
  uint32_t pending = h.mip & h.mie;
  if (!pending || (h.priv == 3 && !(h.mstatus & kMstatusMIE))) return false;
  uint32_t cause = (pending & kMipMEIP) ? 11 : (pending & kMipMSIP) ? 3 : 7;
  take_trap(cpu, h, kCauseInterrupt | cause, 0);
  return true;
}

void Rv32Exec::mret(Hart& h, const DecodedInsn& d, uint32_t& npc) {
  if (h.priv != 3) illegal(d);
  uint32_t s = h.mstatus;
  unsigned mpp = (s >> 11) & 3;
  s = (s & ~kMstatusMIE) | ((s & kMstatusMPIE) ? kMstatusMIE : 0);
  s |= kMstatusMPIE;
  s &= ~kMstatusMPP;  // MPP <- U (the least privileged mode)
  if (mpp != 3) s &= ~kMstatusMPRV;
  h.mstatus = s;
  h.priv = mpp;
  h.reservation = 1;
  npc = h.mepc & mepc_mask(h);
  h.run_limit = 0;
}

void Rv32Exec::wfi(Rv32Cpu& cpu, Hart& h, const DecodedInsn& d) {
  if (h.priv != 3 && (h.mstatus & kMstatusTW)) illegal(d);
  if (h.mip & h.mie) return;  // an interrupt is already pending: wfi is a nop
  cpu.sleep_until_interrupt();
}

void Rv32Exec::ebreak(Rv32Cpu& cpu, Hart& h) {
  throw Trap{cpu.debug_hook_ ? kCauseDebugHalt : kCauseBreakpoint, h.pc};
}

void Rv32Exec::fill(Rv32Cpu& cpu, Hart& h, DecodedInsn& d) {
  uint32_t pc = h.pc;
  uint16_t low = 0, high = 0;
  if (!cpu.fetch16(pc, low)) throw Trap{kCauseFetchAccess, pc};
  uint32_t word = low;
  if ((low & 3) == 3) {
    if (!cpu.fetch16(pc + 2, high)) throw Trap{kCauseFetchAccess, pc + 2};
    word |= uint32_t{high} << 16;
  }
  decode_insn(word, h.misa, h.timing, d);
  d.pc = pc;
  h.mark_code_page(pc);
  h.mark_code_page(pc + d.len - 1);
}

}  // namespace flecsim
