import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";

// 站群: a member site (乙园区, made by serve-for-tests.sh with `portico site add` and opened)
// is served on its own host with its own name, columns and pages, and nothing of the main
// site's; its islands work there as on the main site.
const port = Number(process.env.E2E_PORT ?? 3100);
const member = `http://yi.test:${port}`;

for (const [mode, viewport] of [
  ["desktop", { width: 1280, height: 900 }],
  ["phone", { width: 390, height: 844 }],
] as const) {
  test(`a member site is its own site on its own host (${mode})`, async ({ browser }) => {
    const context = await browser.newContext({ viewport, locale: "zh-CN" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));

    const res = await page.goto(`${member}/`);
    expect(res?.status()).toBe(200);
    await expect(page).toHaveTitle(/乙园区/);
    await expect(page.locator(".brand-name")).toHaveText("乙园区");
    // No English name or magazine of the association's on a member's masthead.
    await expect(page.locator(".brand-en")).toHaveCount(0);
    await expect(page.locator(".magazine-name")).toHaveCount(0);
    expect(await page.content()).not.toContain("中国开发区协会");
    // Blocks the site has not set up are not offered.
    await expect(page.getByRole("button", { name: "微信公众号" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "加入QQ交流群" })).toHaveCount(0);
    await page.screenshot({ path: `test-results/member-home-${mode}.png`, fullPage: true });

    // Its own columns: the starter tree, not the main site's.
    await page.goto(`${member}/columns/news`);
    await expect(page.locator("h1")).toContainText("新闻中心");
    expect((await page.goto(`${member}/columns/association-news`))?.status()).toBe(404);
    errors.length = 0; // the 404 just asked for is logged by the browser
    await page.goto(`${member}/columns/privacy`);
    await expect(page.locator("main")).toContainText("个人信息");

    // 长者模式 works on the member's host and is kept there.
    if (mode === "desktop") {
      await page.goto(`${member}/`);
      await page.locator(".header-widgets button.elder-switch").click();
      await expect(page.locator(".site")).toHaveAttribute("data-elder", "");
      await page.reload();
      await expect(page.locator(".site")).toHaveAttribute("data-elder", "");
    }

    // The message box works there: its own form and privacy page.
    await page.goto(`${member}/messages`);
    await expect(page.locator("form.reader-form input[name=token]")).toHaveCount(1);

    const found = await new AxeBuilder({ page }).analyze();
    expect(found.violations.map((v) => v.id)).toEqual([]);
    await page.goto(`${member}/`);
    const home = await new AxeBuilder({ page }).analyze();
    expect(home.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
}

test("a host no site has gets a plain 404, never the main site", async ({ request }) => {
  const res = await request.get(`http://127.0.0.1:${port}/`, { headers: { host: "nobody.test" } });
  expect(res.status()).toBe(404);
  expect(await res.text()).toBe("404 Not Found\n");
});
