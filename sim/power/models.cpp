#include "power/models.h"

#include <cmath>
#include <map>
#include <set>

#include "accel/systolic/systolic.h"
#include "core/error.h"
#include "platform/platform.h"

namespace flecsim {

double sram_pj_per_bit(const TechTable& t, double bank_bytes) {
  return t.at("sram_bit_base") + t.at("sram_bit_sqrt_kib") * std::sqrt(bank_bytes / 1024.0);
}

double sram_pj_per_access(const TechTable& t, double bank_bytes, double width_bits) {
  const double words = std::max(1.0, bank_bytes * 8.0 / width_bits);
  return t.at("sram_decode_per_address_bit") * std::ceil(std::log2(words));
}

double sram_area_um2(const TechTable& t, double bytes, double banks) {
  return bytes * 8.0 * t.at("sram_bitcell") / t.at("sram_array_efficiency") +
         banks * t.at("sram_bank_periphery");
}

namespace {

using Model = ComponentModel (*)(const ModelInput&);

// Adds `count` units of `counter` priced at `pj_each` (from table `entry`).
void price(ComponentModel& m, const std::string& action, const std::string& counter, double count,
           double pj_each, const std::string& entry, bool compute = false) {
  m.actions.push_back({action, counter, count, pj_each, entry, compute});
  m.consumed.push_back(counter);
}

ComponentModel model_sram(const ModelInput& in) {
  ComponentModel m;
  const double bytes = double(in.cfg.bytes("size"));
  const double width = double(in.cfg.integer("width_bits", 64));
  const double banks = double(in.cfg.integer("banks", 1));
  const double bank = bytes / banks;
  const TechTable& t = in.tech;
  const double wf = t.at("sram_write_factor");
  const std::string bit_entries = "sram_bit_base, sram_bit_sqrt_kib";
  price(m, "read_bit", "read_bits", in.counter("read_bits"), sram_pj_per_bit(t, bank), bit_entries);
  price(m, "write_bit", "write_bits", in.counter("write_bits"), sram_pj_per_bit(t, bank) * wf,
        bit_entries + ", sram_write_factor");
  price(m, "read_access", "reads", in.counter("reads"), sram_pj_per_access(t, bank, width),
        "sram_decode_per_address_bit");
  price(m, "write_access", "writes", in.counter("writes"), sram_pj_per_access(t, bank, width) * wf,
        "sram_decode_per_address_bit, sram_write_factor");
  // CPU loads/stores through DMI: same array, one access each.
  price(m, "dmi_read_bit", "dmi_read_bits", in.counter("dmi_read_bits"), sram_pj_per_bit(t, bank),
        bit_entries);
  price(m, "dmi_write_bit", "dmi_write_bits", in.counter("dmi_write_bits"),
        sram_pj_per_bit(t, bank) * wf, bit_entries + ", sram_write_factor");
  price(m, "dmi_read_access", "dmi_reads", in.counter("dmi_reads"),
        sram_pj_per_access(t, bank, width), "sram_decode_per_address_bit");
  price(m, "dmi_write_access", "dmi_writes", in.counter("dmi_writes"),
        sram_pj_per_access(t, bank, width) * wf, "sram_decode_per_address_bit, sram_write_factor");
  m.area.push_back({"array", sram_area_um2(t, bytes, banks), true,
                    "sram_bitcell, sram_array_efficiency, sram_bank_periphery"});
  return m;
}

// The DRAM interface entry for a preset: LPDDR4-3200 -> dram_lpddr4_bit.
std::string dram_entry(const ModelInput& in) {
  const std::string preset = in.cfg.str("preset", std::string("LPDDR4-3200"));
  std::string family = preset.substr(0, preset.find('-'));
  for (char& c : family) c = char(std::tolower(static_cast<unsigned char>(c)));
  const std::string entry = "dram_" + family + "_bit";
  if (!in.tech.has(entry))
    in.cfg.fail("preset", "technology " + in.tech.node() + " has no DRAM energy entry '" + entry +
                              "' for preset " + preset);
  return entry;
}

ComponentModel model_dram(const ModelInput& in) {
  ComponentModel m;
  const std::string entry = dram_entry(in);
  const double pj = in.tech.at(entry);
  price(m, "read_bit", "read_bits", in.counter("read_bits"), pj, entry);
  price(m, "write_bit", "write_bits", in.counter("write_bits"), pj, entry);
  price(m, "dmi_read_bit", "dmi_read_bits", in.counter("dmi_read_bits"), pj, entry);
  price(m, "dmi_write_bit", "dmi_write_bits", in.counter("dmi_write_bits"), pj, entry);
  return m;  // off-chip: no die area, background power not modelled (docs/energy-model.md)
}

ComponentModel model_crossbar(const ModelInput& in) {
  ComponentModel m;
  const double width = double(in.cfg.integer("width_bits", 64));
  price(m, "beat_bit", "beats", in.counter("beats") * width, in.tech.at("crossbar_beat_bit"),
        "crossbar_beat_bit");
  std::set<std::string> targets;
  for (const AddressRange& r : in.platform.address_map())
    if (r.bus == in.name) targets.insert(r.target);
  const double initiators = double(in.cfg.str_list("initiators").size());
  m.area.push_back(
      {"crosspoints",
       initiators * double(targets.size()) * width * in.tech.at("crossbar_crosspoint_bit"), false,
       "crossbar_crosspoint_bit"});
  return m;
}

ComponentModel model_dma(const ModelInput& in) {
  ComponentModel m;
  price(m, "byte", "bytes_moved", in.counter("bytes_moved"), in.tech.at("dma_byte"), "dma_byte");
  price(m, "descriptor", "descriptors", in.counter("descriptors"), in.tech.at("dma_descriptor"),
        "dma_descriptor");
  const double channels = double(in.cfg.integer("channels", 1));
  m.area.push_back({"channels", channels * in.tech.at("dma_channel"), false, "dma_channel"});
  return m;
}

ComponentModel model_rv32(const ModelInput& in) {
  ComponentModel m;
  const std::string prefix = "instructions_";
  for (const std::string& c : in.counter_names) {
    if (c.rfind(prefix, 0) != 0) continue;
    const std::string entry = "cpu_insn_" + c.substr(prefix.size());
    price(m, c.substr(prefix.size()), c, in.counter(c), in.tech.at(entry), entry);
  }
  m.area.push_back({"core", in.tech.at("cpu_core"), false, "cpu_core"});
  return m;
}

// Weight-stationary array: per MAC, one multiply-accumulate at the counter's precision plus
// the activation (8 bits) and partial sum (32 bits) written into the next PE's registers.
ComponentModel model_systolic(const ModelInput& in) {
  ComponentModel m;
  const systolic::SystolicParams p = systolic::read_systolic_params(in.cfg);
  const TechTable& t = in.tech;
  const std::string mac_prefix = "macs_";
  // PE area: of the widest precision that ran (the array offers int8, int16 and bf16 and
  // declares a counter for each; a run that used only int8 is priced with int8 PEs).
  std::string precision = "int8";
  for (const std::string& c : in.counter_names) {
    if (c.rfind(mac_prefix, 0) != 0) continue;
    const std::string prec = c.substr(mac_prefix.size()), mac = "mac_" + prec;
    if (in.counter(c) > 0 && t.at("pe_area_" + prec) > t.at("pe_area_" + precision))
      precision = prec;
    price(m, mac, c, in.counter(c), t.at(mac), mac, true);
    price(m, "pe_register_bit", c, in.counter(c) * 40.0, t.at("pipeline_register_bit"),
          "pipeline_register_bit", true);
  }
  const double sp_bytes = double(p.sp_rows) * p.dim, acc_bytes = double(p.acc_rows) * p.dim * 4;
  const std::string bits = "sram_bit_base, sram_bit_sqrt_kib";
  price(m, "scratchpad_read_bit", "sp_read_bits", in.counter("sp_read_bits"),
        sram_pj_per_bit(t, sp_bytes), bits);
  price(m, "scratchpad_write_bit", "sp_write_bits", in.counter("sp_write_bits"),
        sram_pj_per_bit(t, sp_bytes) * t.at("sram_write_factor"), bits + ", sram_write_factor");
  price(m, "accumulator_read_bit", "acc_read_bits", in.counter("acc_read_bits"),
        sram_pj_per_bit(t, acc_bytes), bits);
  price(m, "accumulator_write_bit", "acc_write_bits", in.counter("acc_write_bits"),
        sram_pj_per_bit(t, acc_bytes) * t.at("sram_write_factor"), bits + ", sram_write_factor");
  price(m, "dma_byte", "dma_bytes", in.counter("dma_bytes"), t.at("dma_byte"), "dma_byte");
  const double pes = double(p.dim) * p.dim;
  m.area.push_back({"pe_array", pes * t.at("pe_area_" + precision), false, "pe_area_" + precision});
  m.area.push_back({"scratchpad", sram_area_um2(t, sp_bytes, 1), true, "sram_*"});
  m.area.push_back({"accumulator", sram_area_um2(t, acc_bytes, 1), true, "sram_*"});
  m.area.push_back({"dma", t.at("dma_channel"), false, "dma_channel"});
  return m;
}

ComponentModel model_peripheral(const ModelInput& in) {
  ComponentModel m;
  const double pj = in.tech.at("register_access");
  price(m, "register_read", "register_reads", in.counter("register_reads"), pj, "register_access");
  price(m, "register_write", "register_writes", in.counter("register_writes"), pj,
        "register_access");
  m.area.push_back({"logic", in.tech.at("peripheral"), false, "peripheral"});
  return m;
}

const std::map<std::string, Model>& models() {
  static const std::map<std::string, Model> kModels = {
      {"sram", model_sram},         {"dram", model_dram},        {"crossbar", model_crossbar},
      {"dma", model_dma},           {"rv32", model_rv32},        {"systolic", model_systolic},
      {"plic", model_peripheral},   {"clint", model_peripheral}, {"uart", model_peripheral},
      {"simctrl", model_peripheral}};
  return kModels;
}

}  // namespace

ComponentModel model_component(const ModelInput& in) {
  auto it = models().find(in.kind);
  if (it == models().end()) {
    ComponentModel m;
    m.modelled = false;
    return m;
  }
  return it->second(in);
}

}  // namespace flecsim
