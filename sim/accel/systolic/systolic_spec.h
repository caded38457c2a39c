// Constants of docs/accelerators/systolic.md: register offsets, opcodes, error codes, field
// layouts. Shared by the C++ model, the regression's stream generator and the firmware HAL
// (which has its own C copy in workloads/firmware/hal/systolic.h).
#pragma once
#include <cstdint>

namespace flecsim::systolic {

constexpr uint32_t kId = 0x53595331;  // "SYS1"
constexpr uint32_t kFifoDepth = 8;

enum Reg : uint32_t {
  kRegId = 0x00,
  kRegCaps = 0x04,
  kRegStatus = 0x08,
  kRegError = 0x0C,
  kRegIrqEnable = 0x10,
  kRegIrqStatus = 0x14,
  kRegDoneCount = 0x18,
  kRegSpRows = 0x1C,
  kRegArg0 = 0x20,
  kRegArg1 = 0x24,
  kRegArg2 = 0x28,
  kRegArg3 = 0x2C,
  kRegCmd = 0x30,
  kRegLoopArg0 = 0x40,  // LOOP_ARG0..13 at 0x40 + 4i
};

enum Opcode : uint32_t {
  kOpConfig = 0x01,
  kOpMvin = 0x02,
  kOpMvout = 0x03,
  kOpPreload = 0x04,
  kOpCompute = 0x05,
  kOpLoopMatmul = 0x06,
  kOpLoopConv = 0x07,
  kOpFence = 0x08,
};
constexpr uint32_t kCmdIrqOnDone = 1u << 8;

enum ErrorCode : uint32_t {
  kErrNone = 0,
  kErrIllegalOpcode = 1,
  kErrAddrRange = 2,
  kErrBadArg = 3,
  kErrBadConfig = 4,
  kErrFifoOverflow = 5,
  kErrMemError = 6,
};

constexpr uint32_t kIrqDone = 1u << 0;
constexpr uint32_t kIrqError = 1u << 1;
constexpr uint32_t kStatusBusy = 1u << 0;
constexpr uint32_t kStatusError = 1u << 1;
constexpr uint32_t kStatusIrq = 1u << 2;

enum Activation : uint32_t { kActNone = 0, kActRelu = 1, kActRelu6 = 2 };
// IS runs on the WS datapath with the operands' roles exchanged (spec section 4).
enum Dataflow : uint32_t { kDataflowWs = 0, kDataflowOs = 1, kDataflowIs = 2 };
enum Precision : uint32_t { kPrecInt8 = 0, kPrecInt16 = 1, kPrecBf16 = 2 };
enum Pool : uint32_t { kPoolOff = 0, kPool2 = 1, kPool4 = 2, kPool9 = 3 };

// Bytes of one SP element of `precision` = SP rows one element row occupies (spec section 2;
// the one place this is derived). Also the element size of a requantised MVOUT.
constexpr uint32_t sp_elem_bytes(uint32_t precision) {
  return precision == kPrecInt8 ? 1 : 2;
}
// ACC rows a max-pooling MVOUT combines into one output row (CONFIG[25:24]).
constexpr uint32_t pool_rows(uint32_t pool) {
  return pool == kPool2 ? 2 : pool == kPool4 ? 4 : pool == kPool9 ? 9 : 1;
}

// CONFIG ARG0 fields.
constexpr uint32_t config_word(uint32_t dataflow, uint32_t precision, uint32_t activation,
                               uint32_t shift, int8_t relu6_max, uint32_t pool) {
  return (dataflow & 3) | (precision & 3) << 2 | (activation & 3) << 4 | (shift & 63) << 8 |
         uint32_t(uint8_t(relu6_max)) << 16 | (pool & 3) << 24;
}

const char* opcode_name(uint32_t opcode);

}  // namespace flecsim::systolic
