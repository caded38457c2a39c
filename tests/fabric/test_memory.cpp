// DRAM row-buffer timing, refresh, presets, and memory preloading (binary and .npy).
#include <filesystem>
#include <fstream>

#include "bus/crossbar.h"
#include "harness.h"
#include "mem/dram.h"
#include "mem/sram.h"

using namespace flecsim;
using namespace flecsim::test;

namespace {

// LPDDR4-3200 reduced to 1 channel and 2 banks. tCK = 625 ps; in clock cycles (JESD209-4 values
// rounded up): tRCD = tRP = ceil(18 ns / 0.625) = 29, RL = tCL = 28, tRAS = ceil(42/0.625) = 68,
// BL16 on 16 bits = 32-byte bursts taking 8 cycles, tREFI = ceil(3904/0.625) = 6247,
// tRFC = 280/0.625 = 448. Mapping row:bank:column:channel with 64 columns (2 KiB rows):
// address = ((row * 2 + bank) * 64 + column) * 32.
const char* kLpddr4OneChannel = "preset: LPDDR4-3200\nsize: 1MiB\nchannels: 1\nbanks: 2\n";
constexpr Tick kTck = 625;

// Reads 32 bytes at each address, each issued when the previous completed; returns completion
// times.
std::vector<Tick> read_sequence(Fabric& f, Dram& dram,
                                std::vector<std::pair<Tick, uint64_t>> reqs) {
  std::vector<Tick> done;
  auto& cpu = f.cpu("cpu", [&](TestInitiator& self) {
    uint8_t buf[32];
    for (auto [at, addr] : reqs) {
      if (at > now_ticks()) sc_core::wait(to_sc_time(at - now_ticks()));
      EXPECT_EQ(self.access(tlm::TLM_READ_COMMAND, addr, buf, 32), tlm::TLM_OK_RESPONSE);
      done.push_back(now_ticks());
    }
  });
  cpu.socket.bind(dram.socket);
  f.run();
  return done;
}

}  // namespace

TEST(Dram, PresetTimingInCycles) {
  Fabric f(1000000000);
  auto& d = f.add<Dram>("dram", kLpddr4OneChannel);
  const DramTiming& t = d.timing();
  EXPECT_EQ(t.clock.period_ps, kTck);
  EXPECT_EQ(t.tRCD, 29u);
  EXPECT_EQ(t.tCL, 28u);
  EXPECT_EQ(t.tRP, 29u);
  EXPECT_EQ(t.tRAS, 68u);
  EXPECT_EQ(t.tREFI, 6247u);
  EXPECT_EQ(t.tRFC, 448u);
  EXPECT_EQ(t.burst_bytes(), 32u);
  auto& ddr4 = f.add<Dram>("ddr4", "preset: DDR4-2400\nsize: 1MiB\ntRCD: 20\ntCL: 15ns\n");
  EXPECT_EQ(ddr4.timing().clock.period_ps, 833u);
  EXPECT_EQ(ddr4.timing().tRCD, 20u);  // bare number: cycles
  EXPECT_EQ(ddr4.timing().tCL, 19u);   // ceil(15000 / 833)
  EXPECT_EQ(ddr4.timing().tRP, 16u);   // ceil(13320 / 833)
  EXPECT_EQ(ddr4.timing().burst_bytes(), 64u);
  auto& hbm = f.add<Dram>("hbm", "preset: HBM2\nsize: 1MiB\n");
  EXPECT_EQ(hbm.describe(), "dram HBM2 1 MiB, 8x128-bit @ 2000 MT/s, row:bank:column:channel");
}

// Cycle of each read (issue -> data done), DRAM clock cycles:
//  1. addr 0 (row 0, bank 0), closed bank: ACT 0, RD 0+29 = 29, data [57, 65)       -> 65
//  2. addr 32, same row, issued at 65: hit, RD 65, data [93, 101)                    -> 101
//  3. addr 4096 (row 1, bank 0) at 101: conflict, PRE 101 (tRAS since ACT 0 met),
//     ACT 130, RD 159, data [187, 195)                                               -> 195
//  4. addr 0 (row 0) at 195: conflict, PRE waits for tRAS after ACT 130: 198, ACT 227,
//     RD 256, data [284, 292)                                                        -> 292
TEST(Dram, RowHitsMissesAndConflicts) {
  Fabric f(1000000000);
  auto& dram = f.add<Dram>("dram", kLpddr4OneChannel);
  auto done = read_sequence(f, dram, {{0, 0}, {0, 32}, {0, 4096}, {0, 0}});
  EXPECT_EQ(done, (std::vector<Tick>{65 * kTck, 101 * kTck, 195 * kTck, 292 * kTck}));
  EXPECT_EQ(f.counter("dram", "row_hits"), 1u);
  EXPECT_EQ(f.counter("dram", "row_misses"), 1u);
  EXPECT_EQ(f.counter("dram", "row_conflicts"), 2u);
  EXPECT_EQ(f.counter("dram", "activates"), 3u);
  EXPECT_EQ(f.counter("dram", "precharges"), 2u);
  EXPECT_EQ(f.counter("dram", "read_bytes"), 128u);
  EXPECT_EQ(f.counter("dram", "refreshes"), 0u);
}

