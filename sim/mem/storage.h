// The bytes of a simulated memory, zero-filled lazily (calloc), and the `files:` preload that
// every memory kind shares: raw binaries and NumPy .npy arrays copied in at given offsets.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <string>
#include <tlm>

#include "platform/config.h"

namespace flecsim {

class MemoryStorage {
 public:
  explicit MemoryStorage(uint64_t size);
  ~MemoryStorage() { std::free(bytes_); }
  MemoryStorage(const MemoryStorage&) = delete;
  MemoryStorage& operator=(const MemoryStorage&) = delete;

  uint64_t size() const { return size_; }
  uint8_t* data() { return bytes_; }
  uint8_t* at(uint64_t offset, uint64_t len) {
    return offset <= size_ && len <= size_ - offset ? bytes_ + offset : nullptr;
  }
  // Performs the data part of a TLM read/write (byte enables honoured, streaming width not
  // supported). Sets the response status; returns false when the access was rejected.
  bool access(tlm::tlm_generic_payload& trans);
  // Debug transport: copies without timing; returns the bytes copied.
  unsigned debug(tlm::tlm_generic_payload& trans);

  // Reads `files:` (a list of {path, offset, format}) from cfg and copies each file in.
  // Paths are relative to the YAML file the list is written in. Throws UserError.
  void preload(const Config& cfg);

 private:
  uint8_t* bytes_ = nullptr;
  uint64_t size_ = 0;
};

// The payload of a .npy file: where its data starts and how many bytes it has. Throws UserError
// (naming `where`) for anything but a C-ordered array of a little-endian or byte-sized dtype.
struct NpyPayload {
  uint64_t data_offset = 0;
  uint64_t data_bytes = 0;
  std::string descr;
};
NpyPayload parse_npy(const std::string& content, const SourceLoc& where, const std::string& path);

}  // namespace flecsim
