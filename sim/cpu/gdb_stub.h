// A GDB remote-serial-protocol server for one Rv32Cpu, over TCP on 127.0.0.1.
//
// It is the CPU's DebugHook: every call comes from inside the CPU's SystemC thread, so while
// the target is halted the stub simply blocks on its socket serving gdb's packets, and while it
// runs, poll_interrupt() checks the socket without blocking for gdb's Ctrl-C (0x03).
// Implemented: qSupported, qXfer:features:read (a riscv:rv32 target description with the FPU
// and a set of machine CSRs), ?, g/G, p/P, m/M, Z0/z0 (and Z1/z1 the same way), s, c, D, k,
// vKill, qAttached, qC, thread queries. Not implemented (gdb falls back or does without):
// X (binary writes), watchpoints (Z2-Z4), vCont, non-stop mode, no-ack mode.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "cpu/rv32_cpu.h"

namespace flecsim {

class GdbStub : public DebugHook {
 public:
  // Listens on 127.0.0.1:port (0 = any free port; see port()). Throws UserError when the port
  // cannot be bound. `accept_timeout_s` bounds the wait for gdb to connect.
  GdbStub(Rv32Cpu& cpu, int port, int accept_timeout_s = 300);
  ~GdbStub() override;
  GdbStub(const GdbStub&) = delete;
  GdbStub& operator=(const GdbStub&) = delete;

  int port() const { return port_; }
  Action on_halt(HaltReason reason) override;
  bool poll_interrupt() override;

  // The target description served through qXfer:features:read:target.xml.
  std::string target_xml();

 private:
  bool accept_connection();
  void close_connection();
  Action serve(const std::string& stop_reply);
  bool read_packet(std::string& packet);
  void send_packet(const std::string& payload);
  bool handle(const std::string& packet, std::string& reply, Action& resume);
  std::string answer(const std::string& packet);
  std::string register_packet(bool write, const std::string& args);
  std::string query(const std::string& packet);
  std::string read_all_registers();
  std::string write_all_registers(const std::string& hex);
  bool read_register(unsigned regnum, uint32_t& value);
  bool write_register(unsigned regnum, uint32_t value);
  std::string read_memory(const std::string& args);
  std::string write_memory(const std::string& args);
  std::string breakpoint(const std::string& packet);
  int read_byte();  // blocking; -1 when the connection closed

  Rv32Cpu& cpu_;
  int listen_fd_ = -1;
  int conn_fd_ = -1;
  int port_ = 0;
  int accept_timeout_s_;
  bool attached_ = false;
  std::string inbuf_;
  size_t inpos_ = 0;
  std::vector<uint32_t> csrs_;  // CSRs exposed in the target description
};

}  // namespace flecsim
