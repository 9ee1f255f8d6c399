import { expect, test } from "@playwright/test";
import { openFirstArticle, waitForIslands } from "./helpers";

test("font size changes at once and persists across navigation and reload", async ({ page }) => {
  const path = await openFirstArticle(page);
  await waitForIslands(page);
  const body = page.locator(".article-body");
  await expect(page.locator(".site")).toHaveAttribute("data-fs", "m");
  const medium = await body.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

  // A click changes the size in place: no navigation happens.
  let navigated = false;
  page.on("framenavigated", () => (navigated = true));
  await page.getByRole("link", { name: "大", exact: true }).click();
  await expect(page.locator(".site")).toHaveAttribute("data-fs", "l");
  const large = await body.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(large).toBeGreaterThan(medium);
  expect(navigated).toBe(false);
  await expect(page.locator(".fs-option.active")).toHaveText("大");

  // The next page is rendered large by the server: right in the HTML, before any script.
  const next = page.locator(".prev-next a").first();
  const nextHref = await next.getAttribute("href");
  const response = await page.goto(nextHref!);
  expect(await response!.text()).toContain('data-fs="l"');
  const onArrival = await page.locator(".article-body").evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(onArrival).toBe(large);

  // And after a reload.
  await page.goto(path);
  await page.reload();
  await expect(page.locator(".site")).toHaveAttribute("data-fs", "l");

  // 小 is smaller than 中.
  await waitForIslands(page);
  await page.getByRole("link", { name: "小", exact: true }).click();
  await expect(page.locator(".site")).toHaveAttribute("data-fs", "s");
  const small = await page.locator(".article-body").evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(small).toBeLessThan(medium);
});
