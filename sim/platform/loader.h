// Loading platform YAML into one merged configuration tree.
//
// A platform file may start with `include:` (one file or a list), resolved relative to the
// including file. Included files are merged in order into a base, and the including file's own
// keys override that base key by key, recursively for mappings; lists and values are replaced
// whole; a key whose overriding value is empty or null removes the key. Then `--set
// path.to.key=value` overrides are applied in order (value parsed as YAML; list items are
// addressed by index: address_map.2.base). Every node keeps the file:line:column it came from;
// an override's location is "--set:N:COLUMN" (N = its position on the command line, from 1).
#pragma once
#include <string>
#include <vector>

#include "platform/config.h"

namespace flecsim {

// Reads and merges `path` and everything it includes. Throws UserError.
ConfigNodePtr load_config_file(const std::string& path);
// Same for YAML text named `file` (includes are resolved relative to file's folder).
ConfigNodePtr load_config_text(const std::string& text, const std::string& file);
// Merges `over` into `base` as an including file overrides what it includes.
void merge_config(ConfigNode& base, const ConfigNode& over);
// Applies one "path.to.key=value" assignment; `number` (from 1) is its position among the
// overrides and becomes the line of its SourceLoc.
void apply_override(ConfigNode& root, const std::string& assignment, int number);
void apply_overrides(ConfigNode& root, const std::vector<std::string>& assignments);

}  // namespace flecsim
