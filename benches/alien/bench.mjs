// alien-signals (3.x) on node, the same workloads as benches/benches/side_by_side.rs, built the same way:
// every derived leaf is observed by an `effect`, one iteration is one write to the sources plus the
// recompute / notify it causes, and the counters fed by the effects are checked to move, so no work is
// skipped. Workload ids are criterion's group names, so report.py joins the two by id.
//
// Each workload: 300 ms of warm-up (as criterion's warm_up_time), then 30 samples; a sample times a batch
// of iterations sized to ~20 ms with process.hrtime.bigint(); the result is the median ns per iteration.
// Each workload runs in a fresh node process (its own JIT feedback, so one workload's getters do not
// make the library's call sites polymorphic for the next: the order of the workloads does not matter,
// and alien-signals gets its best case). `--in-process` runs them all in this one.
//
//   node bench.mjs [--in-process] [filter]     writes ../target/alien-signals.json, prints a table
//                                              (Jotai's medians in the same file, under `_jotai` ids)
//   node bench.mjs --workload <id>             runs one workload, prints its median ns as JSON
//
// `filter` is a regular expression matched against the ids (criterion style: `node bench.mjs 'get|set'`).
// "new_store_touch_10" has no alien-signals equivalent (there is no store to create) and is not run.
//
// Issue 28's keyed lists also run Jotai (`splitAtom` + jotai-optics' `focusAtom`, vanilla store): those
// fixtures' ids end in `_jotai` (`list_edit_100_jotai` is Jotai on `list_edit_100`); report.py shows them
// in a Jotai column of the same workload. Every other id is alien-signals.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { signal, computed, effect, startBatch, endBatch } from 'alien-signals';
import { atom, createStore } from 'jotai/vanilla';
import { splitAtom } from 'jotai/vanilla/utils';
import { focusAtom } from 'jotai-optics';

const WARM_UP_NS = 300_000_000n;
const SAMPLES = 30;
const SAMPLE_TARGET_NS = 20_000_000;

// ---------------------------------------------------------------- fixtures
//
// A fixture is { step(i), count(), perIteration }: `step` makes one change and lets the effects run,
// `count` returns the counter the effects feed, `perIteration` how much the counter must at least move
// per iteration (checked after every batch). `get` and `set` with 0 subscribers have no effect; they
// give { step, check(batchSum, n) } instead (the sum of the reads, the last write landed).

function sink() {
    return { n: 0, last: 0 };
}

/** An effect on `c` that reads it and bumps the counter, as the Rust benches' subscribers / effects. */
function observe(c, count) {
    return effect(() => {
        count.last = c();
        count.n++;
    });
}

