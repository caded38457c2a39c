// The base of every platform component, its named ports, interrupt lines, and the registry of
// component kinds.
//
// A component is one sc_module. In its constructor it reads its settings from a Config and
// exposes named ports: TLM initiator sockets (it masters the bus), TLM target sockets (it is
// mapped in the address map; it sees *local* offsets from its base), interrupt outputs and
// inputs. The platform builder binds ports by name as the YAML says, so every binding is
// visible in one place (platform/builder.cpp).
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <systemc>
#include <tlm>
#include <vector>

#include "core/stats.h"
#include "core/time.h"
#include "platform/config.h"

namespace flecsim {

class Platform;

// A level-sensitive interrupt wire. The source calls set(); connected sinks are called at once
// (in the caller's SystemC process, at its current local time).
class IrqLine {
 public:
  using Sink = std::function<void(bool level)>;
  void connect(Sink sink) { sinks_.push_back(std::move(sink)); }
  void set(bool level) {
    if (level == level_) return;
    level_ = level;
    for (auto& s : sinks_) s(level);
  }
  void raise() { set(true); }
  void lower() { set(false); }
  bool level() const { return level_; }
  bool connected() const { return !sinks_.empty(); }

 private:
  bool level_ = false;
  std::vector<Sink> sinks_;
};

using InitiatorSocket = tlm::tlm_initiator_socket<32>;
using TargetSocket = tlm::tlm_target_socket<32>;

struct TargetPort {
  TargetSocket* socket = nullptr;
  uint64_t size = 0;  // bytes of address space this port decodes (0: the entry must give size)
  bool dmi = false;   // memory that grants DMI
};

// What a component is given when it is built.
struct BuildContext {
  Platform* platform = nullptr;  // may be null in unit tests
  StatsRegistry* stats = nullptr;
  Clock clock;             // the clock named by the component's `clock:` key
  std::string output_dir;  // where files the user asked for go ("" = none)
};

// What an accelerator offers the compiler: capability-based mapping asks every component for
// this instead of knowing accelerator kinds. `ops` are lowered op names ("qconv", "qmatmul");
// `params` are the sizes the runtime needs (dim, sp_rows, acc_rows ...).
struct AcceleratorCaps {
  std::string runtime_kind;  // how the runtime drives it: "systolic"
  std::vector<std::string> ops;
  std::vector<std::string> precisions;  // "int8", "int16", "bf16"
  std::map<std::string, uint64_t> params;
};

class Component : public sc_core::sc_module {
 public:
  Component(const sc_core::sc_module_name& name, const std::string& kind, BuildContext& ctx);
  ~Component() override = default;

  const std::string& component_kind() const { return kind_; }
  const Clock& clock() const { return clock_; }
  StatGroup& stats() { return *stats_; }

  // Ports by name, as the YAML refers to them ("dma0.mem", "dram0" = default target port).
  InitiatorSocket* initiator(const std::string& port) const;
  const TargetPort* target(const std::string& port) const;
  IrqLine* irq_out(const std::string& port) const;
  IrqLine::Sink irq_in(const std::string& port) const;
  std::vector<std::string> initiator_names() const;
  std::vector<std::string> target_names() const;
  std::vector<std::string> irq_out_names() const;
  std::vector<std::string> irq_in_names() const;

  // One line for `flecsim check` (size, width, latency ...).
  virtual std::string describe() const { return kind_; }
  // Accelerators describe what they can run (nullptr: not an accelerator).
  virtual const AcceleratorCaps* accelerator_caps() const { return nullptr; }
  // Called once after all bindings, before simulation starts.
  virtual void platform_ready() {}
  // Called after simulation ends (flush counters that are computed lazily).
  virtual void finish() {}

 protected:
  void expose_initiator(const std::string& port, InitiatorSocket& socket);
  void expose_target(const std::string& port, TargetSocket& socket, uint64_t size, bool dmi);
  void expose_irq_out(const std::string& port, IrqLine& line);
  void expose_irq_in(const std::string& port, IrqLine::Sink sink);

 private:
  std::string kind_;
  Clock clock_;
  StatGroup* stats_;
  std::map<std::string, InitiatorSocket*> initiators_;
  std::map<std::string, TargetPort> targets_;
  std::map<std::string, IrqLine*> irq_outs_;
  std::map<std::string, IrqLine::Sink> irq_ins_;
};

// Implemented by crossbars: the platform builder hands them their initiators and the address
// ranges they decode (builder.cpp binds the sockets; the crossbar only records the mapping).
class Interconnect {
 public:
  virtual ~Interconnect() = default;
  // Binds `socket` (an initiator's) to this crossbar; `name` is "dma0.mem".
  virtual void connect_initiator(const std::string& name, InitiatorSocket& socket) = 0;
  // Decodes [base, base+size) to `socket`, which sees offsets from base. `name` is "dram0".
  virtual void map_target(const std::string& name, TargetSocket& socket, uint64_t base,
                          uint64_t size, bool dmi) = 0;
};

// Registry of component kinds: "sram" -> factory. Each component folder provides
// register_<folder>_kinds(ComponentRegistry&), called from platform/kinds.cpp.
class ComponentRegistry {
 public:
  using Factory = std::function<std::unique_ptr<Component>(const std::string& name,
                                                           const Config& cfg, BuildContext& ctx)>;
  struct Kind {
    std::string name;
    std::string section;  // platform YAML section it normally appears in ("memories", ...)
    std::string summary;  // one line for docs and `flecsim check --kinds`
    Factory factory;
  };
  void add(const std::string& kind, const std::string& section, const std::string& summary,
           Factory factory);
  const Kind* find(const std::string& kind) const;
  std::vector<std::string> names() const;

  // The registry with every built-in kind.
  static ComponentRegistry& builtin();

 private:
  std::map<std::string, Kind> kinds_;
};

}  // namespace flecsim
