// Helpers of `flecsim run`: what the compiler must know of a built platform, and the check of
// simulated outputs against the reference executor.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "compiler/compile.h"
#include "platform/platform.h"
#include "ref/reference.h"

namespace flecsim {

// Accelerator units (capability-based), interrupt controller and simulation-control bases.
compiler::TargetInfo target_of(const Platform& platform);

struct CheckResult {
  bool pass = true;
  double max_abs_error = 0;       // vs the reference with the same quantisation
  double cosine_vs_fp32 = 1.0;    // vs the float model (quality of the quantisation)
  double max_abs_error_fp32 = 0;  // vs the float model
  std::string first_mismatch;     // "output 'y' element 17: 3 != 4"
  nlohmann::json to_json() const;
};

// Integer outputs must match exactly; float outputs within rtol 1e-3 / atol 1e-5.
CheckResult check_outputs(const ref::TensorMap& simulated, const ref::TensorMap& expected,
                          const ref::TensorMap& fp32);

}  // namespace flecsim
