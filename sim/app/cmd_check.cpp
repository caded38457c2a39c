// flecsim check PLATFORM.yaml [--set path=value]...: loads and validates a platform (includes,
// overrides, every component's keys, the address map and wiring) and prints what it built.
#include <iostream>

#include "app/command.h"
#include "platform/platform.h"

namespace flecsim {

namespace {

struct CheckOptions {
  std::string platform;
  std::vector<std::string> overrides;
  bool list_kinds = false;
};

int list_kinds() {
  const ComponentRegistry& registry = ComponentRegistry::builtin();
  for (const auto& name : registry.names()) {
    const auto* kind = registry.find(name);
    std::cout << name << " (" << kind->section << "): " << kind->summary << "\n";
  }
  return kExitOk;
}

}  // namespace

static AppCommandRegistrar check_command(
    "check", "validate a platform YAML and print its components and address map",
    [](CLI::App* sub) {
      auto opts = std::make_shared<CheckOptions>();
      sub->add_option("platform", opts->platform, "platform YAML file");
      sub->add_option("--set", opts->overrides, "override a key: path.to.key=value (repeatable)")
          ->take_all()
          ->allow_extra_args(false);
      sub->add_flag("--kinds", opts->list_kinds, "list the component kinds this build knows");
      return [opts]() -> int {
        if (opts->list_kinds) return list_kinds();
        if (opts->platform.empty()) throw UserError("check: a platform YAML file is required");
        PlatformOptions options;
        options.overrides = opts->overrides;
        auto platform = Platform::load(opts->platform, options);
        std::cout << platform->describe() << "ok: " << opts->platform << " is a valid platform\n";
        return kExitOk;
      };
    });

}  // namespace flecsim
