#!/usr/bin/python3
"""End-to-end checks of `flecsim run` (ctest runs one scenario per entry).
Usage: test_run.py FLECSIM SOURCE_DIR WORK_DIR SCENARIO"""
import json
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FLECSIM, SRC, WORK, SCENARIO = sys.argv[1:5]
PLATFORM = os.path.join(SRC, "platforms", "edge-npu.yaml")
MODELS = os.path.join(SRC, "workloads", "models")


def run(args, expect_code):
    proc = subprocess.run([FLECSIM] + args, capture_output=True, text=True, timeout=600)
    if proc.returncode != expect_code:
        sys.exit(f"expected exit {expect_code}, got {proc.returncode}\nstdout:\n{proc.stdout}\n"
                 f"stderr:\n{proc.stderr}")
    return proc


def summary(out):
    with open(os.path.join(out, "summary.json")) as f:
        return json.load(f)


def expect(cond, what):
    if not cond:
        sys.exit("FAILED: " + what)
    print("ok:", what)


def resnet8(extra=(), name="r8"):
    out = os.path.join(WORK, name)
    run(["run", PLATFORM, os.path.join(MODELS, "resnet8-int8.onnx"), "-q", "-o", out, *extra], 0)
    return out, summary(out)


def scenario_resnet8_pass():
    out, s = resnet8()
    expect(s["check"]["status"] == "pass", "check.status is pass")
    expect(s["check"]["max_abs_error"] == 0, "bit-exact against the reference executor")
    expect(s["check"]["cosine_similarity_fp32"] > 0.99, "cosine vs the fp32 model above 0.99")
    units = {l["unit"] for l in s["layers"]}
    expect("systolic0" in units and "cpu" in units, "layers ran on systolic0 and on the CPU")
    convs = [l for l in s["layers"] if l["op"].startswith("QConv")]
    expect(all(l["unit"] == "systolic0" for l in convs), "every int8 convolution on the array")
    expect(sum(l["cycles"] for l in s["layers"]) <= s["total_cycles"], "layer cycles add up")
    expect(all(l["dram_bytes"] > 0 for l in convs), "array layers move DRAM bytes")
    expect(s["components"]["systolic0"]["counters"]["macs_int8"]["value"] > 11_000_000,
           "the array counted its MACs")
    expect(os.path.exists(os.path.join(out, "layers.csv")), "layers.csv written")
    y = np.load(os.path.join(out, "outputs", "gemm22_dq.npy"))
    expect(y.shape == (1, 10) and y.dtype == np.float32, "outputs/gemm22_dq.npy written")


def scenario_smaller_array_more_cycles():
    _, big = resnet8(name="r8_16")
    _, small = resnet8(["--set", "accelerators.systolic0.rows=4", "--set",
                        "accelerators.systolic0.cols=4"], name="r8_4")
    expect(small["check"]["status"] == "pass", "4x4 array passes the check")
    expect(small["total_cycles"] > big["total_cycles"],
           f"4x4 takes more cycles ({small['total_cycles']}) than 16x16 ({big['total_cycles']})")


def scenario_partial_on_watchdog():
    out = os.path.join(WORK, "partial")
    proc = run(["run", PLATFORM, os.path.join(MODELS, "resnet8-int8.onnx"), "-q", "-o", out,
                "--max-time", "1ms"], 1)
    expect("watchdog" in proc.stderr, "the watchdog says why the run stopped")
    s = summary(out)
    expect(s["status"] == "partial" and s["check"]["status"] == "error", "summary marked partial")
    expect(s["energy"]["total_j"] > 0 and s["total_cycles"] == 500000,
           "partial statistics (cycles up to the stop, energy) are still written")


def scenario_rtl_model():
    tlm_out, tlm = resnet8(name="r8_tlm")
    rtl_out, rtl = resnet8(["--set", "accelerators.systolic0.model=rtl"], name="r8_rtl")
    expect(rtl["check"]["status"] == "pass", "the Verilated array passes the same check")
    a = np.load(os.path.join(tlm_out, "outputs", "gemm22_dq.npy"))
    b = np.load(os.path.join(rtl_out, "outputs", "gemm22_dq.npy"))
    expect(np.array_equal(a, b), "model: rtl and model: tlm give bit-identical outputs")
    drift = abs(rtl["total_cycles"] - tlm["total_cycles"]) / tlm["total_cycles"]
    print(f"tlm {tlm['total_cycles']} cycles, rtl {rtl['total_cycles']} cycles")
    expect(drift < 0.01, "whole-run cycles of the two models within 1 % (bridge run-ahead)")


def scenario_fault_detected():
    out = os.path.join(WORK, "fault")
    proc = run(["run", PLATFORM, os.path.join(MODELS, "resnet8-int8.onnx"), "-q", "-o", out,
                "--set", "accelerators.systolic0.inject_fault=data"], 1)
    expect("check failed" in proc.stderr, "the mismatch is reported")
    expect(summary(out)["check"]["status"] == "fail", "summary.json says fail")


