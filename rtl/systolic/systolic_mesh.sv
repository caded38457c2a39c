// DIM x DIM mesh of PEs with input skew and output deskew, weight- or output-stationary.
// Operands are 16-bit lanes (int8 sign-extended, int16, or bf16 bits); partial sums are 32 bits
// (int32 wrapping, or fp32 when `fp`: systolic_pkg::bf_mul / fp_add).
// WS (os = 0): PE(i,j) holds a weight w, an activation register a and a partial-sum register
// p: each cycle (while `en`) it passes its activation input right and p_in + a_in*w down.
// a_row[i] (element i of an A row, entering mesh row i) is delayed i cycles; column j's sum
// leaves the bottom PE and is delayed DIM-1-j cycles, so c_row is one whole C row 2*DIM-1
// cycles after the A row was presented (spec section 7).
// OS (os = 1): A^T row k enters the rows (delayed i, moving right) and B row k the columns
// (delayed j, moving down through the weight registers); PE(i,j) accumulates step k in its p register in cycle t = k+i+j of
// the command (t counts `en` cycles from 0; steps k >= os_k are not accumulated and the first
// one starts from zero). os_out is row os_sel of the accumulators.
// The PE array is written as loops over packed registers rather than DIM*DIM module instances:
// the same hardware, but Verilator then skips the whole mesh in one branch while `en` is low
// and has no per-PE connection wires to copy (the simulation speed target of the spec).
// While `en` is low nothing moves; a COMPUTE's results depend only on inputs of its own cycles
// (en is high throughout), so stale values held in between are never visible.
module systolic_mesh
  import systolic_pkg::*;
