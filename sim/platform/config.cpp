#include "platform/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "core/units.h"

namespace flecsim {

const ConfigNode::Entry* ConfigNode::find(const std::string& key) const {
  for (const auto& e : entries)
    if (e.key == key) return &e;
  return nullptr;
}

ConfigNode::Entry* ConfigNode::find(const std::string& key) {
  for (auto& e : entries)
    if (e.key == key) return &e;
  return nullptr;
}

ConfigNodePtr ConfigNode::get(const std::string& key) const {
  const Entry* e = find(key);
  return e ? e->value : nullptr;
}

std::string ConfigNode::type_name() const {
  switch (type) {
    case Type::kMap:
      return "a mapping";
    case Type::kSeq:
      return "a list";
    case Type::kScalar:
      return "a value";
    default:
      return "nothing";
  }
}

ConfigNodePtr ConfigNode::clone() const {
  auto n = std::make_shared<ConfigNode>(*this);
  for (auto& e : n->entries) e.value = e.value->clone();
  for (auto& i : n->items) i = i->clone();
  return n;
}

namespace {

// Where parsed text begins inside its input: line and column of its first character.
struct Origin {
  std::string file;
  int line = 1;
  int column = 1;
};

SourceLoc loc_of(const YAML::Mark& m, const Origin& o) {
  if (m.line < 0) return SourceLoc{o.file, o.line, o.column};
  int column = m.line == 0 ? o.column + m.column : m.column + 1;
  return SourceLoc{o.file, o.line + m.line, column};
}

// Deeper than any platform needs; a recursive alias (`a: &x [*x]`) would otherwise recurse
// without end.
constexpr int kMaxDepth = 64;

ConfigNodePtr convert(const YAML::Node& y, const Origin& file, int depth = 0) {
  auto n = std::make_shared<ConfigNode>();
  n->loc = loc_of(y.Mark(), file);
  if (depth > kMaxDepth)
    throw UserError(
        n->loc, "nested deeper than " + std::to_string(kMaxDepth) + " levels (a recursive alias?)");
  switch (y.Type()) {
    case YAML::NodeType::Scalar:
      n->type = ConfigNode::Type::kScalar;
      n->scalar = y.Scalar();
      break;
    case YAML::NodeType::Sequence:
      n->type = ConfigNode::Type::kSeq;
      for (const auto& item : y) n->items.push_back(convert(item, file, depth + 1));
      break;
    case YAML::NodeType::Map:
      n->type = ConfigNode::Type::kMap;
      for (const auto& kv : y) {
        SourceLoc key_loc = loc_of(kv.first.Mark(), file);
        if (!kv.first.IsScalar()) throw UserError(key_loc, "mapping keys must be plain names");
        std::string key = kv.first.Scalar();
        if (n->find(key)) throw UserError(key_loc, "duplicate key '" + key + "'");
        n->entries.push_back({key, key_loc, convert(kv.second, file, depth + 1)});
      }
      break;
    default:
      n->type = ConfigNode::Type::kNull;
  }
  return n;
}

}  // namespace

static ConfigNodePtr parse_yaml_at(const std::string& text, const Origin& origin) {
  try {
    YAML::Node root = YAML::Load(text);
    return convert(root, origin);
  } catch (const YAML::Exception& e) {
    throw UserError(loc_of(e.mark, origin), "invalid YAML: " + e.msg);
  }
}

ConfigNodePtr parse_yaml_text(const std::string& text, const std::string& file) {
  return parse_yaml_at(text, Origin{file, 1, 1});
}

ConfigNodePtr parse_yaml_text(const std::string& text, const SourceLoc& origin) {
  return parse_yaml_at(text,
                       Origin{origin.file, std::max(origin.line, 1), std::max(origin.column, 1)});
}

struct Config::State {
  ConfigNodePtr node;
  std::string path;
  std::set<std::string> used;
  std::vector<std::shared_ptr<State>> children;
};

Config::Config(ConfigNodePtr node, std::string path) : state_(std::make_shared<State>()) {
  if (!node) {
    node = std::make_shared<ConfigNode>();
    node->type = ConfigNode::Type::kMap;
  }
  if (node->type == ConfigNode::Type::kNull) {
    // An empty YAML value ("dma0:") is an empty mapping.
    SourceLoc l = node->loc;
    node = std::make_shared<ConfigNode>();
    node->type = ConfigNode::Type::kMap;
    node->loc = l;
  }
  if (!node->is_map())
    throw UserError(node->loc, path + ": expected a mapping, got " + node->type_name());
  state_->node = std::move(node);
  state_->path = std::move(path);
}

const std::string& Config::path() const {
  return state_->path;
}
const SourceLoc& Config::loc() const {
  return state_->node->loc;
}
const ConfigNode& Config::node() const {
  return *state_->node;
}

SourceLoc Config::loc(const std::string& key) const {
  auto v = state_->node->get(key);
  return v ? v->loc : state_->node->loc;
}

bool Config::has(const std::string& key) const {
  return state_->node->find(key) != nullptr;
}

void Config::accept(const std::string& key) const {
  state_->used.insert(key);
}

void Config::fail(const std::string& key, const std::string& message) const {
  throw UserError(loc(key), path() + "." + key + ": " + message);
}

void Config::fail(const std::string& message) const {
  throw UserError(loc(), path() + ": " + message);
}

const ConfigNode* Config::scalar_node(const std::string& key, bool required) const {
  state_->used.insert(key);
  auto v = state_->node->get(key);
  if (!v || v->type == ConfigNode::Type::kNull) {
    if (required) fail("missing required key '" + key + "'");
    return nullptr;
  }
  if (!v->is_scalar()) fail(key, "expected a value, got " + v->type_name());
  return v.get();
}

#define FLECSIM_CONFIG_GETTER(Type, Name, parser)                            \
  Type Config::Name(const std::string& key, std::optional<Type> def) const { \
    const ConfigNode* n = scalar_node(key, !def.has_value());                \
    if (!n) return *def;                                                     \
    Type value{};                                                            \
    std::string why;                                                         \
    if (!parser(n->scalar, value, why)) fail(key, why);                      \
    return value;                                                            \
  }

FLECSIM_CONFIG_GETTER(uint64_t, integer, parse_integer)
FLECSIM_CONFIG_GETTER(uint64_t, bytes, parse_size_bytes)
FLECSIM_CONFIG_GETTER(uint64_t, hertz, parse_frequency_hz)
FLECSIM_CONFIG_GETTER(uint64_t, picoseconds, parse_time_ps)
FLECSIM_CONFIG_GETTER(double, real, parse_real)
FLECSIM_CONFIG_GETTER(bool, flag, parse_bool)
#undef FLECSIM_CONFIG_GETTER

std::string Config::str(const std::string& key, std::optional<std::string> def) const {
  const ConfigNode* n = scalar_node(key, !def.has_value());
  return n ? n->scalar : *def;
}

std::string Config::choice(const std::string& key, const std::vector<std::string>& options,
                           std::optional<std::string> def) const {
  std::string v = str(key, def);
  for (const auto& o : options)
    if (o == v) return v;
  std::string list;
  for (const auto& o : options) list += (list.empty() ? "" : ", ") + o;
  std::string hint = closest_match(v, options);
  fail(key, "expected one of " + list + ", got '" + v + "'" +
                (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
}

uint64_t Config::integer_in(const std::string& key, uint64_t lo, uint64_t hi,
                            std::optional<uint64_t> def) const {
  uint64_t v = integer(key, def);
  if (v < lo || v > hi)
    fail(key, "expected a value from " + std::to_string(lo) + " to " + std::to_string(hi) +
                  ", got " + std::to_string(v));
  return v;
}

std::vector<std::string> Config::str_list(const std::string& key) const {
  state_->used.insert(key);
  std::vector<std::string> out;
  auto v = state_->node->get(key);
  if (!v || v->type == ConfigNode::Type::kNull) return out;
  if (v->is_scalar()) return {v->scalar};
  if (!v->is_seq()) fail(key, "expected a list of names, got " + v->type_name());
  for (const auto& item : v->items) {
    if (!item->is_scalar()) throw UserError(item->loc, path() + "." + key + ": expected a name");
    out.push_back(item->scalar);
  }
  return out;
}

Config Config::sub(const std::string& key) const {
  state_->used.insert(key);
  auto v = state_->node->get(key);
  if (v && !v->is_map() && v->type != ConfigNode::Type::kNull)
    fail(key, "expected a mapping, got " + v->type_name());
  if (!v) {
    v = std::make_shared<ConfigNode>();
    v->type = ConfigNode::Type::kMap;
    v->loc = loc();
  }
  Config child(v, path() + "." + key);
  state_->children.push_back(child.state_);
  return child;
}

std::vector<Config> Config::sub_list(const std::string& key) const {
  state_->used.insert(key);
  std::vector<Config> out;
  auto v = state_->node->get(key);
  if (!v || v->type == ConfigNode::Type::kNull) return out;
  if (!v->is_seq()) fail(key, "expected a list, got " + v->type_name());
  for (size_t i = 0; i < v->items.size(); ++i) {
    Config child(v->items[i], path() + "." + key + "[" + std::to_string(i) + "]");
    state_->children.push_back(child.state_);
    out.push_back(child);
  }
  return out;
}

std::vector<std::string> Config::keys() const {
  std::vector<std::string> out;
  for (const auto& e : state_->node->entries) out.push_back(e.key);
  return out;
}

void Config::check_unused() const {
  std::vector<std::string> known(state_->used.begin(), state_->used.end());
  for (const auto& e : state_->node->entries) {
    if (state_->used.count(e.key)) continue;
    std::string hint = closest_match(e.key, known);
    throw UserError(e.key_loc, path() + ": unknown key '" + e.key + "'" +
                                   (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
  }
  for (const auto& c : state_->children) Config(c).check_unused();
}

}  // namespace flecsim
