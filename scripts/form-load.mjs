// Readers' forms under load: starts the release binary on a fresh database, lets N readers
// (each from an address of its own, through a trusted proxy) open 留言箱 at once, wait the
// form's 3 seconds like people, and send their messages all at once; then checks that every
// answered receipt is one stored message (tracked by each reader with its code and contact,
// and counted in the back office), that nothing answered 5xx, and reports the times.
//
//   node scripts/form-load.mjs --database URL [--readers 500] [--port 3919]

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROWSER_UA, getJson, percentile, signIn, waitUntilUp } from './lib/client.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const binary = args.binary ?? 'target/release/portico';
const database = args.database;
const readers = Number(args.readers ?? 500);
const port = Number(args.port ?? 3919);
const base = `http://127.0.0.1:${port}`;
if (!database) {
  console.error('usage: form-load.mjs --database URL [--readers N] [--port N]');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'portico-forms-'));
const env = {
  ...process.env,
  DATABASE_URL: database,
  LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
  PORTICO_UPLOADS_DIR: join(work, 'uploads'),
  PORTICO_TRUSTED_PROXIES: '127.0.0.1',
  PORTICO_LOG: 'warn',
};
const server = spawn(binary, ['serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
server.on('error', (e) => { console.error(`cannot start ${binary}: ${e}`); process.exit(2); });
let exitCode = 0;
try {
  await waitUntilUp(base, 120);
  const password = 'form-load-密码-2026';
  const made = spawnSync(binary, ['create-admin', '--username', 'loadcheck'], {
    env: { ...env, PORTICO_ADMIN_PASSWORD: password }, encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`create-admin: ${made.stdout} ${made.stderr}`);

  const address = (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const headers = (i, extra = {}) => ({ 'user-agent': BROWSER_UA, 'x-forwarded-for': address(i + 1), ...extra });
  const phone = (i) => `139${String(10000000 + i).slice(-8)}`;

  // Everyone opens the form at once.
  const tokens = await Promise.all(Array.from({ length: readers }, async (_, i) => {
    const html = await (await fetch(`${base}/messages`, { headers: headers(i) })).text();
    const m = html.match(/name="token" value="([^"]+)"/) || html.match(/value="([^"]+)"[^>]*name="token"/);
    if (!m) throw new Error('no token on /messages');
    return m[1];
  }));
  await new Promise((r) => setTimeout(r, 3200));

  // And sends it at once.
  const started = Date.now();
  const results = await Promise.all(tokens.map(async (token, i) => {
    const t0 = performance.now();
    try {
      const res = await fetch(`${base}/messages`, {
        method: 'POST',
        redirect: 'manual',
        headers: headers(i, { 'content-type': 'application/x-www-form-urlencoded' }),
        body: new URLSearchParams({
          token, website: '', name: `读者${i}`, phone: phone(i), email: '',
          subject: `负载检查留言 ${i}`,
          content: `这是第 ${i} 位读者的留言：请问园区的申报材料什么时候发布？`,
          public: 'yes', consent: 'yes',
        }),
      });
      const location = res.headers.get('location') ?? '';
      await res.arrayBuffer();
      return { i, status: res.status, ms: performance.now() - t0, code: (location.match(/code=([^&]+)/) ?? [])[1] };
    } catch (e) {
      return { i, status: 0, ms: performance.now() - t0, error: String(e) };
    }
  }));
  const seconds = (Date.now() - started) / 1000;
  const byStatus = {};
  for (const r of results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const receipts = results.filter((r) => r.status === 303 && r.code);
  const fiveHundreds = results.filter((r) => r.status >= 500 || r.status === 0).length;

  // Each receipt is a stored message its reader can track.
  let untracked = 0;
  await Promise.all(receipts.map(async (r) => {
    const res = await fetch(`${base}/messages/track`, {
      method: 'POST',
      headers: headers(r.i, { 'content-type': 'application/x-www-form-urlencoded' }),
      body: new URLSearchParams({ code: r.code, contact: phone(r.i) }),
    });
    const html = await res.text();
    if (res.status !== 200 || !html.includes(`负载检查留言 ${r.i}`)) untracked += 1;
  }));
  const session = await signIn(base, 'loadcheck', password);
  const queue = await getJson(base, session, '/api/admin/messages/list?filter=all&page=1');
  const stored = queue.tabs.find((t) => t.code === 'all').count;
  const distinct = new Set(receipts.map((r) => r.code)).size;
  const ms = results.map((r) => r.ms);
  const report = {
    database: database.startsWith('postgres') ? 'postgres' : 'sqlite',
    readers, seconds, by_status: byStatus, receipts: receipts.length, distinct_codes: distinct,
    stored_messages: stored, untracked, five_hundreds: fiveHundreds,
    p50_ms: Math.round(percentile(ms, 50)), p99_ms: Math.round(percentile(ms, 99)), max_ms: Math.round(Math.max(...ms)),
  };
  console.log(JSON.stringify(report));
  const ok = fiveHundreds === 0 && untracked === 0 && distinct === receipts.length && stored === receipts.length;
  if (!ok) {
    console.error('form load check FAILED: every receipt must be exactly one stored message, and nothing 5xx');
    exitCode = 1;
  } else {
    console.log(`form load check passed: ${receipts.length} of ${readers} messages stored, one row per receipt, 0 5xx`);
  }
} finally {
  server.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
