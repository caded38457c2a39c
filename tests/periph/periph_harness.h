// Drives one peripheral through its "regs" TLM socket from test code, without a platform.
#pragma once
#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "platform/component.h"
#include "platform/config.h"

namespace flecsim {
void register_periph_kinds(ComponentRegistry&);
}

namespace periph_test {
using namespace flecsim;

class TestInitiator : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<TestInitiator> socket{"socket"};
  explicit TestInitiator(const sc_core::sc_module_name& n) : sc_module(n) {}

  // One access of `len` bytes issued at sc_time_stamp() + issue_delay. Returns the response
  // status; `done` receives the annotated completion delay.
  tlm::tlm_response_status access(bool write, uint64_t addr, uint8_t* data, unsigned len,
                                  Tick issue_delay, Tick* done = nullptr) {
    tlm::tlm_generic_payload t;
    t.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    t.set_address(addr);
    t.set_data_ptr(data);
    t.set_data_length(len);
    t.set_streaming_width(len);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = to_sc_time(issue_delay);
    socket->b_transport(t, delay);
    if (done) *done = to_ticks(delay);
    return t.get_response_status();
  }
  uint32_t read(uint64_t addr, Tick issue_delay = 0, Tick* done = nullptr) {
    uint32_t v = 0xdeadbeef;
    EXPECT_EQ(access(false, addr, reinterpret_cast<uint8_t*>(&v), 4, issue_delay, done),
              tlm::TLM_OK_RESPONSE)
        << "read 0x" << std::hex << addr;
    return v;
  }
  void write(uint64_t addr, uint32_t v, Tick issue_delay = 0, Tick* done = nullptr) {
    EXPECT_EQ(access(true, addr, reinterpret_cast<uint8_t*>(&v), 4, issue_delay, done),
              tlm::TLM_OK_RESPONSE)
        << "write 0x" << std::hex << addr;
  }
};

// Records every level change of an interrupt line with the SystemC time it happened at.
struct IrqRecorder {
  std::vector<std::pair<bool, Tick>> changes;
  void attach(IrqLine& line) {
    line.connect([this](bool level) { changes.emplace_back(level, now_ticks()); });
  }
};

// A device of `kind` built from YAML text, with a test initiator bound to its regs port.
// The core clock is 500 MHz (2000 ps), as on edge-npu.
template <typename Device>
struct Bench {
  StatsRegistry stats{/*tracing=*/true};
  BuildContext ctx;
  std::unique_ptr<Component> device;
  std::unique_ptr<TestInitiator> cpu;

  Bench(const std::string& kind, const std::string& yaml, const std::string& output_dir = "") {
    fresh_simulation();
    // Tests run sc_start over stretches with nothing scheduled; that is intended here.
    sc_core::sc_report_handler::set_actions(sc_core::SC_ID_NO_SC_START_ACTIVITY_,
                                            sc_core::SC_DO_NOTHING);
    ctx.stats = &stats;
    ctx.clock = Clock::from_hz(500000000);
    ctx.output_dir = output_dir;
    ComponentRegistry registry;
    register_periph_kinds(registry);
    Config cfg(parse_yaml_text(yaml.empty() ? "{}" : yaml, "test.yaml"), "peripherals.dev0");
    device = registry.find(kind)->factory("dev0", cfg, ctx);
    cfg.check_unused();
    cpu = std::make_unique<TestInitiator>("cpu");
    cpu->socket.bind(*device->target("regs")->socket);
    sc_core::sc_start(sc_core::SC_ZERO_TIME);  // finish elaboration
  }
  Device& dev() { return *dynamic_cast<Device*>(device.get()); }
  static void run_until(Tick t) { sc_core::sc_start(to_sc_time(t - now_ticks())); }
};

constexpr Tick kCycle = 2000;  // ps at 500 MHz
constexpr Tick kUs = 1000000;

}  // namespace periph_test
