import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";

// Lighthouse (mobile: a mid-range phone on a slow 4G connection, simulated) gives the home
// page, a column list and an article 100 in all four categories. Run with Debian's Chromium;
// the reports are kept in end2end/.tmp/lighthouse for a look when a score drops.

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];

test("Lighthouse mobile: 100 in every category on home, a column list and an article", async ({ baseURL, request }) => {
  test.setTimeout(240_000);
  // An article of the demo content that no other test edits.
  const list = await (await request.get("/columns/policy")).text();
  const article = list.match(/href="(\/articles\/\d+)"/)?.[1];
  expect(article).toBeTruthy();
  const dir = join(__dirname, "..", ".tmp", "lighthouse");
  mkdirSync(dir, { recursive: true });
  const bin = join(__dirname, "..", "node_modules", ".bin", "lighthouse");
  const scores: string[] = [];
  for (const [name, path] of [
    ["home", "/"],
    ["column", "/columns/news"],
    ["article", article!],
  ]) {
    // Warm the page cache first, as it is for every reader but the first.
    await request.get(path);
    const out = join(dir, `${name}.json`);
    execFileSync(
      bin,
      [
        `${baseURL}${path}`,
        "--quiet",
        "--output=json",
        `--output-path=${out}`,
        `--only-categories=${CATEGORIES.join(",")}`,
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync",
      ],
      { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" }, stdio: "ignore" },
    );
    const report = JSON.parse(readFileSync(out, "utf8"));
    for (const category of CATEGORIES) {
      const score = Math.round(report.categories[category].score * 100);
      if (score < 100) {
        const failing = Object.values(report.audits as Record<string, { id: string; score: number | null; scoreDisplayMode: string }>)
          .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "manual")
          .filter((a) => report.categories[category].auditRefs.some((r: { id: string; weight: number }) => r.id === a.id && r.weight > 0))
          .map((a) => `${a.id} ${a.score}`);
        scores.push(`${name} ${category} ${score}: ${failing.join(", ")}`);
      }
    }
  }
  expect(scores).toEqual([]);
});
