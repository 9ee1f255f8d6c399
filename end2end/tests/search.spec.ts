import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

async function searchFromHeader(page: Page, words: string) {
  const box = page.getByRole("searchbox", { name: "搜索本站" });
  await box.fill(words);
  await box.press("Enter");
  await page.waitForURL(/\/search\?q=/);
}

test("search from the header on a desktop: ranked, marked results that lead to the article", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/");
  await searchFromHeader(page, "理事会");
  await expect(page).toHaveTitle(/搜索：理事会/);
  await expect(page.locator(".search-summary")).toContainText(/找到 \d+ 条结果/);
  // Title matches come first.
  const first = page.locator(".search-results li").first();
  await expect(first.locator("h2 mark").first()).toHaveText("理事会");
  await expect(first.locator(".date")).toHaveText(/^\d{4}年\d{1,2}月\d{1,2}日$/);
  // The box on the results page keeps the words; sorting by date is one choice away.
  await expect(page.locator("#search-q")).toHaveValue("理事会");
  await expect(page.locator("select[name=sort]")).toBeHidden();
  await page.getByText("按栏目、日期筛选或排序").click();
  await page.locator("select[name=sort]").selectOption("date");
  await page.locator(".search-form button").click();
  await page.waitForURL(/sort=date/);
  await expect(page.locator(".search-results li").first()).toBeVisible();
  const link = page.locator('.search-results li h2 a[href^="/articles/"]').first();
  const title = await link.innerText();
  await link.click();
  await page.waitForURL(/\/articles\/\d+/);
  await expect(page.locator("h1")).toHaveText(title);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 375, height: 760 } });

  test("the search box is in the menu", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("button", { name: "打开菜单" })).toBeVisible();
    const box = page.getByRole("searchbox", { name: "搜索本站" });
    await expect(box).toBeHidden();
    await page.getByRole("button", { name: "打开菜单" }).click();
    await expect(box).toBeVisible();
    const size = await box.boundingBox();
    expect(size!.height).toBeGreaterThanOrEqual(44);
    await searchFromHeader(page, "开发区 协会");
    await expect(page.locator(".search-results li").first()).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the header form and the filters work", async ({ page }) => {
    await page.goto("/columns/news");
    await searchFromHeader(page, "开发区");
    await expect(page.locator(".search-results li").first()).toBeVisible();
    await page.getByText("按栏目、日期筛选或排序").click();
    await page.locator("select[name=column]").selectOption({ label: "\u3000协会动态" });
    await page.locator(".search-form button").click();
    await page.waitForURL(/column=/);
    // Used filters stay open.
    await expect(page.locator("select[name=column]")).toBeVisible();
    await expect(page.locator("select[name=column]")).toHaveValue(/.+/);
    // No result: said plainly, with fewer words offered.
    await page.goto("/search?q=" + encodeURIComponent("开发区 琥珀湾不存在"));
    await expect(page.locator(".search-none")).toContainText("没有找到");
    await expect(page.locator(".search-fewer a").first()).toHaveText("开发区");
  });
});

test("axe finds nothing wrong with the search pages", async ({ page }) => {
  for (const path of ["/search", "/search?q=" + encodeURIComponent("营商环境"), "/search?q=" + encodeURIComponent("琥珀湾 营商")]) {
    await page.goto(path);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help}`), path).toEqual([]);
  }
});
