// Loading platform YAML: includes and --set overrides, with the locations they keep.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "platform/loader.h"

namespace flecsim {
namespace {

namespace fs = std::filesystem;

// A fresh folder per test, for include files.
class LoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("flecsim-loader-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sub");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  std::string error_of(const std::string& path) {
    try {
      load_config_file(path);
    } catch (const UserError& e) {
      return e.what();
    }
    return "no error";
  }
  fs::path dir_;
};

std::string scalar_at(const ConfigNodePtr& root, const std::vector<std::string>& path) {
  ConfigNodePtr n = root;
  for (const auto& key : path) {
    if (!n) return "<missing>";
    n = n->get(key);
  }
  return n ? n->scalar : "<missing>";
}

TEST_F(LoaderTest, IncludedFileIsTheBaseAndTheIncludingFileOverridesKeyByKey) {
  write("base.yaml",
        "clocks: {core: 500MHz}\n"
        "memories:\n"
        "  ram: {kind: sram, size: 64KiB, banks: 2}\n"
        "  rom: {kind: sram, size: 4KiB}\n");
  std::string top = write("top.yaml",
                          "include: base.yaml\n"
                          "memories:\n"
                          "  ram: {size: 128KiB}\n"
                          "  rom:\n"
                          "  new: {kind: dram}\n");
  ConfigNodePtr root = load_config_file(top);
  EXPECT_EQ(root->find("include"), nullptr);
  EXPECT_EQ(scalar_at(root, {"memories", "ram", "size"}), "128KiB");
  EXPECT_EQ(scalar_at(root, {"memories", "ram", "banks"}), "2");
  EXPECT_EQ(scalar_at(root, {"memories", "ram", "kind"}), "sram");
  EXPECT_EQ(root->get("memories")->get("rom"), nullptr) << "an empty value removes the key";
  EXPECT_EQ(scalar_at(root, {"memories", "new", "kind"}), "dram");
  EXPECT_EQ(scalar_at(root, {"clocks", "core"}), "500MHz");
  // Each value keeps the file and line it came from.
  EXPECT_EQ(root->get("memories")->get("ram")->get("size")->loc.str(), top + ":3:15");
  EXPECT_EQ(root->get("memories")->get("ram")->get("banks")->loc.str(),
            (dir_ / "base.yaml").string() + ":3:41");
}

TEST_F(LoaderTest, LaterIncludesOverrideEarlierOnesAndPathsAreRelativeToTheIncluder) {
  write("sub/a.yaml", "clocks: {core: 100MHz, io: 50MHz}\n");
  write("sub/b.yaml", "include: a.yaml\nclocks: {core: 200MHz}\n");
  write("c.yaml", "clocks: {core: 300MHz}\n");
  std::string top = write("top.yaml", "include: [sub/b.yaml, c.yaml]\n");
  ConfigNodePtr root = load_config_file(top);
  EXPECT_EQ(scalar_at(root, {"clocks", "core"}), "300MHz");
  EXPECT_EQ(scalar_at(root, {"clocks", "io"}), "50MHz");
  EXPECT_EQ(root->get("clocks")->entries[0].key, "core") << "merged keys keep their first order";
}

TEST_F(LoaderTest, ListsAreReplacedWhole) {
  write("base.yaml", "address_map: [{target: a, base: 0}, {target: b, base: 16}]\n");
  std::string top = write("top.yaml", "include: base.yaml\naddress_map: [{target: c, base: 0}]\n");
  ConfigNodePtr root = load_config_file(top);
  ASSERT_EQ(root->get("address_map")->items.size(), 1u);
  EXPECT_EQ(root->get("address_map")->items[0]->get("target")->scalar, "c");
}

TEST_F(LoaderTest, MissingIncludeNamesTheIncludingLine) {
  std::string top = write("top.yaml", "clocks: {core: 1GHz}\ninclude: [nope.yaml]\n");
  EXPECT_EQ(error_of(top), top + ":2:11: cannot open included file 'nope.yaml' (looked for " +
                               (dir_ / "nope.yaml").string() + ")");
}

TEST_F(LoaderTest, IncludeCycleIsAnError) {
  write("a.yaml", "include: b.yaml\n");
  write("b.yaml", "include: a.yaml\n");
  EXPECT_EQ(error_of((dir_ / "a.yaml").string()),
            (dir_ / "b.yaml").string() + ":1:10: include cycle: a.yaml -> b.yaml -> a.yaml");
  write("self.yaml", "include: self.yaml\n");
  EXPECT_EQ(error_of((dir_ / "self.yaml").string()),
            (dir_ / "self.yaml").string() + ":1:10: include cycle: self.yaml -> self.yaml");
}

TEST_F(LoaderTest, IncludeMustNameFiles) {
  std::string top = write("top.yaml", "include: {a: b}\n");
  EXPECT_EQ(error_of(top), top + ":1:10: include: expected a file name or a list of file names");
  write("list.yaml", "- a\n- b\n");
  top = write("top2.yaml", "include: list.yaml\n");
  EXPECT_EQ(error_of(top), top + ":1:10: included file 'list.yaml' is not a mapping of sections");
}

TEST_F(LoaderTest, RecursiveAliasIsAnErrorNotACrash) {
  std::string top = write("top.yaml", "clocks: {core: 1GHz}\nloop: &x [*x]\n");
  EXPECT_EQ(error_of(top), top + ":2:7: nested deeper than 64 levels (a recursive alias?)");
}

TEST_F(LoaderTest, MissingPlatformFile) {
  EXPECT_EQ(error_of((dir_ / "absent.yaml").string()),
            (dir_ / "absent.yaml").string() + ": cannot open platform file");
}

std::string override_error(ConfigNode& root, const std::string& assignment, int number = 1) {
  try {
    apply_override(root, assignment, number);
  } catch (const UserError& e) {
    return e.what();
  }
  return "no error";
}

const char* kTree =
    "accelerators:\n"
    "  systolic0: {kind: systolic, rows: 16}\n"
    "crossbars:\n"
    "  xbar0: {kind: crossbar, initiators: [cpu0.bus, dma0.mem]}\n"
    "dmas:\n"
    "  dma0:\n"
    "address_map:\n"
    "  - {target: dram0, base: 0x80000000}\n"
    "  - {target: sram0, base: 0x10000000}\n";

TEST(Overrides, SetScalarsListsAndListItems) {
  ConfigNodePtr root = parse_yaml_text(kTree, "p.yaml");
  apply_overrides(*root, {"accelerators.systolic0.rows=8", "crossbars.xbar0.initiators=[cpu0.bus]",
                          "address_map.1.base=0x20000000", "dmas.dma0.channels=2",
                          "address_map.2={target: uart0, base: 0x1000}"});
  EXPECT_EQ(scalar_at(root, {"accelerators", "systolic0", "rows"}), "8");
  const auto& initiators = root->get("crossbars")->get("xbar0")->get("initiators");
  ASSERT_TRUE(initiators->is_seq());
  ASSERT_EQ(initiators->items.size(), 1u);
  EXPECT_EQ(initiators->items[0]->scalar, "cpu0.bus");
  const auto& map = root->get("address_map")->items;
  ASSERT_EQ(map.size(), 3u);
  EXPECT_EQ(map[1]->get("base")->scalar, "0x20000000");
  EXPECT_EQ(map[2]->get("target")->scalar, "uart0");
  EXPECT_EQ(scalar_at(root, {"dmas", "dma0", "channels"}), "2") << "an empty value becomes a map";
  // Locations: "--set:<position>:<column of the value>".
  EXPECT_EQ(root->get("accelerators")->get("systolic0")->get("rows")->loc.str(), "--set:1:29");
  EXPECT_EQ(initiators->items[0]->loc.str(), "--set:2:29");
  EXPECT_EQ(root->get("dmas")->get("dma0")->find("channels")->key_loc.str(), "--set:4:11");
}

TEST(Overrides, LaterOverridesWin) {
  ConfigNodePtr root = parse_yaml_text(kTree, "p.yaml");
  apply_overrides(*root, {"accelerators.systolic0.rows=8", "accelerators.systolic0.rows=4"});
  EXPECT_EQ(scalar_at(root, {"accelerators", "systolic0", "rows"}), "4");
}

TEST(Overrides, BadPathsAreErrorsWithDidYouMean) {
  ConfigNodePtr root = parse_yaml_text(kTree, "p.yaml");
  EXPECT_EQ(override_error(*root, "accelerators.systolic9.rows=8"),
            "--set:1:14: cannot set 'accelerators.systolic9.rows': 'accelerators.systolic9' does "
            "not exist (did you mean 'accelerators.systolic0'?)");
  EXPECT_EQ(override_error(*root, "accelerator.systolic0.rows=8", 3),
            "--set:3:1: cannot set 'accelerator.systolic0.rows': 'accelerator' does not exist "
            "(did you mean 'accelerators'?)");
  EXPECT_EQ(override_error(*root, "address_map.5.base=0"),
            "--set:1:13: cannot set 'address_map.5.base': 'address_map.5' does not exist (the "
            "list has 2 items, numbered from 0)");
  EXPECT_EQ(override_error(*root, "accelerators.systolic0.rows.x=1"),
            "--set:1:29: cannot set 'accelerators.systolic0.rows.x': "
            "'accelerators.systolic0.rows' is a value, not a mapping or list");
  EXPECT_EQ(override_error(*root, "rows"),
            "--set:1:1: expected --set path.to.key=value, got 'rows'");
  EXPECT_EQ(override_error(*root, "a..b=1"), "--set:1:3: empty key name in path 'a..b'");
  EXPECT_EQ(override_error(*root, "a=[1, 2"),
            "--set:1:3: invalid YAML: end of sequence flow not found");
}

}  // namespace
}  // namespace flecsim
