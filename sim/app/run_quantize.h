// Quantisation settings of `flecsim run`: the policy from --quantize and the platform YAML's
// `compiler.quantize` section, and the calibration sets of --calib DIR (docs/compiler.md).
#pragma once
#include <string>
#include <vector>

#include "compiler/compile.h"
#include "graph/graph.h"
#include "platform/platform.h"
#include "ref/reference.h"

namespace flecsim {

// `compiler: {quantize: {default: P, layers: {NODE-OR-GLOB: P}}}` of the platform YAML; a
// --quantize given on the command line (`cli` non-empty) replaces `default`. UserError at the
// YAML key for unknown keys or precisions.
void read_quantize_policy(const Platform& platform, const std::string& cli,
                          compiler::CompileOptions& options);

// Calibration input sets from DIR: DIR/<input name>/*.npy (one file per set, sets in file-name
// order), or DIR/*.npy for a model with one input. UserError naming the file or folder.
std::vector<ref::TensorMap> read_calibration_dir(const graph::Graph& g, const std::string& dir);

}  // namespace flecsim
