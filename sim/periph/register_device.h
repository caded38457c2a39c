// Common base of the memory-mapped peripherals: one TLM target port "regs" of 32-bit registers.
//
// Accesses are loosely timed: the absolute time of an access is sc_time_stamp() + delay on
// entry, and every access adds `access_latency_cycles` (default 1) of the component clock to
// the delay. Word accesses (4 bytes, aligned) are the norm; 8-byte aligned accesses are split
// into two word accesses (low word first), 1- and 2-byte reads return the bytes of the
// containing word, and 1- and 2-byte writes at a word address write the zero-extended value
// (so `*(volatile uint8_t*)TXDATA = c` works). Anything else, and offsets with no register,
// answer TLM_ADDRESS_ERROR_RESPONSE. Debug transport is not supported (registers have read side
// effects).
#pragma once
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <string>

#include "platform/component.h"

namespace flecsim {

class RegisterDevice : public Component {
 public:
  RegisterDevice(const sc_core::sc_module_name& name, const std::string& kind, const Config& cfg,
                 BuildContext& ctx, uint64_t size);

  tlm_utils::simple_target_socket<RegisterDevice> regs;

  // Latency each register access adds, in ticks.
  Tick access_latency() const { return access_latency_; }

 protected:
  // Register semantics of the device. `at` is the absolute time of the access in ticks.
  // Return false when no register lives at `offset` (the access then fails).
  virtual bool read_reg(uint64_t offset, Tick at, uint32_t& value) = 0;
  virtual bool write_reg(uint64_t offset, Tick at, uint32_t value) = 0;

  // Where files named in the YAML go: absolute paths stay, relative ones are taken relative to
  // the output directory (or the working directory when there is none).
  static std::string output_path(const BuildContext& ctx, const std::string& path);
  // Called from read_reg/write_reg: the current access completes `ticks` later than the
  // register latency alone (a device that makes the initiator wait, e.g. a full FIFO).
  void stall_access(Tick ticks) { stall_ += ticks; }

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  tlm::tlm_response_status access(tlm::tlm_generic_payload& trans, Tick at);
  bool access_word(bool write, uint64_t offset, Tick at, uint32_t& value);

  Tick access_latency_;
  Tick stall_ = 0;
  Counter& reads_;
  Counter& writes_;
  Counter& errors_;
};

}  // namespace flecsim
