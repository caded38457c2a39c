// Configuration trees with source locations, and the typed reader components use.
//
// YAML is parsed into ConfigNode trees that remember file:line:column for every key and value,
// so includes and --set overrides can be merged and every later message still names the file
// and line the value came from. Components read their settings through Config, which parses
// units, and reports keys nobody read as unknown (with "did you mean").
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace flecsim {

struct ConfigNode;
using ConfigNodePtr = std::shared_ptr<ConfigNode>;

struct ConfigNode {
  enum class Type { kNull, kScalar, kMap, kSeq };
  struct Entry {
    std::string key;
    SourceLoc key_loc;
    ConfigNodePtr value;
  };
  Type type = Type::kNull;
  SourceLoc loc;
  std::string scalar;                // kScalar
  std::vector<Entry> entries;        // kMap, in file order
  std::vector<ConfigNodePtr> items;  // kSeq

  const Entry* find(const std::string& key) const;
  Entry* find(const std::string& key);
  ConfigNodePtr get(const std::string& key) const;
  bool is_map() const { return type == Type::kMap; }
  bool is_seq() const { return type == Type::kSeq; }
  bool is_scalar() const { return type == Type::kScalar; }
  std::string type_name() const;  // "a mapping", "a list", "a value", "nothing"
  ConfigNodePtr clone() const;
};

// Parses YAML text (no includes) into a tree; `file` is used in locations. Throws UserError.
ConfigNodePtr parse_yaml_text(const std::string& text, const std::string& file);
// Same, for text that starts at `origin` (line origin.line, column origin.column) of a larger
// input, such as the value part of a --set override: locations are shifted accordingly.
ConfigNodePtr parse_yaml_text(const std::string& text, const SourceLoc& origin);

// Typed, unit-aware, usage-tracking view of one mapping node. Cheap to copy (shared state).
class Config {
 public:
  Config(ConfigNodePtr node, std::string path);
  Config() = default;

  const std::string& path() const;  // dotted path, e.g. "components.dram0"
  const SourceLoc& loc() const;
  SourceLoc loc(const std::string& key) const;  // location of key's value (or of the map)
  bool has(const std::string& key) const;
  const ConfigNode& node() const;

  // Getters mark `key` as known. Without a default the key is required.
  uint64_t integer(const std::string& key, std::optional<uint64_t> def = std::nullopt) const;
  uint64_t bytes(const std::string& key, std::optional<uint64_t> def = std::nullopt) const;
  uint64_t hertz(const std::string& key, std::optional<uint64_t> def = std::nullopt) const;
  uint64_t picoseconds(const std::string& key, std::optional<uint64_t> def = std::nullopt) const;
  double real(const std::string& key, std::optional<double> def = std::nullopt) const;
  bool flag(const std::string& key, std::optional<bool> def = std::nullopt) const;
  std::string str(const std::string& key, std::optional<std::string> def = std::nullopt) const;
  std::string choice(const std::string& key, const std::vector<std::string>& options,
                     std::optional<std::string> def = std::nullopt) const;
  std::vector<std::string> str_list(const std::string& key) const;  // absent: empty
  // Integer within [lo, hi], else an error naming the range.
  uint64_t integer_in(const std::string& key, uint64_t lo, uint64_t hi,
                      std::optional<uint64_t> def = std::nullopt) const;

  // Nested mapping; absent gives an empty mapping (so defaults apply).
  Config sub(const std::string& key) const;
  // List of mappings under key (absent: empty).
  std::vector<Config> sub_list(const std::string& key) const;
  // All keys of this mapping (marks none as used).
  std::vector<std::string> keys() const;
  // Marks a key as known without reading it (handled elsewhere).
  void accept(const std::string& key) const;

  [[noreturn]] void fail(const std::string& key, const std::string& message) const;
  [[noreturn]] void fail(const std::string& message) const;

  // Throws UserError for the first key (here or in any sub() handed out) never read.
  void check_unused() const;

 private:
  struct State;
  explicit Config(std::shared_ptr<State> state) : state_(std::move(state)) {}
  const ConfigNode* scalar_node(const std::string& key, bool required) const;
  std::shared_ptr<State> state_;
};

}  // namespace flecsim
