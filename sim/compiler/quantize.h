// Quantisation of float models (docs/compiler.md, "Quantising float models"): BatchNormalization
// folding, calibration of activation ranges with the reference executor, and the rewrite of
// float Conv/MatMul/Gemm into the QDQ form of the int8 workloads (QuantizeLinear ->
// DequantizeLinear around activations, per-output-channel symmetric weights), which the QDQ
// fusion then turns into the integer ops the accelerator and the reference run bit-exactly.
#pragma once
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "graph/graph.h"
#include "ref/reference.h"

namespace flecsim::compiler {

// One `compiler.quantize.layers` entry: a node name or glob (* ?) and its precision.
struct LayerPrecision {
  std::string pattern;
  std::string precision;  // none | int8 | int16 | bf16
  std::string where;      // "file:line:col" of the YAML key, for messages
};

struct QuantizePolicy {
  std::string precision = "auto";  // auto | none | int8 | int16 | bf16: float conv/matmul/gemm
  std::vector<LayerPrecision> layers;
};

// min/max of every float value over the calibration sets (graph inputs included).
using Ranges = std::map<std::string, std::pair<float, float>>;

// Conv (constant weights) -> BatchNormalization (constant parameters) becomes one Conv with
// the BN folded into its weights and bias. Returns the number of folds.
int fold_batchnorm(graph::Graph& g);

// Runs the reference executor on every calibration set and records each float value's range.
Ranges calibrate(const graph::Graph& g, const std::vector<ref::TensorMap>& sets);

// The precision each quantisable float node (Conv/MatMul/Gemm with constant weights) gets:
// the policy's default with "auto" resolved to `auto_precision`, overridden by the first
// matching `layers` entry. UserError at the
// entry's YAML location when a pattern matches no node of the model.
std::map<std::string, std::string> layer_precisions(const graph::Graph& g,
                                                    const QuantizePolicy& policy,
                                                    const std::string& auto_precision);

// Rewrites the nodes of `precision` (int8 | int16; others are skipped) into QDQ form with the
// calibrated ranges. Returns the number of nodes quantised.
int insert_qdq(graph::Graph& g, const std::map<std::string, std::string>& precision,
               const Ranges& ranges);

// Rewrites the named nodes into bf16 form (quantize_bf16.cpp). Returns their number.
int insert_bf16(graph::Graph& g, const std::set<std::string>& nodes);

// x rounded to the nearest bfloat16 (ties to even), as a float; NaN and infinities kept.
float round_bf16(float x);

// The whole pass: folds BN, calibrates, inserts QDQ. Returns the number of nodes quantised.
// `chosen` (if given) receives the precision of every node it quantised.
int quantize_float_model(graph::Graph& g, const QuantizePolicy& policy,
                         const std::string& auto_precision,
                         const std::vector<ref::TensorMap>& calibration,
                         std::map<std::string, std::string>* chosen = nullptr);

}  // namespace flecsim::compiler
