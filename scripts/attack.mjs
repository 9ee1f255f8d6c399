// The attacks of issue #26, run from outside against the release build (SQLite, demo content),
// while /healthz is asked every 20 ms and the server's memory is watched:
//
//   head      HEAD of every cached route kind before any GET (an uptime monitor's HEAD /)
//   docx      Word documents built to explode: 108 MB of short paragraphs in a 0.4 MB file,
//             one just under the part limit, one whose parts unpack to more than they claim;
//             sent to the editor's 导入 Word four at a time
//   submit    32 投稿 at once, each with five of those documents (from 32 addresses)
//   accept    a 投稿 whose document passes the sniffer, accepted by an editor (采用)
//   lockout   eight wrong passwords for an editor from one address, then the right one from
//             another
//   diff      two different 2 MB bodies of one article compared (a writer can ask this)
//   blocked   a 2 MB body full of a blocked word, with a second blocked word, in review
//   replay    one 留言 form token sent back 20 times at once
//   search    a common character searched for 20 times
//
// Then: what readers see must be unchanged, no answer may be 5xx, /healthz p99 must stay
// under 50 ms, and the server's peak RSS under 200 MB. Prints the numbers; exits 1 when a
// bound is broken.
//
//   node scripts/attack.mjs [--port 3931] [--binary target/release/portico]

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, crc32 } from 'node:zlib';
import { BROWSER_UA, percentile, signIn, waitUntilUp, postJson, getJson } from './lib/client.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const binary = args.binary ?? 'target/release/portico';
const port = Number(args.port ?? 3931);
const base = `http://127.0.0.1:${port}`;
const work = mkdtempSync(join(tmpdir(), 'portico-attack-'));
const env = {
  ...process.env,
  DATABASE_URL: `sqlite://${join(work, 'site.db')}?mode=rwc`,
  LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
  LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT ?? 'target/site',
  PORTICO_UPLOADS_DIR: join(work, 'uploads'),
  PORTICO_TRUSTED_PROXIES: '127.0.0.1',
  PORTICO_LOG: 'warn',
};

