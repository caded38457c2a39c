// `kind: systolic` with `model: rtl`: the Verilated systolic array as a platform component,
// interchangeable with the C++ model (same ports "regs", "dma", "irq"; same registers).
#pragma once
#include <memory>
#include <string>

#include "platform/component.h"
#include "platform/config.h"

#define FLECSIM_SYSTOLIC_RTL 1

namespace flecsim {

// Reads the same keys as the C++ model (rows, cols, sp_rows, acc_rows, dma_width_bits,
// reg_latency_cycles) plus `vcd: FILE` (waveform dump of the whole run). Fails with a
// UserError at the key when no Verilated library matches the geometry.
std::unique_ptr<Component> make_systolic_rtl(const std::string& name, const Config& cfg,
                                             BuildContext& ctx);

}  // namespace flecsim