const fixtures = {
    get() {
        const s = signal(1);
        // The loop adds up what `step` returns; each batch's sum is checked.
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
            check: () => s() === last, // the last write landed
        };
    },

    set_1_subscriber() {
        return setWithSubscribers(1);
    },

    set_10_subscribers() {
        return setWithSubscribers(10);
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

    triangle_10() {
        const head = signal(0);
        const list = [];
        let cur = computed(() => head());
        for (let k = 0; k < 10; k++) {
            list.push(cur);
            const p = cur;
            cur = computed(() => p() + 1);
        }
        const sum = computed(() => {
            let t = 0;
            for (const c of list) t += c();
            return t;
        });
        const count = sink();
        observe(sum, count);
        return { step: (i) => head(i), count: () => count.n, perIteration: 1 };
    },

    mux_100() {
        const heads = [];
        for (let k = 0; k < 100; k++) heads.push(signal(0));
        const all = computed(() => heads.map((h) => h()));
        const count = sink();
        for (let k = 0; k < 100; k++) {
            const pick = computed(() => all()[k]);
            const plus = computed(() => pick() + 1);
            observe(plus, count);
        }
        return { step: (i) => heads[i % 100](i), count: () => count.n, perIteration: 1 };
    },

    repeated_50() {
        const head = signal(0);
        const current = computed(() => {
            let t = 0;
            for (let k = 0; k < 50; k++) t += head();
            return t;
        });
        const count = sink();
        observe(current, count);
        return { step: (i) => head(i), count: () => count.n, perIteration: 1 };
    },

    unstable() {
        const head = signal(0);
        const double = computed(() => head() * 2);
        const inverse = computed(() => -head());
        const current = computed(() => {
            let result = 0;
            for (let k = 0; k < 20; k++) {
                result += head() % 2 === 0 ? double() : inverse();
            }
            return result;
        });
        const count = sink();
        observe(current, count);
        return { step: (i) => head(i), count: () => count.n, perIteration: 1 };
    },

    cellx_10: () => cellx(10),
    cellx_20: () => cellx(20),
    cellx_100: () => cellx(100),
    cellx_1000: () => cellx(1000),

    // Effects (issue 27), as the Rust bench's `effects` group: each effect body adds what it read to a
    // counter. The counter is checked after every batch of iterations to hold exactly what one run per
    // effect per iteration reads (`sum`: the sum of the values written so far, per effect).

    effect_1() {
        const s = signal(0);
        const count = sink();
        effect(() => {
            count.last += s();
        });
        let sum = 0;
        return {
            step: (i) => {
                s(i);
                sum += i;
            },
            check: () => count.last === sum,
        };
    },

    effect_batch_10() {
        const sources = [];
        for (let k = 0; k < 10; k++) sources.push(signal(0));
        const count = sink();
        effect(() => {
            let t = 0;
            for (const src of sources) t += src();
            count.last += t;
        });
        let sum = 0;
        return {
            step: (i) => {
                startBatch();
                for (let k = 0; k < 10; k++) sources[k](i + k);
                endBatch();
                sum += 10 * i + 45;
            },
            check: () => count.last === sum,
        };
    },

    effects_1000() {
        const s = signal(0);
        const count = sink();
        for (let k = 0; k < 1000; k++) {
            effect(() => {
                count.last += s();
            });
        }
        let sum = 0;
        return {
            step: (i) => {
                s(i);
                sum += 1000 * i;
            },
            check: () => count.last === sum,
        };
    },

    // Field atoms (issue 28): a keyed list of N rows `{ id, value }` with an observer per row; each
    // iteration writes one row (the next in turn) with a new value, so exactly one observer runs. The
    // observers add the row's value to a counter, checked after every batch to hold exactly the sum of
    // the values written (no run missed, none extra). nexus: an element atom per row
    // (`LIST.each().at(&id)`) with a subscriber each (benches/benches/side_by_side.rs).

    list_edit_100: () => listEditAlien(100),
    list_edit_10000: () => listEditAlien(10_000),
    list_edit_100_jotai: () => listEditJotai(100),
    list_edit_10000_jotai: () => listEditJotai(10_000),
};

/** alien-signals' idiomatic keyed list: a signal per row (no list container), an effect per row. */
function listEditAlien(n) {
    const rows = [];
    for (let k = 0; k < n; k++) rows.push(signal({ id: k, value: 0 }));
    const count = sink();
    for (const row of rows) {
        effect(() => {
            count.last += row().value;
        });
    }
    let sum = 0;
    return {
        step: (i) => {
            const k = i % n;
            rows[k]({ id: k, value: i });
            sum += i;
        },
        check: () => count.last === sum,
    };
}

/**
 * Jotai's keyed list: one atom of the array, `splitAtom` (keyed by id) for an atom per row, a store
 * subscription per row atom (reading the row, as a row component would), and a row's `value` written
 * through `focusAtom(rowAtom, (o) => o.prop('value'))` (jotai-optics; made once per row, outside the loop).
 */
function listEditJotai(n) {
    const store = createStore();
    const list = atom(Array.from({ length: n }, (_, k) => ({ id: k, value: 0 })));
    const split = splitAtom(list, (row) => row.id);
    const rowAtoms = store.get(split);
    const count = sink();
    for (const rowAtom of rowAtoms) {
        store.sub(rowAtom, () => {
            count.last += store.get(rowAtom).value;
        });
    }
    const values = rowAtoms.map((rowAtom) => focusAtom(rowAtom, (o) => o.prop('value')));
    let sum = 0;
    return {
        step: (i) => {
            store.set(values[i % n], i);
            sum += i;
        },
        check: () => count.last === sum && store.get(split)[0] === rowAtoms[0],
    };
}

/** `set` of a signal read by `subs` effects (the Rust bench: subscribers adding the value's low bit). */
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

/** cellx: 4 sources, a first layer reading them, then `layers` layers; all 4 sources set in one batch. */
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
            seen.v = last.a() + last.d(); // the Rust bench reads prev.a and prev.d after the batch
        },
        count: () => count.n,
        // Sources (i, i+1, i+2, i+3): 3 of the 4 leaves change on every write, at every depth (the 4th
        // does not), so 3 effect runs per iteration.
        perIteration: 3,
    };
}

// ---------------------------------------------------------------- measurement