// --- a small zip writer (stored sizes can be made to lie) -------------------------------------
function zip(entries) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const { name, data, claim } of entries) {
    const nameBytes = Buffer.from(name);
    const packed = deflateRawSync(data, { level: 9 });
    const size = claim ?? data.length;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8); local.writeUInt32LE(crc >>> 0, 14); local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22); local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, packed);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0); dir.writeUInt16LE(20, 4); dir.writeUInt16LE(20, 6); dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt16LE(8, 10); dir.writeUInt32LE(crc >>> 0, 16); dir.writeUInt32LE(packed.length, 20);
    dir.writeUInt32LE(size, 24); dir.writeUInt16LE(nameBytes.length, 28); dir.writeUInt32LE(offset, 42);
    central.push(dir, nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirBytes.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dirBytes, end]);
}
const documentXml = (paragraphs) => Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
  + '<w:p><w:r><w:t>短段落</w:t></w:r></w:p>'.repeat(paragraphs) + '</w:body></w:document>',
);
const word = (xml, claim) => zip([
  { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>') },
  { name: 'word/document.xml', data: xml, claim },
]);

// --- measuring ------------------------------------------------------------------------------
const health = [];
let probing = true;
async function probeHealth() {
  while (probing) {
    const t0 = performance.now();
    try {
      const res = await fetch(`${base}/healthz`);
      await res.arrayBuffer();
      health.push(performance.now() - t0);
    } catch {
      health.push(10_000);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
const rssOf = (pid, field) => {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
  return m ? Number(m[1]) / 1024 : 0;
};
// The peak RSS of each phase (writing 5 to clear_refs starts a new peak).
const phases = [];
let phasePid = 0;
const phase = (name) => {
  phases.push({ name, peak: rssOf(phasePid, 'VmHWM') });
  try { writeFileSync(`/proc/${phasePid}/clear_refs`, '5'); } catch { /* not allowed: one peak for all */ }
};

// Staff passwords of this throwaway site: three kinds of characters, never the user name.
const passwordOf = (username) => `Kfq-${username.length}-口令-2026`;
const statuses = [];
const note = (what, status, ms) => { statuses.push({ what, status, ms }); return status; };
const xff = (n) => `10.77.${(n >> 8) & 255}.${n & 255}`;
const headers = (n, extra = {}) => ({ 'user-agent': BROWSER_UA, 'x-forwarded-for': xff(n), ...extra });
async function tokenOf(path, n) {
  const html = await (await fetch(`${base}${path}`, { headers: headers(n) })).text();
  const m = html.match(/name="token" value="([^"]+)"/) || html.match(/value="([^"]+)"[^>]*name="token"/);
  if (!m) throw new Error(`no token on ${path}`);
  return m[1];
}
async function timed(what, run) {
  const t0 = performance.now();
  const res = await run();
  const ms = performance.now() - t0;
  const body = await res.text();
  note(what, res.status, ms);
  return { status: res.status, ms, body, headers: res.headers };
}

// A throwaway database: its staff sign in with a password alone.
spawnSync(binary, ['security', 'set', 'totp_admins', '0', 'totp_editors', '0', 'totp_writers', '0'], { env });
const server = spawn(binary, ['serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
server.on('error', (e) => { console.error(`cannot start ${binary}: ${e}`); process.exit(2); });
let failed = [];
try {
  await waitUntilUp(base, 180);
  const made = (username, role) => {
    const r = spawnSync(binary, ['create-admin', '--username', username, '--role', role], {
      env: { ...env, PORTICO_ADMIN_PASSWORD: passwordOf(username) }, encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`create-admin ${username}: ${r.stdout} ${r.stderr}`);
  };
  made('attack-admin', 'admin');
  made('attack-editor', 'editor');
  made('attack-writer', 'writer');
  const admin = await signIn(base, 'attack-admin', 'attack-admin-密码-2026');
  const writer = await signIn(base, 'attack-writer', 'attack-writer-密码-2026');
  const rssBefore = rssOf(server.pid, 'VmRSS');
  phasePid = server.pid;
  phase('start-up and sign-in');
  const latest = (await (await fetch(`${base}/rss.xml`)).text()).match(/\/articles\/(\d+)/);
  const article = latest ? `/articles/${latest[1]}` : '/';

  const prober = probeHealth();
  const started = performance.now();

  // head: every cached route kind asked with HEAD before anything else.
  const pages = ['/', article, '/columns/news', '/columns/intro', '/rss.xml', '/columns/news/rss.xml', '/sitemap.xml', '/robots.txt'];
  const seen = {};
  for (const p of pages) {
    const head = await fetch(`${base}${p}`, { method: 'HEAD' });
    note(`HEAD ${p}`, head.status, 0);
    await new Promise((r) => setTimeout(r, 150));
    const r = await timed(`GET ${p}`, () => fetch(`${base}${p}`));
    seen[p] = r.body;
    if (r.body.length < 20) failed.push(`GET ${p} after HEAD: ${r.body.length} bytes`);
  }

  phase('head');
  // docx: four documents built to explode, at once, to the editor's import.
  const honest = word(documentXml(2_800_000));
  const underLimit = word(documentXml(1_500_000));
  const lying = word(documentXml(200_000), 1000);
  console.log(`documents: ${(honest.length / 1024).toFixed(0)} KB (108 MB inside), ${(underLimit.length / 1024).toFixed(0)} KB (63 MB inside), ${(lying.length / 1024).toFixed(0)} KB (sizes understated)`);
  const importDoc = (bytes, name) => timed(`import ${name}`, () => {
    const f = new FormData();
    f.append('file', new Blob([bytes]), `${name}.docx`);
    return fetch(`${base}/api/admin/articles/docx`, {
      method: 'POST', body: f,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'user-agent': BROWSER_UA, origin: base },
    });
  });
  const imports = await Promise.all([
    importDoc(honest, 'honest'), importDoc(underLimit, 'under-limit'), importDoc(lying, 'lying'), importDoc(honest, 'honest-2'),
  ]);
  for (const r of imports) {
    if (r.status < 400 || r.status >= 500) failed.push(`a Word bomb import answered ${r.status}`);
  }

  phase('docx imports');
  // submit: 32 manuscripts at once, each with five exploding documents, from 32 addresses.
  const tokens = await Promise.all(Array.from({ length: 32 }, (_, i) => tokenOf('/submit', 100 + i)));
  await new Promise((r) => setTimeout(r, 3200));
  const manuscript = (token, i, files) => {
    const f = new FormData();
    for (const [k, v] of Object.entries({
      token, website: '', name: `作者${i}`, organization: '', phone: `139${String(10000000 + i).slice(-8)}`, email: '',
      title: `稿件 ${i}`, column: '', content: `第 ${i} 篇稿件的正文，请编辑审阅。`, consent: 'yes',
    })) f.append(k, v);
    for (const [j, bytes] of files.entries()) f.append('files', new Blob([bytes]), `稿件${i}-${j}.docx`);
    return f;
  };
  const flood = await Promise.all(tokens.map((token, i) => timed('submit bombs', () => fetch(`${base}/submit`, {
    method: 'POST', redirect: 'manual', headers: headers(100 + i), body: manuscript(token, i, [honest, honest, honest, honest, honest]),
  }))));
  const floodStatus = {};
  for (const r of flood) floodStatus[r.status] = (floodStatus[r.status] ?? 0) + 1;

  phase('32 manuscripts with 5 documents each');
  // accept: a manuscript whose document the sniffer takes, accepted by an editor.
  const acceptToken = await tokenOf('/submit', 300);
  await new Promise((r) => setTimeout(r, 3200));
  const stored = await timed('submit under-limit', () => fetch(`${base}/submit`, {
    method: 'POST', redirect: 'manual', headers: headers(300), body: manuscript(acceptToken, 300, [underLimit]),
  }));
  let acceptMs = null;
  if (stored.status === 303) {
    const list = await getJson(base, admin, '/api/admin/submissions/list?filter=all&page=1');
    const item = (list.items ?? list.rows ?? []).find((s) => String(s.title ?? '').includes('稿件 300'));
    const columns = await getJson(base, admin, '/api/admin/columns/list');
    const column = columns.find((c) => c.slug === 'news') ?? columns[0];
    if (item) {
      const r = await timed('accept under-limit', () => fetch(`${base}/api/admin/submissions/accept`, {
        method: 'POST', redirect: 'manual',
        headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded', 'user-agent': BROWSER_UA, origin: base },
        body: new URLSearchParams({ id: String(item.id), column: String(column.id), csrf_token: admin.csrf }),
      }));
      acceptMs = r.ms;
      const flash = (r.headers.getSetCookie?.() ?? []).find((c) => c.startsWith('portico_flash=')) ?? '';
      console.log(`accept: ${r.status} in ${r.ms.toFixed(0)} ms, ${decodeURIComponent(flash.split(';')[0].split('=')[1] ?? '')}`);
    } else {
      failed.push('the stored manuscript is not in the queue');
    }
  } else {
    failed.push(`the under-limit manuscript was answered ${stored.status}`);
  }

  phase('accept');
  // lockout: eight wrong passwords from one address, the right one from another.
  const login = (password, n) => fetch(`${base}/admin/login`, {
    method: 'POST', redirect: 'manual', headers: headers(n, { 'content-type': 'application/x-www-form-urlencoded' }),
    body: new URLSearchParams({ username: 'attack-editor', password, next: '/admin' }),
  });
  for (let i = 0; i < 8; i++) note('wrong password', (await login('guessing-wrong', 400)).status, 0);
  const real = await timed('right password elsewhere', () => login(passwordOf('attack-editor'), 401));
  const signedIn = real.status === 303 && real.headers.get('location') === '/admin';
  if (!signedIn) failed.push(`the editor was kept out: ${real.status} ${real.headers.get('location')}`);

  phase('lockout');
  // diff: one article saved with two different 2 MB bodies, then compared.
  const column = (await getJson(base, writer, '/api/admin/columns/list').catch(() => [])).find((c) => c.slug === 'news');
  const columnId = column ? column.id : 1;
  const body = (tag) => Array.from({ length: 70_000 }, (_, i) => `<p>${tag}段落${i}号</p>`).join('');
  const form = (id, tag) => ({
    id, column_id: columnId, title: `两份不同的长正文 ${tag}`, subtitle: '', source: '本网', author: '撰稿人',
    summary: '', body: body(tag), cover_image_id: null, cover_src: null, is_headline: false,
    is_recommended: false, is_slideshow: false, status: 'draft', published_at: '',
  });
  const first = await postJson(base, writer, '/api/admin/articles/save', { draft_key: 'attack-diff', form: form(null, '旧') });
  let diffMs = null;
  if (first.status === 200) {
    const id = first.body.id;
    const second = await postJson(base, writer, '/api/admin/articles/save', { draft_key: 'attack-diff', form: form(id, '新') });
    note('save 2 MB', second.status, second.ms);
    const revs = await getJson(base, writer, `/api/admin/articles/revisions?id=${id}`);
    const oldest = revs.rows[revs.rows.length - 1];
    phase('saving two 2 MB bodies');
    const d = await timed('diff of two 2 MB bodies', () => fetch(`${base}/api/admin/articles/diff?rev=${oldest.id}`, {
      headers: { cookie: writer.cookie, accept: 'application/json', 'user-agent': BROWSER_UA },
    }));
    diffMs = d.ms;
    phase('diff');

    // blocked: the same article, full of one blocked word, in review.
    const settings = await getJson(base, admin, '/api/admin/sys/settings');
    const fields = {};
    for (const [k, v] of Object.entries(settings)) fields[k] = typeof v === 'boolean' ? (v ? '1' : '') : String(v ?? '');
    fields.blocked_words = '赌博\n不在文中的词';
    fields.csrf_token = admin.csrf;
    await timed('save settings', () => fetch(`${base}/api/admin/sys/settings/save`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded', 'user-agent': BROWSER_UA, origin: base },
      body: new URLSearchParams(fields),
    }));
    const blockedForm = form(id, '新');
    blockedForm.body = '<p>' + '赌博x'.repeat(280_000) + '</p>';
    const saved = await postJson(base, writer, '/api/admin/articles/save', { draft_key: 'attack-diff', form: blockedForm });
    note('save blocked', saved.status, saved.ms);
    const submitted = await postJson(base, writer, '/api/admin/articles/send-for-review', { id });
    note('submit for review', submitted.status, submitted.ms);
    const review = await timed('review with blocked words', () => fetch(`${base}/api/admin/review/one?id=${id}`, {
      headers: { cookie: admin.cookie, accept: 'application/json', 'user-agent': BROWSER_UA },
    }));
    console.log(`saving a 2 MB body full of a blocked word: ${saved.status}; submitting it: ${submitted.status}`);
    console.log(`review of a 2 MB body with 280,000 blocked words: ${review.status} in ${review.ms.toFixed(0)} ms`);
    phase('blocked words');
  } else {
    failed.push(`the writer could not save: ${first.status} ${JSON.stringify(first.body).slice(0, 200)}`);
  }

  // replay: one 留言 token sent back 20 times at once.
  phase('review');
  const messageToken = await tokenOf('/messages', 500);
  await new Promise((r) => setTimeout(r, 3200));
  const replays = await Promise.all(Array.from({ length: 20 }, (_, i) => timed('replay', () => fetch(`${base}/messages`, {
    method: 'POST', redirect: 'manual', headers: headers(500, { 'content-type': 'application/x-www-form-urlencoded' }),
    body: new URLSearchParams({
      token: messageToken, website: '', name: '重放', phone: '13800000000', email: '', subject: `重放 ${i}`,
      content: `同一个表单令牌的第 ${i} 次提交`, public: 'yes', consent: 'yes',
    }),
  }))));
  const replayStored = replays.filter((r) => r.status === 303).length;
  if (replayStored !== 1) failed.push(`a replayed token stored ${replayStored} messages`);

  phase('replay');
  // search: a common character, 20 times.
  const searches = [];
  for (let i = 0; i < 20; i++) searches.push((await timed('search 的', () => fetch(`${base}/search?q=%E7%9A%84`))).ms);

  phase('search');
  const seconds = (performance.now() - started) / 1000;
  probing = false;
  await prober;

  // What readers see is what they saw before (a page rendered again has another script
  // nonce; the settings saved above make every page render again).
  // The view counts go up with every GET of an article: not something an attack changed.
  const unnonced = (html) => html
    .replace(/nonce="[^"]*"/g, 'nonce=""')
    .replace(/crossorigin="[^"]*"/g, '')
    .replace(/(class="hit-count">)\d+/g, '$1');
  for (const p of pages) {
    const again = await (await fetch(`${base}${p}`)).text();
    if (unnonced(again) !== unnonced(seen[p])) {
      const a = unnonced(seen[p]);
      const b = unnonced(again);
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      failed.push(`${p} changed at ${i}: …${a.slice(Math.max(0, i - 80), i + 80)}… became …${b.slice(Math.max(0, i - 80), i + 80)}…`);
    }
  }
  const fiveHundreds = statuses.filter((s) => s.status >= 500 || s.status === 0);
  for (const s of fiveHundreds) failed.push(`${s.what}: ${s.status}`);
  const p99 = percentile(health, 99);
  const peak = rssOf(server.pid, 'VmHWM');
  const ms = (what) => statuses.filter((s) => s.what === what).map((s) => s.ms);
  console.log(`\nattacks ran ${seconds.toFixed(1)} s; /healthz asked ${health.length} times: p50 ${percentile(health, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...health).toFixed(1)} ms`);
  const overall = Math.max(peak, ...phases.map((p) => p.peak));
  console.log(`server RSS: ${rssBefore.toFixed(0)} MB before, peak ${overall.toFixed(0)} MB; by phase: ${phases.map((p) => `${p.name} ${p.peak.toFixed(0)}`).join(', ')}`);
  console.log(`Word imports: ${imports.map((r) => `${r.status} in ${r.ms.toFixed(0)} ms`).join(', ')}`);
  console.log(`32 manuscripts with 5 documents each: ${JSON.stringify(floodStatus)}, p99 ${percentile(ms('submit bombs'), 99).toFixed(0)} ms`);
  console.log(`accepting a 63 MB document: ${acceptMs === null ? 'not run' : `${acceptMs.toFixed(0)} ms`}`);
  console.log(`the editor signed in from elsewhere after 8 wrong passwords: ${signedIn ? 'yes' : 'NO'} (${real.ms.toFixed(0)} ms)`);
  console.log(`diff of two 2 MB bodies: ${diffMs === null ? 'not run' : `${diffMs.toFixed(0)} ms`}`);
  console.log(`one token sent back 20 times: ${replayStored} stored`);
  console.log(`search for 的: p50 ${percentile(searches, 50).toFixed(0)} ms, max ${Math.max(...searches).toFixed(0)} ms`);
  if (p99 >= 50) failed.push(`/healthz p99 ${p99.toFixed(1)} ms (bound 50 ms)`);
  // Start-up (seeding the demo content, drawing its pictures) is not an attack.
  const top = Math.max(peak, ...phases.filter((p) => p.name !== 'start-up and sign-in').map((p) => p.peak));
  if (top >= 200) failed.push(`peak RSS ${top.toFixed(0)} MB (bound 200 MB)`);
} catch (e) {
  failed.push(String(e.stack ?? e));
} finally {
  probing = false;
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(work, { recursive: true, force: true });
}
if (failed.length) {
  console.log(`\nFAILED:\n- ${failed.join('\n- ')}`);
  process.exit(1);
}
console.log('\nall attacks held');
