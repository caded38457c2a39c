// Fabric throughput benchmark (not a test): one DMA channel moves N MiB (default 256) from
// LPDDR4-3200 DRAM to SRAM through the crossbar, with edge-npu settings (500 MHz, 128-bit
// crossbar, 512 KiB 4-bank SRAM, DMA 128-bit, 4 outstanding 64-byte bursts). The SRAM is smaller
// than the transfer, so the descriptor is 2-D: rows of 64 KiB from consecutive DRAM addresses,
// all written to the same 64 KiB of SRAM (destination row stride 0).
//
//   build-*/bench/bench_fabric [MiB]
//
// Prints wall time, simulated time, simulated DMA bytes per wall second and crossbar
// transactions per wall second (docs/PERFORMANCE.md records the figures).
#include <tlm_utils/simple_initiator_socket.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "bus/crossbar.h"
#include "dma/dma.h"
#include "mem/dram.h"
#include "mem/sram.h"

using namespace flecsim;

namespace {

// Writes the two registers that start DMA channel 0.
struct Host : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Host, 32> socket{"socket"};
  uint32_t desc_addr;
  Host(const sc_core::sc_module_name& n, uint32_t desc) : sc_module(n), desc_addr(desc) {
    sc_core::sc_spawn_options opts;
    sc_core::sc_spawn([this] { run(); }, "run", &opts);
  }
  void write32(uint64_t addr, uint32_t v) {
    tlm::tlm_generic_payload t;
    t.set_command(tlm::TLM_WRITE_COMMAND);
    t.set_address(addr);
    t.set_data_ptr(reinterpret_cast<unsigned char*>(&v));
    t.set_data_length(4);
    t.set_streaming_width(4);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(t, delay);
    sc_core::wait(delay);
  }
  void run() {
    write32(dma_regs::kChannelBase + dma_regs::kDescAddr, desc_addr);
    write32(dma_regs::kChannelBase + dma_regs::kCtrl, dma_regs::kCtrlStart);
  }
};

template <typename T>
std::unique_ptr<T> make(const char* name, const std::string& yaml, BuildContext& ctx) {
  Config cfg(parse_yaml_text(yaml, "bench.yaml"), name);
  auto c = std::make_unique<T>(name, cfg, ctx);
  cfg.check_unused();
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t mib = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 256;
  const uint64_t row = 64 * 1024, rows = mib * 1024 * 1024 / row;
  sim_init();
  StatsRegistry stats;
  BuildContext ctx;
  ctx.stats = &stats;
  ctx.clock = Clock::from_hz(500000000);
  auto xbar = make<Crossbar>("xbar0", "width_bits: 128\nlatency_cycles: 1\n", ctx);
  auto sram = make<Sram>("sram0", "size: 512KiB\nwidth_bits: 128\nbanks: 4\n", ctx);
  auto dram =
      make<Dram>("dram0", "preset: LPDDR4-3200\nsize: " + std::to_string(mib + 1) + "MiB\n", ctx);
  auto dma =
      make<Dma>("dma0", "channels: 4\nwidth_bits: 128\noutstanding: 4\n", ctx);
  Host host("host", 0x10000000 + 0x70000);
  xbar->connect_initiator("dma0.mem", dma->mem);
  xbar->map_target("sram0", sram->socket, 0x10000000, 512 * 1024, true);
  xbar->map_target("dram0", dram->socket, 0x80000000, (mib + 1) << 20, false);
  host.socket.bind(dma->regs);

  DmaDescriptor d;
  d.src = 0x80000000;
  d.dst = 0x10000000;
  d.size = {static_cast<uint32_t>(row), static_cast<uint32_t>(rows), 1, 1};
  d.src_stride = {static_cast<int32_t>(row), 0, 0};
  d.dst_stride = {0, 0, 0};
  d.flags = dma_regs::kFlagLast;
  auto bytes = d.encode();
  std::memcpy(sram->backdoor(0x70000, bytes.size()), bytes.data(), bytes.size());

  const auto t0 = std::chrono::steady_clock::now();
  sc_core::sc_start();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (Component* c : {static_cast<Component*>(xbar.get()), static_cast<Component*>(sram.get()),
                       static_cast<Component*>(dram.get()), static_cast<Component*>(dma.get())})
    c->finish();
  const double moved = static_cast<double>(stats.find("dma0")->find("bytes_moved")->value);
  const double txns = static_cast<double>(stats.find("xbar0")->find("transactions")->value);
  const double sim_s = sc_core::sc_time_stamp().to_seconds();
  std::printf("| metric | value |\n|---|---|\n");
  std::printf("| bytes moved | %.0f (%llu MiB) |\n", moved, static_cast<unsigned long long>(mib));
  std::printf("| wall time | %.3f s |\n", wall);
  std::printf("| simulated time | %.6f s |\n", sim_s);
  std::printf("| simulated DMA bandwidth | %.2f GB/s |\n", moved / sim_s / 1e9);
  std::printf("| simulated DMA bytes per wall second | %.3g |\n", moved / wall);
  std::printf("| crossbar transactions | %.0f |\n", txns);
  std::printf("| crossbar transactions per wall second | %.3g |\n", txns / wall);
  std::printf("| DRAM row hits / misses / conflicts | %llu / %llu / %llu |\n",
              static_cast<unsigned long long>(stats.find("dram0")->find("row_hits")->value),
              static_cast<unsigned long long>(stats.find("dram0")->find("row_misses")->value),
              static_cast<unsigned long long>(stats.find("dram0")->find("row_conflicts")->value));
  return moved == static_cast<double>(mib << 20) ? 0 : 1;
}
