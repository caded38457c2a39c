// Builds a Platform from a merged configuration tree: checks the top level, reads the clocks,
// instantiates every component through the registry, then wires it (wiring.cpp).
#include <cctype>
#include <filesystem>

#include "core/units.h"
#include "platform/platform_impl.h"
#include "platform/wiring.h"

namespace flecsim {

namespace {

using State = PlatformBuilder::State;

const std::vector<std::string>& component_sections() {
  static const std::vector<std::string> sections = {"cpu",  "crossbars",   "memories",
                                                    "dmas", "peripherals", "accelerators"};
  return sections;
}

const std::vector<std::string>& top_level_keys() {
  static const std::vector<std::string> keys = {
      "platform",    "include",      "clocks",      "cpu",        "crossbars", "memories", "dmas",
      "peripherals", "accelerators", "address_map", "interrupts", "compiler",  "power"};
  return keys;
}

bool is_component_section(const std::string& key) {
  for (const auto& s : component_sections())
    if (s == key) return true;
  return false;
}

void check_top_level(const ConfigNodePtr& root, const std::string& file) {
  if (root->type == ConfigNode::Type::kNull)
    throw UserError(SourceLoc{file, 1, 1}, "the platform file is empty");
  if (!root->is_map())
    throw UserError(root->loc,
                    "expected a mapping of sections (platform, clocks, memories, ...), got " +
                        root->type_name());
  for (const auto& e : root->entries) {
    if (e.key == "include")  // the loader replaced every include: of a file by its content
      throw UserError(e.key_loc, "include: works only in platform files, not with --set");
    bool known = false;
    for (const auto& k : top_level_keys()) known = known || k == e.key;
    if (known) continue;
    std::string hint = closest_match(e.key, top_level_keys());
    throw UserError(e.key_loc, "unknown top-level key '" + e.key + "'" +
                                   (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
  }
}

void read_platform_section(State& s, const ConfigNodePtr& root) {
  Config cfg(root->get("platform"), "platform");
  s.name = cfg.str("name", std::filesystem::path(s.file).stem().string());
  s.description = cfg.str("description", "");
  cfg.check_unused();
  if (s.name.empty() || s.name.find('/') != std::string::npos)
    cfg.fail("name", "expected a non-empty name without '/', got '" + s.name + "'");
}

void read_clocks(State& s, const ConfigNodePtr& root) {
  const ConfigNode::Entry* section = root->find("clocks");
  if (!section || section->value->type == ConfigNode::Type::kNull ||
      (section->value->is_map() && section->value->entries.empty()))
    throw UserError(section ? section->key_loc : root->loc,
                    "clocks: at least one clock is required, e.g. clocks: {core: 500MHz}");
  if (!section->value->is_map())
    throw UserError(section->value->loc, "clocks: expected a mapping of name -> frequency, got " +
                                             section->value->type_name());
  for (const auto& e : section->value->entries) {
    const ConfigNode& v = *e.value;
    if (!v.is_scalar())
      throw UserError(
          v.loc, "clocks." + e.key + ": expected a frequency such as 500MHz, got " + v.type_name());
    uint64_t hz = 0;
    std::string why;
    if (!parse_frequency_hz(v.scalar, hz, why))
      throw UserError(v.loc, "clocks." + e.key + ": " + why);
    if (hz > 1000000000000ull)
      throw UserError(v.loc,
                      "clocks." + e.key + ": " + format_hz(hz) +
                          " is above 1 THz, the fastest clock 1 ps resolution can represent");
    s.clocks.emplace_back(e.key, Clock::from_hz(hz));
  }
}

void check_component_name(const std::string& name, const SourceLoc& loc) {
  bool ok = !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_');
  for (char c : name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (!ok)
    throw UserError(loc, "component name '" + name +
                             "' must start with a letter and contain only letters, digits and '_'");
}

const ComponentRegistry::Kind& find_kind(const ComponentRegistry& registry, const Config& cfg) {
  std::string kind = cfg.str("kind");
  if (const auto* k = registry.find(kind)) return *k;
  std::vector<std::string> names = registry.names();
  std::string hint = closest_match(kind, names);
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  cfg.fail("kind", "unknown component kind '" + kind + "'" +
                       (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                       "; known kinds: " + (known.empty() ? "none" : known));
}

Clock find_clock(const State& s, const Config& cfg) {
  std::string name = cfg.str("clock", s.clocks.front().first);
  std::vector<std::string> names;
  for (const auto& [n, clock] : s.clocks) {
    if (n == name) return clock;
    names.push_back(n);
  }
  std::string hint = closest_match(name, names);
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  cfg.fail("clock", "unknown clock '" + name + "'" +
                        (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                        "; clocks: " + known);
}

// Builds the components of one section (`memories: {sram0: {kind: sram, ...}}`).
void build_section(State& s, Platform* platform, const ConfigNode::Entry& section,
                   const ComponentRegistry& registry, Wiring& wiring) {
  const ConfigNode& node = *section.value;
  if (node.type == ConfigNode::Type::kNull) return;
  if (!node.is_map())
    throw UserError(node.loc, section.key + ": expected a mapping of name -> {kind: ...}, got " +
                                  node.type_name());
  for (const auto& e : node.entries) {
    check_component_name(e.key, e.key_loc);
    auto seen = s.info.find(e.key);
    if (seen != s.info.end())
      throw UserError(e.key_loc,
                      "component '" + e.key + "' is already defined at " + seen->second.loc.str());
    if (sc_core::sc_find_object(e.key.c_str()))
      throw InternalError("a SystemC object named '" + e.key +
                          "' already exists: build each platform in a fresh simulation "
                          "(flecsim::fresh_simulation())");
    Config cfg(e.value, section.key + "." + e.key);
    const auto& kind = find_kind(registry, cfg);
    BuildContext ctx{platform, s.stats.get(), find_clock(s, cfg), s.options.output_dir};
    std::unique_ptr<Component> comp = kind.factory(e.key, cfg, ctx);
    if (!comp) throw InternalError("the factory of kind '" + kind.name + "' returned nothing");
    wiring.add_component(comp.get(), cfg);
    cfg.check_unused();
    s.components.push_back(comp.get());
    s.by_name[e.key] = comp.get();
    s.info[e.key] = State::ComponentInfo{section.key, e.key_loc};
    s.owned.push_back(std::move(comp));
  }
}

}  // namespace

std::unique_ptr<Platform> PlatformBuilder::build(ConfigNodePtr root, const std::string& file,
                                                 const PlatformOptions& options,
                                                 const ComponentRegistry& registry) {
  if (sc_core::sc_get_status() != sc_core::SC_ELABORATION)
    throw InternalError(
        "platforms must be built before simulation starts; call "
        "flecsim::fresh_simulation() before building another one");
  std::unique_ptr<Platform> platform(new Platform());
  State& s = *platform->impl_;
  s.file = file;
  s.root = root;
  s.options = options;
  check_top_level(root, file);
  s.stats = std::make_unique<StatsRegistry>(options.tracing);
  read_platform_section(s, root);
  read_clocks(s, root);
  Wiring wiring(s);
  for (const auto& section : root->entries)
    if (is_component_section(section.key))
      build_section(s, platform.get(), section, registry, wiring);
  wiring.connect(root);
  for (Component* c : s.components) c->platform_ready();
  return platform;
}

}  // namespace flecsim
