// A simple UART (SiFive-like data registers plus a status register). See docs/registers/uart.md.
//
// TX: each byte written to TXDATA enters a FIFO of `tx_fifo_depth` bytes and takes
// 10 bits / `baud` to shift out, back to back; the byte is printed to stdout (`echo`) and to the
// `log` file at once. A write to a full FIFO waits (its bus response is delayed) until the
// oldest byte has left, so firmware never loses output. RX: the bytes of `rx_file` arrive one
// per character time from the start of the simulation. `baud: 0` makes both instantaneous.
// The interrupt (irq) is the OR of the enabled conditions "TX FIFO empty" and "RX data
// available"; their changes over time are one scheduled event, never a ticking process.
#pragma once
#include <cstdint>
#include <cstdio>
#include <deque>
#include <string>
#include <vector>

#include "periph/register_device.h"

namespace flecsim {

namespace uart_regs {
constexpr uint64_t kTxData = 0x00;  // W: byte to send. R: bit 31 = TX FIFO full
constexpr uint64_t kRxData = 0x04;  // R: bit 31 = empty, else bits 7:0 = next byte (popped)
constexpr uint64_t kStatus = 0x08;  // R: bit 0 TX full, bit 1 TX empty (idle), bit 2 RX valid
constexpr uint64_t kIe = 0x0C;      // RW: bit 0 TX-empty interrupt, bit 1 RX interrupt
constexpr uint64_t kIp = 0x10;      // R: bit 0 TX empty, bit 1 RX valid (before masking)
constexpr uint64_t kSize = 0x1000;
constexpr uint32_t kTxFull = 1u << 0;
constexpr uint32_t kTxEmpty = 1u << 1;
constexpr uint32_t kRxValid = 1u << 2;
constexpr uint32_t kIeTx = 1u << 0;
constexpr uint32_t kIeRx = 1u << 1;
constexpr uint32_t kFifoFlag = 1u << 31;
}  // namespace uart_regs

class Uart : public RegisterDevice {
 public:
  Uart(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx);
  ~Uart() override;

  IrqLine irq;
  Tick char_time() const { return char_time_; }
  uint64_t transmitted() const { return tx_bytes_.value; }
  std::string describe() const override;
  void finish() override;

 protected:
  bool read_reg(uint64_t offset, Tick at, uint32_t& value) override;
  bool write_reg(uint64_t offset, Tick at, uint32_t value) override;

 private:
  void transmit(uint8_t byte, Tick at);
  void retire_tx(Tick at);           // drops bytes that finished before `at`
  size_t rx_arrived(Tick at) const;  // bytes of rx_file that arrived by `at`
  uint32_t pending_bits(Tick at);    // IP register
  void update_irq(Tick at);
  void on_irq_event() { update_irq(now_ticks()); }

  Tick char_time_;
  size_t tx_fifo_depth_;
  bool echo_;
  std::FILE* log_ = nullptr;
  std::deque<Tick> tx_done_;  // completion tick of each byte still in the FIFO, in order
  std::vector<uint8_t> rx_data_;
  size_t rx_consumed_ = 0;
  uint32_t ie_ = 0;
  sc_core::sc_event irq_event_;
  Counter& tx_bytes_;
  Counter& rx_bytes_;
  Counter& tx_stall_ps_;
};

}  // namespace flecsim
