import { expect, test, Page } from "@playwright/test";
import { openFirstArticle, signIn, waitForIslands } from "./helpers";

// Every page runs under its Content-Security-Policy (inline scripts by the render's nonce,
// no hashes, no unsafe-inline):
// nothing the pages use may be refused, and the islands must still come alive.

/** Records every CSP violation the page reports, from before its first script. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) console.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  return async () => {
    const seen = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp ?? []);
    return [...seen, ...console];
  };
}

test("reader pages run with their policy and no violation", async ({ page }) => {
  const violations = await watchViolations(page);
  const article = await openFirstArticle(page);
  await waitForIslands(page);
  // An island works: the font size changes in place.
  await page.getByRole("link", { name: "大", exact: true }).click();
  await expect(page.locator(".site")).toHaveAttribute("data-fs", "l");
  expect(await violations()).toEqual([]);

  for (const path of ["/", "/columns/news", "/columns/news?page=2", "/favorites", "/rss.xml", "/no-such-page", article]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    expect(await violations(), path).toEqual([]);
  }
  const res = await page.goto("/");
  const csp = res!.headers()["content-security-policy"];
  expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'nonce-[A-Za-z0-9+/=_-]+'/);
  expect(csp).not.toContain("sha256-");
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).toContain("frame-ancestors 'self'");
});

test("back-office pages and the editor run with their policy and no violation", async ({ page }) => {
  test.setTimeout(90_000);
  const violations = await watchViolations(page);
  await page.goto("/admin/login");
  expect(await violations()).toEqual([]);
  await signIn(page, "e2e-admin");
  for (const path of [
    "/admin",
    "/admin/articles",
    "/admin/review",
    "/admin/media",
    "/admin/columns",
    "/admin/pages",
    "/admin/notices",
    "/admin/magazine",
    "/admin/links",
    "/admin/redirects",
    "/admin/sys/settings",
    "/admin/sys/users",
    "/admin/password",
    "/admin/account/2fa",
    "/admin/account/sessions",
  ]) {
    const res = await page.goto(path);
    expect(res!.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    await page.waitForLoadState("networkidle");
    expect(await violations(), path).toEqual([]);
  }
  // The auditor's and the security administrator's pages.
  for (const [who, paths] of [
    ["e2e-auditor", ["/admin/audit", "/admin/audit/verify"]],
    ["e2e-secadmin", ["/admin/security", "/admin/security/accounts"]],
  ] as const) {
    await page.context().clearCookies();
    await signIn(page, who);
    for (const path of paths) {
      const res = await page.goto(path);
      expect(res!.status(), path).toBe(200);
      expect(res!.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
      await page.waitForLoadState("networkidle");
      expect(await violations(), path).toEqual([]);
    }
  }
  await page.context().clearCookies();
  await signIn(page, "e2e-admin");
  // Destructive buttons still ask first (a script file, not an inline handler): declining
  // keeps the picture.
  await page.goto("/admin/media");
  const cards = page.locator("button[data-confirm]");
  const before = await cards.count();
  expect(before).toBeGreaterThan(0);
  let asked = "";
  page.once("dialog", (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await cards.first().click();
  await expect.poll(() => asked).toBe("确定删除这张图片吗？");
  await expect(page).toHaveURL(/\/admin\/media$/);
  expect(await page.locator("button[data-confirm]").count()).toBe(before);

  // The editor comes alive and takes typing and a paste.
  await page.goto("/admin/articles/new");
  await expect(page.locator(".editor.live")).toBeVisible();
  await page.locator(".title-input").fill("内容安全策略检查");
  await page.locator(".body-editor").click();
  await page.keyboard.type("正文第一段。");
  await page.locator(".body-editor").evaluate((el) => {
    const dt = new DataTransfer();
    dt.setData("text/html", '<p class="MsoNormal" style="color:red">粘贴的一段。</p>');
    dt.setData("text/plain", "粘贴的一段。");
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
  });
  await expect(page.locator(".body-editor")).toContainText("粘贴的一段。");
  await page.waitForLoadState("networkidle");
  expect(await violations()).toEqual([]);
});
