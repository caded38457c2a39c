// A minimal SystemC test bench for the rv32 component, without the platform layer: one target
// that is RAM (DMI, configurable latency) at 0x80000000 and a device (no DMI) at 0x10000000,
// plus interrupt lines driven at chosen times.
//
// Device registers (offsets from 0x10000000):
//   0x0  read: SystemC time in ns when the access arrives (low 32 bits); write: logged with time
//   0x4  write: raises meip `value` ns after the access;  0x8 write: lowers meip
//   0xc  write: lowers msip;  0x10 write: lowers mtip
#pragma once
#include <gtest/gtest.h>
#include <tlm_utils/simple_target_socket.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "core/time.h"
#include "cpu/rv32_cpu.h"
#include "platform/config.h"
#include "platform/dmi_traffic.h"

namespace flecsim {

constexpr uint32_t kRamBase = 0x80000000u;
constexpr uint32_t kRamSize = 1u << 20;
constexpr uint32_t kDevBase = 0x10000000u;

class TestBench : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<TestBench> socket{"socket"};
  std::vector<uint8_t> ram = std::vector<uint8_t>(kRamSize);
  Tick ram_read_latency = 0, ram_write_latency = 0, device_latency = 0;
  IrqLine mtip, msip, meip;
  StatsRegistry stats;
  DmiTrafficStats ram_traffic{stats.group("ram", "sram")};  // loads/stores through DMI
  std::unique_ptr<Rv32Cpu> cpu;
  struct DeviceWrite {
    Tick at;
    uint32_t value;
  };
  std::vector<DeviceWrite> device_writes;
  uint32_t tohost = 0;
  bool tohost_written = false;

  // `cpu_yaml`: the rv32 keys. Clock 100 MHz (10 ns cycles) unless `hz` says otherwise.
  TestBench(sc_core::sc_module_name name, const std::string& cpu_yaml, uint64_t hz)
      : sc_core::sc_module(name) {
    socket.register_b_transport(this, &TestBench::b_transport);
    socket.register_get_direct_mem_ptr(this, &TestBench::get_direct_mem_ptr);
    socket.register_transport_dbg(this, &TestBench::transport_dbg);
    BuildContext ctx;
    ctx.stats = &stats;
    ctx.clock = Clock::from_hz(hz);
    std::string yaml = cpu_yaml.empty() ? std::string("{}") : cpu_yaml;
    Config cfg(parse_yaml_text(yaml, "cpu.yaml"), "cpu.cpu0");
    cpu = std::make_unique<Rv32Cpu>("cpu0", cfg, ctx);
    cfg.check_unused();
    cpu->bus.bind(socket);
    mtip.connect(cpu->irq_in("mtip"));
    msip.connect(cpu->irq_in("msip"));
    meip.connect(cpu->irq_in("meip"));
  }

  // Loads a flat binary at 0x80000000 and watches `tohost_addr` (HTIF-style exit).
  void load(const std::string& bin_path, uint32_t tohost_addr) {
    std::ifstream in(bin_path, std::ios::binary);
    ASSERT_TRUE(in) << bin_path;
    in.read(reinterpret_cast<char*>(ram.data()), ram.size());
    watch_tohost(tohost_addr);
  }
  void watch_tohost(uint32_t addr) {
    cpu->set_store_watch(addr, [this](uint32_t v) {
      tohost = v;
      tohost_written = true;
      cpu->stop(v == 1 ? 0 : 1, "tohost");
    });
  }
  void put32(uint32_t addr, uint32_t v) { std::memcpy(&ram[addr - kRamBase], &v, 4); }
  uint32_t get32(uint32_t addr) const {
    uint32_t v;
    std::memcpy(&v, &ram[addr - kRamBase], 4);
    return v;
  }
  // Level change of `line` at absolute time `at`.
  void drive_irq(IrqLine& line, Tick at, bool level) {
    sc_core::sc_spawn([this, &line, at, level] {
      sc_core::wait(to_sc_time(at - now_ticks()));
      line.set(level);
    });
  }
  void run(Tick limit_ps = 100000000000ull) { sc_core::sc_start(to_sc_time(limit_ps)); }

