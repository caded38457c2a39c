// `flecsim sdk PLATFORM.yaml -o DIR`: writes what firmware needs to follow a platform instead of
// hard-coding it: DIR/flecsim_platform.h (clocks, memory regions, device base addresses,
// register offsets, interrupt numbers) and DIR/memory.ld (the MEMORY regions for the linker).
// The register offsets come from the same constants the peripheral models decode.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <utility>

#include "app/command.h"
#include "dma/dma.h"
#include "periph/clint.h"
#include "periph/plic.h"
#include "periph/simctrl.h"
#include "periph/uart.h"
#include "platform/platform.h"

namespace flecsim {
namespace {

std::string macro_name(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? std::toupper(c) : '_';
  return out;
}

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

void define(std::ostream& out, const std::string& name, const std::string& value) {
  out << "#define FLECSIM_" << name << " " << value << "\n";
}
void define_u(std::ostream& out, const std::string& name, uint64_t v) {
  define(out, name, hex(v) + (v > 0xffffffffu ? "ull" : "u"));
}

// "dma0.regs" -> component dma0, port regs; "plic0" -> the component's only target port.
std::pair<Component*, std::string> split_target(const Platform& p, const std::string& target) {
  auto dot = target.find('.');
  Component* c = p.component(target.substr(0, dot));
  if (!c) throw InternalError("sdk: address map names unknown component '" + target + "'");
  if (dot != std::string::npos) return {c, target.substr(dot + 1)};
  auto ports = c->target_names();
  return {c, ports.empty() ? std::string() : ports.front()};
}

bool is_memory(Component* c) {
  return dynamic_cast<MemoryBackdoor*>(c) != nullptr;
}

// Macro stem of a mapped range: the component name, plus the port unless it is "regs" or the
// component's only target port.
std::string range_stem(const Platform& p, const AddressRange& r) {
  auto [comp, port] = split_target(p, r.target);
  std::string stem = macro_name(comp->name());
  if (port != "regs" && comp->target_names().size() > 1) stem += "_" + macro_name(port);
  return stem;
}

void write_dma_offsets(std::ostream& out) {
  using namespace dma_regs;
  define_u(out, "DMA_IRQ_STATUS", kIrqStatus);
  define_u(out, "DMA_INFO", kInfo);
  define_u(out, "DMA_CH_BASE", kChannelBase);
  define_u(out, "DMA_CH_STRIDE", kChannelStride);
  define_u(out, "DMA_CH_CTRL", kCtrl);
  define_u(out, "DMA_CH_STATUS", kStatus);
  define_u(out, "DMA_CH_DESC_ADDR", kDescAddr);
  define_u(out, "DMA_CH_ERROR_CODE", kErrorCode);
  define_u(out, "DMA_CH_ERROR_ADDR", kErrorAddr);
  define_u(out, "DMA_CH_BYTES_DONE", kBytesDone);
  define_u(out, "DMA_CH_DESCS_DONE", kDescsDone);
  define_u(out, "DMA_CTRL_START", kCtrlStart);
  define_u(out, "DMA_CTRL_IRQ_EN", kCtrlIrqEnable);
  define_u(out, "DMA_STATUS_BUSY", kStatusBusy);
  define_u(out, "DMA_STATUS_DONE", kStatusDone);
  define_u(out, "DMA_STATUS_ERROR", kStatusError);
  define_u(out, "DMA_DESCRIPTOR_BYTES", kDescriptorBytes);
  define_u(out, "DMA_FLAG_FIXED_SRC", kFlagFixedSrc);
  define_u(out, "DMA_FLAG_FIXED_DST", kFlagFixedDst);
  define_u(out, "DMA_FLAG_IRQ", kFlagIrq);
  define_u(out, "DMA_FLAG_LAST", kFlagLast);
}

void write_register_offsets(std::ostream& out) {
  out << "\n/* Register offsets (docs/registers/) */\n";
  define_u(out, "PLIC_PRIORITY", plic_regs::kPriorityBase);
  define_u(out, "PLIC_PENDING", plic_regs::kPendingBase);
  define_u(out, "PLIC_ENABLE", plic_regs::kEnableBase);
  define_u(out, "PLIC_THRESHOLD", plic_regs::kThreshold);
  define_u(out, "PLIC_CLAIM", plic_regs::kClaimComplete);
  define_u(out, "CLINT_MSIP", clint_regs::kMsip);
  define_u(out, "CLINT_MTIMECMP", clint_regs::kMtimecmp);
  define_u(out, "CLINT_MTIME", clint_regs::kMtime);
  define_u(out, "UART_TXDATA", uart_regs::kTxData);
  define_u(out, "UART_RXDATA", uart_regs::kRxData);
  define_u(out, "UART_STATUS", uart_regs::kStatus);
  define_u(out, "UART_IE", uart_regs::kIe);
  define_u(out, "UART_IP", uart_regs::kIp);
  define_u(out, "UART_STATUS_TX_FULL", uart_regs::kTxFull);
  define_u(out, "UART_STATUS_TX_EMPTY", uart_regs::kTxEmpty);
  define_u(out, "UART_STATUS_RX_VALID", uart_regs::kRxValid);
  define_u(out, "UART_IE_TX", uart_regs::kIeTx);
  define_u(out, "UART_IE_RX", uart_regs::kIeRx);
  define_u(out, "UART_FIFO_FLAG", uart_regs::kFifoFlag);
  define_u(out, "SIMCTRL_EXIT", simctrl_regs::kExit);
  define_u(out, "SIMCTRL_PUTCHAR", simctrl_regs::kPutchar);
  define_u(out, "SIMCTRL_CYCLE_LO", simctrl_regs::kCycleLo);
  define_u(out, "SIMCTRL_CYCLE_HI", simctrl_regs::kCycleHi);
  define_u(out, "SIMCTRL_MARK", simctrl_regs::kMark);
  define_u(out, "SIMCTRL_MARK_COUNT", simctrl_regs::kMarkCount);
  write_dma_offsets(out);
}

// Per component: clock, and the settings firmware needs (PLIC sources, CLINT timebase).
void write_components(std::ostream& out, const Platform& p) {
  out << "\n/* Components: kind and clock */\n";
  bool plic_seen = false, clint_seen = false;
  for (Component* c : p.components()) {
    std::string n = macro_name(c->name());
    define(out, n + "_KIND", "\"" + c->component_kind() + "\"");
    define(out, n + "_CLOCK_HZ", std::to_string(c->clock().hz) + "u");
    if (auto* plic = dynamic_cast<Plic*>(c)) {
      define(out, n + "_SOURCES", std::to_string(plic->sources()) + "u");
      if (!std::exchange(plic_seen, true)) define(out, "PLIC_SOURCES", "FLECSIM_" + n + "_SOURCES");
    }
    if (auto* clint = dynamic_cast<Clint*>(c)) {
      define(out, n + "_TIMEBASE_HZ", std::to_string(clint->timebase_hz()) + "u");
      if (!std::exchange(clint_seen, true))
        define(out, "CLINT_TIMEBASE_HZ", "FLECSIM_" + n + "_TIMEBASE_HZ");
    }
  }
}

// Base addresses; the first device of each kind also gets FLECSIM_<KIND>_BASE so the HAL
// headers work on any platform that has one.
void write_address_map(std::ostream& out, const Platform& p) {
  out << "\n/* Address map */\n";
  std::set<std::string> kinds_seen;
  for (const AddressRange& r : p.address_map()) {
    std::string stem = range_stem(p, r);
    define_u(out, stem + "_BASE", r.base);
    define_u(out, stem + "_SIZE", r.size);
    Component* comp = split_target(p, r.target).first;
    std::string kind = macro_name(comp->component_kind());
    if (is_memory(comp) || !kinds_seen.insert(kind).second) continue;
    define(out, "HAVE_" + kind, "1");
    define(out, kind + "_BASE", "FLECSIM_" + stem + "_BASE");
  }
}

// Interrupt numbers: sources wired to an interrupt controller input ("plic0.3").
void write_interrupts(std::ostream& out, const Platform& p) {
  out << "\n/* Interrupts (PLIC source numbers) */\n";
  ConfigNodePtr irqs = p.config().get("interrupts");
  if (!irqs || !irqs->is_seq()) return;
  for (const ConfigNodePtr& item : irqs->items) {
    ConfigNodePtr from = item->get("from"), to = item->get("to");
    if (!from || !to || !from->is_scalar() || !to->is_scalar()) continue;
    auto dot = to->scalar.find('.');
    Component* sink = p.component(to->scalar.substr(0, dot));
    if (!dynamic_cast<Plic*>(sink) || dot == std::string::npos) continue;
    std::string source = from->scalar;
    if (source.size() > 4 && source.compare(source.size() - 4, 4, ".irq") == 0)
      source.resize(source.size() - 4);
    define(out, "IRQ_" + macro_name(source), to->scalar.substr(dot + 1) + "u");
  }
}

void write_clocks(std::ostream& out, const Platform& p) {
  out << "\n/* Clocks */\n";
  ConfigNodePtr clocks = p.config().get("clocks");
  if (clocks && clocks->is_map())
    for (const auto& e : clocks->entries)
      define(out, "CLOCK_" + macro_name(e.key) + "_HZ", std::to_string(p.clock(e.key).hz) + "u");
  define(out, "MAIN_CLOCK_HZ", std::to_string(p.main_clock().hz) + "u");
}

// The reset pc of the first CPU (from its `reset_pc` key), if the platform has one.
std::optional<uint64_t> reset_pc(const Platform& p) {
  ConfigNodePtr cpus = p.config().get("cpu");
  if (!cpus || !cpus->is_map() || cpus->entries.empty()) return std::nullopt;
  ConfigNodePtr pc = cpus->entries.front().value->get("reset_pc");
  if (!pc || !pc->is_scalar()) return std::nullopt;
  return std::stoull(pc->scalar, nullptr, 0);
}

// Memories in address-map order; the main one (code, data, stack, heap) holds the reset pc,
// else it is the first memory mapped.
std::vector<const AddressRange*> memories(const Platform& p, const AddressRange** main) {
  std::vector<const AddressRange*> out;
  *main = nullptr;
  auto pc = reset_pc(p);
  for (const AddressRange& r : p.address_map()) {
    if (!is_memory(split_target(p, r.target).first)) continue;
    out.push_back(&r);
    if (pc && *pc >= r.base && *pc - r.base < r.size) *main = &r;
  }
  if (!*main && !out.empty()) *main = out.front();
  return out;
}

std::string header_text(const Platform& p, const std::string& yaml) {
  std::ostringstream out;
  out << "/* Generated by `flecsim sdk " << yaml << "`: do not edit. */\n"
      << "#ifndef FLECSIM_PLATFORM_H\n#define FLECSIM_PLATFORM_H\n\n";
  define(out, "PLATFORM_NAME", "\"" + p.name() + "\"");
  write_clocks(out, p);
  const AddressRange* main = nullptr;
  memories(p, &main);
  if (main) {
    out << "\n/* Main memory: code, data, stack and heap (memory.ld region FLECSIM_MAIN) */\n";
    define(out, "MAIN_MEMORY_BASE", "FLECSIM_" + range_stem(p, *main) + "_BASE");
    define(out, "MAIN_MEMORY_SIZE", "FLECSIM_" + range_stem(p, *main) + "_SIZE");
  }
  write_address_map(out, p);
  write_interrupts(out, p);
  write_components(out, p);
  write_register_offsets(out);
  out << "\n#endif /* FLECSIM_PLATFORM_H */\n";
  return out.str();
}

std::string linker_text(const Platform& p, const std::string& yaml) {
  const AddressRange* main = nullptr;
  auto mems = memories(p, &main);
  if (!main) throw UserError(yaml + ": the platform maps no memory; firmware cannot be linked");
  std::ostringstream out;
  out << "/* Generated by `flecsim sdk " << yaml << "`: do not edit. */\nMEMORY\n{\n";
  for (const AddressRange* r : mems)
    out << "  " << range_stem(p, *r) << " (rwx) : ORIGIN = " << hex(r->base)
        << ", LENGTH = " << hex(r->size) << "\n";
  out << "}\nREGION_ALIAS(\"FLECSIM_MAIN\", " << range_stem(p, *main) << ");\n";
  return out.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  if (!(f << text)) throw UserError("cannot write '" + path.string() + "'");
}

int run_sdk(const std::string& yaml, const std::string& dir, const std::vector<std::string>& sets) {
  PlatformOptions options;
  options.overrides = sets;
  auto platform = Platform::load(yaml, options);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw UserError("cannot create '" + dir + "': " + ec.message());
  std::string header = header_text(*platform, yaml), linker = linker_text(*platform, yaml);
  write_file(std::filesystem::path(dir) / "flecsim_platform.h", header);
  write_file(std::filesystem::path(dir) / "memory.ld", linker);
  std::cout << "wrote " << dir << "/flecsim_platform.h and " << dir << "/memory.ld\n";
  return kExitOk;
}

}  // namespace

static AppCommandRegistrar sdk_command(
    "sdk", "write the firmware SDK files of a platform (flecsim_platform.h, memory.ld)",
    [](CLI::App* sub) {
      auto yaml = std::make_shared<std::string>();
      auto dir = std::make_shared<std::string>();
      auto sets = std::make_shared<std::vector<std::string>>();
      sub->add_option("platform", *yaml, "platform YAML")->required();
      sub->add_option("-o,--output", *dir, "output directory")->required();
      sub->add_option("--set", *sets, "override a platform key: path.to.key=value");
      return [=] { return run_sdk(*yaml, *dir, *sets); };
    });

}  // namespace flecsim
