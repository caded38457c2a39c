// Commands as firmware queues them, and the record of their completion.
// Shared by every command-driven accelerator and by the RTL regression (sim/accel/regress).
#pragma once
#include <cstdint>
#include <vector>

namespace flecsim {

// One queued command: the command word firmware wrote, the argument words written before it,
// and the cycle (of the accelerator's clock) in which the command word was written.
struct Command {
  uint32_t word = 0;
  std::vector<uint32_t> args;
  uint64_t enqueue_cycle = 0;
  uint64_t seq = 0;  // number of pushes (accepted or not) before this one since reset
};

// What a command did: when it ran and whether it failed. `end_cycle` is the cycle the spec
// defines as the command's completion; the regression compares it between models.
struct CommandCompletion {
  uint64_t seq = 0;
  uint32_t opcode = 0;
  uint32_t word = 0;  // the whole command word
  uint64_t enqueue_cycle = 0;
  uint64_t start_cycle = 0;
  uint64_t end_cycle = 0;
  uint32_t error = 0;  // 0 = ok, else the accelerator's error code

  bool operator==(const CommandCompletion& o) const {
    return seq == o.seq && opcode == o.opcode && end_cycle == o.end_cycle && error == o.error;
  }
};

}  // namespace flecsim
