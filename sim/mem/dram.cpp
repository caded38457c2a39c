#include "mem/dram.h"

#include <sstream>

#include "core/units.h"

namespace flecsim {

namespace {

// Preset values as the standards state them: times in picoseconds, CL in clock cycles.
struct Preset {
  const char* name;
  uint64_t data_rate_mtps;
  unsigned channels, banks, width_bits, burst_length;
  uint64_t row_bytes;
  uint64_t tRCD_ps, tCL_cycles, tRP_ps, tRAS_ps, tRFC_ps, tREFI_ps;
};

// LPDDR4-3200: JESD209-4 (x16 channel, 8 banks, 2 KiB page, BL16, RL=28 without DBI,
//   tRCD/tRPpb = 18 ns, tRAS = 42 ns, tRFCab = 280 ns (8 Gb/channel), tREFI = 3.904 us).
// DDR4-2400R (16-16-16): JESD79-4 (64-bit DIMM of x8 devices: 16 banks, 8 KiB page, BL8,
//   tRCD = tRP = 13.32 ns, tRAS = 32 ns, tRFC1 = 350 ns (8 Gb), tREFI = 7.8 us).
// HBM2 at 2 Gb/s/pin: JESD235A (8 channels x 128 bit, 16 banks, 2 KiB page, BL4,
//   tRCD = tRP = 14 ns, CL = 14, tRAS = 33 ns, tRFC = 350 ns, tREFI = 3.9 us).
const Preset kPresets[] = {
    {"LPDDR4-3200", 3200, 2, 8, 16, 16, 2048, 18000, 28, 18000, 42000, 280000, 3904000},
    {"DDR4-2400", 2400, 1, 16, 64, 8, 8192, 13320, 16, 13320, 32000, 350000, 7800000},
    {"HBM2", 2000, 8, 16, 128, 4, 2048, 14000, 14, 14000, 33000, 350000, 3900000},
};

// A timing key: a duration with a unit ("18ns") or a bare number of DRAM clock cycles.
uint64_t timing_cycles(const Config& cfg, const std::string& key, uint64_t def, Tick tck) {
  if (!cfg.has(key)) return def;
  uint64_t v = 0;
  std::string why;
  auto node = cfg.node().get(key);
  if (node && node->is_scalar() && parse_integer(node->scalar, v, why)) return cfg.integer(key);
  return (cfg.picoseconds(key) + tck - 1) / tck;
}

}  // namespace

DramTiming dram_timing_from_config(const Config& cfg) {
  std::vector<std::string> names;
  for (const Preset& p : kPresets) names.push_back(p.name);
  const std::string name = cfg.choice("preset", names, "LPDDR4-3200");
  const Preset* p = &kPresets[0];
  for (const Preset& q : kPresets)
    if (name == q.name) p = &q;
  DramTiming t;
  t.preset = name;
  t.data_rate_mtps = cfg.integer_in("data_rate_mtps", 2, 100000, p->data_rate_mtps);
  t.clock = Clock::from_hz(t.data_rate_mtps * 500000);
  t.channels = static_cast<unsigned>(cfg.integer_in("channels", 1, 256, p->channels));
  t.banks = static_cast<unsigned>(cfg.integer_in("banks", 1, 256, p->banks));
  t.width_bits = static_cast<unsigned>(cfg.integer_in("width_bits", 8, 1024, p->width_bits));
  if (t.width_bits % 8) cfg.fail("width_bits", "must be a multiple of 8");
  t.burst_length = static_cast<unsigned>(cfg.integer_in("burst_length", 2, 64, p->burst_length));
  if (t.burst_length % 2) cfg.fail("burst_length", "must be even (double data rate)");
  t.row_bytes = cfg.bytes("row_bytes", p->row_bytes);
  if (t.row_bytes == 0 || t.row_bytes % t.burst_bytes())
    cfg.fail("row_bytes", "must be a multiple of the burst (" + std::to_string(t.burst_bytes()) +
                              " bytes = width_bits/8 * burst_length)");
  const Tick tck = t.clock.period_ps;
  auto cyc = [tck](uint64_t ps) { return (ps + tck - 1) / tck; };
  t.tRCD = timing_cycles(cfg, "tRCD", cyc(p->tRCD_ps), tck);
  t.tCL = timing_cycles(cfg, "tCL", p->tCL_cycles, tck);
  t.tRP = timing_cycles(cfg, "tRP", cyc(p->tRP_ps), tck);
  t.tRAS = timing_cycles(cfg, "tRAS", cyc(p->tRAS_ps), tck);
  t.tRFC = timing_cycles(cfg, "tRFC", cyc(p->tRFC_ps), tck);
  t.tREFI = timing_cycles(cfg, "tREFI", cyc(p->tREFI_ps), tck);
  if (t.tREFI != 0 && t.tRFC >= t.tREFI) cfg.fail("tRFC", "must be shorter than tREFI");
  return t;
}

Dram::Dram(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx)
    : Component(name, "dram", ctx),
      socket("socket"),
      t_(dram_timing_from_config(cfg)),
      storage_(cfg.bytes("size")),
      read_bytes_(stats().counter("read_bytes", "bytes")),
      write_bytes_(stats().counter("write_bytes", "bytes")),
      read_bits_(stats().counter("read_bits", "bits")),
      write_bits_(stats().counter("write_bits", "bits")),
      bursts_(stats().counter("bursts", "bursts")),
      activates_(stats().counter("activates", "commands")),
      precharges_(stats().counter("precharges", "commands")),
      row_hits_(stats().counter("row_hits", "bursts")),
      row_misses_(stats().counter("row_misses", "bursts")),
      row_conflicts_(stats().counter("row_conflicts", "bursts")),
      refreshes_(stats().counter("refreshes", "commands")),
      busy_(stats(), "access") {
  if (storage_.size() == 0) cfg.fail("size", "must not be 0");
  dmi_ = cfg.flag("dmi", false);
  parse_mapping(cfg);
  const uint64_t stripe = uint64_t(t_.channels) * t_.banks * t_.row_bytes;
  rows_ = std::max<uint64_t>(1, (storage_.size() + stripe - 1) / stripe);
  banks_.resize(size_t(t_.channels) * t_.banks);
  data_bus_.resize(t_.channels);
  refreshes_seen_.assign(t_.channels, 0);
  storage_.preload(cfg);
  socket.register_b_transport(this, &Dram::b_transport);
  socket.register_get_direct_mem_ptr(this, &Dram::get_direct_mem_ptr);
  socket.register_transport_dbg(this, &Dram::transport_dbg);
  expose_target("socket", socket, storage_.size(), dmi_);
}

void Dram::parse_mapping(const Config& cfg) {
  mapping_text_ = cfg.str("address_mapping", "row:bank:column:channel");
  std::vector<std::string> parts;
  std::stringstream ss(mapping_text_);
  for (std::string part; std::getline(ss, part, ':');) parts.push_back(part);
  const std::vector<std::string> fields = {"row", "bank", "column", "channel"};
  std::vector<bool> seen(4, false);
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    auto f = std::find(fields.begin(), fields.end(), *it);
    if (f == fields.end() || seen[f - fields.begin()]) break;
    seen[f - fields.begin()] = true;
    mapping_lsb_first_.push_back(static_cast<Field>(f - fields.begin()));
  }
  if (parts.size() != 4 || mapping_lsb_first_.size() != 4)
    cfg.fail("address_mapping",
             "expected the four fields row, bank, column, channel in some order, most significant "
             "first, separated by ':' (e.g. row:bank:column:channel), got '" +
                 mapping_text_ + "'");
}

