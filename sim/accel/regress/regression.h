// The regression loop behind `flecsim rtl-regress`: N generated streams (or one replayed file)
// through two models of the same accelerator, compared completion by completion, register read
// by register read and byte by byte; mismatching streams are minimised and written out.
#pragma once
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "accel/regress/stream.h"

namespace flecsim::regress {

using DutFactory = std::function<std::unique_ptr<AccelUnderTest>(const AccelGeometry&)>;

struct RegressOptions {
  AccelGeometry geometry;
  uint64_t count = 100;
  uint64_t seed = 1;
  std::string replay_file;    // non-empty: run only this stream file
  std::string fault;          // "timing": inject the C++ model's test-only fault
  std::string out_dir = ".";  // where mismatching streams are written
  unsigned max_reports = 3;   // mismatches minimised and written (the rest are only counted)
};

struct RegressSummary {
  uint64_t streams = 0;
  uint64_t mismatches = 0;
  std::vector<std::string> stream_files;  // written for mismatches
};

// `model` is the C++ model, `rtl` the reference. Throws UserError for an unreadable replay file
// or an unsupported fault.
RegressSummary run_regression(const RegressOptions& options, const DutFactory& model,
                              const DutFactory& rtl, std::ostream& log);

}  // namespace flecsim::regress
