import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

// Moving a WordPress site in while the site is serving (this file runs last: the import adds
// content the other files do not expect). The export is the one WordPress's own exporter
// wrote (server/tests/fixtures/import); `portico import` runs against the running site's
// database, as an operator would.

const root = path.resolve(__dirname, "../..");
const tmp = path.resolve(__dirname, "../.tmp");

test("a reader follows old WordPress addresses and an editor saves an imported article unchanged", async ({ page, browser }) => {
  test.setTimeout(120_000);
  // The old upload folder with its one picture, drawn by the browser as a JPEG.
  const media = path.join(tmp, "old-uploads");
  mkdirSync(path.join(media, "2020/12"), { recursive: true });
  const jpeg = await page.evaluate(() => {
    const c = document.createElement("canvas");
    c.width = 640;
    c.height = 400;
    const g = c.getContext("2d")!;
    g.fillStyle = "#286eaa";
    g.fillRect(0, 0, 640, 400);
    g.fillStyle = "#e6e6dc";
    g.fillRect(60, 220, 520, 140);
    return c.toDataURL("image/jpeg", 0.85).split(",")[1];
  });
  writeFileSync(path.join(media, "2020/12/yuanqu-niaokan.jpg"), Buffer.from(jpeg, "base64"));

  const source = path.join(tmp, "wordpress.xml");
  writeFileSync(source, readFileSync(path.join(root, "server/tests/fixtures/import/wordpress.xml")));
  const out = execFileSync(
    path.resolve(root, process.env.PORTICO_BINARY ?? "target/release/portico"),
    ["import", source, "--from", "wordpress", "--media", media],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: `sqlite://${path.join(tmp, "e2e.db")}?mode=rwc`,
        PORTICO_UPLOADS_DIR: path.join(tmp, "uploads"),
        // The running site's installation key: the import's audit rows join its chain.
        PORTICO_KEY_FILE: path.join(tmp, "portico.key"),
        PORTICO_SEED_DEMO: "false",
      },
      encoding: "utf8",
    },
  );
  expect(out).toContain("导入报告：WordPress");

  // A reader with an old bookmark, a link from elsewhere with the old host, an old ?p= link.
  const reader = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const r = await reader.newPage();
  for (const [old, title] of [
    ["/2020/12/zuotanhui/", "开发区高质量发展座谈会在京举行"],
    ["/?p=5", "协会召开2020年度理事会"],
    ["/category/news/xiehui/", "协会动态"],
    ["/about/contact/", "联系我们"],
  ]) {
    // The running site learns of the new columns and pages from the database within a
    // moment (as every server of a cluster does), not at once.
    await expect
      .poll(async () => (await r.goto(old))!.status(), { message: old, timeout: 10_000 })
      .toBe(200);
    expect(r.url(), old).not.toContain(old === "/?p=5" ? "?p=" : old);
    await expect(r.locator("h1").first(), old).toContainText(title);
  }
  await r.goto("/2020/12/zuotanhui/");
  await expect(r).toHaveURL(/\/articles\/\d+$/);
  await expect(r.locator(".article-body img").first()).toHaveAttribute("src", /^\/media\//);
  const articlePath = new URL(r.url()).pathname;
  const before = await r.locator(".article-body").innerHTML();
  // Its WordPress tags came across as its 关键词.
  const keywords = await r.locator('meta[name="keywords"]').getAttribute("content");
  expect(keywords).toContain("招商引资");
  expect(keywords).toContain("营商环境");
  // The links inside the old body lead to the new page of the other article.
  const link = r.locator(".article-body a", { hasText: "协会召开2020年度理事会" });
  await expect(link).toHaveAttribute("href", /^\/articles\/\d+$/);

  // An editor opens it in the editor and saves it without changing anything.
  await signIn(page, "e2e-editor");
  const id = articlePath.split("/").pop();
  await page.goto(`/admin/articles/${id}`);
  await expect(page.locator(".editor.live")).toBeVisible();
  await expect(page.locator(".title-input")).toHaveValue("开发区高质量发展座谈会在京举行");
  await expect(page.getByLabel("关键词（用逗号分隔）")).toHaveValue(keywords!);
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.locator(".editor-status")).toContainText("已保存");
  await expect
    .poll(async () => {
      await r.goto(articlePath);
      return r.locator(".article-body").innerHTML();
    })
    .toBe(before);
  await expect(r.locator('meta[name="keywords"]')).toHaveAttribute("content", keywords!);
  await reader.close();
});
