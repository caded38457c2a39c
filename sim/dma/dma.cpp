#include "dma/dma.h"

#include <algorithm>
#include <cstring>

namespace flecsim {

using namespace dma_regs;

namespace {
void put32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint32_t get32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
}  // namespace

std::array<uint8_t, kDescriptorBytes> DmaDescriptor::encode() const {
  std::array<uint8_t, kDescriptorBytes> out{};
  uint32_t words[16] = {src, dst, size[0], size[1], size[2], size[3], 0, 0,
                        0,   0,   0,       0,       flags,   next,    0, 0};
  for (int i = 0; i < 3; ++i) {
    words[6 + i] = static_cast<uint32_t>(src_stride[i]);
    words[9 + i] = static_cast<uint32_t>(dst_stride[i]);
  }
  for (int i = 0; i < 16; ++i) put32(&out[4 * i], words[i]);
  return out;
}

DmaDescriptor DmaDescriptor::decode(const uint8_t* bytes, bool& reserved_ok) {
  DmaDescriptor d;
  d.src = get32(bytes);
  d.dst = get32(bytes + 4);
  for (int i = 0; i < 4; ++i) d.size[i] = get32(bytes + 8 + 4 * i);
  for (int i = 0; i < 3; ++i) {
    d.src_stride[i] = static_cast<int32_t>(get32(bytes + 24 + 4 * i));
    d.dst_stride[i] = static_cast<int32_t>(get32(bytes + 36 + 4 * i));
  }
  d.flags = get32(bytes + 48);
  d.next = get32(bytes + 52);
  reserved_ok = get32(bytes + 56) == 0 && get32(bytes + 60) == 0 && (d.flags & ~0xfu) == 0;
  return d;
}

Dma::Dma(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx)
    : Component(name, "dma", ctx),
      regs("regs"),
      mem("mem"),
      bytes_moved_(stats().counter("bytes_moved", "bytes")),
      descriptors_(stats().counter("descriptors", "descriptors")),
      bursts_(stats().counter("bursts", "bursts")),
      busy_cycles_(stats().counter("busy_cycles", "cycles")),
      errors_(stats().counter("errors", "errors")),
      busy_(stats(), "transfer") {
  const unsigned channels = static_cast<unsigned>(cfg.integer_in("channels", 1, 32, 1));
  width_bits_ = static_cast<unsigned>(cfg.integer_in("width_bits", 8, 4096, 64));
  if (width_bits_ % 8) cfg.fail("width_bits", "must be a multiple of 8");
  outstanding_ = static_cast<unsigned>(cfg.integer_in("outstanding", 1, 256, 1));
  burst_bytes_ = static_cast<unsigned>(cfg.integer_in("burst_bytes", 4, 65536, 64));
  quantum_ = cfg.picoseconds("quantum", 1000000);
  if (quantum_ == 0) cfg.fail("quantum", "must be greater than 0");
  for (unsigned c = 0; c < channels; ++c) {
    auto ch = std::make_unique<Channel>();
    ch->buffer.resize(std::max(burst_bytes_, kDescriptorBytes));
    ch->ring.assign(outstanding_, 0);
    channels_.push_back(std::move(ch));
    sc_core::sc_spawn_options opts;
    sc_core::sc_spawn([this, c] { channel_thread(c); }, ("channel" + std::to_string(c)).c_str(),
                      &opts);
  }
  regs.register_b_transport(this, &Dma::reg_access);
  expose_target("regs", regs, kWindowBytes, false);
  expose_initiator("mem", mem);
  expose_irq_out("irq", irq);
}

std::string Dma::describe() const {
  return "dma " + std::to_string(channels_.size()) + " channels, " + std::to_string(width_bits_) +
         "-bit, " + std::to_string(outstanding_) + " outstanding, " + std::to_string(burst_bytes_) +
         "-byte bursts";
}

void Dma::update_irq() {
  uint32_t enabled = 0;
  for (size_t c = 0; c < channels_.size(); ++c)
    if (channels_[c]->irq_enable) enabled |= 1u << c;
  irq.set((irq_status_ & enabled) != 0);
}

void Dma::reg_access(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const uint64_t offset = trans.get_address();
  delay += to_sc_time(clock().period_ps);
  if (trans.get_data_length() != 4 || (offset & 3) || trans.get_byte_enable_ptr()) {
    trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return;
  }
  bool ok = true;
  if (trans.is_read()) {
    put32(trans.get_data_ptr(), reg_read(offset, ok));
  } else if (trans.is_write()) {
    ok = reg_write(offset, get32(trans.get_data_ptr()), now_ticks() + to_ticks(delay));
  }
  trans.set_response_status(ok ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

uint32_t Dma::reg_read(uint64_t offset, bool& ok) const {
  if (offset == kIrqStatus) return irq_status_;
  if (offset == kInfo) return static_cast<uint32_t>(channels_.size()) | width_bits_ << 16;
  const uint64_t c = (offset - kChannelBase) / kChannelStride;
  if (offset < kChannelBase || c >= channels_.size()) {
    ok = false;
    return 0;
  }
  const Channel& ch = *channels_[c];
  switch ((offset - kChannelBase) % kChannelStride) {
    case kCtrl:
      return ch.irq_enable ? kCtrlIrqEnable : 0;
    case kStatus:
      return (ch.busy ? kStatusBusy : 0) | (ch.done ? kStatusDone : 0) |
             (ch.error ? kStatusError : 0);
    case kDescAddr:
      return ch.desc_addr;
    case kErrorCode:
      return ch.error_code;
    case kErrorAddr:
      return ch.error_addr;
    case kBytesDone:
      return ch.bytes_done;
    case kDescsDone:
      return ch.descs_done;
  }
  ok = false;
  return 0;
}

bool Dma::reg_write(uint64_t offset, uint32_t value, Tick at) {
  if (offset == kIrqStatus) {
    irq_status_ &= ~value;
    update_irq();
    return true;
  }
  const uint64_t c = (offset - kChannelBase) / kChannelStride;
  if (offset < kChannelBase || c >= channels_.size()) return false;
  Channel& ch = *channels_[c];
  switch ((offset - kChannelBase) % kChannelStride) {
    case kCtrl:
      ch.irq_enable = value & kCtrlIrqEnable;
      if ((value & kCtrlStart) && !ch.busy) {
        ch.busy = true;
        ch.done = ch.error = false;
        ch.error_code = ch.error_addr = ch.bytes_done = ch.descs_done = 0;
        irq_status_ &= ~(1u << c);
        ch.start.notify(to_sc_time(at - now_ticks()));
      }
      update_irq();
      return true;
    case kDescAddr:
      ch.desc_addr = value;
      return true;
    case kStatus:
    case kErrorCode:
    case kErrorAddr:
    case kBytesDone:
    case kDescsDone:
      return true;  // read-only: writes are ignored
  }
  return false;
}

Tick Dma::transfer(Channel& ch, tlm::tlm_command cmd, uint64_t addr, uint8_t* data, unsigned len,
                   Tick at) {
  tlm::tlm_generic_payload& t = ch.trans;
  t.set_command(cmd);
  t.set_address(addr);
  t.set_data_ptr(data);
  t.set_data_length(len);
  t.set_streaming_width(len);
  t.set_byte_enable_ptr(nullptr);
  t.set_dmi_allowed(false);
  t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  const Tick now = now_ticks();
  sc_core::sc_time delay = to_sc_time(at - now);
  mem->b_transport(t, delay);
  if (t.get_response_status() != tlm::TLM_OK_RESPONSE) return 0;
  return now + to_ticks(delay);
}

void Dma::fail(Channel& ch, DmaError code, uint64_t addr) {
  ch.error = true;
  ch.error_code = static_cast<uint32_t>(code);
  ch.error_addr = static_cast<uint32_t>(addr);
  ++errors_;
}

// Burst k issues at max(issue(k-1) + port cycles of burst k-1, completion(k - outstanding));
// its write issues when its read completes; completion(k) is the write's completion.
bool Dma::move_burst(Channel& ch, uint64_t src, uint64_t dst, unsigned bytes, Cursor& cur) {
  Tick& slot = ch.ring[cur.index % outstanding_];
  const Tick issue = std::max(cur.index ? cur.issue + cur.issue_gap : cur.issue, slot);
  if (issue > now_ticks() + quantum_) sc_core::wait(to_sc_time(issue - now_ticks()));
  const Tick read_done = transfer(ch, tlm::TLM_READ_COMMAND, src, ch.buffer.data(), bytes, issue);
  if (!read_done) {
    fail(ch, DmaError::kRead, src);
    return false;
  }
  const Tick write_done =
      transfer(ch, tlm::TLM_WRITE_COMMAND, dst, ch.buffer.data(), bytes, read_done);
  if (!write_done) {
    fail(ch, DmaError::kWrite, dst);
    return false;
  }
  const uint64_t beats = (uint64_t(bytes) * 8 + width_bits_ - 1) / width_bits_;
  cur.issue = issue;
  cur.issue_gap = beats * clock().period_ps;
  cur.end = std::max(cur.end, write_done);
  slot = write_done;
  ++cur.index;
  ++bursts_;
  bytes_moved_ += bytes;
  ch.bytes_done += bytes;
  return true;
}

bool Dma::run_descriptor(Channel& ch, const DmaDescriptor& d, Cursor& cur) {
  const uint64_t n1 = std::max(d.size[1], 1u), n2 = std::max(d.size[2], 1u),
                 n3 = std::max(d.size[3], 1u);
  const bool fixed_src = d.flags & kFlagFixedSrc, fixed_dst = d.flags & kFlagFixedDst;
  for (uint64_t i3 = 0; i3 < n3; ++i3)
    for (uint64_t i2 = 0; i2 < n2; ++i2)
      for (uint64_t i1 = 0; i1 < n1; ++i1) {
        const int64_t src_row = int64_t(d.src) + int64_t(i1) * d.src_stride[0] +
                                int64_t(i2) * d.src_stride[1] + int64_t(i3) * d.src_stride[2];
        const int64_t dst_row = int64_t(d.dst) + int64_t(i1) * d.dst_stride[0] +
                                int64_t(i2) * d.dst_stride[1] + int64_t(i3) * d.dst_stride[2];
        for (uint64_t off = 0; off < d.size[0]; off += burst_bytes_) {
          const unsigned bytes =
              static_cast<unsigned>(std::min<uint64_t>(burst_bytes_, d.size[0] - off));
          const uint64_t src = fixed_src ? d.src : uint64_t(src_row) + off;
          const uint64_t dst = fixed_dst ? d.dst : uint64_t(dst_row) + off;
          if (!move_burst(ch, src, dst, bytes, cur)) return false;
        }
      }
  return true;
}

void Dma::channel_thread(unsigned c) {
  Channel& ch = *channels_[c];
  for (;;) {
    sc_core::wait(ch.start);
    const Tick started = clock().edge_at_or_after(now_ticks());
    Cursor cur;
    cur.issue = cur.end = started;
    std::fill(ch.ring.begin(), ch.ring.end(), 0);
    uint64_t addr = ch.desc_addr;
    for (;;) {
      uint8_t raw[kDescriptorBytes];
      const Tick fetched =
          transfer(ch, tlm::TLM_READ_COMMAND, addr, raw, kDescriptorBytes, cur.end);
      if (!fetched) {
        fail(ch, DmaError::kDescriptor, addr);
        break;
      }
      bool reserved_ok = false;
      const DmaDescriptor d = DmaDescriptor::decode(raw, reserved_ok);
      if (d.size[0] == 0 || !reserved_ok) {
        fail(ch, DmaError::kInvalid, addr);
        break;
      }
      cur = Cursor{fetched, 0, fetched, 0};
      std::fill(ch.ring.begin(), ch.ring.end(), 0);
      const bool ok = run_descriptor(ch, d, cur);
      if (cur.end > now_ticks()) sc_core::wait(to_sc_time(cur.end - now_ticks()));
      if (!ok) break;
      ++ch.descs_done;
      ++descriptors_;
      if (d.flags & kFlagIrq) {
        irq_status_ |= 1u << c;
        update_irq();
      }
      if (d.flags & kFlagLast) break;
      addr = d.next;
    }
    if (cur.end > now_ticks()) sc_core::wait(to_sc_time(cur.end - now_ticks()));
    busy_cycles_ += (now_ticks() - started) / clock().period_ps;
    busy_.add(started, now_ticks());
    ch.busy = false;
    ch.done = !ch.error;
    irq_status_ |= 1u << c;
    update_irq();
  }
}

void register_dma_kinds(ComponentRegistry& registry) {
  registry.add("dma", "dmas",
               "scatter-gather DMA: chained 4-D strided descriptors, outstanding bursts, irq",
               [](const std::string& name, const Config& cfg, BuildContext& ctx) {
                 return std::make_unique<Dma>(name.c_str(), cfg, ctx);
               });
}

}  // namespace flecsim
