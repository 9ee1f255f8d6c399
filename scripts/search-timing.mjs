// Times /search over a fixed query list on one keep-alive connection.
//
//     node scripts/search-timing.mjs BASE_URL QUERIES_FILE [ROUNDS]
//
// Each query is asked once to warm up, then ROUNDS times (round robin over the list). Prints the
// p50/p95/p99/max of all timed requests, the slowest queries and how many results each found.
import { readFileSync } from "node:fs";
import http from "node:http";
import { gunzipSync } from "node:zlib";

const [base, queriesFile, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 5);
const url = new URL(base);
const queries = readFileSync(queriesFile, "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function ask(q) {
  const path = "/search?q=" + encodeURIComponent(q);
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: url.hostname, port: url.port, path, agent, timeout: 30_000,
        headers: { "Accept-Encoding": "gzip", "User-Agent": "Mozilla/5.0 (bench-search)" } },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          if (res.statusCode !== 200) return reject(new Error(`${path}: HTTP ${res.statusCode}`));
          let body = Buffer.concat(chunks);
          if (res.headers["content-encoding"] === "gzip") body = gunzipSync(body);
          resolve([ms, body.toString("utf8")]);
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${path}: timed out`)));
    req.on("error", reject);
  });
}

const found = {};
for (const q of queries) {
  const [, html] = await ask(q);
  const m = html.match(/找到(超过)? (\d+) 条结果/);
  found[q] = (m && m[1] ? "> " : "") + (m ? m[2] : "0");
}
const times = [];
const perQuery = Object.fromEntries(queries.map((q) => [q, []]));
for (let r = 0; r < rounds; r++) {
  for (const q of queries) {
    const [ms] = await ask(q);
    times.push(ms);
    perQuery[q].push(ms);
  }
}
times.sort((a, b) => a - b);
const pct = (p) => times[Math.min(times.length - 1, Math.floor(times.length * p))];
const median = (q) => [...perQuery[q]].sort((a, b) => a - b)[Math.floor(rounds / 2)];

console.log(`${queries.length} queries x ${rounds} rounds = ${times.length} requests, one connection, page cache off`);
console.log(
  `p50 ${pct(0.5).toFixed(1)} ms   p95 ${pct(0.95).toFixed(1)} ms   p99 ${pct(0.99).toFixed(1)} ms   max ${times.at(-1).toFixed(1)} ms`,
);
console.log("slowest queries (median ms, results):");
for (const q of [...queries].sort((a, b) => median(b) - median(a)).slice(0, 8)) {
  console.log(`  ${q.padEnd(16)} ${median(q).toFixed(1).padStart(7)}  ${found[q]}`);
}
agent.destroy();
