// Saves per second and latency of article saves through the back office's API, at a given
// number of concurrent writers, against a running Portico.
//
//   node scripts/write-bench.mjs --base http://127.0.0.1:3000 --user NAME --password PW \
//        --writers 8 --seconds 10
//
// Prints one JSON line: writers, saves, failures, saves_per_s, p50_ms, p99_ms, max_ms.

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

const latencies = [];
let failures = 0;
const errors = new Map();
const until = Date.now() + seconds * 1000;
const started = performance.now();
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
const sorted = [...latencies].sort((a, b) => a - b);
const pct = (p) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] : 0;
console.log(JSON.stringify({
  writers,
  saves: latencies.length,
  failures,
  saves_per_s: Math.round(latencies.length / elapsed * 10) / 10,
  p50_ms: Math.round(pct(50) * 10) / 10,
  p99_ms: Math.round(pct(99) * 10) / 10,
  max_ms: Math.round((sorted.at(-1) ?? 0) * 10) / 10,
  errors: Object.fromEntries(errors),
}));
