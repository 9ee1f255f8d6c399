// A small HTTP client of a running Portico for the scripts (write benchmark, crash check):
// signs in like a browser, saves articles through the back office's API, views pages.
// Node's own fetch; no packages.

export const BROWSER_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** Signs in; returns { cookie, csrf } for later requests. */
export async function signIn(base, username, password) {
  const res = await fetch(`${base}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': BROWSER_UA },
    body: new URLSearchParams({ username, password, next: '/admin' }),
  });
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
  const session = cookies.find((c) => c.startsWith('portico_session=') && c.length > 'portico_session='.length);
  if (res.status !== 303 || !session) {
    throw new Error(`sign-in as ${username} failed: ${res.status} ${res.headers.get('location')}`);
  }
  const page = await fetch(`${base}/admin`, { headers: { cookie: session, 'user-agent': BROWSER_UA } });
  const html = await page.text();
  const m = html.match(/name="csrf_token"[^>]*value="([^"]+)"/) || html.match(/value="([^"]+)"[^>]*name="csrf_token"/);
  if (!m) throw new Error('no CSRF token on the dashboard');
  return { cookie: session, csrf: m[1] };
}

/** A GET of a back-office JSON endpoint. */
export async function getJson(base, session, path) {
  const res = await fetch(`${base}${path}`, { headers: { cookie: session.cookie, 'user-agent': BROWSER_UA } });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return res.json();
}

/** The id of the column with this slug. */
export async function columnId(base, session, slug) {
  const columns = await getJson(base, session, '/api/admin/columns/list');
  const c = columns.find((c) => c.slug === slug);
  if (!c) throw new Error(`no column ${slug}`);
  return c.id;
}

/** The form the editor sends for a new, published article. */
export function articleForm(column, title) {
  return {
    id: null, column_id: column, title, subtitle: '', source: '本网', author: '压力测试',
    summary: '', body: `<p>${title}：这是一篇用于测试并发写入的文章。</p>`,
    cover_image_id: null, cover_src: null, is_headline: false, is_recommended: false,
    is_slideshow: false, status: 'published', published_at: '',
  };
}

/** Posts JSON to a back-office endpoint; returns { status, body, ms }. Network errors
 *  (the server went away) come back as status 0. */
export async function postJson(base, session, path, payload) {
  const started = performance.now();
  try {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: {
        cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json',
        accept: 'application/json', 'user-agent': BROWSER_UA, origin: base,
      },
      body: JSON.stringify(payload),
    });
    const text = await res.text();
    let body = text;
    try { body = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, body, ms: performance.now() - started };
  } catch (e) {
    return { status: 0, body: String(e), ms: performance.now() - started };
  }
}

/** Saves a new published article; returns { status, id, ms }. */
export async function saveArticle(base, session, column, title, key) {
  const r = await postJson(base, session, '/api/admin/articles/save', {
    draft_key: key, form: articleForm(column, title),
  });
  return { status: r.status, id: r.status === 200 ? r.body.id : null, ms: r.ms, body: r.body };
}

/** Waits until the server answers /healthz. */
export async function waitUntilUp(base, seconds = 60) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${base} did not come up in ${seconds} s`);
}

/** The p-th percentile (0..100) of a list of numbers. */
export function percentile(values, p) {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}
