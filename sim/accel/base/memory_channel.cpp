#include "accel/base/memory_channel.h"

#include <cstring>

#include "core/error.h"

namespace flecsim {

BlockResult MemoryChannel::read_block(uint64_t earliest_cycle, const MemBlock& block) {
  // Each beat lands in a bounce buffer first: a failed beat must leave the local bytes
  // untouched whatever the target did with the payload.
  uint8_t bounce[256];
  if (block.beat_bytes > sizeof bounce) throw InternalError("DMA beat wider than 256 bytes");
  return walk_beats(earliest_cycle, block,
                    [&](uint64_t issue, uint64_t addr, uint8_t* local, uint32_t len) {
                      MemResult m = read(issue, addr, bounce, len);
                      if (m.ok) std::memcpy(local, bounce, len);
                      return m;
                    });
}

BlockResult MemoryChannel::write_block(uint64_t earliest_cycle, const MemBlock& block) {
  return walk_beats(earliest_cycle, block,
                    [&](uint64_t issue, uint64_t addr, uint8_t* local, uint32_t len) {
                      return write(issue, addr, local, len);
                    });
}

}  // namespace flecsim
