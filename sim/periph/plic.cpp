#include "periph/plic.h"

#include <algorithm>

namespace flecsim {

using namespace plic_regs;

Plic::Plic(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx)
    : RegisterDevice(name, "plic", cfg, ctx, kSize),
      sources_(static_cast<unsigned>(cfg.integer_in("sources", 1, kMaxSources))),
      max_priority_(static_cast<uint32_t>(cfg.integer_in("max_priority", 1, 0xffffffffu, 7))),
      priority_(sources_ + 1, 0),
      level_(sources_ + 1, false),
      pending_(sources_ + 1, false),
      enabled_(sources_ + 1, false),
      claimed_(sources_ + 1, false),
      claims_(stats().counter("claims", "interrupts", "interrupts claimed by software")) {
  expose_irq_out("meip", meip);
  for (unsigned id = 1; id <= sources_; ++id)
    expose_irq_in(std::to_string(id), [this, id](bool level) { source_level(id, level); });
}

std::string Plic::describe() const {
  return "plic, " + std::to_string(sources_) + " sources, priorities 0.." +
         std::to_string(max_priority_);
}

void Plic::source_level(unsigned id, bool level) {
  level_[id] = level;
  if (level && !claimed_[id]) pending_[id] = true;
  update_meip();
}

unsigned Plic::best_pending() const {
  unsigned best = 0;
  uint32_t best_priority = threshold_;
  for (unsigned id = 1; id <= sources_; ++id)
    if (pending_[id] && enabled_[id] && priority_[id] > best_priority) {
      best = id;
      best_priority = priority_[id];
    }
  return best;
}

void Plic::update_meip() {
  meip.set(best_pending() != 0);
}

uint32_t Plic::bit_word(const std::vector<bool>& bits, uint64_t word) const {
  uint32_t value = 0;
  for (unsigned b = 0; b < 32; ++b) {
    uint64_t id = word * 32 + b;
    if (id >= 1 && id <= sources_ && bits[id]) value |= 1u << b;
  }
  return value;
}

static bool in_bit_block(uint64_t offset, uint64_t base, unsigned sources, uint64_t& word) {
  if (offset < base || offset >= base + 4 * ((sources + 32) / 32)) return false;
  word = (offset - base) / 4;
  return true;
}

bool Plic::read_reg(uint64_t offset, Tick, uint32_t& value) {
  uint64_t word = 0;
  if (offset >= kPriorityBase + 4 && offset <= kPriorityBase + 4 * sources_) {
    value = priority_[(offset - kPriorityBase) / 4];
  } else if (in_bit_block(offset, kPendingBase, sources_, word)) {
    value = bit_word(pending_, word);
  } else if (in_bit_block(offset, kEnableBase, sources_, word)) {
    value = bit_word(enabled_, word);
  } else if (offset == kThreshold) {
    value = threshold_;
  } else if (offset == kClaimComplete) {
    unsigned id = best_pending();
    if (id != 0) {
      pending_[id] = false;
      claimed_[id] = true;
      ++claims_;
      update_meip();
    }
    value = id;
  } else {
    return offset == kPriorityBase;  // source 0 does not exist: reads as 0
  }
  return true;
}

bool Plic::write_reg(uint64_t offset, Tick, uint32_t value) {
  uint64_t word = 0;
  if (offset >= kPriorityBase + 4 && offset <= kPriorityBase + 4 * sources_) {
    priority_[(offset - kPriorityBase) / 4] = std::min(value, max_priority_);
  } else if (in_bit_block(offset, kPendingBase, sources_, word)) {
    // Pending bits are read-only; writes are ignored as on SiFive parts.
  } else if (in_bit_block(offset, kEnableBase, sources_, word)) {
    for (unsigned b = 0; b < 32; ++b) {
      uint64_t id = word * 32 + b;
      if (id >= 1 && id <= sources_) enabled_[id] = (value >> b) & 1;
    }
  } else if (offset == kThreshold) {
    threshold_ = std::min(value, max_priority_);
  } else if (offset == kClaimComplete) {
    // Completing a source that is not claimed, or not enabled, is ignored (PLIC spec).
    if (value >= 1 && value <= sources_ && claimed_[value] && enabled_[value]) {
      claimed_[value] = false;
      if (level_[value]) pending_[value] = true;
    }
  } else {
    return offset == kPriorityBase;
  }
  update_meip();
  return true;
}

}  // namespace flecsim
