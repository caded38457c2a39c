// Errors and exit codes shared by every layer.
// A user can cause UserError (bad YAML, ONNX, ELF, options): exit 2, message names file:line.
// CheckFailure is a failed verification (output mismatch, firmware failure): exit 1.
// InternalError is a simulator bug: exit 3.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace flecsim {

enum ExitCode : int { kExitOk = 0, kExitCheckFailed = 1, kExitUserError = 2, kExitInternal = 3 };

// Where a piece of user input came from. line/column are 1-based; 0 means unknown.
struct SourceLoc {
  std::string file;
  int line = 0;
  int column = 0;
  std::string str() const;  // "file:line:column", or as much as is known
};

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

class UserError : public Error {
 public:
  explicit UserError(const std::string& message) : Error(kExitUserError, message) {}
  UserError(const SourceLoc& loc, const std::string& message)
      : Error(kExitUserError, loc.str() + ": " + message) {}
};

class CheckFailure : public Error {
 public:
  explicit CheckFailure(const std::string& message) : Error(kExitCheckFailed, message) {}
};

class InternalError : public Error {
 public:
  explicit InternalError(const std::string& message) : Error(kExitInternal, message) {}
};

// Closest candidate by edit distance, or "" when nothing is close enough; for "did you mean".
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace flecsim
