#include "platform/loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace flecsim {

namespace fs = std::filesystem;

namespace {

using FileStack = std::vector<std::string>;  // canonical paths of the files being included

ConfigNodePtr load_file(const std::string& path, const SourceLoc* included_from,
                        const std::string& as_written, FileStack& stack);

// `as_written` is the include entry's text, for the message.
std::string read_whole_file(const std::string& path, const SourceLoc* included_from,
                            const std::string& as_written) {
  std::error_code ec;
  std::ifstream in;
  if (fs::is_regular_file(path, ec)) in.open(path, std::ios::binary);
  if (!in.is_open()) {
    if (included_from)
      throw UserError(*included_from, "cannot open included file '" + as_written + "'" +
                                          (as_written == path ? "" : " (looked for " + path + ")"));
    throw UserError(SourceLoc{path, 0, 0}, "cannot open platform file");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string cycle_text(const FileStack& stack, const std::string& again) {
  std::string out;
  auto first = std::find(stack.begin(), stack.end(), again);
  for (auto it = first; it != stack.end(); ++it) out += fs::path(*it).filename().string() + " -> ";
  return out + fs::path(again).filename().string();
}

std::vector<ConfigNodePtr> include_items(const ConfigNode& value) {
  if (value.is_scalar()) return {std::make_shared<ConfigNode>(value)};
  bool names_only = value.is_seq();
  for (const auto& item : value.items) names_only = names_only && item->is_scalar();
  if (!names_only)
    throw UserError(value.loc, "include: expected a file name or a list of file names");
  return value.items;
}

ConfigNodePtr empty_map(const SourceLoc& loc) {
  auto n = std::make_shared<ConfigNode>();
  n->type = ConfigNode::Type::kMap;
  n->loc = loc;
  return n;
}

// Replaces `include:` in `tree` (read from `file`) by the merged content of the included files.
ConfigNodePtr resolve_includes(ConfigNodePtr tree, const std::string& file, FileStack& stack) {
  if (!tree->is_map()) return tree;
  const ConfigNode::Entry* inc = tree->find("include");
  if (!inc) return tree;
  auto items = include_items(*inc->value);
  ConfigNodePtr merged = empty_map(tree->loc);
  fs::path dir = fs::path(file).parent_path();
  for (const auto& item : items) {
    std::string included = (dir / item->scalar).lexically_normal().string();
    ConfigNodePtr sub = load_file(included, &item->loc, item->scalar, stack);
    if (sub->type == ConfigNode::Type::kNull) continue;  // an empty file adds nothing
    if (!sub->is_map())
      throw UserError(item->loc,
                      "included file '" + item->scalar + "' is not a mapping of sections");
    merge_config(*merged, *sub);
  }
  auto& entries = tree->entries;
  entries.erase(std::remove_if(entries.begin(), entries.end(),
                               [](const ConfigNode::Entry& e) { return e.key == "include"; }),
                entries.end());
  merge_config(*merged, *tree);
  return merged;
}

ConfigNodePtr load_file(const std::string& path, const SourceLoc* included_from,
                        const std::string& as_written, FileStack& stack) {
  std::error_code ec;
  std::string canonical = fs::weakly_canonical(path, ec).string();
  if (ec) canonical = path;
  if (std::find(stack.begin(), stack.end(), canonical) != stack.end())
    throw UserError(*included_from, "include cycle: " + cycle_text(stack, canonical));
  std::string text = read_whole_file(path, included_from, as_written);
  stack.push_back(canonical);
  ConfigNodePtr tree = resolve_includes(parse_yaml_text(text, path), path, stack);
  stack.pop_back();
  return tree;
}

}  // namespace

ConfigNodePtr load_config_file(const std::string& path) {
  FileStack stack;
  return load_file(path, nullptr, path, stack);
}

ConfigNodePtr load_config_text(const std::string& text, const std::string& file) {
  FileStack stack;
  std::error_code ec;
  std::string canonical = fs::weakly_canonical(file, ec).string();
  stack.push_back(ec ? file : canonical);
  return resolve_includes(parse_yaml_text(text, file), file, stack);
}

void merge_config(ConfigNode& base, const ConfigNode& over) {
  for (const auto& e : over.entries) {
    ConfigNode::Entry* b = base.find(e.key);
    bool removes = e.value->type == ConfigNode::Type::kNull;
    if (!b) {
      base.entries.push_back(e);
    } else if (removes) {
      base.entries.erase(base.entries.begin() + (b - base.entries.data()));
    } else if (b->value->is_map() && e.value->is_map()) {
      merge_config(*b->value, *e.value);
    } else {
      b->value = e.value;
      b->key_loc = e.key_loc;
    }
  }
}

namespace {

struct PathSegment {
  std::string name;
  int column;  // 1-based column in the --set argument
};

std::vector<PathSegment> split_path(const std::string& path, int number) {
  std::vector<PathSegment> out;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string name =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (name.empty())
      throw UserError(SourceLoc{"--set", number, static_cast<int>(start) + 1},
                      "empty key name in path '" + path + "'");
    out.push_back({name, static_cast<int>(start) + 1});
    if (dot == std::string::npos) return out;
    start = dot + 1;
  }
}

bool parse_index(const std::string& text, size_t& index) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), ::isdigit) || text.size() > 9)
    return false;
  index = std::stoul(text);
  return true;
}

