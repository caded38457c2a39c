// Memory plan and serialisation of the loadable (workloads/runtime/loadable_format.h).
#include <algorithm>
#include <cstring>

#include "compiler/compile.h"
#include "core/error.h"
#include "core/units.h"

namespace flecsim::compiler {
namespace {

constexpr uint64_t kAlign = 64;  // a cache line / DMA burst: buffers never share one

uint64_t align_up(uint64_t v, uint64_t a) {
  return (v + a - 1) / a * a;
}

void compute_lifetimes(Program& p) {
  for (size_t i = 0; i < p.ops.size(); ++i)
    for (int t : p.ops[i].operands) {
      if (t < 0) continue;
      ProgramTensor& tensor = p.tensors[t];
      if (tensor.first_use < 0) tensor.first_use = static_cast<int>(i);
      tensor.last_use = static_cast<int>(i);
    }
}

struct Placed {
  uint64_t offset, bytes;
  int first, last;
};

}  // namespace

uint64_t plan_memory(Program& p, uint64_t constants_base, uint64_t arena_base, uint64_t limit) {
  uint64_t at = constants_base;
  for (auto& t : p.tensors)
    if (t.constant) {
      t.addr = at;
      at += align_up(t.bytes(), 16);
    }
  compute_lifetimes(p);
  // Graph inputs and outputs live for the whole run; the rest reuse space by lifetime:
  // largest first, at the lowest offset free during the tensor's lifetime.
  std::vector<int> order;
  for (size_t i = 0; i < p.tensors.size(); ++i)
    if (!p.tensors[i].constant) order.push_back(static_cast<int>(i));
  const int whole = static_cast<int>(p.ops.size());
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return p.tensors[a].bytes() > p.tensors[b].bytes(); });
  std::vector<Placed> placed;
  uint64_t arena_bytes = 0;
  for (int i : order) {
    ProgramTensor& t = p.tensors[i];
    const bool pinned = t.graph_input || t.graph_output;
    const int first = pinned ? -1 : t.first_use, last = pinned ? whole : t.last_use;
    const uint64_t bytes = align_up(std::max<uint64_t>(t.bytes(), 1), kAlign);
    std::vector<std::pair<uint64_t, uint64_t>> busy;
    for (const auto& q : placed)
      if (!(q.last < first || last < q.first)) busy.push_back({q.offset, q.offset + q.bytes});
    std::sort(busy.begin(), busy.end());
    uint64_t offset = 0;
    for (const auto& [b, e] : busy) {
      if (offset + bytes <= b) break;
      offset = std::max(offset, e);
    }
    placed.push_back({offset, bytes, first, last});
    t.addr = arena_base + offset;
    arena_bytes = std::max(arena_bytes, offset + bytes);
  }
  if (arena_base + arena_bytes > limit)
    throw UserError("the model needs " + format_bytes(arena_base + arena_bytes - constants_base) +
                    " of memory for weights and activations; the platform's memory ends " +
                    std::to_string(arena_base + arena_bytes - limit) + " bytes too early");
  return arena_bytes;
}

uint64_t tables_bytes(const Program& p) {
  return align_up(sizeof(flc_header_t) + p.units.size() * sizeof(flc_unit_t) +
                      p.tensors.size() * sizeof(flc_tensor_t) + p.ops.size() * sizeof(flc_op_t),
                  16);
}

std::vector<uint8_t> serialize(const Program& p, const TargetInfo& target, uint64_t arena_base,
                               uint64_t arena_bytes) {
  const uint64_t base = target.image_base;
  uint64_t end = tables_bytes(p);
  for (const auto& t : p.tensors)
    if (t.constant) end = std::max(end, t.addr - base + t.bytes());
  std::vector<uint8_t> image(end, 0);
  flc_header_t h{};
  h.magic = FLC_MAGIC, h.version = FLC_VERSION;
  h.n_units = static_cast<uint32_t>(p.units.size());
  h.n_tensors = static_cast<uint32_t>(p.tensors.size());
  h.n_ops = static_cast<uint32_t>(p.ops.size());
  h.units_offset = sizeof(flc_header_t);
  h.tensors_offset = h.units_offset + h.n_units * sizeof(flc_unit_t);
  h.ops_offset = h.tensors_offset + h.n_tensors * sizeof(flc_tensor_t);
  h.image_bytes = static_cast<uint32_t>(image.size());
  h.arena_base = static_cast<uint32_t>(arena_base),
  h.arena_bytes = static_cast<uint32_t>(arena_bytes);
  h.n_layers = static_cast<uint32_t>(p.layers.size());
  h.plic_base = target.plic_base, h.simctrl_base = target.simctrl_base;
  std::memcpy(image.data(), &h, sizeof h);
  for (size_t u = 0; u < p.units.size(); ++u)
    std::memcpy(image.data() + h.units_offset + u * sizeof(flc_unit_t), &p.units[u].record,
                sizeof(flc_unit_t));
  for (size_t i = 0; i < p.tensors.size(); ++i) {
    const ProgramTensor& t = p.tensors[i];
    flc_tensor_t r{};
    r.addr = static_cast<uint32_t>(t.addr);
    r.dtype = static_cast<uint8_t>(t.dtype);
    r.rank = static_cast<uint8_t>(std::min<size_t>(t.shape.size(), FLC_MAX_RANK));
    r.flags = (t.constant ? FLC_TENSOR_CONSTANT : 0) | (t.graph_input ? FLC_TENSOR_INPUT : 0) |
              (t.graph_output ? FLC_TENSOR_OUTPUT : 0);
    for (size_t d = 0; d < r.rank; ++d) r.dims[d] = static_cast<uint32_t>(t.shape[d]);
    std::memcpy(image.data() + h.tensors_offset + i * sizeof r, &r, sizeof r);
    if (t.constant) std::memcpy(image.data() + (t.addr - base), t.data.data(), t.data.size());
  }
  for (size_t i = 0; i < p.ops.size(); ++i) {
    const ProgramOp& op = p.ops[i];
    flc_op_t r{};
    r.opcode = op.opcode, r.unit = op.unit, r.layer = static_cast<uint16_t>(op.layer);
    r.n_operands = static_cast<uint8_t>(op.operands.size());
    for (size_t k = 0; k < FLC_MAX_OPERANDS; ++k)
      r.operands[k] = k < op.operands.size() && op.operands[k] >= 0
                          ? static_cast<uint16_t>(op.operands[k])
                          : FLC_NO_TENSOR;
    std::copy(op.params.begin(), op.params.end(), r.params);
    std::memcpy(image.data() + h.ops_offset + i * sizeof r, &r, sizeof r);
  }
  return image;
}

}  // namespace flecsim::compiler
