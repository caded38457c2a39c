#include "test_kinds.h"

#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstring>
#include <deque>

#include "platform/platform.h"

namespace flecsim::testing {

namespace {

// Decodes addresses to targets; every transfer costs latency_cycles of its clock.
class TestBus : public Component, public Interconnect {
 public:
  TestBus(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx)
      : Component(name, "tbus", ctx), in_("in"), out_("out") {
    latency_ = cfg.integer("latency_cycles", 1);
    in_.register_b_transport(this, &TestBus::b_transport);
  }
  void connect_initiator(const std::string&, InitiatorSocket& socket) override { socket.bind(in_); }
  void map_target(const std::string&, TargetSocket& socket, uint64_t base, uint64_t size,
                  bool) override {
    out_.bind(socket);
    routes_.push_back({base, size});
  }

 private:
  void b_transport(int, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
    delay += to_sc_time(clock().ticks(latency_));
    uint64_t addr = trans.get_address();
    for (size_t i = 0; i < routes_.size(); ++i) {
      if (addr < routes_[i].first || addr - routes_[i].first >= routes_[i].second) continue;
      trans.set_address(addr - routes_[i].first);
      out_[static_cast<int>(i)]->b_transport(trans, delay);
      trans.set_address(addr);
      return;
    }
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
  }
  uint64_t latency_;
  std::vector<std::pair<uint64_t, uint64_t>> routes_;
  tlm_utils::multi_passthrough_target_socket<TestBus, 32> in_;
  tlm_utils::multi_passthrough_initiator_socket<TestBus, 32> out_;
};

// A RAM of `size` bytes answering after latency_cycles.
class TestMemory : public Component, public MemoryBackdoor {
 public:
  TestMemory(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx)
      : Component(name, "tmem", ctx), socket_("mem") {
    data_.resize(cfg.bytes("size"));
    latency_ = cfg.integer("latency_cycles", 1);
    socket_.register_b_transport(this, &TestMemory::b_transport);
    expose_target("mem", socket_, data_.size(), true);
  }
  uint8_t* backdoor(uint64_t offset, uint64_t len) override {
    return offset + len <= data_.size() ? data_.data() + offset : nullptr;
  }
  std::string describe() const override { return std::to_string(data_.size()) + " bytes"; }

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
    delay += to_sc_time(clock().ticks(latency_));
    uint8_t* p = backdoor(trans.get_address(), trans.get_data_length());
    if (!p) return trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    if (trans.is_write())
      std::memcpy(p, trans.get_data_ptr(), trans.get_data_length());
    else
      std::memcpy(trans.get_data_ptr(), p, trans.get_data_length());
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  std::vector<uint8_t> data_;
  uint64_t latency_;
  tlm_utils::simple_target_socket<TestMemory, 32> socket_;
};

// Writes `value` to `address`, reads it back, raises `irq` and asks the platform to stop with
// exit code 0 when the value came back (1 otherwise). With `fail: true` it throws a
// CheckFailure instead of raising irq.
class TestMaster : public Component {
 public:
  SC_HAS_PROCESS(TestMaster);
  TestMaster(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx)
      : Component(name, "tmaster", ctx), socket_("bus"), platform_(ctx.platform) {
    address_ = cfg.integer("address");
    value_ = static_cast<uint32_t>(cfg.integer("value", 0x12345678));
    fail_ = cfg.flag("fail", false);
    expose_initiator("bus", socket_);
    expose_irq_out("irq", irq_);
    SC_THREAD(script);
  }

 private:
  bool access(tlm::tlm_command cmd, uint32_t& word) {
    tlm::tlm_generic_payload trans;
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    trans.set_command(cmd);
    trans.set_address(address_);
    trans.set_data_ptr(reinterpret_cast<unsigned char*>(&word));
    trans.set_data_length(4);
    trans.set_streaming_width(4);
    trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    socket_->b_transport(trans, delay);
    wait(delay);
    return trans.is_response_ok();
  }
  void script() {
    try {
      write_and_read_back();
    } catch (...) {
      if (!platform_) throw;
      platform_->report_error(std::current_exception());
    }
  }
  void write_and_read_back() {
    uint32_t out = value_, in = 0;
    bool ok = access(tlm::TLM_WRITE_COMMAND, out) && access(tlm::TLM_READ_COMMAND, in);
    if (fail_) throw CheckFailure("tmaster: failed on purpose after the write and read");
    irq_.raise();
    if (platform_) platform_->request_stop(ok && in == value_ ? 0 : 1, ok ? "done" : "bus error");
  }
  tlm_utils::simple_initiator_socket<TestMaster, 32> socket_;
  IrqLine irq_;
  Platform* platform_;
  uint64_t address_;
  uint32_t value_;
  bool fail_;
};

// A device whose ports are named in its config: targets (4 KiB each, answer OK), masters
// (initiator ports that stay idle), irq_outs and irq_ins (inputs record their level).
class TestDevice : public Component, public tlm::tlm_fw_transport_if<>, tlm::tlm_bw_transport_if<> {
 public:
  TestDevice(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx)
      : Component(name, "tdev", ctx) {
    uint64_t size = cfg.bytes("port_size", 4096);
    for (const auto& port : cfg.str_list("targets")) {
      targets_.emplace_back(("t_" + port).c_str());
      targets_.back().bind(*this);
      expose_target(port, targets_.back(), size, false);
    }
    for (const auto& port : cfg.str_list("masters")) {
      masters_.emplace_back(("m_" + port).c_str());
      masters_.back().bind(*this);
      expose_initiator(port, masters_.back());
    }
    for (const auto& port : cfg.str_list("irq_outs")) expose_irq_out(port, outs_[port]);
    for (const auto& port : cfg.str_list("irq_ins"))
      expose_irq_in(port, [this, port](bool level) { levels_[port] = level; });
  }
  bool level(const std::string& port) const {
    auto it = levels_.find(port);
    return it != levels_.end() && it->second;
  }

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time&) override {
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload&, tlm::tlm_phase&,
                                     sc_core::sc_time&) override {
    return tlm::TLM_COMPLETED;
  }
  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload&, tlm::tlm_phase&,
                                     sc_core::sc_time&) override {
    return tlm::TLM_COMPLETED;
  }
  bool get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi&) override { return false; }
  unsigned transport_dbg(tlm::tlm_generic_payload&) override { return 0; }
  void invalidate_direct_mem_ptr(sc_dt::uint64, sc_dt::uint64) override {}

  std::deque<TargetSocket> targets_;
  std::deque<InitiatorSocket> masters_;
  std::map<std::string, IrqLine> outs_;
  std::map<std::string, bool> levels_;
};

template <typename T>
ComponentRegistry::Factory factory() {
  return [](const std::string& name, const Config& cfg, BuildContext& ctx) {
    return std::unique_ptr<Component>(new T(name.c_str(), cfg, ctx));
  };
}

}  // namespace

bool test_device_irq_level(const Component& device, const std::string& port) {
  return dynamic_cast<const TestDevice&>(device).level(port);
}

void register_test_kinds(ComponentRegistry& registry) {
  registry.add("tbus", "crossbars", "test bus", factory<TestBus>());
  registry.add("tmem", "memories", "test memory", factory<TestMemory>());
  registry.add("tmaster", "cpu", "test master", factory<TestMaster>());
  registry.add("tdev", "peripherals", "test device", factory<TestDevice>());
}

const ComponentRegistry& test_registry() {
  static ComponentRegistry* registry = [] {
    auto* r = new ComponentRegistry();
    register_test_kinds(*r);
    return r;
  }();
  return *registry;
}

}  // namespace flecsim::testing
