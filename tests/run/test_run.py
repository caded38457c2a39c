#!/usr/bin/python3
"""End-to-end checks of `flecsim run` (ctest runs one scenario per entry).
Usage: test_run.py FLECSIM SOURCE_DIR WORK_DIR SCENARIO"""
import json
import os
import re
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
    expect(len(cmds) > 100 and systolic_commands(rtl_out) == cmds,
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


globals()["scenario_" + SCENARIO]()
