// Accelergy interoperability: architecture.yaml (the component hierarchy with attributes) and
// action_counts.yaml (per component, per action counts), Accelergy 0.3 formats.
#pragma once
#include <string>

namespace flecsim {

class Platform;

// Writes DIR/architecture.yaml and DIR/action_counts.yaml. Throws UserError if DIR cannot be
// written.
void export_accelergy(const Platform& platform, const std::string& dir);

}  // namespace flecsim