def scenario_float_models():
    for model in ("lenet5-fp32.onnx", "mlp-int8.onnx", "lenet5-int8.onnx"):
        out = os.path.join(WORK, model)
        run(["run", PLATFORM, os.path.join(MODELS, model), "-q", "-o", out], 0)
        expect(summary(out)["check"]["status"] == "pass", model + " passes")
    out = os.path.join(WORK, "none")
    run(["run", PLATFORM, os.path.join(MODELS, "resnet8-int8.onnx"), "--quantize", "none",
         "-q", "-o", out], 0)
    s = summary(out)
    expect(s["check"]["status"] == "pass" and {l["unit"] for l in s["layers"]} == {"cpu"},
           "--quantize none runs the model's own ops on the CPU and passes")


def write_model(path, nodes, inputs, outputs, inits=()):
    g = helper.make_graph(nodes, "t", inputs, outputs, list(inits))
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), path)


def scenario_bad_input():
    bad = os.path.join(WORK, "bad")
    os.makedirs(bad, exist_ok=True)
    garbage = os.path.join(bad, "garbage.onnx")
    with open(garbage, "wb") as f:
        f.write(b"\x08\x07this is not a protobuf\xff\xff")
    proc = run(["run", PLATFORM, garbage], 2)
    expect("garbage.onnx" in proc.stderr, "malformed protobuf names the file")
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
    unsupported = os.path.join(bad, "unsupported.onnx")
    write_model(unsupported, [helper.make_node("Erf", ["x"], ["y"], name="erf_node")], [x], [y])
    proc = run(["run", PLATFORM, unsupported], 2)
    expect("erf_node" in proc.stderr and "Erf" in proc.stderr, "unsupported op names the node")
    ok = os.path.join(bad, "relu.onnx")
    write_model(ok, [helper.make_node("Relu", ["x"], ["y"], name="r")], [x], [y])
    np.save(os.path.join(bad, "wrong_shape.npy"), np.zeros((1, 5), np.float32))
    proc = run(["run", PLATFORM, ok, "--input", "x=" + os.path.join(bad, "wrong_shape.npy")], 2)
    expect("'x'" in proc.stderr or " x" in proc.stderr, "wrong input shape names the input")
    np.save(os.path.join(bad, "wrong_type.npy"), np.zeros((1, 4), np.int32))
    proc = run(["run", PLATFORM, ok, "--input", "x=" + os.path.join(bad, "wrong_type.npy")], 2)
    expect("x" in proc.stderr, "wrong input dtype names the input")
    escape = os.path.join(bad, "escape.onnx")
    w = numpy_helper.from_array(np.ones((1, 4), np.float32), "w")
    w.data_location = TensorProto.EXTERNAL
    w.ClearField("raw_data")
    for k, v in (("location", "../../etc/passwd"), ("offset", "0"), ("length", "16")):
        e = w.external_data.add()
        e.key, e.value = k, v
    write_model(escape, [helper.make_node("Add", ["x", "w"], ["y"], name="add")], [x], [y], [w])
    proc = run(["run", PLATFORM, escape], 2)
    expect("escape.onnx" in proc.stderr or "passwd" in proc.stderr,
           "external data outside the model's folder is refused")


def scenario_constant_parameters():
    """Resize, reflect/edge Pad, 3-D MaxPool with Indices and Pow with mixed types whose
    parameters are initializers (as exporters write them; the ONNX node tests pass them as
    graph inputs instead): the simulated run must equal the reference executor's."""
    f = TensorProto.FLOAT
    x = helper.make_tensor_value_info("x", f, [1, 2, 4, 5])
    y = helper.make_tensor_value_info("y", f, [1, 2, 9, 12])
    idx = helper.make_tensor_value_info("idx", TensorProto.INT64, [1, 1, 2, 9, 12])
    inits = [numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32), "scales"),
             numpy_helper.from_array(np.array([0, 0, 1, 0, 0, 0, 0, 0], np.int64), "pads"),
             numpy_helper.from_array(np.array([0, 0, 0, 1, 0, 0, 0, 1], np.int64), "pads2"),
             numpy_helper.from_array(np.array([1, 1, 2, 9, 12], np.int64), "shape5"),
             numpy_helper.from_array(np.array([2], np.int32), "two")]
    nodes = [
        helper.make_node("Resize", ["x", "", "scales"], ["r"], mode="cubic", name="resize"),
        helper.make_node("Pad", ["r", "pads"], ["p"], mode="reflect", name="pad_reflect"),
        helper.make_node("Pad", ["p", "pads2"], ["e"], mode="edge", name="pad_edge"),
        helper.make_node("Pow", ["e", "two"], ["y"], name="pow_mixed"),
        helper.make_node("Reshape", ["y", "shape5"], ["y5"], name="to_3d"),
        helper.make_node("MaxPool", ["y5"], ["m", "idx"], kernel_shape=[2, 2, 2],
                         pads=[0, 1, 1, 1, 0, 0], strides=[1, 1, 1], name="pool3d")]
    model = os.path.join(WORK, "constant_parameters.onnx")
    os.makedirs(WORK, exist_ok=True)
    write_model(model, nodes, [x], [y, idx], inits)
    out = os.path.join(WORK, "constant_parameters")
    run(["run", PLATFORM, model, "--quantize", "none", "-q", "-o", out], 0)
    expect(summary(out)["check"]["status"] == "pass", "CPU kernels equal the reference")
    ops = {l["op"] for l in summary(out)["layers"]}
    expect({"Resize", "Pad", "Pow", "MaxPool"} <= ops, "every node ran as its own layer")


globals()["scenario_" + SCENARIO]()
