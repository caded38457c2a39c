// The estimator against the technology tables read independently (yaml-cpp) in the test.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "platform/platform.h"
#include "power/accelergy.h"
#include "power/estimate.h"
#include "power/tech.h"

using namespace flecsim;

namespace {

const std::string kTechDir = std::string(FLECSIM_SOURCE_DIR) + "/platforms/tech/";

// A fabric with traffic into SRAM and DRAM, a DMA and a systolic array (area only).
std::string platform_text(const std::string& tech, unsigned rows) {
  return R"(
platform: {name: power-test}
clocks: {core: 500MHz}
crossbars:
  xbar0: {kind: crossbar, width_bits: 128, latency_cycles: 1, initiators: [tg0.mem, dma0.mem, systolic0.dma]}
memories:
  sram0: {kind: sram, size: 64KiB, width_bits: 128, banks: 4}
  dram0: {kind: dram, preset: LPDDR4-3200, size: 1MiB}
dmas:
  dma0: {kind: dma, width_bits: 128, channels: 2}
peripherals:
  tg0:
    kind: traffic
    script:
      - {op: write, addr: 0x10000000, bytes: 16, count: 40}
      - {op: read, addr: 0x10000000, bytes: 16, count: 25}
      - {op: write, addr: 0x80000000, bytes: 16, count: 30}
      - {op: read, addr: 0x80000000, bytes: 4, count: 10}
accelerators:
  systolic0: {kind: systolic, rows: )" +
         std::to_string(rows) + R"(, cols: )" + std::to_string(rows) + R"(}
address_map:
  - {target: sram0, base: 0x10000000}
  - {target: dram0, base: 0x80000000}
  - {target: dma0.regs, base: 0x20010000}
  - {target: systolic0.regs, base: 0x20020000}
power: {tech: )" +
         tech + "}\n";
}

// Entry values of a table, applying base/scale exactly as documented (independent reader).
std::map<std::string, double> read_table(const std::string& node) {
  YAML::Node y = YAML::LoadFile(kTechDir + node + ".yaml");
  std::map<std::string, double> v;
  if (y["base"]) {
    YAML::Node base = YAML::LoadFile(kTechDir + y["base"].as<std::string>());
    for (const auto& e : base["entries"]) {
      const std::string scales = e.second["scales"].as<std::string>();
      double x = e.second["value"].as<double>();
      if (scales != "none") x *= y["scale"][scales]["value"].as<double>();
      v[e.first.as<std::string>()] = x;
    }
  }
  for (const auto& e : y["entries"]) v[e.first.as<std::string>()] = e.second["value"].as<double>();
  return v;
}

struct SimRun {
  std::unique_ptr<Platform> platform;
  nlohmann::json power;
  double counter(const std::string& comp, const std::string& name) const {
    return double(platform->stats().find(comp)->find(name)->value);
  }
  double energy(const std::string& comp) const {
    return power["energy"]["by_component"][comp]["dynamic_j"].get<double>();
  }
  double area(const std::string& comp) const {
    return power["area_mm2"]["by_component"][comp]["total"].get<double>();
  }
};

SimRun simulate(const std::string& tech, unsigned rows = 16) {
  fresh_simulation();
  SimRun r;
  r.platform = Platform::from_text(platform_text(tech, rows), "power.yaml");
  r.platform->run();
  r.platform->finish();
  r.power = estimate_power(*r.platform, nlohmann::json::object());
  return r;
}

}  // namespace

TEST(Power, EachComponentEnergyIsItsActionsTimesTheTable) {
  const SimRun r = simulate("45nm");
  const auto t = read_table("45nm");
  ASSERT_GT(r.counter("sram0", "write_bits"), 0);
  ASSERT_GT(r.counter("dram0", "read_bits"), 0);
  // SRAM: 64 KiB / 4 banks = 16 KiB banks of 128-bit words (1024 words: 10 address bits).
  const double sram_bit = t.at("sram_bit_base") + t.at("sram_bit_sqrt_kib") * std::sqrt(16.0);
  const double sram_access = t.at("sram_decode_per_address_bit") * 10;
  const double sram_pj =
      (r.counter("sram0", "read_bits") +
       r.counter("sram0", "write_bits") * t.at("sram_write_factor")) *
          sram_bit +
      (r.counter("sram0", "reads") + r.counter("sram0", "writes") * t.at("sram_write_factor")) *
          sram_access;
  EXPECT_NEAR(r.energy("sram0"), sram_pj * 1e-12, 1e-9 * sram_pj * 1e-12);
  const double dram_pj = (r.counter("dram0", "read_bits") + r.counter("dram0", "write_bits")) *
                         t.at("dram_lpddr4_bit");
  EXPECT_NEAR(r.energy("dram0"), dram_pj * 1e-12, 1e-9 * dram_pj * 1e-12);
  const double xbar_pj = r.counter("xbar0", "beats") * 128 * t.at("crossbar_beat_bit");
  EXPECT_GT(xbar_pj, 0);
  EXPECT_NEAR(r.energy("xbar0"), xbar_pj * 1e-12, 1e-9 * xbar_pj * 1e-12);
  // Area: SRAM cells / efficiency + bank periphery; crossbar 3 initiators x 4 targets x 128 bits.
  const double sram_um2 = 65536.0 * 8 * t.at("sram_bitcell") / t.at("sram_array_efficiency") +
                          4 * t.at("sram_bank_periphery");
  EXPECT_NEAR(r.area("sram0"), sram_um2 * 1e-6, 1e-12);
  EXPECT_NEAR(r.area("xbar0"), 3 * 4 * 128 * t.at("crossbar_crosspoint_bit") * 1e-6, 1e-12);
  EXPECT_NEAR(r.area("dma0"), 2 * t.at("dma_channel") * 1e-6, 1e-12);
  // Total = dynamic + leakage x time, leakage = area x density.
  const double seconds = double(now_ticks()) * 1e-12;
  const double leak_sram = sram_um2 * 1e-6 * t.at("sram_leakage") * 1e-3 * seconds;
  EXPECT_NEAR(r.power["energy"]["by_component"]["sram0"]["leakage_j"].get<double>(), leak_sram,
              1e-9 * leak_sram);
}

