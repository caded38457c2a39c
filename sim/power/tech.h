// Technology tables (platforms/tech/*.yaml): energy per action, area per component and leakage
// density for one process node, every number with its source. A platform selects a node with
// `power: {tech: 7nm, overrides: {entry: value}}`.
#pragma once
#include <map>
#include <string>

namespace flecsim {

class Platform;

struct TechEntry {
  double value = 0;
  std::string unit;    // "pJ", "um2", "mW/mm2", "ratio"
  std::string scales;  // energy | area | leakage | none
  std::string source;  // where the number comes from
};

class TechTable {
 public:
  // Loads a table file; a file with `base:` starts from that table scaled by its `scale:`
  // factors. Throws UserError (file:line:col) for a malformed table.
  static TechTable load_file(const std::string& path);
  // The table a platform selects (power.tech, default 45nm) with its power.overrides applied.
  static TechTable for_platform(const Platform& platform);
  // Path of the table for `tech` ("7nm" or a .yaml path) seen from platform file `platform_file`.
  static std::string resolve(const std::string& tech, const std::string& platform_file);

  const std::string& node() const { return node_; }
  const std::string& file() const { return file_; }
  // Value of entry `name`; UserError naming the table when it has no such entry.
  double at(const std::string& name) const;
  bool has(const std::string& name) const { return entries_.count(name) != 0; }
  const std::map<std::string, TechEntry>& entries() const { return entries_; }
  void set(const std::string& name, double value, const std::string& source);

 private:
  std::string node_, file_;
  std::map<std::string, TechEntry> entries_;
};

}  // namespace flecsim
