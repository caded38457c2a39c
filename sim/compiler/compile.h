// The compiler driver: ONNX graph -> fused, folded, mapped, lowered, planned loadable image.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "compiler/program.h"
#include "compiler/quantize.h"
#include "graph/graph.h"
#include "ref/reference.h"

namespace flecsim::compiler {

// What the compiler needs to know of the platform (filled by the run command from Platform).
struct TargetInfo {
  std::vector<Unit> accelerators;                         // units[1..]; their flc_unit_t records
  std::vector<std::vector<std::string>> accelerator_ops;  // lowered ops each can run
  std::vector<std::vector<std::string>> accelerator_precisions;  // "int8", "int16", "bf16"
  uint32_t plic_base = 0;
  uint32_t simctrl_base = 0;
  uint64_t image_base = 0;  // where the loadable is placed
  uint64_t memory_end = 0;  // end of the memory holding image and arena
};

struct CompileOptions {
  // auto | none | int8 | int16 | bf16: precision of float Conv/MatMul/Gemm (quantize.h); none
  // also leaves QDQ models unfused.
  std::string quantize = "auto";
  std::vector<LayerPrecision> layers;       // per-layer overrides (compiler.quantize.layers)
  std::vector<ref::TensorMap> calibration;  // input sets the activation ranges come from
};

struct Compiled {
  graph::Graph graph;  // the graph as compiled: the reference executor runs exactly this
  Program program;
  std::vector<uint8_t> image;  // header + tables + constants, placed at image_base
  uint64_t image_base = 0;
  std::map<std::string, uint64_t> value_addr;  // graph inputs and outputs -> address
  int fused_ops = 0;
  int quantized_ops = 0;                               // float nodes the quantisation pass rewrote
  std::map<std::string, std::string> layer_precision;  // node -> int8 | int16 | bf16
};

Compiled compile(graph::Graph g, const TargetInfo& target, const CompileOptions& options);

// Replaces nodes whose inputs are all constants by their values (computed by the reference
// executor). Returns the number of nodes folded.
int fold_constants(graph::Graph& g);

// Assigns addresses: constants into the image after the tables, activations into the arena
// after the image with buffer reuse by lifetime. Returns the arena size.
uint64_t plan_memory(Program& p, uint64_t constants_base, uint64_t arena_base, uint64_t limit);

// Serialises header, units, tensors, ops and constant data (addresses already planned).
std::vector<uint8_t> serialize(const Program& p, const TargetInfo& target, uint64_t arena_base,
                               uint64_t arena_bytes);
uint64_t tables_bytes(const Program& p);

}  // namespace flecsim::compiler
