// Multi-channel scatter-gather DMA (kind "dma"): chained descriptors in memory, up to 4-D strided
// source and destination patterns, fixed (stream-port) addresses, `outstanding` bursts in flight,
// an interrupt on completion. Register map and descriptor layout: docs/registers/dma.md.
//
// Each channel is one SC_THREAD that sleeps until START, then computes its transfer with blocking
// transport through `mem`, advancing a local time; it synchronises with SystemC only at the end
// of each descriptor and when it runs more than `quantum` ahead.
#pragma once
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <array>
#include <memory>
#include <vector>

#include "bus/busy_span.h"
#include "platform/component.h"

namespace flecsim {

namespace dma_regs {
constexpr uint64_t kIrqStatus = 0x000;  // bit c: channel c finished or failed (write 1 to clear)
constexpr uint64_t kInfo = 0x004;       // [7:0] channels, [31:16] width_bits
constexpr uint64_t kChannelBase = 0x100;
constexpr uint64_t kChannelStride = 0x20;
constexpr uint64_t kCtrl = 0x00;       // bit0 START (write 1), bit1 IRQ_EN
constexpr uint64_t kStatus = 0x04;     // bit0 BUSY, bit1 DONE, bit2 ERROR
constexpr uint64_t kDescAddr = 0x08;   // address of the first descriptor
constexpr uint64_t kErrorCode = 0x0c;  // DmaError
constexpr uint64_t kErrorAddr = 0x10;  // address of the failed access
constexpr uint64_t kBytesDone = 0x14;  // bytes moved by the current chain
constexpr uint64_t kDescsDone = 0x18;  // descriptors completed by the current chain
constexpr uint64_t kWindowBytes = 0x1000;
constexpr uint32_t kCtrlStart = 1u << 0, kCtrlIrqEnable = 1u << 1;
constexpr uint32_t kStatusBusy = 1u << 0, kStatusDone = 1u << 1, kStatusError = 1u << 2;
// Descriptor: 16 little-endian 32-bit words (64 bytes), see docs/registers/dma.md.
constexpr unsigned kDescriptorBytes = 64;
constexpr uint32_t kFlagFixedSrc = 1u << 0, kFlagFixedDst = 1u << 1, kFlagIrq = 1u << 2,
                   kFlagLast = 1u << 3;
}  // namespace dma_regs

enum class DmaError : uint32_t {
  kNone = 0,
  kRead = 1,        // a source read failed (address or slave error)
  kWrite = 2,       // a destination write failed
  kDescriptor = 3,  // the descriptor itself could not be read
  kInvalid = 4,     // size[0] is 0 or reserved words are not 0
};

struct DmaDescriptor {
  uint32_t src = 0, dst = 0;
  std::array<uint32_t, 4> size{};       // size[0] in bytes, size[1..3] counts (0 means 1)
  std::array<int32_t, 3> src_stride{};  // bytes between consecutive index of dims 1..3
  std::array<int32_t, 3> dst_stride{};
  uint32_t flags = 0;
  uint32_t next = 0;
  // Little-endian encoding, as firmware writes it to memory.
  std::array<uint8_t, dma_regs::kDescriptorBytes> encode() const;
  static DmaDescriptor decode(const uint8_t* bytes, bool& reserved_ok);
};

class Dma : public Component {
 public:
  Dma(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx);
  std::string describe() const override;
  void finish() override { busy_.flush(); }

  tlm_utils::simple_target_socket<Dma, 32> regs;
  tlm_utils::simple_initiator_socket<Dma, 32> mem;
  IrqLine irq;

 private:
  struct Channel {
    sc_core::sc_event start;
    bool busy = false, done = false, error = false, irq_enable = false;
    uint32_t desc_addr = 0, error_code = 0, error_addr = 0, bytes_done = 0, descs_done = 0;
    tlm::tlm_generic_payload trans;
    std::vector<uint8_t> buffer;
    std::vector<Tick> ring;  // completion times of the last `outstanding` bursts
  };
  // Where a channel is in time while it computes a transfer.
  struct Cursor {
    Tick issue = 0;      // issue time of the previous burst
    Tick issue_gap = 0;  // port cycles the previous burst occupied
    Tick end = 0;        // latest completion so far
    uint64_t index = 0;  // bursts issued
  };

  void reg_access(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  uint32_t reg_read(uint64_t offset, bool& ok) const;
  bool reg_write(uint64_t offset, uint32_t value, Tick at);
  void channel_thread(unsigned c);
  bool run_descriptor(Channel& ch, const DmaDescriptor& d, Cursor& cur);
  bool move_burst(Channel& ch, uint64_t src, uint64_t dst, unsigned bytes, Cursor& cur);
  // Blocking transport at absolute time `at`; returns the completion time, 0 on failure.
  Tick transfer(Channel& ch, tlm::tlm_command cmd, uint64_t addr, uint8_t* data, unsigned len,
                Tick at);
  void fail(Channel& ch, DmaError code, uint64_t addr);
  void update_irq();

  unsigned width_bits_;
  unsigned outstanding_;
  unsigned burst_bytes_;
  Tick quantum_;
  std::vector<std::unique_ptr<Channel>> channels_;
  uint32_t irq_status_ = 0;

  Counter& bytes_moved_;
  Counter& descriptors_;
  Counter& bursts_;
  Counter& busy_cycles_;
  Counter& errors_;
  BusySpan busy_;
};

}  // namespace flecsim
