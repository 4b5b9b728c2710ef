#!/usr/bin/env python3
"""Prints criterion's medians from target/criterion as a markdown table with nexus/peer ratios."""
import json
import pathlib
import sys

root = pathlib.Path(__file__).parent / "target" / "criterion"


def fmt(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.1f} ns"


rows = {}
for est in sorted(root.glob("*/*/new/estimates.json")):
    group, bench = est.parts[-4], est.parts[-3]
    rows.setdefault(group, {})[bench] = json.loads(est.read_text())["median"]["point_estimate"]

order = ["get", "set_0_subscribers", "set_1_subscriber", "deep_chain_50", "broad_50", "diamond_5", "triangle_10",
         "mux_100", "repeated_50", "unstable", "cellx_10", "cellx_20", "cellx_100", "cellx_1000", "new_store_touch_10", "new_store_declared_atoms"]
print("| workload | nexus | peer | peer median | nexus / peer |")
print("|---|---|---|---|---|")
for group in order + sorted(set(rows) - set(order)):
    if group not in rows:
        continue
    benches = rows[group]
    mine = {k: v for k, v in benches.items() if k.startswith("nexus")}
    peers = {k: v for k, v in benches.items() if not k.startswith("nexus")}
    if group == "new_store_declared_atoms":
        one, many = benches.get("nexus_1_declared"), benches.get("nexus_1000_declared")
        if one and many:
            print(f"| {group} | 1,000 declared: {fmt(many)} | 1 declared | {fmt(one)} | {many / one:.2f} |")
        continue
    for m, mv in mine.items():
        if not peers:
            print(f"| {group} | {fmt(mv)} | — | — | — |")
        for p, pv in peers.items():
            print(f"| {group} | {fmt(mv)} | {p} | {fmt(pv)} | {mv / pv:.2f} |")
if "cellx_100" in rows and "cellx_1000" in rows:
    a, b = rows["cellx_100"].get("nexus"), rows["cellx_1000"].get("nexus")
    if a and b:
        print(f"\ncellx nexus: 1000 layers / 100 layers = {b / a:.2f} (linear would be 10)")
sys.exit(0)
