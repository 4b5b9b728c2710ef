// alien-signals' heap bytes per signal and per computed with one source (issue 33's memory table), on
// node with `--expose-gc`: `process.memoryUsage().heapUsed` after a full collection, before and after
// making 1,000,000 of them (kept alive in an array, whose 8 bytes a slot are taken off). A computed is read
// once, so that its link to its source exists, as a nexus derived atom's edge does once it was read.
//
//   node --expose-gc memory.mjs      writes ../target/alien-memory.json and prints it

import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { signal, computed } from 'alien-signals';

if (typeof globalThis.gc !== 'function') {
    throw new Error('run with node --expose-gc');
}

const N = 1_000_000;

function heap() {
    for (let i = 0; i < 4; i++) globalThis.gc();
    return process.memoryUsage().heapUsed;
}

// Bytes per item made by `make(i)`, net of the array that keeps them.
function perItem(make) {
    const keep = new Array(N).fill(null);
    const before = heap();
    for (let i = 0; i < N; i++) keep[i] = make(i);
    const after = heap();
    if (keep[N - 1] === null) throw new Error('unreachable');
    return (after - before) / N;
}

const sources = Array.from({ length: N }, (_, i) => signal(i));
const result = {
    signal: perItem((i) => signal(i)),
    computed_one_source: perItem((i) => {
        const s = sources[i];
        const c = computed(() => s() + 1);
        c();
        return c;
    }),
    node: process.version,
};
const out = fileURLToPath(new URL('../target/alien-memory.json', import.meta.url));
mkdirSync(fileURLToPath(new URL('../target/', import.meta.url)), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2));
console.log(JSON.stringify(result));