// The child of `node` named by `seg`, or nullptr. Creates nothing.
ConfigNodePtr child_of(const ConfigNode& node, const PathSegment& seg) {
  if (node.is_map()) return node.get(seg.name);
  size_t index = 0;
  if (node.is_seq() && parse_index(seg.name, index) && index < node.items.size())
    return node.items[index];
  return nullptr;
}

[[noreturn]] void missing_parent(const ConfigNode& parent, const std::string& parent_path,
                                 const std::string& target, const PathSegment& seg, int number) {
  std::string here = parent_path.empty() ? seg.name : parent_path + "." + seg.name;
  std::string why = "cannot set '" + target + "': '" + here + "' does not exist";
  if (parent.is_seq()) {
    why += " (the list has " + std::to_string(parent.items.size()) + " items, numbered from 0)";
  } else if (parent.is_map()) {
    std::vector<std::string> candidates;
    for (const auto& e : parent.entries)
      candidates.push_back(parent_path.empty() ? e.key : parent_path + "." + e.key);
    std::string hint = closest_match(here, candidates);
    if (!hint.empty()) why += " (did you mean '" + hint + "'?)";
  } else {
    why = "cannot set '" + target + "': '" + parent_path + "' is " + parent.type_name() +
          ", not a mapping or list";
  }
  throw UserError(SourceLoc{"--set", number, seg.column}, why);
}

}  // namespace

void apply_override(ConfigNode& root, const std::string& assignment, int number) {
  size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UserError(SourceLoc{"--set", number, 1},
                    "expected --set path.to.key=value, got '" + assignment + "'");
  std::string target = assignment.substr(0, eq);
  std::vector<PathSegment> path = split_path(target, number);
  ConfigNodePtr value = parse_yaml_text(assignment.substr(eq + 1),
                                        SourceLoc{"--set", number, static_cast<int>(eq) + 2});
  ConfigNode* node = &root;
  std::string walked;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    if (node->type == ConfigNode::Type::kNull) node->type = ConfigNode::Type::kMap;
    ConfigNodePtr next = child_of(*node, path[i]);
    if (!next) missing_parent(*node, walked, target, path[i], number);
    walked += (walked.empty() ? "" : ".") + path[i].name;
    node = next.get();
  }
  const PathSegment& last = path.back();
  SourceLoc key_loc{"--set", number, last.column};
  if (node->type == ConfigNode::Type::kNull) node->type = ConfigNode::Type::kMap;
  if (node->is_map()) {
    ConfigNode::Entry* e = node->find(last.name);
    if (e)
      *e = ConfigNode::Entry{last.name, key_loc, value};
    else
      node->entries.push_back({last.name, key_loc, value});
    return;
  }
  size_t index = 0;
  if (!node->is_seq() || !parse_index(last.name, index) || index > node->items.size())
    missing_parent(*node, walked, target, last, number);
  if (index == node->items.size())
    node->items.push_back(value);
  else
    node->items[index] = value;
}

void apply_overrides(ConfigNode& root, const std::vector<std::string>& assignments) {
  for (size_t i = 0; i < assignments.size(); ++i)
    apply_override(root, assignments[i], static_cast<int>(i) + 1);
}

}  // namespace flecsim