// A fresh loop function per workload (its own JIT feedback: the `step` call site stays monomorphic and
// can be inlined, as criterion's `b.iter` closure is for the primitives).
function makeLoop(returns) {
    return returns
        ? new Function('step', 'start', 'n', 'let acc = 0; const end = start + n; for (let i = start; i < end; i++) acc += step(i); return acc;')
        : new Function('step', 'start', 'n', 'const end = start + n; for (let i = start; i < end; i++) step(i); return 0;');
}

function measure(id) {
    const f = fixtures[id]();
    const loop = makeLoop(!!f.returns);
    let i = 10; // the next value written (none of the fixtures starts with it, so the first write changes something)
    const timed = (n) => {
        const before = f.count ? f.count() : 0;
        const t0 = process.hrtime.bigint();
        const sum = loop(f.step, i, n);
        const t1 = process.hrtime.bigint();
        i += n;
        verify(id, f, before, n, sum);
        return Number(t1 - t0);
    };

    // Warm-up, doubling the batch; it also gives the rate that sizes the samples.
    let n = 1;
    let spent = 0n;
    let lastNs = 0;
    while (spent < WARM_UP_NS || lastNs < 1_000_000) {
        lastNs = timed(n);
        spent += BigInt(lastNs);
        if (lastNs < SAMPLE_TARGET_NS / 4) n *= 2;
    }
    const batch = Math.max(1, Math.round((n * SAMPLE_TARGET_NS) / lastNs));

    const perIter = [];
    for (let s = 0; s < SAMPLES; s++) {
        perIter.push(timed(batch) / batch);
    }
    perIter.sort((a, b) => a - b);
    const median = (perIter[(SAMPLES - 1) >> 1] + perIter[SAMPLES >> 1]) / 2;
    return { median, batch, min: perIter[0], max: perIter[SAMPLES - 1] };
}

function verify(id, f, before, n, sum) {
    if (f.check) {
        if (!f.check(sum, n)) throw new Error(`${id}: the check after a batch failed`);
        return;
    }
    const moved = f.count() - before;
    const least = f.perIteration * n;
    if (!(moved >= least)) {
        throw new Error(`${id}: the effects' counter moved by ${moved} over ${n} iterations, expected at least ${least}`);
    }
}

// ---------------------------------------------------------------- driver

function fmt(ns) {
    if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
    if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
    return `${ns.toFixed(1)} ns`;
}

const args = process.argv.slice(2);
const one = args.indexOf('--workload');
if (one >= 0) {
    process.stdout.write(JSON.stringify(measure(args[one + 1])) + '\n');
} else {
    const inProcess = args.includes('--in-process');
    const filter = args.find((a) => !a.startsWith('--'));
    const re = filter ? new RegExp(filter) : null;
    const ids = Object.keys(fixtures).filter((id) => !re || re.test(id));
    const self = fileURLToPath(import.meta.url);
    const version = (pkg) =>
        JSON.parse(readFileSync(new URL(`./node_modules/${pkg}/package.json`, import.meta.url), 'utf8')).version;
    console.log(
        `alien-signals ${version('alien-signals')}, jotai ${version('jotai')} + jotai-optics ${version('jotai-optics')}, ` +
            `node ${process.version}, ${inProcess ? 'one process' : 'one process per workload'}`,
    );
    console.log('| workload | library | median | min | max | iterations per sample |');
    console.log('|---|---|---|---|---|---|');
    const results = {};
    for (const id of ids) {
        let r;
        try {
            r = inProcess
                ? measure(id)
                : JSON.parse(execFileSync(process.execPath, [self, '--workload', id], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
        } catch (e) {
            console.error(`${id} failed${e.status ? ` (exit status ${e.status})` : `: ${e.message}`}`);
            process.exit(1);
        }
        results[id] = r.median;
        const lib = id.endsWith('_jotai') ? 'jotai' : 'alien-signals';
        console.log(`| ${id} | ${lib} | ${fmt(r.median)} | ${fmt(r.min)} | ${fmt(r.max)} | ${r.batch} |`);
    }
    const out = new URL('../target/alien-signals.json', import.meta.url);
    mkdirSync(new URL('.', out), { recursive: true });
    // A filtered run updates its workloads and keeps the others' last results; a full run starts afresh.
    let merged = {};
    if (re) {
        try {
            merged = JSON.parse(readFileSync(out, 'utf8'));
        } catch {
            merged = {};
        }
    }
    Object.assign(merged, results);
    writeFileSync(out, JSON.stringify(merged, null, 2) + '\n');
    console.log(`wrote ${fileURLToPath(out)}`);
}
