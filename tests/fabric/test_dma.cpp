// DMA timing over the crossbar with DRAM and SRAM timing, strided patterns, chains and errors.
#include <cstring>

#include "dma/dma.h"
#include "harness.h"
#include "mem/dram.h"
#include "mem/sram.h"

using namespace flecsim;
using namespace flecsim::test;
using namespace flecsim::dma_regs;

namespace {

constexpr uint64_t kSramBase = 0x10000000, kDramBase = 0x80000000;
constexpr uint64_t kCh0 = kChannelBase;

struct DmaRig {
  Fabric f;
  Crossbar* xbar;
  Sram* sram;
  Dram* dram;
  Dma* dma;
  std::vector<std::pair<Tick, bool>> irq_edges;

  DmaRig(uint64_t hz, const std::string& dma_yaml) : f(hz) {
    xbar = &f.add<Crossbar>("xbar", "width_bits: 64\nlatency_cycles: 1\n");
    sram = &f.add<Sram>("sram", "size: 4KiB\nwidth_bits: 64\n");
    dram = &f.add<Dram>("dram", "preset: LPDDR4-3200\nsize: 1MiB\nchannels: 1\nbanks: 2\n");
    dma = &f.add<Dma>("dma", dma_yaml);
    xbar->connect_initiator("dma.mem", dma->mem);
    xbar->map_target("sram", sram->socket, kSramBase, 4096, true);
    xbar->map_target("dram", dram->socket, kDramBase, 1 << 20, false);
    dma->irq.connect([this](bool level) { irq_edges.push_back({now_ticks(), level}); });
  }
  void put_descriptor(uint64_t sram_offset, const DmaDescriptor& d) {
    auto bytes = d.encode();
    std::memcpy(sram->backdoor(sram_offset, bytes.size()), bytes.data(), bytes.size());
  }
  // A CPU that starts channel 0 on the descriptor at `desc` and, after `settle`, reads back
  // STATUS, IRQ_STATUS, ERROR_CODE, ERROR_ADDR, then clears the interrupt.
  std::vector<uint32_t> start_and_collect(uint64_t desc, Tick settle) {
    std::vector<uint32_t> regs;
    auto& cpu = f.cpu("cpu", [=, &regs](TestInitiator& self) {
      self.write32(kCh0 + kDescAddr, static_cast<uint32_t>(desc));
      self.write32(kCh0 + kCtrl, kCtrlStart | kCtrlIrqEnable);
      sc_core::wait(to_sc_time(settle));
      for (uint64_t r : {kCh0 + kStatus, kIrqStatus, kCh0 + kErrorCode, kCh0 + kErrorAddr,
                         kCh0 + kDescsDone, kCh0 + kBytesDone})
        regs.push_back(self.read32(r));
      self.write32(kIrqStatus, 1);
    });
    cpu.socket.bind(dma->regs);
    f.run();
    return regs;
  }
};

}  // namespace

