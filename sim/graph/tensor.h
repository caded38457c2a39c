// Tensors of the graph IR and the reference executor: an element type, a shape and the
// bytes, row-major. Element type numbers are ONNX's TensorProto.DataType values so that
// import and export need no table.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "core/error.h"

namespace flecsim::graph {

enum class DType : int {
  kUndefined = 0,
  kFloat32 = 1,
  kUInt8 = 2,
  kInt8 = 3,
  kUInt16 = 4,
  kInt16 = 5,
  kInt32 = 6,
  kInt64 = 7,
  kString = 8,
  kBool = 9,
  kFloat16 = 10,
  kFloat64 = 11,
  kUInt32 = 12,
  kUInt64 = 13,
  kBFloat16 = 16,
};

using Shape = std::vector<int64_t>;  // -1 marks a dimension unknown before run time

const char* dtype_name(DType type);  // "float32", "int8", ...
size_t dtype_size(DType type);       // bytes per element; 0 when the executor has no storage
bool is_storable(DType type);        // dtypes the reference executor computes with
int64_t element_count(const Shape& shape);
std::string shape_str(const Shape& shape);  // "[1,3,224,224]"

template <class T>
struct TypeTag {
  using type = T;
};

// C++ element type of a dtype; bool is stored as one byte holding 0 or 1.
template <class T>
constexpr DType dtype_of() {
  if constexpr (std::is_same_v<T, float>) return DType::kFloat32;
  if constexpr (std::is_same_v<T, double>) return DType::kFloat64;
  if constexpr (std::is_same_v<T, int8_t>) return DType::kInt8;
  if constexpr (std::is_same_v<T, uint8_t>) return DType::kUInt8;
  if constexpr (std::is_same_v<T, int16_t>) return DType::kInt16;
  if constexpr (std::is_same_v<T, uint16_t>) return DType::kUInt16;
  if constexpr (std::is_same_v<T, int32_t>) return DType::kInt32;
  if constexpr (std::is_same_v<T, uint32_t>) return DType::kUInt32;
  if constexpr (std::is_same_v<T, int64_t>) return DType::kInt64;
  if constexpr (std::is_same_v<T, uint64_t>) return DType::kUInt64;
  if constexpr (std::is_same_v<T, bool>) return DType::kBool;
  return DType::kUndefined;
}

// Calls fn(TypeTag<T>{}) with the C++ type of `type`; throws UserError for dtypes without
// storage (float16, strings) naming `what`.
template <class Fn>
decltype(auto) visit_dtype(DType type, const std::string& what, Fn&& fn) {
  switch (type) {
    case DType::kFloat32:
      return fn(TypeTag<float>{});
    case DType::kFloat64:
      return fn(TypeTag<double>{});
    case DType::kInt8:
      return fn(TypeTag<int8_t>{});
    case DType::kUInt8:
      return fn(TypeTag<uint8_t>{});
    case DType::kInt16:
      return fn(TypeTag<int16_t>{});
    case DType::kUInt16:
      return fn(TypeTag<uint16_t>{});
    case DType::kInt32:
      return fn(TypeTag<int32_t>{});
    case DType::kUInt32:
      return fn(TypeTag<uint32_t>{});
    case DType::kInt64:
      return fn(TypeTag<int64_t>{});
    case DType::kUInt64:
      return fn(TypeTag<uint64_t>{});
    case DType::kBool:
      return fn(TypeTag<bool>{});
    default:
      break;
  }
  throw UserError(what + ": element type " + dtype_name(type) + " is not supported");
}

class Tensor {
 public:
  Tensor() = default;
  Tensor(DType type, Shape shape);  // zero-filled
  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  int64_t numel() const { return element_count(shape_); }
  size_t rank() const { return shape_.size(); }
  int64_t dim(size_t i) const { return shape_[i]; }
  void reshape(Shape shape);  // same element count
  bool empty_type() const { return dtype_ == DType::kUndefined; }

  std::vector<uint8_t>& bytes() { return bytes_; }
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  template <class T>
  T* data() {
    check_type(dtype_of<T>());
    return reinterpret_cast<T*>(bytes_.data());
  }
  template <class T>
  const T* data() const {
    check_type(dtype_of<T>());
    return reinterpret_cast<const T*>(bytes_.data());
  }
  // Element i converted to double / int64, whatever the element type (for attributes-like
  // inputs: shapes, axes, scales, zero points).
  double get_double(int64_t i) const;
  int64_t get_int(int64_t i) const;
  std::vector<int64_t> to_ints() const;
  std::vector<float> to_floats() const;

  static Tensor from_floats(Shape shape, const std::vector<float>& values);
  static Tensor from_ints(Shape shape, const std::vector<int64_t>& values);  // int64

 private:
  void check_type(DType wanted) const;
  void check_index(int64_t i) const;
  DType dtype_ = DType::kUndefined;
  Shape shape_;
  std::vector<uint8_t> bytes_;
};

}  // namespace flecsim::graph
