// Parsing of values with units, as written in platform YAML and on the command line.
// Sizes: 4096, 0x1000, 4KiB, 4 KiB, 1MiB, 2GiB (binary), 1kB/1MB/1GB (decimal).
// Frequencies: 500MHz, 1.2GHz, 32768Hz. Times: 10ns, 1us, 250ps, 1ms, 2s.
// Each returns false and sets `why` (what was expected) on malformed input.
#pragma once
#include <cstdint>
#include <string>

namespace flecsim {

bool parse_integer(const std::string& text, uint64_t& value, std::string& why);
bool parse_size_bytes(const std::string& text, uint64_t& bytes, std::string& why);
bool parse_frequency_hz(const std::string& text, uint64_t& hertz, std::string& why);
bool parse_time_ps(const std::string& text, uint64_t& picoseconds, std::string& why);
bool parse_real(const std::string& text, double& value, std::string& why);
bool parse_bool(const std::string& text, bool& value, std::string& why);

// Human-readable forms for reports: "512 KiB", "500 MHz".
std::string format_bytes(uint64_t bytes);
std::string format_hz(uint64_t hertz);

}  // namespace flecsim
