#include "accel/regress/stream.h"

#include <iomanip>
#include <sstream>

#include "accel/systolic/systolic_spec.h"
#include "core/error.h"

namespace flecsim::regress {

namespace {
// A replay file is user input: a geometry the models cannot have (a zero-byte bus would never
// finish a transfer) is refused instead of hanging.
bool require_plausible(const AccelGeometry& g, const SourceLoc& loc) {
  const auto pow2 = [](uint32_t v) { return v && !(v & (v - 1)); };
  const auto rows_ok = [](uint32_t v, uint32_t least) {
    return v == 0 || (v >= least && v <= 65535);
  };
  if (g.rows >= 1 && g.rows <= 128 && g.cols == g.rows && rows_ok(g.sp_rows, g.rows) &&
      rows_ok(g.acc_rows, 2) && pow2(g.bus_bytes) && g.bus_bytes >= 4 && g.bus_bytes <= 64)
    return true;
  throw UserError(loc,
                  "geometry: expected rows = cols in 1..128, sp_rows >= rows and "
                  "acc_rows >= 2 (or 0 for the defaults), bus bytes a power of two 4..64");
}

constexpr uint64_t kMaxCycles = 50'000'000;
const char* kMagic = "flecsim-rtl-stream 2";
}  // namespace

std::string Stream::to_text() const {
  std::ostringstream o;
  o << kMagic << "\n# " << name << "\n";
  o << "geometry " << geometry.rows << " " << geometry.cols << " " << geometry.sp_rows << " "
    << geometry.acc_rows << " " << geometry.bus_bytes << "\n";
  o << "timing " << timing.seed << " " << timing.min_latency << " " << timing.max_latency << " "
    << timing.stall_percent << "\n";
  o << "image " << image_bytes << " " << image_seed << "\n";
  o << std::hex;
  for (const StreamOp& op : ops) {
    if (op.kind == StreamOp::kWrite) o << "w 0x" << op.offset << " 0x" << op.value << "\n";
    if (op.kind == StreamOp::kRead) o << "r 0x" << op.offset << "\n";
    if (op.kind == StreamOp::kIdle) o << "i 0x" << op.value << "\n";
  }
  return o.str();
}

Stream Stream::parse(const std::string& text, const std::string& file) {
  Stream s;
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  bool header = false;
  while (std::getline(in, line)) {
    ++line_no;
    SourceLoc loc{file, line_no, 1};
    if (line.empty()) continue;
    if (line[0] == '#') {
      if (s.name.empty()) s.name = line.size() > 2 ? line.substr(2) : "";
      continue;
    }
    if (!header) {
      if (line != kMagic) throw UserError(loc, "expected '" + std::string(kMagic) + "'");
      header = true;
      continue;
    }
    std::istringstream f(line);
    std::string tag;
    f >> tag;
    f >> std::setbase(0);
    StreamOp op;
    bool ok = true;
    if (tag == "geometry")
      ok = bool(f >> s.geometry.rows >> s.geometry.cols >> s.geometry.sp_rows >>
                s.geometry.acc_rows >> s.geometry.bus_bytes) &&
           require_plausible(s.geometry, loc);
    else if (tag == "timing")
      ok = bool(f >> s.timing.seed >> s.timing.min_latency >> s.timing.max_latency >>
                s.timing.stall_percent) &&
           s.timing.min_latency >= 1 && s.timing.max_latency >= s.timing.min_latency &&
           s.timing.stall_percent < 100;  // 100 % back-pressure would never accept a beat
    else if (tag == "image")
      ok = bool(f >> s.image_bytes >> s.image_seed);
    else if (tag == "w" && (f >> op.offset >> op.value))
      op.kind = StreamOp::kWrite, s.ops.push_back(op);
    else if (tag == "r" && (f >> op.offset))
      op.kind = StreamOp::kRead, s.ops.push_back(op);
    else if (tag == "i" && (f >> op.value))
      op.kind = StreamOp::kIdle, s.ops.push_back(op);
    else
      ok = false;
    if (!ok) throw UserError(loc, "cannot read '" + line + "'");
  }
  if (!header) throw UserError(SourceLoc{file, 1, 1}, "empty stream file");
  return s;
}

std::vector<uint8_t> make_image(const Stream& s) {
  std::vector<uint8_t> image(s.image_bytes);
  for (size_t i = 0; i < image.size(); i += 8) {
    uint64_t v = mix64(s.image_seed * 0x100000001b3ull + i);
    for (size_t b = 0; b < 8 && i + b < image.size(); ++b) image[i + b] = uint8_t(v >> (8 * b));
  }
  // Upper half: the high byte of every 16-bit word is a sign and an exponent near 1.0, so bf16
  // and fp32 data there have magnitudes 2^-8 .. 2^8: sums then round and cancel (the lower
  // half's uniform exponents mostly overflow, underflow or leave one operand unchanged).
  for (size_t i = image.size() / 2 | 1; i < image.size(); i += 2)
    image[i] = uint8_t((image[i] & 0x80) | (0x3C + (image[i] & 7)));
  return image;
}

RunResult run_stream(AccelUnderTest& dut, const Stream& s) {
  dut.reset(s.timing, make_image(s));
  RunResult r;
  for (const StreamOp& op : s.ops) {
    if (op.kind == StreamOp::kWrite) dut.write_reg(op.offset, op.value);
    if (op.kind == StreamOp::kRead) r.reads.push_back(dut.read_reg(op.offset));
    if (op.kind == StreamOp::kIdle) dut.idle(op.value);
  }
  r.idle_cycle = dut.run_until_idle(kMaxCycles);
  r.irq = dut.irq();
  for (uint32_t reg : {systolic::kRegStatus, systolic::kRegError, systolic::kRegIrqStatus,
                       systolic::kRegDoneCount})
    r.reads.push_back(dut.read_reg(reg));
  r.completions = dut.completions();
  r.image = dut.image();
  return r;
}

namespace {
std::string describe(const CommandCompletion& c) {
  std::ostringstream o;
  o << "seq " << c.seq << " " << systolic::opcode_name(c.opcode) << " (0x" << std::hex << c.opcode
    << std::dec << ") end cycle " << c.end_cycle << " error " << c.error;
  return o.str();
}
}  // namespace

std::string compare(const RunResult& a, const RunResult& b, const std::string& na,
                    const std::string& nb) {
  std::ostringstream o;
  size_t n = std::min(a.completions.size(), b.completions.size());
  for (size_t i = 0; i < n; ++i)
    if (!(a.completions[i] == b.completions[i])) {
      o << "command " << i << ": " << na << " " << describe(a.completions[i]) << ", " << nb << " "
        << describe(b.completions[i]);
      return o.str();
    }
  if (a.completions.size() != b.completions.size()) {
    o << na << " completed " << a.completions.size() << " commands, " << nb << " "
      << b.completions.size();
    return o.str();
  }
  for (size_t i = 0; i < std::min(a.reads.size(), b.reads.size()); ++i)
    if (a.reads[i] != b.reads[i]) {
      o << "register read " << i << ": " << na << " 0x" << std::hex << a.reads[i] << ", " << nb
        << " 0x" << b.reads[i];
      return o.str();
    }
  if (a.image.size() != b.image.size()) return "memory image sizes differ";
  for (size_t i = 0; i < a.image.size(); ++i)
    if (a.image[i] != b.image[i]) {
      o << "memory byte 0x" << std::hex << i << ": " << na << " 0x" << int(a.image[i]) << ", " << nb
        << " 0x" << int(b.image[i]);
      return o.str();
    }
  if (a.idle_cycle != b.idle_cycle || a.irq != b.irq) {
    o << "idle in cycle " << a.idle_cycle << " irq " << a.irq << " (" << na << ") vs "
      << b.idle_cycle << " irq " << b.irq << " (" << nb << ")";
    return o.str();
  }
  return "";
}

Stream minimise(const Stream& s, const std::function<bool(const Stream&)>& fails) {
  // Groups: the writes up to and including a CMD write; every other op alone.
  auto groups_of = [](const Stream& st) {
    std::vector<std::pair<size_t, size_t>> g;  // [begin, end)
    size_t begin = 0;
    for (size_t i = 0; i < st.ops.size(); ++i) {
      const StreamOp& op = st.ops[i];
      bool arg = op.kind == StreamOp::kWrite && op.offset >= systolic::kRegArg0 &&
                 op.offset <= systolic::kRegArg3;
      if (!arg) g.emplace_back(begin, i + 1), begin = i + 1;
    }
    if (begin < st.ops.size()) g.emplace_back(begin, st.ops.size());
    return g;
  };
  Stream best = s;
  bool progress = true;
  while (progress) {
    progress = false;
    auto groups = groups_of(best);
    for (size_t g = groups.size(); g-- > 0;) {
      Stream trial = best;
      trial.ops.erase(trial.ops.begin() + long(groups[g].first),
                      trial.ops.begin() + long(groups[g].second));
      if (fails(trial)) {
        best = std::move(trial);
        progress = true;
        groups = groups_of(best);
        if (g > groups.size()) g = groups.size();
      }
    }
  }
  return best;
}

}  // namespace flecsim::regress
