import AxeBuilder from "@axe-core/playwright";
import { expect, Page, test } from "@playwright/test";
import { signIn } from "./helpers";

/** Fills in the 留言 form. A person takes more than the form's 3 seconds; so does this. */
async function leaveMessage(page: Page, subject: string, content: string, contact: string) {
  await page.goto("/messages");
  await page.getByLabel("姓名或称呼").fill("赵女士");
  await page.getByLabel("联系电话").fill(contact);
  await page.getByLabel("主题").fill(subject);
  await page.getByLabel("留言内容").fill(content);
  await page.getByLabel("我已阅读并同意").check();
  const question = page.locator(".challenge label");
  if (await question.count()) {
    const [, a, b] = (await question.innerText()).match(/(\d+) 加 (\d+)/)!;
    await page.getByLabel(/验证问题/).fill(String(Number(a) + Number(b)));
  }
  await page.waitForTimeout(3200);
  await page.getByRole("button", { name: "提交留言" }).click();
}

test("a reader leaves a message, staff reply and publish, the reader sees the answer", async ({
  page,
  browser,
}) => {
  // The header's 留言 leads to the message box.
  await page.goto("/");
  await page.getByRole("link", { name: "留言", exact: true }).click();
  await expect(page).toHaveURL(/\/messages$/);
  await expect(page.locator("h1")).toHaveText("留言箱");

  // A refusal keeps what was typed.
  await page.getByLabel("姓名或称呼").fill("赵女士");
  await page.getByLabel("主题").fill("园区用地咨询");
  await page.getByLabel("留言内容").fill("想了解园区工业用地的出让流程。");
  await page.getByLabel("我已阅读并同意").check();
  await page.evaluate(() => document.querySelector("form.reader-form")!.setAttribute("novalidate", ""));
  await page.waitForTimeout(3200);
  await page.getByRole("button", { name: "提交留言" }).click();
  await expect(page.locator(".field-error").first()).toContainText("至少填写一种联系方式");
  await expect(page.getByLabel("留言内容")).toHaveValue("想了解园区工业用地的出让流程。");

  const subject = `园区用地咨询 ${Date.now()}`;
  await leaveMessage(page, subject, "想了解园区工业用地的出让流程和所需材料。", "13912345678");
  await expect(page.locator(".receipt")).toContainText("留言已提交");
  const code = (await page.locator(".receipt-code").innerText()).trim();
  expect(code).toMatch(/^LY\d{8}-[A-Z0-9]{4}$/);

  // Staff answer and publish it.
  const staff = await browser.newPage();
  await signIn(staff, "e2e-editor");
  await staff.getByRole("link", { name: "留言", exact: true }).click();
  await staff.getByRole("link", { name: subject }).click();
  // The reader's phone is masked until the editor asks for it (a recorded action).
  await expect(staff.getByText("电话 139****5678")).toBeVisible();
  await staff.getByRole("button", { name: "显示完整" }).click();
  await expect(staff).toHaveURL(/contact=full/);
  await expect(staff.getByText("电话 13912345678")).toBeVisible();
  await staff.getByLabel("答复").fill("工业用地出让流程请见本网站“服务”栏目，材料清单将另行发布。");
  await staff.getByLabel(/与留言一起在留言箱公开/).check();
  await staff.getByRole("button", { name: "保存答复" }).click();
  await expect(staff.locator(".flash")).toContainText("答复已保存");
  await staff.close();

  // The reader sees it on /messages and by tracking.
  await page.goto("/messages");
  const item = page.locator(".answered-item", { hasText: subject });
  await expect(item).toContainText("工业用地出让流程请见");
  await expect(page.getByText("13912345678")).toHaveCount(0);
  await page.goto("/messages/track");
  await page.getByLabel("受理编号").fill(code);
  await page.getByLabel("电话或电子邮箱").fill("13912345678");
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page.locator(".tracked")).toContainText("已答复");
  await expect(page.locator(".tracked")).toContainText("工业用地出让流程请见");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the message form works and comes back with its text", async ({ page }) => {
    const subject = `无脚本留言 ${Date.now()}`;
    await leaveMessage(page, subject, "在不启用脚本的浏览器中也能留言。", "010-66001234");
    await expect(page.locator(".receipt")).toContainText("留言已提交");
    await expect(page.locator(".receipt-code")).toHaveText(/^LY\d{8}-[A-Z0-9]{4}$/);
  });
});

test("axe finds nothing wrong with the message box and tracking", async ({ page }) => {
  for (const path of ["/messages", "/messages/track"]) {
    await page.goto(path);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help}`), path).toEqual([]);
  }
  // And with the reasons shown next to the fields.
  await page.goto("/messages");
  await page.evaluate(() => document.querySelector("form.reader-form")!.setAttribute("novalidate", ""));
  await page.waitForTimeout(3200);
  await page.getByRole("button", { name: "提交留言" }).click();
  await expect(page.locator(".field-error").first()).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 375, height: 760 } });

  test("the form fits the screen", async ({ page }) => {
    await page.goto("/messages");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    const box = await page.getByRole("button", { name: "提交留言" }).boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
  });
});
