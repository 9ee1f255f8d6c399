// The cluster checks of scripts/cluster.sh (which starts PostgreSQL's database, SeaweedFS and
// nginx, and passes their ports): starts two app servers on one database and one bucket,
// then checks that they are one site, kills one with SIGKILL under load, restarts it, and
// measures req/s through nginx with one and two servers. Exits 1 if a check fails.
//
//   node scripts/cluster-check.mjs --binary B --nginx PORT --a PORT --b PORT --database URL --work DIR

import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { BROWSER_UA, columnId, postJson, saveArticle, signIn, waitUntilUp } from './lib/client.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const nginx = `http://127.0.0.1:${args.nginx}`;
const baseA = `http://127.0.0.1:${args.a}`;
const baseB = `http://127.0.0.1:${args.b}`;
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function start(port) {
  const child = spawn(args.binary, ['serve', '--no-seed'], {
    env: { ...process.env, LEPTOS_SITE_ADDR: `127.0.0.1:${port}` },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  appendFileSync(join(args.work, 'pids'), `${child.pid}\n`);
  child.on('error', (e) => { console.error(`cannot start ${args.binary}: ${e}`); process.exit(2); });
  return child;
}

function psql(sql) {
  const r = spawnSync('psql', [args.database, '-tAc', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  return r.stdout.trim();
}

/** Shanghai local time `seconds` from now, as the editor's datetime-local field sends it. */
function localIn(seconds) {
  return new Date(Date.now() + 8 * 3600_000 + seconds * 1000).toISOString().slice(0, 19);
}

let a = start(args.a);
let b = start(args.b);
await Promise.all([waitUntilUp(baseA, 120), waitUntilUp(baseB, 120)]);
await waitUntilUp(nginx, 30);

const password = 'Kfq-集群口令-2026';
const made = spawnSync(args.binary, ['create-admin', '--username', 'cluster'], {
  env: { ...process.env, PORTICO_ADMIN_PASSWORD: password }, encoding: 'utf8',
});
if (made.status !== 0) {
  console.error(made.stdout, made.stderr);
  process.exit(2);
}

// 1. A session made through A works on B (sessions live in the database).
const session = await signIn(baseA, 'cluster', password);
const onB = await fetch(`${baseB}/admin`, { headers: { cookie: session.cookie, 'user-agent': BROWSER_UA }, redirect: 'manual' });
const dashboard = await onB.text();
check(onB.status === 200 && dashboard.includes('csrf_token'), `a session signed in on A works on B (${onB.status})`);

// 2. An article saved through A is shown by B within 1.5 s, B having cached the old page.
const column = await columnId(baseA, session, 'zone-news');
const saved = await saveArticle(baseA, session, column, '集群检查：初稿标题', 'new:cluster-1');
check(saved.status === 200, `save through A (${saved.status})`);
const pageB = `${baseB}/articles/${saved.id}`;
const first = await (await fetch(pageB, { headers: { 'user-agent': BROWSER_UA } })).text();
check(first.includes('集群检查：初稿标题'), 'B shows the new article');
await fetch(pageB, { headers: { 'user-agent': BROWSER_UA } }); // cached on B now
const form = { id: saved.id, column_id: column, title: '集群检查：改过的标题', subtitle: '', source: '本网', author: '集群检查',
  summary: '', body: '<p>改过的正文。</p>', cover_image_id: null, cover_src: null, is_headline: false,
  is_recommended: false, is_slideshow: false, status: 'published', published_at: '' };
const editedAt = performance.now();
const edit = await postJson(baseA, session, '/api/admin/articles/save', { draft_key: `article:${saved.id}`, form });
check(edit.status === 200, `edit through A (${edit.status} ${edit.status === 200 ? '' : JSON.stringify(edit.body)})`);
let seenAfter = null;
while (performance.now() - editedAt < 5000) {
  const html = await (await fetch(pageB, { headers: { 'user-agent': BROWSER_UA } })).text();
  if (html.includes('集群检查：改过的标题')) { seenAfter = performance.now() - editedAt; break; }
  await sleep(20);
}
check(seenAfter !== null && seenAfter <= 1500, `B shows the edit ${seenAfter === null ? 'never' : `after ${seenAfter.toFixed(0)} ms`} (at most 1500)`);

// 3. An image uploaded through A is served by B (and through nginx).
// A demo picture of the site itself, uploaded again as a new image.
const home = await (await fetch(`${baseA}/`, { headers: { 'user-agent': BROWSER_UA } })).text();
const demoSrc = (home.match(/src="(\/media\/demo\/[^"]+\.jpg)"/) || [])[1];
const jpeg = Buffer.from(await (await fetch(`${baseA}${demoSrc}`)).arrayBuffer());
const body = new FormData();
body.append('file', new Blob([jpeg], { type: 'image/jpeg' }), '集群.jpg');
body.append('alt', '集群检查');
const up = await fetch(`${baseA}/api/admin/media/upload`, {
  method: 'POST', body,
  headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, accept: 'application/json', 'user-agent': BROWSER_UA, origin: baseA },
});
const uploaded = up.status === 200 ? await up.json() : {};
check(up.status === 200, `upload through A (${up.status})`);
const fromB = await fetch(`${baseB}${uploaded.src}`);
const servedB = Buffer.from(await fromB.arrayBuffer());
check(fromB.status === 200 && servedB.length > 0, `B serves the upload (${fromB.status}, ${servedB.length} bytes)`);
const viaNginx = await fetch(`${nginx}${uploaded.src}`);
const servedN = Buffer.from(await viaNginx.arrayBuffer());
check(viaNginx.status === 200 && servedN.equals(servedB), `nginx serves the same bytes (${viaNginx.status}, ${servedN.length} bytes)`);

// 4. A scheduled article is published exactly once, though both servers run the scheduler.
const scheduled = await postJson(baseA, session, '/api/admin/articles/save', {
  draft_key: 'new:cluster-scheduled',
  form: { ...form, id: null, title: '集群检查：定时发布', status: 'scheduled', published_at: localIn(3) },
});
check(scheduled.status === 200, `schedule through A (${scheduled.status} ${scheduled.status === 200 ? '' : JSON.stringify(scheduled.body)})`);
const sid = scheduled.body?.id;
let live = false;
for (let i = 0; i < 80 && !live; i++) {
  await sleep(100);
  live = (await fetch(`${nginx}/articles/${sid}`, { headers: { 'user-agent': BROWSER_UA } })).status === 200;
}
await sleep(2500); // both schedulers have had their turn since
const publishes = psql(`SELECT count(*) FROM audit_log WHERE action = 'article.publish' AND object_id = '${sid}'`);
check(live && publishes === '1', `the scheduled article went live once (${publishes} publish entries)`);

// 5. kill -9 of A under load at 32 connections through nginx.
const readerPaths = ['/', `/articles/${saved.id}`, '/columns/zone-news', '/notices', `/articles/${sid}`, uploaded.src];
const log = [];
let loading = true;
const loaded = performance.now();
async function worker(n) {
  let i = n;
  while (loading) {
    const path = readerPaths[i++ % readerPaths.length];
    const t = performance.now() - loaded;
    let ok;
    let why;
    try {
      const res = await fetch(`${nginx}${path}`, { headers: { 'user-agent': BROWSER_UA } });
      await res.arrayBuffer();
      ok = res.status < 500;
      why = res.status;
    } catch (e) {
      ok = false;
      why = e.cause?.code ?? String(e);
    }
    log.push([t, ok, path, why]);
  }
}
const workers = Array.from({ length: 32 }, (_, n) => worker(n));
await sleep(3000);
const killedAt = performance.now() - loaded;
a.kill('SIGKILL');
await sleep(5000);
a = start(args.a);
await waitUntilUp(baseA, 60);
const restartedAt = performance.now() - loaded;
await sleep(8000);
loading = false;
await Promise.all(workers);
const failedIn = (from, to) => log.filter(([t, ok]) => !ok && t >= from && t < to).length;
const reasons = {};
for (const [, ok, path, why] of log) if (!ok) reasons[`${path} ${why}`] = (reasons[`${path} ${why}`] ?? 0) + 1;
if (Object.keys(reasons).length) console.log('     failures by path and cause:', JSON.stringify(reasons));
const before = failedIn(0, killedAt);
const firstSecond = failedIn(killedAt, killedAt + 1000);
const after = failedIn(killedAt + 1000, Infinity);
const perSec = (log.length / ((performance.now() - loaded) / 1000)).toFixed(0);
console.log(`     load: ${log.length} reader requests (${perSec}/s), A killed at ${(killedAt / 1000).toFixed(1)} s, restarted at ${(restartedAt / 1000).toFixed(1)} s`);
check(before === 0, `no failures before the kill (${before})`);
console.log(`     failed in the first second after kill -9: ${firstSecond}`);
check(after === 0, `no failed reader request after the first second (${after})`);
const metricsA = await (await fetch(`${baseA}/metrics`)).text();
const servedByA = [...metricsA.matchAll(/portico_http_requests_total\{kind="(?:page|media)",status="2xx"\} (\d+)/g)]
  .reduce((s, m) => s + Number(m[1]), 0);
check(servedByA > 100, `A rejoined: it answered ${servedByA} reader requests after its restart`);

// 6. req/s through nginx (wrk, 32 connections, 10 s on the home page): one server, then two.
function wrk(seconds) {
  const r = spawnSync('wrk', ['-t2', '-c32', `-d${seconds}s`, '-H', `User-Agent: ${BROWSER_UA}`, `${nginx}/`], { encoding: 'utf8' });
  const rps = Number((r.stdout.match(/Requests\/sec:\s+([\d.]+)/) || [])[1] || 0);
  const errors = (r.stdout.match(/Non-2xx or 3xx responses: (\d+)/) || [])[1] || '0';
  return { rps, errors };
}
b.kill('SIGTERM');
await sleep(1500);
wrk(2); // nginx marks B down
const one = wrk(10);
b = start(args.b);
await waitUntilUp(baseB, 60);
await sleep(6000); // past fail_timeout: nginx tries B again
wrk(2);
const two = wrk(10);
console.log(`     req/s through nginx (home page, 32 connections): one app server ${one.rps.toFixed(0)} (${one.errors} errors), two ${two.rps.toFixed(0)} (${two.errors} errors)`);
check(one.rps > 0 && two.rps > 0 && one.errors === '0' && two.errors === '0', 'wrk through nginx with one and two app servers');

a.kill('SIGTERM');
b.kill('SIGTERM');
await sleep(500);
if (failures.length) {
  console.error(`${failures.length} cluster check(s) failed`);
  process.exit(1);
}
console.log('cluster checks passed');
