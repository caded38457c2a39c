// The Verilated systolic array as an AccelUnderTest of the RTL regression (flecsim rtl-regress):
// same memory image and seeded memory timing (regress::TimedMemory) as the C++ model.
#pragma once
#include <memory>
#include <string>

#include "accel/regress/driver.h"

namespace flecsim::rtlbridge {

// Throws UserError (naming the geometry) when no Verilated library matches `geometry`
// (square sizes 4, 8, 16, 32; default SP/ACC rows; 16-byte bus). `vcd_path` non-empty: the
// waveform of the stream run after the latest reset() is written there.
std::unique_ptr<regress::AccelUnderTest> make_systolic_rtl_under_test(
    const regress::AccelGeometry& geometry, const std::string& vcd_path = "");

}  // namespace flecsim::rtlbridge