std::string Dram::describe() const {
  return "dram " + t_.preset + " " + format_bytes(storage_.size()) + ", " +
         std::to_string(t_.channels) + "x" + std::to_string(t_.width_bits) + "-bit @ " +
         std::to_string(t_.data_rate_mtps) + " MT/s, " + mapping_text_;
}

Dram::Location Dram::locate(uint64_t burst_index) const {
  // Fields in Field order: rows, banks, columns (bursts per row), channels.
  const uint64_t counts[4] = {rows_, t_.banks, t_.row_bytes / t_.burst_bytes(), t_.channels};
  uint64_t value[4] = {0, 0, 0, 0};
  uint64_t v = burst_index;
  for (Field f : mapping_lsb_first_) {
    const uint64_t n = counts[static_cast<int>(f)];
    value[static_cast<int>(f)] = v % n;
    v /= n;
  }
  return Location{static_cast<unsigned>(value[3]), static_cast<unsigned>(value[1]), value[0]};
}

uint64_t Dram::after_refresh(unsigned channel, uint64_t cycle) {
  if (t_.tREFI == 0) return cycle;
  const uint64_t k = cycle / t_.tREFI;
  if (k > refreshes_seen_[channel]) {
    refreshes_ += k - refreshes_seen_[channel];
    refreshes_seen_[channel] = k;
  }
  // Window k (k >= 1) blocks the channel during [k*tREFI, k*tREFI + tRFC).
  if (k >= 1 && cycle < k * t_.tREFI + t_.tRFC) return k * t_.tREFI + t_.tRFC;
  return cycle;
}

