#include "platform/component.h"

namespace flecsim {

Component::Component(const sc_core::sc_module_name& name, const std::string& kind,
                     BuildContext& ctx)
    : sc_core::sc_module(name), kind_(kind), clock_(ctx.clock) {
  if (!ctx.stats)
    throw InternalError(std::string(this->name()) + ": built without a stats registry");
  stats_ = &ctx.stats->group(this->name(), kind);
}

template <typename Map>
static std::vector<std::string> keys_of(const Map& m) {
  std::vector<std::string> out;
  for (const auto& kv : m) out.push_back(kv.first);
  return out;
}

InitiatorSocket* Component::initiator(const std::string& port) const {
  auto it = initiators_.find(port);
  return it == initiators_.end() ? nullptr : it->second;
}
const TargetPort* Component::target(const std::string& port) const {
  auto it = targets_.find(port);
  return it == targets_.end() ? nullptr : &it->second;
}
IrqLine* Component::irq_out(const std::string& port) const {
  auto it = irq_outs_.find(port);
  return it == irq_outs_.end() ? nullptr : it->second;
}
IrqLine::Sink Component::irq_in(const std::string& port) const {
  auto it = irq_ins_.find(port);
  return it == irq_ins_.end() ? IrqLine::Sink() : it->second;
}
std::vector<std::string> Component::initiator_names() const {
  return keys_of(initiators_);
}
std::vector<std::string> Component::target_names() const {
  return keys_of(targets_);
}
std::vector<std::string> Component::irq_out_names() const {
  return keys_of(irq_outs_);
}
std::vector<std::string> Component::irq_in_names() const {
  return keys_of(irq_ins_);
}

void Component::expose_initiator(const std::string& port, InitiatorSocket& socket) {
  initiators_[port] = &socket;
}
void Component::expose_target(const std::string& port, TargetSocket& socket, uint64_t size,
                              bool dmi) {
  targets_[port] = TargetPort{&socket, size, dmi};
}
void Component::expose_irq_out(const std::string& port, IrqLine& line) {
  irq_outs_[port] = &line;
}
void Component::expose_irq_in(const std::string& port, IrqLine::Sink sink) {
  irq_ins_[port] = std::move(sink);
}

void ComponentRegistry::add(const std::string& kind, const std::string& section,
                            const std::string& summary, Factory factory) {
  kinds_[kind] = Kind{kind, section, summary, std::move(factory)};
}

const ComponentRegistry::Kind* ComponentRegistry::find(const std::string& kind) const {
  auto it = kinds_.find(kind);
  return it == kinds_.end() ? nullptr : &it->second;
}

std::vector<std::string> ComponentRegistry::names() const {
  return keys_of(kinds_);
}

}  // namespace flecsim
