// Exact cycle count under the timing of TimingTest.ExactCyclesOfAShortProgram: every class
// used once or more, a taken and a not-taken branch, a load-use stall and DMI latencies.
  .section .text.init, "ax", @progbits
  .globl _start
  .option norvc
_start:
  li a0, 3              // alu                                   1
1:addi a0, a0, -1       // alu x3                                3
  bnez a0, 1b           // taken x2 (3), not taken x1 (1)        7
  la t0, data           // auipc + addi                          2
  lw a1, 0(t0)          // load 2 + RAM read latency 2           4
  addi a2, a1, 1        // alu 1 + load-use penalty 2            3
  mul a3, a2, a2        // mul                                   4
  div a4, a3, a2        // div                                   10
  sw a4, 4(t0)          // store 1 + RAM write latency 1         2
  jal ra, 2f            // jump                                  2
2:la t1, tohost         // auipc + addi                          2
  li t2, 1              // alu                                   1
  sw t2, 0(t1)          // store + latency                       2   total 43 cycles, 19 insns
3:j 3b

  .section .tohost, "aw", @progbits
  .globl tohost
tohost: .word 0, 0
  .data
data: .word 6, 0
