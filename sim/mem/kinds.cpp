#include "mem/dram.h"
#include "mem/sram.h"

namespace flecsim {

void register_mem_kinds(ComponentRegistry& registry) {
  registry.add("sram", "memories", "on-chip SRAM: banks, ports, read/write latency, DMI",
               [](const std::string& name, const Config& cfg, BuildContext& ctx) {
                 return std::make_unique<Sram>(name.c_str(), cfg, ctx);
               });
  registry.add("dram", "memories",
               "DRAM with per-bank row buffers, refresh and presets (LPDDR4-3200, DDR4-2400, HBM2)",
               [](const std::string& name, const Config& cfg, BuildContext& ctx) {
                 return std::make_unique<Dram>(name.c_str(), cfg, ctx);
               });
}

}  // namespace flecsim
