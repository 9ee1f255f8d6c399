import { expect, test } from "@playwright/test";
import { openFirstArticle, waitForIslands } from "./helpers";

test("share panel: QR code, encoded links, copy, Esc and outside click", async ({ page, context, baseURL }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const path = await openFirstArticle(page);
  await waitForIslands(page);
  const share = page.locator("details.share");
  const summary = share.locator("summary");
  const panel = share.locator(".popover-panel");
  await expect(panel).toBeHidden();

  await summary.click();
  await expect(panel).toBeVisible();
  await expect(panel.locator("svg.qr")).toBeVisible();

  const url = `${baseURL}${path}`;
  const weibo = await panel.locator("a.to-weibo").getAttribute("href");
  expect(weibo).toContain(`url=${encodeURIComponent(url)}`);
  const title = (await page.locator("h1").textContent())!.trim();
  expect(weibo).toContain(`title=${encodeURIComponent(title)}`);
  const qq = await panel.locator("a.to-qq").getAttribute("href");
  expect(qq).toContain(`url=${encodeURIComponent(url)}`);

  await panel.getByRole("button", { name: "复制链接" }).click();
  await expect(panel.locator(".share-status")).toHaveText("链接已复制");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

  await page.keyboard.press("Escape");
  await expect(panel).toBeHidden();
  await expect(summary).toBeFocused();

  // Keyboard: Enter opens it again; a click elsewhere closes it.
  await page.keyboard.press("Enter");
  await expect(panel).toBeVisible();
  // (the title: a short article's body can lie under the open panel)
  await page.locator("h1").click();
  await expect(panel).toBeHidden();
});

test("header popovers show the WeChat QR code and the QQ group", async ({ page }) => {
  await openFirstArticle(page);
  await waitForIslands(page);
  const wechat = page.locator("details.wechat");
  await wechat.locator("summary").click();
  await expect(wechat.locator(".popover-panel svg")).toBeVisible();
  await expect(wechat.getByText("扫一扫 关注公众号")).toBeVisible();
  const qq = page.locator("details.qq");
  await qq.locator("summary").click();
  // Opening one closes the other (a click outside it).
  await expect(wechat.locator(".popover-panel")).toBeHidden();
  await expect(qq.locator(".qq-number")).toBeVisible();
});
