#include "platform/platform.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "core/units.h"
#include "platform/loader.h"
#include "platform/platform_impl.h"

namespace flecsim {

Platform::Platform() : impl_(std::make_unique<Impl>()) {}

Platform::~Platform() {
  // Components (sc_modules) go first: they may refer to the stats registry.
  impl_->owned.clear();
}

std::unique_ptr<Platform> Platform::load(const std::string& yaml_path,
                                         const PlatformOptions& options,
                                         const ComponentRegistry& registry) {
  ConfigNodePtr root = load_config_file(yaml_path);
  if (root->type == ConfigNode::Type::kNull && !options.overrides.empty())
    throw UserError(SourceLoc{yaml_path, 1, 1}, "the platform file is empty");
  apply_overrides(*root, options.overrides);
  return PlatformBuilder::build(root, yaml_path, options, registry);
}

std::unique_ptr<Platform> Platform::from_text(const std::string& yaml_text, const std::string& file,
                                              const PlatformOptions& options,
                                              const ComponentRegistry& registry) {
  ConfigNodePtr root = load_config_text(yaml_text, file);
  if (root->type == ConfigNode::Type::kNull && !options.overrides.empty())
    throw UserError(SourceLoc{file, 1, 1}, "the platform file is empty");
  apply_overrides(*root, options.overrides);
  return PlatformBuilder::build(root, file, options, registry);
}

const std::string& Platform::name() const {
  return impl_->name;
}
const std::string& Platform::source_file() const {
  return impl_->file;
}
const ConfigNode& Platform::config() const {
  return *impl_->root;
}
StatsRegistry& Platform::stats() {
  return *impl_->stats;
}

const Clock& Platform::clock(const std::string& name) const {
  std::vector<std::string> names;
  for (const auto& [n, c] : impl_->clocks) {
    if (n == name) return c;
    names.push_back(n);
  }
  std::string hint = closest_match(name, names);
  throw UserError("unknown clock '" + name + "'" +
                  (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
}

const Clock& Platform::main_clock() const {
  return impl_->clocks.front().second;
}

Component* Platform::component(const std::string& name) const {
  auto it = impl_->by_name.find(name);
  return it == impl_->by_name.end() ? nullptr : it->second;
}

const std::vector<Component*>& Platform::components() const {
  return impl_->components;
}

std::vector<Component*> Platform::components_of_kind(const std::string& kind) const {
  std::vector<Component*> out;
  for (Component* c : impl_->components)
    if (c->component_kind() == kind) out.push_back(c);
  return out;
}

const std::vector<AddressRange>& Platform::address_map() const {
  return impl_->address_map;
}

const AddressRange* Platform::range_of(const std::string& target) const {
  auto it = impl_->range_by_name.find(target);
  return it == impl_->range_by_name.end() ? nullptr : &impl_->address_map[it->second];
}

uint8_t* Platform::backdoor(uint64_t addr, uint64_t len) const {
  for (const AddressRange& r : impl_->address_map) {
    if (r.bus != impl_->first_bus || addr < r.base || addr - r.base >= r.size) continue;
    if (len > r.size - (addr - r.base)) return nullptr;  // runs past the end of this range
    std::string comp = r.target.substr(0, r.target.find('.'));
    auto* memory = dynamic_cast<MemoryBackdoor*>(component(comp));
    return memory ? memory->backdoor(addr - r.base, len) : nullptr;
  }
  return nullptr;
}

static std::string phys_range(uint64_t addr, uint64_t len) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "[0x%08" PRIx64 ", +%" PRIu64 " bytes)", addr, len);
  return buf;
}

void Platform::write_phys(uint64_t addr, const void* data, uint64_t len) const {
  if (len == 0) return;
  uint8_t* p = backdoor(addr, len);
  if (!p) throw UserError("cannot write " + phys_range(addr, len) + ": not inside one memory");
  std::memcpy(p, data, len);
}

void Platform::read_phys(uint64_t addr, void* data, uint64_t len) const {
  if (len == 0) return;
  const uint8_t* p = backdoor(addr, len);
  if (!p) throw UserError("cannot read " + phys_range(addr, len) + ": not inside one memory");
  std::memcpy(data, p, len);
}

std::optional<Platform::StopRequest> Platform::run(Tick limit) {
  if (impl_->error) std::rethrow_exception(impl_->error);
  if (impl_->stop) return impl_->stop;
  try {
    if (limit == 0) {
      sc_core::sc_start();
    } else {
      const sc_core::sc_time end = sc_core::sc_time_stamp() + to_sc_time(limit);
      sc_core::sc_start(to_sc_time(limit), sc_core::SC_EXIT_ON_STARVATION);
      // That policy leaves time at the last event before the limit even when later events are
      // pending (e.g. the CPU asleep until an interrupt after it): the watchdog then stops at
      // the limit itself, so partial statistics end where the run was cut.
      if (!impl_->stop && sc_core::sc_pending_activity() && sc_core::sc_time_stamp() < end)
        sc_core::sc_start(end - sc_core::sc_time_stamp(), sc_core::SC_RUN_TO_TIME);
    }
  } catch (const sc_core::sc_report& report) {
    throw InternalError(std::string("SystemC: ") + report.what());
  }
  if (impl_->error) std::rethrow_exception(impl_->error);
  return impl_->stop;
}

void Platform::report_error(std::exception_ptr error) {
  if (impl_->error) return;
  impl_->error = error;
  request_stop(kExitInternal, "error");
}

void Platform::request_stop(int exit_code, const std::string& reason) {
  if (impl_->stop) return;
  impl_->stop = StopRequest{exit_code, reason};
  if (!sc_core::sc_is_running()) return;
  // sc_stop() reports "Simulation stopped by user." as an info; the run reports its own end.
  sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO,
                                          sc_core::SC_DO_NOTHING);
  sc_core::sc_stop();
}