// A 64-byte read on two channels (default LPDDR4-3200 mapping puts consecutive 32-byte bursts on
// alternate channels) takes as long as one burst: both channels miss in parallel -> 65 cycles.
// On one channel the second burst is a hit queued behind the first: RD 29+8 = 37, data
// [65, 73) -> 73.
TEST(Dram, ChannelInterleaving) {
  for (auto [yaml, cycles] : {std::pair<const char*, Tick>{"preset: LPDDR4-3200\nsize: 1MiB\n", 65},
                              std::pair<const char*, Tick>{kLpddr4OneChannel, 73}}) {
    Fabric f(1000000000);
    auto& dram = f.add<Dram>("dram", yaml);
    Tick done = 0;
    auto& cpu = f.cpu("cpu", [&](TestInitiator& self) {
      uint8_t buf[64];
      self.access(tlm::TLM_READ_COMMAND, 0, buf, 64);
      done = now_ticks();
    });
    cpu.socket.bind(dram.socket);
    f.run();
    EXPECT_EQ(done, cycles * kTck) << yaml;
  }
}

// Reads at 0 then 32 (issued when the first completes, 65). With the default
// row:bank:column:channel both are in bank 0, row 0: the second is a hit -> 101. With
// row:column:bank:channel consecutive bursts alternate banks: the second opens bank 1:
// ACT 65, RD 94, data [122, 130) -> 130.
TEST(Dram, AddressMappingDecidesTheBank) {
  for (auto [mapping, second] : {std::pair<const char*, Tick>{"row:bank:column:channel", 101},
                                 std::pair<const char*, Tick>{"row:column:bank:channel", 130}}) {
    Fabric f(1000000000);
    auto& dram =
        f.add<Dram>("dram", std::string(kLpddr4OneChannel) + "address_mapping: " + mapping + "\n");
    auto done = read_sequence(f, dram, {{0, 0}, {0, 32}});
    EXPECT_EQ(done, (std::vector<Tick>{65 * kTck, second * kTck})) << mapping;
  }
}

// Read addr 0 at 0 (done 65, row 0 open). Read addr 32 at cycle 6250: refresh window 1 blocks
// the channel during [6247, 6247 + 448) = until 6695, and the refresh closed the row, so this is
// a miss: ACT 6695, RD 6724, data [6752, 6760) -> 6760.
TEST(Dram, RefreshBlocksTheChannelAndClosesRows) {
  Fabric f(1000000000);
  auto& dram = f.add<Dram>("dram", kLpddr4OneChannel);
  auto done = read_sequence(f, dram, {{0, 0}, {6250 * kTck, 32}});
  EXPECT_EQ(done, (std::vector<Tick>{65 * kTck, 6760 * kTck}));
  EXPECT_EQ(f.counter("dram", "refreshes"), 1u);
  EXPECT_EQ(f.counter("dram", "row_misses"), 2u);
  EXPECT_EQ(f.counter("dram", "row_hits"), 0u);
}

TEST(Dram, BadAddressMappingIsAUserError) {
  Fabric f(1000000000);
  try {
    f.add<Dram>("dram", "size: 1MiB\naddress_mapping: row:bank:bank:channel\n");
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(
        std::string(e.what()).rfind("test.yaml:2:18: dram.address_mapping: expected the four", 0),
        0u)
        << e.what();
  }
}

namespace {

std::string temp_dir() {
  std::string dir = std::string(FLECSIM_BINARY_DIR) + "/tests/fabric_tmp";
  std::filesystem::create_directories(dir);
  return dir;
}

// A version 1.0 .npy of int16 values with the given shape text and order flag.
void write_npy(const std::string& path, const std::vector<int16_t>& values,
               const std::string& shape, const char* fortran = "False") {
  std::string header =
      "{'descr': '<i2', 'fortran_order': " + std::string(fortran) + ", 'shape': " + shape + ", }";
  while ((10 + header.size() + 1) % 64) header += ' ';
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  const uint16_t len = static_cast<uint16_t>(header.size());
  out.put(static_cast<char>(len & 0xff));
  out.put(static_cast<char>(len >> 8));
  out << header;
  out.write(reinterpret_cast<const char*>(values.data()), values.size() * 2);
}

}  // namespace

