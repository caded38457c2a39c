#!/usr/bin/python3
"""Build the workload networks as ONNX, fp32 and int8 QDQ, with deterministic weights.

Networks: lenet5, resnet8 (CIFAR), resnet18, resnet34, resnet50, mobilenetv2,
squeezenet11, mlp. Uses only python3-onnx and numpy.

fp32 models keep Conv + BatchNormalization (what exporters produce; the compiler folds
BN). int8 models are in the QDQ format of ONNX Runtime's quantiser: BN folded into the
convolution, weights int8 per output channel symmetric (QuantizeLinear baked in, a
DequantizeLinear node in the graph), bias int32 with scale in_scale * w_scale, every
activation a QuantizeLinear -> DequantizeLinear pair (int8, per tensor, asymmetric)
with ranges calibrated on a deterministic random batch; Relu/Clip directly after a
convolution share its output quantisation (fused). Weights are random (He init) and
BatchNormalization statistics are those of the calibration input, so activations stay
in range through deep networks.

  gen_models.py --out DIR [--models a,b] [--seed N]
writes DIR/<model>-fp32.onnx and DIR/<model>-int8.onnx.
"""
import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model_zoo import NETWORKS  # noqa: E402

OPSET = 13


def conv_forward(x, w, b, stride, pad, groups):
    """NCHW convolution in numpy: one batched matmul per kernel tap."""
    n, c, h, wd = x.shape
    m, cg, kh, kw = w.shape
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh = (h + 2 * pad - kh) // stride + 1
    ow = (wd + 2 * pad - kw) // stride + 1
    mg = m // groups
    wg = w.reshape(groups, mg, cg, kh, kw)
    y = np.zeros((n, groups, mg, oh * ow), dtype=np.float64)
    for i in range(kh):
        for j in range(kw):
            tap = x[:, :, i:i + stride * (oh - 1) + 1:stride, j:j + stride * (ow - 1) + 1:stride]
            tap = tap.reshape(n, groups, cg, oh * ow)
            y += np.matmul(wg[:, :, :, i, j], tap)
    y = y.reshape(n, m, oh, ow)
    return (y + b.reshape(1, m, 1, 1)).astype(np.float32)


