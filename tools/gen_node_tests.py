#!/usr/bin/python3
"""Write the ONNX backend node test cases of the installed python3-onnx into a folder.

Layout per case (as onnx's own backend-test-tools): OUT/<name>/model.onnx and
OUT/<name>/test_data_set_<i>/{input,output}_<j>.pb, plus OUT/manifest.json with the
op types, rtol and atol of every case. Deterministic: numpy's generator is seeded
before the case modules run. Cases whose inputs or outputs are not plain tensors
(sequences, maps, optionals) are skipped: the reference executor works on tensors.
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np

# onnx 1.12's case modules use numpy aliases that numpy 1.24 removed.
for alias, builtin in (("float", float), ("int", int), ("bool", bool), ("object", object)):
    if alias not in np.__dict__:
        setattr(np, alias, builtin)
np.random.seed(0)

import onnx.backend.test.case.node as node_cases  # noqa: E402
from onnx import numpy_helper  # noqa: E402


def is_plain_tensor_io(case):
    values = list(case.model.graph.input) + list(case.model.graph.output)
    return all(v.type.HasField("tensor_type") for v in values)


def write_case(case, out_dir):
    case_dir = os.path.join(out_dir, case.name)
    if os.path.exists(case_dir):  # a few names repeat; like onnx's own tool, the last wins
        shutil.rmtree(case_dir)
    os.makedirs(case_dir)
    with open(os.path.join(case_dir, "model.onnx"), "wb") as f:
        f.write(case.model.SerializeToString())
    graph = case.model.graph
    for i, (inputs, outputs) in enumerate(case.data_sets):
        set_dir = os.path.join(case_dir, f"test_data_set_{i}")
        os.makedirs(set_dir)
        for kind, values, infos in (("input", inputs, graph.input), ("output", outputs, graph.output)):
            for j, value in enumerate(values):
                proto = numpy_helper.from_array(np.asarray(value), infos[j].name)
                with open(os.path.join(set_dir, f"{kind}_{j}.pb"), "wb") as f:
                    f.write(proto.SerializeToString())


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", help="output folder (replaced)")
    args = parser.parse_args()
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    manifest = {}
    for case in node_cases.collect_testcases(None):
        if case.kind != "node" or not is_plain_tensor_io(case):
            continue
        write_case(case, args.out)
        manifest[case.name] = {
            "ops": sorted({n.op_type for n in case.model.graph.node}),
            "rtol": case.rtol,
            "atol": case.atol,
        }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
    print(f"wrote {len(manifest)} node test cases to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
