// Component kind "rv32": an instruction-accurate RV32IMAFC (+Zicsr, Zifencei, M and U mode) core
// with a timing model, running ahead of SystemC time inside a TLM-2.0 quantum.
//
// One SC_THREAD executes predecoded instructions in a tight loop; every instruction adds the
// cycles of its class (timing: keys), loads/stores to DMI memory add the DMI latency, other
// accesses synchronise and go through b_transport. Interrupt inputs "mtip", "msip", "meip" set
// mip and wake a sleeping `wfi`. The execution core itself lives in hart.h / exec.cpp.
//
// PUBLIC API used by the ELF loader, HTIF and GDB stub (helper "cpu-tools"): everything below
// "Debug and host interface" is stable.
#pragma once
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "cpu/hart.h"
#include "platform/component.h"

namespace flecsim {

// A debugger front end (the GDB stub). All calls come from inside the CPU's SystemC thread, so
// no host threads are needed: on_halt() may block on its socket for as long as it likes.
class DebugHook {
 public:
  enum class Action { kContinue, kStep, kDetach, kKill };
  enum class HaltReason {
    kAttach,      // set_debug_hook(..., halt_at_start = true): before the first instruction
    kBreakpoint,  // pc reached a breakpoint (not yet executed)
    kStep,        // one instruction was executed after Action::kStep
    kEbreak,      // an ebreak executed while attached (pc = the ebreak; not a trap)
    kInterrupt,   // poll_interrupt() returned true (Ctrl-C)
    kExit         // the program ended (stop()); only Action::kDetach/kKill make sense
  };
  virtual ~DebugHook() = default;
  virtual Action on_halt(HaltReason reason) = 0;
  // Polled every few thousand instructions while running (non-blocking check of the socket).
  virtual bool poll_interrupt() { return false; }
};

class Rv32Cpu : public Component {
 public:
  Rv32Cpu(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx);
  ~Rv32Cpu() override;

  tlm_utils::simple_initiator_socket<Rv32Cpu> bus;

  std::string describe() const override;
  void finish() override;

  // ---- Debug and host interface ------------------------------------------------------------
  uint32_t pc() const { return hart_.pc; }
  void set_pc(uint32_t pc) { hart_.pc = pc; }
  uint32_t x(unsigned i) const { return hart_.x[i & 31]; }
  void set_x(unsigned i, uint32_t v) {
    if ((i & 31) != 0) hart_.x[i & 31] = v;
  }
  uint32_t f_bits(unsigned i) const { return hart_.f[i & 31]; }
  void set_f_bits(unsigned i, uint32_t v) { hart_.f[i & 31] = v; }
  // CSR access without side effects on privilege checks; false if the CSR does not exist.
  bool read_csr_debug(uint32_t csr, uint32_t& value);
  bool write_csr_debug(uint32_t csr, uint32_t value);
  uint64_t instret() const { return hart_.instret; }
  // Stops the run (exit 1) when this many instructions have retired (0 = no limit); the same as
  // the max_instructions key. Added by cpu-tools for `flecsim fw --max-instructions`.
  void set_max_instructions(uint64_t n) {
    max_instructions_ = n;
    hart_.instret_limit = n ? n : ~0ull;
  }
  uint64_t cycles() const { return hart_.cycle; }

  // `fn(value)` runs (in the CPU thread, time synchronised) after every store that writes any
  // byte of the 32-bit word at `addr` (DMI or not); value is the word after the store. One watch.
  void set_store_watch(uint32_t addr, std::function<void(uint32_t value)> fn);

  // Memory as the CPU sees it, through transport_dbg on the bus socket (no time passes).
  // Returns the number of bytes transferred (less than len if part is unmapped).
  size_t debug_read(uint32_t addr, void* buf, size_t len);
  size_t debug_write(uint32_t addr, const void* buf, size_t len);  // also drops predecoded code

  void add_breakpoint(uint32_t pc);
  void remove_breakpoint(uint32_t pc);
  // hook == nullptr detaches. halt_at_start: on_halt(kAttach) before the next instruction.
  void set_debug_hook(DebugHook* hook, bool halt_at_start = true);
  // Called with (pc, instruction word) before each instruction executes (--trace-insn).
  void set_insn_trace(std::function<void(uint32_t pc, uint32_t insn)> fn);

  // Ends the run: Platform::request_stop when there is a platform, else sc_stop() keeping the
  // reason (unit tests). The CPU thread stops executing at once.
  void stop(int exit_code, const std::string& reason);
  bool stopped() const { return stopped_; }
  int exit_code() const { return exit_code_; }
  const std::string& stop_reason() const { return stop_reason_; }

  // The interrupt inputs as callables (also exposed as irq ports "mtip", "msip", "meip").
  void set_irq(unsigned mip_bit, bool level);

 private:
  friend struct Rv32Exec;
  void run_thread();
  template <bool kDebug>
  void run_block();
  void handle_trap(const Trap& trap);
  void sync_time();  // waits until SystemC time reaches the core's local time
  uint64_t next_sync_cycle() const;
  void sleep_until_interrupt();  // wfi
  void stop_without_handler(uint32_t cause, uint32_t tval);
  void refresh_debug_mode();
  bool debug_check();  // before an instruction in debug mode; true: halted, re-fetch
  void debug_halt(DebugHook::HaltReason reason);
  void publish_counters();
  void read_config(const Config& cfg);

  // Memory slow paths (the DMI fast path is inline in exec.h).
  bool fetch16(uint32_t addr, uint16_t& value) { return load_slow(addr, &value, 2, true); }
  bool load_slow(uint32_t addr, void* data, unsigned len, bool fetch);
  bool store_slow(uint32_t addr, const void* data, unsigned len);
  bool transport(bool write, uint32_t addr, void* data, unsigned len, bool untimed);
  const DmiRegion* find_region(uint32_t addr, unsigned len, bool write);
  bool try_dmi(uint32_t addr, bool write);
  void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);
  void after_store(uint32_t addr, unsigned len);  // watch + predecoded code invalidation

  Hart hart_;
  tlm_utils::tlm_quantumkeeper qk_;
  sc_core::sc_event wake_;
  Platform* platform_;
  Tick quantum_ps_ = 1000000;
  uint64_t max_instructions_ = 0;
  std::string isa_;
  Tick active_since_ = 0;  // start of the current busy interval (not sleeping)
  uint64_t sleep_cycles_ = 0, device_accesses_ = 0;
  std::set<uint32_t> no_dmi_pages_;
  uint64_t dmi_sink_bits_ = 0,
           dmi_sink_accesses_ = 0;  // DMI traffic of memories that do not count it

  std::set<uint32_t> breakpoints_;
  DebugHook* debug_hook_ = nullptr;
  bool debug_mode_ = false;
  bool halt_pending_ = false;
  DebugHook::HaltReason halt_reason_ = DebugHook::HaltReason::kAttach;
  bool step_armed_ = false, step_done_ = false;
  uint32_t skip_bp_pc_ = 1;
  unsigned poll_counter_ = 0;
  std::function<void(uint32_t, uint32_t)> insn_trace_;
  std::function<void(uint32_t)> watch_fn_;

  bool stopped_ = false;
  int exit_code_ = 0;
  std::string stop_reason_;

  struct Counters;
  std::unique_ptr<Counters> counters_;
};

}  // namespace flecsim