 private:
  void b_transport(tlm::tlm_generic_payload& t, sc_core::sc_time& delay) {
    uint64_t addr = t.get_address();
    unsigned len = t.get_data_length();
    t.set_response_status(tlm::TLM_OK_RESPONSE);
    if (addr >= kRamBase && addr + len <= uint64_t{kRamBase} + kRamSize) {
      uint8_t* p = &ram[addr - kRamBase];
      if (t.is_read())
        std::memcpy(t.get_data_ptr(), p, len);
      else
        std::memcpy(p, t.get_data_ptr(), len);
      delay += to_sc_time(t.is_read() ? ram_read_latency : ram_write_latency);
      t.set_dmi_allowed(true);
      return;
    }
    if (addr >= kDevBase && addr < kDevBase + 0x1000 && len == 4) {
      device_access(t, addr - kDevBase, delay);
      return;
    }
    t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
  }
  void device_access(tlm::tlm_generic_payload& t, uint64_t off, sc_core::sc_time& delay) {
    Tick at = now_ticks() + to_ticks(delay);
    uint32_t v = 0;
    if (t.is_read()) {
      v = static_cast<uint32_t>(at / 1000);
      std::memcpy(t.get_data_ptr(), &v, 4);
    } else {
      std::memcpy(&v, t.get_data_ptr(), 4);
      if (off == 0) device_writes.push_back({at, v});
      if (off == 4) drive_irq(meip, at + Tick{v} * 1000, true);
      if (off == 8) meip.lower();
      if (off == 12) msip.lower();
      if (off == 16) mtip.lower();
    }
    delay += to_sc_time(device_latency);
  }
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& t, tlm::tlm_dmi& dmi) {
    if (t.get_address() < kRamBase) return false;
    dmi.set_start_address(kRamBase);
    dmi.set_end_address(uint64_t{kRamBase} + kRamSize - 1);
    dmi.set_dmi_ptr(ram.data());
    dmi.allow_read_write();
    ram_traffic.offer(t);
    dmi.set_read_latency(to_sc_time(ram_read_latency));
    dmi.set_write_latency(to_sc_time(ram_write_latency));
    return true;
  }
  unsigned transport_dbg(tlm::tlm_generic_payload& t) {
    uint64_t addr = t.get_address();
    unsigned len = t.get_data_length();
    if (addr < kRamBase || addr + len > uint64_t{kRamBase} + kRamSize) return 0;
    uint8_t* p = &ram[addr - kRamBase];
    if (t.is_read())
      std::memcpy(t.get_data_ptr(), p, len);
    else
      std::memcpy(p, t.get_data_ptr(), len);
    return len;
  }
};

// Each test gets a fresh SystemC context.
inline std::unique_ptr<TestBench> make_bench(const std::string& cpu_yaml = "",
                                             uint64_t hz = 100000000) {
  fresh_simulation();
  return std::make_unique<TestBench>("tb", cpu_yaml, hz);
}

inline std::string program_path(const std::string& name) {
  return std::string(CPU_TEST_PROGRAM_DIR) + "/" + name;
}
// The address of a symbol of a program (from its nm listing, written at build time); 0 if none.
inline uint32_t program_symbol(const std::string& name, const std::string& symbol) {
  std::ifstream in(program_path(name + ".syms"));
  std::string addr, type, sym;
  while (in >> addr >> type >> sym)
    if (sym == symbol) return static_cast<uint32_t>(std::stoul(addr, nullptr, 16));
  return 0;
}
inline uint32_t program_tohost(const std::string& name) {
  return program_symbol(name, "tohost");
}

// Runs a program to its tohost write and returns the bench (for further checks).
inline std::unique_ptr<TestBench> run_to_tohost(const std::string& name,
                                                const std::string& cpu_yaml = "") {
  auto tb = make_bench(cpu_yaml);
  tb->load(program_path(name + ".bin"), program_tohost(name));
  tb->run();
  EXPECT_TRUE(tb->tohost_written) << name << ": did not finish; pc 0x" << std::hex << tb->cpu->pc()
                                  << " " << tb->cpu->stop_reason();
  return tb;
}

}  // namespace flecsim
