#include "mem/sram.h"

#include "core/units.h"

namespace flecsim {

Sram::Sram(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx)
    : Component(name, "sram", ctx),
      socket("socket"),
      storage_(cfg.bytes("size")),
      read_bytes_(stats().counter("read_bytes", "bytes")),
      write_bytes_(stats().counter("write_bytes", "bytes")),
      read_bits_(stats().counter("read_bits", "bits")),
      write_bits_(stats().counter("write_bits", "bits")),
      reads_(stats().counter("reads", "accesses")),
      writes_(stats().counter("writes", "accesses")),
      bank_conflicts_(stats().counter("bank_conflicts", "accesses")),
      stall_cycles_(stats().counter("stall_cycles", "cycles")),
      busy_(stats(), "access") {
  if (storage_.size() == 0) cfg.fail("size", "must not be 0");
  const uint64_t width_bits = cfg.integer_in("width_bits", 8, 4096, 64);
  if (width_bits % 8) cfg.fail("width_bits", "must be a multiple of 8");
  width_bytes_ = static_cast<unsigned>(width_bits / 8);
  banks_ = static_cast<unsigned>(cfg.integer_in("banks", 1, 1024, 1));
  ports_.resize(cfg.integer_in("ports", 1, 64, 1));
  banks_tl_.resize(banks_);
  read_latency_ = static_cast<unsigned>(cfg.integer_in("read_latency_cycles", 1, 1000, 1));
  write_latency_ = static_cast<unsigned>(cfg.integer_in("write_latency_cycles", 1, 1000, 1));
  dmi_ = cfg.flag("dmi", true);
  storage_.preload(cfg);
  socket.register_b_transport(this, &Sram::b_transport);
  socket.register_get_direct_mem_ptr(this, &Sram::get_direct_mem_ptr);
  socket.register_transport_dbg(this, &Sram::transport_dbg);
  expose_target("socket", socket, storage_.size(), dmi_);
}

std::string Sram::describe() const {
  return "sram " + format_bytes(storage_.size()) + ", " + std::to_string(width_bytes_ * 8) +
         "-bit, " + std::to_string(banks_) + " banks, " + std::to_string(ports_.size()) +
         " ports, latency r" + std::to_string(read_latency_) + "/w" +
         std::to_string(write_latency_);
}

// The earliest start >= start at which every bank the request touches is free for its span.
Tick Sram::fit_banks(Tick start, const Timeline& port, uint64_t first_word, uint64_t words) const {
  const Tick period = clock().period_ps;
  const uint64_t touched = std::min<uint64_t>(words, banks_);
  for (;;) {
    start = port.probe(start, words * period);
    bool moved = false;
    for (uint64_t k = 0; k < touched && !moved; ++k) {
      // Bank of beat k is used at beats k, k+banks, ...: hold it from k to its last use.
      const uint64_t last = k + (words - 1 - k) / banks_ * banks_;
      const Timeline& bank = banks_tl_[(first_word + k) % banks_];
      const Tick want = start + k * period;
      const Tick got = bank.probe(want, (last - k + 1) * period);
      if (got != want) {
        start = got - k * period;
        moved = true;
      }
    }
    if (!moved) return start;
  }
}

// With a single port every bank access of a request lies inside its port booking, so banks can
// only conflict with several ports; only then are bank timelines consulted.
// The port giving the earliest start wins (lowest index on ties). A bank conflict is a start
// later than the earliest free port would allow.
Sram::Access Sram::schedule(Tick earliest, uint64_t first_word, uint64_t words) const {
  Access best{~Tick(0), 0, false};
  Tick first_port_free = ~Tick(0);
  for (unsigned p = 0; p < ports_.size(); ++p) {
    const Tick port_free = ports_[p].probe(earliest, words * clock().period_ps);
    first_port_free = std::min(first_port_free, port_free);
    const Tick start =
        ports_.size() > 1 ? fit_banks(earliest, ports_[p], first_word, words) : port_free;
    if (start < best.start) best = Access{start, p, false};
  }
  best.bank_delayed = best.start > first_port_free;
  return best;
}

void Sram::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const uint64_t offset = trans.get_address();
  const unsigned len = trans.get_data_length();
  if (!storage_.access(trans)) return;
  const Tick period = clock().period_ps;
  const Tick now = now_ticks();
  if (now != retired_at_) {
    // Bookings that ended before now cannot delay any request: drop them (short timelines).
    retired_at_ = now;
    for (Timeline& t : ports_) t.retire_before(now);
    for (Timeline& t : banks_tl_) t.retire_before(now);
  }
  const Tick earliest = clock().edge_at_or_after(now + to_ticks(delay));
  const uint64_t first_word = offset / width_bytes_;
  const uint64_t words = len ? (offset + len - 1) / width_bytes_ - first_word + 1 : 1;
  const Access a = schedule(earliest, first_word, words);
  ports_[a.port].reserve(a.start, words * period);
  if (ports_.size() > 1) {
    for (uint64_t k = 0; k < std::min<uint64_t>(words, banks_); ++k) {
      const uint64_t last = k + (words - 1 - k) / banks_ * banks_;
      banks_tl_[(first_word + k) % banks_].reserve(a.start + k * period, (last - k + 1) * period);
    }
  }
  if (a.bank_delayed) ++bank_conflicts_;
  stall_cycles_ += (a.start - earliest) / period;
  const bool write = trans.is_write();
  if (write) {
    ++writes_;
    write_bytes_ += len;
    write_bits_ += 8ull * len;
  } else {
    ++reads_;
    read_bytes_ += len;
    read_bits_ += 8ull * len;
  }
  const Tick done = a.start + (words - 1 + (write ? write_latency_ : read_latency_)) * period;
  busy_.add(a.start, a.start + words * period);
  delay = to_sc_time(done - now);
}

bool Sram::get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) {
  dmi.set_start_address(0);
  dmi.set_end_address(storage_.size() - 1);
  if (!dmi_ || trans.get_address() >= storage_.size()) {
    dmi.allow_none();
    return false;
  }
  dmi.set_dmi_ptr(storage_.data());
  dmi_traffic_.offer(trans);
  dmi.allow_read_write();
  dmi.set_read_latency(to_sc_time(read_latency_ * clock().period_ps));
  dmi.set_write_latency(to_sc_time(write_latency_ * clock().period_ps));
  return true;
}

}  // namespace flecsim
