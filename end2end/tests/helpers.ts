import { expect, Page } from "@playwright/test";

/** Opens the newest article of the news centre and returns its path. */
export async function openFirstArticle(page: Page): Promise<string> {
  await page.goto("/columns/news");
  const href = await page.locator(".column-list h2 a").first().getAttribute("href");
  expect(href).toMatch(/^\/articles\/\d+$/);
  await page.goto(href!);
  return href!;
}

/** Waits until the islands of the page are live (the favorite button is enabled then). */
export async function waitForIslands(page: Page) {
  await expect(page.locator(".fav-toggle")).toBeEnabled();
}
