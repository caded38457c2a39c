#include "graph/tensor.h"

#include <sstream>

namespace flecsim::graph {

const char* dtype_name(DType type) {
  switch (type) {
    case DType::kFloat32:
      return "float32";
    case DType::kUInt8:
      return "uint8";
    case DType::kInt8:
      return "int8";
    case DType::kUInt16:
      return "uint16";
    case DType::kInt16:
      return "int16";
    case DType::kInt32:
      return "int32";
    case DType::kInt64:
      return "int64";
    case DType::kString:
      return "string";
    case DType::kBool:
      return "bool";
    case DType::kFloat16:
      return "float16";
    case DType::kFloat64:
      return "float64";
    case DType::kUInt32:
      return "uint32";
    case DType::kUInt64:
      return "uint64";
    case DType::kBFloat16:
      return "bfloat16";
    case DType::kUndefined:
      break;
  }
  return "undefined";
}

size_t dtype_size(DType type) {
  switch (type) {
    case DType::kBool:
    case DType::kUInt8:
    case DType::kInt8:
      return 1;
    case DType::kUInt16:
    case DType::kInt16:
    case DType::kFloat16:
    case DType::kBFloat16:
      return 2;
    case DType::kFloat32:
    case DType::kInt32:
    case DType::kUInt32:
      return 4;
    case DType::kFloat64:
    case DType::kInt64:
    case DType::kUInt64:
      return 8;
    default:
      return 0;
  }
}

bool is_storable(DType type) {
  return dtype_size(type) != 0 && type != DType::kFloat16 && type != DType::kBFloat16;
}

int64_t element_count(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d > 0 && n > (int64_t{1} << 40) / d)
      throw UserError("shape " + shape_str(shape) + " is too large");
    n *= d;
  }
  return n;
}

std::string shape_str(const Shape& shape) {
  std::ostringstream out;
  out << '[';
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out << ',';
    if (shape[i] < 0)
      out << '?';
    else
      out << shape[i];
  }
  out << ']';
  return out.str();
}

Tensor::Tensor(DType type, Shape shape) : dtype_(type), shape_(std::move(shape)) {
  for (int64_t d : shape_)
    if (d < 0) throw UserError("tensor with negative dimension " + shape_str(shape_));
  bytes_.assign(static_cast<size_t>(numel()) * dtype_size(type), 0);
}

void Tensor::reshape(Shape shape) {
  if (element_count(shape) != numel())
    throw InternalError("reshape " + shape_str(shape_) + " to " + shape_str(shape));
  shape_ = std::move(shape);
}

void Tensor::check_type(DType wanted) const {
  if (wanted != dtype_)
    throw InternalError(std::string("tensor of ") + dtype_name(dtype_) + " accessed as " +
                        dtype_name(wanted));
}

void Tensor::check_index(int64_t i) const {
  if (i < 0 || i >= numel())
    throw UserError("element " + std::to_string(i) + " of a tensor of shape " + shape_str(shape_) +
                    " does not exist");
}

double Tensor::get_double(int64_t i) const {
  check_index(i);
  return visit_dtype(dtype_, "tensor", [&](auto tag) -> double {
    using T = typename decltype(tag)::type;
    return static_cast<double>(reinterpret_cast<const T*>(bytes_.data())[i]);
  });
}

int64_t Tensor::get_int(int64_t i) const {
  check_index(i);
  return visit_dtype(dtype_, "tensor", [&](auto tag) -> int64_t {
    using T = typename decltype(tag)::type;
    return static_cast<int64_t>(reinterpret_cast<const T*>(bytes_.data())[i]);
  });
}

std::vector<int64_t> Tensor::to_ints() const {
  std::vector<int64_t> out(static_cast<size_t>(numel()));
  for (int64_t i = 0; i < numel(); ++i) out[i] = get_int(i);
  return out;
}

std::vector<float> Tensor::to_floats() const {
  std::vector<float> out(static_cast<size_t>(numel()));
  for (int64_t i = 0; i < numel(); ++i) out[i] = static_cast<float>(get_double(i));
  return out;
}

Tensor Tensor::from_floats(Shape shape, const std::vector<float>& values) {
  Tensor t(DType::kFloat32, std::move(shape));
  if (static_cast<int64_t>(values.size()) != t.numel()) throw InternalError("from_floats size");
  std::memcpy(t.bytes_.data(), values.data(), t.bytes_.size());
  return t;
}

Tensor Tensor::from_ints(Shape shape, const std::vector<int64_t>& values) {
  Tensor t(DType::kInt64, std::move(shape));
  if (static_cast<int64_t>(values.size()) != t.numel()) throw InternalError("from_ints size");
  std::memcpy(t.bytes_.data(), values.data(), t.bytes_.size());
  return t;
}

}  // namespace flecsim::graph