// 64 bytes DRAM -> SRAM in 32-byte bursts; core clock 800 MHz (1250 ps = 2 DRAM cycles of
// 625 ps); crossbar and DMA 64-bit, crossbar latency 1; SRAM 64-bit, latency 1, one port; DRAM
// LPDDR4-3200 on 1 channel (tRCD 29, CL 28, burst 8 DRAM cycles). Core cycles are "c", DRAM
// cycles "d".
//  CPU writes DESC_ADDR at 0 (register access 1c), CTRL.START at 1c: the channel starts at 2c.
//  Descriptor fetch (64 B from SRAM): crossbar slot 3c, 8 beats [3,11)c; SRAM [3,11)c -> 11c.
//  Burst 0 issues at 11c: read DRAM, crossbar slot 12c [12,16)c; DRAM sees 15000 ps = 24d:
//    miss: ACT 24d, RD 53d, data [81, 89)d -> 55625 ps. Write SRAM: edge 45c, slot 46c
//    [46,50)c; SRAM [46,50)c -> 50c = 62500 ps.
//  outstanding 1: burst 1 issues when burst 0 is complete, 50c: crossbar slot 51c; DRAM at 102d:
//    row hit, RD 102d, data [130, 138)d -> 86250 ps = 69c; write slot 70c, SRAM [70,74)c -> 74c.
//  outstanding 2: burst 1 issues 4 cycles (32 B on 64 bits) after burst 0: 15c; crossbar slot
//    16c [16,20)c; DRAM at 32d: hit but RD waits for tCCD after RD 53d: 61d; data bus busy
//    until 89d -> [89, 97)d -> 60625 ps; write: edge 49c, slot 50c, SRAM [50,54)c -> 54c.
TEST(Dma, DramToSramOverPortWidthAndDramTiming) {
  for (auto [outstanding, end_cycle] : {std::pair<int, Tick>{1, 74}, {2, 54}}) {
    DmaRig rig(800000000, "channels: 1\nwidth_bits: 64\nburst_bytes: 32\noutstanding: " +
                              std::to_string(outstanding));
    for (unsigned i = 0; i < 64; ++i) rig.dram->backdoor(i, 1)[0] = static_cast<uint8_t>(3 * i);
    DmaDescriptor d;
    d.src = kDramBase;
    d.dst = kSramBase + 0x100;
    d.size = {64, 1, 1, 1};
    d.flags = kFlagLast;
    rig.put_descriptor(0, d);
    auto regs = rig.start_and_collect(kSramBase, 200000);
    const Tick end = end_cycle * 1250;
    ASSERT_EQ(rig.irq_edges.size(), 2u) << outstanding;
    EXPECT_EQ(rig.irq_edges[0], std::make_pair(end, true)) << outstanding;
    EXPECT_EQ(rig.irq_edges[1].second, false);
    EXPECT_EQ(regs, (std::vector<uint32_t>{kStatusDone, 1, 0, 0, 1, 64}));
    for (unsigned i = 0; i < 64; ++i)
      ASSERT_EQ(rig.sram->backdoor(0x100 + i, 1)[0], static_cast<uint8_t>(3 * i)) << i;
    EXPECT_EQ(rig.f.counter("dma", "bytes_moved"), 64u);
    EXPECT_EQ(rig.f.counter("dma", "busy_cycles"), end_cycle - 2);
    EXPECT_EQ(rig.f.counter("dram", "row_misses"), 1u);
    EXPECT_EQ(rig.f.counter("dram", "row_hits"), 1u);
  }
}

// 3-D gather SRAM -> SRAM, 1 GHz: rows of 8 bytes, 2 rows 16 bytes apart, 2 planes 64 bytes
// apart, packed densely at the destination. 4 bursts of 1 beat; outstanding 2; one SRAM port
// shared by reads and writes (crossbar read and write channels are separate).
//  Start 2c; descriptor fetch [3,11) -> 11.
//  b0 issue 11: read xbar/SRAM 12 -> 13; write slot 14, SRAM 14 -> 15.
//  b1 issue 12 (1 beat after b0): read 13 (xbar read channel free after b0's [12,13)), SRAM
//     port free at 13 -> 14; write at 14: slot 15 (write channel [14,15) taken), SRAM 15 -> 16.
//  b2 issue max(13, b0 done 15) = 15: read slot 16, SRAM 16 -> 17; write slot 18 -> 19.
//  b3 issue max(16, b1 done 16) = 16: read slot 17, SRAM [17,18) free -> 18; write slot 19
//     (write channel [18,19) taken), SRAM 19 -> 20.  End 20c = 20000 ps.
TEST(Dma, Strided3dGather) {
  DmaRig rig(1000000000, "channels: 2\nwidth_bits: 64\noutstanding: 2\n");
  for (unsigned i = 0; i < 128; ++i) rig.sram->backdoor(i, 1)[0] = static_cast<uint8_t>(i);
  DmaDescriptor d;
  d.src = kSramBase;
  d.dst = kSramBase + 0x400;
  d.size = {8, 2, 2, 0};
  d.src_stride = {16, 64, 0};
  d.dst_stride = {8, 16, 0};
  d.flags = kFlagLast | kFlagIrq;
  rig.put_descriptor(0x200, d);
  auto regs = rig.start_and_collect(kSramBase + 0x200, 100000);
  ASSERT_FALSE(rig.irq_edges.empty());
  EXPECT_EQ(rig.irq_edges[0], std::make_pair(Tick(20000), true));
  EXPECT_EQ(regs[0], kStatusDone);
  std::vector<uint8_t> expect;
  for (unsigned base : {0u, 16u, 64u, 80u})
    for (unsigned i = 0; i < 8; ++i) expect.push_back(static_cast<uint8_t>(base + i));
  const uint8_t* got = rig.sram->backdoor(0x400, 32);
  EXPECT_EQ(std::vector<uint8_t>(got, got + 32), expect);
  EXPECT_EQ(rig.f.counter("dma", "bursts"), 4u);
}

