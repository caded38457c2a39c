#include "accel/regress/regression.h"

#include <fstream>
#include <sstream>

#include "core/error.h"

namespace flecsim::regress {

namespace {
std::string read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UserError(SourceLoc{path, 0, 0}, "cannot read the stream file");
  std::ostringstream o;
  o << in.rdbuf();
  return o.str();
}

struct Pair {
  std::unique_ptr<AccelUnderTest> model, rtl;
  std::string check(const Stream& s) {
    RunResult a = run_stream(*model, s);
    RunResult b = run_stream(*rtl, s);
    return compare(a, b, model->model(), rtl->model());
  }
};

// Minimises a failing stream and writes it; returns the file name.
std::string report(Pair& duts, const Stream& s, uint64_t index, const RegressOptions& o,
                   std::ostream& log) {
  Stream small = minimise(s, [&](const Stream& t) { return !duts.check(t).empty(); });
  small.name = s.name + " (minimised from " + std::to_string(s.ops.size()) + " ops)";
  std::string path = o.out_dir + "/rtl-regress-mismatch-" + std::to_string(index) + ".stream";
  std::ofstream out(path);
  out << small.to_text();
  if (!out) throw UserError(SourceLoc{path, 0, 0}, "cannot write the stream file");
  log << "  minimised to " << small.ops.size() << " ops: " << duts.check(small) << "\n"
      << "  replay: flecsim rtl-regress --replay " << path << "\n";
  return path;
}
}  // namespace

RegressSummary run_regression(const RegressOptions& o, const DutFactory& model,
                              const DutFactory& rtl, std::ostream& log) {
  std::vector<Stream> replay;
  AccelGeometry g = o.geometry;
  if (!o.replay_file.empty()) {
    replay.push_back(Stream::parse(read_file(o.replay_file), o.replay_file));
    g = replay[0].geometry;
  }
  Pair duts{model(g), rtl(g)};
  if (!o.fault.empty() && !duts.model->inject_fault(o.fault))
    throw UserError("--inject-fault: the " + duts.model->model() + " model has no fault '" +
                    o.fault + "' (known: timing)");
  RegressSummary sum;
  uint64_t count = replay.empty() ? o.count : 1;
  for (uint64_t i = 0; i < count; ++i) {
    Stream s = replay.empty() ? generate_stream(g, o.seed, i) : replay[0];
    std::string diff = duts.check(s);
    ++sum.streams;
    if (diff.empty()) continue;
    ++sum.mismatches;
    log << "mismatch in stream " << i << " (" << s.name << "): " << diff << "\n";
    if (sum.mismatches <= o.max_reports && replay.empty())
      sum.stream_files.push_back(report(duts, s, i, o, log));
  }
  log << sum.streams << " streams, " << sum.mismatches << " mismatches\n";
  return sum;
}

}  // namespace flecsim::regress
