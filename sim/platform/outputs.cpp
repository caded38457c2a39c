#include "platform/outputs.h"

#include <filesystem>
#include <fstream>

namespace flecsim {

namespace fs = std::filesystem;

const char* flecsim_version() {
  return FLECSIM_VERSION;
}

std::string default_output_dir(const Platform& platform) {
  return (fs::path("flecsim-out") / platform.name()).string();
}

static void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw UserError("cannot write " + path.string());
}

void write_run_outputs(Platform& platform, const std::string& dir, const nlohmann::json& extra,
                       bool partial) {
  platform.finish();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw UserError("cannot create output folder " + dir + ": " + ec.message());
  nlohmann::json summary = {{"flecsim_version", flecsim_version()},
                            {"platform", platform.name()},
                            {"status", partial ? "partial" : "complete"},
                            {"simulated_ps", now_ticks()}};
  if (const auto* stop = platform.stop_request())
    summary["stop"] = {{"exit_code", stop->exit_code}, {"reason", stop->reason}};
  summary["components"] = platform.stats().components_json();
  for (const auto& [key, value] : extra.items()) summary[key] = value;
  write_file(fs::path(dir) / "summary.json", summary.dump(2) + "\n");
  write_file(fs::path(dir) / "stats.csv", platform.stats().stats_csv());
  if (TraceWriter* trace = platform.stats().trace())
    write_file(fs::path(dir) / "trace.json", trace->to_json().dump() + "\n");
}

}  // namespace flecsim