TEST(Power, SmallerNodeLowersOnChipEnergyAndAreaButNotDram) {
  const SimRun big = simulate("45nm"), small = simulate("7nm");
  EXPECT_LT(small.energy("sram0"), big.energy("sram0"));
  EXPECT_LT(small.energy("xbar0"), big.energy("xbar0"));
  EXPECT_DOUBLE_EQ(small.energy("dram0"), big.energy("dram0"));  // off-chip interface
  EXPECT_LT(small.area("sram0"), big.area("sram0"));
  EXPECT_LT(small.area("systolic0"), big.area("systolic0"));
  EXPECT_LT(small.power["area_mm2"]["total"].get<double>(),
            big.power["area_mm2"]["total"].get<double>());
  EXPECT_LT(small.power["energy"]["dynamic_j"].get<double>(),
            big.power["energy"]["dynamic_j"].get<double>());
}

TEST(Power, LargerArrayHasMoreAreaAndLeakage) {
  const SimRun r8 = simulate("28nm", 8), r16 = simulate("28nm", 16);
  const auto t = read_table("28nm");
  EXPECT_NEAR(r16.power["area_mm2"]["by_component"]["systolic0"]["items"]["pe_array"].get<double>(),
              256 * t.at("pe_area_int8") * 1e-6, 1e-12);
  EXPECT_NEAR(r8.power["area_mm2"]["by_component"]["systolic0"]["items"]["pe_array"].get<double>(),
              64 * t.at("pe_area_int8") * 1e-6, 1e-12);
  EXPECT_GT(r16.area("systolic0"), r8.area("systolic0"));
  EXPECT_GT(r16.power["energy"]["by_component"]["systolic0"]["leakage_j"].get<double>(),
            r8.power["energy"]["by_component"]["systolic0"]["leakage_j"].get<double>());
}

TEST(Power, EveryTableEntryCarriesASource) {
  size_t tables = 0;
  for (const auto& file : std::filesystem::directory_iterator(kTechDir)) {
    YAML::Node y = YAML::LoadFile(file.path().string());
    for (const char* section : {"entries", "scale"})
      for (const auto& e : y[section]) {
        ASSERT_TRUE(e.second["source"]) << file.path() << " " << e.first.as<std::string>();
        EXPECT_GT(e.second["source"].as<std::string>().size(), 10u) << e.first.as<std::string>();
        EXPECT_TRUE(e.second["value"]) << e.first.as<std::string>();
      }
    const TechTable loaded = TechTable::load_file(file.path().string());
    EXPECT_GE(loaded.entries().size(), 40u) << file.path();
    for (const auto& [name, entry] : loaded.entries()) EXPECT_FALSE(entry.source.empty()) << name;
    ++tables;
  }
  EXPECT_GE(tables, 4u);
}

TEST(Power, PlatformOverrideReplacesAnEntryAndUnknownOnesAreReported) {
  fresh_simulation();
  std::string text = platform_text("45nm", 16);
  text.replace(text.find("power: {tech: 45nm}"), 19,
               "power: {tech: 45nm, overrides: {dram_lpddr4_bit: 8.0}}");
  auto p = Platform::from_text(text, "power.yaml");
  p->run();
  p->finish();
  const TechTable t = TechTable::for_platform(*p);
  EXPECT_EQ(t.at("dram_lpddr4_bit"), 8.0);
  EXPECT_EQ(t.entries().at("dram_lpddr4_bit").source, "platform override at power.yaml:26");
  fresh_simulation();
  text.replace(text.find("dram_lpddr4_bit"), 15, "dram_lpddr9_bit");
  auto q = Platform::from_text(text, "power.yaml");
  try {
    TechTable::for_platform(*q);
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("power.yaml:26:50: power.overrides.dram_lpddr9_bit:"),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("no entry 'dram_lpddr9_bit'"), std::string::npos)
        << e.what();
  }
}