#(
    parameter int DIM = 4
) (
    input logic clk,
    input logic en,  // advance skew, PEs and deskew
    input logic os,  // output-stationary dataflow
    input logic fp,  // bf16 operands, fp32 sums
    input logic [31:0] os_t,  // OS: cycle of the command (0 = first A^T/B row presented)
    input logic [31:0] os_k,  // OS: number of steps K
    input logic load_w,  // shift w_row into PE row 0, every weight row moves down one
    input logic [DIM*16-1:0] w_row,
    input logic [DIM*16-1:0] a_row,
    input logic [DIM*16-1:0] b_row,  // OS: B row
    input logic [$clog2(DIM+1)-1:0] os_sel,
    output logic [DIM*32-1:0] c_row,
    output logic [DIM*32-1:0] os_out
);
  localparam int N = DIM * DIM;
  localparam int T = DIM * (DIM - 1) / 2;  // stages of the triangular delay lines
  // Element (i,j) of the PE arrays is at index i*DIM+j. The register bits are kept to what
  // the dataflows need (Verilator copies every register of the mesh once per cycle, so their
  // number sets the simulation speed): OS streams B through the weight registers (WS weights
  // are not needed then; an OS COMPUTE leaves them zero, spec section 4), and each delay line
  // holds exactly its stages.
  logic [N*16-1:0] w_q;  // WS: weights, row i = B row i; OS: B values moving down
  logic [N*16-1:0] a_q;  // activation registers
  logic [N*32-1:0] p_q;  // partial sums (WS) / accumulators (OS), never visible before written
  logic [T*16-1:0] skew_q;  // mesh row i: stages skew_at(i, 0 .. i-1)
  logic [T*16-1:0] skew_b_q;  // OS, B column j: stages skew_at(j, 0 .. j-1)
  logic [T*32-1:0] deskew_q;  // output column j: stages deskew_at(j, 0 .. DIM-2-j)

  function automatic int skew_at(input int line, input int k);
    return line * (line - 1) / 2 + k;
  endfunction
  function automatic int deskew_at(input int j, input int k);
    return j * (DIM - 1) - j * (j - 1) / 2 + k;
  endfunction

  // Zero at start (a loop: a '0 of over 8k bits trips a Verilator width warning at DIM 32).
  initial begin
    for (int k = 0; k < N; k++) begin
      w_q[k*16+:16] = '0;
      a_q[k*16+:16] = '0;
    end
    for (int k = 0; k < T; k++) begin
      skew_q[k*16+:16] = '0;
      skew_b_q[k*16+:16] = '0;
    end
  end

  // Operand inputs of PE(i,j): the activation from the left (mesh row i's delay line at j = 0),
  // the B value from above (OS; column j's delay line at i = 0), the partial sum from above.
  function automatic logic [15:0] a_in(input int i, input int j);
    if (j > 0) return a_q[(i*DIM+j-1)*16+:16];
    if (i > 0) return skew_q[skew_at(i, i-1)*16+:16];
    return a_row[15:0];
  endfunction
  function automatic logic [15:0] b_in(input int i, input int j);
    if (i > 0) return w_q[((i-1)*DIM+j)*16+:16];
    if (j > 0) return skew_b_q[skew_at(j, j-1)*16+:16];
    return b_row[15:0];
  endfunction
  function automatic logic [31:0] p_in(input int i, input int j);
    return i > 0 ? p_q[((i-1)*DIM+j)*32+:32] : 32'd0;
  endfunction
  // OS: whether PE(i,j) accumulates in this cycle, and what it adds to (zero on the first step).
  function automatic logic os_step(input int i, input int j);
    return os_t >= 32'(i + j) && os_t - 32'(i + j) < os_k;
  endfunction
  function automatic logic [31:0] os_acc(input int i, input int j);
    return os_t == 32'(i + j) ? 32'd0 : p_q[(i*DIM+j)*32+:32];
  endfunction

  // The int and fp PE loops are separate (not one loop with an `if (fp)` per PE): Verilator
  // would otherwise evaluate both arithmetic paths for every PE in every cycle.
  always_ff @(posedge clk) begin
    if (load_w) w_q <= {w_q[(N-DIM)*16-1:0], w_row};
    if (en) begin
      for (int i = 1; i < DIM; i++) begin
        skew_q[skew_at(i, 0)*16+:16] <= a_row[i*16+:16];
        for (int k = 1; k < i; k++) skew_q[skew_at(i, k)*16+:16] <= skew_q[skew_at(i, k-1)*16+:16];
      end
      if (os) begin
        for (int j = 1; j < DIM; j++) begin
          skew_b_q[skew_at(j, 0)*16+:16] <= b_row[j*16+:16];
          for (int k = 1; k < j; k++)
            skew_b_q[skew_at(j, k)*16+:16] <= skew_b_q[skew_at(j, k-1)*16+:16];
        end
        for (int i = 0; i < DIM; i++)
          for (int j = 0; j < DIM; j++) begin
            a_q[(i*DIM+j)*16+:16] <= a_in(i, j);
            w_q[(i*DIM+j)*16+:16] <= b_in(i, j);
          end
        if (fp) begin
          for (int i = 0; i < DIM; i++)
            for (int j = 0; j < DIM; j++)
              if (os_step(i, j))
                p_q[(i*DIM+j)*32+:32] <= fp_add(os_acc(i, j), bf_mul(a_in(i, j), b_in(i, j)));
        end else begin
          for (int i = 0; i < DIM; i++)
            for (int j = 0; j < DIM; j++)
              if (os_step(i, j))
                p_q[(i*DIM+j)*32+:32] <= pe_mac(os_acc(i, j), a_in(i, j), b_in(i, j));
        end
      end else begin
        if (fp) begin
          for (int i = 0; i < DIM; i++)
            for (int j = 0; j < DIM; j++) begin
              a_q[(i*DIM+j)*16+:16] <= a_in(i, j);
              p_q[(i*DIM+j)*32+:32] <= fp_add(p_in(i, j), bf_mul(a_in(i, j), w_q[(i*DIM+j)*16+:16]));
            end
        end else begin
          for (int i = 0; i < DIM; i++)
            for (int j = 0; j < DIM; j++) begin
              logic [15:0] a = a_in(i, j);
              a_q[(i*DIM+j)*16+:16] <= a;
              p_q[(i*DIM+j)*32+:32] <= pe_mac(p_in(i, j), a, w_q[(i*DIM+j)*16+:16]);
            end
        end
        for (int j = 0; j < DIM - 1; j++) begin
          deskew_q[deskew_at(j, 0)*32+:32] <= p_q[((DIM-1)*DIM+j)*32+:32];
          for (int k = 1; k < DIM - 1 - j; k++)
            deskew_q[deskew_at(j, k)*32+:32] <= deskew_q[deskew_at(j, k-1)*32+:32];
        end
      end
    end
  end

  always_comb
    for (int j = 0; j < DIM; j++)
      c_row[j*32+:32] = j == DIM - 1 ? p_q[((DIM-1)*DIM+j)*32+:32] :
                                       deskew_q[deskew_at(j, DIM-2-j)*32+:32];
  always_comb
    for (int j = 0; j < DIM; j++)
      os_out[j*32+:32] = p_q[(32'(os_sel)*DIM+j)*32+:32];
endmodule
