// ELF reading and loading: the programs built by this folder's CMakeLists, malformed files, and
// small images assembled here byte by byte (so bss zeroing and bounds checks are exact).
#include <elf.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "core/error.h"
#include "core/time.h"
#include "cpu/elf.h"
#include "platform/platform.h"

namespace flecsim {
namespace {

const std::string kElfDir = CPU_FW_ELF_DIR;
const std::string kEdgeNpu = std::string(FLECSIM_SOURCE_DIR) + "/platforms/edge-npu.yaml";

// The message of the UserError `fn` throws ("" if none).
template <typename Fn>
std::string user_error(Fn fn) {
  try {
    fn();
  } catch (const UserError& e) {
    EXPECT_EQ(e.code(), kExitUserError);
    return e.what();
  }
  return "";
}

// A one-segment RV32 executable: `data` at paddr, memsz bytes in memory.
std::vector<uint8_t> make_elf(uint32_t paddr, const std::vector<uint8_t>& data, uint32_t memsz) {
  Elf32_Ehdr eh{};
  std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = ELFCLASS32;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  eh.e_ident[EI_VERSION] = EV_CURRENT;
  eh.e_type = ET_EXEC;
  eh.e_machine = EM_RISCV;
  eh.e_version = EV_CURRENT;
  eh.e_entry = paddr;
  eh.e_phoff = sizeof(Elf32_Ehdr);
  eh.e_ehsize = sizeof(Elf32_Ehdr);
  eh.e_phentsize = sizeof(Elf32_Phdr);
  eh.e_phnum = 1;
  Elf32_Phdr ph{};
  ph.p_type = PT_LOAD;
  ph.p_offset = sizeof(Elf32_Ehdr) + sizeof(Elf32_Phdr);
  ph.p_vaddr = ph.p_paddr = paddr;
  ph.p_filesz = static_cast<uint32_t>(data.size());
  ph.p_memsz = memsz;
  ph.p_flags = PF_R | PF_W | PF_X;
  std::vector<uint8_t> bytes(ph.p_offset + data.size());
  std::memcpy(bytes.data(), &eh, sizeof eh);
  std::memcpy(bytes.data() + sizeof eh, &ph, sizeof ph);
  std::copy(data.begin(), data.end(), bytes.begin() + ph.p_offset);
  return bytes;
}

TEST(Elf, ReadsEntrySegmentsAndSymbolsOfABuiltProgram) {
  ElfImage image = read_elf(kElfDir + "/signature.elf");
  EXPECT_EQ(image.entry, 0x80000000u);
  ASSERT_EQ(image.segments.size(), 1u);
  EXPECT_EQ(image.segments[0].paddr, 0x80000000u);
  EXPECT_TRUE(image.segments[0].executable);
  // link.ld puts .tohost at the first 64-byte boundary after .text.init, fromhost 64 later.
  ASSERT_TRUE(image.symbol("tohost"));
  EXPECT_EQ(*image.symbol("tohost") % 64, 0u);
  EXPECT_EQ(*image.symbol("fromhost"), *image.symbol("tohost") + 64);
  EXPECT_EQ(*image.symbol("end_signature") - *image.symbol("begin_signature"), 16u);
  EXPECT_EQ(image.symbol_at(*image.symbol("_start")), "_start");
  EXPECT_EQ(image.symbol_at(*image.symbol("tohost") + 4), "tohost+0x4");
  EXPECT_FALSE(image.symbol("no_such_symbol"));
}

TEST(Elf, RejectsBadFilesNamingThem) {
  EXPECT_EQ(user_error([] { read_elf(kElfDir + "/missing.elf"); }),
            kElfDir + "/missing.elf: cannot open the program: No such file or directory");
  EXPECT_EQ(user_error([] { read_elf(kElfDir + "/not_elf.elf"); }),
            kElfDir + "/not_elf.elf: not an ELF file (no \\x7fELF magic)");
  EXPECT_EQ(user_error([] { read_elf(kElfDir + "/rv64.elf"); }),
            kElfDir +
                "/rv64.elf: 64-bit ELF; flecsim runs 32-bit RISC-V (RV32) programs (build "
                "with -march=rv32...)");
  EXPECT_EQ(user_error([] { read_elf(kElfDir + "/not_riscv.elf"); }),
            kElfDir + "/not_riscv.elf: not a RISC-V ELF (e_machine 40, expected 243)");
  EXPECT_NE(user_error([] {
              read_elf(kElfDir + "/truncated.elf");
            }).find("truncated.elf: truncated file: segment data at offset 0x1000"),
            std::string::npos);
}

TEST(Elf, ChecksEveryOffsetAgainstTheFileSize) {
  auto bytes = make_elf(0x80000000, {1, 2, 3, 4}, 4);
  EXPECT_EQ(user_error([&] {
              parse_elf({bytes.begin(), bytes.begin() + 20}, "x.elf");
            }),
            "x.elf: truncated file: ELF header at offset 0x0 (+52 bytes) is past the end of the "
            "file (20 bytes)");
  EXPECT_EQ(user_error([&] {
              parse_elf({bytes.begin(), bytes.begin() + 60}, "x.elf");
            }),
            "x.elf: truncated file: program header at offset 0x34 (+32 bytes) is past the end of "
            "the file (60 bytes)");
  auto huge = bytes;
  huge[sizeof(Elf32_Ehdr) + offsetof(Elf32_Phdr, p_offset) + 3] = 0xff;  // offset 0xff000054
  EXPECT_EQ(user_error([&] { parse_elf(huge, "x.elf"); }),
            "x.elf: truncated file: segment data at offset 0xff000054 (+4 bytes) is past the end "
            "of the file (88 bytes)");
  auto wrong_sizes = make_elf(0x80000000, {1, 2, 3, 4}, 2);
  EXPECT_EQ(user_error([&] { parse_elf(wrong_sizes, "x.elf"); }),
            "x.elf: segment at 0x80000000 has p_filesz > p_memsz");
  auto relocatable = bytes;
  relocatable[offsetof(Elf32_Ehdr, e_type)] = ET_REL;
  EXPECT_EQ(user_error([&] { parse_elf(relocatable, "x.o"); }),
            "x.o: not an executable ELF (e_type 1); link the program into an executable");
}

class ElfLoad : public ::testing::Test {
 protected:
  void SetUp() override {
    fresh_simulation();
    platform_ = Platform::load(kEdgeNpu);
  }
  std::unique_ptr<Platform> platform_;
};

TEST_F(ElfLoad, CopiesDataAndZeroesBss) {
  std::vector<uint8_t> garbage(32, 0xee);
  platform_->write_phys(0x80001000, garbage.data(), garbage.size());
  load_elf(parse_elf(make_elf(0x80001000, {1, 2, 3, 4, 5}, 24), "bss.elf"), *platform_);
  uint8_t got[32];
  platform_->read_phys(0x80001000, got, sizeof got);
  const uint8_t expected[32] = {1, 2, 3,    4,    5,    0,    0,    0,    0,    0,   0,
                                0, 0, 0,    0,    0,    0,    0,    0,    0,    0,   0,
                                0, 0, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee};
  EXPECT_EQ(std::memcmp(got, expected, sizeof got), 0);
}

TEST_F(ElfLoad, LoadsIntoSramToo) {
  load_elf(parse_elf(make_elf(0x10000010, {0xaa, 0xbb}, 2), "sram.elf"), *platform_);
  uint8_t got[2];
  platform_->read_phys(0x10000010, got, 2);
  EXPECT_EQ(got[0], 0xaa);
  EXPECT_EQ(got[1], 0xbb);
}

TEST_F(ElfLoad, RejectsASegmentOutsideEveryMemory) {
  EXPECT_EQ(user_error([&] {
              load_elf(parse_elf(make_elf(0x40000000, {1, 2, 3, 4}, 0x100), "far.elf"), *platform_);
            }),
            "far.elf: segment [0x40000000, 0x40000100) is outside every memory of platform "
            "'edge-npu'; link the program for the platform's address map");
  // Starting inside SRAM (512 KiB at 0x10000000) but running past its end is outside too.
  EXPECT_NE(user_error([&] {
              load_elf(parse_elf(make_elf(0x1007fff0, {1}, 0x20), "edge.elf"), *platform_);
            }).find("segment [0x1007fff0, 0x10080010) is outside every memory"),
            std::string::npos);
}

}  // namespace
}  // namespace flecsim
