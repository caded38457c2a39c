// DIM x DIM mesh of weight-stationary PEs with input skew and output deskew.
// PE(i,j) holds a weight w, an activation register a and a partial-sum register p: each cycle
// (while `en`) it passes its activation input right and p_in + a_in*w down (systolic_pkg::
// pe_mac). a_row[i] (element i of an A row, entering mesh row i) is delayed i cycles; column
// j's sum leaves the bottom PE and is delayed DIM-1-j cycles, so c_row is one whole C row
// 2*DIM-1 cycles after the A row was presented (spec section 7).
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
    input logic load_w,  // shift w_row into PE row 0, every weight row moves down one
    input logic [DIM*8-1:0] w_row,
    input logic [DIM*8-1:0] a_row,
    output logic [DIM*32-1:0] c_row
);
  localparam int N = DIM * DIM;
  // Element (i,j) of each array is at index i*DIM+j.
  logic [N*8-1:0] w_q = '0;  // weights; row i = B row i
  logic [N*8-1:0] a_q = '0;  // activation registers
  logic [N*32-1:0] p_q;  // partial-sum registers (never visible before written)
  /* verilator lint_off UNUSEDSIGNAL */  // triangular delay lines: stages past i / DIM-1-j unused
  logic [N*8-1:0] skew_q = '0;  // (i,k): stage k of the delay line of mesh row i
  logic [N*32-1:0] deskew_q;  // (j,k): stage k of the delay line of column j
  /* verilator lint_on UNUSEDSIGNAL */

  always_ff @(posedge clk) begin
    if (load_w) w_q <= {w_q[(N-DIM)*8-1:0], w_row};
    if (en) begin
      for (int i = 0; i < DIM; i++) begin
        skew_q[(i*DIM)*8+:8] <= a_row[i*8+:8];
        for (int k = 1; k < i; k++) skew_q[(i*DIM+k)*8+:8] <= skew_q[(i*DIM+k-1)*8+:8];
      end
      for (int i = 0; i < DIM; i++)
        for (int j = 0; j < DIM; j++) begin
          logic [7:0] a_in;
          logic [31:0] p_in;
          if (j > 0) a_in = a_q[(i*DIM+j-1)*8+:8];
          else if (i > 0) a_in = skew_q[(i*DIM+i-1)*8+:8];
          else a_in = a_row[7:0];
          if (i > 0) p_in = p_q[((i-1)*DIM+j)*32+:32];
          else p_in = 32'd0;
          a_q[(i*DIM+j)*8+:8] <= a_in;
          p_q[(i*DIM+j)*32+:32] <= pe_mac(p_in, a_in, w_q[(i*DIM+j)*8+:8]);
        end
      for (int j = 0; j < DIM - 1; j++) begin
        deskew_q[(j*DIM)*32+:32] <= p_q[((DIM-1)*DIM+j)*32+:32];
        for (int k = 1; k < DIM - 1 - j; k++)
          deskew_q[(j*DIM+k)*32+:32] <= deskew_q[(j*DIM+k-1)*32+:32];
      end
    end
  end

  always_comb
    for (int j = 0; j < DIM; j++)
      c_row[j*32+:32] = j == DIM - 1 ? p_q[((DIM-1)*DIM+j)*32+:32] :
                                       deskew_q[(j*DIM+DIM-2-j)*32+:32];
endmodule