def pool_forward(x, kind, k, stride, pad, ceil_mode=False):
    n, c, h, w = x.shape

    def out_size(size):
        span = size + 2 * pad - k
        o = (-(-span // stride) if ceil_mode else span // stride) + 1
        if ceil_mode and (o - 1) * stride >= size + pad:
            o -= 1
        return o
    oh, ow = out_size(h), out_size(w)
    fill = -np.inf if kind == "max" else 0.0
    hp = max(h + 2 * pad, (oh - 1) * stride + k)
    wp = max(w + 2 * pad, (ow - 1) * stride + k)
    xp = np.full((n, c, hp, wp), fill, dtype=np.float64)
    xp[:, :, pad:pad + h, pad:pad + w] = x
    taps = [xp[:, :, i:i + stride * (oh - 1) + 1:stride, j:j + stride * (ow - 1) + 1:stride]
            for i in range(k) for j in range(k)]
    if kind == "max":
        return np.max(taps, axis=0).astype(np.float32)
    return (np.sum(taps, axis=0) / (k * k)).astype(np.float32)


class Network:
    """Records layers with parameters, runs them in numpy and emits ONNX graphs."""

    def __init__(self, name, input_shape, seed):
        self.name = name
        self.rng = np.random.default_rng(seed)
        self.input_shape = input_shape
        self.layers = []  # (kind, inputs, output, params)
        # Calibration batch: several samples so that ranges hold for other random inputs.
        batch = 16 if np.prod(input_shape) < 65536 else 2
        calib_shape = (batch,) + tuple(input_shape[1:])
        self.values = {"input": self.rng.uniform(-1, 1, calib_shape).astype(np.float32)}
        self.counter = 0

    def _new(self, kind):
        self.counter += 1
        return f"{kind}{self.counter}"

    def _add(self, kind, inputs, params, value):
        out = self._new(kind)
        self.layers.append((kind, inputs, out, params))
        self.values[out] = value
        return out

    def conv(self, x, out_ch, k, stride=1, pad=None, groups=1, bn=True):
        pad = k // 2 if pad is None else pad
        in_ch = self.values[x].shape[1]
        fan_in = in_ch // groups * k * k
        w = (self.rng.standard_normal((out_ch, in_ch // groups, k, k)) *
             np.sqrt(2.0 / fan_in)).astype(np.float32)
        b = np.zeros(out_ch, np.float32)
        params = {"w": w, "b": b, "stride": stride, "pad": pad, "groups": groups}
        y = conv_forward(self.values[x], w, b, stride, pad, groups)
        if bn:  # statistics of the calibration batch; a positive shift (beta) keeps most
            # units active, which tames the error growth of deep random networks
            mean = y.mean(axis=(0, 2, 3)).astype(np.float32)
            var = y.var(axis=(0, 2, 3)).astype(np.float32) + 1e-3
            gamma = self.rng.uniform(0.5, 1.0, out_ch).astype(np.float32)
            beta = self.rng.uniform(0.0, 0.5, out_ch).astype(np.float32)
            params["bn"] = (gamma, beta, mean, var)
            scale = gamma / np.sqrt(var + 1e-5)
            y = (y - mean.reshape(1, -1, 1, 1)) * scale.reshape(1, -1, 1, 1) + beta.reshape(1, -1, 1, 1)
        return self._add("conv", [x], params, y.astype(np.float32))

    def relu(self, x, six=False):
        v = np.maximum(self.values[x], 0)
        return self._add("relu6" if six else "relu", [x], {}, np.minimum(v, 6) if six else v)

    def add(self, a, b):
        return self._add("add", [a, b], {}, self.values[a] + self.values[b])

    def pool(self, x, kind, k, stride, pad=0, ceil_mode=False):
        params = {"k": k, "stride": stride, "pad": pad, "ceil": ceil_mode}
        return self._add(kind + "pool", [x], params, pool_forward(self.values[x], kind, k, stride, pad, ceil_mode))

    def global_avg(self, x):
        return self._add("gap", [x], {}, self.values[x].mean(axis=(2, 3), keepdims=True))

    def flatten(self, x):
        v = self.values[x]
        return self._add("flatten", [x], {}, v.reshape(v.shape[0], -1))

    def concat(self, xs):
        return self._add("concat", xs, {}, np.concatenate([self.values[x] for x in xs], axis=1))

    def dense(self, x, out_features):
        in_features = self.values[x].shape[1]
        w = (self.rng.standard_normal((out_features, in_features)) *
             np.sqrt(2.0 / in_features)).astype(np.float32)
        b = self.rng.uniform(-0.1, 0.1, out_features).astype(np.float32)
        return self._add("gemm", [x], {"w": w, "b": b}, (self.values[x] @ w.T + b).astype(np.float32))


def folded(params):
    """Conv weights and bias with BatchNormalization folded in."""
    w, b = params["w"], params["b"]
    if "bn" not in params:
        return w, b
    gamma, beta, mean, var = params["bn"]
    scale = gamma / np.sqrt(var + 1e-5)
    return (w * scale.reshape(-1, 1, 1, 1)).astype(np.float32), ((b - mean) * scale + beta).astype(np.float32)


class Emitter:
    """Collects nodes and initializers of one ONNX graph."""

    def __init__(self):
        self.nodes, self.inits = [], []

    def const(self, name, array):
        self.inits.append(numpy_helper.from_array(array, name))
        return name

    def node(self, op, inputs, output, **attrs):
        self.nodes.append(helper.make_node(op, inputs, [output], name=output + "_" + op.lower(), **attrs))
        return output


def emit_layer(e, kind, ins, out, p, weight_input):
    """Emits one layer reading `ins`; weight_input(name, w, b) gives the W and B inputs."""
    if kind == "conv":
        w_in, b_in = weight_input(out, p)
        k = p["w"].shape[2]
        return e.node("Conv", ins + [w_in, b_in], out, kernel_shape=[k, k], strides=[p["stride"]] * 2,
                      pads=[p["pad"]] * 4, group=p["groups"])
    if kind == "gemm":
        w_in, b_in = weight_input(out, p)
        return e.node("Gemm", ins + [w_in, b_in], out, transB=1)
    if kind == "relu":
        return e.node("Relu", ins, out)
    if kind == "relu6":
        return e.node("Clip", ins + [e.const(out + "_lo", np.array(0, np.float32)),
                                     e.const(out + "_hi", np.array(6, np.float32))], out)
    if kind == "add":
        return e.node("Add", ins, out)
    if kind in ("maxpool", "avgpool"):
        return e.node("MaxPool" if kind == "maxpool" else "AveragePool", ins, out,
                      kernel_shape=[p["k"]] * 2, strides=[p["stride"]] * 2, pads=[p["pad"]] * 4,
                      ceil_mode=int(p["ceil"]))
    if kind == "gap":
        return e.node("GlobalAveragePool", ins, out)
    if kind == "flatten":
        return e.node("Flatten", ins, out, axis=1)
    if kind == "concat":
        return e.node("Concat", ins, out, axis=1)
    raise ValueError(kind)


def finish(net, e, output, suffix):
    x = helper.make_tensor_value_info("input", TensorProto.FLOAT, list(net.input_shape))
    out_shape = (net.input_shape[0],) + net.values[net.layers[-1][2]].shape[1:]
    y = helper.make_tensor_value_info(output, TensorProto.FLOAT, list(out_shape))
    graph = helper.make_graph(e.nodes, f"{net.name}-{suffix}", [x], [y], e.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="flecsim gen_models.py")
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


def build_fp32(net):
    e = Emitter()

    def weight_input(out, p):
        return e.const(out + "_w", p["w"]), e.const(out + "_b", p["b"])
    for kind, ins, out, p in net.layers:
        if kind == "conv" and "bn" in p:
            emit_layer(e, kind, ins, out + "_conv", p, weight_input)
            gamma, beta, mean, var = p["bn"]
            e.node("BatchNormalization", [out + "_conv"] + [e.const(out + n, a) for n, a in
                   (("_gamma", gamma), ("_beta", beta), ("_mean", mean), ("_var", var))], out)
        else:
            emit_layer(e, kind, ins, out, p, weight_input)
    return finish(net, e, net.layers[-1][2], "fp32")


def activation_qparams(values):
    lo, hi = min(float(values.min()), 0.0), max(float(values.max()), 0.0)
    scale = max((hi - lo) / 255.0, 1e-8)
    zero = int(np.clip(np.round(-128 - lo / scale), -128, 127))
    return np.float32(scale), np.int8(zero)


def build_int8(net):
    e = Emitter()
    scales = {}  # value name -> (scale, zero point) of its Q/DQ pair
    consumers = {}
    for kind, ins, out, p in net.layers:
        for i in ins:
            consumers.setdefault(i, []).append(kind)

    def qdq(name):
        """Q -> DQ pair after value `name`; returns the dequantised name."""
        s, z = activation_qparams(net.values[name])
        scales[name] = (s, z)
        sn, zn = e.const(name + "_scale", np.array(s)), e.const(name + "_zp", np.array(z))
        e.node("QuantizeLinear", [name, sn, zn], name + "_q")
        return e.node("DequantizeLinear", [name + "_q", sn, zn], name + "_dq")

    def weight_input(out, p):
        w, b = folded(p) if "stride" in p else (p["w"], p["b"])
        in_scale = scales[current_input[0]][0]
        w_scale = (np.abs(w).reshape(w.shape[0], -1).max(axis=1) / 127.0).astype(np.float32)
        w_scale = np.maximum(w_scale, np.float32(1e-8))
        shape = (-1,) + (1,) * (w.ndim - 1)
        wq = np.clip(np.round(w / w_scale.reshape(shape)), -127, 127).astype(np.int8)
        b_scale = (in_scale * w_scale).astype(np.float32)
        bq = np.round(b / b_scale).astype(np.int32)
        wd = e.node("DequantizeLinear", [e.const(out + "_wq", wq), e.const(out + "_ws", w_scale),
                                         e.const(out + "_wz", np.zeros(w.shape[0], np.int8))],
                    out + "_w", axis=0)
        bd = e.node("DequantizeLinear", [e.const(out + "_bq", bq), e.const(out + "_bs", b_scale),
                                         e.const(out + "_bz", np.zeros(w.shape[0], np.int32))],
                    out + "_b", axis=0)
        return wd, bd

    dq_name = {"input": qdq("input")}
    current_input = [None]
    for kind, ins, out, p in net.layers:
        # The quantised source of each input: conv fused with a following Relu keeps the
        # float output and quantises after the activation.
        src = [dq_name.get(i, i) for i in ins]
        current_input[0] = next((i for i in ins if i in scales), None)
        emit_layer(e, kind, src, out, p, weight_input)
        fused = kind in ("conv", "gemm") and consumers.get(out) in (["relu"], ["relu6"])
        if not fused and kind not in ("flatten",):
            dq_name[out] = qdq(out)
        elif kind == "flatten":
            dq_name[out] = out
            scales[out] = scales[current_input[0]]
    last = net.layers[-1][2]
    return finish(net, e, dq_name[last], "int8")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--models", default=",".join(NETWORKS))
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name in args.models.split(","):
        if name not in NETWORKS:
            sys.exit(f"unknown model '{name}' (known: {', '.join(NETWORKS)})")
        input_shape, build = NETWORKS[name]
        net = Network(name, input_shape, args.seed)
        build(net)
        for suffix, make in (("fp32", build_fp32), ("int8", build_int8)):
            path = os.path.join(args.out, f"{name}-{suffix}.onnx")
            onnx.save(make(net), path)
            print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
