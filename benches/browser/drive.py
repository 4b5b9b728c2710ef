#!/usr/bin/env python3
"""Drives headless Chromium through chromedriver (WebDriver over HTTP, standard library only) over the
page of benches/browser.sh: one page load per workload and round, nexus and alien-signals measured in
that page, their order swapped every round; then prints each library's best round per workload (the
rule of benches/run.sh: this VM's speed drifts for seconds to minutes) and the ratios.

    drive.py <base url> <rounds> <json out> [workload regex]
    drive.py --profile <workload> <base url> <json out>

--profile: for nexus, then alien-signals, one page each: warm-up, then 4 s of the workload under V8's
sampling profiler (DevTools protocol through chromedriver, 100 µs interval); prints the functions with
the most self time, and nexus's allocator calls per iteration (a `count-allocs` build).
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

WORKLOADS = ["get", "set_0_subscribers", "set_1_subscriber", "deep_chain_50", "broad_50", "diamond_5",
             "cellx_100", "cellx_1000"]
# The target (≤ 1.0× alien-signals) is for the graph workloads; get and set are reported.
GRAPH = {"set_1_subscriber", "deep_chain_50", "broad_50", "diamond_5", "cellx_100", "cellx_1000"}
NAMES = {
    "get": "`get`",
    "set_0_subscribers": "`set`, no subscriber",
    "set_1_subscriber": "`set`, 1 subscriber",
    "deep_chain_50": "deep chain 50",
    "broad_50": "broad 50",
    "diamond_5": "diamond 5",
    "cellx_100": "cellx 100",
    "cellx_1000": "cellx 1,000",
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriver:
    def __init__(self):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="chromedriver-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(["chromedriver", f"--port={self.port}"], stdout=self.log, stderr=self.log)
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                if self.call("GET", "/status")["ready"]:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError(f"chromedriver did not start (log: {self.log.name})")
        self.profile = tempfile.mkdtemp(prefix="chromium-bench-")
        # The flags scripts/wasm-tools.sh's headless_chromium uses, without --virtual-time-budget: virtual
        # time is not what a user waits for, and the page's clock must be the wall clock.
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", f"--user-data-dir={self.profile}",
                "--hide-scrollbars", "--disable-dev-shm-usage"]
        # Experiments only (e.g. NEXUS_CHROMIUM_FLAGS='--js-flags=--no-wasm-dynamic-tiering'); printed.
        extra = os.environ.get("NEXUS_CHROMIUM_FLAGS", "").split()
        if extra:
            print(f"extra Chromium flags: {' '.join(extra)}", flush=True)
        args += extra
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": shutil.which("chromium") or "chromium", "args": args},
        }}}
        self.session = self.call("POST", "/session", caps)["sessionId"]
        # One page runs ~2 s of measurement plus set-up; allow much more before giving up.
        self.call("POST", f"/session/{self.session}/timeouts", {"script": 600_000, "pageLoad": 120_000})

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=900) as r:
                return json.loads(r.read())["value"]
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"WebDriver {method} {path}: {e.code} {e.read().decode(errors='replace')[:2000]}")

    def open(self, url):
        self.call("POST", f"/session/{self.session}/url", {"url": url})

    def wait_result(self):
        script = "const done = arguments[arguments.length - 1]; window.__result.then(done, (e) => done({error: String(e)}));"
        return self.call("POST", f"/session/{self.session}/execute/async", {"script": script, "args": []})

    def cdp(self, cmd, params=None):
        return self.call("POST", f"/session/{self.session}/goog/cdp/execute", {"cmd": cmd, "params": params or {}})

    def script(self, source):
        return self.call("POST", f"/session/{self.session}/execute/sync", {"script": source, "args": []})

    def version(self):
        return self.call("GET", "/status").get("build", {}).get("version", "?")

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            shutil.rmtree(self.profile, ignore_errors=True)


def fmt(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.1f} ns"


def demangle(names):
    """Rust's legacy mangling (`_ZN…E`, as in the wasm name section), through c++filt when there is one."""
    if not shutil.which("c++filt"):
        return names
    out = subprocess.run(["c++filt"], input="\n".join(names), capture_output=True, text=True).stdout.splitlines()
    return [re.sub(r"::h[0-9a-f]{16}$", "", n) for n in out] if len(out) == len(names) else names


