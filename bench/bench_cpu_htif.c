/* Minimal bare-metal runtime for the CPU benchmark ELFs of tools/bench_cpu.sh, so the same ELF
 * runs on flecsim and on qemu-system-riscv32 -machine spike: start-up, picolibc stdout through
 * the riscv-tests HTIF syscall block (SYS_write, one call per line), and exit through tohost.
 * qemu 7.2's HTIF does not proxy syscalls ("pk syscall proxy not supported"), so the wait for
 * fromhost is bounded: there the output is lost, the run is not. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

volatile uint64_t tohost __attribute__((section(".tohost"), aligned(64)));
volatile uint64_t fromhost __attribute__((section(".tohost"), aligned(64)));

static volatile uint64_t magic_mem[8] __attribute__((aligned(64)));

static void htif_write(const char* buf, unsigned len) {
  magic_mem[0] = 64; /* SYS_write */
  magic_mem[1] = 1;  /* stdout */
  magic_mem[2] = (uintptr_t)buf;
  magic_mem[3] = len;
  __sync_synchronize();
  tohost = (uintptr_t)magic_mem;
  for (int i = 0; i < 64 && fromhost == 0; ++i) {
  }
  fromhost = 0;
  tohost = 0;
}

static char line[128];
static unsigned line_len;

static int bench_putc(char c, FILE* f) {
  (void)f;
  line[line_len++] = c;
  if (c == '\n' || line_len == sizeof line) {
    htif_write(line, line_len);
    line_len = 0;
  }
  return (unsigned char)c;
}

static FILE bench_stdout = FDEV_SETUP_STREAM(bench_putc, NULL, NULL, _FDEV_SETUP_WRITE);
FILE* const stdout = &bench_stdout;

void _exit(int code) {
  tohost = ((uint64_t)(unsigned)code << 1) | 1;
  for (;;) {
  }
}

int main(void);
extern char __bss_start[], _end[];

void bench_start(void) {
  for (char* p = __bss_start; p < _end; ++p) *p = 0;
  exit(main());
}
