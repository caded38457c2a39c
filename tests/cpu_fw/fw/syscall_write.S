// riscv-tests style HTIF console output: tohost = address of a syscall block
// {SYS_write=64, fd=1, buffer, length} of 64-bit words; the host answers through fromhost.
#include "test.h"
TEST_BEGIN
  la a0, magic_mem
  la t0, tohost
  sw a0, 0(t0)
  sw zero, 4(t0)
  la t1, fromhost
wait:
  lw t2, 0(t1)
  beqz t2, wait
  sw zero, 0(t1)
  // Result of the syscall (bytes written) is stored back in magic_mem[0].
  la t0, magic_mem
  lw a1, 0(t0)
  CHECK(1, a1, 14)
TEST_END
  .data
  .balign 8
magic_mem:
  .word 64, 0, 1, 0, message, 0, 14, 0
message:
  .ascii "hello, htif!\n\n"