TEST(Power, AccelergyExportListsComponentsAndActionCounts) {
  const SimRun r = simulate("45nm");
  const std::string dir = std::string(FLECSIM_BINARY_DIR) + "/tests/power/accelergy-out";
  export_accelergy(*r.platform, dir);
  YAML::Node arch = YAML::LoadFile(dir + "/architecture.yaml");
  YAML::Node counts = YAML::LoadFile(dir + "/action_counts.yaml");
  EXPECT_EQ(arch["architecture"]["subtree"][0]["name"].as<std::string>(), "power-test");
  EXPECT_EQ(arch["architecture"]["subtree"][0]["attributes"]["technology"].as<std::string>(),
            "45nm");
  bool found = false;
  for (const auto& c : counts["action_counts"]["local"]) {
    if (c["name"].as<std::string>() != "power-test.dram0") continue;
    for (const auto& a : c["action_counts"])
      if (a["name"].as<std::string>() == "read_bit") {
        EXPECT_EQ(a["counts"].as<double>(), r.counter("dram0", "read_bits"));
        found = true;
      }
  }
  EXPECT_TRUE(found);
}

TEST(Power, LayerEnergyFromCounterDeltasUsesTheSameModels) {
  const SimRun r = simulate("45nm");
  nlohmann::json summary = {{"seconds", 1e-6}};
  summary["layers"] = {
      {{"name", "all"}, {"cycles", 0}, {"counters", platform_counters(*r.platform)}},
      {{"name", "sram only"}, {"cycles", 500}, {"counters", {{"sram0", {{"reads", 3}}}}}}};
  const nlohmann::json e = estimate_power(*r.platform, summary);
  EXPECT_EQ(e["energy"]["by_layer_method"], "counter deltas per layer");
  const auto& layers = e["energy"]["by_layer"];
  EXPECT_NEAR(layers[0]["energy_j"].get<double>(), e["energy"]["dynamic_j"].get<double>(),
              1e-9 * e["energy"]["dynamic_j"].get<double>());
  EXPECT_EQ(layers[0]["dram_bytes"].get<double>(),
            (r.counter("dram0", "read_bits") + r.counter("dram0", "write_bits")) / 8);
  // Layer 1: three SRAM accesses (10 address bits each) plus 1 us of every component's leakage.
  const auto t = read_table("45nm");
  const double access_j = 3 * 10 * t.at("sram_decode_per_address_bit") * 1e-12;
  const double sram_leak_j = e["energy"]["by_component"]["sram0"]["leakage_j"].get<double>();
  EXPECT_NEAR(layers[1]["by_component"]["sram0"].get<double>(), access_j + sram_leak_j,
              1e-9 * (access_j + sram_leak_j));
}

TEST(Power, SystolicDmaAndCpuEnergyFromGivenCounts) {
  fresh_simulation();
  std::string text = platform_text("45nm", 16);
  text.replace(text.find("[tg0.mem,"), 9, "[cpu0.bus, tg0.mem,");
  text += "cpu:\n  cpu0: {kind: rv32, clock: core, reset_pc: 0x10000000}\n";
  auto p = Platform::from_text(text, "power.yaml");
  const nlohmann::json counters = {
      {"systolic0",
       {{"macs_int8", 1000},
        {"sp_read_bits", 4096},
        {"sp_write_bits", 2048},
        {"acc_read_bits", 512},
        {"acc_write_bits", 1024},
        {"dma_bytes", 300},
        {"busy_cycles", 77}}},
      {"dma0", {{"bytes_moved", 640}, {"descriptors", 3}, {"busy_cycles", 9}}},
      {"cpu0", {{"instructions_alu", 100}, {"instructions_load", 20}, {"instructions_fp_fma", 5}}}};
  const auto comps = estimate_components(*p, TechTable::for_platform(*p), counters);
  const auto t = read_table("45nm");
  std::map<std::string, double> pj;
  for (const auto& c : comps) pj[c.name] = c.dynamic_j() * 1e12;
  // 16x16 array: scratchpad 1024 rows x 16 B and accumulator 256 rows x 16 x 4 B = 16 KiB each.
  const double bit = t.at("sram_bit_base") + t.at("sram_bit_sqrt_kib") * 4.0;
  const double wf = t.at("sram_write_factor");
  const double systolic = 1000 * (t.at("mac_int8") + 40 * t.at("pipeline_register_bit")) +
                          (4096 + 2048 * wf + 512 + 1024 * wf) * bit + 300 * t.at("dma_byte");
  EXPECT_NEAR(pj["systolic0"], systolic, 1e-9 * systolic);
  const double dma = 640 * t.at("dma_byte") + 3 * t.at("dma_descriptor");
  EXPECT_NEAR(pj["dma0"], dma, 1e-9 * dma);
  const double cpu =
      100 * t.at("cpu_insn_alu") + 20 * t.at("cpu_insn_load") + 5 * t.at("cpu_insn_fp_fma");
  EXPECT_NEAR(pj["cpu0"], cpu, 1e-9 * cpu);
  EXPECT_EQ(pj["tg0"], 0.0);  // the traffic generator is not a modelled kind
}
