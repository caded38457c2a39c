#include "core/units.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <utility>
#include <vector>

namespace flecsim {
namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// Splits "12.5 MHz" into number text "12.5" and suffix "MHz".
void split_number(const std::string& text, std::string& number, std::string& suffix) {
  std::string t = trim(text);
  size_t i = 0;
  if (t.rfind("0x", 0) == 0 || t.rfind("0X", 0) == 0) {
    i = 2;
    while (i < t.size() && (std::isxdigit(static_cast<unsigned char>(t[i])) || t[i] == '_')) ++i;
  } else {
    while (i < t.size() &&
           (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == '.' || t[i] == '_' ||
            t[i] == 'e' || t[i] == 'E' || t[i] == '+' || t[i] == '-')) {
      // 'e' only counts as an exponent when followed by a digit or sign.
      if ((t[i] == 'e' || t[i] == 'E') &&
          !(i + 1 < t.size() && (std::isdigit(static_cast<unsigned char>(t[i + 1])) ||
                                 t[i + 1] == '-' || t[i + 1] == '+')))
        break;
      ++i;
    }
  }
  number = t.substr(0, i);
  suffix = trim(t.substr(i));
}

bool parse_scaled(const std::string& text, const std::vector<std::pair<std::string, double>>& units,
                  const std::string& expected, double& out, std::string& why) {
  std::string number, suffix;
  split_number(text, number, suffix);
  double value = 0;
  std::string ignored;
  if (number.empty() || !parse_real(number, value, ignored) || value < 0) {
    why = "expected " + expected + ", got '" + text + "'";
    return false;
  }
  for (const auto& u : units) {
    if (u.first == suffix) {
      out = value * u.second;
      return true;
    }
  }
  why = "unknown unit '" + suffix + "' in '" + text + "' (expected " + expected + ")";
  return false;
}

bool to_u64(double v, uint64_t& out, const std::string& text, std::string& why) {
  double r = std::round(v);
  if (std::fabs(v - r) > 1e-6 * std::max(1.0, std::fabs(v)) || r > 1.8e19) {
    why = "'" + text + "' is not a whole number in the base unit";
    return false;
  }
  out = static_cast<uint64_t>(r);
  return true;
}

}  // namespace

bool parse_integer(const std::string& text, uint64_t& value, std::string& why) {
  std::string t = trim(text);
  std::string digits;
  for (char c : t)
    if (c != '_') digits += c;
  if (digits.empty() || digits[0] == '-' || digits[0] == '+') {
    why = "expected a non-negative integer, got '" + text + "'";
    return false;
  }
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(digits.c_str(), &end, 0);
  if (errno != 0 || end == digits.c_str() || *end != '\0') {
    why = "expected a non-negative integer, got '" + text + "'";
    return false;
  }
  value = v;
  return true;
}

bool parse_real(const std::string& text, double& value, std::string& why) {
  std::string t = trim(text);
  std::string digits;
  for (char c : t)
    if (c != '_') digits += c;
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(digits.c_str(), &end);
  if (digits.empty() || errno != 0 || *end != '\0' || !std::isfinite(v)) {
    why = "expected a number, got '" + text + "'";
    return false;
  }
  value = v;
  return true;
}

bool parse_bool(const std::string& text, bool& value, std::string& why) {
  std::string t = trim(text);
  if (t == "true" || t == "yes" || t == "on") return value = true, true;
  if (t == "false" || t == "no" || t == "off") return value = false, true;
  why = "expected true or false, got '" + text + "'";
  return false;
}

bool parse_size_bytes(const std::string& text, uint64_t& bytes, std::string& why) {
  std::string number, suffix;
  split_number(text, number, suffix);
  if (suffix.empty() || suffix == "B") {
    if (parse_integer(number, bytes, why)) return true;
    why = "expected a size such as 4096, 64KiB or 1MiB, got '" + text + "'";
    return false;
  }
  static const std::vector<std::pair<std::string, double>> units = {
      {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0},
      {"kB", 1e3},     {"KB", 1e3},        {"MB", 1e6},           {"GB", 1e9}};
  double v = 0;
  if (!parse_scaled(text, units, "a size such as 4096, 64KiB or 1MiB", v, why)) return false;
  return to_u64(v, bytes, text, why);
}

bool parse_frequency_hz(const std::string& text, uint64_t& hertz, std::string& why) {
  static const std::vector<std::pair<std::string, double>> units = {
      {"Hz", 1.0}, {"kHz", 1e3}, {"KHz", 1e3}, {"MHz", 1e6}, {"GHz", 1e9}};
  double v = 0;
  if (!parse_scaled(text, units, "a frequency such as 500MHz or 1.2GHz", v, why)) return false;
  if (!to_u64(v, hertz, text, why)) return false;
  if (hertz == 0) return why = "frequency must be above zero", false;
  return true;
}

bool parse_time_ps(const std::string& text, uint64_t& picoseconds, std::string& why) {
  static const std::vector<std::pair<std::string, double>> units = {
      {"ps", 1.0}, {"ns", 1e3}, {"us", 1e6}, {"ms", 1e9}, {"s", 1e12}};
  double v = 0;
  if (!parse_scaled(text, units, "a time such as 10ns, 1us or 250ps", v, why)) return false;
  return to_u64(v, picoseconds, text, why);
}

std::string format_bytes(uint64_t bytes) {
  static const char* names[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int i = 0;
  uint64_t v = bytes;
  while (i < 4 && v >= 1024 && v % 1024 == 0) v /= 1024, ++i;
  return std::to_string(v) + " " + names[i];
}

std::string format_hz(uint64_t hertz) {
  if (hertz % 1000000000 == 0) return std::to_string(hertz / 1000000000) + " GHz";
  if (hertz % 1000000 == 0) return std::to_string(hertz / 1000000) + " MHz";
  if (hertz % 1000 == 0) return std::to_string(hertz / 1000) + " kHz";
  return std::to_string(hertz) + " Hz";
}

}  // namespace flecsim
