#include "platform/wiring.h"

#include <cinttypes>
#include <cstdio>
#include <limits>

#include "core/units.h"

namespace flecsim {

namespace {

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%08" PRIx64, v);
  return buf;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  // Numbered ports (plic0.1 ... plic0.31) are all "close" to each other: no hint helps there.
  if (word.find_first_not_of("0123456789") == std::string::npos) return "";
  std::string hint = closest_match(word, candidates);
  return hint.empty() ? "" : " (did you mean '" + hint + "'?)";
}

const char* noun(Wiring::PortKind kind) {
  switch (kind) {
    case Wiring::PortKind::kInitiator:
      return "initiator port";
    case Wiring::PortKind::kTarget:
      return "target port";
    case Wiring::PortKind::kIrqOut:
      return "interrupt output";
    default:
      return "interrupt input";
  }
}

std::vector<std::string> port_names(const Component& c, Wiring::PortKind kind) {
  switch (kind) {
    case Wiring::PortKind::kInitiator:
      return c.initiator_names();
    case Wiring::PortKind::kTarget:
      return c.target_names();
    case Wiring::PortKind::kIrqOut:
      return c.irq_out_names();
    default:
      return c.irq_in_names();
  }
}

// The list under a key (null: empty); `one_name_is_a_list` accepts `initiators: cpu0.bus`.
std::vector<ConfigNodePtr> items_of(const ConfigNodePtr& node, const std::string& what,
                                    bool one_name_is_a_list = false) {
  if (!node || node->type == ConfigNode::Type::kNull) return {};
  if (node->is_scalar() && one_name_is_a_list) return {node};
  if (!node->is_seq())
    throw UserError(node->loc, what + ": expected a list, got " + node->type_name());
  return node->items;
}

}  // namespace

Component* Wiring::find_component(const std::string& name, const SourceLoc& loc,
                                  const std::string& context) const {
  auto it = s_.by_name.find(name);
  if (it != s_.by_name.end()) return it->second;
  std::vector<std::string> names;
  for (const auto& kv : s_.by_name) names.push_back(kv.first);
  throw UserError(loc, context + ": unknown component '" + name + "'" + did_you_mean(name, names));
}

Wiring::PortRef Wiring::resolve(const std::string& text, PortKind kind, const SourceLoc& loc,
                                const std::string& context) const {
  size_t dot = text.find('.');
  PortRef ref;
  std::string comp_name = text.substr(0, dot);
  ref.comp = find_component(comp_name, loc, context);
  std::vector<std::string> names = port_names(*ref.comp, kind);
  std::string what = noun(kind);
  if (names.empty()) throw UserError(loc, context + ": '" + comp_name + "' has no " + what + "s");
  if (dot == std::string::npos) {
    if (names.size() > 1)
      throw UserError(loc, context + ": '" + comp_name + "' has several " + what + "s (" +
                               joined(names) + "); name one, e.g. '" + comp_name + "." + names[0] +
                               "'");
    ref.port = names[0];
  } else {
    ref.port = text.substr(dot + 1);
    bool found = false;
    for (const auto& n : names) found = found || n == ref.port;
    if (!found)
      throw UserError(loc, context + ": '" + comp_name + "' has no " + what + " '" + ref.port +
                               "'" + did_you_mean(ref.port, names) + "; its " + what +
                               "s: " + joined(names));
  }
  ref.canonical = comp_name + "." + ref.port;
  ref.display = names.size() == 1 ? comp_name : ref.canonical;
  return ref;
}

void Wiring::add_component(Component* comp, const Config& cfg) {
  auto* ic = dynamic_cast<Interconnect*>(comp);
  bool in_crossbars = cfg.path().rfind("crossbars.", 0) == 0;
  if (in_crossbars && !ic)
    cfg.fail("kind", "kind '" + comp->component_kind() + "' is not a crossbar");
  if (!ic) return;
  cfg.accept("initiators");
  buses_.push_back(Bus{comp, ic, cfg.node().get("initiators")});
  if (s_.first_bus.empty()) s_.first_bus = comp->basename();
}

void Wiring::connect(const ConfigNodePtr& root) {
  bind_initiators();
  map_addresses(root->get("address_map"));
  check_all_ports_used();
  connect_interrupts(root->get("interrupts"));
}

void Wiring::bind_initiators() {
  for (const Bus& bus : buses_) {
    std::string context = std::string(bus.comp->basename()) + ".initiators";
    for (const auto& item : items_of(bus.initiators, context, true)) {
      if (!item->is_scalar())
        throw UserError(item->loc, context + ": expected a port name such as dma0.mem");
      PortRef ref = resolve(item->scalar, PortKind::kInitiator, item->loc, context);
      auto seen = bound_initiators_.find(ref.canonical);
      if (seen != bound_initiators_.end())
        throw UserError(item->loc, context + ": '" + ref.display + "' is already connected at " +
                                       seen->second.str());
      bus.interconnect->connect_initiator(item->scalar, *ref.comp->initiator(ref.port));
      bound_initiators_[ref.canonical] = item->loc;
    }
  }
}

