// Memory through a burst of sign-ins: seeds a fresh SQLite database with the demo content
// (a separate command, as on a real server, so the seeding's own peak is not counted),
// starts the release binary on it, posts 200 simultaneous logins (each from its own address through a trusted
// proxy, so throttling lets every one of them be checked), and prints the server's
// resident memory (VmRSS) before and after and its peak (VmHWM). Fails above 60 MB.
//
//   node scripts/login-memory.mjs [--binary target/release/portico] [--logins 200]

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROWSER_UA, waitUntilUp } from './lib/client.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const binary = args.binary ?? 'target/release/portico';
const logins = Number(args.logins ?? 200);
const limitMb = Number(args['limit-mb'] ?? 60);
const port = 3930;
const base = `http://127.0.0.1:${port}`;
const work = mkdtempSync(join(tmpdir(), 'portico-mem-'));
const env = {
  ...process.env,
  DATABASE_URL: `sqlite://${work}/m.db?mode=rwc`,
  LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
  PORTICO_UPLOADS_DIR: join(work, 'uploads'),
  PORTICO_TRUSTED_PROXIES: '127.0.0.1',
  PORTICO_LOG: 'warn',
};
const seeded = spawnSync(binary, ['seed-demo'], { env, stdio: 'inherit' });
if (seeded.status !== 0) process.exit(2);
const server = spawn(binary, ['serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
await waitUntilUp(base, 120);
const mem = () => {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  const kb = (k) => Number(status.match(new RegExp(`${k}:\\s+(\\d+)`))[1]);
  return { rss_mb: Math.round(kb('VmRSS') / 102.4) / 10, hwm_mb: Math.round(kb('VmHWM') / 102.4) / 10 };
};
// Warm up: every page type once, as a reader would.
for (const path of ['/', '/columns/news', '/rss.xml', '/admin/login']) {
  await (await fetch(`${base}${path}`, { headers: { 'user-agent': BROWSER_UA } })).arrayBuffer();
}
const before = mem();
const started = performance.now();
const statuses = await Promise.all(Array.from({ length: logins }, async (_, i) => {
  const res = await fetch(`${base}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': BROWSER_UA,
      'x-forwarded-for': `198.18.${i >> 8}.${i & 255}`,
    },
    body: new URLSearchParams({ username: `nobody${i}`, password: `wrong password ${i}` }),
  });
  await res.arrayBuffer();
  return res.status;
}));
const seconds = (performance.now() - started) / 1000;
await new Promise((r) => setTimeout(r, 500));
const after = mem();
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
rmSync(work, { recursive: true, force: true });
const result = {
  logins,
  answered_303: statuses.filter((s) => s === 303).length,
  seconds: Math.round(seconds * 10) / 10,
  rss_before_mb: before.rss_mb,
  peak_before_mb: before.hwm_mb,
  rss_after_mb: after.rss_mb,
  peak_mb: after.hwm_mb,
};
console.log(JSON.stringify(result));
if (after.hwm_mb > limitMb) {
  console.error(`peak memory ${after.hwm_mb} MB is over ${limitMb} MB`);
  process.exit(1);
}
