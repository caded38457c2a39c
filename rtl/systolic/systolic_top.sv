// Systolic array accelerator: register interface, command FIFO, sequential command engine,
// scratchpad, accumulator, DMA port and the weight-stationary mesh.
// Behaviour and timing: docs/accelerators/systolic.md (the spec; keep both in sync).
module systolic_top
  import systolic_pkg::*;
#(
    parameter int DIM = 4,
    parameter int SP_ROWS = 256,
    parameter int ACC_ROWS = 128,
    parameter int BUS_BYTES = 16,
    parameter int FIFO_DEPTH = 8
) (
    input logic clk,
    input logic rst,
    // Register port: writes take effect at the end of the cycle; reads are combinational.
    input logic reg_we,
    input logic [11:0] reg_addr,
    input logic [31:0] reg_wdata,
    output logic [31:0] reg_rdata,
    output logic irq,
    output logic busy,  // STATUS.busy
    // DMA port (spec section 5).
    output logic mem_req_valid,
    input logic mem_req_ready,
    output logic mem_req_write,
    output logic [31:0] mem_req_addr,
    output logic [7:0] mem_req_len,
    output logic [BUS_BYTES*8-1:0] mem_req_wdata,
    input logic mem_resp_valid,
    input logic [BUS_BYTES*8-1:0] mem_resp_rdata,
    input logic mem_resp_err,
    // Command trace for the regression: dispatch (cycle S) and completion (cycle C).
    output logic dbg_start,
    output logic [31:0] dbg_start_seq,
    output logic dbg_done,
    output logic [31:0] dbg_seq,
    output logic [7:0] dbg_opcode,
    output logic [7:0] dbg_err
);
  localparam int SP_W = DIM * 8;
  localparam int LANES_W = DIM * 16;  // one element row as 16-bit mesh lanes
  localparam int ACC_W = DIM * 32;
  localparam int WIDE = ACC_W + BUS_BYTES * 8;  // row plus one beat: room for any shift
  localparam int FIFO_AW = $clog2(FIFO_DEPTH);
  localparam int SP_AW = $clog2(SP_ROWS);
  localparam int ACC_AW = $clog2(ACC_ROWS);

  typedef enum logic [2:0] {
    S_IDLE,
    S_FINISH,
    S_DMA,
    S_PRELOAD,
    S_COMPUTE,
    S_FILL
  } state_e;

  // ---------------------------------------------------------------- storage
  logic [SP_W-1:0] sp[SP_ROWS];
  logic [ACC_W-1:0] acc[ACC_ROWS];
  initial begin
    for (int r = 0; r < SP_ROWS; r++) sp[r] = '0;
    for (int r = 0; r < ACC_ROWS; r++) acc[r] = '0;
  end

  // ---------------------------------------------------------------- registers and FIFO
  logic [31:0] args[4];
  logic [31:0] largs[LOOP_ARGS];  // LOOP_ARG0..13
  logic [31:0] error_q, done_count_q, cmd_seq_q;
  logic [1:0] irq_en_q, irq_st_q;
  logic [31:0] fifo_word[FIFO_DEPTH];
  logic [31:0] fifo_args[FIFO_DEPTH][4];
  logic [31:0] fifo_largs[FIFO_DEPTH][LOOP_ARGS];
  logic [31:0] fifo_seq[FIFO_DEPTH];
  logic [FIFO_AW-1:0] fifo_head, fifo_tail;
  logic [7:0] fifo_count;

  // ---------------------------------------------------------------- engine state
  state_e state;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] cur_word;  // bits 31:9 are ignored by the spec
  /* verilator lint_on UNUSEDSIGNAL */
  logic [31:0] cur_seq;
  logic [31:0] cur_args[4];
  logic [7:0] cur_err;
  logic [7:0] exec_op;  // the command or loop micro-command executing
  logic [31:0] t;  // cycles since the first execution cycle (PRELOAD, COMPUTE)
  // configuration (CONFIG)
  logic [1:0] cfg_df, cfg_prec, cfg_pool;
  logic [1:0] cfg_act;
  logic [5:0] cfg_shift;
  logic signed [7:0] cfg_relu6_max;
  logic signed [31:0] cfg_mult;
  // DMA walk
  logic [15:0] dma_rows, iss_row, rsp_row;
  logic [9:0] row_bytes;
  logic [7:0] iss_beat, rsp_beat;
  logic [31:0] iss_row_addr;

  wire [7:0] cur_op = cur_word[7:0];  // the FIFO command (a LOOP while its micro-commands run)
  wire [15:0] cur_local = cur_args[2][15:0];
  wire cur_flag = cur_args[2][16];

  // ---------------------------------------------------------------- loop sequencer
  wire [31:0] head_word = fifo_word[fifo_head];
  logic loop_active, pop_micro;
  logic [7:0] loop_arg_err, micro_op;
  // Spec section 10: a LOOP runs only in int8, WS, without pooling; else BAD_ARG at pop.
  wire loop_mode_bad = cfg_df != DF_WS || cfg_prec != PREC_INT8 || cfg_pool != 2'd0;
  wire [7:0] loop_err = loop_mode_bad ? ERR_BAD_ARG : loop_arg_err;
  logic [31:0] micro_args[4];
  systolic_loop #(
      .DIM(DIM),
      .SP_ROWS(SP_ROWS),
      .ACC_ROWS(ACC_ROWS)
  ) loop (
      .clk(clk),
      .rst(rst),
      .h_op(head_word[7:0]),
      .h_args(fifo_args[fifo_head]),
      .h_largs(fifo_largs[fifo_head]),
      .h_err(loop_arg_err),
      .start(pop && (head_word[7:0] == OP_LOOP_MATMUL || head_word[7:0] == OP_LOOP_CONV) &&
             loop_err == ERR_NONE),
      .elem_bytes(3'd1),  // int8
      .advance(pop_micro),
      .active(loop_active),
      .m_op(micro_op),
      .m_args(micro_args)
  );

  // ---------------------------------------------------------------- decode of the next command
  // (the FIFO head, or the loop's current micro-command while a LOOP runs)
  wire [31:0] d_args[4];
  assign d_args = loop_active ? micro_args : fifo_args[fifo_head];
  wire [31:0] h_arg0 = d_args[0];
  wire [31:0] h_arg2 = d_args[2];
  wire [31:0] h_arg3 = d_args[3];
  wire [7:0] head_op = loop_active ? micro_op : head_word[7:0];
  logic [7:0] head_err;
  state_e head_next;

  function automatic logic range_bad(input logic [15:0] base, input logic [31:0] n,
                                     input int limit);
    return 32'(base) + 32'(n) > 32'(limit);
  endfunction

  /* verilator lint_off UNUSEDSIGNAL */  // arguments carry fields checked elsewhere
  // c0: first ACC element of an MVOUT (0 for MVIN); span: local rows per row moved.
  function automatic logic [7:0] check_move(input logic [31:0] a2, input logic [31:0] a3,
                                            input int limit, input logic [7:0] c0,
                                            input int span);
    if (a3[15:0] == 0 || a3[31:16] == 0 || 32'(a3[31:16]) + 32'(c0) > 32'(DIM))
      return ERR_BAD_ARG;
    if (32'(a2[15:0]) + 32'(a3[15:0]) * 32'(span) > 32'(limit)) return ERR_ADDR_RANGE;
    return ERR_NONE;
  endfunction

  function automatic logic [7:0] check_config(input logic [31:0] mode);
    if (mode[1:0] > DF_IS || mode[3:2] > PREC_BF16 || mode[5:4] == 2'd3 || mode[13:8] == 6'd63)
      return ERR_BAD_CONFIG;
    return ERR_NONE;
  endfunction

  // COMPUTE: WS reads M element rows of A; OS reads K rows of A^T and of B, writes DIM rows.
  function automatic logic [7:0] check_compute(input logic [31:0] a0, input logic [31:0] a1,
                                               input logic [31:0] a2, input logic [31:0] a3);
    int e = sp_elem_bytes(cfg_prec);
    if (a2[15:0] == 0) return ERR_BAD_ARG;
    if (cfg_df == DF_OS)
      return range_bad(a0[15:0], e * 32'(a2[15:0]), SP_ROWS) ||
             range_bad(a3[31:16], e * 32'(a2[15:0]), SP_ROWS) ||
             range_bad(a1[15:0], DIM, ACC_ROWS) ? ERR_ADDR_RANGE : ERR_NONE;
    return range_bad(a0[15:0], e * 32'(a2[15:0]), SP_ROWS) ||
           range_bad(a1[15:0], 32'(a2[15:0]), ACC_ROWS) ? ERR_ADDR_RANGE : ERR_NONE;
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  always_comb begin
    head_err  = ERR_NONE;
    head_next = S_FINISH;
    case (head_op)
      OP_CONFIG: head_err = check_config(h_arg0);
      OP_MVIN: begin
        head_err = check_move(h_arg2, h_arg3, h_arg2[16] ? ACC_ROWS : SP_ROWS, 8'd0,
                              h_arg2[16] ? 1 : sp_elem_bytes(cfg_prec));
        head_next = S_DMA;
      end
      OP_MVOUT: begin
        head_err  = check_move(h_arg2, h_arg3, ACC_ROWS, h_arg2[31:24], pool_rows(cfg_pool));
        head_next = S_DMA;
      end
      OP_PRELOAD: begin
        if (range_bad(h_arg0[15:0], sp_elem_bytes(cfg_prec) * DIM, SP_ROWS))
          head_err = ERR_ADDR_RANGE;
        head_next = S_PRELOAD;
      end
      OP_COMPUTE: begin
        head_err  = check_compute(h_arg0, d_args[1], h_arg2, h_arg3);
        head_next = S_COMPUTE;
      end
      OP_FENCE: ;
      OP_LOOP_MATMUL, OP_LOOP_CONV: begin
        head_err  = loop_err;
        head_next = S_IDLE;  // the sequencer takes over from the next cycle
      end
      OP_FILL: begin
        if (!loop_active) head_err = ERR_ILLEGAL_OPCODE;
        head_next = S_FILL;
      end
      default: head_err = ERR_ILLEGAL_OPCODE;
    endcase
    if (head_err != ERR_NONE) head_next = S_FINISH;
  end

  wire pop = state == S_IDLE && !loop_active && fifo_count != 0;
  assign pop_micro = state == S_IDLE && loop_active;
  wire push = reg_we && reg_addr == REG_CMD && 32'(fifo_count) < FIFO_DEPTH;
  wire overflow = reg_we && reg_addr == REG_CMD && 32'(fifo_count) >= FIFO_DEPTH;
  // MVIN to ACC or raw MVOUT: 4-byte elements; else the SP element size of the precision.
  wire [9:0] head_row_bytes = 10'(32'(h_arg3[31:16]) * (h_arg2[16] ? 4 : sp_elem_bytes(cfg_prec)));

  // ---------------------------------------------------------------- DMA datapath
  wire dma_write = exec_op == OP_MVOUT;
  function automatic logic [7:0] beat_len(input logic [9:0] bytes, input logic [7:0] beat);
    logic [15:0] left = 16'(bytes) - 16'(beat) * 16'(BUS_BYTES);
    return left > 16'(BUS_BYTES) ? 8'(BUS_BYTES) : left[7:0];
  endfunction
  function automatic logic [BUS_BYTES*8-1:0] lane_mask(input logic [7:0] len);
    logic [BUS_BYTES*8-1:0] m = '0;
    for (int l = 0; l < BUS_BYTES; l++) if (l < 32'(len)) m[l*8+:8] = 8'hFF;
    return m;
  endfunction

  wire [7:0] iss_len = beat_len(row_bytes, iss_beat);
  wire [7:0] rsp_len = beat_len(row_bytes, rsp_beat);
  wire [15:0] last_beat = 16'((32'(row_bytes) + BUS_BYTES - 1) / BUS_BYTES - 1);

  /* verilator lint_off UNUSEDSIGNAL */
  function automatic logic [5:0] table_shift(input logic [31:0] v);
    return v[5:0] == 6'd63 ? 6'd62 : v[5:0];
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */
  // MVOUT: the row being sent, each element raw, requantised (int8/int16; per-channel with
  // ARG2[17]: column e's multiplier/shift from ACC rows ACC_ROWS-2/-1) or bf16, max-pooled over
  // the row's pool_rows ACC rows, then the beat's slice.
  function automatic logic [31:0] out_elem(input logic [31:0] a, input int e);
    if (cur_flag) return a;
    if (cfg_prec == PREC_BF16) return {16'd0, bf16_out(a, cfg_act, cfg_relu6_max)};
    if (cur_args[2][17])
      return requant(a, acc[ACC_ROWS-2][e*32+:32], table_shift(acc[ACC_ROWS-1][e*32+:32]),
                     cfg_act, cfg_relu6_max, cfg_prec == PREC_INT16);
    return requant(a, cfg_mult, cfg_shift, cfg_act, cfg_relu6_max, cfg_prec == PREC_INT16);
  endfunction
  // Pooling order: signed for integers, the fp32 total order for fp32 / bf16 outputs.
  function automatic logic signed [31:0] out_key(input logic [31:0] v);
    if (cfg_prec != PREC_BF16) return v;
    return cur_flag ? fp_key(v) : fp_key({v[15:0], 16'd0});
  endfunction
  wire [31:0] out_bytes = cur_flag ? 4 : sp_elem_bytes(cfg_prec);
  wire [15:0] out_base = cur_local + iss_row * 16'(pool_rows(cfg_pool));
  logic [ACC_W-1:0] out_row;
  /* verilator lint_off UNUSEDSIGNAL */  // only the low beat of the shifted rows is used
  logic [WIDE-1:0] out_shifted;
  // Computed only while a MVOUT runs (the `if` saves simulation time, not logic).
  always_comb begin
    logic [31:0] best, v;
    out_row = '0;
    out_shifted = '0;
    best = '0;
    v = '0;
    if (state == S_DMA && dma_write) begin
      for (int e = 0; e < DIM; e++) begin
        best = out_elem(acc[ACC_AW'(out_base)][e*32+:32], e);
        for (int k = 1; k < MAX_POOL_ROWS; k++)
          if (k < pool_rows(cfg_pool)) begin
            v = out_elem(acc[ACC_AW'(out_base+16'(k))][e*32+:32], e);
            if (out_key(v) > out_key(best)) best = v;
          end
        if (out_bytes == 1) out_row[e*8+:8] = best[7:0];
        else if (out_bytes == 2) out_row[e*16+:16] = best[15:0];
        else out_row[e*32+:32] = best;
      end
      // MVOUT starts at ACC element c0 = ARG2[31:24].
      out_shifted = WIDE'(out_row) >> ((32'(cur_args[2][31:24]) * out_bytes +
                                        32'(iss_beat) * BUS_BYTES) * 8);
    end
  end

  assign mem_req_valid = state == S_DMA && iss_row < dma_rows;
  assign mem_req_write = dma_write;
  assign mem_req_addr = iss_row_addr + 32'(iss_beat) * BUS_BYTES;
  assign mem_req_len = iss_len;
  assign mem_req_wdata = dma_write ? out_shifted[BUS_BYTES*8-1:0] & lane_mask(iss_len) : '0;

  // MVIN: the response beat placed at its byte offset in a row, with its byte mask.
  wire rsp_in = state == S_DMA && mem_resp_valid;
  logic [WIDE-1:0] in_data, in_mask;
  always_comb begin
    in_data = '0;
    in_mask = '0;
    if (rsp_in) begin
      in_mask = WIDE'(lane_mask(rsp_len)) << (32'(rsp_beat) * BUS_BYTES * 8);
      in_data = (WIDE'(mem_resp_rdata) << (32'(rsp_beat) * BUS_BYTES * 8)) & in_mask;
    end
  end
  /* verilator lint_on UNUSEDSIGNAL */
  wire mvin_write = rsp_in && !dma_write && !mem_resp_err;
  wire [SP_AW-1:0] rsp_sp = SP_AW'(cur_local + rsp_row * 16'(sp_elem_bytes(cfg_prec)));
  wire sp_two_rows = cfg_prec != PREC_INT8;  // 16-bit elements: a row spans two SP rows
  wire [ACC_AW-1:0] rsp_acc = ACC_AW'(cur_local + rsp_row);

  // ---------------------------------------------------------------- mesh
  wire [15:0] m_rows = cur_args[2][15:0];  // WS: M; OS: K
  wire os_mode = cfg_df == DF_OS;
  wire feeding = state == S_COMPUTE && t < 32'(m_rows);
  wire preloading = state == S_PRELOAD && t < DIM;
  wire [15:0] sp_e = 16'(sp_elem_bytes(cfg_prec));
  wire [SP_AW-1:0] sp_raddr = SP_AW'(preloading ? cur_args[0][15:0] + sp_e * (16'(DIM - 1) - t[15:0]) :
                                                   cur_args[0][15:0] + sp_e * t[15:0]);
  wire [SP_AW-1:0] sp_raddr_b = SP_AW'(cur_args[3][31:16] + sp_e * t[15:0]);  // OS: B row
  // An element row as 16-bit lanes: int8 bytes sign-extended, or two SP rows of 16-bit values.
  function automatic logic [LANES_W-1:0] sp_lanes(input logic [SP_AW-1:0] addr);
    logic [LANES_W-1:0] l;
    if (sp_two_rows) l = {sp[addr+SP_AW'(1)], sp[addr]};
    else for (int e = 0; e < DIM; e++) l[e*16+:16] = 16'(signed'(sp[addr][e*8+:8]));
    return l;
  endfunction
  wire [LANES_W-1:0] sp_rdata = preloading || feeding ? sp_lanes(sp_raddr) : '0;
  wire [ACC_W-1:0] c_row, os_out;
  localparam int LAT = 2 * DIM - 1;  // A row presented in cycle x -> C row in cycle x + LAT
  wire [31:0] os_drain = 32'(m_rows) + 2 * DIM - 2;  // OS: t of the first accumulator row out
  wire [31:0] out_t = os_mode ? os_drain : LAT;  // t of the first C row
  wire [31:0] out_n = os_mode ? DIM : 32'(m_rows);  // C rows written
  systolic_mesh #(
      .DIM(DIM)
  ) mesh (
      .clk(clk),
      .en(state == S_COMPUTE),
      .os(os_mode),
      .fp(cfg_prec == PREC_BF16),
      .os_t(t),
      .os_k(32'(m_rows)),
      .load_w(preloading),
      .w_row(preloading ? sp_rdata : '0),
      .a_row(feeding ? sp_rdata : '0),
      .b_row(feeding && os_mode ? sp_lanes(sp_raddr_b) : '0),
      .os_sel($clog2(DIM + 1)'(t - os_drain)),
      .c_row(c_row),
      .os_out(os_out)
  );
  wire capture = state == S_COMPUTE && t >= out_t && t - out_t < out_n;
  wire [ACC_AW-1:0] c_local = ACC_AW'(cur_args[1][15:0] + 16'(t - out_t));
  logic [ACC_W-1:0] c_sum;
  wire [ACC_W-1:0] c_new = os_mode ? os_out : c_row;
  // One loop per case: a per-element `if` would make Verilator evaluate fp_add every time.
  always_comb begin
    c_sum = '0;
    if (capture) begin
      if (!cur_args[3][0]) c_sum = c_new;
      else if (cfg_prec == PREC_BF16)
        for (int j = 0; j < DIM; j++) c_sum[j*32+:32] = fp_add(acc[c_local][j*32+:32], c_new[j*32+:32]);
      else for (int j = 0; j < DIM; j++) c_sum[j*32+:32] = acc[c_local][j*32+:32] + c_new[j*32+:32];
    end
  end

  // ---------------------------------------------------------------- completion
  logic done_now;
  always_comb
    case (state)
      S_FINISH: done_now = 1'b1;
      S_DMA: done_now = rsp_row == dma_rows;
      S_PRELOAD: done_now = t == DIM;
      S_COMPUTE: done_now = t == out_t + out_n;
      S_FILL: done_now = t + 1 == 32'(cur_args[3][15:0]);
      default: done_now = 1'b0;
    endcase
  // A micro-command's end completes its LOOP only when it is the last (the sequencer is
  // inactive while the last one runs).
  wire cmd_done = done_now && !loop_active;

  // ---------------------------------------------------------------- sequential logic
  always_ff @(posedge clk) begin
    if (mvin_write) begin
      if (cur_flag) acc[rsp_acc] <= rsp_beat == 0 ? in_data[ACC_W-1:0] :
          (acc[rsp_acc] & ~in_mask[ACC_W-1:0]) | in_data[ACC_W-1:0];
      else begin
        sp[rsp_sp] <= rsp_beat == 0 ? in_data[SP_W-1:0] :
            (sp[rsp_sp] & ~in_mask[SP_W-1:0]) | in_data[SP_W-1:0];
        if (sp_two_rows)
          sp[rsp_sp+SP_AW'(1)] <= rsp_beat == 0 ? in_data[2*SP_W-1:SP_W] :
              (sp[rsp_sp+SP_AW'(1)] & ~in_mask[2*SP_W-1:SP_W]) | in_data[2*SP_W-1:SP_W];
      end
    end
    if (capture) acc[c_local] <= c_sum;
    if (state == S_FILL)  // PAD in elements < cols, zero beyond
      for (int e = 0; e < DIM; e++)
        sp[SP_AW'(cur_local+t[15:0])][e*8+:8] <= e < 32'(cur_args[3][31:16]) ? cur_args[0][7:0] : 8'd0;
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      state <= S_IDLE;
      t <= '0;
      cur_err <= ERR_NONE;
      cfg_df <= DF_WS;
      cfg_prec <= PREC_INT8;
      cfg_pool <= 2'd0;
      cfg_act <= 2'd0;
      cfg_shift <= 6'd0;
      cfg_relu6_max <= 8'sd127;
      cfg_mult <= 32'sd1;
    end else begin
      case (state)
        S_IDLE:
        if (pop || pop_micro) begin
          if (pop) begin
            cur_word <= head_word;
            cur_seq  <= fifo_seq[fifo_head];
            cur_err  <= head_err;
          end
          exec_op <= head_op;
          for (int k = 0; k < 4; k++) cur_args[k] <= d_args[k];
          state <= head_next;
          t <= '0;
          dma_rows <= h_arg3[15:0];
          row_bytes <= head_row_bytes;
          iss_row <= '0;
          rsp_row <= '0;
          iss_beat <= '0;
          rsp_beat <= '0;
          iss_row_addr <= h_arg0;
          if (head_op == OP_CONFIG && head_err == ERR_NONE) begin
            cfg_df <= h_arg0[1:0];
            cfg_prec <= h_arg0[3:2];
            cfg_pool <= h_arg0[25:24];
            cfg_act <= h_arg0[5:4];
            cfg_shift <= h_arg0[13:8];
            cfg_relu6_max <= h_arg0[23:16];
            cfg_mult <= d_args[1];
          end
        end
        default: begin
          t <= t + 1;
          if (done_now) state <= S_IDLE;
        end
      endcase
      if (mem_req_valid && mem_req_ready) begin
        if (16'(iss_beat) == last_beat) begin
          iss_beat <= '0;
          iss_row <= iss_row + 1;
          iss_row_addr <= iss_row_addr + cur_args[1];
        end else iss_beat <= iss_beat + 1;
      end
      if (rsp_in) begin
        if (mem_resp_err && cur_err == ERR_NONE) cur_err <= ERR_MEM;
        if (16'(rsp_beat) == last_beat) begin
          rsp_beat <= '0;
          rsp_row  <= rsp_row + 1;
        end else rsp_beat <= rsp_beat + 1;
      end
    end
  end

  // Registers, FIFO and status updates (order within a cycle: software write first, then the
  // completing command's effects, then FIFO overflow; spec section 7).
  logic [31:0] error_next;
  logic [1:0] irq_st_next;
  always_comb begin
    error_next  = error_q;
    irq_st_next = irq_st_q;
    if (reg_we && reg_addr == REG_ERROR) error_next = '0;
    if (reg_we && reg_addr == REG_IRQ_STATUS) irq_st_next = irq_st_q & ~reg_wdata[1:0];
    if (cmd_done && cur_word[8]) irq_st_next[0] = 1'b1;
    if (cmd_done && cur_err != ERR_NONE) begin
      if (error_next == 0) error_next = {cur_seq[15:0], 8'd0, cur_err};
      irq_st_next[1] = 1'b1;
    end
    if (overflow) begin
      if (error_next == 0) error_next = {cmd_seq_q[15:0], 8'd0, ERR_FIFO_OVERFLOW};
      irq_st_next[1] = 1'b1;
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      error_q <= '0;
      irq_st_q <= '0;
      irq_en_q <= '0;
      done_count_q <= '0;
      cmd_seq_q <= '0;
      fifo_head <= '0;
      fifo_tail <= '0;
      fifo_count <= '0;
      for (int k = 0; k < 4; k++) args[k] <= '0;
      for (int k = 0; k < LOOP_ARGS; k++) largs[k] <= '0;
    end else begin
      error_q  <= error_next;
      irq_st_q <= irq_st_next;
      if (cmd_done) done_count_q <= done_count_q + 1;
      if (reg_we && reg_addr == REG_IRQ_ENABLE) irq_en_q <= reg_wdata[1:0];
      if (reg_we && reg_addr[11:4] == REG_ARG0[11:4]) args[reg_addr[3:2]] <= reg_wdata;
      if (reg_we && is_loop_arg) largs[loop_arg_index] <= reg_wdata;
      if (reg_we && reg_addr == REG_CMD) cmd_seq_q <= cmd_seq_q + 1;
      if (push) begin
        fifo_word[fifo_tail] <= reg_wdata;
        fifo_args[fifo_tail] <= args;
        fifo_largs[fifo_tail] <= largs;
        fifo_seq[fifo_tail] <= cmd_seq_q;
        fifo_tail <= fifo_tail + 1;
      end
      if (pop) fifo_head <= fifo_head + 1;
      fifo_count <= fifo_count + 8'(push) - 8'(pop);
    end
  end

  wire [11:0] loop_arg_off = reg_addr - REG_LOOP_ARG0;
  wire is_loop_arg = reg_addr >= REG_LOOP_ARG0 && 32'(loop_arg_off) < 4 * LOOP_ARGS &&
      reg_addr[1:0] == 2'd0;
  wire [3:0] loop_arg_index = loop_arg_off[5:2];
  always_comb
    if (is_loop_arg) reg_rdata = largs[loop_arg_index];
    else case (reg_addr)
      REG_ID: reg_rdata = ID_VALUE;
      REG_CAPS: reg_rdata = {8'(BUS_BYTES), 8'(FIFO_DEPTH), 16'(DIM)};
      REG_STATUS:
      reg_rdata = {16'd0, fifo_count, 5'd0, irq, error_q != 0, busy};
      REG_ERROR: reg_rdata = error_q;
      REG_IRQ_ENABLE: reg_rdata = {30'd0, irq_en_q};
      REG_IRQ_STATUS: reg_rdata = {30'd0, irq_st_q};
      REG_DONE_COUNT: reg_rdata = done_count_q;
      REG_SIZES: reg_rdata = {16'(ACC_ROWS), 16'(SP_ROWS)};
      REG_ARG0, REG_ARG1, REG_ARG2, REG_ARG3: reg_rdata = args[reg_addr[3:2]];
      default: reg_rdata = '0;
    endcase

  assign irq = |(irq_st_q & irq_en_q);
  assign busy = fifo_count != 0 || state != S_IDLE || loop_active;
  assign dbg_start = pop;
  assign dbg_start_seq = fifo_seq[fifo_head];
  assign dbg_done = cmd_done;
  assign dbg_seq = cur_seq;
  assign dbg_opcode = cur_op;
  assign dbg_err = cur_err;
endmodule
