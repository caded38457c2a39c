#include "periph/uart.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace flecsim {

using namespace uart_regs;

namespace {
constexpr uint64_t kBitsPerChar = 10;  // start + 8 data + stop
constexpr Tick kTicksPerSecond = 1000000000000ull;

std::vector<uint8_t> read_rx_file(const Config& cfg) {
  std::string path = cfg.str("rx_file", "");
  if (path.empty()) return {};
  std::ifstream in(path, std::ios::binary);
  if (!in) cfg.fail("rx_file", "cannot read '" + path + "'");
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

Uart::Uart(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx)
    : RegisterDevice(name, "uart", cfg, ctx, kSize),
      tx_fifo_depth_(cfg.integer_in("tx_fifo_depth", 1, 1u << 20, 8)),
      echo_(cfg.flag("echo", true)),
      rx_data_(read_rx_file(cfg)),
      tx_bytes_(stats().counter("tx_bytes", "bytes", "bytes transmitted")),
      rx_bytes_(stats().counter("rx_bytes", "bytes", "bytes read by software")),
      tx_stall_ps_(stats().counter("tx_stall_ps", "ps", "time writers waited on a full FIFO")) {
  uint64_t baud = cfg.integer("baud", 115200);
  char_time_ = baud == 0 ? 0 : (kBitsPerChar * kTicksPerSecond + baud - 1) / baud;
  std::string log = cfg.str("log", "");
  if (!log.empty()) {
    std::string path = output_path(ctx, log);
    std::error_code ignored;  // fopen reports the failure that matters
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
    log_ = std::fopen(path.c_str(), "wb");
    if (!log_) cfg.fail("log", "cannot write '" + path + "'");
  }
  expose_irq_out("irq", irq);
  SC_HAS_PROCESS(Uart);
  SC_METHOD(on_irq_event);
  sensitive << irq_event_;
  dont_initialize();
}

Uart::~Uart() {
  if (log_) std::fclose(log_);
}

std::string Uart::describe() const {
  return "uart, " +
         (char_time_ ? std::to_string(char_time_) + " ps per character" : std::string("instant")) +
         ", TX FIFO " + std::to_string(tx_fifo_depth_);
}

void Uart::finish() {
  if (echo_) std::fflush(stdout);
  if (log_) std::fflush(log_);
}

void Uart::retire_tx(Tick at) {
  while (!tx_done_.empty() && tx_done_.front() <= at) tx_done_.pop_front();
}

void Uart::transmit(uint8_t byte, Tick at) {
  retire_tx(at);
  Tick start = at;
  if (tx_done_.size() >= tx_fifo_depth_) {
    // Full: the write is accepted when the oldest byte has left.
    Tick wait = tx_done_.front() - at;
    stall_access(wait);
    tx_stall_ps_ += wait;
    start = tx_done_.front();
    retire_tx(start);
  }
  Tick shift_start = tx_done_.empty() ? start : std::max(start, tx_done_.back());
  tx_done_.push_back(shift_start + char_time_);
  stats().busy(shift_start, shift_start + char_time_, "tx");
  ++tx_bytes_;
  if (echo_) {
    std::fputc(byte, stdout);
    if (byte == '\n') std::fflush(stdout);
  }
  if (log_) std::fputc(byte, log_);
  retire_tx(at);
}

size_t Uart::rx_arrived(Tick at) const {
  if (char_time_ == 0) return rx_data_.size();
  return static_cast<size_t>(std::min<uint64_t>(rx_data_.size(), at / char_time_));
}

uint32_t Uart::pending_bits(Tick at) {
  retire_tx(at);
  uint32_t ip = 0;
  if (tx_done_.empty()) ip |= kIeTx;
  if (rx_arrived(at) > rx_consumed_) ip |= kIeRx;
  return ip;
}

bool Uart::read_reg(uint64_t offset, Tick at, uint32_t& value) {
  uint32_t ip = pending_bits(at);
  bool tx_full = tx_done_.size() >= tx_fifo_depth_;
  switch (offset) {
    case kTxData:
      value = tx_full ? kFifoFlag : 0;
      return true;
    case kRxData:
      if (ip & kIeRx) {
        value = rx_data_[rx_consumed_++];
        ++rx_bytes_;
        update_irq(at);
      } else {
        value = kFifoFlag;
      }
      return true;
    case kStatus:
      value =
          (tx_full ? kTxFull : 0) | ((ip & kIeTx) ? kTxEmpty : 0) | ((ip & kIeRx) ? kRxValid : 0);
      return true;
    case kIe:
      value = ie_;
      return true;
    case kIp:
      value = ip;
      return true;
    default:
      return false;
  }
}

bool Uart::write_reg(uint64_t offset, Tick at, uint32_t value) {
  switch (offset) {
    case kTxData:
      transmit(static_cast<uint8_t>(value), at);
      update_irq(at);
      return true;
    case kIe:
      ie_ = value & (kIeTx | kIeRx);
      update_irq(at);
      return true;
    case kRxData:
    case kStatus:
    case kIp:
      return true;  // read-only: writes ignored
    default:
      return false;
  }
}

// Drives irq for time `at` and schedules one event at the next time an enabled condition
// turns on by itself (the TX FIFO draining, the next RX byte arriving).
void Uart::update_irq(Tick at) {
  uint32_t ip = pending_bits(at);
  irq.set((ip & ie_) != 0);
  irq_event_.cancel();
  Tick next = ~Tick{0};
  if ((ie_ & kIeTx) && !(ip & kIeTx)) next = tx_done_.back();
  if ((ie_ & kIeRx) && !(ip & kIeRx) && rx_consumed_ < rx_data_.size())
    next = std::min(next, static_cast<Tick>(rx_consumed_ + 1) * char_time_);
  if (next == ~Tick{0}) return;
  Tick now = now_ticks();
  irq_event_.notify(to_sc_time(next > now ? next - now : 0));
}

}  // namespace flecsim
