import { expect, test } from "@playwright/test";
import { openFirstArticle, waitForIslands } from "./helpers";

test.describe("on a phone", () => {
  test.use({ viewport: { width: 375, height: 760 } });

  test("menu opens and closes with mouse and keyboard", async ({ page }) => {
    await openFirstArticle(page);
    await waitForIslands(page);
    const toggle = page.getByRole("button", { name: /打开菜单|收起菜单/ });
    const nav = page.locator("#site-nav");
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(toggle).toHaveAttribute("aria-controls", "site-nav");
    await expect(nav).toBeHidden();

    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    await expect(toggle).toHaveText(/收起菜单/);
    await expect(nav).toBeVisible();
    await expect(nav.getByRole("link", { name: "资讯中心" })).toBeVisible();

    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(nav).toBeHidden();

    // Keyboard: Enter opens, Esc closes and returns focus to the button, Space opens.
    await toggle.focus();
    await page.keyboard.press("Enter");
    await expect(toggle).toHaveAttribute("aria-expanded", "true");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Escape");
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(nav).toBeHidden();
    await expect(toggle).toBeFocused();
    await page.keyboard.press(" ");
    await expect(toggle).toHaveAttribute("aria-expanded", "true");

    // It closes on navigation.
    await nav.getByRole("link", { name: "首页" }).click();
    await page.waitForURL("**/");
    await waitForIslandsOnAnyPage(page);
    await expect(page.locator("#site-nav")).toBeHidden();
  });

  test("no horizontal scrolling on the article page", async ({ page }) => {
    await openFirstArticle(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

test("on a desktop the navigation is always visible", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await openFirstArticle(page);
  await expect(page.locator("#site-nav")).toBeVisible();
  await expect(page.locator(".menu-toggle").first()).toBeHidden();
});

async function waitForIslandsOnAnyPage(page: import("@playwright/test").Page) {
  await expect(page.locator("button.menu-toggle")).toBeAttached();
  await expect(page.locator("a.menu-fallback")).toBeHidden();
}
