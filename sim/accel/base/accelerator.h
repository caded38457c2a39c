// The base of every accelerator component in a platform: one register port ("regs"), N DMA
// ports ("dma", "dma1", ...), one interrupt line ("irq"), a command engine and statistics.
//
// The behaviour lives in SystemC-free parts a subclass provides: a RegisterFile (what firmware
// sees) and a CommandEngine (queue, per-command timing and data). This class only connects
// them to the platform: register accesses arrive by TLM b_transport at the CPU's local time, DMA
// requests leave through TlmMemoryChannel (b_transport; the returned delay is the response
// time), and one SC_THREAD wakes only at the cycles where a command starts or completes to
// update the interrupt line and report the command as a busy interval for the trace.
#pragma once
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <memory>
#include <string>
#include <vector>

#include "accel/base/command_engine.h"
#include "accel/base/memory_channel.h"
#include "accel/base/register_file.h"
#include "platform/component.h"

namespace flecsim {

// A DMA port of an accelerator as a MemoryChannel: one b_transport per request.
class TlmMemoryChannel : public MemoryChannel {
 public:
  TlmMemoryChannel(InitiatorSocket& socket, const Clock& clock) : socket_(socket), clock_(clock) {}
  MemResult read(uint64_t earliest_cycle, uint64_t addr, uint8_t* dst, uint32_t len) override;
  MemResult write(uint64_t earliest_cycle, uint64_t addr, const uint8_t* src,
                  uint32_t len) override;

 private:
  MemResult transport(tlm::tlm_command cmd, uint64_t earliest_cycle, uint64_t addr, uint8_t* data,
                      uint32_t len);
  InitiatorSocket& socket_;
  const Clock& clock_;
  uint64_t last_response_ = 0;  // responses are in order
};

class Accelerator : public Component {
 public:
  SC_HAS_PROCESS(Accelerator);
  // Reads `reg_latency_cycles` (default 1) from cfg; creates `dma_ports` DMA ports.
  Accelerator(const sc_core::sc_module_name& name, const std::string& kind, BuildContext& ctx,
              const Config& cfg, unsigned dma_ports);

  MemoryChannel& dma(unsigned port) { return *channels_.at(port); }
  // The accelerator's current cycle as seen by the SystemC thread.
  uint64_t now_cycle() const { return clock().cycle_at(now_ticks()); }

 protected:
  // Called by the subclass constructor once its engine and registers exist.
  void attach(CommandEngine& engine, RegisterFile& regs);
  // The level of the interrupt line in `cycle` (after the engine advanced to it).
  virtual bool irq_level(uint64_t cycle) = 0;
  // Names a completed command for the trace ("MVIN", "COMPUTE" ...).
  virtual std::string command_name(const CommandCompletion& c) const;

 private:
  void reg_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  void scheduler();
  void report_completions();

  tlm_utils::simple_target_socket<Accelerator> regs_socket_;
  std::vector<std::unique_ptr<tlm_utils::simple_initiator_socket<Accelerator>>> dma_sockets_;
  std::vector<std::unique_ptr<TlmMemoryChannel>> channels_;
  IrqLine irq_;
  CommandEngine* engine_ = nullptr;
  RegisterFile* regs_ = nullptr;
  uint64_t reg_latency_cycles_;
  size_t reported_ = 0;
  sc_core::sc_event kick_;
};

}  // namespace flecsim
