#!/usr/bin/python3
"""End-to-end checks of `flecsim run` (ctest runs one scenario per entry).
Usage: test_run.py FLECSIM SOURCE_DIR WORK_DIR SCENARIO"""
import json
import os
import re
import shutil
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


def systolic_commands(out):
    """(start us, duration us, command) of every systolic0 command in trace.json."""
    with open(os.path.join(out, "trace.json")) as f:
        trace = json.load(f)
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    tid = next(e["tid"] for e in events
               if e.get("name") == "thread_name" and e["args"]["name"] == "systolic0")
    return sorted((e["ts"], e["dur"], e["name"]) for e in events
                  if e.get("ph") == "X" and e.get("tid") == tid)


def two_array_platform():
    """edge-npu with a second array systolic1 (idle in runs, its bridge must not stall)."""
    import yaml
    with open(PLATFORM) as f:
        p = yaml.safe_load(f)
    p["accelerators"]["systolic1"] = dict(p["accelerators"]["systolic0"])
    p["crossbars"]["xbar0"]["initiators"].append("systolic1.dma")
    p["address_map"].append({"target": "systolic1.regs", "base": 0x20021000})
    p["interrupts"].append({"from": "systolic1.irq", "to": "plic0.5"})
    path = os.path.join(WORK, "two-arrays.yaml")
    os.makedirs(WORK, exist_ok=True)
    with open(path, "w") as f:
        yaml.safe_dump(p, f)
    return path


def same_run_both_models(model, name, extra=(), platform=PLATFORM, arrays=("systolic0",)):
    """Runs `model` with model: tlm and model: rtl; both must agree exactly (issue 4)."""
    runs = {}
    for kind in ("tlm", "rtl"):
        out = os.path.join(WORK, f"{name}_{kind}")
        models = [x for a in arrays for x in ("--set", f"accelerators.{a}.model={kind}")]
        run(["run", platform, os.path.join(MODELS, model), "-q", "-o", out, "--trace",
             *models, *extra], 0)
        runs[kind] = (out, summary(out))
    (tlm_out, tlm), (rtl_out, rtl) = runs["tlm"], runs["rtl"]
    expect(rtl["check"]["status"] == "pass", f"{name}: the Verilated array passes the check")
    outputs = sorted(os.listdir(os.path.join(tlm_out, "outputs")))
    expect(outputs and all(np.array_equal(np.load(os.path.join(tlm_out, "outputs", o)),
                                          np.load(os.path.join(rtl_out, "outputs", o)))
                           for o in outputs), f"{name}: bit-identical outputs")
    print(f"{name}: tlm {tlm['total_cycles']} cycles, rtl {rtl['total_cycles']} cycles")
    expect(rtl["total_cycles"] == tlm["total_cycles"], f"{name}: identical whole-run cycles")
    expect([l["cycles"] for l in rtl["layers"]] == [l["cycles"] for l in tlm["layers"]],
           f"{name}: identical cycles per layer")
    cmds = systolic_commands(tlm_out)
    expect(len(cmds) > 10 and systolic_commands(rtl_out) == cmds,
           f"{name}: identical start and end of all {len(cmds)} array commands")
    late = rtl["components"]["systolic0"]["counters"]["late_register_accesses"]["value"]
    expect(late == 0, f"{name}: every register access reached the RTL in its own cycle")


def firmware_cycles(kind):
    elf = os.path.join(os.path.dirname(FLECSIM), "firmware", "systolic_gemm.elf")
    proc = run(["fw", PLATFORM, elf, "--set", "accelerators.systolic0.model=" + kind], 0)
    m = re.search(r"after (\d+) instructions, (\d+) cycles", proc.stderr)
    expect(m is not None, f"systolic_gemm ({kind}) reports its cycles")
    return int(m.group(2))


def scenario_rtl_model():
    same_run_both_models("resnet8-int8.onnx", "r8")
    same_run_both_models("lenet5-int8.onnx", "lenet5_8x8",
                         ["--set", "accelerators.systolic0.rows=8",
                          "--set", "accelerators.systolic0.cols=8"])
    same_run_both_models("lenet5-int8.onnx", "lenet5_two", platform=two_array_platform(),
                         arrays=("systolic0", "systolic1"))
    tlm, rtl = firmware_cycles("tlm"), firmware_cycles("rtl")
    print(f"systolic_gemm: tlm {tlm} cycles, rtl {rtl} cycles")
    expect(tlm == rtl, "firmware example systolic_gemm: identical cycles on both models")


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


