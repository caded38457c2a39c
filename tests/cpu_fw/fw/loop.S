// Runaway firmware: spins forever, to be stopped by --max-instructions or the watchdog.
#include "test.h"
TEST_BEGIN
spin:
  addi a0, a0, 1
  j spin
TEST_END
