// Platform::load and from_text with the built-in kinds. Compiled into flecsim_kinds (see
// sim/kinds/CMakeLists.txt), beside ComponentRegistry::builtin(), so that programs bringing their
// own registry (the platform tests) need not link every component library.
#include "platform/platform.h"

namespace flecsim {

std::unique_ptr<Platform> Platform::load(const std::string& yaml_path,
                                         const PlatformOptions& options) {
  return load(yaml_path, options, ComponentRegistry::builtin());
}

std::unique_ptr<Platform> Platform::from_text(const std::string& yaml_text, const std::string& file,
                                              const PlatformOptions& options) {
  return from_text(yaml_text, file, options, ComponentRegistry::builtin());
}

}  // namespace flecsim
