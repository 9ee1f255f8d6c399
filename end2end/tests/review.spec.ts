import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

// 先审后发 in the browser: a writer submits, a reviewer returns it with a reason, the writer
// fixes and resubmits, the reviewer approves and the article is live; then an edit of the live
// article waits for review while readers still see the published version.
test("a writer's article goes through review to the site, and its later edit waits", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const stamp = Date.now() % 100000;
  const title = `开发区人才公寓建设情况调查 ${stamp}`;
  const writerCtx = await browser.newContext();
  const editorCtx = await browser.newContext();
  const readerCtx = await browser.newContext();
  const writer = await writerCtx.newPage();
  const editor = await editorCtx.newPage();
  const reader = await readerCtx.newPage();

  // The writer's menu has no 待审核 and no content administration.
  await signIn(writer, "e2e-writer");
  const menu = writer.getByRole("navigation", { name: "管理菜单" });
  await expect(menu.getByRole("link", { name: "我的稿件" })).toBeVisible();
  await expect(menu.getByRole("link", { name: /待审核/ })).toHaveCount(0);
  await expect(menu.getByRole("link", { name: "栏目" })).toHaveCount(0);

  await writer.goto("/admin/articles/new");
  await expect(writer.locator(".editor.live")).toBeVisible();
  // No status, time or flags for a writer.
  await expect(writer.getByLabel("状态")).toBeHidden();
  await expect(writer.getByText("头条")).toBeHidden();
  await writer.locator(".title-input").fill(title);
  const body = writer.locator(".body-editor");
  await body.click();
  await writer.keyboard.type("全区已建成人才公寓一千二百套。");
  await writer.getByRole("button", { name: "保存草稿" }).click();
  await expect(writer.locator(".editor-status")).toContainText("已保存为草稿");
  await expect(writer).toHaveURL(/\/admin\/articles\/\d+$/);
  const id = writer.url().match(/\/admin\/articles\/(\d+)$/)![1];
  await writer.getByRole("button", { name: "提交审核" }).click();
  await expect(writer.locator(".editor-status")).toContainText("已提交审核");
  await expect(writer.locator(".review-notice")).toContainText("待审核");
  await expect(writer.getByRole("button", { name: "提交审核" })).toBeDisabled();
  expect((await reader.goto(`/articles/${id}`))!.status()).toBe(404);

  // The reviewer finds it in the queue and returns it with a reason.
  await signIn(editor, "e2e-editor");
  await expect(
    editor.getByRole("navigation", { name: "管理菜单" }).getByRole("link", { name: /待审核/ }),
  ).toContainText(/\d/);
  await editor.goto("/admin/review");
  await editor.getByRole("link", { name: title }).click();
  await expect(editor).toHaveURL(new RegExp(`/admin/review/${id}$`));
  await expect(editor.locator(".review-preview")).toContainText("一千二百套");
  await editor.getByLabel("退回原因（撰稿人会看到）").fill("请补充资料来源和统计时间");
  await editor.getByRole("button", { name: "退回修改" }).click();
  await expect(editor.locator(".flash-ok")).toContainText("已退回修改");

  // The writer sees why, fixes it and resubmits (submitting saves first).
  await writer.reload();
  await expect(writer.locator(".editor.live")).toBeVisible();
  await expect(writer.locator(".review-notice")).toContainText("请补充资料来源和统计时间");
  await body.click();
  await writer.keyboard.press("End");
  await writer.keyboard.type("（截至2026年11月，园区住房保障部门统计）");
  await writer.getByRole("button", { name: "提交审核" }).click();
  await expect(writer.locator(".editor-status")).toContainText("已提交审核");

  // Approved: online.
  await editor.goto(`/admin/review/${id}`);
  await expect(editor.locator(".review-preview")).toContainText("住房保障部门统计");
  await editor.getByRole("button", { name: "通过并发布" }).click();
  await expect(editor.locator(".flash-ok")).toContainText("审核通过，文章已发布");
  await reader.goto(`/articles/${id}`);
  await expect(reader.locator("h1")).toHaveText(title);

  // An edit of the live article waits; readers keep the published version.
  await writer.reload();
  await expect(writer.locator(".editor.live")).toBeVisible();
  await writer.locator(".title-input").fill(`${title}（更新）`);
  await writer.getByRole("button", { name: "提交审核" }).click();
  await expect(writer.locator(".editor-status")).toContainText("已提交审核");
  await expect(writer.locator(".review-notice")).toContainText("网站上仍显示原来的版本");
  await reader.goto(`/articles/${id}`);
  await expect(reader.locator("h1")).toHaveText(title);
  await editor.goto("/admin/review");
  const row = editor.locator("tr", { hasText: `${title}（更新）` });
  await expect(row.locator(".tag")).toHaveText("已发布文章的修改");
  await row.getByRole("link").first().click();
  const titleRow = editor.locator("table.diff tr.changed", { hasText: "标题" });
  await expect(titleRow.locator(".left")).toHaveText(title);
  await expect(titleRow.locator(".right")).toHaveText(`${title}（更新）`);

  await writerCtx.close();
  await editorCtx.close();
  await readerCtx.close();
});