def profile(wid, base, out):
    driver = WebDriver()
    report = {}
    try:
        for lib in ("nexus", "alien"):
            driver.open(f"{base}/index.html?workload={wid}&profile={lib}&seconds=4")
            for _ in range(600):
                if driver.script("return typeof window.__go === 'function';"):
                    break
                time.sleep(0.1)
            else:
                raise RuntimeError(f"{wid}: the page did not finish its warm-up")
            driver.cdp("Profiler.enable")
            driver.cdp("Profiler.setSamplingInterval", {"interval": 100})
            driver.cdp("Profiler.start")
            driver.script("window.__go();")
            r = driver.wait_result()
            prof = driver.cdp("Profiler.stop")["profile"]
            driver.cdp("Profiler.disable")
            if not isinstance(r, dict) or "error" in r:
                raise RuntimeError(f"{wid}: the page failed: {r}")
            self_hits = {}
            for node in prof["nodes"]:
                frame = node["callFrame"]
                name = frame["functionName"] or f"({frame['url'].rsplit('/', 1)[-1]}:{frame['lineNumber']})"
                self_hits[name] = self_hits.get(name, 0) + node.get("hitCount", 0)
            total = sum(self_hits.values())
            top = sorted(self_hits.items(), key=lambda kv: -kv[1])[:20]
            names = demangle([n.lstrip("$") for n, _ in top])
            r["top"] = [(name, hits / total) for name, (_, hits) in zip(names, top)]
            report[lib] = r
            print(f"== {lib}: {fmt(r['nsPerIteration'])} per iteration over {r['iterations']} iterations"
                  + (f"; {r['allocationsPerIteration']:.2f} allocator calls per iteration"
                     if "allocationsPerIteration" in r else ""))
            for name, share in r["top"]:
                if share >= 0.005:
                    print(f"  {share * 100:5.1f} %  {name[:150]}")
    finally:
        driver.close()
    with open(out, "w") as f:
        json.dump(report, f, indent=1)


def main():
    if sys.argv[1] == "--profile":
        return profile(sys.argv[2], sys.argv[3], sys.argv[4])
    base, rounds, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    pattern = re.compile(sys.argv[4]) if len(sys.argv) > 4 else None
    ids = [w for w in WORKLOADS if not pattern or pattern.search(w)]
    driver = WebDriver()
    runs = []
    try:
        for rnd in range(1, rounds + 1):
            first = "nexus" if rnd % 2 else "alien"
            print(f"== round {rnd} of {rounds} ({first} first in each page)", flush=True)
            for wid in ids:
                # From before the navigation: the page starts measuring as soon as its module has loaded.
                t0 = time.monotonic()
                driver.open(f"{base}/index.html?workload={wid}&first={first}")
                r = driver.wait_result()
                wall = time.monotonic() - t0
                if not isinstance(r, dict) or "error" in r:
                    raise RuntimeError(f"{wid}: the page failed: {r}")
                page = (r["nexus"]["spentMs"] + r["alien"]["spentMs"]) / 1000
                # Real time: the page's clock cannot run faster than the wall clock around it.
                if page > wall * 1.02 + 0.05:
                    raise RuntimeError(f"{wid}: the page's clock measured {page:.2f} s within {wall:.2f} s of wall time")
                r.update(round=rnd, first=first, wallS=wall, pageS=page)
                runs.append(r)
                print(f"  {wid:18} nexus {fmt(r['nexus']['median']):>10} (batch {r['nexus']['batch']:>8})"
                      f"   alien-signals {fmt(r['alien']['median']):>10} (batch {r['alien']['batch']:>8})"
                      f"   page clock {page:.2f} s of {wall:.2f} s wall", flush=True)
    finally:
        chrome = runs[0]["clock"]["userAgent"] if runs else "?"
        driver.close()

    with open(out, "w") as f:
        json.dump(runs, f, indent=1)
    clock = {(r["clock"]["stepUs"], r["clock"]["crossOriginIsolated"]) for r in runs}
    least_batch_ms = min(min(r[lib]["shortestMs"] for lib in ("nexus", "alien")) for r in runs)
    print()
    print(f"{chrome}")
    print(f"performance.now() steps seen: {sorted({round(c[0], 1) for c in clock})} µs; cross-origin isolated: "
          f"{sorted({c[1] for c in clock})}; shortest timed batch: {least_batch_ms:.1f} ms")
    print(f"each figure: that library's lowest median over {rounds} rounds (30 batches of ~20 ms per median)")
    print()
    print("| workload | nexus (wasm32) | alien-signals 3.2.1 | nexus / alien-signals | ≤ 1.0 |")
    print("|---|---|---|---|---|")
    for wid in ids:
        mine = [r for r in runs if r["workload"] == wid]
        n = min(r["nexus"]["median"] for r in mine)
        a = min(r["alien"]["median"] for r in mine)
        ratio = n / a
        target = ("met" if ratio <= 1.0 else "**not met**") if wid in GRAPH else "(reported)"
        print(f"| {NAMES[wid]} | {fmt(n)} | {fmt(a)} | {ratio:.2f} | {target} |")
    print()
    print("ratio per round (nexus / alien-signals, same page):")
    print("| workload | " + " | ".join(f"round {k}" for k in range(1, rounds + 1)) + " |")
    print("|---|" + "---|" * rounds)
    for wid in ids:
        cells = [f"{r['nexus']['median'] / r['alien']['median']:.2f}" for r in runs if r["workload"] == wid]
        print(f"| {NAMES[wid]} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