const Wiring::Bus& Wiring::find_bus(const Config& entry) const {
  std::vector<std::string> names;
  for (const Bus& b : buses_) names.push_back(b.comp->basename());
  if (entry.has("bus")) {
    std::string name = entry.str("bus");
    for (const Bus& b : buses_)
      if (name == b.comp->basename()) return b;
    entry.fail("bus", "'" + name + "' is not a crossbar" + did_you_mean(name, names) +
                          "; crossbars: " + (names.empty() ? "none" : joined(names)));
  }
  if (buses_.size() == 1) return buses_.front();
  if (buses_.empty()) entry.fail("the address map needs a crossbar, but the platform has none");
  entry.fail("the platform has several crossbars (" + joined(names) +
             "); say which decodes this range with bus:");
}

void Wiring::map_range(const Config& entry) {
  std::string text = entry.str("target");
  PortRef ref = resolve(text, PortKind::kTarget, entry.loc("target"), entry.path() + ".target");
  const TargetPort& port = *ref.comp->target(ref.port);
  uint64_t base = entry.integer("base");
  uint64_t size = entry.bytes("size", port.size);
  const Bus& bus = find_bus(entry);
  entry.check_unused();
  if (!entry.has("size") && port.size == 0)
    entry.fail("missing required key 'size' ('" + text + "' does not say how much it decodes)");
  if (size == 0) entry.fail("size", "size must be above zero");
  if (port.size && size > port.size)
    entry.fail("size", "size " + format_bytes(size) + " exceeds the " + format_bytes(port.size) +
                           " that '" + text + "' decodes");
  if (base % 4) entry.fail("base", "base " + hex(base) + " is not aligned to 4 bytes");
  bool power_of_two = (size & (size - 1)) == 0;
  if (power_of_two && size <= 4096 && base % size)
    entry.fail("base",
               "base " + hex(base) + " is not aligned to its size " + format_bytes(size) +
                   " (ranges of a power-of-two size up to 4 KiB must be naturally aligned)");
  if (base > std::numeric_limits<uint64_t>::max() - (size - 1))
    entry.fail("size", "range " + hex(base) + " + " + format_bytes(size) + " wraps around 2^64");
  auto seen = mapped_targets_.find(ref.canonical);
  if (seen != mapped_targets_.end())
    entry.fail("target", "'" + ref.display + "' is already mapped at " + seen->second.str());
  std::string bus_name = bus.comp->basename();
  for (const AddressRange& r : s_.address_map) {
    if (r.bus != bus_name || base > r.base + (r.size - 1) || r.base > base + (size - 1)) continue;
    entry.fail("target", "'" + text + "' [" + hex(base) + ", " + hex(base + size - 1) +
                             "] overlaps '" + r.target + "' [" + hex(r.base) + ", " +
                             hex(r.base + r.size - 1) + "] at " + r.loc.str());
  }
  bus.interconnect->map_target(text, *port.socket, base, size, port.dmi);
  mapped_targets_[ref.canonical] = entry.loc();
  s_.range_by_name[text] = s_.range_by_name[ref.canonical] = s_.address_map.size();
  s_.address_map.push_back(AddressRange{text, bus_name, base, size, entry.loc()});
}

void Wiring::map_addresses(const ConfigNodePtr& list) {
  auto items = items_of(list, "address_map");
  for (size_t i = 0; i < items.size(); ++i)
    map_range(Config(items[i], "address_map[" + std::to_string(i) + "]"));
}

void Wiring::check_all_ports_used() const {
  for (Component* c : s_.components) {
    std::string name = c->basename();
    const SourceLoc& loc = s_.info.at(name).loc;
    for (const auto& port : c->initiator_names())
      if (!bound_initiators_.count(name + "." + port))
        throw UserError(loc, "'" + name + "." + port +
                                 "' is not connected to any crossbar (list it in a crossbar's "
                                 "initiators:)");
    auto targets = c->target_names();
    for (const auto& port : targets)
      if (!mapped_targets_.count(name + "." + port))
        throw UserError(loc, "'" + (targets.size() == 1 ? name : name + "." + port) +
                                 "' is not in the address_map (every target port needs a range)");
  }
}

void Wiring::connect_interrupts(const ConfigNodePtr& list) {
  auto items = items_of(list, "interrupts");
  for (size_t i = 0; i < items.size(); ++i) {
    Config entry(items[i], "interrupts[" + std::to_string(i) + "]");
    std::string from = entry.str("from"), to = entry.str("to");
    entry.check_unused();
    PortRef src = resolve(from, PortKind::kIrqOut, entry.loc("from"), entry.path() + ".from");
    PortRef dst = resolve(to, PortKind::kIrqIn, entry.loc("to"), entry.path() + ".to");
    for (const auto& w : s_.irq_wires)
      if (w.from == src.canonical && w.to == dst.canonical)
        entry.fail("'" + from + "' is already connected to '" + to + "'");
    src.comp->irq_out(src.port)->connect(dst.comp->irq_in(dst.port));
    s_.irq_wires.push_back({src.canonical, dst.canonical});
  }
}

}  // namespace flecsim
