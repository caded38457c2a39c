#!/usr/bin/python3
"""Full-stack ONNX node tests: every backend node test case whose ops the reference executor
supports is compiled by `flecsim run --quantize none`, executed by the runtime firmware on the
simulated CPU of a platform, and its outputs are compared with the case's expected outputs
within the case's rtol/atol (|got - want| <= atol + rtol * |want|, as ONNX's runner does).

Cases the compiler cannot map to any unit of the platform (flecsim exits 2 naming the node)
are counted as unsupported and listed; a case that runs and differs, or crashes, fails.
Prints one line per non-passing case and the closing 'N passed, N failed' line. With
--expect-passed N, a pass count other than N fails too (so a case that stops being
supported, or a newly supported one without updating the count, is noticed).
Usage: run_node_tests_fullstack.py FLECSIM PLATFORM NODE_TEST_DIR WORK_DIR [--jobs N]
                                   [--expect-passed N]
"""
import concurrent.futures
import json
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import numpy_helper

SUPPORTED = {
    "Conv", "ConvInteger", "QLinearConv", "Gemm", "MatMul", "MatMulInteger", "QLinearMatMul",
    "QuantizeLinear", "DequantizeLinear", "Relu", "LeakyRelu", "Clip", "Sigmoid", "Tanh",
    "Softmax", "BatchNormalization", "MaxPool", "AveragePool", "GlobalAveragePool", "Add",
    "Sub", "Mul", "Div", "Max", "Min", "Pow", "Sqrt", "ReduceMean", "Concat", "Reshape",
    "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Pad", "Resize", "Identity", "Constant"}


def run_case(flecsim, platform, case_dir, name, info, work):
    model = onnx.load(os.path.join(case_dir, "model.onnx"))
    inits = {i.name for i in model.graph.initializer}
    inputs = [i.name for i in model.graph.input if i.name not in inits]
    outputs = [o.name for o in model.graph.output]
    data = os.path.join(case_dir, "test_data_set_0")
    out_dir = os.path.join(work, name)
    cmd = [flecsim, "run", platform, os.path.join(case_dir, "model.onnx"), "--quantize", "none",
           "-q", "-o", out_dir, "--set", "peripherals.uart0.baud=0"]
    for k, input_name in enumerate(inputs):
        cmd += ["--input", f"{input_name}={os.path.join(data, f'input_{k}.pb')}"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return "fail", "timeout"
    if proc.returncode == 2 and ("unsupported node" in proc.stderr or "is not supported" in proc.stderr):
        return "unsupported", proc.stderr.strip().splitlines()[-1]
    if proc.returncode != 0:
        return "fail", f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}"
    for k, output_name in enumerate(outputs):
        want = numpy_helper.to_array(onnx.load_tensor(os.path.join(data, f"output_{k}.pb")))
        safe = output_name.replace("/", "_").replace("\\", "_").replace(":", "_")
        got = np.load(os.path.join(out_dir, "outputs", safe + ".npy"))
        if got.shape != want.shape and got.size == want.size:
            got = got.reshape(want.shape)
        if got.shape != want.shape:
            return "fail", f"output {output_name}: shape {got.shape} != {want.shape}"
        g = got.astype(np.float64)
        w = want.astype(np.float64)
        ok = np.abs(g - w) <= info["atol"] + info["rtol"] * np.abs(w)
        ok |= np.isnan(g) & np.isnan(w)
        if not ok.all():
            i = int(np.argmin(ok.reshape(-1)))
            return "fail", f"output {output_name}[{i}]: {g.reshape(-1)[i]} != {w.reshape(-1)[i]}"
    return "pass", ""


def main():
    flecsim, platform, node_dir, work = sys.argv[1:5]
    jobs = int(sys.argv[sys.argv.index("--jobs") + 1]) if "--jobs" in sys.argv else 2
    expect = (int(sys.argv[sys.argv.index("--expect-passed") + 1])
              if "--expect-passed" in sys.argv else None)
    with open(os.path.join(node_dir, "manifest.json")) as f:
        manifest = json.load(f)
    cases = {n: i for n, i in manifest.items() if i["ops"] and set(i["ops"]) <= SUPPORTED}
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(run_case, flecsim, platform, os.path.join(node_dir, n), n, i, work): n
                   for n, i in cases.items()}
        for fut in concurrent.futures.as_completed(futures):
            results[futures[fut]] = fut.result()
    counts = {"pass": 0, "fail": 0, "unsupported": 0}
    for name in sorted(results):
        status, why = results[name]
        counts[status] += 1
        if status != "pass":
            print(f"{status}: {name}: {why}")
    print(f"{counts['unsupported']} cases use an op or attribute no unit of the platform runs")
    print(f"{counts['pass']} passed, {counts['fail']} failed")
    if expect is not None and counts["pass"] != expect:
        print(f"expected {expect} passed cases, got {counts['pass']}")
        return 1
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
