import AxeBuilder from "@axe-core/playwright";
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { APIRequestContext, expect, Page, test } from "@playwright/test";

// Every reader page type and the back-office login, in the normal view and in 长者模式:
// the Nu HTML checker (vnu-jar, run with Java) reports no error, and axe-core reports no
// violation (in 长者模式 also none of the 7:1 contrast rule).

const ELDER = "portico_a11y=e";

/** The first link on `path` that matches `pattern`. */
async function firstLink(request: APIRequestContext, path: string, pattern: RegExp): Promise<string> {
  const html = await (await request.get(path)).text();
  const found = Array.from(html.matchAll(/href="([^"]+)"/g))
    .map((m) => m[1])
    .find((href) => pattern.test(href));
  expect(found, `a link like ${pattern} on ${path}`).toBeTruthy();
  return found!;
}

/** The pages to check: one of every kind (found through the site, as a reader would). */
async function pages(request: APIRequestContext): Promise<[string, string][]> {
  const pictureArticle = await firstLink(request, "/columns/photo-news", /^\/articles\/\d+$/);
  const html = await (await request.get(pictureArticle)).text();
  expect(html, "the picture article has images in its body").toMatch(/class="[^"]*prose[^"]*"[\s\S]*<img/);
  return [
    ["home", "/"],
    ["column list", "/columns/news"],
    ["column list, page 2", "/columns/news?page=2"],
    ["picture column", "/columns/photo-news"],
    ["article with images", pictureArticle],
    ["article", await firstLink(request, "/columns/policy", /^\/articles\/\d+$/)],
    ["notice list", "/columns/notices"],
    ["notice", await firstLink(request, "/columns/notices", /^\/notices\/\d+$/)],
    ["magazine", "/columns/magazine"],
    ["magazine issue", await firstLink(request, "/columns/magazine", /^\/magazine\/\d+\/\d+$/)],
    ["single page", "/columns/consulting"],
    ["favorites", "/favorites"],
    ["search", "/search?q=%E5%BC%80%E5%8F%91%E5%8C%BA"],
    ["search, nothing found", "/search?q=zzzzqqqq"],
    ["message box", "/messages"],
    ["message lookup", "/messages/track"],
    ["submission form", "/submit"],
    ["submission lookup", "/submit/track"],
    ["not found", "/no-such-page"],
    ["back-office login", "/admin/login"],
  ];
}

type VnuMessage = { type: string; subType?: string; url: string; lastLine?: number; message: string; extract?: string };

test("every page type validates in the Nu HTML checker, normal and 长者模式", async ({ request }) => {
  test.setTimeout(120_000);
  const dir = join(__dirname, "..", ".tmp", "vnu");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const [name, path] of await pages(request)) {
    for (const [mode, cookie] of [["normal", ""], ["elder", ELDER]]) {
      const res = await request.get(path, { headers: cookie ? { cookie } : {} });
      expect([200, 404], `${name} ${path}`).toContain(res.status());
      const file = join(dir, `${name.replace(/[^a-z0-9]+/gi, "-")}-${mode}.html`);
      writeFileSync(file, await res.body());
      files.push(file);
    }
  }
  // A page known to be wrong, to prove the checker ran and its report was read.
  const broken = join(dir, "known-broken.html");
  writeFileSync(broken, "<!DOCTYPE html><html lang=zh-CN><title>x</title><p><!></p><h1>a</h1><h3>b</h3></html>");
  const jar = join(__dirname, "..", "node_modules", "vnu-jar", "build", "dist", "vnu.jar");
  const run = spawnSync("java", ["-jar", jar, "--format", "json", "--exit-zero-always", broken, ...files], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  // vnu writes its JSON report to stderr.
  const json = JSON.parse(run.stderr) as { messages: VnuMessage[] };
  const all = json.messages.filter((m) => m.type === "error" || m.subType === "fatal");
  expect(all.some((m) => m.url.endsWith("known-broken.html") && /bogus comment/i.test(m.message))).toBe(true);
  const errors = all
    .filter((m) => !m.url.endsWith("known-broken.html"))
    .map((m) => `${m.url.split("/").pop()}:${m.lastLine}: ${m.message} [${(m.extract ?? "").trim().slice(0, 80)}]`);
  expect(errors).toEqual([]);
});

async function axe(page: Page, elder: boolean) {
  const builder = new AxeBuilder({ page });
  if (elder) builder.options({ rules: { "color-contrast-enhanced": { enabled: true } } });
  const results = await builder.analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

for (const [mode, viewport] of [
  ["desktop", { width: 1280, height: 900 }],
  ["phone", { width: 390, height: 844 }],
] as const) {
  test(`axe finds nothing on any page type, normal and 长者模式 (${mode})`, async ({ browser, request }) => {
    test.setTimeout(180_000);
    for (const elder of [false, true]) {
      const context = await browser.newContext({ viewport, bypassCSP: true, locale: "zh-CN" });
      if (elder) await context.addCookies([{ name: "portico_a11y", value: "e", url: "http://127.0.0.1" }]);
      const page = await context.newPage();
      const found: string[] = [];
      for (const [name, path] of await pages(request)) {
        await page.goto(path);
        // 长者模式 (and its 7:1 rule) belongs to the reader site; the login page has none.
        const readerPage = !path.startsWith("/admin");
        for (const v of await axe(page, elder && readerPage)) found.push(`${name} (${path})${elder ? " 长者模式" : ""}: ${v}`);
      }
      await context.close();
      expect(found).toEqual([]);
    }
  });
}
