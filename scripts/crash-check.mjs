// Nothing acknowledged is lost when the process dies. Starts the release binary on a fresh
// database, fires concurrent article saves and page views, kills the process with SIGKILL
// half-way, restarts it on the same database and checks that every save answered 200 is
// there, and that at most `flush-secs` of view counts were lost (the documented bound).
//
//   node scripts/crash-check.mjs --binary target/release/portico --database URL [--port 3917]
//
// Exits 1 when anything acknowledged is missing.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BROWSER_UA, columnId, saveArticle, signIn, waitUntilUp } from './lib/client.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const binary = args.binary ?? 'target/release/portico';
const database = args.database;
const port = Number(args.port ?? 3917);
const flushSecs = 2;
const base = `http://127.0.0.1:${port}`;
if (!database) {
  console.error('usage: crash-check.mjs --binary PATH --database URL [--port N]');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'portico-crash-'));
const env = {
  ...process.env,
  DATABASE_URL: database,
  LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
  PORTICO_UPLOADS_DIR: join(work, 'uploads'),
  PORTICO_HIT_FLUSH_SECS: String(flushSecs),
  PORTICO_LOG: 'warn',
};

// Every server started here, so that a failed check does not leave one holding the port.
const started = [];
process.on('exit', () => { for (const c of started) if (c.exitCode === null && !c.signalCode) c.kill('SIGKILL'); });

function start() {
  const child = spawn(binary, ['serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('error', (e) => { console.error(`cannot start ${binary}: ${e}`); process.exit(2); });
  started.push(child);
  return child;
}

const password = 'Kfq-检查口令-2026';
// A throwaway database: its staff sign in with a password alone (the policy asks for a
// second factor by default). Set before the server starts, which reads the policy.
const policy = spawnSync(binary, ['security', 'set', 'totp_admins', '0', 'totp_editors', '0', 'totp_writers', '0'], {
  env, encoding: 'utf8',
});
if (policy.status !== 0) {
  console.error(policy.stdout, policy.stderr);
  process.exit(2);
}
let server = start();
await waitUntilUp(base, 120);
const made = spawnSync(binary, ['create-admin', '--username', 'crash'], {
  env: { ...env, PORTICO_ADMIN_PASSWORD: password }, encoding: 'utf8',
});
if (made.status !== 0) {
  console.error(made.stdout, made.stderr);
  process.exit(2);
}
const session = await signIn(base, 'crash', password);
const column = await columnId(base, session, 'zone-news');
const first = await saveArticle(base, session, column, '崩溃检查：被浏览的文章', 'new:crash-viewed');
if (first.status !== 200) throw new Error(`first save: ${first.status} ${JSON.stringify(first.body)}`);
const viewed = first.id;
const hitsBefore = await (await fetch(`${base}/api/hits/${viewed}`)).json();

// Writers and readers until the kill.
let killedAt = Infinity;
const acknowledged = [];
let failedBeforeKill = 0;
const writers = Array.from({ length: 16 }, async (_, w) => {
  for (let n = 0; Date.now() < killedAt; n++) {
    const title = `崩溃检查 ${w}-${n}`;
    const r = await saveArticle(base, session, column, title, `new:crash-${w}-${n}`);
    if (r.status === 200) acknowledged.push({ id: r.id, title });
    else if (r.status !== 0 && Date.now() < killedAt) failedBeforeKill += 1;
    if (r.status === 0) break;
  }
});
const viewAcks = [];
const readers = Array.from({ length: 8 }, async (_, w) => {
  for (let n = 0; Date.now() < killedAt; n++) {
    try {
      const res = await fetch(`${base}/articles/${viewed}`, {
        headers: { 'user-agent': `${BROWSER_UA} crash-reader/${w}-${n}` },
      });
      await res.arrayBuffer();
      if (res.status === 200) viewAcks.push(Date.now());
    } catch {
      break;
    }
  }
});

await new Promise((r) => setTimeout(r, 4000));
killedAt = Date.now();
server.kill('SIGKILL');
await Promise.all([...writers, ...readers]);
await new Promise((r) => server.exitCode !== null || server.signalCode ? r() : server.on('exit', r));

server = start();
await waitUntilUp(base, 120);
let missing = 0;
for (const { id, title } of acknowledged) {
  const res = await fetch(`${base}/articles/${id}`, { headers: { 'user-agent': 'crash-check-verifier bot' } });
  const html = await res.text();
  if (res.status !== 200 || !html.includes(title)) {
    missing += 1;
    console.error(`missing after restart: #${id} ${title} (${res.status})`);
  }
}
const stored = (await (await fetch(`${base}/api/hits/${viewed}`)).json()) - hitsBefore;
const mustHave = viewAcks.filter((t) => t < killedAt - flushSecs * 1000 - 500).length;
const lostViews = viewAcks.length - stored;
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
rmSync(work, { recursive: true, force: true });

console.log(JSON.stringify({
  database: database.split(':')[0],
  saves_acknowledged: acknowledged.length,
  saves_missing_after_kill: missing,
  saves_failed_before_kill: failedBeforeKill,
  views_acknowledged: viewAcks.length,
  views_stored: stored,
  views_lost: lostViews,
  views_older_than_flush_window: mustHave,
}));
const ok = missing === 0 && failedBeforeKill === 0 && acknowledged.length > 0 && stored >= mustHave;
if (!ok) {
  console.error('crash check FAILED');
  process.exit(1);
}
console.log(`crash check passed: ${acknowledged.length} saves answered 200 before kill -9, all there after restart; ${lostViews} of ${viewAcks.length} views lost (bound: the last ${flushSecs} s)`);
