// `flecsim fw PLATFORM.yaml PROGRAM.elf`: runs bare-metal firmware on the platform's CPU.
// The process exit code is the firmware's (HTIF tohost or the simulation-control device);
// a runaway program is stopped by --max-instructions or the --max-time watchdog (exit 1).
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/command.h"
#include "core/error.h"
#include "core/units.h"
#include "cpu/decode.h"
#include "cpu/elf.h"
#include "cpu/gdb_stub.h"
#include "cpu/htif.h"
#include "cpu/rv32_cpu.h"
#include "platform/outputs.h"
#include "platform/platform.h"
#include "power/estimate.h"

namespace flecsim {
namespace {

struct FwOptions {
  std::string platform_yaml;
  std::string program;
  uint64_t max_instructions = 0;
  std::string max_time = "100s";
  std::string signature;
  std::optional<int> gdb_port;
  std::string trace_insn;
  std::vector<std::string> overrides;
  std::string output_dir;
  bool quiet = false;
  bool trace = false;
};

Rv32Cpu& the_cpu(const Platform& platform, const std::string& yaml) {
  auto cpus = platform.components_of_kind("rv32");
  if (cpus.empty())
    throw UserError(SourceLoc{yaml, 0, 0},
                    "platform '" + platform.name() + "' has no CPU (kind rv32) to run firmware on");
  return *static_cast<Rv32Cpu*>(cpus.front());
}

// riscv-arch-test format: one 32-bit little-endian word per line, 8 lower-case hex digits.
void write_signature(const Platform& platform, const ElfImage& elf, const std::string& path) {
  auto begin = elf.symbol("begin_signature"), end = elf.symbol("end_signature");
  if (!begin || !end || *end < *begin)
    throw UserError(SourceLoc{elf.path, 0, 0},
                    "--signature needs the symbols begin_signature and end_signature");
  std::vector<uint8_t> bytes((*end - *begin + 3) / 4 * 4);
  platform.read_phys(*begin, bytes.data(), bytes.size());
  std::ofstream out(path);
  if (!out) throw UserError("--signature: cannot write " + path);
  out << std::hex << std::setfill('0');
  for (size_t i = 0; i < bytes.size(); i += 4) {
    uint32_t word =
        bytes[i] | bytes[i + 1] << 8 | bytes[i + 2] << 16 | uint32_t(bytes[i + 3]) << 24;
    out << std::setw(8) << word << "\n";
  }
}

// --trace-insn: "pc word disassembly" per executed instruction.
class InsnTrace {
 public:
  InsnTrace(Rv32Cpu& cpu, const std::string& path) : out_(path) {
    if (!out_) throw UserError("--trace-insn: cannot write " + path);
    out_ << std::hex << std::setfill('0');
    cpu.set_insn_trace([this](uint32_t pc, uint32_t insn) {
      bool compressed = (insn & 3) != 3;
      out_ << std::setw(8) << pc << ' ' << std::setw(compressed ? 4 : 8)
           << (compressed ? insn & 0xffff : insn) << (compressed ? "     " : " ")
           << disassemble(insn, pc) << '\n';
    });
  }

