import { expect, test } from "@playwright/test";

test.use({ javaScriptEnabled: false });

test("the article page works without JavaScript", async ({ page, request }) => {
  await page.goto("/columns/news");
  const href = await page.locator(".column-list h2 a").first().getAttribute("href");
  await page.goto(href!);
  await expect(page.locator("h1")).toBeVisible();
  await expect(page.locator(".article-body p").first()).toBeVisible();
  await expect(page.getByText("点击量：")).toBeVisible();

  // Font-size links go through the server and come back at the chosen size.
  await page.getByRole("link", { name: "大", exact: true }).click();
  await page.waitForURL(`**${href}`);
  await expect(page.locator(".site")).toHaveAttribute("data-fs", "l");

  // The share panel still opens (it is a <details>) and shows the QR code and links.
  await page.locator("details.share summary").click();
  await expect(page.locator("details.share svg.qr")).toBeVisible();
  await expect(page.locator("details.share a.to-weibo")).toBeVisible();
});

test.describe("on a phone without JavaScript", () => {
  test.use({ viewport: { width: 375, height: 760 } });

  test("the menu is reachable", async ({ page }) => {
    await page.goto("/");
    const nav = page.locator("#site-nav");
    await expect(nav).toBeHidden();
    await page.locator("a.menu-fallback").click();
    await expect(nav).toBeVisible();
    await expect(nav.getByRole("link", { name: "资讯中心" })).toBeVisible();
    await nav.getByRole("link", { name: "收起菜单" }).click();
    await expect(nav).toBeHidden();
  });
});

test("我的收藏 explains itself without JavaScript", async ({ page }) => {
  await page.goto("/favorites");
  await expect(page.getByText("需要启用 JavaScript 才能查看")).toBeVisible();
});

test("unknown pages are 404 inside the site", async ({ page }) => {
  const res = await page.goto("/articles/999999");
  expect(res!.status()).toBe(404);
  await expect(page.locator("h1")).toHaveText("页面不存在");
  await expect(page.getByRole("link", { name: "返回首页" })).toBeVisible();
});
