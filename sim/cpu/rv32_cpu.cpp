// The rv32 component: configuration, the SystemC thread and time synchronisation, memory
// slow paths (DMI setup, b_transport), and the debug/host interface.
#include "cpu/rv32_cpu.h"

#include <cstdio>

#include "cpu/exec.h"
#include "platform/platform.h"

namespace flecsim {

struct Rv32Cpu::Counters {
  Counter* by_class[kNumClasses];
  Counter& instructions;
  Counter& cycles;
  Counter& stall_cycles;
  Counter& sleep_cycles;
  Counter& device_accesses;
  explicit Counters(StatGroup& g)
      : instructions(g.counter("instructions", "instructions", "instructions retired")),
        cycles(g.counter("cycles", "cycles", "core cycles elapsed, including sleep")),
        stall_cycles(g.counter("stall_cycles", "cycles", "load-use stall cycles")),
        sleep_cycles(g.counter("sleep_cycles", "cycles", "cycles asleep in wfi")),
        device_accesses(g.counter("device_accesses", "accesses", "non-DMI loads and stores")) {
    for (unsigned c = 0; c < kNumClasses; ++c)
      by_class[c] = &g.counter(std::string("instructions_") + insn_class_name(c), "instructions",
                               "instructions retired of this timing class");
  }
};

namespace {

uint32_t parse_isa(const Config& cfg, const std::string& isa) {
  std::string s = isa.substr(0, isa.find('_'));  // "_zicsr_zifencei" suffixes are implied
  if (s.rfind("rv32", 0) != 0 || s.size() < 5 || s[4] != 'i')
    cfg.fail("isa",
             "expected 'rv32i' followed by extension letters (m, a, f, c), got '" + isa + "'");
  uint32_t bits = isa_bit('I') | isa_bit('U');
  for (size_t i = 5; i < s.size(); ++i) {
    char c = s[i];
    if (c != 'm' && c != 'a' && c != 'f' && c != 'c')
      cfg.fail("isa", std::string("unsupported extension '") + c + "' in '" + isa +
                          "' (supported: rv32i with m, a, f, c)");
    bits |= isa_bit(static_cast<char>(c - 'a' + 'A'));
  }
  return bits | (1u << 30);  // MXL = 32
}

}  // namespace

Rv32Cpu::Rv32Cpu(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx)
    : Component(name, "rv32", ctx), bus("bus"), platform_(ctx.platform) {
  read_config(cfg);
  counters_ = std::make_unique<Counters>(stats());
  bus.register_invalidate_direct_mem_ptr(this, &Rv32Cpu::invalidate_direct_mem_ptr);
  expose_initiator("bus", bus);
  expose_irq_in("msip", [this](bool level) { set_irq(3, level); });
  expose_irq_in("mtip", [this](bool level) { set_irq(7, level); });
  expose_irq_in("meip", [this](bool level) { set_irq(11, level); });
  SC_HAS_PROCESS(Rv32Cpu);
  SC_THREAD(run_thread);
}

Rv32Cpu::~Rv32Cpu() = default;

void Rv32Cpu::read_config(const Config& cfg) {
  Hart& h = hart_;
  h.pc = static_cast<uint32_t>(cfg.integer_in("reset_pc", 0, 0xffffffffull, 0x80000000ull));
  isa_ = cfg.str("isa", "rv32imafc");
  h.misa = parse_isa(cfg, isa_);
  h.has_c = h.misa & isa_bit('C');
  quantum_ps_ = cfg.picoseconds("quantum", 1000000);
  if (quantum_ps_ == 0) cfg.fail("quantum", "must be greater than zero");
  max_instructions_ = cfg.integer("max_instructions", 0);
  uint64_t timebase_hz = cfg.hertz("timebase", 1000000);
  if (timebase_hz == 0) cfg.fail("timebase", "must be greater than zero");
  h.timebase_ps = 1000000000000ull / timebase_hz;
  h.period_ps = clock().period_ps;
  Config t = cfg.sub("timing");
  for (unsigned c = 0; c < kNumClasses; ++c) {
    std::string key = insn_class_name(c);
    if (c == kClass_branch) key = "branch_not_taken";
    h.timing.cycles[c] = static_cast<uint32_t>(t.integer_in(key, 0, 255, h.timing.cycles[c]));
  }
  h.timing.branch_taken =
      static_cast<uint32_t>(t.integer_in("branch_taken", 0, 255, h.timing.branch_taken));
  h.timing.load_use_penalty =
      static_cast<uint32_t>(t.integer_in("load_use_penalty", 0, 255, h.timing.load_use_penalty));
  h.mstatus = kMstatusMPP | ((h.misa & isa_bit('F')) ? 1u << 13 : 0);  // FS = Initial
  h.instret_limit = max_instructions_ ? max_instructions_ : ~0ull;
}

std::string Rv32Cpu::describe() const {
  char buf[128];
  std::snprintf(buf, sizeof buf, "rv32 %s, reset pc 0x%08x, quantum %llu ps", isa_.c_str(),
                hart_.pc, static_cast<unsigned long long>(quantum_ps_));
  return buf;
}

// ---- time ------------------------------------------------------------------------------------

uint64_t Rv32Cpu::next_sync_cycle() const {
  Tick now = now_ticks();
  Tick boundary = (now / quantum_ps_ + 1) * quantum_ps_;
  uint64_t cycle = (boundary + hart_.period_ps - 1) / hart_.period_ps;
  return cycle > hart_.cycle ? cycle : hart_.cycle + 1;
}

void Rv32Cpu::sync_time() {
  Hart& h = hart_;
  Tick local = h.cycle * h.period_ps, now = now_ticks();
  publish_counters();
  if (local > now) {
    fpu::release_host_fpu(h);
    qk_.set(to_sc_time(local - now));
    qk_.sync();
    fpu::acquire_host_fpu(h);
  }
  if (platform_ && platform_->stop_requested()) stopped_ = true;
  h.run_limit = 0;  // interrupts may have arrived: re-check before the next instruction
}

void Rv32Cpu::sleep_until_interrupt() {
  Hart& h = hart_;
  sync_time();
  Tick start = now_ticks();
  if (start > active_since_) stats().busy(active_since_, start, "run");
  fpu::release_host_fpu(h);
  while (!(h.mip & h.mie) && !stopped_) {
    sc_core::wait(wake_);
    if (platform_ && platform_->stop_requested()) stopped_ = true;
  }
  fpu::acquire_host_fpu(h);
  uint64_t wake_cycle = clock().cycles_ceil(now_ticks());
  if (wake_cycle > h.cycle) {
    sleep_cycles_ += wake_cycle - h.cycle;
    h.cycle = wake_cycle;
  }
  active_since_ = h.cycle * h.period_ps;
  h.run_limit = 0;
}

void Rv32Cpu::set_irq(unsigned mip_bit, bool level) {
  uint32_t bit = 1u << mip_bit;
  hart_.mip = level ? hart_.mip | bit : hart_.mip & ~bit;
  hart_.run_limit = 0;
  if (level) wake_.notify(sc_core::SC_ZERO_TIME);
}

void Rv32Cpu::publish_counters() {
  const Hart& h = hart_;
  Counters& c = *counters_;
  uint64_t total = 0;
  for (unsigned k = 0; k < kNumClasses; ++k) {
    c.by_class[k]->value = h.class_count[k];
    total += h.class_count[k];
  }
  c.instructions.value = total;
  c.cycles.value = h.cycle;
  c.stall_cycles.value = h.stall_cycles;
  c.sleep_cycles.value = sleep_cycles_;
  c.device_accesses.value = device_accesses_;
}

void Rv32Cpu::finish() {
  publish_counters();
  Tick end = hart_.cycle * hart_.period_ps;
  if (end > active_since_) stats().busy(active_since_, end, "run");
  active_since_ = end;
}

void Rv32Cpu::stop(int exit_code, const std::string& reason) {
  if (stopped_) return;
  stopped_ = true;
  exit_code_ = exit_code;
  stop_reason_ = reason;
  hart_.run_limit = 0;
  if (platform_)
    platform_->request_stop(exit_code, reason);
  else
    sc_core::sc_stop();
}

void Rv32Cpu::stop_without_handler(uint32_t cause, uint32_t tval) {
  static const char* const kNames[] = {"instruction address misaligned",
                                       "instruction access fault",
                                       "illegal instruction",
                                       "breakpoint",
                                       "load address misaligned",
                                       "load access fault",
                                       "store address misaligned",
                                       "store access fault",
                                       "ecall from U-mode",
                                       "?",
                                       "?",
                                       "ecall from M-mode"};
  char buf[256];
  uint32_t pc = hart_.pc;
  if (cause & kCauseInterrupt) {
    std::snprintf(buf, sizeof buf, "%s: interrupt %u at pc 0x%08x and no trap handler (mtvec = 0)",
                  name(), cause & 0x7fffffffu, pc);
  } else {
    uint32_t word = 0;
    if (cause == kCauseIllegalInsn)
      word = tval;
    else
      debug_read(pc, &word, 4);
    if (is_compressed(word)) word &= 0xffff;
    const char* what = cause < 12 ? kNames[cause] : "exception";
    std::snprintf(buf, sizeof buf,
                  "%s: %s at pc 0x%08x: instruction 0x%0*x (%s), tval 0x%08x, and no trap "
                  "handler (mtvec = 0)",
                  name(), what, pc, is_compressed(word) ? 4 : 8, word,
                  disassemble(word, pc).c_str(), tval);
  }
  stop(1, buf);
}

// ---- the thread ------------------------------------------------------------------------------

void Rv32Cpu::run_thread() {
  Hart& h = hart_;
  fpu::acquire_host_fpu(h);
  active_since_ = now_ticks();
  if (h.cycle * h.period_ps < active_since_) h.cycle = clock().cycles_ceil(active_since_);
  while (!stopped_) {
    if (h.instret >= h.instret_limit) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "%s: max_instructions (%llu) reached at pc 0x%08x", name(),
                    static_cast<unsigned long long>(max_instructions_), h.pc);
      stop(1, buf);
      break;
    }
    Rv32Exec::take_pending_interrupt(*this, h);
    if (stopped_) break;
    uint64_t sync_cycle = next_sync_cycle();
    h.run_limit = sync_cycle;
    if (debug_mode_)
      run_block<true>();
    else
      run_block<false>();
    if (stopped_) break;
    if (h.cycle >= sync_cycle) sync_time();
  }
  fpu::release_host_fpu(h);
  finish();
  if (debug_hook_) debug_hook_->on_halt(DebugHook::HaltReason::kExit);
}

