#include "power/report.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace flecsim {

namespace {

// Single-quoted for /bin/sh.
std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

bool write_html_report(const std::string& dir) {
  if (const char* off = std::getenv("FLECSIM_NO_REPORT"); off && *off && std::string(off) != "0")
    return false;  // batch runs that do not want the ~1.5 s of matplotlib
  const char* python_env = std::getenv("FLECSIM_PYTHON");
  const std::string python = python_env ? python_env : "/usr/bin/python3";
  const std::string script = FLECSIM_REPORT_SCRIPT;
  if (!std::filesystem::exists(python) || !std::filesystem::exists(script)) {
    std::cerr << "flecsim: warning: no report.html (" << python << " or " << script
              << " missing)\n";
    return false;
  }
  const std::string cmd = shell_quote(python) + " " + shell_quote(script) + " " + shell_quote(dir);
  if (std::system(cmd.c_str()) != 0) {
    std::cerr << "flecsim: warning: report.html not written (" << script << " failed)\n";
    return false;
  }
  return true;
}

}  // namespace flecsim
