// The state behind Platform (shared by platform.cpp and builder.cpp; not a public header).
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "platform/platform.h"

namespace flecsim {

struct Platform::Impl {
  struct ComponentInfo {
    std::string section;  // "memories"
    SourceLoc loc;        // where its name is in the YAML
  };
  struct IrqWire {
    std::string from, to;
  };

  std::string name, description, file;
  ConfigNodePtr root;
  PlatformOptions options;
  std::unique_ptr<StatsRegistry> stats;
  std::vector<std::pair<std::string, Clock>> clocks;  // in YAML order; the first is main
  std::vector<std::unique_ptr<Component>> owned;
  std::vector<Component*> components;  // YAML order
  std::map<std::string, Component*> by_name;
  std::map<std::string, ComponentInfo> info;
  std::vector<AddressRange> address_map;        // YAML order
  std::map<std::string, size_t> range_by_name;  // "dram0" and "dram0.mem" -> address_map index
  std::vector<IrqWire> irq_wires;
  std::string first_bus;  // the crossbar backdoor addresses are decoded by
  std::optional<StopRequest> stop;
  std::exception_ptr error;  // first error a process reported
  bool finished = false;
};

// Builds a Platform from a merged configuration tree (builder.cpp).
class PlatformBuilder {
 public:
  using State = Platform::Impl;  // lets builder.cpp's helpers name the platform's state
  static std::unique_ptr<Platform> build(ConfigNodePtr root, const std::string& file,
                                         const PlatformOptions& options,
                                         const ComponentRegistry& registry);
};

}  // namespace flecsim
