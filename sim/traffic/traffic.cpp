#include "traffic/traffic.h"

#include <algorithm>

namespace flecsim {

TrafficGenerator::TrafficGenerator(const sc_core::sc_module_name& name, const Config& cfg,
                                   BuildContext& ctx)
    : Component(name, "traffic", ctx),
      mem("mem"),
      requests_(stats().counter("requests", "transactions")),
      read_bytes_(stats().counter("read_bytes", "bytes")),
      write_bytes_(stats().counter("write_bytes", "bytes")),
      errors_(stats().counter("errors", "transactions")),
      latency_cycles_(stats().counter("latency_cycles", "cycles",
                                      "sum over requests of completion minus issue")) {
  unsigned max_bytes = 4;
  for (const Config& s : cfg.sub_list("script")) {
    Step step;
    step.write = s.choice("op", {"read", "write"}) == "write";
    step.addr = s.integer("addr");
    step.bytes = static_cast<unsigned>(s.integer_in("bytes", 1, 1u << 20, 4));
    step.count = s.integer_in("count", 1, 1ull << 32, 1);
    step.stride = static_cast<int64_t>(s.integer("stride", step.bytes));
    step.has_at = s.has("at");
    step.at = s.picoseconds("at", 0);
    step.gap_cycles = s.integer("gap_cycles", 0);
    step.has_value = s.has("value");
    step.value = s.integer("value", 0);
    s.check_unused();
    max_bytes = std::max(max_bytes, step.bytes);
    script_.push_back(step);
  }
  buffer_.resize(max_bytes);
  expose_initiator("mem", mem);
  sc_core::sc_spawn_options opts;
  sc_core::sc_spawn([this] { run(); }, "player", &opts);
}

std::string TrafficGenerator::describe() const {
  return "traffic generator, " + std::to_string(script_.size()) + " script entries";
}

void TrafficGenerator::run() {
  tlm::tlm_generic_payload trans;
  Tick ready = 0;  // completion of the previous request
  for (const Step& step : script_) {
    for (uint64_t j = 0; j < step.count; ++j) {
      Tick issue = ready + (j || ready ? step.gap_cycles * clock().period_ps : 0);
      if (j == 0 && step.has_at) issue = std::max(issue, step.at);
      issue = clock().edge_at_or_after(issue);
      if (issue > now_ticks()) sc_core::wait(to_sc_time(issue - now_ticks()));
      const uint64_t addr = step.addr + j * step.stride;
      for (unsigned i = 0; i < step.bytes; ++i)
        buffer_[i] = static_cast<uint8_t>(step.has_value ? step.value >> (8 * (i % 8)) : addr + i);
      trans.set_command(step.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
      trans.set_address(addr);
      trans.set_data_ptr(buffer_.data());
      trans.set_data_length(step.bytes);
      trans.set_streaming_width(step.bytes);
      trans.set_byte_enable_ptr(nullptr);
      trans.set_dmi_allowed(false);
      trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
      sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
      mem->b_transport(trans, delay);
      const Tick done = now_ticks() + to_ticks(delay);
      records_.push_back(
          Record{step.write, addr, step.bytes, issue, done, trans.get_response_status()});
      ++requests_;
      (step.write ? write_bytes_ : read_bytes_) += step.bytes;
      if (!trans.is_response_ok()) ++errors_;
      latency_cycles_ += (done - issue) / clock().period_ps;
      stats().busy(issue, done, step.write ? "write" : "read");
      if (done > now_ticks()) sc_core::wait(to_sc_time(done - now_ticks()));
      ready = done;
    }
  }
  finished_ = true;
}

void register_traffic_kinds(ComponentRegistry& registry) {
  registry.add("traffic", "peripherals",
               "scriptable traffic generator: reads and writes from YAML, records completions",
               [](const std::string& name, const Config& cfg, BuildContext& ctx) {
                 return std::make_unique<TrafficGenerator>(name.c_str(), cfg, ctx);
               });
}

}  // namespace flecsim
