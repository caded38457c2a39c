// The execution loop: predecoded instructions dispatched through one switch generated from
// insns.def (semantics inlined), with the timing model and the debug checks compiled in only
// for the debug variant of the loop.
#include "cpu/exec_insns.h"

namespace flecsim {

const char* insn_class_name(unsigned cls) {
  static const char* const kNames[] = {
#define FLECSIM_CLASS_NAME(n) #n,
      FLECSIM_RV32_CLASSES(FLECSIM_CLASS_NAME)
#undef FLECSIM_CLASS_NAME
  };
  return cls < kNumClasses ? kNames[cls] : "?";
}

// Defaults: a simple in-order single-issue core (documented in docs/cpu.md).
Rv32Timing::Rv32Timing() {
  const uint32_t defaults[kNumClasses] = {
      /*alu*/ 1,    /*mul*/ 3,      /*div*/ 35,
      /*load*/ 1,   /*store*/ 1,    /*branch (not taken)*/ 1,
      /*jump*/ 2,   /*fp_add*/ 3,   /*fp_mul*/ 3,
      /*fp_fma*/ 4, /*fp_div*/ 20,  /*fp_sqrt*/ 25,
      /*fp_cvt*/ 2, /*fp_other*/ 1, /*csr*/ 1,
      /*system*/ 3};
  for (unsigned c = 0; c < kNumClasses; ++c) cycles[c] = defaults[c];
}

void Hart::flush_code_page(uint32_t addr) {
  uint32_t page = addr >> 12;
  if (!((code_pages[page >> 6] >> (page & 63)) & 1)) return;
  code_pages[page >> 6] &= ~(1ull << (page & 63));
  uint32_t start = page << 12;
  // Entries in this page, and a 32-bit instruction straddling in from the previous page.
  for (uint32_t at = start - 2; at != start + 4096; at += 2) {
    DecodedInsn& d = cache_slot(at);
    if (d.pc == at) d.pc = 1;
  }
}

void Hart::flush_all_code() {
  for (DecodedInsn& d : icache) d.pc = 1;
  std::fill(code_pages.begin(), code_pages.end(), 0);
}

template <bool kDebug>
void Rv32Cpu::run_block() {
  Hart& h = hart_;
  try {
    while (h.cycle < h.run_limit && h.instret < h.instret_limit) {
      DecodedInsn* d = &h.cache_slot(h.pc);
      if (d->pc != h.pc) Rv32Exec::fill(*this, h, *d);
      if (kDebug) {
        if (debug_check()) continue;
        if (insn_trace_) insn_trace_(h.pc, d->insn);
      }
      h.cycle += d->cycles;
      if (d->reads & h.pending_load) {
        h.cycle += h.timing.load_use_penalty;
        h.stall_cycles += h.timing.load_use_penalty;
      }
      h.pending_load = d->loads;
      uint32_t npc = h.pc + d->len;
      switch (static_cast<Op>(d->op)) {
#define INSN(name, match, mask, ext, cls, fmt) \
  case Op::name:                               \
    exec_##name(*this, h, *d, npc);            \
    break;
#define CINSN(name, match, mask, ext, expander)
#include "cpu/insns.def"
#undef INSN
#undef CINSN
        default:
          throw Trap{kCauseIllegalInsn, d->insn};
      }
      h.x[0] = 0;
      h.pc = npc;
      ++h.instret;
      ++h.class_count[d->cls];
      if (kDebug && step_armed_) step_done_ = true;
    }
  } catch (const Trap& trap) {
    handle_trap(trap);
  }
}

template void Rv32Cpu::run_block<true>();
template void Rv32Cpu::run_block<false>();

bool Rv32Cpu::debug_check() {
  Hart& h = hart_;
  if (debug_hook_) {
    if (halt_pending_) {
      halt_pending_ = false;
      debug_halt(halt_reason_);
      return true;
    }
    if (step_armed_ && step_done_) {
      debug_halt(DebugHook::HaltReason::kStep);
      return true;
    }
    if (++poll_counter_ >= 4096) {
      poll_counter_ = 0;
      if (debug_hook_->poll_interrupt()) {
        debug_halt(DebugHook::HaltReason::kInterrupt);
        return true;
      }
    }
    if (h.pc != skip_bp_pc_ && !breakpoints_.empty() && breakpoints_.count(h.pc)) {
      debug_halt(DebugHook::HaltReason::kBreakpoint);
      return true;
    }
  }
  skip_bp_pc_ = 1;
  return stopped_;
}

void Rv32Cpu::debug_halt(DebugHook::HaltReason reason) {
  if (!debug_hook_) return;
  Hart& h = hart_;
  publish_counters();
  fpu::release_host_fpu(h);
  DebugHook::Action action = debug_hook_->on_halt(reason);
  fpu::acquire_host_fpu(h);
  step_armed_ = step_done_ = false;
  skip_bp_pc_ = h.pc;
  switch (action) {
    case DebugHook::Action::kContinue:
      break;
    case DebugHook::Action::kStep:
      step_armed_ = true;
      break;
    case DebugHook::Action::kDetach:
      debug_hook_ = nullptr;
      breakpoints_.clear();
      refresh_debug_mode();
      break;
    case DebugHook::Action::kKill:
      stop(1, std::string(name()) + ": killed by the debugger");
      break;
  }
  h.run_limit = 0;
}

}  // namespace flecsim
