#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "periph/uart.h"
#include "periph_harness.h"

using namespace periph_test;
using namespace flecsim::uart_regs;

namespace {
std::string temp_dir() {
  std::string dir = std::string(FLECSIM_BINARY_DIR) + "/tests/periph/out";
  std::string cmd = "mkdir -p " + dir;
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  return dir;
}
std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
// 1 Mbaud: 10 bits per character = 10 us.
constexpr Tick kChar = 10 * kUs;
}  // namespace

TEST(Uart, TransmitsToStdoutAndLogWithFifoBackpressure) {
  std::string dir = temp_dir();
  std::filesystem::remove_all(dir + "/logs");  // the UART creates the log's directory
  Bench<Uart> b("uart", "baud: 1000000\ntx_fifo_depth: 2\nlog: logs/uart.log\n", dir);
  EXPECT_EQ(b.dev().char_time(), kChar);
  testing::internal::CaptureStdout();
  Tick done = 0;
  b.cpu->write(kTxData, 'a', 0, &done);
  EXPECT_EQ(done, kCycle);
  b.cpu->write(kTxData, 'b', 0, &done);
  EXPECT_EQ(done, kCycle);
  EXPECT_EQ(b.cpu->read(kStatus), kTxFull);
  EXPECT_EQ(b.cpu->read(kTxData), kFifoFlag);
  // FIFO full: the third write waits for 'a' to leave at 10 us.
  b.cpu->write(kTxData, '\n', 0, &done);
  EXPECT_EQ(done, kChar + kCycle);
  EXPECT_EQ(b.cpu->read(kStatus, 19 * kUs), kTxFull);  // 'b' until 20 us, '\n' until 30 us
  EXPECT_EQ(b.cpu->read(kStatus, 20 * kUs), 0u);
  EXPECT_EQ(b.cpu->read(kStatus, 30 * kUs), kTxEmpty);
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "ab\n");
  b.dev().finish();
  EXPECT_EQ(slurp(dir + "/logs/uart.log"), "ab\n");
  EXPECT_EQ(b.stats.find("dev0")->find("tx_stall_ps")->value, kChar);
  EXPECT_EQ(b.dev().transmitted(), 3u);
}

TEST(Uart, ReceivesFileAtBaudRateWithInterrupt) {
  std::string dir = temp_dir();
  { std::ofstream(dir + "/rx.bin") << "hi"; }
  Bench<Uart> b("uart", "baud: 1000000\necho: false\nrx_file: " + dir + "/rx.bin\n");
  IrqRecorder irq;
  irq.attach(b.dev().irq);
  EXPECT_EQ(b.cpu->read(kRxData), kFifoFlag);  // nothing arrived at time 0
  b.cpu->write(kIe, kIeRx);
  b.run_until(100 * kUs);
  ASSERT_EQ(irq.changes.size(), 1u);
  EXPECT_EQ(irq.changes[0].second, kChar);  // 'h' arrives after one character time
  EXPECT_EQ(b.cpu->read(kIp), kIeTx | kIeRx);
  EXPECT_EQ(b.cpu->read(kRxData), uint32_t{'h'});
  EXPECT_EQ(b.cpu->read(kRxData), uint32_t{'i'});
  EXPECT_FALSE(b.dev().irq.level());
  EXPECT_EQ(b.cpu->read(kRxData), kFifoFlag);
}

TEST(Uart, TxEmptyInterruptWhenFifoDrains) {
  Bench<Uart> b("uart", "baud: 1000000\necho: false\n");
  IrqRecorder irq;
  irq.attach(b.dev().irq);
  // Byte-wide store to TXDATA, issued 1 us into the quantum.
  uint8_t c = 'x';
  ASSERT_EQ(b.cpu->access(true, kTxData, &c, 1, kUs), tlm::TLM_OK_RESPONSE);
  b.cpu->write(kIe, kIeTx, kUs);
  EXPECT_FALSE(b.dev().irq.level());
  b.run_until(50 * kUs);
  ASSERT_EQ(irq.changes.size(), 1u);
  EXPECT_EQ(irq.changes[0].second, kUs + kChar);
  b.cpu->write(kIe, 0);
  EXPECT_FALSE(b.dev().irq.level());
}

TEST(Uart, BadRxFileIsAUserError) {
  flecsim::fresh_simulation();
  flecsim::StatsRegistry stats;
  flecsim::BuildContext ctx;
  ctx.stats = &stats;
  flecsim::ComponentRegistry registry;
  flecsim::register_periph_kinds(registry);
  flecsim::Config cfg(flecsim::parse_yaml_text("rx_file: /nonexistent/x\n", "u.yaml"),
                      "peripherals.uart0");
  try {
    registry.find("uart")->factory("uart0", cfg, ctx);
    FAIL() << "no error";
  } catch (const flecsim::UserError& e) {
    EXPECT_EQ(std::string(e.what()),
              "u.yaml:1:10: peripherals.uart0.rx_file: cannot read '/nonexistent/x'");
  }
}