bool Platform::stop_requested() const {
  return impl_->stop.has_value();
}

const Platform::StopRequest* Platform::stop_request() const {
  return impl_->stop ? &*impl_->stop : nullptr;
}

void Platform::finish() {
  if (impl_->finished) return;
  impl_->finished = true;
  for (Component* c : impl_->components) c->finish();
}

std::string Platform::describe() const {
  std::ostringstream os;
  os << "platform " << impl_->name << " (" << impl_->file << ")\n";
  if (!impl_->description.empty()) os << "  " << impl_->description << "\n";
  os << "clocks:\n";
  for (const auto& [name, clock] : impl_->clocks)
    os << "  " << name << ": " << format_hz(clock.hz) << " (" << clock.period_ps << " ps)\n";
  os << "components:\n";
  for (Component* c : impl_->components) {
    const auto& info = impl_->info.at(c->basename());
    const std::string& kind = c->component_kind();
    std::string text = c->describe();  // many start with their kind, which has its own column
    if (text.rfind(kind, 0) == 0 && (text.size() == kind.size() || text[kind.size()] == ' '))
      text.erase(0, std::min(text.size(), kind.size() + 1));
    char line[80];
    std::snprintf(line, sizeof line, "  %-14s %-13s %-10s ", c->basename(), info.section.c_str(),
                  kind.c_str());
    std::string row = line + text;
    row.erase(row.find_last_not_of(' ') + 1);
    os << row << "\n";
  }
  std::vector<const AddressRange*> sorted;
  for (const auto& r : impl_->address_map) sorted.push_back(&r);
  std::stable_sort(sorted.begin(), sorted.end(), [](const AddressRange* a, const AddressRange* b) {
    return a->bus != b->bus ? a->bus < b->bus : a->base < b->base;
  });
  os << "address map:\n";
  for (const AddressRange* r : sorted) {
    char line[200];
    std::snprintf(line, sizeof line, "  %-8s 0x%08" PRIx64 " - 0x%08" PRIx64 "  %-10s %s",
                  r->bus.c_str(), r->base, r->base + r->size - 1, format_bytes(r->size).c_str(),
                  r->target.c_str());
    os << line << "\n";
  }
  if (!impl_->irq_wires.empty()) os << "interrupts:\n";
  for (const auto& w : impl_->irq_wires) os << "  " << w.from << " -> " << w.to << "\n";
  return os.str();
}

}  // namespace flecsim
