// Subcommands of the flecsim binary register themselves here (one file per command), so adding
// a command touches no central list.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace flecsim {

struct AppCommand {
  std::string name;
  // Adds the subcommand's options to `sub`; returns the action run when it is chosen, which
  // returns the process exit code.
  std::function<std::function<int()>(CLI::App* sub)> setup;
  std::string description;
};

std::vector<AppCommand>& app_commands();

struct AppCommandRegistrar {
  AppCommandRegistrar(std::string name, std::string description,
                      std::function<std::function<int()>(CLI::App*)> setup) {
    app_commands().push_back({std::move(name), std::move(setup), std::move(description)});
  }
};

}  // namespace flecsim
