// Loop sequencer of the systolic array: expands LOOP_MATMUL / LOOP_CONV into micro-commands
// (MVIN, PRELOAD, COMPUTE, MVOUT, FILL) in the order of docs/accelerators/systolic.md
// section 10. It holds the current micro-command on m_*; the engine takes it (advance) when
// idle and executes it like a popped command. The C++ twin: sim/accel/systolic/systolic_loop.cpp.
module systolic_loop
  import systolic_pkg::*;
#(
    parameter int DIM = 4,
    parameter int SP_ROWS = 256,
    parameter int ACC_ROWS = 128
) (
    input logic clk,
    input logic rst,
    // The FIFO head: decoded and checked combinationally; latched when `start`.
    input logic [7:0] h_op,
    input logic [31:0] h_args[4],
    input logic [31:0] h_largs[LOOP_ARGS],
    output logic [7:0] h_err,  // ERR_NONE or ERR_BAD_ARG
    input logic start,
    input logic [2:0] elem_bytes,  // bytes per input/weight element (current precision)
    // The current micro-command; `advance` takes it (the last one clears `active`).
    input logic advance,
    output logic active,
    output logic [7:0] m_op,
    output logic [31:0] m_args[4]
);
  typedef struct packed {
    logic [31:0] x, w, y, bias;
    logic [15:0] h, wd, cg, mg, oh, ow;
    logic [7:0] kh, kw, sh, sw, pt, pl, dh, dw;
    logic [15:0] groups;
    logic [7:0] pad;
    logic bias_en, per_channel, raw;
    logic [31:0] x_pix, x_row, w_chan, w_tap, y_pix, y_chan, mult, shift;
  } params_t;

  /* verilator lint_off UNUSEDSIGNAL */  // LOOP_MATMUL leaves some argument fields unused
  function automatic params_t decode(input logic [7:0] op, input logic [31:0] a[4],
                                     input logic [31:0] l[LOOP_ARGS]);
    params_t p;
    p.x = a[0];
    p.w = a[1];
    p.y = a[2];
    p.bias = a[3];
    p.cg = l[1][15:0];
    p.mg = l[1][31:16];
    p.ow = l[2][31:16];
    {p.raw, p.per_channel, p.bias_en} = l[5][26:24];
    p.x_pix = l[6];
    p.w_chan = l[8];
    p.y_pix = l[10];
    p.y_chan = l[11];
    p.mult = l[12];
    p.shift = l[13];
    if (op == OP_LOOP_MATMUL) begin  // the 1x1 convolution of an M-pixel row
      {p.h, p.oh, p.wd} = {16'd1, 16'd1, p.ow};
      {p.kh, p.kw, p.sh, p.sw, p.dh, p.dw, p.pt, p.pl} = {8'd1, 8'd1, 8'd1, 8'd1, 8'd1, 8'd1, 16'd0};
      {p.groups, p.pad, p.x_row, p.w_tap} = {16'd1, 8'd0, 32'd0, 32'd0};
    end else begin
      {p.wd, p.h} = l[0];
      p.oh = l[2][15:0];
      {p.sw, p.sh, p.kw, p.kh} = l[3];
      {p.dw, p.dh, p.pl, p.pt} = l[4];
      p.groups = l[5][15:0];
      p.pad = l[5][23:16];
      p.x_row = l[7];
      p.w_tap = l[9];
    end
    return p;
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  params_t hp, p;
  assign hp = decode(h_op, h_args, h_largs);
  always_comb begin
    h_err = ERR_NONE;
    if (hp.h == 0 || hp.wd == 0 || hp.cg == 0 || hp.mg == 0 || hp.oh == 0 || hp.ow == 0 ||
        hp.kh == 0 || hp.kw == 0 || hp.sh == 0 || hp.sw == 0 || hp.dh == 0 || hp.dw == 0 ||
        hp.groups == 0 || (hp.per_channel && hp.raw))
      h_err = ERR_BAD_ARG;
  end

  // Tile of T pixels: whole output rows when they fit, else part of one row.
  localparam int T = ACC_ROWS - 2 < SP_ROWS - DIM ? ACC_ROWS - 2 : SP_ROWS - DIM;
  wire [15:0] h_tile_w = 32'(hp.ow) <= T ? hp.ow : 16'(T);
  wire [15:0] h_tile_h = 32'(hp.ow) <= T ? 16'(T / 32'(hp.ow)) : 16'd1;

  typedef enum logic [3:0] {
    P_TBL_M,  // per-channel multipliers -> ACC row ACC_ROWS-2
    P_TBL_S,  // per-channel shifts -> ACC row ACC_ROWS-1
    P_BIAS,   // bias into every ACC row of the tile
    P_W,      // weights of one K tile -> SP rows 0..kk-1
    P_PRE,    // PRELOAD 0
    P_ROW,    // first micro-command of A row segment r (FILL all, FILL left pad, or MVIN)
    P_ROWV,   // MVIN of the in-bounds pixels after a left pad
    P_ROWR,   // FILL of the right pad
    P_COMP,   // COMPUTE
    P_OUT     // MVOUT (one, or one per channel j)
  } phase_e;

  phase_e phase;
  logic [15:0] tile_w, tile_h, g, n0, oy0, ox0, c0, r, j;
  logic [7:0] ky, kx;

  // ---------------------------------------------------------------- derived values
  function automatic logic [15:0] min16(input logic [15:0] a, input logic [15:0] b);
    return a < b ? a : b;
  endfunction
  wire [15:0] nn = min16(16'(DIM), p.mg - n0);
  wire [31:0] ch = 32'(g) * 32'(p.mg) + 32'(n0);
  wire [15:0] th = min16(tile_h, p.oh - oy0);
  wire [15:0] tw = min16(tile_w, p.ow - ox0);
  wire [15:0] mm = 16'(32'(th) * 32'(tw));
  wire [15:0] kk = min16(16'(DIM), p.cg - c0);
  wire [31:0] e_bytes = 32'(elem_bytes);
  // In-bounds output columns lo <= ox < hi of tap column kx, clamped to the tile.
  wire signed [31:0] kx_off = $signed(32'(kx) * 32'(p.dw));
  wire signed [31:0] lo_a = $signed(32'(p.pl)) - kx_off;
  wire signed [31:0] hi_b = $signed(32'(p.wd)) - 1 + $signed(32'(p.pl)) - kx_off;
  wire [31:0] lo = lo_a <= 0 ? 32'd0 : (32'(lo_a) + 32'(p.sw) - 1) / 32'(p.sw);
  wire [31:0] hi = hi_b < 0 ? 32'd0 : 32'(hi_b) / 32'(p.sw) + 1;
  wire [31:0] t_end = 32'(ox0) + 32'(tw);
  wire [31:0] vlo = lo < 32'(ox0) ? 32'(ox0) : (lo > t_end ? t_end : lo);
  wire [31:0] vhi = hi < vlo ? vlo : (hi > t_end ? t_end : hi);
  wire signed [31:0] iy = $signed((32'(oy0) + 32'(r)) * 32'(p.sh)) - $signed(32'(p.pt)) +
      $signed(32'(ky) * 32'(p.dh));
  wire row_all_pad = iy < 0 || iy >= $signed(32'(p.h)) || vlo == vhi;
  wire left_pad = vlo > 32'(ox0);
  wire right_pad = vhi < t_end;
  wire [15:0] row_base = 16'(DIM + 32'(r) * 32'(tw));
  wire [31:0] ix = vlo * 32'(p.sw) - 32'(p.pl) + 32'(kx_off);
  wire [31:0] c_abs = 32'(g) * 32'(p.cg) + 32'(c0);
  wire first_k = ky == 0 && kx == 0 && c0 == 0;
  wire [31:0] oe = p.raw ? 32'd4 : 32'd1;
  wire chan_outs = p.y_chan != oe;  // one MVOUT per output channel
  wire [31:0] p0 = 32'(oy0) * 32'(p.ow) + 32'(ox0);
  wire [31:0] out_flags = {14'd0, p.per_channel, p.raw, 16'd0};

  // ---------------------------------------------------------------- the micro-command
  function automatic logic [31:0] rc(input logic [15:0] rows, input logic [15:0] cols);
    return {cols, rows};
  endfunction
  task automatic put(input logic [7:0] op, input logic [31:0] a0, input logic [31:0] a1,
                     input logic [31:0] a2, input logic [31:0] a3);
    m_op = op;
    m_args[0] = a0;
    m_args[1] = a1;
    m_args[2] = a2;
    m_args[3] = a3;
  endtask
  wire [31:0] x_mvin_addr = p.x + 32'(iy) * p.x_row + ix * p.x_pix + c_abs * e_bytes;
  wire [31:0] x_mvin_local = 32'(row_base) + vlo - 32'(ox0);

  always_comb begin
    put(OP_FENCE, 0, 0, 0, 0);
    case (phase)
      P_TBL_M: put(OP_MVIN, p.mult + 4 * ch, 0, 32'(ACC_ROWS - 2) | 32'h1_0000, rc(1, nn));
      P_TBL_S: put(OP_MVIN, p.shift + 4 * ch, 0, 32'(ACC_ROWS - 1) | 32'h1_0000, rc(1, nn));
      P_BIAS: put(OP_MVIN, p.bias + 4 * ch, 0, 32'h1_0000, rc(mm, nn));
      P_W:
      put(OP_MVIN, p.w + (32'(ky) * 32'(p.kw) + 32'(kx)) * p.w_tap + 32'(c0) * p.w_chan +
          ch * e_bytes, p.w_chan, 0, rc(kk, nn));
      P_PRE: put(OP_PRELOAD, 0, 0, 0, 0);
      P_ROW:
      if (row_all_pad) put(OP_FILL, 32'(p.pad), 0, 32'(row_base), rc(tw, kk));
      else if (left_pad) put(OP_FILL, 32'(p.pad), 0, 32'(row_base), rc(16'(vlo - 32'(ox0)), kk));
      else put(OP_MVIN, x_mvin_addr, 32'(p.sw) * p.x_pix, x_mvin_local, rc(16'(vhi - vlo), kk));
      P_ROWV: put(OP_MVIN, x_mvin_addr, 32'(p.sw) * p.x_pix, x_mvin_local, rc(16'(vhi - vlo), kk));
      P_ROWR:
      put(OP_FILL, 32'(p.pad), 0, 32'(row_base) + vhi - 32'(ox0), rc(16'(t_end - vhi), kk));
      P_COMP: put(OP_COMPUTE, DIM, 0, 32'(mm), {31'd0, p.bias_en || !first_k});
      P_OUT:
      if (!chan_outs)
        put(OP_MVOUT, p.y + p0 * p.y_pix + ch * oe, p.y_pix, out_flags, rc(mm, nn));
      else
        put(OP_MVOUT, p.y + p0 * p.y_pix + (ch + 32'(j)) * p.y_chan, p.y_pix,
            out_flags | {j[7:0], 24'd0}, rc(mm, 1));
      default: ;
    endcase
  end

  // ---------------------------------------------------------------- walking the loops
  wire last_row = 32'(r) + 1 >= 32'(th);
  wire last_k = 32'(c0) + DIM >= 32'(p.cg) && kx + 1 == p.kw && ky + 1 == p.kh;
  wire last_out = !chan_outs || 32'(j) + 1 >= 32'(nn);
  wire last_ox = 32'(ox0) + 32'(tile_w) >= 32'(p.ow);
  wire last_oy = 32'(oy0) + 32'(tile_h) >= 32'(p.oh);
  wire last_n = 32'(n0) + DIM >= 32'(p.mg);
  wire last_g = 32'(g) + 1 >= 32'(p.groups);
  wire last_tile = last_ox && last_oy;
  wire done = phase == P_OUT && last_out && last_tile && last_n && last_g;
  phase_e tile_first, row_next;
  assign tile_first = p.bias_en ? P_BIAS : P_W;
  assign row_next = last_row ? P_COMP : P_ROW;

  always_ff @(posedge clk) begin
    if (rst) active <= 1'b0;
    else if (start) begin
      active <= 1'b1;
      p <= hp;
      tile_w <= h_tile_w;
      tile_h <= h_tile_h;
      {g, n0, oy0, ox0, c0, r, j, ky, kx} <= '0;
      phase <= hp.per_channel ? P_TBL_M : (hp.bias_en ? P_BIAS : P_W);
    end else if (advance) begin
      if (done) active <= 1'b0;
      case (phase)
        P_TBL_M: phase <= P_TBL_S;
        P_TBL_S: phase <= tile_first;
        P_BIAS: phase <= P_W;
        P_W: phase <= P_PRE;
        P_PRE: begin
          phase <= P_ROW;
          r <= '0;
        end
        P_ROW, P_ROWV, P_ROWR: begin
          if (phase == P_ROW && !row_all_pad && left_pad) phase <= P_ROWV;
          else if (phase != P_ROWR && !row_all_pad && right_pad) phase <= P_ROWR;
          else begin
            phase <= row_next;
            r <= r + 1;
          end
        end
        P_COMP: begin
          phase <= last_k ? P_OUT : P_W;
          j <= '0;
          if (32'(c0) + DIM < 32'(p.cg)) c0 <= c0 + 16'(DIM);
          else begin
            c0 <= '0;
            if (kx + 1 < p.kw) kx <= kx + 1;
            else begin
              kx <= '0;
              ky <= ky + 1 < p.kh ? ky + 1 : 8'd0;
            end
          end
        end
        P_OUT:
        if (!last_out) j <= j + 1;
        else begin
          phase <= tile_first;
          if (!last_ox) ox0 <= ox0 + tile_w;
          else begin
            ox0 <= '0;
            if (!last_oy) oy0 <= oy0 + tile_h;
            else begin
              oy0 <= '0;
              if (p.per_channel) phase <= P_TBL_M;
              if (!last_n) n0 <= n0 + 16'(DIM);
              else begin
                n0 <= '0;
                g  <= g + 1;
              end
            end
          end
        end
        default: ;
      endcase
    end
  end
endmodule