void Rv32Cpu::handle_trap(const Trap& trap) {
  if (trap.cause == kCauseDebugHalt) {
    debug_halt(DebugHook::HaltReason::kEbreak);
    return;
  }
  Rv32Exec::take_trap(*this, hart_, trap.cause, trap.tval);
  if (step_armed_) step_done_ = true;
}

// ---- memory ----------------------------------------------------------------------------------

const DmiRegion* Rv32Cpu::find_region(uint32_t addr, unsigned len, bool write) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    for (const DmiRegion& r : hart_.dmi)
      if (uint64_t{addr} >= r.start && uint64_t{addr} - r.start + len <= r.size &&
          (!write || r.writable))
        return &r;
    if (attempt == 0 && !try_dmi(addr, write)) return nullptr;
  }
  return nullptr;
}

bool Rv32Cpu::try_dmi(uint32_t addr, bool write) {
  uint32_t page = addr >> 12;
  if (no_dmi_pages_.count(page)) return false;
  tlm::tlm_generic_payload t;
  t.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  t.set_address(addr);
  tlm::tlm_dmi dmi;
  DmiTrafficExtension traffic;
  traffic.read = traffic.write = {&dmi_sink_bits_, &dmi_sink_accesses_};
  t.set_extension(&traffic);
  const bool granted = bus->get_direct_mem_ptr(t, dmi);
  t.clear_extension(&traffic);
  if (!granted || !(write ? dmi.is_write_allowed() : dmi.is_read_allowed()) ||
      dmi.get_start_address() > addr || dmi.get_end_address() < addr) {
    no_dmi_pages_.insert(page);
    return false;
  }
  DmiRegion r;
  r.start = dmi.get_start_address();
  r.size = dmi.get_end_address() - r.start + 1;
  r.ptr = dmi.get_dmi_ptr();
  r.read_cycles = static_cast<uint32_t>(clock().cycles_ceil(to_ticks(dmi.get_read_latency())));
  r.write_cycles = static_cast<uint32_t>(clock().cycles_ceil(to_ticks(dmi.get_write_latency())));
  r.writable = dmi.is_write_allowed();
  r.read_traffic = traffic.read;
  r.write_traffic = traffic.write;
  hart_.dmi.push_back(r);
  return true;
}

