import { expect, test, Page } from "@playwright/test";
import { shanghaiInput, signIn } from "./helpers";

/** A PNG drawn in the page, as a `data:` URL: what Word and WPS put on the clipboard. */
async function drawnPng(page: Page): Promise<string> {
  return page.evaluate(() => {
    const c = document.createElement("canvas");
    c.width = 320;
    c.height = 200;
    const g = c.getContext("2d")!;
    g.fillStyle = "#0b4a8b";
    g.fillRect(0, 0, 320, 200);
    g.fillStyle = "#f4c542";
    g.fillRect(40, 40, 240, 120);
    return c.toDataURL("image/png");
  });
}

/** Pastes `html` into the editor's body the way a browser does: a `paste` event carrying
 *  the clipboard's HTML and plain text. */
async function paste(page: Page, html: string, text: string) {
  await page.locator(".body-editor").evaluate(
    (el, { html, text }) => {
      (el as HTMLElement).focus();
      const dt = new DataTransfer();
      dt.setData("text/html", html);
      dt.setData("text/plain", text);
      el.dispatchEvent(
        new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }),
      );
    },
    { html, text },
  );
}

test("an editor writes, schedules, edits and compares an article", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const title = `园区能耗监测平台上线试运行 ${Date.now() % 100000}`;
  await signIn(page, "e2e-editor");
  await expect(page.locator(".admin-user")).toContainText("测试编辑");

  // A new article: title, then a paste from a word processor with a picture in it.
  await page.goto("/admin/articles/new");
  await expect(page.locator(".editor.live")).toBeVisible();
  await page.locator(".title-input").fill(title);
  const png = await drawnPng(page);
  await paste(
    page,
    `<html><body><!--StartFragment--><p class="MsoNormal" style="mso-line-height-alt:18pt">` +
      `<span lang="ZH-CN">平台接入园区内三十七家重点用能企业。</span></p>` +
      `<p class="MsoNormal"><img width="320" height="200" src="${png}"></p>` +
      `<p class="MsoNormal"><span lang="ZH-CN">试运行期间数据每十五分钟更新一次。</span></p>` +
      `<!--EndFragment--></body></html>`,
    "平台接入园区内三十七家重点用能企业。\n试运行期间数据每十五分钟更新一次。",
  );
  await expect(page.locator(".editor-status")).toContainText("1 张图片已上传到媒体库");
  const body = page.locator(".body-editor");
  await expect(body.locator("p")).toContainText([
    "平台接入园区内三十七家重点用能企业。",
    "试运行期间数据每十五分钟更新一次。",
  ]);
  const img = body.locator("img");
  await expect(img).toHaveCount(1);
  await expect(img).toHaveAttribute("src", /^\/media\/.+\.(png|webp)$/);
  const bodyHtml = await body.innerHTML();
  expect(bodyHtml).not.toContain("data:");
  expect(bodyHtml).not.toContain("blob:");
  expect(bodyHtml).not.toContain("MsoNormal");

  // Filed under a sub-column, scheduled a few seconds ahead.
  const column = page.getByLabel("栏目");
  const zoneNews = await column.locator("option", { hasText: "园区动态" }).getAttribute("value");
  await column.selectOption(zoneNews!);

  await page.getByLabel("状态").selectOption("scheduled");
  await page.getByLabel("发布时间").fill(shanghaiInput(12_000));
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.locator(".editor-status")).toContainText("已保存");
  await expect(page).toHaveURL(/\/admin\/articles\/\d+$/);
  const id = page.url().match(/\/admin\/articles\/(\d+)$/)![1];
  const publicPath = `/articles/${id}`;

  // Readers cannot see it before its time; it goes live by itself, without a restart or a
  // visit to the back office.
  const reader = await browser.newContext();
  const readerPage = await reader.newPage();
  const early = await readerPage.goto(publicPath);
  expect(early!.status()).toBe(404);
  await expect
    .poll(async () => (await readerPage.request.get(publicPath)).status(), {
      timeout: 30_000,
      intervals: [1000],
    })
    .toBe(200);
  await readerPage.goto(publicPath);
  await expect(readerPage.locator("h1")).toHaveText(title);
  await expect(readerPage.locator(".article-body img")).toHaveAttribute("src", /^\/media\//);
  const columnHref = await readerPage.locator(".breadcrumb a").last().getAttribute("href");
  expect(columnHref).toBe("/columns/zone-news");
  await readerPage.goto(columnHref!);
  await expect(readerPage.locator(".column-list").getByText(title)).toBeVisible();

  // Edit: a corrected sentence, saved with Ctrl+S.
  await page.reload();
  await expect(page.locator(".editor.live")).toBeVisible();
  await body.locator("p", { hasText: "试运行期间" }).click();
  await page.keyboard.press("End");
  await page.keyboard.type("数据向园区企业开放查询。");
  await page.keyboard.press("Control+s");
  await expect(page.locator(".editor-status")).toContainText("已保存");
  await expect
    .poll(async () => (await readerPage.request.get(publicPath)).text(), { timeout: 10_000 })
    .toContain("数据向园区企业开放查询。");

  // History: the first revision against the current text, side by side.
  await page.getByRole("link", { name: /历史版本/ }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/articles/${id}/revisions$`));
  await page.getByRole("link", { name: "与当前版本对比" }).last().click();
  const changed = page.locator("table.diff tr.changed");
  await expect(changed.first()).toBeVisible();
  await expect(page.locator("table.diff .right").filter({ hasText: "数据向园区企业开放查询。" }))
    .not.toHaveCount(0);
  await expect(page.getByRole("button", { name: "恢复到这个版本" })).toBeVisible();

  // Sign out: the back office is closed again.
  await page.getByRole("button", { name: "退出" }).click();
  await expect(page).toHaveURL(/\/admin\/login/);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/login\?next=/);
  await reader.close();
});

test("reader pages never download back-office code", async ({ page }) => {
  const requested: string[] = [];
  page.on("request", (r) => requested.push(new URL(r.url()).pathname));
  for (const path of ["/", "/columns/news"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  const article = await page.locator(".column-list h2 a").first().getAttribute("href");
  await page.goto(article!);
  await expect(page.locator(".fav-toggle")).toBeEnabled();
  await page.waitForLoadState("networkidle");

  expect(requested.some((p) => p.endsWith(".wasm"))).toBe(true);
  expect(requested.filter((p) => /admin/i.test(p))).toEqual([]);
  // The editor islands are lazy: their code lives in chunks named after them that only
  // the back office asks for.
  expect(requested.filter((p) => /article_?editor|rich_?text/i.test(p))).toEqual([]);
});

test("reader pages download at most 60 KB of wasm and JS, and only the reader bundle", async ({
  page,
  context,
}) => {
  for (const path of ["/", "/articles/1", "/columns/news"]) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    const urls = new Map<string, string>();
    const bytes = new Map<string, number>();
    cdp.on("Network.responseReceived", (e) => urls.set(e.requestId, e.response.url));
    cdp.on("Network.loadingFinished", (e) => bytes.set(e.requestId, e.encodedDataLength));
    await page.goto(path, { waitUntil: "networkidle" });
    await expect(page.locator(".menu-fallback")).toBeHidden();
    await page.waitForTimeout(1000);
    let total = 0;
    const scripts: string[] = [];
    for (const [id, url] of urls) {
      if (!/\.(wasm|js)(\?|$)/.test(url)) continue;
      scripts.push(new URL(url).pathname);
      total += bytes.get(id) ?? 0;
    }
    expect(scripts.filter((p) => p.startsWith("/pkg/full/")), path).toEqual([]);
    expect(scripts.length, path).toBeGreaterThan(0);
    expect(total / 1024, `${path}: ${scripts.join(" ")}`).toBeLessThanOrEqual(60);
    await cdp.detach();
  }
});

test("the back office refuses a wrong password without saying which part was wrong", async ({
  page,
}) => {
  await page.goto("/admin/login");
  await page.getByLabel("用户名").fill("e2e-editor");
  await page.getByLabel("密码").fill("not-the-password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.locator(".flash-error")).toContainText("用户名或密码错误");
  await expect(page.getByLabel("用户名")).toBeVisible();
});
