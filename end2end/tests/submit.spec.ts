import AxeBuilder from "@axe-core/playwright";
import { expect, Page, test } from "@playwright/test";
import { manuscript } from "./docx";
import { signIn } from "./helpers";

/** Fills in the 投稿 form (waiting the form's 3 seconds, as a person would take). */
async function fillManuscript(page: Page, title: string, files: { name: string; mimeType: string; buffer: Buffer }[]) {
  await page.getByLabel("作者姓名").fill("钱晓");
  await page.getByLabel("工作单位").fill("示范高新技术产业开发区");
  await page.getByLabel("电子邮箱").fill("qianxiao@example.com");
  await page.getByLabel("稿件标题").fill(title);
  await page.getByLabel("正文").fill("园区今年的招商与服务情况，详见附件。");
  if (files.length) await page.getByLabel("附件").setInputFiles(files);
  await page.getByLabel(/我已阅读并同意/).check();
  const question = page.locator(".challenge label");
  if (await question.count()) {
    const [, a, b] = (await question.innerText()).match(/(\d+) 加 (\d+)/)!;
    await page.getByLabel(/验证问题/).fill(String(Number(a) + Number(b)));
  }
  await page.waitForTimeout(3200);
}

test("a reader submits a manuscript with a .docx, an editor accepts it into a draft", async ({ page, browser }) => {
  // 投稿 in the navigation leads to the instructions, which lead to the form.
  await page.goto("/");
  await page.locator("nav").getByRole("link", { name: "投稿", exact: true }).first().click();
  await page.getByRole("link", { name: "在线投稿" }).click();
  await expect(page).toHaveURL(/\/submit$/);
  await expect(page.locator("h1")).toHaveText("在线投稿");
  // Once its script is live, the form checks fields itself (before, the browser does).
  await expect(page.locator("#submit-form")).toHaveAttribute("novalidate", "");

  // Checks in Chinese next to the fields, before anything is sent.
  await page.getByRole("button", { name: "提交稿件" }).click();
  await expect(page.locator("#sub-name-error")).toHaveText(/请填写作者姓名/);
  await expect(page.locator("#sub-phone-error")).toContainText("至少填写一种联系方式");
  await expect(page.locator("#sub-consent-error")).toContainText("请阅读并同意");
  await expect(page.getByLabel("作者姓名")).toBeFocused();
  await expect(page).toHaveURL(/\/submit$/);
  await page.getByLabel("附件").setInputFiles({ name: "说明.txt", mimeType: "text/plain", buffer: Buffer.from("x") });
  await expect(page.locator("#sub-files-error")).toContainText("不是可接受的格式");
  await page.getByLabel("正文").fill("字");
  await expect(page.locator(".char-count")).toContainText("已输入 1 / 20000 字");

  const title = `园区招商服务的新做法 ${Date.now()}`;
  const docx = manuscript("一、园区概况", "今年园区新增企业四十家，服务体系进一步完善。");
  await fillManuscript(page, title, [
    {
      name: "招商调研.docx",
      mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      buffer: docx,
    },
  ]);
  await page.getByRole("button", { name: "提交稿件" }).click();
  await expect(page.locator(".receipt")).toContainText("稿件已提交");
  const code = (await page.locator(".receipt-code").innerText()).trim();
  expect(code).toMatch(/^TG\d{8}-[A-Z0-9]{4}$/);

  // An editor finds it, downloads the file and accepts it into a draft.
  const staff = await browser.newPage();
  await signIn(staff, "e2e-editor");
  await staff.getByRole("link", { name: "投稿", exact: true }).click();
  await staff.getByRole("link", { name: title }).click();
  await expect(staff.getByText("邮箱 q***@example.com")).toBeVisible();
  await staff.getByRole("button", { name: "显示完整" }).click();
  await expect(staff.getByText("邮箱 qianxiao@example.com")).toBeVisible();
  const download = staff.waitForEvent("download");
  await staff.getByRole("link", { name: "招商调研.docx" }).click();
  expect((await download).suggestedFilename()).toBe("招商调研.docx");
  await staff.getByLabel("存入栏目").selectOption({ label: "园区动态" });
  await staff.getByRole("button", { name: "采用并生成草稿" }).click();
  await expect(staff).toHaveURL(/\/admin\/articles\/\d+$/);
  await expect(staff.locator(".flash")).toContainText("已采用");
  await expect(staff.locator(".from-submission")).toContainText(code);
  const body = staff.locator(".body-editor");
  await expect(body.locator("h2")).toHaveText("一、园区概况");
  await expect(body.locator("img")).toHaveCount(1);
  await expect(body.locator("table td").first()).toHaveText("指标");
  await expect(staff.getByLabel("作者")).toHaveValue("钱晓");
  await staff.close();

  // The author sees it accepted.
  await page.goto("/submit/track");
  await page.getByLabel("受理编号").fill(code);
  await page.getByLabel("电话或电子邮箱").fill("qianxiao@example.com");
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page.locator(".tracked")).toContainText("已采用");
});

test("the submission pages have no accessibility violations", async ({ page }) => {
  for (const path of ["/submit", "/submit/track"]) {
    await page.goto(path);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${path}: ${v.id}`)).toEqual([]);
  }
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the manuscript form works, and a refusal keeps the text", async ({ page }) => {
    await page.goto("/submit");
    const title = `无脚本投稿 ${Date.now()}`;
    // A file that only claims to be a PDF is refused; what was typed comes back.
    await fillManuscript(page, title, [{ name: "稿件.pdf", mimeType: "application/pdf", buffer: Buffer.from("MZ not a pdf") }]);
    await page.getByRole("button", { name: "提交稿件" }).click();
    await expect(page.locator(".form-notice")).toContainText("请重新选择附件：稿件.pdf");
    await expect(page.locator("#sub-files-error")).toContainText("不是可接受的格式");
    await expect(page.getByLabel("稿件标题")).toHaveValue(title);
    await page.getByLabel("附件").setInputFiles({ name: "稿件.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") });
    await page.waitForTimeout(3200);
    await page.getByRole("button", { name: "提交稿件" }).click();
    await expect(page.locator(".receipt")).toContainText("稿件已提交");
  });
});

test("the manuscript form on a phone", async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto("/submit");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.getByRole("button", { name: "提交稿件" })).toBeVisible();
  await page.close();
});
