// Resize -> one RESIZE op. The scales / sizes / roi stay tensors (constants or run-time
// values): the runtime computes the interpolation taps from them, and checks that they give
// the output shape the compiler planned for (the graph's static output shape).
#include <algorithm>
#include <map>

#include "compiler/lower.h"
#include "compiler/lower_nn.h"

namespace flecsim::compiler {
namespace {

int lookup(const std::map<std::string, int>& table, const std::string& key, bool& ok) {
  auto it = table.find(key);
  if (it == table.end()) return ok = false, 0;
  return it->second;
}

const std::map<std::string, int> kModes = {
    {"nearest", RSM_NEAREST}, {"linear", RSM_LINEAR}, {"cubic", RSM_CUBIC}};
const std::map<std::string, int> kTransforms = {{"half_pixel", RST_HALF_PIXEL},
                                                {"asymmetric", RST_ASYMMETRIC},
                                                {"align_corners", RST_ALIGN_CORNERS},
                                                {"pytorch_half_pixel", RST_PYTORCH_HALF_PIXEL},
                                                {"tf_half_pixel_for_nn", RST_TF_HALF_PIXEL_FOR_NN},
                                                {"tf_crop_and_resize", RST_TF_CROP_AND_RESIZE}};
const std::map<std::string, int> kNearest = {{"round_prefer_floor", RSN_ROUND_PREFER_FLOOR},
                                             {"round_prefer_ceil", RSN_ROUND_PREFER_CEIL},
                                             {"floor", RSN_FLOOR},
                                             {"ceil", RSN_CEIL}};

std::string check_resize(const graph::Node& node, const graph::Graph& g) {
  if (node.opset < 11) return "Resize before opset 11";
  bool ok = true;
  lookup(kModes, node.attr_string("mode", "nearest"), ok);
  lookup(kTransforms, node.attr_string("coordinate_transformation_mode", "half_pixel"), ok);
  lookup(kNearest, node.attr_string("nearest_mode", "round_prefer_floor"), ok);
  if (!ok) return "mode, coordinate_transformation_mode or nearest_mode not known";
  if (node.attr_int("antialias", 0) || node.has_attr("axes") ||
      node.attr_string("keep_aspect_ratio_policy", "stretch") != "stretch")
    return "antialias, axes and keep_aspect_ratio_policy (opset 18) are not supported";
  return need_f32(node, g);
}

// Optional input i as an operand when it holds values (an empty tensor means "not given").
int optional_operand(LowerContext& ctx, size_t i) {
  if (!ctx.node.has_input(i) || graph::element_count(ctx.in_shape(i)) == 0) return -1;
  return ctx.input(i);
}

void lower_resize(LowerContext& ctx) {
  const Shape& x = ctx.in_shape(0);
  const Shape& y = ctx.out_shape(0);
  const int roi = optional_operand(ctx, 1), scales = optional_operand(ctx, 2);
  const int sizes = optional_operand(ctx, 3);
  if (scales < 0 && sizes < 0) ctx.unsupported("Resize needs scales or sizes");
  if (roi >= 0 && ctx.in_dtype(1) != DType::kFloat32 && ctx.in_dtype(1) != DType::kFloat64)
    ctx.unsupported("roi must be float32 or float64");
  if (scales >= 0 && ctx.in_dtype(2) != DType::kFloat32) ctx.unsupported("scales must be float32");
  // Taps for every output coordinate, then two buffers for the axis-by-axis passes.
  int64_t taps = 0, largest = 1;
  Shape step = x;
  for (size_t d = 0; d < x.size(); ++d) {
    taps += y[d];
    step[d] = y[d];
    largest = std::max(largest, graph::element_count(step));
  }
  const int64_t taps_bytes = (taps * RS_TAP_BYTES + 15) / 16 * 16;
  const int64_t buffer_bytes = largest * 4;
  const int scratch = ctx.add_temp("scratch", DType::kUInt8, {taps_bytes + 2 * buffer_bytes});
  ProgramOp& op =
      ctx.emit(FLC_OP_RESIZE, {ctx.input(0), roi, scales, sizes, ctx.output(0), scratch});
  put_dims(op, RS_RANK, RS_X_DIMS, x);
  for (size_t d = 0; d < y.size(); ++d) op.params[RS_Y_DIMS + d] = checked_i32(y[d], "dimension");
  bool ok = true;
  op.params[RS_MODE] = lookup(kModes, ctx.node.attr_string("mode", "nearest"), ok);
  op.params[RS_TRANSFORM] =
      lookup(kTransforms, ctx.node.attr_string("coordinate_transformation_mode", "half_pixel"), ok);
  op.params[RS_NEAREST] =
      lookup(kNearest, ctx.node.attr_string("nearest_mode", "round_prefer_floor"), ok);
  op.set_f32(RS_CUBIC_A, ctx.node.attr_float("cubic_coeff_a", -0.75f));
  op.params[RS_EXCLUDE_OUTSIDE] = ctx.node.attr_int("exclude_outside", 0) != 0;
  op.set_f32(RS_EXTRAPOLATION, ctx.node.attr_float("extrapolation_value", 0.0f));
  op.params[RS_BUF_A] = checked_i32(taps_bytes, "resize scratch");
  op.params[RS_BUF_B] = checked_i32(taps_bytes + buffer_bytes, "resize scratch");
}

}  // namespace

void register_lower_resize(LowerTable& t) {
  t.add("Resize", {lower_resize, check_resize});
}

}  // namespace flecsim::compiler
