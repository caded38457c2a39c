#include "power/tech.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "platform/config.h"
#include "platform/platform.h"

namespace flecsim {

namespace fs = std::filesystem;

namespace {

ConfigNodePtr read_yaml(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UserError("cannot read technology table " + path);
  std::stringstream text;
  text << in.rdbuf();
  return parse_yaml_text(text.str(), path);
}

TechEntry read_entry(const Config& c) {
  TechEntry e;
  e.value = c.real("value");
  e.unit = c.str("unit");
  e.scales = c.choice("scales", {"energy", "area", "leakage", "none"}, std::string("none"));
  e.source = c.str("source");
  if (e.source.empty()) c.fail("source", "every technology entry needs a non-empty source");
  if (e.value < 0) c.fail("value", "must not be negative");
  c.check_unused();
  return e;
}

}  // namespace

TechTable TechTable::load_file(const std::string& path) {
  Config root(read_yaml(path), "");
  TechTable table;
  table.file_ = path;
  table.node_ = root.str("node");
  root.str("description", std::string());
  if (root.has("base")) {
    const std::string base = (fs::path(path).parent_path() / root.str("base")).string();
    TechTable parent = load_file(base);
    Config scale = root.sub("scale");
    for (auto& [name, e] : parent.entries_) {
      if (e.scales == "none") continue;
      const TechEntry factor = read_entry(scale.sub(e.scales));
      e.value *= factor.value;
      e.source += "; x" + std::to_string(factor.value).substr(0, 6) + " " + e.scales +
                  " scaling to " + table.node_ + " (" + factor.source + ")";
    }
    for (const std::string& key : scale.keys()) read_entry(scale.sub(key));
    table.entries_ = std::move(parent.entries_);
  }
  Config entries = root.sub("entries");
  for (const std::string& name : entries.keys())
    table.entries_[name] = read_entry(entries.sub(name));
  root.check_unused();
  return table;
}

std::string TechTable::resolve(const std::string& tech, const std::string& platform_file) {
  const fs::path dir = fs::path(platform_file).parent_path();
  const bool is_file = tech.size() > 5 && tech.substr(tech.size() - 5) == ".yaml";
  std::vector<fs::path> candidates;
  if (is_file) {
    candidates = {dir / tech, fs::path(tech)};
  } else {
    candidates = {dir / "tech" / (tech + ".yaml"), fs::path(FLECSIM_TECH_DIR) / (tech + ".yaml")};
  }
  for (const fs::path& p : candidates)
    if (fs::is_regular_file(p)) return p.string();
  return candidates.back().string();
}

double TechTable::at(const std::string& name) const {
  auto it = entries_.find(name);
  if (it == entries_.end())
    throw UserError("technology table " + file_ + " (" + node_ + ") has no entry '" + name + "'");
  return it->second.value;
}

void TechTable::set(const std::string& name, double value, const std::string& source) {
  TechEntry& e = entries_[name];
  e.value = value;
  e.source = source;
}

TechTable TechTable::for_platform(const Platform& platform) {
  ConfigNodePtr node = platform.config().get("power");
  Config power(node ? node : std::make_shared<ConfigNode>(), "power");
  const std::string tech = power.str("tech", std::string("45nm"));
  const std::string path = resolve(tech, platform.source_file());
  if (!fs::is_regular_file(path))
    power.fail("tech", "no technology table '" + tech + "' (looked for " + path + ")");
  TechTable table = load_file(path);
  Config overrides = power.sub("overrides");
  for (const std::string& name : overrides.keys()) {
    if (!table.has(name))
      overrides.fail(name, "technology " + table.node_ + " has no entry '" + name + "'");
    const SourceLoc loc = overrides.loc(name);
    const std::string where = loc.file + ":" + std::to_string(loc.line);
    ConfigNodePtr value = overrides.node().get(name);
    if (value && value->is_map()) {
      Config o = overrides.sub(name);
      table.set(name, o.real("value"), o.str("source", "platform override at " + where));
    } else {
      table.set(name, overrides.real(name), "platform override at " + where);
    }
  }
  power.check_unused();
  return table;
}

}  // namespace flecsim