def quantized(model, extra=(), name=None, platform=PLATFORM, code=0):
    out = os.path.join(WORK, name or "q-" + model)
    proc = run(["run", platform, os.path.join(MODELS, model), "-q", "-o", out, *extra], code)
    return proc, (summary(out) if code == 0 else None)


# --quantize int8 on the float workloads: calibrated on the run input, checked bit-exactly
# against the reference of the quantised graph, close to the fp32 model (figures measured on
# edge-npu, asserted with a margin), convolutions and matmuls on the array.
# Measured: lenet5 0.999849, resnet8 0.999847, mlp 0.999756.
QUANT_MIN_COSINE = {"lenet5-fp32.onnx": 0.999, "resnet8-fp32.onnx": 0.999, "mlp-fp32.onnx": 0.998}


def scenario_quantize_float():
    for model, min_cosine in QUANT_MIN_COSINE.items():
        _, s = quantized(model, ["--quantize", "int8"])
        c = s["check"]
        print(f"{model}: cosine {c['cosine_similarity_fp32']:.6f}, max abs error vs fp32 "
              f"{c['max_abs_error_fp32']:.6f}, {s['total_cycles']} cycles")
        expect(c["status"] == "pass" and c["max_abs_error"] == 0,
               model + ": bit-exact against the reference of the quantised graph")
        expect(min_cosine <= c["cosine_similarity_fp32"] < 1.0,
               f"{model}: cosine vs fp32 {c['cosine_similarity_fp32']:.5f} >= {min_cosine}")
        expect(c["max_abs_error_fp32"] > 0, model + ": the float model's output is the yardstick")
        heavy = [l for l in s["layers"] if l["op"].split("+")[0] in ("QConv", "QGemm", "QMatMul")]
        expect(heavy and all(l["unit"] == "systolic0" for l in heavy),
               f"{model}: {len(heavy)} quantised conv/gemm layers, all on the array")
        expect(not any(l["op"] in ("Conv", "Gemm", "BatchNormalization") for l in s["layers"]),
               model + ": no float conv/gemm/BN left")
        expect(set(s["quantization"]["layers"].values()) == {"int8"} and
               s["quantization"]["quantized_ops"] == len(heavy),
               model + ": summary.json lists the quantised layers")
    # A depthwise convolution (the array takes group 1 only) is quantised too, on the CPU.
    rng = np.random.default_rng(3)
    w = {name: numpy_helper.from_array((rng.standard_normal(shape) * 0.3).astype(np.float32), name)
         for name, shape in (("w1", (8, 3, 3, 3)), ("w2", (8, 1, 3, 3)), ("w3", (4, 8, 1, 1)))}
    dw = os.path.join(WORK, "depthwise.onnx")
    write_model(dw, [helper.make_node("Conv", ["x", "w1"], ["a"], name="conv_a", pads=[1] * 4),
                     helper.make_node("Relu", ["a"], ["ra"], name="relu_a"),
                     helper.make_node("Conv", ["ra", "w2"], ["b"], name="conv_dw", group=8,
                                      pads=[1] * 4),
                     helper.make_node("Clip", ["b", "zero", "six"], ["rb"], name="relu6_b"),
                     helper.make_node("Conv", ["rb", "w3"], ["y"], name="conv_pw")],
                [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 12, 12])],
                [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 12, 12])],
                [*w.values(), numpy_helper.from_array(np.array(0, np.float32), "zero"),
                 numpy_helper.from_array(np.array(6, np.float32), "six")])
    out = os.path.join(WORK, "q-depthwise")
    run(["run", PLATFORM, dw, "-q", "-o", out], 0)
    s = summary(out)
    unit = {l["name"]: (l["op"], l["unit"]) for l in s["layers"]}
    expect(unit["conv_dw"] == ("QConv+Relu", "systolic0") and unit["conv_a"][1] == "systolic0" and
           unit["conv_pw"][1] == "systolic0" and s["check"]["status"] == "pass" and
           s["check"]["cosine_similarity_fp32"] > 0.999,
           f"auto: every conv, depthwise (+ReLU6) included, in int8 on the array ({unit})")
    _, auto = quantized("lenet5-fp32.onnx", name="q-auto")
    expect(any(l["unit"] == "systolic0" for l in auto["layers"]),
           "--quantize auto quantises a float model for the int8 array")
    _, none = quantized("lenet5-fp32.onnx", ["--quantize", "none"], name="q-none")
    expect({l["unit"] for l in none["layers"]} == {"cpu"} and
           none["check"]["cosine_similarity_fp32"] > 0.999999, "--quantize none stays fp32")


