#include "ref/inputs.h"

#include <cmath>
#include <limits>

namespace flecsim::ref {

using graph::DType;
using graph::Shape;
using graph::Tensor;

namespace {
uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
}  // namespace

TensorMap random_inputs(const graph::Graph& g, uint64_t seed) {
  TensorMap out;
  uint64_t state = seed;
  for (const auto& name : g.inputs) {
    const graph::ValueInfo* info = g.value(name);
    if (!info || info->dtype == DType::kUndefined || !info->shape)
      throw UserError(SourceLoc{g.source_file},
                      "graph input '" + name + "' has no known type and rank; give it as a file");
    Shape shape = *info->shape;
    for (auto& d : shape) d = d < 0 ? 1 : d;
    Tensor t(info->dtype, shape);
    graph::visit_dtype(t.dtype(), "input '" + name + "'", [&](auto tag) {
      using T = typename decltype(tag)::type;
      T* p = t.data<T>();
      for (int64_t i = 0; i < t.numel(); ++i) {
        const uint64_t r = splitmix64(state);
        if constexpr (std::is_floating_point_v<T>) {
          p[i] = static_cast<T>(static_cast<double>(r >> 11) * 0x1.0p-52 - 1.0);
        } else if constexpr (std::is_same_v<T, bool>) {
          p[i] = r & 1;
        } else {
          p[i] = static_cast<T>(r);  // modulo 2^bits: uniform over the type's range
        }
      }
    });
    out[name] = std::move(t);
  }
  return out;
}

Comparison compare(const graph::Tensor& expected, const graph::Tensor& actual) {
  if (expected.shape() != actual.shape())
    throw CheckFailure("shapes differ: " + graph::shape_str(expected.shape()) + " vs " +
                       graph::shape_str(actual.shape()));
  Comparison c;
  double dot = 0, ne = 0, na = 0;
  for (int64_t i = 0; i < expected.numel(); ++i) {
    const double e = expected.get_double(i), a = actual.get_double(i);
    c.max_abs_error = std::max(c.max_abs_error, std::fabs(e - a));
    dot += e * a, ne += e * e, na += a * a;
  }
  if (ne > 0 || na > 0) c.cosine = (ne > 0 && na > 0) ? dot / std::sqrt(ne * na) : 0.0;
  return c;
}

}  // namespace flecsim::ref
