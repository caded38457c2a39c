// NumPy .npy files (format versions 1-3, little-endian, C order) to and from Tensors.
#pragma once
#include <string>

#include "graph/tensor.h"

namespace flecsim::graph {

Tensor read_npy(const std::string& path);  // UserError naming the file on bad content
void write_npy(const std::string& path, const Tensor& tensor);

}  // namespace flecsim::graph
