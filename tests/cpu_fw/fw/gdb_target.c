// Program debugged by the gdb test: main() is the breakpoint, `gdb_data` the memory read.
volatile unsigned gdb_data[4] = {0x11223344, 0xcafef00d, 0x0badc0de, 0x600df00d};
volatile unsigned long long tohost __attribute__((section(".tohost"), aligned(64)));
volatile unsigned long long fromhost __attribute__((section(".tohost"), aligned(64)));

static unsigned accumulate(unsigned n) {
  unsigned sum = 0;
  for (unsigned i = 0; i < n; ++i) sum += gdb_data[i & 3] ^ i;
  return sum;
}

int main(void) {
  // The first statement: gdb's `break main` stops here, and one stepi must give t0 = 0x12345000
  // and pc + 4 (uncompressed on purpose).
  __asm__ volatile(".option push\n.option norvc\nlui t0, 0x12345\naddi t0, t0, 0x678\n.option pop"
                   ::: "t0");
  unsigned sum = accumulate(100);
  gdb_data[0] = sum;
  return 7;  // the exit code the test expects
}
