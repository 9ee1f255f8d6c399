import { expect, Page } from "@playwright/test";

/** Opens the newest article of the news centre and returns its path. */
export async function openFirstArticle(page: Page): Promise<string> {
  await page.goto("/columns/news");
  const href = await page.locator(".column-list h2 a").first().getAttribute("href");
  expect(href).toMatch(/^\/articles\/\d+$/);
  await page.goto(href!);
  return href!;
}

/** Waits until the islands of the page are live (the favorite button is enabled then). The
 *  wasm is fetched and compiled on a machine that may still be busy with an earlier test. */
export async function waitForIslands(page: Page) {
  await expect(page.locator(".fav-toggle")).toBeEnabled({ timeout: 20_000 });
}

export const STAFF_PASSWORD = process.env.E2E_STAFF_PASSWORD ?? "e2e-password-2026";

/** Signs in to the back office through the login form and waits for the dashboard. */
export async function signIn(page: Page, username: string) {
  await page.goto("/admin/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(STAFF_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/admin$/);
}

/** `YYYY-MM-DDTHH:mm:ss` in the site's time zone (Asia/Shanghai, UTC+8, no summer time),
 *  `ms` milliseconds from now: the value of a `datetime-local` input with `step="1"`. */
export function shanghaiInput(ms: number): string {
  return new Date(Date.now() + ms + 8 * 3600_000).toISOString().slice(0, 19);
}
