#!/usr/bin/env python3
"""Prints the medians of one run as markdown: nexus, reactive_graph, alien-signals and the hand-written limit
side by side with ratios, then issue 18's targets, each met or not (and issue 27's and issue 28's).

    report.py                      the medians of the last criterion run and target/alien-signals.json
    report.py --save ROUND.json    saves those medians as one round (run.sh does this after each round)
    report.py ROUND.json...        the rounds of one run.sh: each library's lowest median per workload

This machine is a VM whose speed moves by up to 2x for seconds to minutes at a time; run.sh measures every
library in several rounds, interleaved, and each figure is that library's best round (the same rule for all).

Criterion's medians come from target/criterion/<group>/<bench>/new/estimates.json; alien-signals' from
target/alien-signals.json (written by alien/bench.mjs), which maps the same group names (the workload ids)
to median ns per iteration. A workload is one criterion group; its row joins the group's benches by name:
`nexus`, `reactive_graph`, any other bench is the hand-written limit (`rwlock`, `baseline`,
`hashmap_boxed`), and the alien-signals median of the same id.

Issue 28's workloads (field atoms, keyed lists) have a table of their own, with a Jotai column: bench.mjs
writes Jotai's medians into the same JSON under the workload's id plus `_jotai` (`list_edit_100_jotai`),
read here as the bench `jotai` of group `list_edit_100`."""
import json
import pathlib
import sys

here = pathlib.Path(__file__).parent
root = here / "target" / "criterion"
alien_json = here / "target" / "alien-signals.json"
ALIEN = "alien-signals"
JOTAI = "jotai"
JOTAI_SUFFIX = "_jotai"


def fmt(ns):
    if ns is None:
        return "—"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.1f} ns"


def ratio(a, b):
    if a is None or b is None:
        return None
    return a / b


def fmt_ratio(r):
    if r is None:
        return "—"
    return f"{r:.2f}" if r >= 0.1 else f"{r:.2g}"


def last_run():
    """The medians of the last criterion run and of the last alien-signals run: {group: {bench: ns}}."""
    found = {}
    for est in sorted(root.glob("*/*/new/estimates.json")):
        group, bench = est.parts[-4], est.parts[-3]
        found.setdefault(group, {})[bench] = json.loads(est.read_text())["median"]["point_estimate"]
    if alien_json.exists():
        for group, ns in json.loads(alien_json.read_text()).items():
            if group.endswith(JOTAI_SUFFIX):
                found.setdefault(group[:-len(JOTAI_SUFFIX)], {})[JOTAI] = ns
            else:
                found.setdefault(group, {})[ALIEN] = ns
    return found


args = sys.argv[1:]
if args[:1] == ["--save"]:
    pathlib.Path(args[1]).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(args[1]).write_text(json.dumps(last_run(), indent=1) + "\n")
    sys.exit(0)
if args:
    rounds = [json.loads(pathlib.Path(a).read_text()) for a in args]
    rows = {}
    for one in rounds:
        for group, benches in one.items():
            for bench, ns in benches.items():
                best = rows.setdefault(group, {}).get(bench)
                rows[group][bench] = ns if best is None else min(best, ns)
    how = (f"best of {len(rounds)} rounds (each library's lowest median per workload; the rounds ran "
           "criterion and node in turn)")
else:
    rows = last_run()
    how = "one round"

try:
    js_deps = json.loads((here / "alien" / "package.json").read_text())["dependencies"]
except (OSError, KeyError, ValueError):
    js_deps = {}
pin = js_deps.get("alien-signals", "?")
jotai_pin = f"{js_deps.get('jotai', '?')} + jotai-optics {js_deps.get('jotai-optics', '?')}"

