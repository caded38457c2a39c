#!/usr/bin/python3
"""Writes DIR/report.html from DIR/summary.json: a self-contained page (plots embedded as
base64 PNG, made with matplotlib) with per-layer cycles by unit, utilisation, DRAM traffic,
energy and area breakdowns and a roofline. Usage: make_report.py DIR"""
import base64
import html
import io
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def layer_cycles_plot(layers):
    units = sorted({l["unit"] for l in layers})
    fig, ax = plt.subplots(figsize=(10, 4))
    x = range(len(layers))
    bottom = [0] * len(layers)
    for unit in units:
        vals = [l["cycles"] if l["unit"] == unit else 0 for l in layers]
        ax.bar(x, vals, bottom=bottom, label=unit)
        bottom = [b + v for b, v in zip(bottom, vals)]
    ax.set_xticks(list(x))
    ax.set_xticklabels([l["name"] for l in layers], rotation=75, fontsize=7)
    ax.set_ylabel("cycles")
    ax.set_title("Cycles per layer, stacked by unit")
    ax.legend()
    return fig


def bars_plot(labels, values, title, ylabel, color=None):
    fig, ax = plt.subplots(figsize=(10, 3.5))
    ax.bar(range(len(values)), values, color=color)
    ax.set_xticks(range(len(values)))
    ax.set_xticklabels(labels, rotation=75, fontsize=7)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return fig


def layer_energy_plot(by_layer):
    comps = sorted({c for l in by_layer for c in l["by_component"]})
    fig, ax = plt.subplots(figsize=(10, 4))
    bottom = [0.0] * len(by_layer)
    for comp in comps:
        vals = [l["by_component"].get(comp, 0.0) * 1e6 for l in by_layer]
        ax.bar(range(len(by_layer)), vals, bottom=bottom, label=comp)
        bottom = [b + v for b, v in zip(bottom, vals)]
    ax.set_xticks(range(len(by_layer)))
    ax.set_xticklabels([l["name"] for l in by_layer], rotation=75, fontsize=7)
    ax.set_ylabel("uJ")
    ax.set_title("Energy per layer, stacked by component (dynamic + leakage)")
    ax.legend(fontsize=7, ncol=2)
    return fig


def pie_plot(parts, title):
    total = sum(v for v in parts.values() if v > 0)
    parts = sorted(((v, k) for k, v in parts.items() if v > 0), reverse=True)
    small = sum(v for v, _ in parts if v < 0.02 * total)
    parts = [(v, k) for v, k in parts if v >= 0.02 * total] + ([(small, "other")] if small else [])
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.pie([v for v, _ in parts], labels=[k for _, k in parts], autopct="%1.1f%%",
           textprops={"fontsize": 8})
    ax.set_title(title)
    return fig


def roofline_plot(summary):
    roof = summary.get("roofline", {})
    peak, bw = roof.get("peak_ops_per_s", 0), roof.get("dram_bytes_per_s", 0)
    fig, ax = plt.subplots(figsize=(7, 5))
    hz = summary.get("clock_hz", 1)
    by_layer = summary.get("energy", {}).get("by_layer", [])
    xs, ys, names = [], [], []
    for l, e in zip(summary.get("layers", []), by_layer):
        dram = e.get("dram_bytes", 0)
        if l["macs"] == 0 or l["cycles"] == 0 or dram <= 0:
            continue
        xs.append(2 * l["macs"] / dram)
        ys.append(2 * l["macs"] / (l["cycles"] / hz))
        names.append(l["name"])
    lo = min(xs + [0.01]) / 4
    hi = max(xs + [peak / bw if bw else 100]) * 4
    grid = [lo * (hi / lo) ** (i / 100) for i in range(101)]
    if peak and bw:
        ax.plot(grid, [min(peak, bw * g) for g in grid], "k-", label="platform roofline")
    ax.scatter(xs, ys, c="tab:red", label="layers", zorder=3)
    for x, y, n in zip(xs, ys, names):
        ax.annotate(n, (x, y), fontsize=6)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("operational intensity (ops / DRAM byte)")
    ax.set_ylabel("ops / s")
    ax.set_title("Roofline (compute %.3g ops/s, DRAM %.3g B/s)" % (peak, bw))
    ax.legend()
    return fig


def figures(s):
    layers = s.get("layers", [])
    energy = s.get("energy", {})
    by_layer = energy.get("by_layer", [])
    figs = []
    if layers:
        names = [l["name"] for l in layers]
        figs.append(("Cycles by layer", layer_cycles_plot(layers)))
        figs.append(("Utilisation", bars_plot(names, [100 * l["utilization"] for l in layers],
                                              "Array utilisation per layer", "%", "tab:green")))
    if by_layer:
        names = [l["name"] for l in by_layer]
        figs.append(("DRAM traffic", bars_plot(names, [l["dram_bytes"] for l in by_layer],
                                               "DRAM traffic per layer", "bytes", "tab:purple")))
        figs.append(("Energy by layer", layer_energy_plot(by_layer)))
    comps = energy.get("by_component", {})
    if comps:
        figs.append(("Energy by component",
                     pie_plot({k: v["total_j"] for k, v in comps.items()}, "Energy by component")))
    area = s.get("area_mm2", {}).get("by_component", {})
    if area:
        figs.append(("Area by component", pie_plot({k: v["total"] for k, v in area.items()},
                                                   "Area by component (mm2)")))
    if layers:
        figs.append(("Roofline", roofline_plot(s)))
    return figs


def headline(s):
    d = s.get("derived", {})
    rows = [("platform", s.get("platform")), ("workload", s.get("workload")),
            ("technology", s.get("tech", {}).get("node")), ("total cycles", s.get("total_cycles")),
            ("seconds", s.get("seconds")), ("energy (J)", s.get("energy", {}).get("total_j")),
            ("power (W)", s.get("power_w")), ("area (mm2)", s.get("area_mm2", {}).get("total")),
            ("TOPS", d.get("tops")), ("TOPS/W", d.get("tops_per_w")),
            ("TOPS/mm2", d.get("tops_per_mm2")), ("EDP (J s)", d.get("edp_js"))]
    def fmt(v):
        return "%.4g" % v if isinstance(v, float) else str(v)
    return "".join("<tr><th>%s</th><td>%s</td></tr>" % (html.escape(str(k)), html.escape(fmt(v)))
                   for k, v in rows if v is not None)


def main():
    out = sys.argv[1]
    with open(os.path.join(out, "summary.json")) as f:
        s = json.load(f)
    parts = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>flecsim report</title>',
             "<style>body{font-family:sans-serif;margin:2em}img{max-width:100%}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;"
             "text-align:left}</style></head><body>",
             "<h1>flecsim report: %s</h1>" % html.escape(str(s.get("platform"))),
             "<table>%s</table>" % headline(s)]
    for title, fig in figures(s):
        parts.append('<h2>%s</h2><img class="plot" alt="%s" src="data:image/png;base64,%s">'
                     % (html.escape(title), html.escape(title), png(fig)))
    parts.append("</body></html>\n")
    with open(os.path.join(out, "report.html"), "w") as f:
        f.write("\n".join(parts))


if __name__ == "__main__":
    main()
