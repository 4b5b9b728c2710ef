// The page side of benches/browser.sh: one workload, nexus (wasm, ./pkg) and alien-signals 3.2.1
// (./alien-signals, copied from benches/alien/node_modules) in this one page, measured in turn with the
// same rule as benches/alien/bench.mjs: 300 ms of warm-up (doubling the batch), then 30 samples, each a
// batch sized to ~20 ms, the result the median ms per iteration. nexus times each batch inside wasm
// (`Workload.run(n)`: one call per batch); alien-signals' batch is timed here with performance.now().
//
// The alien-signals fixtures are benches/alien/bench.mjs's, copied unchanged (that file imports node
// modules and cannot load in a page); keep the two in step.
//
//   index.html?workload=<id>&first=nexus|alien    sets window.__result (a promise's value) to
//   { workload, nexus: {median, min, max, batch, spentMs}, alien: {…}, clock: {…} } or { error }

import * as nexus from './pkg/nexus_browser_bench.js';
import { signal, computed, effect, startBatch, endBatch } from './alien-signals/index.mjs';

const WARM_UP_MS = 300;
const SAMPLES = 30;
// ≥ 10 ms per timed batch: performance.now() is coarsened to 100 µs (with jitter) in a page that is not
// cross-origin isolated, so a 20 ms batch is read to within ~0.5 %.
const SAMPLE_TARGET_MS = 20;

// ---------------------------------------------------------------- alien-signals fixtures (bench.mjs's)

function sink() {
    return { n: 0, last: 0 };
}

function observe(c, count) {
    return effect(() => {
        count.last = c();
        count.n++;
    });
}

function setWithSubscribers(subs) {
    const s = signal(0);
    const runs = sink();
    for (let k = 0; k < subs; k++) {
        effect(() => {
            runs.last += s() & 1;
            runs.n++;
        });
    }
    return { step: (i) => s(i), count: () => runs.n, perIteration: subs };
}

function cellx(layers) {
    const sources = [signal(1), signal(2), signal(3), signal(4)];
    const [sa, sb, sc, sd] = sources;
    let prev = { a: computed(() => sa()), b: computed(() => sb()), c: computed(() => sc()), d: computed(() => sd()) };
    for (let k = 0; k < layers; k++) {
        const { a: pa, b: pb, c: pc, d: pd } = prev;
        prev = {
            a: computed(() => pb()),
            b: computed(() => pa() - pc()),
            c: computed(() => pb() + pd()),
            d: computed(() => pc()),
        };
    }
    const count = sink();
    for (const leaf of [prev.a, prev.b, prev.c, prev.d]) observe(leaf, count);
    const last = prev;
    const seen = { v: 0 };
    return {
        step: (i) => {
            startBatch();
            sa(i);
            sb(i + 1);
            sc(i + 2);
            sd(i + 3);
            endBatch();
            seen.v = last.a() + last.d();
        },
        count: () => count.n,
        perIteration: 3,
    };
}

const fixtures = {
    get() {
        const s = signal(1);
        return { returns: true, step: () => s(), check: (batchSum, n) => batchSum === n };
    },

    set_0_subscribers() {
        const s = signal(0);
        let last = 0;
        return {
            step: (i) => {
                last = i;
                s(i);
            },
            check: () => s() === last,
        };
    },

    set_1_subscriber() {
        return setWithSubscribers(1);
    },

    deep_chain_50() {
        const head = signal(0);
        let cur = computed(() => head());
        for (let k = 0; k < 50; k++) {
            const p = cur;
            cur = computed(() => p() + 1);
        }
        const count = sink();
        observe(cur, count);
        return { step: (i) => head(i), count: () => count.n, perIteration: 1 };
    },

    broad_50() {
        const head = signal(0);
        const count = sink();
        for (let k = 0; k < 50; k++) {
            const c1 = computed(() => head() + k);
            const c2 = computed(() => c1() + 1);
            observe(c2, count);
        }
        return { step: (i) => head(i), count: () => count.n, perIteration: 50 };
    },

    diamond_5() {
        const head = signal(0);
        const branches = [];
        for (let k = 0; k < 5; k++) {
            branches.push(computed(() => head() + 1));
        }
        const sum = computed(() => {
            let t = 0;
            for (const b of branches) t += b();
            return t;
        });
        const count = sink();
        observe(sum, count);
        return { step: (i) => head(i), count: () => count.n, perIteration: 1 };
    },

    cellx_100: () => cellx(100),
    cellx_1000: () => cellx(1000),
};

function makeLoop(returns) {
    return returns
        ? new Function('step', 'start', 'n', 'let acc = 0; const end = start + n; for (let i = start; i < end; i++) acc += step(i); return acc;')
        : new Function('step', 'start', 'n', 'const end = start + n; for (let i = start; i < end; i++) step(i); return 0;');
}

function verify(id, f, before, n, sum) {
    if (f.check) {
        if (!f.check(sum, n)) throw new Error(`alien-signals ${id}: the check after a batch failed`);
        return;
    }
    const moved = f.count() - before;
    if (!(moved >= f.perIteration * n)) {
        throw new Error(`alien-signals ${id}: the effects' counter moved by ${moved} over ${n} iterations, expected at least ${f.perIteration * n}`);
    }
}