labels = {
    "get": "`get`",
    "set_0_subscribers": "`set`, 0 subscribers",
    "set_1_subscriber": "`set`, 1 subscriber",
    "set_10_subscribers": "`set`, 10 subscribers",
    "deep_chain_50": "deep chain 50",
    "broad_50": "broad 50",
    "diamond_5": "diamond 5",
    "triangle_10": "triangle 10",
    "mux_100": "mux 100",
    "repeated_50": "repeated observers 50",
    "unstable": "unstable dependencies",
    "cellx_10": "cellx 10 layers",
    "cellx_20": "cellx 20 layers",
    "cellx_100": "cellx 100 layers",
    "cellx_1000": "cellx 1000 layers",
    "new_store_touch_10": "`Store::new()` + touch 10",
    "new_store_declared_atoms": "`Store::new()` + touch 1 atom",
    "effect_1": "effect 1",
    "effect_batch_10": "effect batch 10",
    "effects_1000": "effects 1000",
    "field_get": "`get` of a field atom",
    "field_set_20": "`set` of a field, 20 fields, a subscriber each",
    "list_edit_100": "list edit, 100 rows",
    "list_edit_10000": "list edit, 10,000 rows",
}
# Issue 28's workloads: a table of their own (with Jotai), not the four-way one.
fields_groups = ["field_get", "field_set_20", "list_edit_100", "list_edit_10000"]
order = list(labels)


def label(group):
    return labels.get(group, group)


def get(group, bench):
    return rows.get(group, {}).get(bench)


def limit_of(benches):
    """The hand-written limit of a group: its one bench that is none of the libraries."""
    others = {k: v for k, v in benches.items()
              if k not in ("nexus", "reactive_graph", ALIEN, JOTAI) and not k.startswith(("nexus", "floor_"))}
    if not others:
        return None, None
    name, ns = next(iter(sorted(others.items())))
    return name, ns


print(f"alien-signals {pin} on node (`benches/alien/bench.mjs`); the others with criterion; {how}. "
      "A ratio below 1 means nexus is faster.\n")
print("| workload | nexus | reactive_graph | alien-signals | hand-written limit | nexus / alien-signals | nexus / reactive_graph |")
print("|---|---|---|---|---|---|---|")
for group in order + sorted(set(rows) - set(order)):
    if group not in rows:
        continue
    benches = rows[group]
    if group == "new_store_declared_atoms" or group in fields_groups:
        continue  # below the table: nexus against itself, or issue 28's own table
    nexus, rg, alien = benches.get("nexus"), benches.get("reactive_graph"), benches.get(ALIEN)
    limit_name, limit = limit_of(benches)
    limit_cell = f"{fmt(limit)} (`{limit_name}`)" if limit_name else "—"
    print(f"| {label(group)} | {fmt(nexus)} | {fmt(rg)} | {fmt(alien)} | {limit_cell} | "
          f"{fmt_ratio(ratio(nexus, alien))} | {fmt_ratio(ratio(nexus, rg))} |")

one, many = get("new_store_declared_atoms", "nexus_1_declared"), get("new_store_declared_atoms", "nexus_1000_declared")
if one and many:
    print(f"\n`Store::new()` + touch 1 atom (nexus): 1,000 declared {fmt(many)}, 1 declared {fmt(one)}, "
          f"ratio {many / one:.2f} (target ≈ 1).")
print("\n`new_store_touch_10` has no alien-signals counterpart (alien-signals has no store to create); "
      "reactive_graph does not finish cellx 100 / 1000 (see BENCHMARKS.md).")

# ---------------------------------------------------------------- floors of a thread-safe store

floors = [(group, name, ns) for group in order for name, ns in sorted(rows.get(group, {}).items())
          if name.startswith("floor_")]
if floors:
    print("\n### Floors: the least a thread-safe store can do, hand-written\n")
    print("| workload | floor | floor / alien-signals | nexus / floor |")
    print("|---|---|---|---|")
    for group, name, ns in floors:
        print(f"| {label(group)} | {fmt(ns)} (`{name}`) | {fmt_ratio(ratio(ns, get(group, ALIEN)))} | "
              f"{fmt_ratio(ratio(get(group, 'nexus'), ns))} |")

# ---------------------------------------------------------------- issue 18's targets


