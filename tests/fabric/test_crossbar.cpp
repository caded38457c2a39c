// Crossbar and SRAM contention, arbitration, decode errors and DMI, with cycle counts derived by
// hand below. Clock 1 GHz (1 cycle = 1000 ps) unless stated.
#include "harness.h"
#include "mem/sram.h"
#include "traffic/traffic.h"

using namespace flecsim;
using namespace flecsim::test;

namespace {

constexpr uint64_t kSramBase = 0x10000000;

std::vector<Tick> completions(const TrafficGenerator& g) {
  std::vector<Tick> out;
  for (const auto& r : g.records()) out.push_back(r.completed);
  return out;
}

}  // namespace

// Two generators read 32 bytes twice each from one single-ported SRAM (64-bit words, latency 1)
// through a 64-bit crossbar with latency 1, fixed priority A > B. A 32-byte read is 4 beats on
// the crossbar and 4 words in the SRAM; an SRAM read issued at cycle s completes at s + 4 - 1 + 1.
//   t=0 both:  A: crossbar slot 0+1 = 1, [1,5); SRAM [1,5), done 5.
//              B: crossbar target port busy until 5 -> slot 5 [5,9); SRAM done 9.
//   A again at 5: earliest 6, target port busy until 9 -> slot 9 [9,13); done 13.
//   B again at 9: earliest 10, busy until 13 -> slot 13; done 17.
// Stalls on the SRAM port: B 4 (5-1), A 3 (9-6), B 3 (13-10) = 10 cycles.
TEST(Crossbar, TwoInitiatorsContendForOneSramPort) {
  Fabric f(1000000000);
  auto& xbar = f.add<Crossbar>("xbar", R"(
    width_bits: 64
    latency_cycles: 1
    arbitration: fixed-priority
    initiators: [a.mem, b.mem])");
  auto& sram = f.add<Sram>("sram", "size: 4KiB\nwidth_bits: 64\n");
  const std::string script = "script: [{op: read, addr: 0x10000000, bytes: 32, count: 2}]";
  auto& a = f.add<TrafficGenerator>("a", script);
  auto& b = f.add<TrafficGenerator>("b", script);
  xbar.connect_initiator("a.mem", a.mem);
  xbar.connect_initiator("b.mem", b.mem);
  xbar.map_target("sram", sram.socket, kSramBase, 4096, true);
  f.run();
  EXPECT_EQ(completions(a), (std::vector<Tick>{5000, 13000}));
  EXPECT_EQ(completions(b), (std::vector<Tick>{9000, 17000}));
  EXPECT_EQ(f.counter("xbar", "out.sram.stall_cycles"), 10u);
  EXPECT_EQ(f.counter("xbar", "in.b.mem.stall_cycles"), 7u);
  EXPECT_EQ(f.counter("xbar", "out.sram.beats"), 16u);
  EXPECT_EQ(f.counter("xbar", "out.sram.busy_cycles"), 16u);
  EXPECT_EQ(f.counter("sram", "read_bytes"), 128u);
  EXPECT_EQ(f.counter("sram", "read_bits"), 1024u);
}

// A reads at t=0 alone; at t=10 ns A and B both read 8 bytes (1 beat, 1 SRAM cycle).
// Round-robin: the last grant went to A, so at 10 ns B goes first: B slot 11, done 12; A slot
// 12, done 13. Fixed priority (A first in the list): A done 12, B done 13.
static std::pair<Tick, Tick> arbitrate(const std::string& policy) {
  Fabric f(1000000000);
  auto& xbar = f.add<Crossbar>("xbar", "arbitration: " + policy + "\ninitiators: [a.mem, b.mem]");
  auto& sram = f.add<Sram>("sram", "size: 4KiB\nwidth_bits: 64\n");
  auto& a = f.add<TrafficGenerator>("a", R"(script:
    - {op: read, addr: 0x10000000, bytes: 8}
    - {op: read, addr: 0x10000000, bytes: 8, at: 10ns})");
  auto& b =
      f.add<TrafficGenerator>("b", "script: [{op: read, addr: 0x10000008, bytes: 8, at: 10ns}]");
  // Bind B first: the priority order comes from `initiators:`, not from the binding order.
  xbar.connect_initiator("b.mem", b.mem);
  xbar.connect_initiator("a.mem", a.mem);
  xbar.map_target("sram", sram.socket, kSramBase, 4096, true);
  f.run();
  EXPECT_EQ(a.records().at(0).completed, 2000u);
  return {a.records().at(1).completed, b.records().at(0).completed};
}

