// Readers' forms under load: starts the release binary on a fresh database, lets N readers
// (each from an address of its own, through a trusted proxy) open 留言箱 at once, wait the
// form's 3 seconds like people, and send their messages all at once; then the same with 投稿,
// each with a small PDF attached. Checks that every answered receipt is one stored item
// (tracked by each reader with its code and contact, counted in the back office, and for 投稿
// one stored file), that nothing answered 5xx, and reports the times.
//
//   node scripts/form-load.mjs --database URL [--readers 500] [--port 3919]

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
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
const countFiles = (dir) => {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .reduce((n, e) => n + (e.isDirectory() ? countFiles(join(dir, e.name)) : 1), 0);
  } catch {
    return 0;
  }
};
const env = {
  ...process.env,
  DATABASE_URL: database,
  LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
  PORTICO_UPLOADS_DIR: join(work, 'uploads'),
  PORTICO_TRUSTED_PROXIES: '127.0.0.1',
  PORTICO_LOG: 'warn',
};
// A throwaway database: its staff sign in with a password alone (set before the server
// starts, which reads the policy).
const policy = spawnSync(binary, ['security', 'set', 'totp_admins', '0', 'totp_editors', '0', 'totp_writers', '0'], {
  env, encoding: 'utf8',
});
if (policy.status !== 0) {
  console.error(policy.stdout, policy.stderr);
  process.exit(2);
}
const server = spawn(binary, ['serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
server.on('error', (e) => { console.error(`cannot start ${binary}: ${e}`); process.exit(2); });
let exitCode = 0;
try {
  await waitUntilUp(base, 120);
  const password = 'Kfq-压测口令-2026';
  const made = spawnSync(binary, ['create-admin', '--username', 'loadcheck'], {
    env: { ...env, PORTICO_ADMIN_PASSWORD: password }, encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`create-admin: ${made.stdout} ${made.stderr}`);

  const address = (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const headers = (i, extra = {}) => ({ 'user-agent': BROWSER_UA, 'x-forwarded-for': address(i + 1), ...extra });
  const phone = (i) => `139${String(10000000 + i).slice(-8)}`;

  // Each reader sends a message, then a manuscript with a small PDF attached.
  const forms = {
    messages: {
      path: '/messages',
      title: (i) => `负载检查留言 ${i}`,
      body: (token, i) => new URLSearchParams({
        token, website: '', name: `读者${i}`, phone: phone(i), email: '',
        subject: `负载检查留言 ${i}`,
        content: `这是第 ${i} 位读者的留言：请问园区的申报材料什么时候发布？`,
        public: 'yes', consent: 'yes',
      }),
      queue: '/api/admin/messages/list?filter=all&page=1',
    },
    submit: {
      path: '/submit',
      title: (i) => `负载检查投稿 ${i}`,
      body: (token, i) => {
        const f = new FormData();
        for (const [k, v] of Object.entries({
          token, website: '', name: `作者${i}`, organization: '示范开发区', phone: phone(i), email: '',
          title: `负载检查投稿 ${i}`, column: '', content: `第 ${i} 位作者的稿件正文：园区发展情况介绍。`, consent: 'yes',
        })) f.append(k, v);
        const pdf = `%PDF-1.4\n% 第 ${i} 位作者的附件\n${'0'.repeat(16 * 1024)}\n%%EOF\n`;
        f.append('files', new Blob([pdf], { type: 'application/pdf' }), `稿件${i}.pdf`);
        return f;
      },
      queue: '/api/admin/submissions/list?filter=all&page=1',
    },
  };
  const session = await signIn(base, 'loadcheck', password);
  const reports = [];
  for (const [name, form] of Object.entries(forms)) {
    // Everyone opens the form at once, waits the form's 3 seconds like people, and sends.
    const tokens = await Promise.all(Array.from({ length: readers }, async (_, i) => {
      const html = await (await fetch(`${base}${form.path}`, { headers: headers(i) })).text();
      const m = html.match(/name="token" value="([^"]+)"/) || html.match(/value="([^"]+)"[^>]*name="token"/);
      if (!m) throw new Error(`no token on ${form.path}`);
      return m[1];
    }));
    await new Promise((r) => setTimeout(r, 3200));
    const started = Date.now();
    const results = await Promise.all(tokens.map(async (token, i) => {
      const t0 = performance.now();
      try {
        const body = form.body(token, i);
        const extra = body instanceof URLSearchParams ? { 'content-type': 'application/x-www-form-urlencoded' } : {};
        const res = await fetch(`${base}${form.path}`, { method: 'POST', redirect: 'manual', headers: headers(i, extra), body });
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
    // Each receipt is a stored item its reader can track.
    let untracked = 0;
    await Promise.all(receipts.map(async (r) => {
      const res = await fetch(`${base}${form.path}/track`, {
        method: 'POST',
        headers: headers(r.i, { 'content-type': 'application/x-www-form-urlencoded' }),
        body: new URLSearchParams({ code: r.code, contact: phone(r.i) }),
      });
      const html = await res.text();
      if (res.status !== 200 || !html.includes(form.title(r.i))) untracked += 1;
    }));
    const queue = await getJson(base, session, form.queue);
    const stored = queue.tabs.find((t) => t.code === 'all').count;
    const distinct = new Set(receipts.map((r) => r.code)).size;
    const files = name === 'submit' ? countFiles(join(work, 'private')) : null;
    const ms = results.map((r) => r.ms);
    const report = {
      form: name, database: database.startsWith('postgres') ? 'postgres' : 'sqlite',
      readers, seconds, by_status: byStatus, receipts: receipts.length, distinct_codes: distinct,
      stored, stored_files: files, untracked, five_hundreds: fiveHundreds,
      p50_ms: Math.round(percentile(ms, 50)), p99_ms: Math.round(percentile(ms, 99)), max_ms: Math.round(Math.max(...ms)),
    };
    console.log(JSON.stringify(report));
    reports.push(report);
    const ok = fiveHundreds === 0 && untracked === 0 && distinct === receipts.length && stored === receipts.length
      && (files === null || files === receipts.length);
    if (!ok) {
      console.error(`${name} load check FAILED: every receipt must be exactly one stored item (and file), and nothing 5xx`);
      exitCode = 1;
    } else {
      console.log(`${name} load check passed: ${receipts.length} of ${readers} stored, one row per receipt, 0 5xx`);
    }
  }
} finally {
  server.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