def scenario_quantize_int16_bf16():
    # Measured on edge-npu: cosine vs fp32 lenet5 0.9999999985, mlp 0.9999999964 (int8: 0.99985,
    # 0.99976); the array takes int8 only, so int16 layers run as the runtime's int16 kernels.
    for model in ("lenet5-fp32.onnx", "mlp-fp32.onnx"):
        _, s = quantized(model, ["--quantize", "int16"], name="i16-" + model)
        c = s["check"]
        expect(c["status"] == "pass" and c["max_abs_error"] == 0,
               model + ": int16 bit-exact against the reference of the quantised graph")
        expect(c["cosine_similarity_fp32"] > 0.99999,
               f"{model}: int16 cosine vs fp32 {c['cosine_similarity_fp32']:.9f}")
        wide = [l for l in s["layers"] if l["op"].startswith(("QConv16", "QGemm16"))]
        expect(len(wide) == {"lenet5-fp32.onnx": 5, "mlp-fp32.onnx": 3}[model] and
               all(l["unit"] == "cpu" for l in wide), model + ": int16 layers on the CPU")
    mixed = write_platform("mixed16.yaml", "    default: int8\n    layers:\n"
                           "      gemm12_gemm: int16\n")
    _, s = quantized("lenet5-fp32.onnx", name="q-mixed16", platform=mixed)
    layer = {l["name"]: l for l in s["layers"]}
    expect(layer["gemm12_gemm"]["op"] == "QGemm16" and layer["gemm12_gemm"]["unit"] == "cpu" and
           layer["gemm10_gemm"]["op"] == "QGemm+Relu" and
           layer["gemm10_gemm"]["unit"] == "systolic0" and s["check"]["status"] == "pass",
           "int8 and int16 layers in one model, converted at the boundary")
    # bf16 (measured: cosine 0.99998694 vs fp32, 21,013,967 cycles): rounded operands, fp32
    # accumulation, CPU kernels.
    _, s = quantized("lenet5-fp32.onnx", ["--quantize", "bf16"], name="q-bf16")
    c = s["check"]
    expect(c["status"] == "pass" and c["max_abs_error"] <= 1e-4 and
           0.9999 < c["cosine_similarity_fp32"] < 1.0,
           f"bf16 passes, cosine vs fp32 {c['cosine_similarity_fp32']:.8f}")
    bf16 = [l for l in s["layers"] if l["op"].startswith("BF16")]
    expect(len(bf16) == 5 and all(l["unit"] == "cpu" for l in bf16) and
           sum(l["op"] == "RoundBF16" for l in s["layers"]) == 5, "bf16 layers on the CPU")


def scenario_calib_dir():
    rng = np.random.default_rng(5)
    flat, named = os.path.join(WORK, "calib-flat"), os.path.join(WORK, "calib-named")
    for d in (flat, named):
        shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(named, "input"))
    os.makedirs(flat)
    for i in range(3):  # DIR/*.npy and DIR/<input name>/*.npy
        np.save(os.path.join(flat, f"set{i}.npy"), rng.uniform(-2, 2, (1, 784)).astype(np.float32))
        np.save(os.path.join(named, "input", f"set{i}.npy"),
                rng.uniform(-3, 3, (1, 784)).astype(np.float32))
    quantized("mlp-fp32.onnx", ["--quantize", "int8"], name="calib-own")
    own = np.load(os.path.join(WORK, "calib-own", "outputs", "gemm5.npy"))
    for layout in (flat, named):
        name = os.path.basename(layout)
        _, s = quantized("mlp-fp32.onnx", ["--quantize", "int8", "--calib", layout], name=name + "-run")
        expect(s["check"]["status"] == "pass" and s["check"]["cosine_similarity_fp32"] > 0.99,
               f"--calib {name} passes, cosine {s['check']['cosine_similarity_fp32']:.5f}")
        y = np.load(os.path.join(WORK, name + "-run", "outputs", "gemm5.npy"))
        expect(not np.array_equal(own, y), name + ": other calibration data give other scales")
    bad = os.path.join(WORK, "calib-bad")
    shutil.rmtree(bad, ignore_errors=True)
    os.makedirs(bad)
    proc, _ = quantized("mlp-fp32.onnx", ["--quantize", "int8", "--calib", bad], "cb", code=2)
    expect("calib-bad" in proc.stderr and "no .npy" in proc.stderr, "an empty folder is refused")
    proc, _ = quantized("mlp-fp32.onnx", ["--calib", bad + "-missing"], "cb", code=2)
    expect("calib-bad-missing: not a directory" in proc.stderr, "a missing folder is refused")
    with open(os.path.join(bad, "broken.npy"), "wb") as f:
        f.write(b"\x93NUMPY garbage")
    proc, _ = quantized("mlp-fp32.onnx", ["--calib", bad], "cb", code=2)
    expect("broken.npy" in proc.stderr, "a malformed .npy names the file")
    os.remove(os.path.join(bad, "broken.npy"))
    np.save(os.path.join(bad, "wide.npy"), np.zeros((1, 785), np.float32))
    proc, _ = quantized("mlp-fp32.onnx", ["--calib", bad], "cb", code=2)
    expect("wide.npy" in proc.stderr and "[1,785]" in proc.stderr,
           "a wrong shape names the file: " + proc.stderr.strip())


