// The files a run leaves in its output folder: summary.json (schema in docs/summary-json.md),
// stats.csv, and trace.json when tracing was on.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "platform/platform.h"

namespace flecsim {

// "0.1.0": the version written into every summary.json.
const char* flecsim_version();
// "flecsim-out/<platform name>", where runs write unless told otherwise (-o DIR).
std::string default_output_dir(const Platform& platform);
// Calls platform.finish(), creates `dir` and writes the run's files into it. `extra` keys are
// added to summary.json (a run adds its workload, cycles, checks ...); `partial` marks a run
// that stopped early (time limit, error). Throws UserError when the folder cannot be written.
void write_run_outputs(Platform& platform, const std::string& dir, const nlohmann::json& extra,
                       bool partial);

}  // namespace flecsim