 private:
  std::ofstream out_;
};

// Exit codes are 8 bits wide: a non-zero firmware code must not wrap to 0 ("pass").
int process_exit_code(int firmware_code) {
  if (firmware_code >= 0 && firmware_code <= 255) return firmware_code;
  std::cerr << "flecsim: firmware exit code " << firmware_code
            << " does not fit 8 bits; exiting 1\n";
  return kExitCheckFailed;
}

int run_fw(const FwOptions& opt) {
  uint64_t max_time_ps = 0;
  std::string why;
  if (!parse_time_ps(opt.max_time, max_time_ps, why))
    throw UserError("--max-time " + opt.max_time + ": " + why);
  ElfImage elf = read_elf(opt.program);  // before building: a bad program fails fast

  PlatformOptions popt;
  popt.overrides = opt.overrides;
  popt.output_dir = opt.output_dir;
  popt.tracing = opt.trace;
  auto platform = Platform::load(opt.platform_yaml, popt);
  Rv32Cpu& cpu = the_cpu(*platform, opt.platform_yaml);
  load_elf(elf, *platform);
  cpu.set_pc(static_cast<uint32_t>(elf.entry));
  if (opt.max_instructions) cpu.set_max_instructions(opt.max_instructions);

  std::unique_ptr<Htif> htif;
  if (auto tohost = elf.symbol("tohost"))
    htif = std::make_unique<Htif>(cpu, uint32_t(*tohost), elf.symbol("fromhost"), std::cout,
                                  std::cerr);
  std::unique_ptr<GdbStub> gdb;
  if (opt.gdb_port) {
    gdb = std::make_unique<GdbStub>(cpu, *opt.gdb_port);
    cpu.set_debug_hook(gdb.get(), true);
  }
  std::unique_ptr<InsnTrace> trace;
  if (!opt.trace_insn.empty()) trace = std::make_unique<InsnTrace>(cpu, opt.trace_insn);

  auto stop = platform->run(max_time_ps);
  if (!opt.output_dir.empty()) {
    nlohmann::json extra = {{"workload", opt.program},
                            {"firmware",
                             {{"exit_code", stop ? stop->exit_code : -1},
                              {"stop_reason", stop ? stop->reason : "watchdog"},
                              {"instructions", cpu.instret()},
                              {"cpu_cycles", cpu.cycles()}}}};
    platform->finish();
    extra.update(estimate_power(*platform, extra));  // energy, power_w, area_mm2 (sim/power)
    write_run_outputs(*platform, opt.output_dir, extra, !stop);
  }
  if (!stop) {
    std::cerr << "flecsim: watchdog: the firmware did not finish within --max-time " << opt.max_time
              << " of simulated time (" << cpu.instret() << " instructions executed, pc "
              << std::hex << "0x" << cpu.pc() << std::dec << ")\n";
    return kExitCheckFailed;
  }
  if (!opt.signature.empty()) write_signature(*platform, elf, opt.signature);
  if (!opt.quiet || stop->exit_code != 0)  // why a run failed is never kept quiet
    std::cerr << "flecsim: " << stop->reason << " after " << cpu.instret() << " instructions, "
              << cpu.cycles() << " cycles\n";
  return process_exit_code(stop->exit_code);
}

AppCommandRegistrar fw_command(
    "fw", "run a bare-metal RISC-V ELF program on a platform's CPU", [](CLI::App* sub) {
      auto opt = std::make_shared<FwOptions>();
      sub->add_option("platform", opt->platform_yaml, "platform YAML")->required();
      sub->add_option("program", opt->program, "RV32 ELF executable")->required();
      sub->add_option("--max-instructions", opt->max_instructions,
                      "stop (exit 1) after this many instructions (0 = no limit)");
      sub->add_option("--max-time", opt->max_time,
                      "watchdog on simulated time, e.g. 10ms (exit 1 when reached)")
          ->capture_default_str();
      sub->add_option("--signature", opt->signature,
                      "write memory [begin_signature, end_signature) as hex words to FILE");
      sub->add_option("--gdb", opt->gdb_port,
                      "wait for gdb on 127.0.0.1:PORT before the first instruction (0 = any "
                      "free port, printed on stderr)");
      sub->add_option("--trace-insn", opt->trace_insn,
                      "write pc, instruction word and disassembly of every instruction to FILE");
      sub->add_option("--set", opt->overrides, "override a platform key: path.to.key=value");
      sub->add_option("-o,--output", opt->output_dir, "write summary.json and stats.csv to DIR");
      sub->add_flag("--trace", opt->trace,
                    "write a Perfetto trace (trace.json) into the -o folder");
      sub->add_flag("-q,--quiet", opt->quiet,
                    "no end-of-run line on stderr when the firmware exits 0");
      return [opt] { return run_fw(*opt); };
    });

}  // namespace
}  // namespace flecsim
