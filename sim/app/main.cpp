// flecsim: the command line. Each subcommand lives in its own cmd_*.cpp and registers itself.
// Exit codes: 0 ok, 1 a failed check, 2 bad user input, 3 internal error.
#include <algorithm>
#include <iostream>
#include <map>

#include "app/command.h"
#include "core/error.h"
#include "core/time.h"

namespace flecsim {
std::vector<AppCommand>& app_commands() {
  static std::vector<AppCommand> commands;
  return commands;
}
}  // namespace flecsim

int main(int argc, char** argv) {
  using namespace flecsim;
  CLI::App app{"flecsim: cycle-accurate SystemC/TLM-2.0 simulator of deep-learning SoCs"};
  app.require_subcommand(0, 1);
  std::map<CLI::App*, std::function<int()>> actions;
  for (auto& cmd : app_commands()) {
    CLI::App* sub = app.add_subcommand(cmd.name, cmd.description);
    actions[sub] = cmd.setup(sub);
  }
  // `flecsim PLATFORM.yaml MODEL.onnx` is `flecsim run PLATFORM.yaml MODEL.onnx`.
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0].size() > 5 &&
      (args[0].substr(args[0].size() - 5) == ".yaml" ||
       args[0].substr(args[0].size() - 4) == ".yml"))
    args.insert(args.begin(), "run");
  std::reverse(args.begin(), args.end());
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitUserError;
  }
  try {
    sim_init();
    for (auto& [sub, action] : actions)
      if (sub->parsed()) return action();
    std::cout << app.help();
    return kExitOk;
  } catch (const Error& e) {
    std::cerr << "flecsim: error: " << e.what() << "\n";
    return e.code();
  } catch (const std::exception& e) {
    std::cerr << "flecsim: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
}
