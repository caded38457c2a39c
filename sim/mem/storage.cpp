#include "mem/storage.h"

#include <cstring>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace flecsim {

MemoryStorage::MemoryStorage(uint64_t size) : size_(size) {
  bytes_ = static_cast<uint8_t*>(std::calloc(size ? size : 1, 1));
  if (!bytes_) throw UserError("cannot allocate " + std::to_string(size) + " bytes of memory");
}

bool MemoryStorage::access(tlm::tlm_generic_payload& trans) {
  const uint64_t offset = trans.get_address();
  const unsigned len = trans.get_data_length();
  uint8_t* mem = at(offset, len);
  if (!mem) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return false;
  }
  if (trans.get_streaming_width() && trans.get_streaming_width() < len) {
    trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return false;
  }
  uint8_t* data = trans.get_data_ptr();
  const uint8_t* be = trans.get_byte_enable_ptr();
  const unsigned be_len = trans.get_byte_enable_length();
  if (trans.is_read()) {
    if (be) {
      for (unsigned i = 0; i < len; ++i)
        if (be[i % be_len]) data[i] = mem[i];
    } else {
      std::memcpy(data, mem, len);
    }
  } else if (trans.is_write()) {
    if (be) {
      for (unsigned i = 0; i < len; ++i)
        if (be[i % be_len]) mem[i] = data[i];
    } else {
      std::memcpy(mem, data, len);
    }
  }
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
  return true;
}

unsigned MemoryStorage::debug(tlm::tlm_generic_payload& trans) {
  const uint64_t offset = trans.get_address();
  if (offset >= size_) return 0;
  const unsigned len =
      static_cast<unsigned>(std::min<uint64_t>(trans.get_data_length(), size_ - offset));
  if (trans.is_read()) std::memcpy(trans.get_data_ptr(), bytes_ + offset, len);
  if (trans.is_write()) std::memcpy(bytes_ + offset, trans.get_data_ptr(), len);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
  return len;
}

namespace {

// Value of `'key': ...` in a .npy header dict, up to the next top-level comma or brace.
std::string npy_field(const std::string& header, const std::string& key) {
  size_t k = header.find("'" + key + "'");
  if (k == std::string::npos) return "";
  size_t colon = header.find(':', k);
  if (colon == std::string::npos) return "";
  size_t i = colon + 1;
  while (i < header.size() && header[i] == ' ') ++i;
  if (i < header.size() && header[i] == '(') return header.substr(i, header.find(')', i) - i + 1);
  size_t end = header.find_first_of(",}", i);
  return header.substr(i, end == std::string::npos ? std::string::npos : end - i);
}

}  // namespace

NpyPayload parse_npy(const std::string& content, const SourceLoc& where, const std::string& path) {
  auto bad = [&](const std::string& why) -> UserError {
    return UserError(where, path + ": not a usable .npy file: " + why);
  };
  if (content.size() < 10 || content.compare(0, 6, "\x93NUMPY") != 0) throw bad("no NUMPY magic");
  const unsigned major = static_cast<uint8_t>(content[6]);
  uint64_t header_len = 0, header_start = 0;
  if (major == 1) {
    header_len = static_cast<uint8_t>(content[8]) | static_cast<uint8_t>(content[9]) << 8;
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (content.size() < 12) throw bad("truncated header");
    for (int i = 3; i >= 0; --i)
      header_len = header_len << 8 | static_cast<uint8_t>(content[8 + i]);
    header_start = 12;
  } else {
    throw bad("unsupported version " + std::to_string(major));
  }
  if (header_start + header_len > content.size()) throw bad("truncated header");
  const std::string header = content.substr(header_start, header_len);
  NpyPayload out;
  std::string descr = npy_field(header, "descr");
  if (descr.size() < 4 || descr.front() != '\'' || descr.back() != '\'')
    throw bad("missing or structured dtype 'descr'");
  out.descr = descr.substr(1, descr.size() - 2);
  const char order = out.descr[0];
  uint64_t itemsize = std::strtoull(out.descr.c_str() + 2, nullptr, 10);
  if (itemsize == 0 || std::string("<>|=").find(order) == std::string::npos)
    throw bad("unsupported dtype '" + out.descr + "'");
  if (order == '>' && itemsize > 1) throw bad("big-endian dtype '" + out.descr + "'");
  if (npy_field(header, "fortran_order").rfind("False", 0) != 0)
    throw bad("Fortran-ordered arrays are not supported; save with C order");
  std::string shape = npy_field(header, "shape");
  if (shape.empty() || shape.front() != '(') throw bad("missing 'shape'");
  uint64_t count = 1;
  for (size_t i = 1; i < shape.size();) {
    if (std::isdigit(static_cast<unsigned char>(shape[i]))) {
      char* end = nullptr;
      count *= std::strtoull(shape.c_str() + i, &end, 10);
      i = end - shape.c_str();
    } else {
      ++i;
    }
  }
  out.data_offset = header_start + header_len;
  out.data_bytes = count * itemsize;
  if (out.data_offset + out.data_bytes > content.size())
    throw bad("holds " + std::to_string(content.size() - out.data_offset) + " data bytes, shape " +
              shape + " needs " + std::to_string(out.data_bytes));
  return out;
}

void MemoryStorage::preload(const Config& cfg) {
  for (const Config& file : cfg.sub_list("files")) {
    std::string path = file.str("path");
    const uint64_t offset = file.bytes("offset", 0);
    bool npy_default = path.size() > 4 && path.compare(path.size() - 4, 4, ".npy") == 0;
    std::string format = file.choice("format", {"bin", "npy"}, npy_default ? "npy" : "bin");
    file.check_unused();
    std::string resolved = path;
    const std::string& yaml = file.loc("path").file;
    if (!path.empty() && path[0] != '/' && yaml.find('/') != std::string::npos)
      resolved = yaml.substr(0, yaml.rfind('/') + 1) + path;
    std::ifstream in(resolved, std::ios::binary);
    if (!in) throw UserError(file.loc("path"), "cannot open preload file '" + resolved + "'");
    std::ostringstream buf;
    buf << in.rdbuf();
    const std::string content = buf.str();
    uint64_t from = 0, len = content.size();
    if (format == "npy") {
      NpyPayload p = parse_npy(content, file.loc("path"), resolved);
      from = p.data_offset;
      len = p.data_bytes;
    }
    if (offset > size_ || len > size_ - offset)
      throw UserError(file.loc("offset"),
                      "preload file '" + resolved + "' (" + std::to_string(len) +
                          " bytes at offset " + std::to_string(offset) +
                          ") does not fit in the memory of " + std::to_string(size_) + " bytes");
    std::memcpy(bytes_ + offset, content.data() + from, len);
  }
}

}  // namespace flecsim
