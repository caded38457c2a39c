// Traffic accounting for direct memory interface (DMI) accesses. A memory that grants DMI
// never sees the accesses made through the pointer, so the initiator counts them for it: the
// initiator attaches this extension to the payload of its get_direct_mem_ptr call, the memory
// fills in its own counters, and the initiator adds to them on every direct access. The
// counters stay the memory's, so energy, summary.json and per-layer figures include them.
#pragma once
#include <tlm>

#include "core/stats.h"

namespace flecsim {

struct DmiTrafficCounters {
  uint64_t* bits = nullptr;      // Counter::value of the memory's dmi_<dir>_bits
  uint64_t* accesses = nullptr;  // Counter::value of the memory's dmi_<dir>s
};

struct DmiTrafficExtension : tlm::tlm_extension<DmiTrafficExtension> {
  DmiTrafficCounters read, write;

  tlm::tlm_extension_base* clone() const override { return new DmiTrafficExtension(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    *this = static_cast<const DmiTrafficExtension&>(other);
  }
};

// The four counters a DMI-granting memory declares and offers.
class DmiTrafficStats {
 public:
  explicit DmiTrafficStats(StatGroup& stats)
      : read_bits_(stats.counter("dmi_read_bits", "bits", "read through DMI (CPU loads)")),
        write_bits_(stats.counter("dmi_write_bits", "bits", "written through DMI (CPU stores)")),
        reads_(stats.counter("dmi_reads", "accesses", "loads through DMI")),
        writes_(stats.counter("dmi_writes", "accesses", "stores through DMI")) {}

  // Called from get_direct_mem_ptr when the DMI request is granted.
  void offer(tlm::tlm_generic_payload& trans) {
    DmiTrafficExtension* ext = nullptr;
    trans.get_extension(ext);
    if (!ext) return;
    ext->read = {&read_bits_.value, &reads_.value};
    ext->write = {&write_bits_.value, &writes_.value};
  }

 private:
  Counter& read_bits_;
  Counter& write_bits_;
  Counter& reads_;
  Counter& writes_;
};

}  // namespace flecsim