def write_platform(name, quantize_yaml):
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        f.write(f"include: {PLATFORM}\ncompiler:\n  quantize:\n{quantize_yaml}")
    return path


def scenario_quantize_layers_yaml():
    mixed = write_platform("mixed.yaml", "    default: int8\n    layers:\n"
                           "      conv1_conv: none\n      \"gemm1*\": none\n")
    _, s = quantized("lenet5-fp32.onnx", name="q-mixed", platform=mixed)
    layer = {l["name"]: l for l in s["layers"]}
    expect(layer["conv1_conv"]["op"] == "Conv" and layer["conv1_conv"]["unit"] == "cpu",
           "conv1_conv: none stays fp32 on the CPU")
    expect(layer["conv4_conv"]["op"] == "QConv+Relu" and layer["conv4_conv"]["unit"] == "systolic0",
           "conv4_conv takes the default int8, on the array")
    expect(layer["gemm8_gemm"]["unit"] == "systolic0" and layer["gemm10_gemm"]["op"] == "Gemm" and
           layer["gemm12_gemm"]["op"] == "Gemm", "the glob gemm1* keeps gemm10 and gemm12 fp32")
    expect(s["check"]["status"] == "pass" and s["check"]["cosine_similarity_fp32"] > 0.99,
           f"mixed precision passes, cosine {s['check']['cosine_similarity_fp32']:.5f}")
    _, s = quantized("lenet5-fp32.onnx", ["--quantize", "none"], name="q-mixed-none",
                     platform=mixed)
    expect({l["unit"] for l in s["layers"]} == {"cpu"}, "--quantize none overrides the YAML")
    for name, body, want in (
            ("typo.yaml", "    layers:\n      conv1_conv: int8\n      conv9: none\n",
             "typo.yaml:6:7: compiler.quantize.layers: no node of"),
            ("precision.yaml", "    layers:\n      conv1_conv: int4\n",
             "precision.yaml:5:19: expected a precision"),
            ("key.yaml", "    defaults: int8\n", "key.yaml:4:5: compiler.quantize: unknown key "
             "'defaults' (did you mean 'default'?)")):
        proc, _ = quantized("lenet5-fp32.onnx", name="q-bad", platform=write_platform(name, body),
                            code=2)
        expect(want in proc.stderr, f"{name}: {proc.stderr.strip()}")


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


def scenario_large_models():
    """MobileNetV2 (depthwise + ReLU6) and ResNet-50 int8, generated by workload_models."""
    models = os.path.join(os.path.dirname(FLECSIM), "models")
    for name in ("mobilenetv2", "resnet50"):
        out = os.path.join(WORK, "large_" + name)
        run(["run", PLATFORM, os.path.join(models, name + "-int8.onnx"), "-q", "-o", out], 0)
        s = summary(out)
        expect(s["check"]["status"] == "pass" and s["check"]["max_abs_error"] == 0,
               f"{name}: bit-exact against the reference executor")
        convs = [l for l in s["layers"] if l["op"].startswith("QConv")]
        expect(len(convs) > 40 and all(l["unit"] == "systolic0" for l in convs),
               f"{name}: all {len(convs)} int8 convolutions (depthwise included) on the array")


globals()["scenario_" + SCENARIO]()
