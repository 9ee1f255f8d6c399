// What readers download before they touch anything: the wasm and JS (bytes as transferred,
// brotli) that Chromium loads for each page, including the lazy chunks its islands fetch as
// they come alive. Run against a running release build:
//
//   node scripts/bundle-size.mjs [BASE_URL] [PATH...]     (default http://127.0.0.1:3000 / /articles/1)
import { createRequire } from 'node:module';

const require = createRequire(new URL('../end2end/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const base = process.argv[2] || 'http://127.0.0.1:3000';
const paths = process.argv.length > 3 ? process.argv.slice(3) : ['/', '/articles/1'];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
for (const path of paths) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map();
  const bytes = new Map();
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
  cdp.on('Network.loadingFinished', (e) => bytes.set(e.requestId, e.encodedDataLength));
  await page.goto(base + path, { waitUntil: 'networkidle' });
  // Islands hydrate when the browser is idle; give lazy chunks time to arrive.
  await page.waitForTimeout(1500);
  let total = 0;
  const rows = [];
  for (const [id, url] of urls) {
    if (!/\.(wasm|js)(\?|$)/.test(url)) continue;
    const n = bytes.get(id) ?? 0;
    total += n;
    rows.push(`  ${(n / 1024).toFixed(1).padStart(6)} KB  ${url.replace(base, '')}`);
  }
  console.log(`${path}: ${(total / 1024).toFixed(1)} KB of wasm + JS before interaction`);
  console.log(rows.join('\n'));
  await context.close();
}
await browser.close();
