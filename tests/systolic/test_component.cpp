// kind: systolic, model: tlm inside SystemC: registers over TLM, DMA through b_transport with
// the memory's latency as response time, the interrupt line, statistics and busy intervals.
#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstring>

#include "accel/systolic/systolic.h"
#include "accel/systolic/systolic_spec.h"

using namespace flecsim;
using namespace flecsim::systolic;

namespace {

constexpr Tick kPeriod = 2000;  // 500 MHz

// A memory with a fixed 10 ns (5 cycle) latency.
struct Memory : sc_core::sc_module {
  tlm_utils::simple_target_socket<Memory> socket{"socket"};
  std::vector<uint8_t> bytes = std::vector<uint8_t>(4096);
  explicit Memory(sc_core::sc_module_name n) : sc_module(n) {
    socket.register_b_transport(this, &Memory::transport);
  }
  void transport(tlm::tlm_generic_payload& t, sc_core::sc_time& delay) {
    uint64_t a = t.get_address();
    if (a + t.get_data_length() > bytes.size()) {
      t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    if (t.is_read())
      std::memcpy(t.get_data_ptr(), &bytes[a], t.get_data_length());
    else
      std::memcpy(&bytes[a], t.get_data_ptr(), t.get_data_length());
    delay += sc_core::sc_time(10, sc_core::SC_NS);
    t.set_response_status(tlm::TLM_OK_RESPONSE);
  }
};

// Writes one register per cycle from time 0.
struct Cpu : sc_core::sc_module {
  SC_HAS_PROCESS(Cpu);
  tlm_utils::simple_initiator_socket<Cpu> socket{"socket"};
  std::vector<std::pair<uint32_t, uint32_t>> writes;
  explicit Cpu(sc_core::sc_module_name n) : sc_module(n) { SC_THREAD(run); }
  void run() {
    for (auto [off, v] : writes) {
      tlm::tlm_generic_payload t;
      t.set_command(tlm::TLM_WRITE_COMMAND);
      t.set_address(off);
      t.set_data_ptr(reinterpret_cast<unsigned char*>(&v));
      t.set_data_length(4);
      t.set_streaming_width(4);
      sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
      socket->b_transport(t, delay);
      EXPECT_TRUE(t.is_response_ok());
      wait(sc_core::sc_time::from_value(kPeriod));
    }
  }
};

TEST(SystolicComponent, MvinThroughTlmRaisesIrqAtTheSpecCycle) {
  fresh_simulation();
  StatsRegistry stats(true);
  BuildContext ctx;
  ctx.stats = &stats;
  ctx.clock = Clock::from_hz(500000000);
  Config cfg(parse_yaml_text("kind: systolic\nmodel: tlm\nrows: 4\ncols: 4\n", "t.yaml"),
             "accelerators.systolic0");
  auto& kind = *[] {
    static ComponentRegistry r;
    register_accel_kinds(r);
    return &r;
  }();
  auto accel = kind.find("systolic")->factory("systolic0", cfg, ctx);
  cfg.check_unused();
  Memory mem("mem");
  Cpu cpu("cpu");
  for (int i = 0; i < 16; ++i) mem.bytes[i] = uint8_t(i + 1);
  cpu.writes = {{kRegIrqEnable, 1}, {kRegArg0, 0},           {kRegArg1, 4},
                {kRegArg2, 0},      {kRegArg3, 4 | 4 << 16}, {kRegCmd, kOpMvin | kCmdIrqOnDone}};
  cpu.socket.bind(*accel->target("regs")->socket);
  accel->initiator("dma")->bind(mem.socket);
  Tick irq_rise = 0;
  accel->irq_out("irq")->connect([&](bool level) {
    if (level && !irq_rise) irq_rise = now_ticks();
  });
  sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_US));
  // CMD written in cycle 5: S = 6, V = 7..10, R = V + 5 = 12..15, C = 16; irq in cycle 17.
  EXPECT_EQ(irq_rise, 17 * kPeriod);
  StatGroup& g = accel->stats();
  EXPECT_EQ(g.find("dma_beats")->value, 4u);
  EXPECT_EQ(g.find("sp_write_bits")->value, 4u * 4 * 8);
  EXPECT_EQ(g.busy_total_ps(), (16 + 1 - 6) * kPeriod);  // cycles S..C
  EXPECT_NE(accel->describe().find("4x4"), std::string::npos);
}

TEST(SystolicComponent, RejectsBadKeys) {
  fresh_simulation();
  StatsRegistry stats;
  BuildContext ctx;
  ctx.stats = &stats;
  ComponentRegistry r;
  register_accel_kinds(r);
  Config cfg(parse_yaml_text("kind: systolic\nrows: 4\ncols: 8\n", "t.yaml"), "a");
  try {
    r.find("systolic")->factory("s", cfg, ctx);
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("t.yaml:3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("non-square"), std::string::npos) << e.what();
  }
}

}  // namespace
