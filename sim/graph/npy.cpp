#include "graph/npy.h"

#include <fstream>
#include <regex>
#include <sstream>

namespace flecsim::graph {

namespace {

struct DescrEntry {
  const char* descr;
  DType type;
};
constexpr DescrEntry kDescrs[] = {
    {"<f4", DType::kFloat32}, {"<f8", DType::kFloat64}, {"|i1", DType::kInt8},
    {"|u1", DType::kUInt8},   {"<i2", DType::kInt16},   {"<u2", DType::kUInt16},
    {"<i4", DType::kInt32},   {"<u4", DType::kUInt32},  {"<i8", DType::kInt64},
    {"<u8", DType::kUInt64},  {"|b1", DType::kBool},
};

DType dtype_from_descr(const std::string& descr, const std::string& path) {
  for (const auto& e : kDescrs)
    if (descr == e.descr) return e.type;
  throw UserError(SourceLoc{path}, "unsupported .npy element type '" + descr + "'");
}

const char* descr_of(DType type) {
  for (const auto& e : kDescrs)
    if (type == e.type) return e.descr;
  throw UserError(std::string("cannot write ") + dtype_name(type) + " to .npy");
}

Shape parse_shape(const std::string& text, const std::string& path) {
  Shape shape;
  std::regex number("[0-9]+");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), number);
       it != std::sregex_iterator(); ++it)
    shape.push_back(std::stoll(it->str()));
  if (shape.size() > 16) throw UserError(SourceLoc{path}, ".npy rank too large");
  return shape;
}

}  // namespace

Tensor read_npy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError(SourceLoc{path}, "cannot open file");
  char magic[8] = {};
  in.read(magic, 8);
  if (!in || std::string(magic, 6) != "\x93NUMPY")
    throw UserError(SourceLoc{path}, "not a .npy file");
  const int major = static_cast<unsigned char>(magic[6]);
  uint32_t header_len = 0;
  unsigned char len_bytes[4] = {};
  in.read(reinterpret_cast<char*>(len_bytes), major == 1 ? 2 : 4);
  for (int i = 3; i >= 0; --i) header_len = header_len << 8 | len_bytes[i];
  if (!in || header_len > 65536) throw UserError(SourceLoc{path}, "bad .npy header");
  std::string header(header_len, '\0');
  in.read(header.data(), header_len);
  std::smatch m;
  if (!std::regex_search(header, m, std::regex("'descr':\\s*'([^']+)'")))
    throw UserError(SourceLoc{path}, ".npy header has no descr");
  const DType type = dtype_from_descr(m[1], path);
  if (std::regex_search(header, std::regex("'fortran_order':\\s*True")))
    throw UserError(SourceLoc{path}, "Fortran-order .npy is not supported");
  if (!std::regex_search(header, m, std::regex("'shape':\\s*\\(([^)]*)\\)")))
    throw UserError(SourceLoc{path}, ".npy header has no shape");
  Tensor t(type, parse_shape(m[1], path));
  in.read(reinterpret_cast<char*>(t.bytes().data()),
          static_cast<std::streamsize>(t.bytes().size()));
  if (!in)
    throw UserError(SourceLoc{path}, ".npy data shorter than its shape " + shape_str(t.shape()));
  return t;
}

void write_npy(const std::string& path, const Tensor& tensor) {
  std::ostringstream dict;
  dict << "{'descr': '" << descr_of(tensor.dtype()) << "', 'fortran_order': False, 'shape': (";
  for (int64_t d : tensor.shape()) dict << d << ", ";
  dict << "), }";
  std::string header = dict.str();
  const size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::ofstream out(path, std::ios::binary);
  if (!out) throw UserError(SourceLoc{path}, "cannot write file");
  out.write("\x93NUMPY\x01\x00", 8);
  const uint16_t len = static_cast<uint16_t>(header.size());
  const char len_bytes[2] = {static_cast<char>(len & 0xff), static_cast<char>(len >> 8)};
  out.write(len_bytes, 2);
  out << header;
  out.write(reinterpret_cast<const char*>(tensor.bytes().data()),
            static_cast<std::streamsize>(tensor.bytes().size()));
}

}  // namespace flecsim::graph