Tick Dram::burst(uint64_t earliest, const Location& loc) {
  Bank& bk = banks_[size_t(loc.channel) * t_.banks + loc.bank];
  uint64_t x = after_refresh(loc.channel, std::max(earliest, bk.ready));
  // A refresh since the bank's last column command precharged it.
  const uint64_t last_refresh = t_.tREFI ? x / t_.tREFI * t_.tREFI : 0;
  if (bk.open && last_refresh >= t_.tREFI && bk.last_use < last_refresh) bk.open = false;
  uint64_t col;
  if (bk.open && bk.row == loc.row) {
    ++row_hits_;
    col = x;
  } else {
    uint64_t act = x;
    if (bk.open) {
      ++row_conflicts_;
      ++precharges_;
      act = std::max(x, bk.activate + t_.tRAS) + t_.tRP;
    } else {
      ++row_misses_;
    }
    ++activates_;
    bk.activate = act;
    col = act + t_.tRCD;
  }
  const Tick tck = t_.clock.period_ps;
  const Tick data = data_bus_[loc.channel].reserve((col + t_.tCL) * tck, t_.burst_cycles() * tck);
  const uint64_t col_issued = data / tck - t_.tCL;  // pushed later when the data bus was busy
  bk.open = true;
  bk.row = loc.row;
  bk.last_use = col_issued;
  bk.ready = col_issued + t_.burst_cycles();  // tCCD = BL/2
  ++bursts_;
  return data + t_.burst_cycles() * tck;
}

void Dram::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const uint64_t offset = trans.get_address();
  const unsigned len = trans.get_data_length();
  if (!storage_.access(trans)) return;
  const Tick now = now_ticks();
  if (now != retired_at_) {
    // Bookings that ended before now cannot delay any request: drop them (short timelines).
    retired_at_ = now;
    for (Timeline& t : data_bus_) t.retire_before(now);
  }
  const Tick tck = t_.clock.period_ps;
  const Tick start = now + to_ticks(delay);
  const uint64_t cycle = (start + tck - 1) / tck;
  const uint64_t bb = t_.burst_bytes();
  const uint64_t first = offset / bb, last = (offset + (len ? len : 1) - 1) / bb;
  Tick done = cycle * tck;
  for (uint64_t b = first; b <= last; ++b) done = std::max(done, burst(cycle, locate(b)));
  if (trans.is_write()) {
    write_bytes_ += len;
    write_bits_ += 8ull * len;
  } else {
    read_bytes_ += len;
    read_bits_ += 8ull * len;
  }
  busy_.add(cycle * tck, done);
  delay = to_sc_time(done - now);
}

bool Dram::get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi) {
  dmi.set_start_address(0);
  dmi.set_end_address(storage_.size() - 1);
  if (!dmi_ || trans.get_address() >= storage_.size()) {
    dmi.allow_none();
    return false;
  }
  // With DMI the row-buffer model is bypassed: each access costs a row hit.
  const Tick hit = (t_.tCL + t_.burst_cycles()) * t_.clock.period_ps;
  dmi.set_dmi_ptr(storage_.data());
  dmi_traffic_.offer(trans);
  dmi.allow_read_write();
  dmi.set_read_latency(to_sc_time(hit));
  dmi.set_write_latency(to_sc_time(hit));
  return true;
}

void Dram::finish() {
  busy_.flush();
  const uint64_t cycle = now_ticks() / t_.clock.period_ps;
  for (unsigned ch = 0; ch < t_.channels; ++ch) after_refresh(ch, cycle);
}

}  // namespace flecsim