TEST(Crossbar, RoundRobinVersusFixedPriority) {
  EXPECT_EQ(arbitrate("round-robin"), std::make_pair(Tick(13000), Tick(12000)));
  EXPECT_EQ(arbitrate("fixed-priority"), std::make_pair(Tick(12000), Tick(13000)));
}

// Read and write channels are separate on the crossbar, so a read (A) and a write (B) at t=0
// both get crossbar slot 1. The SRAM then decides:
//  - 1 port, 1 bank: A [1,5) done 5; B waits for the port: [5,9), done 9.
//  - 2 ports, 1 bank: B gets port 1 but bank 0 is held by A during [1,5): same 9, one conflict.
//  - 2 ports, 4 banks: A uses bank k at cycle 1+k. B writes word 32 (bank 0) .. 35 (bank 3):
//    bank 0 at 1 is taken -> start 2: banks 0..3 at 2..5, free -> [2,6), done 6, one conflict.
TEST(Crossbar, SramPortsAndBanks) {
  struct Case {
    const char* sram;
    Tick b_done;
    uint64_t conflicts;
  };
  for (const Case& c :
       {Case{"ports: 1\nbanks: 1\n", 9000, 0}, Case{"ports: 2\nbanks: 1\n", 9000, 1},
        Case{"ports: 2\nbanks: 4\n", 6000, 1}}) {
    Fabric f(1000000000);
    auto& xbar = f.add<Crossbar>("xbar", "arbitration: fixed-priority\ninitiators: [a.mem, b.mem]");
    auto& sram = f.add<Sram>("sram", std::string("size: 4KiB\nwidth_bits: 64\n") + c.sram);
    auto& a = f.add<TrafficGenerator>("a", "script: [{op: read, addr: 0x10000000, bytes: 32}]");
    auto& b = f.add<TrafficGenerator>("b", "script: [{op: write, addr: 0x10000100, bytes: 32}]");
    xbar.connect_initiator("a.mem", a.mem);
    xbar.connect_initiator("b.mem", b.mem);
    xbar.map_target("sram", sram.socket, kSramBase, 4096, true);
    f.run();
    EXPECT_EQ(a.records().at(0).completed, 5000u) << c.sram;
    EXPECT_EQ(b.records().at(0).completed, c.b_done) << c.sram;
    EXPECT_EQ(f.counter("sram", "bank_conflicts"), c.conflicts) << c.sram;
    // The write really landed: data is the low byte of each address.
    EXPECT_EQ(sram.backdoor(0x100, 1)[0], 0x00);
    EXPECT_EQ(sram.backdoor(0x101, 1)[0], 0x01);
  }
}

// Narrow initiator port: `ports: {a.mem: {width_bits: 16}}` makes a 32-byte read 16 beats:
// slot [1,17); the SRAM finishes at 5 but the data needs the port until 17.
TEST(Crossbar, PerPortWidthOverride) {
  Fabric f(1000000000);
  auto& xbar = f.add<Crossbar>("xbar", "ports: {a.mem: {width_bits: 16}}");
  auto& sram = f.add<Sram>("sram", "size: 4KiB\nwidth_bits: 64\n");
  auto& a = f.add<TrafficGenerator>("a", "script: [{op: read, addr: 0x10000000, bytes: 32}]");
  xbar.connect_initiator("a.mem", a.mem);
  xbar.map_target("sram", sram.socket, kSramBase, 4096, true);
  xbar.platform_ready();
  f.run();
  EXPECT_EQ(completions(a), (std::vector<Tick>{17000}));
  EXPECT_EQ(f.counter("xbar", "in.a.mem.beats"), 16u);
}

TEST(Crossbar, UnknownPortOverrideIsAUserError) {
  Fabric f(1000000000);
  auto& xbar = f.add<Crossbar>("xbar", "ports:\n  dma9.mem: {width_bits: 16}\n");
  try {
    xbar.platform_ready();
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(),
                 "test.yaml:2:13: xbar.ports: 'dma9.mem' is neither an initiator nor a target of "
                 "this crossbar");
  }
}

