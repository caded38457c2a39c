// .npy and TensorProto .pb round trips, and files written by numpy itself.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "graph/npy.h"
#include "graph/onnx_import.h"

namespace fs = std::filesystem;
using flecsim::graph::DType;
using flecsim::graph::Tensor;

namespace {

fs::path scratch() {
  fs::path dir = fs::path(FLECSIM_BINARY_DIR) / "onnx-npy-test";
  fs::create_directories(dir);
  return dir;
}

TEST(Npy, RoundTripKeepsTypeShapeAndValues) {
  Tensor t(DType::kInt16, {2, 3});
  for (int i = 0; i < 6; ++i) t.data<int16_t>()[i] = static_cast<int16_t>(i * 1000 - 2500);
  const std::string path = (scratch() / "i16.npy").string();
  flecsim::graph::write_npy(path, t);
  const Tensor back = flecsim::graph::read_npy(path);
  EXPECT_EQ(back.dtype(), DType::kInt16);
  EXPECT_EQ(back.shape(), (flecsim::graph::Shape{2, 3}));
  EXPECT_EQ(back.to_ints(), (std::vector<int64_t>{-2500, -1500, -500, 500, 1500, 2500}));
  EXPECT_EQ(fs::file_size(path) % 64, 12u);  // header padded to 64 bytes, then 12 data bytes
}

TEST(Npy, ReadsWhatNumpyWritesAndNumpyReadsOurs) {
  const fs::path dir = scratch();
  const std::string script = "import numpy as np; np.save('" + (dir / "np.npy").string() +
                             "', np.arange(12, dtype=np.float32).reshape(3, 1, 4) / 4); "
                             "a = np.load('" +
                             (dir / "ours.npy").string() +
                             "'); assert a.dtype == np.uint8 and a.shape == (5,) and "
                             "list(a) == [0, 1, 2, 3, 255]";
  flecsim::graph::write_npy((dir / "ours.npy").string(), [] {
    Tensor t(DType::kUInt8, {5});
    for (int i = 0; i < 4; ++i) t.data<uint8_t>()[i] = static_cast<uint8_t>(i);
    t.data<uint8_t>()[4] = 255;
    return t;
  }());
  ASSERT_EQ(std::system(("/usr/bin/python3 -c \"" + script + "\"").c_str()), 0);
  const Tensor t = flecsim::graph::read_npy((dir / "np.npy").string());
  EXPECT_EQ(t.shape(), (flecsim::graph::Shape{3, 1, 4}));
  EXPECT_FLOAT_EQ(t.data<float>()[11], 2.75f);
}

TEST(Npy, BadFilesAreUserErrors) {
  const std::string path = (scratch() / "bad.npy").string();
  std::ofstream(path) << "not numpy";
  EXPECT_THROW(flecsim::graph::read_npy(path), flecsim::UserError);
  EXPECT_THROW(flecsim::graph::read_npy(path + ".missing"), flecsim::UserError);
  // Declared shape larger than the data.
  Tensor t(DType::kFloat32, {4});
  flecsim::graph::write_npy(path, t);
  fs::resize_file(path, fs::file_size(path) - 4);
  try {
    flecsim::graph::read_npy(path);
    ADD_FAILURE() << "no error";
  } catch (const flecsim::UserError& e) {
    EXPECT_NE(std::string(e.what()).find("shorter than its shape [4]"), std::string::npos)
        << e.what();
  }
}

TEST(TensorPb, RoundTrip) {
  const std::string path = (scratch() / "t.pb").string();
  const Tensor t = Tensor::from_floats({2, 2}, {1.5f, -2, 3, 4});
  flecsim::graph::write_tensor_pb(path, "x", t);
  const auto [name, back] = flecsim::graph::read_tensor_pb(path);
  EXPECT_EQ(name, "x");
  EXPECT_EQ(back.to_floats(), (std::vector<float>{1.5f, -2, 3, 4}));
}

}  // namespace