void Rv32Cpu::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end) {
  Hart& h = hart_;
  std::vector<DmiRegion> kept;
  for (const DmiRegion& r : h.dmi)
    if (r.start + r.size <= start || r.start > end) kept.push_back(r);
  h.dmi.swap(kept);
  h.dmi_last[0] = h.dmi_last[1] = DmiRegion();
  no_dmi_pages_.clear();
  h.flush_all_code();
}

bool Rv32Cpu::load_slow(uint32_t addr, void* data, unsigned len, bool fetch) {
  if (const DmiRegion* r = find_region(addr, len, false)) {
    std::memcpy(data, r->ptr + (addr - r->start), len);
    if (!fetch) {
      hart_.dmi_last[0] = *r;
      hart_.cycle += r->read_cycles;
      r->count_read(len);
    }
    return true;
  }
  return transport(false, addr, data, len, fetch);
}

bool Rv32Cpu::store_slow(uint32_t addr, const void* data, unsigned len) {
  if (const DmiRegion* r = find_region(addr, len, true)) {
    std::memcpy(r->ptr + (addr - r->start), data, len);
    hart_.dmi_last[1] = *r;
    hart_.cycle += r->write_cycles;
    r->count_write(len);
    return true;
  }
  return transport(true, addr, const_cast<void*>(data), len, false);
}

