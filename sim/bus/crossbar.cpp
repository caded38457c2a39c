#include "bus/crossbar.h"

#include <algorithm>

#include "core/error.h"

namespace flecsim {

namespace {

bool in_thread() {
  sc_core::sc_process_handle h = sc_core::sc_get_current_process_handle();
  return h.valid() && h.proc_kind() == sc_core::SC_THREAD_PROC_;
}

uint64_t ceil_div(uint64_t a, uint64_t b) {
  return (a + b - 1) / b;
}

}  // namespace

Crossbar::Crossbar(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx)
    : Component(name, "crossbar", ctx),
      in_("in"),
      out_("out"),
      transactions_(stats().counter("transactions", "transactions")),
      total_beats_(stats().counter("beats", "beats")),
      total_bytes_(stats().counter("bytes", "bytes")),
      decode_errors_(stats().counter("decode_errors", "transactions")),
      dmi_grants_(stats().counter("dmi_grants", "grants")),
      busy_(stats(), "transfer") {
  width_bits_ = static_cast<unsigned>(cfg.integer_in("width_bits", 8, 4096, 64));
  if (width_bits_ % 8) cfg.fail("width_bits", "must be a multiple of 8");
  latency_cycles_ = static_cast<unsigned>(cfg.integer_in("latency_cycles", 0, 1000, 1));
  fixed_priority_ = cfg.choice("arbitration", {"round-robin", "fixed-priority"}, "round-robin") ==
                    "fixed-priority";
  priority_order_ = cfg.str_list("initiators");
  Config ports = cfg.sub("ports");
  for (const std::string& port : ports.keys()) {
    Config p = ports.sub(port);
    unsigned w = static_cast<unsigned>(p.integer_in("width_bits", 8, 4096));
    if (w % 8) p.fail("width_bits", "must be a multiple of 8");
    p.check_unused();
    width_overrides_.emplace_back(port, w);
    width_override_locs_.push_back(ports.loc(port));
  }
  in_.register_b_transport(this, &Crossbar::b_transport);
  in_.register_get_direct_mem_ptr(this, &Crossbar::get_direct_mem_ptr);
  in_.register_transport_dbg(this, &Crossbar::transport_dbg);
  out_.register_invalidate_direct_mem_ptr(this, &Crossbar::invalidate_direct_mem_ptr);
}

unsigned Crossbar::port_width(const std::string& name) const {
  for (const auto& o : width_overrides_)
    if (o.first == name) return o.second;
  return width_bits_;
}

// A port of this crossbar with its counters ("in.dma0.mem.beats", "out.dram0.bytes", ...).
Crossbar::Port Crossbar::make_port(const char* side, const std::string& name) {
  Port port;
  port.name = name;
  port.width_bits = port_width(name);
  const std::string prefix = std::string(side) + "." + name + ".";
  port.beats = &stats().counter(prefix + "beats", "beats");
  port.bytes = &stats().counter(prefix + "bytes", "bytes");
  port.stall_cycles = &stats().counter(prefix + "stall_cycles", "cycles");
  port.busy_cycles = &stats().counter(prefix + "busy_cycles", "cycles");
  return port;
}

void Crossbar::connect_initiator(const std::string& name, InitiatorSocket& socket) {
  socket.bind(in_);
  initiator_ports_.push_back(make_port("in", name));
  // Rank: position in the `initiators:` list; initiators not listed come after, in bind order.
  auto it = std::find(priority_order_.begin(), priority_order_.end(), name);
  rank_.push_back(it != priority_order_.end()
                      ? static_cast<unsigned>(it - priority_order_.begin())
                      : static_cast<unsigned>(priority_order_.size() + initiator_ports_.size()));
}

void Crossbar::map_target(const std::string& name, TargetSocket& socket, uint64_t base,
                          uint64_t size, bool /*dmi: the target decides when asked*/) {
  if (size == 0)
    throw InternalError(std::string(this->name()) + ": target " + name + " has size 0");
  for (const Route& r : routes_)
    if (base < r.base + r.size && r.base < base + size)
      throw InternalError(std::string(this->name()) + ": target " + name +
                          " overlaps another range (the builder should have rejected this)");
  out_.bind(socket);
  Route route{base, size, static_cast<unsigned>(target_ports_.size())};
  target_ports_.push_back(make_port("out", name));
  last_grant_.push_back(~0u);
  route_of_target_.push_back(route);
  routes_.insert(std::upper_bound(routes_.begin(), routes_.end(), base,
                                  [](uint64_t b, const Route& r) { return b < r.base; }),
                 route);
  last_route_ = nullptr;
}

void Crossbar::platform_ready() {
  for (size_t i = 0; i < width_overrides_.size(); ++i) {
    const std::string& n = width_overrides_[i].first;
    bool used = std::any_of(initiator_ports_.begin(), initiator_ports_.end(),
                            [&](const Port& p) { return p.name == n; }) ||
                std::any_of(target_ports_.begin(), target_ports_.end(),
                            [&](const Port& p) { return p.name == n; });
    if (!used)
      throw UserError(width_override_locs_[i], std::string(name()) + ".ports: '" + n +
                                                   "' is neither an initiator nor a target of "
                                                   "this crossbar");
  }
}

std::string Crossbar::describe() const {
  return "crossbar " + std::to_string(width_bits_) + "-bit, latency " +
         std::to_string(latency_cycles_) + " cycles, " +
         (fixed_priority_ ? "fixed-priority" : "round-robin");
}

const Crossbar::Route* Crossbar::decode(uint64_t addr, uint64_t len) {
  const Route* r = last_route_;
  if (!r || addr < r->base || addr - r->base >= r->size) {
    auto it = std::upper_bound(routes_.begin(), routes_.end(), addr,
                               [](uint64_t a, const Route& x) { return a < x.base; });
    if (it == routes_.begin()) return nullptr;
    r = &*(it - 1);
    if (addr - r->base >= r->size) return nullptr;
    last_route_ = r;
  }
  if (len > r->size - (addr - r->base)) return nullptr;  // runs past the end of the target
  return r;
}

void Crossbar::b_transport(int id, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  if (delay != sc_core::SC_ZERO_TIME || !in_thread()) {
    route(id, trans, delay);
    return;
  }
  // Synchronised request: gather everything arriving in this delta, then arbitrate.
  Pending me{id, &trans, &delay, false};
  pending_.push_back(&me);
  sc_core::wait(sc_core::SC_ZERO_TIME);
  while (!me.done) {
    if (!batch_running_)
      run_batch();
    else
      sc_core::wait(batch_done_);
  }
}

unsigned Crossbar::arbitration_key(int initiator, unsigned target) const {
  unsigned rank = rank_[initiator];
  if (fixed_priority_) return rank;
  // Round-robin: the rank after the last granted one goes first, cyclically.
  unsigned n = static_cast<unsigned>(priority_order_.size() + initiator_ports_.size() + 1);
  unsigned last = last_grant_[target] == ~0u ? n - 1 : last_grant_[target];
  return (rank + n - last - 1) % n;
}

void Crossbar::run_batch() {
  batch_running_ = true;
  std::vector<Pending*> batch;
  batch.swap(pending_);
  // Decode once to group by target; decode misses go first (they book nothing).
  std::vector<std::pair<std::pair<unsigned, unsigned>, Pending*>> order;
  for (Pending* p : batch) {
    const Route* r = decode(p->trans->get_address(), p->trans->get_data_length());
    unsigned target = r ? r->target + 1 : 0;
    unsigned key = r ? arbitration_key(p->initiator, r->target) : 0;
    order.push_back({{target, key}, p});
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& entry : order) {
    Pending* p = entry.second;
    route(p->initiator, *p->trans, *p->delay);
    p->done = true;
  }
  batch_running_ = false;
  batch_done_.notify(sc_core::SC_ZERO_TIME);
}

// No request can start before the current SystemC time, so older bookings can go; this keeps
// the timelines short (and their searches cheap) however long the run.
void Crossbar::retire_past(Tick now) {
  retired_at_ = now;
  for (auto* ports : {&initiator_ports_, &target_ports_})
    for (Port& p : *ports)
      for (Timeline& t : p.channel) t.retire_before(now);
}

void Crossbar::route(int id, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const uint64_t addr = trans.get_address();
  const uint64_t len = trans.get_data_length();
  const Route* r = decode(addr, len);
  ++transactions_;
  if (!r) {
    ++decode_errors_;
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  Port& ip = initiator_ports_[id];
  Port& tp = target_ports_[r->target];
  const Tick period = clock().period_ps;
  const Tick now = now_ticks();
  if (now != retired_at_) retire_past(now);
  const Tick earliest = clock().edge_at_or_after(now + to_ticks(delay)) + latency_cycles_ * period;
  const uint64_t beats =
      ceil_div(std::max<uint64_t>(len, 1) * 8, std::min(ip.width_bits, tp.width_bits));
  const Tick duration = beats * period;
  const int ch = trans.is_write() ? 1 : 0;
  Tick slot = ip.channel[ch].probe(earliest, duration);
  for (;;) {
    Tick t = tp.channel[ch].probe(slot, duration);
    if (t == slot) break;
    slot = ip.channel[ch].probe(t, duration);
  }
  ip.channel[ch].reserve(slot, duration);
  tp.channel[ch].reserve(slot, duration);
  last_grant_[r->target] = rank_[id];
  const uint64_t stall = (slot - earliest) / period;
  *ip.beats += beats;
  *tp.beats += beats;
  *ip.bytes += len;
  *tp.bytes += len;
  *ip.stall_cycles += stall;
  *tp.stall_cycles += stall;
  total_beats_ += beats;
  total_bytes_ += len;
  busy_.add(slot, slot + duration);

  trans.set_address(addr - r->base);
  sc_core::sc_time target_delay = to_sc_time(slot - now);
  out_[r->target]->b_transport(trans, target_delay);
  trans.set_address(addr);
  const Tick done = std::max(now + to_ticks(target_delay), slot + duration);
  delay = to_sc_time(done - now);
}

bool Crossbar::get_direct_mem_ptr(int /*id*/, tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) {
  const uint64_t addr = trans.get_address();
  const Route* r = decode(addr, 1);
  if (!r) return false;
  trans.set_address(addr - r->base);
  bool granted = out_[r->target]->get_direct_mem_ptr(trans, dmi);
  trans.set_address(addr);
  // Translate the region back to global addresses, clipped to the mapped range.
  const uint64_t last = r->size - 1;
  uint64_t start = std::min<uint64_t>(dmi.get_start_address(), last);
  uint64_t end = std::min<uint64_t>(dmi.get_end_address(), last);
  if (granted && dmi.get_start_address() > last) granted = false;
  if (granted) {
    ++dmi_grants_;
    dmi.set_start_address(r->base + start);
    dmi.set_end_address(r->base + end);
    const sc_core::sc_time hop = to_sc_time(latency_cycles_ * clock().period_ps);
    dmi.set_read_latency(dmi.get_read_latency() + hop);
    dmi.set_write_latency(dmi.get_write_latency() + hop);
  } else {
    // Denied: the initiator must not ask again anywhere in this target's range.
    dmi.set_start_address(r->base + start);
    dmi.set_end_address(r->base + end);
  }
  return granted;
}

unsigned Crossbar::transport_dbg(int /*id*/, tlm::tlm_generic_payload& trans) {
  const uint64_t addr = trans.get_address();
  const Route* r = decode(addr, trans.get_data_length());
  if (!r) {
    trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return 0;
  }
  trans.set_address(addr - r->base);
  unsigned n = out_[r->target]->transport_dbg(trans);
  trans.set_address(addr);
  return n;
}

void Crossbar::invalidate_direct_mem_ptr(int id, sc_dt::uint64 start, sc_dt::uint64 end) {
  const Route& r = route_of_target_[id];
  const uint64_t last = r.size - 1;
  if (start > last) return;
  uint64_t gs = r.base + start;
  uint64_t ge = r.base + std::min<uint64_t>(end, last);
  for (unsigned i = 0; i < in_.size(); ++i) in_[i]->invalidate_direct_mem_ptr(gs, ge);
}

void Crossbar::finish() {
  busy_.flush();
  const Tick period = clock().period_ps;
  for (auto* ports : {&initiator_ports_, &target_ports_})
    for (Port& p : *ports)
      p.busy_cycles->value = (p.channel[0].busy_total() + p.channel[1].busy_total()) / period;
}

void register_bus_kinds(ComponentRegistry& registry) {
  registry.add("crossbar", "crossbars",
               "TLM-2.0 crossbar: address decoding, per-port width and latency, arbitration",
               [](const std::string& name, const Config& cfg, BuildContext& ctx) {
                 return std::make_unique<Crossbar>(name.c_str(), cfg, ctx);
               });
}

}  // namespace flecsim