/** alien-signals: `timed(n)` runs n iterations and returns the ms, measured here around the loop. */
function alienTimed(id) {
    const f = fixtures[id]();
    const loop = makeLoop(!!f.returns);
    let i = 10; // as bench.mjs: no fixture starts with it, so the first write changes something
    return (n) => {
        const before = f.count ? f.count() : 0;
        const t0 = performance.now();
        const sum = loop(f.step, i, n);
        const t1 = performance.now();
        i += n;
        verify(id, f, before, n, sum);
        return t1 - t0;
    };
}

/** nexus: the batch runs and is timed inside wasm (one call per batch). */
function nexusTimed(id) {
    const w = new nexus.Workload(id);
    return (n) => w.run(n);
}

// ---------------------------------------------------------------- measurement (bench.mjs's rule)

const yieldToBrowser = () => new Promise((r) => setTimeout(r, 0));

/** Warm-up: doubles the batch for WARM_UP_MS; returns a batch size that takes 15–40 ms. */
function warmUp(timed) {
    let n = 1;
    let spent = 0;
    let last = 0;
    while (spent < WARM_UP_MS || last < 1) {
        last = timed(n);
        spent += last;
        if (last < SAMPLE_TARGET_MS / 4) n *= 2;
    }
    let batch = Math.max(1, Math.round((n * SAMPLE_TARGET_MS) / last));
    // The warm-up's last batches may have run before V8's optimising tier (TurboFan for JS and for wasm)
    // took over: re-size until a batch takes 15–40 ms, so that no timed batch is shorter than ~10 ms.
    for (let k = 0; k < 5; k++) {
        const ms = timed(batch);
        if (ms >= 15 && ms <= 40) break;
        batch = Math.max(1, Math.round((batch * SAMPLE_TARGET_MS) / Math.max(ms, 0.1)));
    }
    return batch;
}

async function measure(timed) {
    const began = performance.now();
    const batch = warmUp(timed);
    const perIter = [];
    let sampled = 0;
    let shortest = Infinity;
    for (let s = 0; s < SAMPLES; s++) {
        const ms = timed(batch);
        sampled += ms;
        shortest = Math.min(shortest, ms);
        perIter.push(ms / batch);
        // Between samples (never inside one): lets the page answer the driver, and the GC run outside timing.
        await yieldToBrowser();
    }
    perIter.sort((a, b) => a - b);
    const ns = (ms) => ms * 1e6;
    return {
        median: ns((perIter[(SAMPLES - 1) >> 1] + perIter[SAMPLES >> 1]) / 2),
        min: ns(perIter[0]),
        max: ns(perIter[SAMPLES - 1]),
        batch,
        sampledMs: sampled,
        shortestMs: shortest,
        spentMs: performance.now() - began,
    };
}

/** The smallest step performance.now() takes here, in µs (its coarsening), over 20 ms of calls. */
function clockStep() {
    let least = Infinity;
    const end = performance.now() + 20;
    let prev = performance.now();
    for (;;) {
        const t = performance.now();
        if (t !== prev) {
            least = Math.min(least, t - prev);
            prev = t;
        }
        if (t >= end) break;
    }
    return least * 1000;
}

/**
 * `&profile=nexus|alien&seconds=s` (browser.sh --profile, with a CPU profiler attached by the driver):
 * one library only, warmed up, then batches for `seconds`; nexus also counts its allocator calls per
 * iteration when built with the `count-allocs` feature.
 */
async function profile(id, lib, seconds) {
    const timed = lib === 'nexus' ? nexusTimed(id) : alienTimed(id);
    const batch = warmUp(timed);
    // The driver starts its profiler now, then calls window.__go(): the warm-up is not in the profile.
    await new Promise((go) => {
        window.__go = go;
    });
    let ms = 0;
    let iterations = 0;
    while (ms < seconds * 1000) {
        ms += timed(batch);
        iterations += batch;
        await yieldToBrowser();
    }
    const out = { workload: id, lib, nsPerIteration: (ms * 1e6) / iterations, iterations };
    if (lib === 'nexus' && nexus.allocations) out.allocationsPerIteration = nexus.allocations(id, batch);
    return out;
}

async function main() {
    const params = new URLSearchParams(location.search);
    const id = params.get('workload');
    if (!(id in fixtures)) throw new Error(`no workload '${id}' (have: ${Object.keys(fixtures).join(', ')})`);
    await nexus.default();
    if (params.has('profile')) return profile(id, params.get('profile'), Number(params.get('seconds') || 4));
    const order = params.get('first') === 'alien' ? ['alien', 'nexus'] : ['nexus', 'alien'];
    const result = {
        workload: id,
        clock: { stepUs: clockStep(), crossOriginIsolated: self.crossOriginIsolated, userAgent: navigator.userAgent },
        startedAt: Date.now(),
    };
    for (const lib of order) {
        result[lib] = await measure(lib === 'nexus' ? nexusTimed(id) : alienTimed(id));
    }
    result.endedAt = Date.now();
    return result;
}

window.__result = main().catch((e) => ({ error: `${e && e.stack ? e.stack : e}` }));
window.__result.then((r) => {
    document.getElementById('result').textContent = JSON.stringify(r, null, 2);
});
