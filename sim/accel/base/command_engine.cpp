#include "accel/base/command_engine.h"

#include <algorithm>

namespace flecsim {

bool CommandEngine::push(uint32_t word, std::vector<uint32_t> args, uint64_t cycle) {
  advance(cycle);
  uint64_t seq = next_seq_++;
  if (occupancy(cycle) >= depth_) return false;
  Command cmd;
  cmd.word = word;
  cmd.args = std::move(args);
  cmd.enqueue_cycle = cycle;
  cmd.seq = seq;
  pending_.push_back(std::move(cmd));
  return true;
}

uint64_t CommandEngine::start_cycle(const Command& cmd, uint64_t prev_end) const {
  return std::max(cmd.enqueue_cycle + 1, prev_end + 1);
}

void CommandEngine::run_head() {
  Command cmd = std::move(pending_.front());
  pending_.pop_front();
  uint64_t start = start_cycle(cmd, last_end_);
  CommandCompletion c = execute(cmd, start);
  c.seq = cmd.seq;
  c.word = cmd.word;
  c.enqueue_cycle = cmd.enqueue_cycle;
  c.start_cycle = start;
  last_end_ = c.end_cycle;
  done_.push_back(c);
}

void CommandEngine::advance(uint64_t cycle) {
  while (!pending_.empty() && start_cycle(pending_.front(), last_end_) <= cycle) run_head();
}

uint64_t CommandEngine::drain() {
  while (!pending_.empty()) run_head();
  return last_end_;
}

std::optional<uint64_t> CommandEngine::next_event(uint64_t after) const {
  std::optional<uint64_t> best;
  auto consider = [&](uint64_t c) {
    if (c > after && (!best || c < *best)) best = c;
  };
  if (!pending_.empty()) consider(start_cycle(pending_.front(), last_end_));
  for (auto it = done_.rbegin(); it != done_.rend() && it->end_cycle >= after; ++it)
    consider(it->end_cycle + 1);
  return best;
}

size_t CommandEngine::occupancy(uint64_t cycle) const {
  size_t n = 0;
  for (const auto& cmd : pending_)
    if (cmd.enqueue_cycle < cycle) ++n;
  for (auto it = done_.rbegin(); it != done_.rend() && it->start_cycle >= cycle; ++it)
    if (it->enqueue_cycle < cycle) ++n;
  return n;
}

bool CommandEngine::busy(uint64_t cycle) const {
  if (!pending_.empty() && pending_.front().enqueue_cycle < cycle) return true;
  for (auto it = done_.rbegin(); it != done_.rend() && it->end_cycle >= cycle; ++it)
    if (it->enqueue_cycle < cycle) return true;
  return false;
}

uint64_t CommandEngine::completed_by(uint64_t cycle) const {
  uint64_t n = done_.size();
  for (auto it = done_.rbegin(); it != done_.rend() && it->end_cycle >= cycle; ++it) --n;
  return n;
}

uint64_t CommandEngine::quiet_until(uint64_t cycle) const {
  uint64_t until = ~0ull;
  auto consider = [&](uint64_t c) {
    if (c > cycle && c < until) until = c;
  };
  if (!pending_.empty()) consider(start_cycle(pending_.front(), last_end_));
  for (const auto& cmd : pending_) consider(cmd.enqueue_cycle + 1);  // P + 1: enters the FIFO
  // Started commands: leave the FIFO at S + 1, complete at C + 1 (S < C, in order).
  for (auto it = done_.rbegin(); it != done_.rend() && it->end_cycle >= cycle; ++it) {
    consider(it->start_cycle + 1);
    consider(it->end_cycle + 1);
  }
  return until;
}

void CommandEngine::reset() {
  next_seq_ = 0;
  last_end_ = 0;
  pending_.clear();
  done_.clear();
}

}  // namespace flecsim
