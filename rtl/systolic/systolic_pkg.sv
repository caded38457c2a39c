// Encodings shared by the systolic array RTL (docs/accelerators/systolic.md sections 3, 4, 6).
package systolic_pkg;
  localparam logic [7:0] OP_CONFIG = 8'h01;
  localparam logic [7:0] OP_MVIN = 8'h02;
  localparam logic [7:0] OP_MVOUT = 8'h03;
  localparam logic [7:0] OP_PRELOAD = 8'h04;
  localparam logic [7:0] OP_COMPUTE = 8'h05;
  localparam logic [7:0] OP_FENCE = 8'h08;
  localparam logic [7:0] OP_LOOP_MATMUL = 8'h06;
  localparam logic [7:0] OP_LOOP_CONV = 8'h07;
  // Internal micro-command of the loop sequencer (a CMD with this opcode is ILLEGAL_OPCODE).
  localparam logic [7:0] OP_FILL = 8'hF1;
  localparam int LOOP_ARGS = 14;  // LOOP_ARG0..13 (spec section 10)

  localparam logic [7:0] ERR_NONE = 8'd0;
  localparam logic [7:0] ERR_ILLEGAL_OPCODE = 8'd1;
  localparam logic [7:0] ERR_ADDR_RANGE = 8'd2;
  localparam logic [7:0] ERR_BAD_ARG = 8'd3;
  localparam logic [7:0] ERR_BAD_CONFIG = 8'd4;
  localparam logic [7:0] ERR_FIFO_OVERFLOW = 8'd5;
  localparam logic [7:0] ERR_MEM = 8'd6;

  localparam logic [11:0] REG_ID = 12'h000;
  localparam logic [11:0] REG_CAPS = 12'h004;
  localparam logic [11:0] REG_STATUS = 12'h008;
  localparam logic [11:0] REG_ERROR = 12'h00C;
  localparam logic [11:0] REG_IRQ_ENABLE = 12'h010;
  localparam logic [11:0] REG_IRQ_STATUS = 12'h014;
  localparam logic [11:0] REG_DONE_COUNT = 12'h018;
  localparam logic [11:0] REG_SIZES = 12'h01C;
  localparam logic [11:0] REG_ARG0 = 12'h020;
  localparam logic [11:0] REG_ARG1 = 12'h024;
  localparam logic [11:0] REG_ARG2 = 12'h028;
  localparam logic [11:0] REG_ARG3 = 12'h02C;
  localparam logic [11:0] REG_CMD = 12'h030;
  localparam logic [11:0] REG_LOOP_ARG0 = 12'h040;  // .. 0x074

  localparam logic [31:0] ID_VALUE = 32'h5359_5331;

  // One processing element's multiply-accumulate: int8 x int8 + int32, wrapping.
  function automatic logic [31:0] pe_mac(input logic [31:0] p_in, input logic signed [7:0] a,
                                         input logic signed [7:0] w);
    return p_in + 32'(a) * 32'(w);
  endfunction

  // Requantisation of one accumulator value (spec section 4, MVOUT).
  function automatic logic [7:0] requant(input logic signed [31:0] acc,
                                         input logic signed [31:0] mult, input logic [5:0] shift,
                                         input logic [1:0] act, input logic signed [7:0] relu6_max);
    logic signed [63:0] p;
    logic signed [63:0] q;
    p = 64'(acc) * 64'(mult);
    if (shift == 6'd0) q = p;
    else q = (p + (64'sd1 <<< (shift - 6'd1))) >>> shift;
    if (act == 2'd1 && q < 0) q = 0;
    if (act == 2'd2) begin
      if (q < 0) q = 0;
      else if (q > 64'(relu6_max)) q = 64'(relu6_max);
    end
    if (q < -64'sd128) q = -64'sd128;
    else if (q > 64'sd127) q = 64'sd127;
    return q[7:0];
  endfunction
endpackage
