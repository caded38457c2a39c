#include <iostream>

#include "app/command.h"

namespace flecsim {
static AppCommandRegistrar version_command("version", "print the flecsim version", [](CLI::App*) {
  return [] {
    std::cout << "flecsim 0.1.0\n";
    return 0;
  };
});
}  // namespace flecsim
