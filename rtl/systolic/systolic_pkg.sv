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

  // CONFIG fields (spec section 4).
  localparam logic [1:0] DF_WS = 2'd0;
  localparam logic [1:0] DF_OS = 2'd1;
  localparam logic [1:0] DF_IS = 2'd2;  // the WS datapath with the operands' roles exchanged
  localparam logic [1:0] PREC_INT8 = 2'd0;
  localparam logic [1:0] PREC_INT16 = 2'd1;
  localparam logic [1:0] PREC_BF16 = 2'd2;
  localparam int MAX_POOL_ROWS = 9;

  // Bytes of one SP element, = SP rows per element row (the ONE place this is derived).
  function automatic int sp_elem_bytes(input logic [1:0] prec);
    return prec == PREC_INT8 ? 1 : 2;
  endfunction

  // ACC rows combined by a max-pooling MVOUT per output row (CONFIG[25:24]).
  function automatic int pool_rows(input logic [1:0] pool);
    case (pool)
      2'd1: return 2;
      2'd2: return 4;
      2'd3: return 9;
      default: return 1;
    endcase
  endfunction

  // One integer processing element's multiply-accumulate: int16 x int16 + int32, wrapping
  // (int8 operands arrive sign-extended).
  function automatic logic [31:0] pe_mac(input logic [31:0] p_in, input logic signed [15:0] a,
                                         input logic signed [15:0] w);
    return p_in + 32'(a) * 32'(w);
  endfunction

  localparam logic [31:0] FP_QNAN = 32'h7FC0_0000;

  // Subnormal inputs read as zero of the same sign (spec section 4, bf16).
  function automatic logic [31:0] fp_daz(input logic [31:0] x);
    return x[30:23] == 8'd0 ? {x[31], 31'd0} : x;
  endfunction

  // Exact product of two bf16 values as fp32; results below 2^-126 flush to signed zero.
  function automatic logic [31:0] bf_mul(input logic [15:0] a, input logic [15:0] b);
    logic sign = a[15] ^ b[15];
    logic a_zero = a[14:7] == 8'd0, b_zero = b[14:7] == 8'd0;  // zero or subnormal
    logic a_inf = a[14:7] == 8'hFF, b_inf = b[14:7] == 8'hFF;
    logic [15:0] prod;
    logic [22:0] mant;
    int e;
    if ((a_inf && a[6:0] != 0) || (b_inf && b[6:0] != 0)) return FP_QNAN;
    if (a_inf || b_inf) return (a_zero || b_zero) ? FP_QNAN : {sign, 8'hFF, 23'd0};
    if (a_zero || b_zero) return {sign, 31'd0};
    prod = {8'd1, a[6:0]} * {8'd1, b[6:0]};
    e = int'(a[14:7]) + int'(b[14:7]) - 127;
    if (prod[15]) begin
      mant = {prod[14:0], 8'd0};
      e = e + 1;
    end else mant = {prod[13:0], 9'd0};
    if (e >= 255) return {sign, 8'hFF, 23'd0};
    if (e <= 0) return {sign, 31'd0};
    return {sign, e[7:0], mant};
  endfunction

  // fp32 addition, round to nearest even, subnormal inputs and results flushed to zero of
  // the same sign, every NaN result FP_QNAN (spec section 4, bf16).
  function automatic logic [31:0] fp_add(input logic [31:0] x_in, input logic [31:0] y_in);
    logic [31:0] x = fp_daz(x_in), y = fp_daz(y_in), big, sml;
    logic x_nan = x[30:23] == 8'hFF && x[22:0] != 0, y_nan = y[30:23] == 8'hFF && y[22:0] != 0;
    logic [26:0] mb, ms, ms_full;  // 1.23 significand and guard, round, sticky bits
    logic [27:0] sum;
    int d, lz, e;
    logic round_up;
    logic [24:0] mant;
    if (x_nan || y_nan) return FP_QNAN;
    if (x[30:23] == 8'hFF && y[30:23] == 8'hFF) return x[31] == y[31] ? x : FP_QNAN;
    if (x[30:23] == 8'hFF) return x;
    if (y[30:23] == 8'hFF) return y;
    if (x[30:0] == 0) return y[30:0] == 0 ? {x[31] & y[31], 31'd0} : y;
    if (y[30:0] == 0) return x;
    if (x[30:0] >= y[30:0]) begin
      big = x;
      sml = y;
    end else begin
      big = y;
      sml = x;
    end
    d = int'(big[30:23]) - int'(sml[30:23]);
    mb = {1'b1, big[22:0], 3'd0};
    ms_full = {1'b1, sml[22:0], 3'd0};
    if (d >= 27) ms = 27'd1;  // only the sticky bit remains
    else begin
      ms = ms_full >> d;
      ms[0] = ms[0] | ((ms_full & ((27'd1 << d) - 27'd1)) != 0);
    end
    e = int'(big[30:23]);
    if (big[31] == sml[31]) begin
      sum = {1'b0, mb} + {1'b0, ms};
      if (sum[27]) begin
        sum = {1'b0, sum[27:2], sum[1] | sum[0]};
        e = e + 1;
      end
    end else begin
      sum = {1'b0, mb} - {1'b0, ms};
      if (sum == 0) return 32'd0;
      lz = 0;
      for (int k = 26; k >= 0; k--)
        if (sum[k]) begin
          lz = 26 - k;
          break;
        end
      sum = sum << lz;
      e = e - lz;
    end
    if (e <= 0) return {big[31], 31'd0};  // exact and below the normal range
    round_up = sum[2] & (sum[1] | sum[0] | sum[3]);
    mant = {1'b0, sum[26:3]} + 25'(round_up);
    if (mant[24]) begin
      mant = mant >> 1;
      e = e + 1;
    end
    if (e >= 255) return {big[31], 8'hFF, 23'd0};
    return {big[31], e[7:0], mant[22:0]};
  endfunction

  // fp32 -> bf16, round to nearest even; subnormals flush to zero, NaN -> 0x7FC0.
  function automatic logic [15:0] to_bf16(input logic [31:0] x_in);
    logic [31:0] x = fp_daz(x_in);
    /* verilator lint_off UNUSEDSIGNAL */  // the rounded-away half
    logic [31:0] r;
    /* verilator lint_on UNUSEDSIGNAL */
    if (x[30:23] == 8'hFF && x[22:0] != 0) return 16'h7FC0;
    r = x + 32'h7FFF + 32'(x[16]);
    return r[31:16];
  endfunction

  // Signed key whose order is the IEEE total order of fp32 bit patterns (max-pool, ReLU6).
  function automatic logic signed [31:0] fp_key(input logic [31:0] x);
    return x[31] ? {1'b1, ~x[30:0]} : x;
  endfunction

  // Requantisation of one integer accumulator value (spec section 4, MVOUT), saturated to
  // int8 (wide = 0) or int16 (wide = 1) and returned sign-extended.
  function automatic logic [31:0] requant(input logic signed [31:0] acc,
                                          input logic signed [31:0] mult, input logic [5:0] shift,
                                          input logic [1:0] act, input logic signed [7:0] relu6_max,
                                          input logic wide);
    logic signed [63:0] p;
    logic signed [63:0] q;
    logic signed [63:0] lo = wide ? -64'sd32768 : -64'sd128;
    logic signed [63:0] hi = wide ? 64'sd32767 : 64'sd127;
    p = 64'(acc) * 64'(mult);
    if (shift == 6'd0) q = p;
    else q = (p + (64'sd1 <<< (shift - 6'd1))) >>> shift;
    if (act == 2'd1 && q < 0) q = 0;
    if (act == 2'd2) begin
      if (q < 0) q = 0;
      else if (q > 64'(relu6_max)) q = 64'(relu6_max);
    end
    if (q < lo) q = lo;
    else if (q > hi) q = hi;
    return q[31:0];
  endfunction

  // The exact bf16 value of an int8.
  function automatic logic [15:0] int8_to_bf16(input logic signed [7:0] v);
    logic [7:0] m = v < 0 ? 8'(-v) : 8'(v);
    if (v == 0) return 16'd0;
    for (int k = 7; k >= 0; k--)
      if (m[k]) return {v[7], 8'(127 + k), 7'((16'(m) << (7 - k)) & 16'h7F)};
    return 16'd0;
  endfunction

  // bf16 output of one fp32 accumulator value with the activation (spec section 4, MVOUT).
  function automatic logic [15:0] bf16_out(input logic [31:0] acc, input logic [1:0] act,
                                           input logic signed [7:0] relu6_max);
    logic [15:0] v = to_bf16(acc);
    logic [15:0] cap = int8_to_bf16(relu6_max);
    if (act != 2'd0 && v[15]) v = 16'd0;
    if (act == 2'd2 && fp_key({v, 16'd0}) > fp_key({cap, 16'd0})) v = cap;
    return v;
  endfunction
endpackage