// Unmapped address, and a burst running past the end of a target: both address errors that
// book nothing.
TEST(Crossbar, DecodeMissIsAnAddressError) {
  Fabric f(1000000000);
  auto& xbar = f.add<Crossbar>("xbar", "");
  auto& sram = f.add<Sram>("sram", "size: 4KiB\n");
  auto& a = f.add<TrafficGenerator>("a", R"(script:
    - {op: read, addr: 0x20000000, bytes: 4}
    - {op: write, addr: 0x10000ffc, bytes: 8}
    - {op: read, addr: 0x10000ff8, bytes: 8})");
  xbar.connect_initiator("a.mem", a.mem);
  xbar.map_target("sram", sram.socket, kSramBase, 4096, true);
  f.run();
  ASSERT_EQ(a.records().size(), 3u);
  EXPECT_EQ(a.records()[0].status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(a.records()[1].status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(a.records()[2].status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(f.counter("xbar", "decode_errors"), 2u);
  EXPECT_EQ(f.counter("a", "errors"), 2u);
  EXPECT_EQ(f.counter("xbar", "out.sram.beats"), 1u);
}

// DMI through the crossbar: global addresses, the memory's pointer, latency = SRAM read latency
// (2 cycles) + crossbar latency (3 cycles); debug transport is translated too.
TEST(Crossbar, DmiAndDebugTransportAreTranslated) {
  Fabric f(1000000000);
  auto& xbar = f.add<Crossbar>("xbar", "latency_cycles: 3");
  auto& sram = f.add<Sram>("sram", "size: 4KiB\nread_latency_cycles: 2\nwrite_latency_cycles: 4\n");
  bool checked = false;
  auto& cpu = f.cpu("cpu", [&](TestInitiator& self) {
    tlm::tlm_generic_payload t;
    tlm::tlm_dmi dmi;
    t.set_address(kSramBase + 0x40);
    t.set_command(tlm::TLM_READ_COMMAND);
    ASSERT_TRUE(self.socket->get_direct_mem_ptr(t, dmi));
    EXPECT_EQ(dmi.get_start_address(), kSramBase);
    EXPECT_EQ(dmi.get_end_address(), kSramBase + 4095);
    EXPECT_EQ(dmi.get_dmi_ptr(), sram.backdoor(0, 1));
    EXPECT_EQ(dmi.get_read_latency(), sc_core::sc_time(5, sc_core::SC_NS));
    EXPECT_EQ(dmi.get_write_latency(), sc_core::sc_time(7, sc_core::SC_NS));
    uint32_t v = 0xdeadbeef;
    t.set_command(tlm::TLM_WRITE_COMMAND);
    t.set_data_ptr(reinterpret_cast<unsigned char*>(&v));
    t.set_data_length(4);
    EXPECT_EQ(self.socket->transport_dbg(t), 4u);
    EXPECT_EQ(sram.backdoor(0x40, 4)[0], 0xef);
    t.set_address(0x30000000);
    EXPECT_FALSE(self.socket->get_direct_mem_ptr(t, dmi));
    checked = true;
  });
  xbar.connect_initiator("cpu.socket", cpu.socket);
  xbar.map_target("sram", sram.socket, kSramBase, 4096, true);
  f.run();
  EXPECT_TRUE(checked);
  EXPECT_EQ(f.counter("xbar", "dmi_grants"), 1u);
}

// A target's DMI invalidation reaches every initiator in global addresses, clipped to the range.
TEST(Crossbar, DmiInvalidationIsTranslatedToGlobalAddresses) {
  Fabric f(1000000000);
  auto& xbar = f.add<Crossbar>("xbar", "");
  auto& sram = f.add<Sram>("sram", "size: 4KiB\n");
  auto& cpu = f.cpu("cpu", [&](TestInitiator&) {
    sram.socket->invalidate_direct_mem_ptr(0x100, 0x1ff);
    sram.socket->invalidate_direct_mem_ptr(0, ~0ull);
  });
  xbar.connect_initiator("cpu.socket", cpu.socket);
  xbar.map_target("sram", sram.socket, kSramBase, 4096, true);
  f.run();
  EXPECT_EQ(cpu.invalidations,
            (std::vector<std::pair<uint64_t, uint64_t>>{{kSramBase + 0x100, kSramBase + 0x1ff},
                                                        {kSramBase, kSramBase + 0xfff}}));
}
