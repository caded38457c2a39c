// Builds small fabrics by hand (no platform builder): components from YAML snippets, bound in
// C++, in a fresh SystemC context per test; plus a scripted test initiator (a "CPU" that runs a
// C++ lambda in an SC_THREAD).
#pragma once
#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <functional>
#include <memory>
#include <vector>

#include "bus/crossbar.h"
#include "platform/component.h"

namespace flecsim::test {

class TestInitiator : public sc_core::sc_module {
 public:
  using Script = std::function<void(TestInitiator&)>;
  TestInitiator(const sc_core::sc_module_name& name, Script script)
      : sc_module(name), socket("socket"), script_(std::move(script)) {
    socket.register_invalidate_direct_mem_ptr(this, &TestInitiator::invalidate);
    sc_core::sc_spawn_options opts;
    sc_core::sc_spawn([this] { script_(*this); }, "script", &opts);
  }
  // Blocking access synchronised with SystemC time; returns the response status.
  tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len) {
    tlm::tlm_generic_payload t;
    t.set_command(cmd);
    t.set_address(addr);
    t.set_data_ptr(static_cast<unsigned char*>(data));
    t.set_data_length(len);
    t.set_streaming_width(len);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(t, delay);
    sc_core::wait(delay);
    return t.get_response_status();
  }
  void write32(uint64_t addr, uint32_t v) {
    ASSERT_EQ(access(tlm::TLM_WRITE_COMMAND, addr, &v, 4), tlm::TLM_OK_RESPONSE);
  }
  uint32_t read32(uint64_t addr) {
    uint32_t v = 0;
    EXPECT_EQ(access(tlm::TLM_READ_COMMAND, addr, &v, 4), tlm::TLM_OK_RESPONSE);
    return v;
  }
  void invalidate(sc_dt::uint64 start, sc_dt::uint64 end) { invalidations.push_back({start, end}); }
  tlm_utils::simple_initiator_socket<TestInitiator, 32> socket;
  std::vector<std::pair<uint64_t, uint64_t>> invalidations;  // DMI invalidations received

 private:
  Script script_;
};

// Owns the components of one test; a fresh SystemC context is made first and the components are
// destroyed before the next test makes its own.
class Fabric {
 public:
  explicit Fabric(uint64_t clock_hz) : stats_(false) {
    fresh_simulation();
    ctx_.stats = &stats_;
    ctx_.clock = Clock::from_hz(clock_hz);
  }
  // `file` names the YAML in messages and anchors relative paths in it.
  template <typename T>
  T& add(const std::string& name, const std::string& yaml, const std::string& file = "test.yaml") {
    Config cfg(parse_yaml_text(yaml.empty() ? "{}" : yaml, file), name);
    auto c = std::make_unique<T>(name.c_str(), cfg, ctx_);
    cfg.check_unused();
    T& ref = *c;
    parts_.push_back(std::move(c));
    return ref;
  }
  TestInitiator& cpu(const std::string& name, TestInitiator::Script script) {
    initiators_.push_back(std::make_unique<TestInitiator>(name.c_str(), std::move(script)));
    return *initiators_.back();
  }
  // Runs to the end (no events left) and lets components flush their counters.
  void run() {
    sc_core::sc_start();
    for (auto& p : parts_) p->finish();
  }
  uint64_t counter(const std::string& component, const std::string& name) {
    const StatGroup* g = stats_.find(component);
    const Counter* c = g ? g->find(name) : nullptr;
    EXPECT_NE(c, nullptr) << component << "." << name;
    return c ? c->value : ~0ull;
  }
  Tick period() const { return ctx_.clock.period_ps; }

 private:
  StatsRegistry stats_;
  BuildContext ctx_;
  std::vector<std::unique_ptr<Component>> parts_;
  std::vector<std::unique_ptr<TestInitiator>> initiators_;
};

}  // namespace flecsim::test
