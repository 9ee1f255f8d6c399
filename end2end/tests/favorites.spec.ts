import { expect, test } from "@playwright/test";
import { openFirstArticle, waitForIslands } from "./helpers";

test("favorite toggles, persists and appears on 我的收藏", async ({ page }) => {
  const path = await openFirstArticle(page);
  await waitForIslands(page);
  const title = (await page.locator("h1").textContent())!.trim();
  const toggle = page.locator(".fav-toggle");
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  await expect(toggle).toContainText("收藏");

  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await expect(toggle).toContainText("已收藏");

  await page.reload();
  await waitForIslands(page);
  await expect(page.locator(".fav-toggle")).toHaveAttribute("aria-pressed", "true");

  await page.goto("/favorites");
  const item = page.locator(".favorites-list li").filter({ hasText: title });
  await expect(item).toHaveCount(1);
  await expect(item.locator("a")).toHaveAttribute("href", path);
  await expect(item.locator(".date")).toContainText("年");

  // Ids of articles that no longer exist are left out without a broken entry.
  await page.evaluate(() => {
    const list = JSON.parse(localStorage.getItem("portico.favorites") ?? "[]");
    list.push({ id: 987654, title: "已删除的文章" });
    localStorage.setItem("portico.favorites", JSON.stringify(list));
  });
  await page.reload();
  await expect(page.locator(".favorites-list li")).toHaveCount(1);
  await expect(page.getByText("已删除的文章")).toHaveCount(0);

  await item.getByRole("button", { name: "取消收藏" }).click();
  await expect(page.locator(".state-empty")).toContainText("您还没有收藏文章");

  await page.goto(path);
  await waitForIslands(page);
  await expect(page.locator(".fav-toggle")).toHaveAttribute("aria-pressed", "false");
});