// Two chained descriptors; the second writes to a fixed (stream) address, so only its last
// burst's data stays there.
TEST(Dma, ChainedDescriptorsAndFixedDestination) {
  DmaRig rig(1000000000, "burst_bytes: 8\n");
  for (unsigned i = 0; i < 32; ++i) rig.sram->backdoor(i, 1)[0] = static_cast<uint8_t>(100 + i);
  DmaDescriptor first, second;
  first.src = kSramBase;
  first.dst = kSramBase + 0x300;
  first.size = {16, 1, 1, 1};
  first.next = kSramBase + 0x240;
  second.src = kSramBase + 16;
  second.dst = kSramBase + 0x380;
  second.size = {16, 1, 1, 1};
  second.flags = kFlagLast | kFlagFixedDst;
  rig.put_descriptor(0x200, first);
  rig.put_descriptor(0x240, second);
  auto regs = rig.start_and_collect(kSramBase + 0x200, 100000);
  EXPECT_EQ(regs, (std::vector<uint32_t>{kStatusDone, 1, 0, 0, 2, 32}));
  EXPECT_EQ(rig.sram->backdoor(0x300, 1)[0], 100);
  EXPECT_EQ(rig.sram->backdoor(0x30f, 1)[0], 115);
  EXPECT_EQ(rig.sram->backdoor(0x380, 1)[0], 124);  // second burst of descriptor 2: bytes 24..31
  EXPECT_EQ(rig.sram->backdoor(0x388, 1)[0], 0);
  EXPECT_EQ(rig.f.counter("dma", "descriptors"), 2u);
}

// A source outside the address map: the burst read fails; STATUS = ERROR, code 1 (read), the
// failed address, and the interrupt is raised. An empty descriptor is code 4 (invalid).
TEST(Dma, ErrorsSetStatusAndInterrupt) {
  {
    DmaRig rig(1000000000, "");
    DmaDescriptor d;
    d.src = 0x30000000;
    d.dst = kSramBase + 0x300;
    d.size = {16, 1, 1, 1};
    d.flags = kFlagLast;
    rig.put_descriptor(0x200, d);
    auto regs = rig.start_and_collect(kSramBase + 0x200, 100000);
    EXPECT_EQ(regs, (std::vector<uint32_t>{kStatusError, 1, 1, 0x30000000, 0, 0}));
    ASSERT_FALSE(rig.irq_edges.empty());
    EXPECT_TRUE(rig.irq_edges[0].second);
    EXPECT_EQ(rig.f.counter("dma", "errors"), 1u);
  }
  {
    DmaRig rig(1000000000, "");
    auto regs = rig.start_and_collect(kSramBase + 0x200, 100000);  // all-zero descriptor
    EXPECT_EQ(regs, (std::vector<uint32_t>{kStatusError, 1, 4, kSramBase + 0x200, 0, 0}));
  }
  {
    DmaRig rig(1000000000, "");
    auto regs = rig.start_and_collect(0x40000000, 100000);  // descriptor itself unmapped
    EXPECT_EQ(regs, (std::vector<uint32_t>{kStatusError, 1, 3, 0x40000000, 0, 0}));
  }
}

// The DMA's own width spaces its bursts: 16 bytes SRAM -> SRAM in two 8-byte bursts, outstanding
// 4, 1 GHz, crossbar 64-bit. Start 2c, descriptor fetch [3,11) -> 11; b0 issues at 11: read
// slot 12 -> 13, write slot 14 -> 15.
//  width 16 bits: 8 bytes take 4 DMA cycles, b1 issues at 15: read 16 -> 17, write 18 -> 19.
//  width 64 bits: 1 cycle, b1 issues at 12: read slot 13 (12 taken) -> 14; write at 14: slot 15
//  (write channel [14,15) taken) -> 16.
TEST(Dma, WidthSpacesTheBursts) {
  for (auto [width, end_cycle] : {std::pair<int, Tick>{16, 19}, {64, 16}}) {
    DmaRig rig(1000000000,
               "burst_bytes: 8\noutstanding: 4\nwidth_bits: " + std::to_string(width) + "\n");
    DmaDescriptor d;
    d.src = kSramBase;
    d.dst = kSramBase + 0x300;
    d.size = {16, 1, 1, 1};
    d.flags = kFlagLast;
    rig.put_descriptor(0x200, d);
    rig.start_and_collect(kSramBase + 0x200, 100000);
    ASSERT_FALSE(rig.irq_edges.empty());
    EXPECT_EQ(rig.irq_edges[0].first, end_cycle * 1000) << width;
  }
}
