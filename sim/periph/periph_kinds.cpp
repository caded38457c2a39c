// Registers the peripheral kinds: plic, clint, uart, simctrl.
#include "periph/clint.h"
#include "periph/plic.h"
#include "periph/simctrl.h"
#include "periph/uart.h"

namespace flecsim {

template <typename T>
static ComponentRegistry::Factory factory_of() {
  return [](const std::string& name, const Config& cfg, BuildContext& ctx) {
    return std::unique_ptr<Component>(new T(name.c_str(), cfg, ctx));
  };
}

void register_periph_kinds(ComponentRegistry& registry) {
  registry.add("plic", "peripherals",
               "PLIC-like interrupt controller: priorities, enables, threshold, claim/complete",
               factory_of<Plic>());
  registry.add("clint", "peripherals", "CLINT: mtime, mtimecmp (timer interrupt), msip",
               factory_of<Clint>());
  registry.add("uart", "peripherals", "UART: TX to stdout and a log file, RX from a file",
               factory_of<Uart>());
  registry.add("simctrl", "peripherals",
               "simulation control: exit code, cycle counter, phase marks, putchar",
               factory_of<SimCtrl>());
}

}  // namespace flecsim
