#include "accel/systolic/systolic.h"

#include "accel/systolic/systolic_spec.h"

#ifdef FLECSIM_WITH_RTLBRIDGE
#include "rtlbridge/systolic_rtl.h"
#endif

namespace flecsim::systolic {

AcceleratorCaps systolic_caps(const SystolicParams& p) {
  AcceleratorCaps caps;
  caps.runtime_kind = "systolic";
  caps.ops = {"qconv", "qmatmul"};
  // docs/accelerators/systolic.md section 4: CONFIG precisions, dataflows, MVOUT max-pooling.
  caps.precisions = {"int8", "int16", "bf16"};
  caps.params = {{"dim", p.dim},           {"sp_rows", p.sp_rows},
                 {"acc_rows", p.acc_rows}, {"bus_bytes", p.bus_bytes},
                 {"dataflow_ws", 1},       {"dataflow_os", 1},
                 {"dataflow_is", 1},       {"maxpool_rows_mask", 1u << 2 | 1u << 4 | 1u << 9}};
  return caps;
}

SystolicParams read_systolic_params(const Config& cfg) {
  uint32_t rows = uint32_t(cfg.integer_in("rows", 1, 128, 16));
  uint32_t cols = uint32_t(cfg.integer_in("cols", 1, 128, rows));
  if (rows != cols)
    cfg.fail("cols", "non-square arrays are not yet supported (rows must equal cols)");
  SystolicParams p = SystolicParams::for_dim(rows);
  p.sp_rows = uint32_t(cfg.integer_in("sp_rows", rows, 65535, p.sp_rows));
  p.acc_rows = uint32_t(cfg.integer_in("acc_rows", 1, 65535, p.acc_rows));
  uint64_t width = cfg.integer("dma_width_bits", 128);
  if (width < 32 || width > 512 || (width & (width - 1)) != 0)
    cfg.fail("dma_width_bits", "must be a power of two from 32 to 512");
  p.bus_bytes = uint32_t(width / 8);
  const std::string fault = cfg.choice("inject_fault", {"none", "timing", "data"}, "none");
  p.fault_timing = fault == "timing";
  p.fault_data = fault == "data";
  return p;
}

SystolicAccelerator::SystolicAccelerator(const sc_core::sc_module_name& name, BuildContext& ctx,
                                         const Config& cfg, const SystolicParams& params)
    : Accelerator(name, "systolic", ctx, cfg, 1) {
  engine_ = std::make_unique<SystolicEngine>(params, dma(0), stats());
  caps_ = systolic_caps(params);
  // The port's register file forwards to the engine so its time rules (sync before access)
  // apply; offsets and names are the engine's.
  for (uint32_t off = 0; off < kRegLoopArg0 + 4 * kLoopArgCount; off += 4) {
    const std::string* reg = engine_->registers().name_at(off);
    if (!reg) continue;
    port_regs_.add(
        off, *reg,
        [this, off](uint64_t c) {
          uint32_t v = 0;
          engine_->read_reg(off, c, v);
          return v;
        },
        [this, off](uint32_t v, uint64_t c) { engine_->write_reg(off, v, c); });
  }
  attach(*engine_, port_regs_);
}

std::string SystolicAccelerator::describe() const {
  const SystolicParams& p = engine_->params();
  return "systolic " + std::to_string(p.dim) + "x" + std::to_string(p.dim) +
         " WS/OS/IS int8/int16/bf16, SP " + std::to_string(p.sp_rows) + " rows, ACC " +
         std::to_string(p.acc_rows) + " rows, DMA " + std::to_string(p.bus_bytes * 8) +
         " bits (model: tlm)";
}

std::string SystolicAccelerator::command_name(const CommandCompletion& c) const {
  return opcode_name(c.opcode);
}

}  // namespace flecsim::systolic

namespace flecsim {

void register_accel_kinds(ComponentRegistry& registry) {
  registry.add("systolic", "accelerators",
               "Gemmini-class systolic array (docs/accelerators/systolic.md); model: tlm or rtl",
               [](const std::string& name, const Config& cfg,
                  BuildContext& ctx) -> std::unique_ptr<Component> {
                 cfg.accept("kind");
                 cfg.accept("clock");
                 std::string model = cfg.choice("model", {"tlm", "rtl"}, std::string("tlm"));
                 if (model == "rtl") {
#ifdef FLECSIM_WITH_RTLBRIDGE
                   return make_systolic_rtl(name, cfg, ctx);
#else
          cfg.fail("model", "model: rtl needs the Verilated systolic bridge, not built here");
#endif
                 }
                 auto params = systolic::read_systolic_params(cfg);
                 return std::make_unique<systolic::SystolicAccelerator>(name.c_str(), ctx, cfg,
                                                                        params);
               });
}

}  // namespace flecsim