TEST(Preload, NpyAndBinaryFilesRelativeToTheYaml) {
  const std::string dir = temp_dir();
  write_npy(dir + "/w.npy", {1, -2, 3, 4, 5, 6}, "(2, 3)");
  std::ofstream(dir + "/b.bin", std::ios::binary) << "flecsim";
  Fabric f(1000000000);
  auto& sram = f.add<Sram>("sram", R"(size: 64
files:
  - {path: w.npy, offset: 16}
  - {path: b.bin, offset: 0x30, format: bin})",
                           dir + "/platform.yaml");
  const int16_t* w = reinterpret_cast<const int16_t*>(sram.backdoor(16, 12));
  EXPECT_EQ(std::vector<int16_t>(w, w + 6), (std::vector<int16_t>{1, -2, 3, 4, 5, 6}));
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sram.backdoor(0x30, 7)), 7), "flecsim");
  EXPECT_EQ(sram.backdoor(15, 1)[0], 0);
  EXPECT_EQ(sram.backdoor(28, 1)[0], 0);
}

TEST(Preload, ErrorsNameTheYamlLocation) {
  const std::string dir = temp_dir();
  write_npy(dir + "/big.npy", {1, 2, 3, 4, 5, 6}, "(6,)");
  write_npy(dir + "/f.npy", {1, 2, 3, 4}, "(2, 2)", "True");
  write_npy(dir + "/short.npy", {1, 2}, "(2, 3)");
  const std::string yaml = dir + "/p.yaml";
  auto error_of = [&](const std::string& text) -> std::string {
    try {
      Fabric f(1000000000);
      f.add<Sram>("sram", text, yaml);
    } catch (const UserError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(error_of("size: 16\nfiles:\n  - {path: big.npy, offset: 8}\n"),
            yaml + ":3:29: preload file '" + dir +
                "/big.npy' (12 bytes at offset 8) does not fit in the memory of 16 bytes");
  EXPECT_EQ(error_of("size: 64\nfiles: [{path: f.npy}]\n"),
            yaml + ":2:16: " + dir +
                "/f.npy: not a usable .npy file: Fortran-ordered arrays are not supported; save "
                "with C order");
  EXPECT_EQ(error_of("size: 64\nfiles: [{path: short.npy}]\n"),
            yaml + ":2:16: " + dir +
                "/short.npy: not a usable .npy file: holds 4 data bytes, shape (2, 3) needs 12");
  EXPECT_EQ(error_of("size: 64\nfiles: [{path: missing.bin}]\n"),
            yaml + ":2:16: cannot open preload file '" + dir + "/missing.bin'");
}

// Bad settings of the fabric kinds are user errors naming file:line:column and the key.
TEST(FabricConfig, BadValuesNameTheKey) {
  auto error_of = [](auto build) -> std::string {
    try {
      build();
    } catch (const UserError& e) {
      return e.what();
    }
    return "";
  };
  Fabric f(1000000000);
  EXPECT_EQ(error_of([&] { f.add<Crossbar>("xbar", "arbitration: round-robbin\n"); }),
            "test.yaml:1:14: xbar.arbitration: expected one of round-robin, fixed-priority, got "
            "'round-robbin' (did you mean 'round-robin'?)");
  EXPECT_EQ(error_of([&] { f.add<Crossbar>("xbar2", "width_bits: 12\n"); }),
            "test.yaml:1:13: xbar2.width_bits: must be a multiple of 8");
  EXPECT_EQ(error_of([&] { f.add<Dram>("dram", "size: 1MiB\nrow_bytes: 100\n"); }),
            "test.yaml:2:12: dram.row_bytes: must be a multiple of the burst (32 bytes = "
            "width_bits/8 * burst_length)");
  EXPECT_EQ(
      error_of([&] {
        f.add<Dram>("dram2", "size: 1MiB\npreset: DDR5\n");
      }).rfind("test.yaml:2:9: dram2.preset: expected one of LPDDR4-3200, DDR4-2400, HBM2", 0),
      0u);
  EXPECT_EQ(error_of([&] { f.add<Sram>("sram", "width_bits: 64\n"); }),
            "test.yaml:1:1: sram: missing required key 'size'");
}
