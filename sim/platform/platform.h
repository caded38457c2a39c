// A built SoC: the components of a platform YAML, bound as its crossbars, address map and
// interrupt wiring say, ready to simulate. One Platform per SystemC kernel context.
//
// INTERFACE CONTRACT (other layers code against this; the implementation is in
// platform/platform.cpp, loader.cpp and builder.cpp).
#pragma once
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/stats.h"
#include "core/time.h"
#include "platform/component.h"
#include "platform/config.h"

namespace flecsim {

// Memories implement this so loaders (ELF, loadables, preload files) and the host side of a
// run can read and write simulated memory directly, without simulated time.
class MemoryBackdoor {
 public:
  virtual ~MemoryBackdoor() = default;
  // Pointer to `len` bytes at local offset, or nullptr when out of range.
  virtual uint8_t* backdoor(uint64_t offset, uint64_t len) = 0;
};

struct AddressRange {
  std::string target;  // "dram0" or "dma0.regs"
  std::string bus;     // crossbar it is decoded by
  uint64_t base = 0;
  uint64_t size = 0;
  SourceLoc loc;  // where the address_map entry is
};

struct PlatformOptions {
  std::vector<std::string> overrides;  // --set path.to.key=value, applied in order
  bool tracing = false;                // --trace
  std::string output_dir;              // "" = write nothing
};

class Platform {
 public:
  // Loads, merges includes and overrides, validates and elaborates. Throws UserError (exit 2)
  // naming file:line:column for any problem in the YAML.
  static std::unique_ptr<Platform> load(const std::string& yaml_path,
                                        const PlatformOptions& options = {});
  // Same, from YAML text (tests). `file` names it in messages.
  static std::unique_ptr<Platform> from_text(const std::string& yaml_text, const std::string& file,
                                             const PlatformOptions& options = {});
  // The same, building components from `registry` instead of the built-in kinds (tests).
  static std::unique_ptr<Platform> load(const std::string& yaml_path,
                                        const PlatformOptions& options,
                                        const ComponentRegistry& registry);
  static std::unique_ptr<Platform> from_text(const std::string& yaml_text, const std::string& file,
                                             const PlatformOptions& options,
                                             const ComponentRegistry& registry);
  ~Platform();

  const std::string& source_file() const;  // the YAML file it was loaded from

  const std::string& name() const;   // platform.name
  const ConfigNode& config() const;  // merged tree (after includes and --set)
  StatsRegistry& stats();
  const Clock& clock(const std::string& name) const;  // throws UserError if unknown
  const Clock& main_clock() const;                    // the first clock listed

  Component* component(const std::string& name) const;  // nullptr if none
  template <typename T>
  T* component_as(const std::string& name) const {
    return dynamic_cast<T*>(component(name));
  }
  const std::vector<Component*>& components() const;
  // Components of a kind ("rv32", "dma", ...), in YAML order.
  std::vector<Component*> components_of_kind(const std::string& kind) const;
  const std::vector<AddressRange>& address_map() const;
  const AddressRange* range_of(const std::string& target) const;  // "dram0" or "dma0.regs"

  // Direct access to simulated memory at a physical address (as the first crossbar sees it).
  // Returns nullptr when [addr, addr+len) is not inside one memory.
  uint8_t* backdoor(uint64_t addr, uint64_t len) const;
  void write_phys(uint64_t addr, const void* data, uint64_t len) const;  // throws UserError
  void read_phys(uint64_t addr, void* data, uint64_t len) const;         // throws UserError

  // Runs the simulation until a component requests a stop, nothing is left to simulate, or
  // `limit` of simulated time passes (0 = no limit). Returns the stop request, if any.
  struct StopRequest {
    int exit_code = 0;
    std::string reason;
  };
  std::optional<StopRequest> run(Tick limit = 0);
  // Components call this to end the run (HTIF tohost, simctrl exit, watchdog, fatal error).
  void request_stop(int exit_code, const std::string& reason);
  bool stop_requested() const;
  const StopRequest* stop_request() const;  // the first request, or nullptr
  // A SystemC process that catches an error (UserError, CheckFailure ...) hands it over here
  // instead of letting it escape: SystemC would turn it into an sc_report and lose its type
  // and exit code. Stops the simulation; run() then rethrows the first error reported.
  //   try { ... } catch (...) { platform->report_error(std::current_exception()); }
  void report_error(std::exception_ptr error);
  // Calls finish() of every component once (flushes lazily computed counters); call it after
  // the last run() and before reading statistics. write_run_outputs() calls it.
  void finish();

  // Human-readable component tree and address map (flecsim check).
  std::string describe() const;

 private:
  Platform();
  struct Impl;
  std::unique_ptr<Impl> impl_;
  friend class PlatformBuilder;
};

}  // namespace flecsim