bool Rv32Cpu::transport(bool write, uint32_t addr, void* data, unsigned len, bool untimed) {
  if (!untimed) sync_time();  // devices see the access at the right time
  tlm::tlm_generic_payload t;
  t.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  t.set_address(addr);
  t.set_data_ptr(static_cast<unsigned char*>(data));
  t.set_data_length(len);
  t.set_streaming_width(len);
  t.set_byte_enable_ptr(nullptr);
  t.set_dmi_allowed(false);
  t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  bus->b_transport(t, delay);
  if (t.is_response_error()) return false;
  if (!untimed) {
    hart_.cycle += clock().cycles_ceil(to_ticks(delay));
    ++device_accesses_;
    if (platform_ && platform_->stop_requested()) stopped_ = true;
    hart_.run_limit = 0;  // the access may have raised an interrupt
  }
  return true;
}

void Rv32Cpu::after_store(uint32_t addr, unsigned len) {
  Hart& h = hart_;
  if (h.is_code_page(addr)) h.flush_code_page(addr);
  if (h.is_code_page(addr + len - 1)) h.flush_code_page(addr + len - 1);
  if ((addr & ~3u) == h.watch_word && watch_fn_) {
    uint32_t value = 0;
    debug_read(h.watch_word, &value, 4);
    sync_time();
    watch_fn_(value);
    if (platform_ && platform_->stop_requested()) stopped_ = true;
  }
}

// ---- debug and host interface ----------------------------------------------------------------

void Rv32Cpu::set_store_watch(uint32_t addr, std::function<void(uint32_t)> fn) {
  watch_fn_ = std::move(fn);
  hart_.watch_word = watch_fn_ ? (addr & ~3u) : 1;
}

size_t Rv32Cpu::debug_read(uint32_t addr, void* buf, size_t len) {
  tlm::tlm_generic_payload t;
  t.set_command(tlm::TLM_READ_COMMAND);
  t.set_address(addr);
  t.set_data_ptr(static_cast<unsigned char*>(buf));
  t.set_data_length(static_cast<unsigned>(len));
  t.set_streaming_width(static_cast<unsigned>(len));
  return bus->transport_dbg(t);
}

size_t Rv32Cpu::debug_write(uint32_t addr, const void* buf, size_t len) {
  tlm::tlm_generic_payload t;
  t.set_command(tlm::TLM_WRITE_COMMAND);
  t.set_address(addr);
  t.set_data_ptr(static_cast<unsigned char*>(const_cast<void*>(buf)));
  t.set_data_length(static_cast<unsigned>(len));
  t.set_streaming_width(static_cast<unsigned>(len));
  size_t done = bus->transport_dbg(t);
  for (uint64_t a = addr & ~0xfffull; a < uint64_t{addr} + len; a += 0x1000)
    hart_.flush_code_page(static_cast<uint32_t>(a));
  return done;
}

bool Rv32Cpu::read_csr_debug(uint32_t csr, uint32_t& value) {
  unsigned priv = hart_.priv;
  hart_.priv = 3;
  bool ok = Rv32Exec::csr_read(*this, hart_, csr, value);
  hart_.priv = priv;
  return ok;
}

bool Rv32Cpu::write_csr_debug(uint32_t csr, uint32_t value) {
  uint32_t old;
  if (!read_csr_debug(csr, old)) return false;
  return Rv32Exec::csr_write(*this, hart_, csr, value);
}

void Rv32Cpu::add_breakpoint(uint32_t pc) {
  breakpoints_.insert(pc);
  refresh_debug_mode();
}

void Rv32Cpu::remove_breakpoint(uint32_t pc) {
  breakpoints_.erase(pc);
  refresh_debug_mode();
}

void Rv32Cpu::set_debug_hook(DebugHook* hook, bool halt_at_start) {
  debug_hook_ = hook;
  halt_pending_ = hook && halt_at_start;
  halt_reason_ = DebugHook::HaltReason::kAttach;
  refresh_debug_mode();
}

void Rv32Cpu::set_insn_trace(std::function<void(uint32_t, uint32_t)> fn) {
  insn_trace_ = std::move(fn);
  refresh_debug_mode();
}

void Rv32Cpu::refresh_debug_mode() {
  debug_mode_ = debug_hook_ || !breakpoints_.empty() || insn_trace_;
  hart_.run_limit = 0;
}

void register_cpu_kinds(ComponentRegistry& registry) {
  registry.add("rv32", "cpu",
               "RV32IMAFC instruction-set simulator (M/U mode) with a per-class timing model",
               [](const std::string& name, const Config& cfg, BuildContext& ctx) {
                 return std::make_unique<Rv32Cpu>(name.c_str(), cfg, ctx);
               });
}

}  // namespace flecsim
