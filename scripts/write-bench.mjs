// Saves per second and latency of article saves through the back office's API, at a given
// number of concurrent writers, against a running Portico.
//
//   node scripts/write-bench.mjs --base http://127.0.0.1:3000 --user NAME --password PW \
//        --writers 8 --seconds 10
//
// Prints one JSON line: writers, saves, failures, saves_per_s, p50_ms, p99_ms, max_ms, and
// the latency of database reads made meanwhile by one reader (GET /api/hits/N, which reads
// the database on every request): reads_p50_ms, reads_p99_ms.

import { columnId, saveArticle, signIn } from './lib/client.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const base = args.base ?? 'http://127.0.0.1:3000';
const writers = Number(args.writers ?? 8);
const seconds = Number(args.seconds ?? 10);
const tag = args.tag ?? String(Date.now());

// Two editors' sessions, as in a newsroom; writers share them.
const sessions = [
  await signIn(base, args.user, args.password),
  await signIn(base, args.user, args.password),
];
const column = await columnId(base, sessions[0], 'zone-news');

const firstSave = await saveArticle(base, sessions[0], column, `写入压测 ${tag} 读取`, `new:bench-${tag}-read`);
const readId = firstSave.id;
const latencies = [];
const reads = [];
let failures = 0;
const errors = new Map();
const until = Date.now() + seconds * 1000;
const started = performance.now();
const reader = (async () => {
  while (Date.now() < until) {
    const t = performance.now();
    const res = await fetch(`${base}/api/hits/${readId}`);
    await res.arrayBuffer();
    if (res.ok) reads.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 20));
  }
})();
await Promise.all(Array.from({ length: writers }, async (_, w) => {
  for (let n = 0; Date.now() < until; n++) {
    const r = await saveArticle(base, sessions[w % 2], column, `写入压测 ${tag} ${w}-${n}`, `new:bench-${tag}-${w}-${n}`);
    if (r.status === 200) latencies.push(r.ms);
    else {
      failures += 1;
      const key = `${r.status} ${JSON.stringify(r.body).slice(0, 80)}`;
      errors.set(key, (errors.get(key) ?? 0) + 1);
    }
  }
}));
const elapsed = (performance.now() - started) / 1000;
await reader;
const sorted = [...latencies].sort((a, b) => a - b);
const pctOf = (list, p) => list.length ? list[Math.min(list.length - 1, Math.ceil(p / 100 * list.length) - 1)] : 0;
const pct = (p) => pctOf(sorted, p);
const readSorted = [...reads].sort((a, b) => a - b);
console.log(JSON.stringify({
  writers,
  saves: latencies.length,
  failures,
  saves_per_s: Math.round(latencies.length / elapsed * 10) / 10,
  p50_ms: Math.round(pct(50) * 10) / 10,
  p99_ms: Math.round(pct(99) * 10) / 10,
  max_ms: Math.round((sorted.at(-1) ?? 0) * 10) / 10,
  reads: reads.length,
  reads_p50_ms: Math.round(pctOf(readSorted, 50) * 10) / 10,
  reads_p99_ms: Math.round(pctOf(readSorted, 99) * 10) / 10,
  errors: Object.fromEntries(errors),
}));
