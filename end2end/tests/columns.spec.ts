import { expect, test } from "@playwright/test";

test("pagination navigates with stable URLs", async ({ page }) => {
  await page.goto("/columns/news");
  const pager = page.getByRole("navigation", { name: "分页" });
  await expect(pager.locator("[aria-current=page]")).toHaveText("1");
  const firstOnPage1 = await page.locator(".column-list h2 a").first().textContent();

  await pager.getByRole("link", { name: "下一页" }).click();
  await expect(page).toHaveURL(/\/columns\/news\?page=2$/);
  await expect(pager.locator("[aria-current=page]")).toHaveText("2");
  expect(await page.locator(".column-list h2 a").first().textContent()).not.toBe(firstOnPage1);

  await pager.getByRole("link", { name: "1", exact: true }).click();
  await expect(page).toHaveURL(/\/columns\/news$/);
  await expect(page.locator(".column-list h2 a").first()).toHaveText(firstOnPage1!);

  // A bad page number lands on the first page.
  await page.goto("/columns/news?page=abc");
  await expect(page).toHaveURL(/\/columns\/news$/);
});

test("tabs lead to the sub-columns", async ({ page }) => {
  await page.goto("/columns/news");
  await page.getByRole("navigation", { name: "栏目" }).getByRole("link", { name: "政策法规" }).click();
  await expect(page).toHaveURL(/\/columns\/policy$/);
  await expect(page.locator("h1")).toHaveText("政策法规");
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 375, height: 760 } });

  for (const path of ["/", "/columns/news", "/columns/photo-news", "/columns/intro", "/columns/magazine", "/magazine/2026/11", "/columns/notices"]) {
    test(`${path} has no horizontal scroll`, async ({ page }) => {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }
});
