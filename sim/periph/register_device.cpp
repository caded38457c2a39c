#include "periph/register_device.h"

#include <cstring>

namespace flecsim {

RegisterDevice::RegisterDevice(const sc_core::sc_module_name& name, const std::string& kind,
                               const Config& cfg, BuildContext& ctx, uint64_t size)
    : Component(name, kind, ctx),
      regs("regs"),
      access_latency_(clock().ticks(cfg.integer_in("access_latency_cycles", 0, 1000, 1))),
      reads_(stats().counter("register_reads", "accesses", "register reads")),
      writes_(stats().counter("register_writes", "accesses", "register writes")),
      errors_(stats().counter("register_errors", "accesses",
                              "accesses answered with an address error")) {
  regs.register_b_transport(this, &RegisterDevice::b_transport);
  expose_target("regs", regs, size, /*dmi=*/false);
}

std::string RegisterDevice::output_path(const BuildContext& ctx, const std::string& path) {
  if (path.empty() || path[0] == '/' || ctx.output_dir.empty()) return path;
  return ctx.output_dir + "/" + path;
}

void RegisterDevice::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  Tick at = now_ticks() + to_ticks(delay);
  stall_ = 0;
  trans.set_response_status(access(trans, at));
  if (trans.is_response_error()) ++errors_;
  delay += to_sc_time(access_latency_ + stall_);
}

tlm::tlm_response_status RegisterDevice::access(tlm::tlm_generic_payload& trans, Tick at) {
  const uint64_t addr = trans.get_address();
  const unsigned len = trans.get_data_length();
  const bool write = trans.is_write();
  if (!write && !trans.is_read()) return tlm::TLM_OK_RESPONSE;  // TLM_IGNORE_COMMAND
  if (trans.get_byte_enable_ptr()) return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
  uint8_t* data = trans.get_data_ptr();
  if (len == 8 && addr % 8 == 0) {
    // Two word accesses, low word first (the order a 32-bit core would use).
    for (unsigned half = 0; half < 2; ++half) {
      uint32_t word = 0;
      if (write) std::memcpy(&word, data + 4 * half, 4);
      if (!access_word(write, addr + 4 * half, at, word)) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
      if (!write) std::memcpy(data + 4 * half, &word, 4);
    }
    return tlm::TLM_OK_RESPONSE;
  }
  if ((len != 1 && len != 2 && len != 4) || addr % len != 0) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
  const uint64_t word_addr = addr & ~uint64_t{3};
  uint32_t word = 0;
  if (write) {
    if (addr != word_addr) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
    std::memcpy(&word, data, len);  // little-endian host and target
    return access_word(true, addr, at, word) ? tlm::TLM_OK_RESPONSE
                                             : tlm::TLM_ADDRESS_ERROR_RESPONSE;
  }
  if (!access_word(false, word_addr, at, word)) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
  std::memcpy(data, reinterpret_cast<uint8_t*>(&word) + (addr - word_addr), len);
  return tlm::TLM_OK_RESPONSE;
}

bool RegisterDevice::access_word(bool write, uint64_t offset, Tick at, uint32_t& value) {
  if (write) {
    ++writes_;
    return write_reg(offset, at, value);
  }
  ++reads_;
  value = 0;
  return read_reg(offset, at, value);
}

}  // namespace flecsim
