// Exits through HTIF with code 3: flecsim must exit 3.
#include "test.h"
TEST_BEGIN
  li a0, (3 << 1) | 1
  j write_tohost
TEST_END