targets = []
for group in ["deep_chain_50", "broad_50", "diamond_5", "triangle_10", "mux_100", "repeated_50", "unstable",
              "cellx_10", "cellx_100", "cellx_1000", "set_1_subscriber", "set_10_subscribers"]:
    targets.append((f"{label(group)}: nexus / alien-signals", ratio(get(group, "nexus"), get(group, ALIEN)), 1.0))
for group in ["get", "set_0_subscribers"]:
    targets.append((f"{label(group)}: nexus / alien-signals", ratio(get(group, "nexus"), get(group, ALIEN)), 1.5))
targets.append(("`Store::new()` + 10 touches + drop: nexus / `HashMap` + 10 boxed inserts",
                ratio(get("new_store_touch_10", "nexus"), get("new_store_touch_10", "hashmap_boxed")), 2.0))
targets.append(("cellx 1000 layers / cellx 100 layers (nexus; linear = 10)",
                ratio(get("cellx_1000", "nexus"), get("cellx_100", "nexus")), 11.0))



def print_targets(title, targets):
    print(f"\n### {title}\n")
    print("| target | ratio | at most | met |")
    print("|---|---|---|---|")
    met = 0
    measured = 0
    for name, r, most in targets:
        if r is None:
            verdict = "no data"
        else:
            measured += 1
            ok = r <= most
            met += ok
            verdict = "met" if ok else "**not met**"
        print(f"| {name} | {fmt_ratio(r)} | {most:g} | {verdict} |")
    print(f"\n{met} of {len(targets)} targets met"
          + (f" ({len(targets) - measured} without data)" if measured < len(targets) else "") + ".")


print_targets("Issue 18's targets", targets)

# ---------------------------------------------------------------- issue 27's targets (effects)

effect_targets = [(f"{label(group)}: nexus / alien-signals", ratio(get(group, "nexus"), get(group, ALIEN)), most)
                  for group, most in [("effect_1", 1.5), ("effect_batch_10", 1.0), ("effects_1000", 1.0)]]
if any(r is not None for _, r, _ in effect_targets):
    print_targets("Issue 27's targets (effects)", effect_targets)

# ---------------------------------------------------------------- issue 28's targets (field atoms)

if any(group in rows for group in fields_groups):
    print(f"\n### Field atoms and keyed lists (issue 28)\n\nJotai {jotai_pin} on node: `splitAtom` (keyed by id), a "
          "store subscription per row atom, the row's value written through `focusAtom`. alien-signals: a "
          "signal and an effect per row. `get` of a field atom and `set` of a field are nexus only.\n")
    print("| workload | nexus | alien-signals | Jotai | nexus / alien-signals | nexus / Jotai |")
    print("|---|---|---|---|---|---|")
    for group in fields_groups:
        nexus, alien, jotai = get(group, "nexus"), get(group, ALIEN), get(group, JOTAI)
        print(f"| {label(group)} | {fmt(nexus)} | {fmt(alien)} | {fmt(jotai)} | "
              f"{fmt_ratio(ratio(nexus, alien))} | {fmt_ratio(ratio(nexus, jotai))} |")
    scale = [f"{lib} {fmt_ratio(ratio(get('list_edit_10000', bench), get('list_edit_100', bench)))}"
             for lib, bench in [("nexus", "nexus"), ("alien-signals", ALIEN), ("Jotai", JOTAI)]]
    print(f"\nlist edit, 10,000 rows / 100 rows: {', '.join(scale)} (1 = independent of the row count).")
    print_targets("Issue 28's targets (field atoms)", [
        ("`get` of a field atom / `get` of a primitive `u64` atom (nexus)",
         ratio(get("field_get", "nexus"), get("get", "nexus")), 1.5),
        ("`set` of one field of 20, a subscriber on each / `set`, 1 subscriber (nexus)",
         ratio(get("field_set_20", "nexus"), get("set_1_subscriber", "nexus")), 1.5),
        ("list edit, 10,000 rows / 100 rows, a subscriber per row (nexus)",
         ratio(get("list_edit_10000", "nexus"), get("list_edit_100", "nexus")), 1.5),
    ])
sys.exit(0)
