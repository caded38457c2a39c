// MIPS of the rv32 ISS with the timing model on: an integer loop and a load/store loop, run
// from DMI RAM at 500 MHz with the default 1 us quantum. Prints one line per kernel:
//   bench_cpu <kernel> <instructions> <seconds> <MIPS>
// Usage: bench_cpu [millions of instructions per kernel, default 200]
#include <tlm_utils/simple_target_socket.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <vector>

#include "core/time.h"
#include "cpu/rv32_cpu.h"
#include "platform/config.h"

using namespace flecsim;

namespace {

constexpr uint32_t kBase = 0x80000000u;

// RAM with DMI (latency 0: the core's load/store class cycles apply).
struct Ram : sc_core::sc_module {
  tlm_utils::simple_target_socket<Ram> socket{"socket"};
  std::vector<uint8_t> bytes = std::vector<uint8_t>(1 << 20);
  explicit Ram(sc_core::sc_module_name n) : sc_module(n) {
    socket.register_b_transport(this, &Ram::b_transport);
    socket.register_get_direct_mem_ptr(this, &Ram::dmi);
    socket.register_transport_dbg(this, &Ram::dbg);
  }
  bool in_range(uint64_t a, unsigned len) const {
    return a >= kBase && a - kBase + len <= bytes.size();
  }
  void b_transport(tlm::tlm_generic_payload& t, sc_core::sc_time&) {
    if (!in_range(t.get_address(), t.get_data_length())) {
      t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    dbg(t);
    t.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  bool dmi(tlm::tlm_generic_payload&, tlm::tlm_dmi& d) {
    d.set_start_address(kBase);
    d.set_end_address(kBase + bytes.size() - 1);
    d.set_dmi_ptr(bytes.data());
    d.allow_read_write();
    return true;
  }
  unsigned dbg(tlm::tlm_generic_payload& t) {
    if (!in_range(t.get_address(), t.get_data_length())) return 0;
    uint8_t* p = &bytes[t.get_address() - kBase];
    if (t.is_read())
      std::memcpy(t.get_data_ptr(), p, t.get_data_length());
    else
      std::memcpy(p, t.get_data_ptr(), t.get_data_length());
    return t.get_data_length();
  }
};

// Kernels as machine code (rv32i, uncompressed); each loops forever, the run ends by
// max_instructions.
const std::vector<uint32_t> kIntegerLoop = {
    0x00358593,  // loop: addi a1, a1, 3
    0x00b64633,  //       xor a2, a2, a1
    0x00161693,  //       slli a3, a2, 1
    0x00a68733,  //       add a4, a3, a0
    0xfff50513,  //       addi a0, a0, -1
    0xfe0518e3,  //       bnez a0, loop   (a0 wraps: effectively endless)
    0xfe1ff06f,  //       j loop
};
const std::vector<uint32_t> kMemoryLoop = {
    0x80010537,  //       lui a0, 0x80010
    0x00052583,  // loop: lw a1, 0(a0)
    0x00158593,  //       addi a1, a1, 1
    0x00b52223,  //       sw a1, 4(a0)
    0x00452603,  //       lw a2, 4(a0)
    0x00c5c5b3,  //       xor a1, a1, a2
    0x00b52023,  //       sw a1, 0(a0)
    0xfe9ff06f,  //       j loop
};

void run_kernel(const char* name, const std::vector<uint32_t>& code, uint64_t instructions) {
  fresh_simulation();
  StatsRegistry stats;
  BuildContext ctx;
  ctx.stats = &stats;
  ctx.clock = Clock::from_hz(500000000);
  Config cfg(parse_yaml_text("max_instructions: " + std::to_string(instructions) + "\n", "bench"),
             "cpu0");
  Ram ram("ram");
  std::memcpy(ram.bytes.data(), code.data(), code.size() * 4);
  Rv32Cpu cpu("cpu0", cfg, ctx);
  cpu.bus.bind(ram.socket);
  auto start = std::chrono::steady_clock::now();
  std::clock_t cpu_start = std::clock();
  sc_core::sc_start();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  // MIPS per CPU second is the figure to compare: the wall clock also counts time the host
  // gave to other processes.
  std::printf(
      "bench_cpu %-8s %llu instructions, %llu cycles: %.3f s CPU %.1f MIPS, %.3f s wall "
      "%.1f MIPS\n",
      name, static_cast<unsigned long long>(cpu.instret()),
      static_cast<unsigned long long>(cpu.cycles()), cpu_seconds, cpu.instret() / cpu_seconds / 1e6,
      seconds, cpu.instret() / seconds / 1e6);
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t millions = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200;
  run_kernel("integer", kIntegerLoop, millions * 1000000);
  run_kernel("memory", kMemoryLoop, millions * 1000000);
  return 0;
}
