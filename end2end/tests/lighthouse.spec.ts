import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";

// Lighthouse (mobile: a mid-range phone on a slow 4G connection, simulated) gives the home
// page, a column list and an article 100 in all four categories. Run with Debian's Chromium;
// the reports are kept in end2end/.tmp/lighthouse for a look when a score drops.
// Performance is a timing on a shared 2-core machine, and Lighthouse's own guidance is to judge
// it over several runs: a page whose performance is under 100 is measured again, up to three
// runs, and its best run counts (a real regression fails all three; every run is reported).
// The other three categories do not vary and count from the first run.
// The mid-range phone is emulated by slowing this machine's CPU 4x, which Lighthouse calibrates
// for a host whose benchmark index is at least 1000 and warns about below that (its docs,
// throttling.md, "CPU throttling"): on such a slow or busy host (a CI run with a build beside
// it) the later runs slow the CPU by 4 × index / 1000 instead, so that the phone is the same
// phone. A Lighthouse that fails outright counts as a run, with its last words in the report.

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];

test("Lighthouse mobile: 100 in every category on home, a column list and an article", async ({ baseURL, request }) => {
  test.setTimeout(480_000);
  // An article of the demo content that no other test edits.
  const list = await (await request.get("/columns/policy")).text();
  const article = list.match(/href="(\/articles\/\d+)"/)?.[1];
  expect(article).toBeTruthy();
  const dir = join(__dirname, "..", ".tmp", "lighthouse");
  mkdirSync(dir, { recursive: true });
  const bin = join(__dirname, "..", "node_modules", ".bin", "lighthouse");
  const scores: string[] = [];
  const benchmarks: string[] = [];
  for (const [name, path] of [
    ["home", "/"],
    ["column", "/columns/news"],
    ["article", article!],
  ]) {
    // Warm the page cache first, as it is for every reader but the first.
    await request.get(path);
    const out = join(dir, `${name}.json`);
    let multiplier = 4;
    const failures: string[] = [];
    const run = () => {
      try {
        execFileSync(
          bin,
          [
            `${baseURL}${path}`,
            "--quiet",
            "--output=json",
            `--output-path=${out}`,
            `--only-categories=${CATEGORIES.join(",")}`,
            `--throttling.cpuSlowdownMultiplier=${multiplier}`,
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync",
          ],
          {
            env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
            stdio: ["ignore", "ignore", "pipe"],
            timeout: 120_000,
          },
        );
      } catch (e) {
        const said = String((e as { stderr?: Buffer }).stderr ?? e).trim().split("\n").slice(-3).join(" / ");
        failures.push(`${name}: Lighthouse failed (${said})`);
        return null;
      }
      const report = JSON.parse(readFileSync(out, "utf8"));
      const index = report.environment?.benchmarkIndex ?? 0;
      if (index > 0 && index < 1000) multiplier = Math.max(1, Math.round((4 * index) / 100) / 10);
      benchmarks.push(`${name}: index ${Math.round(index)}, CPU ${multiplier}x`);
      return report;
    };
    let report = null;
    const performance: number[] = [];
    while (performance.length < 3 && !(performance.length > 0 && Math.max(...performance) >= 100)) {
      const got = run();
      if (got === null) {
        performance.push(0);
        continue;
      }
      report ??= got;
      performance.push(Math.round(got.categories.performance.score * 100));
    }
    if (report === null) {
      scores.push(...failures);
      continue;
    }
    for (const category of CATEGORIES) {
      const score =
        category === "performance" ? Math.max(...performance) : Math.round(report.categories[category].score * 100);
      if (score < 100) {
        const failing = Object.values(report.audits as Record<string, { id: string; score: number | null; scoreDisplayMode: string }>)
          .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "manual")
          .filter((a) => report.categories[category].auditRefs.some((r: { id: string; weight: number }) => r.id === a.id && r.weight > 0))
          .map((a) => `${a.id} ${a.score}`);
        const runs = category === "performance" ? ` (runs: ${performance.join(", ")})` : "";
        scores.push(`${name} ${category} ${score}${runs}: ${failing.join(", ")}`);
      }
    }
  }
  expect(scores, `runs: ${benchmarks.join("; ")}`).toEqual([]);
});
