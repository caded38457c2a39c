#include "cpu/gdb_stub.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>

#include "core/error.h"

namespace flecsim {
namespace {

// GDB's register numbers for RISC-V: x0-x31, pc, f0-f31, then CSR n at 65 + n.
constexpr unsigned kPcReg = 32;
constexpr unsigned kFirstFpReg = 33;
constexpr unsigned kFirstCsrReg = 65;
constexpr size_t kMaxMemoryPacket = 2048;  // bytes per m/M packet (PacketSize 0x1000 hex chars)

const char* const kXNames[32] = {"zero", "ra", "sp",  "gp",  "tp", "t0", "t1", "t2",
                                 "fp",   "s1", "a0",  "a1",  "a2", "a3", "a4", "a5",
                                 "a6",   "a7", "s2",  "s3",  "s4", "s5", "s6", "s7",
                                 "s8",   "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
const char* const kFNames[32] = {"ft0", "ft1", "ft2",  "ft3",  "ft4", "ft5", "ft6",  "ft7",
                                 "fs0", "fs1", "fa0",  "fa1",  "fa2", "fa3", "fa4",  "fa5",
                                 "fa6", "fa7", "fs2",  "fs3",  "fs4", "fs5", "fs6",  "fs7",
                                 "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"};
struct CsrName {
  uint32_t number;
  const char* name;
};
const CsrName kCsrs[] = {{0x300, "mstatus"},   {0x301, "misa"},     {0x304, "mie"},
                         {0x305, "mtvec"},     {0x340, "mscratch"}, {0x341, "mepc"},
                         {0x342, "mcause"},    {0x343, "mtval"},    {0x344, "mip"},
                         {0xb00, "mcycle"},    {0xb02, "minstret"}, {0xb80, "mcycleh"},
                         {0xb82, "minstreth"}, {0xf14, "mhartid"}};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string to_hex(const uint8_t* data, size_t len) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < len; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

// Little-endian target word as gdb expects it in g/p packets.
std::string word_hex(uint32_t v) {
  uint8_t b[4] = {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
  return to_hex(b, 4);
}

bool from_hex(const std::string& hex, std::vector<uint8_t>& out) {
  if (hex.size() % 2) return false;
  out.clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(uint8_t(hi << 4 | lo));
  }
  return true;
}

bool parse_number(const std::string& s, uint64_t& value) {
  if (s.empty()) return false;
  value = 0;
  for (char c : s) {
    int d = hex_digit(c);
    if (d < 0) return false;
    value = value << 4 | unsigned(d);
  }
  return true;
}

// "addr,len" (the text before ':' of m/M packets).
bool parse_addr_len(const std::string& s, uint64_t& addr, uint64_t& len) {
  size_t comma = s.find(',');
  return comma != std::string::npos && parse_number(s.substr(0, comma), addr) &&
         parse_number(s.substr(comma + 1), len);
}

std::string escape_binary(const std::string& data) {
  std::string out;
  for (char c : data) {
    if (c == '#' || c == '$' || c == '}' || c == '*') {
      out += '}';
      out += char(c ^ 0x20);
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

GdbStub::GdbStub(Rv32Cpu& cpu, int port, int accept_timeout_s)
    : cpu_(cpu), accept_timeout_s_(accept_timeout_s) {
  for (const auto& csr : kCsrs) {
    uint32_t v;
    if (cpu_.read_csr_debug(csr.number, v)) csrs_.push_back(csr.number);
  }
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw UserError(std::string("--gdb: socket: ") + std::strerror(errno));
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (port < 0 || port > 65535 ||
      ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 1) != 0) {
    std::string why = std::strerror(errno);
    ::close(listen_fd_);
    throw UserError("--gdb " + std::to_string(port) +
                    ": cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + why);
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
}

GdbStub::~GdbStub() {
  close_connection();
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

bool GdbStub::accept_connection() {
  std::cerr << "flecsim: waiting for gdb on 127.0.0.1:" << port_ << std::endl;
  pollfd pfd{listen_fd_, POLLIN, 0};
  int ready = ::poll(&pfd, 1, accept_timeout_s_ * 1000);
  if (ready <= 0) {
    std::cerr << "flecsim: no gdb connected within " << accept_timeout_s_
              << " s; running without debugger\n";
    return false;
  }
  conn_fd_ = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (conn_fd_ < 0) return false;
  int one = 1;
  ::setsockopt(conn_fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  attached_ = true;
  return true;
}

void GdbStub::close_connection() {
  if (conn_fd_ >= 0) ::close(conn_fd_);
  conn_fd_ = -1;
  attached_ = false;
}

DebugHook::Action GdbStub::on_halt(HaltReason reason) {
  if (reason == HaltReason::kAttach) {
    if (!accept_connection()) return Action::kDetach;
    return serve("");  // gdb asks '?' first; no unsolicited stop reply
  }
  if (!attached_) return Action::kDetach;
  if (reason == HaltReason::kExit) {
    char reply[8];
    std::snprintf(reply, sizeof reply, "W%02x", cpu_.exit_code() & 0xff);
    send_packet(reply);
    close_connection();
    return Action::kDetach;
  }
  return serve(reason == HaltReason::kInterrupt ? "S02" : "S05");
}

bool GdbStub::poll_interrupt() {
  if (conn_fd_ < 0) return false;
  pollfd pfd{conn_fd_, POLLIN, 0};
  if (::poll(&pfd, 1, 0) <= 0) return false;
  int c = read_byte();
  return c == 0x03 || c < 0;  // Ctrl-C, or gdb went away (serve() then sees it and detaches)
}

// Serves packets while the target is halted, until gdb resumes, detaches or kills it.
DebugHook::Action GdbStub::serve(const std::string& stop_reply) {
  if (!stop_reply.empty()) send_packet(stop_reply);
  std::string packet, reply;
  while (true) {
    if (!read_packet(packet)) {
      close_connection();
      return Action::kDetach;
    }
    Action resume = Action::kContinue;
    bool resumes = handle(packet, reply, resume);
    if (!resumes || resume == Action::kDetach) send_packet(reply);
    if (resumes) {
      if (resume == Action::kDetach || resume == Action::kKill) close_connection();
      return resume;
    }
  }
}

int GdbStub::read_byte() {
  if (inpos_ < inbuf_.size()) return static_cast<unsigned char>(inbuf_[inpos_++]);
  char buf[4096];
  ssize_t n;
  do {
    n = ::recv(conn_fd_, buf, sizeof buf, 0);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return -1;
  inbuf_.assign(buf, static_cast<size_t>(n));
  inpos_ = 1;
  return static_cast<unsigned char>(inbuf_[0]);
}

// Reads one "$payload#cs" packet, acknowledging it; stray bytes (acks, Ctrl-C while halted)
// are skipped. False when the connection closed.
bool GdbStub::read_packet(std::string& packet) {
  while (true) {
    int c;
    do {
      c = read_byte();
      if (c < 0) return false;
    } while (c != '$');
    packet.clear();
    uint8_t sum = 0;
    while ((c = read_byte()) >= 0 && c != '#') {
      packet += char(c);
      sum = uint8_t(sum + c);
    }
    int hi = read_byte(), lo = read_byte();
    if (c < 0 || hi < 0 || lo < 0) return false;
    bool good = hex_digit(char(hi)) >= 0 && hex_digit(char(lo)) >= 0 &&
                (hex_digit(char(hi)) << 4 | hex_digit(char(lo))) == sum;
    const char ack = good ? '+' : '-';
    if (::send(conn_fd_, &ack, 1, MSG_NOSIGNAL) != 1) return false;
    if (good) return true;
  }
}

void GdbStub::send_packet(const std::string& payload) {
  if (conn_fd_ < 0) return;
  uint8_t sum = 0;
  for (char c : payload) sum = uint8_t(sum + uint8_t(c));
  char tail[4];
  std::snprintf(tail, sizeof tail, "#%02x", sum);
  std::string frame = "$" + payload + tail;
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (::send(conn_fd_, frame.data(), frame.size(), MSG_NOSIGNAL) != ssize_t(frame.size())) return;
    int ack = read_byte();
    if (ack != '-') return;  // '+', or the connection closed (seen by the next read)
  }
}

// Handles one packet. Returns true when it resumes the target (`resume` says how; `reply` is
// sent only for detach); otherwise `reply` is the answer to send.
bool GdbStub::handle(const std::string& packet, std::string& reply, Action& resume) {
  reply.clear();
  const char kind = packet.empty() ? '\0' : packet[0];
  if (kind == 'c' || kind == 's') {
    resume = kind == 'c' ? Action::kContinue : Action::kStep;
    return true;
  }
  if (kind == 'D') {
    reply = "OK";
    resume = Action::kDetach;
    return true;
  }
  if (kind == 'k' || packet.rfind("vKill", 0) == 0) {
    resume = Action::kKill;
    return true;
  }
  reply = answer(packet);
  return false;
}

// The reply to a packet that leaves the target halted ("" = not supported).
std::string GdbStub::answer(const std::string& packet) {
  const std::string args = packet.substr(1);
  switch (packet[0]) {
    case '?':
      return "S05";
    case 'g':
      return read_all_registers();
    case 'G':
      return write_all_registers(args);
    case 'p':
    case 'P':
      return register_packet(packet[0] == 'P', args);
    case 'm':
      return read_memory(args);
    case 'M':
      return write_memory(args);
    case 'Z':
    case 'z':
      return breakpoint(packet);
    case 'H':
    case 'T':
      return "OK";  // one thread: selecting it, or asking whether it is alive
    case 'q':
    case 'Q':
      return query(packet);
    default:
      return "";  // vCont?, vMustReplyEmpty, X, ...: an empty reply means unsupported
  }
}

// "p n" reads register n; "P n=value" writes it (value as little-endian target bytes).
std::string GdbStub::register_packet(bool write, const std::string& args) {
  uint64_t n;
  if (!write) {
    uint32_t v;
    return parse_number(args, n) && read_register(unsigned(n), v) ? word_hex(v) : "E01";
  }
  size_t eq = args.find('=');
  std::vector<uint8_t> b;
  bool ok =
      eq != std::string::npos && parse_number(args.substr(0, eq), n) &&
      from_hex(args.substr(eq + 1), b) && b.size() == 4 &&
      write_register(unsigned(n), uint32_t(b[0] | b[1] << 8 | b[2] << 16 | uint32_t(b[3]) << 24));
  return ok ? "OK" : "E01";
}

std::string GdbStub::query(const std::string& packet) {
  if (packet.rfind("qSupported", 0) == 0) return "PacketSize=1000;qXfer:features:read+";
  if (packet == "qAttached") return "1";
  if (packet == "qC") return "QC1";
  if (packet == "qfThreadInfo") return "m1";
  if (packet == "qsThreadInfo") return "l";
  if (packet.rfind("qSymbol", 0) == 0) return "OK";
  const std::string xfer = "qXfer:features:read:target.xml:";
  if (packet.rfind(xfer, 0) == 0) {
    uint64_t offset, length;
    if (!parse_addr_len(packet.substr(xfer.size()), offset, length)) return "E01";
    std::string xml = target_xml();
    if (offset >= xml.size()) return "l";
    std::string part = xml.substr(offset, length);
    return (offset + part.size() >= xml.size() ? "l" : "m") + escape_binary(part);
  }
  return "";
}

std::string GdbStub::target_xml() {
  std::ostringstream x;
  x << "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
    << "<target version=\"1.0\">\n<architecture>riscv:rv32</architecture>\n"
    << "<feature name=\"org.gnu.gdb.riscv.cpu\">\n";
  for (unsigned i = 0; i < 32; ++i)
    x << "<reg name=\"" << kXNames[i] << "\" bitsize=\"32\" type=\""
      << (i == 1             ? "code_ptr"
          : i == 2 || i == 8 ? "data_ptr"
                             : "int")
      << "\" regnum=\"" << i << "\"/>\n";
  x << "<reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\" regnum=\"" << kPcReg << "\"/>\n"
    << "</feature>\n<feature name=\"org.gnu.gdb.riscv.fpu\">\n";
  for (unsigned i = 0; i < 32; ++i)
    x << "<reg name=\"" << kFNames[i] << "\" bitsize=\"32\" type=\"ieee_single\" regnum=\""
      << kFirstFpReg + i << "\"/>\n";
  const char* fcsr_names[] = {"fflags", "frm", "fcsr"};
  for (unsigned i = 0; i < 3; ++i)
    x << "<reg name=\"" << fcsr_names[i] << "\" bitsize=\"32\" type=\"int\" regnum=\""
      << kFirstCsrReg + 1 + i << "\"/>\n";
  x << "</feature>\n<feature name=\"org.gnu.gdb.riscv.csr\">\n";
  for (const auto& csr : kCsrs)
    for (uint32_t n : csrs_)
      if (n == csr.number)
        x << "<reg name=\"" << csr.name << "\" bitsize=\"32\" type=\"int\" regnum=\""
          << kFirstCsrReg + n << "\"/>\n";
  x << "</feature>\n</target>\n";
  return x.str();
}

bool GdbStub::read_register(unsigned regnum, uint32_t& value) {
  if (regnum < 32)
    value = cpu_.x(regnum);
  else if (regnum == kPcReg)
    value = cpu_.pc();
  else if (regnum < kFirstCsrReg)
    value = cpu_.f_bits(regnum - kFirstFpReg);
  else
    return regnum - kFirstCsrReg < 4096 && cpu_.read_csr_debug(regnum - kFirstCsrReg, value);
  return true;
}

bool GdbStub::write_register(unsigned regnum, uint32_t value) {
  if (regnum < 32)
    cpu_.set_x(regnum, value);
  else if (regnum == kPcReg)
    cpu_.set_pc(value);
  else if (regnum < kFirstCsrReg)
    cpu_.set_f_bits(regnum - kFirstFpReg, value);
  else
    return regnum - kFirstCsrReg < 4096 && cpu_.write_csr_debug(regnum - kFirstCsrReg, value);
  return true;
}

// g/G carry x0-x31 and pc; gdb reads the FPU and CSRs one by one with p/P.
std::string GdbStub::read_all_registers() {
  std::string out;
  for (unsigned i = 0; i <= kPcReg; ++i) {
    uint32_t v = 0;
    read_register(i, v);
    out += word_hex(v);
  }
  return out;
}

std::string GdbStub::write_all_registers(const std::string& hex) {
  std::vector<uint8_t> b;
  if (!from_hex(hex, b) || b.size() < 4 * (kPcReg + 1)) return "E01";
  for (unsigned i = 0; i <= kPcReg; ++i)
    write_register(i, uint32_t(b[4 * i] | b[4 * i + 1] << 8 | b[4 * i + 2] << 16 |
                               uint32_t(b[4 * i + 3]) << 24));
  return "OK";
}

std::string GdbStub::read_memory(const std::string& args) {
  uint64_t addr, len;
  if (!parse_addr_len(args, addr, len)) return "E01";
  std::vector<uint8_t> buf(std::min<uint64_t>(len, kMaxMemoryPacket));
  size_t got = cpu_.debug_read(uint32_t(addr), buf.data(), buf.size());
  if (got == 0 && !buf.empty()) return "E14";  // EFAULT
  return to_hex(buf.data(), got);
}

std::string GdbStub::write_memory(const std::string& args) {
  size_t colon = args.find(':');
  uint64_t addr, len;
  std::vector<uint8_t> data;
  if (colon == std::string::npos || !parse_addr_len(args.substr(0, colon), addr, len) ||
      !from_hex(args.substr(colon + 1), data) || data.size() != len)
    return "E01";
  return cpu_.debug_write(uint32_t(addr), data.data(), data.size()) == data.size() ? "OK" : "E14";
}

// Z0/Z1 (software and hardware breakpoints are the same thing in a simulator).
std::string GdbStub::breakpoint(const std::string& packet) {
  if (packet.size() < 4 || (packet[1] != '0' && packet[1] != '1') || packet[2] != ',') return "";
  uint64_t addr, kind;
  std::string rest = packet.substr(3);
  size_t semi = rest.find(';');  // conditions are not supported; ignore them
  if (!parse_addr_len(rest.substr(0, semi), addr, kind)) return "E01";
  if (packet[0] == 'Z')
    cpu_.add_breakpoint(uint32_t(addr));
  else
    cpu_.remove_breakpoint(uint32_t(addr));
  return "OK";
}

}  // namespace flecsim
