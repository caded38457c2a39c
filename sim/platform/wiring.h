// Wiring of a platform's components (internal to the builder): crossbar initiators, the
// address map and interrupt lines, with the reference and address-range checks.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "platform/platform_impl.h"

namespace flecsim {

class Wiring {
 public:
  explicit Wiring(PlatformBuilder::State& state) : s_(state) {}
  // Called for each component right after it is built, before its keys are checked.
  void add_component(Component* comp, const Config& cfg);
  // Binds initiators, maps address ranges, checks every port is used, connects interrupts.
  void connect(const ConfigNodePtr& root);

  enum class PortKind { kInitiator, kTarget, kIrqOut, kIrqIn };
  struct PortRef {
    Component* comp = nullptr;
    std::string port;       // resolved port name
    std::string canonical;  // "comp.port"
    std::string display;    // "comp" when it has only this one port of the kind, else canonical
  };
  // Resolves "comp.port" (or "comp" when comp has exactly one port of that kind).
  PortRef resolve(const std::string& text, PortKind kind, const SourceLoc& loc,
                  const std::string& context) const;

 private:
  struct Bus {
    Component* comp;
    Interconnect* interconnect;
    ConfigNodePtr initiators;  // the crossbar's `initiators:` list (may be null)
  };
  Component* find_component(const std::string& name, const SourceLoc& loc,
                            const std::string& context) const;
  const Bus& find_bus(const Config& entry) const;
  void bind_initiators();
  void map_range(const Config& entry);
  void map_addresses(const ConfigNodePtr& list);
  void check_overlaps() const;
  void check_all_ports_used() const;
  void connect_interrupts(const ConfigNodePtr& list);

  PlatformBuilder::State& s_;
  std::vector<Bus> buses_;
  std::map<std::string, SourceLoc> bound_initiators_;  // canonical port -> where bound
  std::map<std::string, SourceLoc> mapped_targets_;    // canonical port -> where mapped
};

}  // namespace flecsim
