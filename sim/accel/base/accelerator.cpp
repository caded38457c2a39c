#include "accel/base/accelerator.h"

#include <algorithm>
#include <cstring>

namespace flecsim {

MemResult TlmMemoryChannel::transport(tlm::tlm_command cmd, uint64_t earliest_cycle, uint64_t addr,
                                      uint8_t* data, uint32_t len) {
  tlm::tlm_generic_payload trans;
  trans.set_command(cmd);
  trans.set_address(addr);
  trans.set_data_ptr(data);
  trans.set_data_length(len);
  trans.set_streaming_width(len);
  trans.set_byte_enable_ptr(nullptr);
  trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  Tick issue = clock_.ticks(earliest_cycle);
  Tick now = now_ticks();
  // A request the engine dated before the thread's time (possible inside a CPU quantum)
  // leaves now: loosely-timed, never backwards.
  sc_core::sc_time delay = to_sc_time(issue > now ? issue - now : 0);
  socket_->b_transport(trans, delay);
  MemResult r;
  r.ok = trans.get_response_status() == tlm::TLM_OK_RESPONSE;
  r.accept_cycle = earliest_cycle;
  uint64_t resp = clock_.cycles_ceil(now + to_ticks(delay));
  r.response_cycle = std::max({resp, earliest_cycle + 1, last_response_ + 1});
  last_response_ = r.response_cycle;
  return r;
}

MemResult TlmMemoryChannel::read(uint64_t earliest_cycle, uint64_t addr, uint8_t* dst,
                                 uint32_t len) {
  return transport(tlm::TLM_READ_COMMAND, earliest_cycle, addr, dst, len);
}

MemResult TlmMemoryChannel::write(uint64_t earliest_cycle, uint64_t addr, const uint8_t* src,
                                  uint32_t len) {
  return transport(tlm::TLM_WRITE_COMMAND, earliest_cycle, addr, const_cast<uint8_t*>(src), len);
}

Accelerator::Accelerator(const sc_core::sc_module_name& name, const std::string& kind,
                         BuildContext& ctx, const Config& cfg, unsigned dma_ports)
    : Component(name, kind, ctx), regs_socket_("regs") {
  reg_latency_cycles_ = cfg.integer_in("reg_latency_cycles", 0, 1000, 1);
  regs_socket_.register_b_transport(this, &Accelerator::reg_transport);
  for (unsigned i = 0; i < dma_ports; ++i) {
    std::string port = i == 0 ? "dma" : "dma" + std::to_string(i);
    dma_sockets_.push_back(
        std::make_unique<tlm_utils::simple_initiator_socket<Accelerator>>(port.c_str()));
    channels_.push_back(std::make_unique<TlmMemoryChannel>(*dma_sockets_.back(), clock()));
    expose_initiator(port, *dma_sockets_.back());
  }
  expose_irq_out("irq", irq_);
  SC_THREAD(scheduler);
}

void Accelerator::attach(CommandEngine& engine, RegisterFile& regs) {
  engine_ = &engine;
  regs_ = &regs;
  expose_target("regs", regs_socket_, regs.span(), false);
}

std::string Accelerator::command_name(const CommandCompletion& c) const {
  return "cmd " + std::to_string(c.opcode);
}

void Accelerator::reg_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  uint64_t offset = trans.get_address();
  uint64_t cycle = clock().cycles_ceil(now_ticks() + to_ticks(delay));
  delay += to_sc_time(clock().ticks(reg_latency_cycles_));
  // Only aligned 32-bit accesses reach a register; anything else (and unlisted offsets) reads
  // 0 and is ignored, without a bus error, as the accelerator specs define.
  bool word = trans.get_data_length() == 4 && offset % 4 == 0 && !trans.get_byte_enable_ptr();
  uint32_t value = 0;
  if (trans.is_write()) {
    std::memcpy(&value, trans.get_data_ptr(), std::min(4u, trans.get_data_length()));
    if (word) regs_->write(static_cast<uint32_t>(offset), value, cycle);
    // Wake the scheduler at the local time of the write: a command may start.
    kick_.notify(delay);
  } else {
    if (word) regs_->read(static_cast<uint32_t>(offset), cycle, value);
    std::memset(trans.get_data_ptr(), 0, trans.get_data_length());
    if (word) std::memcpy(trans.get_data_ptr(), &value, 4);
  }
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

void Accelerator::report_completions() {
  const auto& done = engine_->completions();
  for (; reported_ < done.size(); ++reported_) {
    const CommandCompletion& c = done[reported_];
    stats().busy(clock().ticks(c.start_cycle), clock().ticks(c.end_cycle + 1), command_name(c));
  }
}

void Accelerator::scheduler() {
  for (;;) {
    uint64_t cycle = now_cycle();
    engine_->advance(cycle);
    report_completions();
    irq_.set(irq_level(cycle));
    auto next = engine_->next_event(cycle);
    if (next)
      sc_core::wait(to_sc_time(clock().ticks(*next) - now_ticks()), kick_);
    else
      sc_core::wait(kick_);
  }
}

}  // namespace flecsim
