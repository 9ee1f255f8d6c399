import { expect, test, Page } from "@playwright/test";
import { createHmac } from "node:crypto";
import { STAFF_PASSWORD } from "./helpers";

/** Base32 (RFC 4648, no padding) to bytes, as authenticator apps read a typed-in secret. */
function base32(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of text.replace(/\s+/g, "").toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The six-digit TOTP code (RFC 6238, HMAC-SHA1, 30 s) of `secret`, `offset` steps from now:
 *  what a phone's authenticator app shows. */
function totp(secret: Buffer, offset = 0): string {
  const step = Math.floor(Date.now() / 1000 / 30) + offset;
  const counter = Buffer.alloc(8);
  counter.writeBigInt64BE(BigInt(step));
  const h = createHmac("sha1", secret).update(counter).digest();
  const o = h[19] & 0x0f;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1_000_000).padStart(6, "0");
}

async function password(page: Page) {
  await page.goto("/admin/login");
  await page.getByLabel("用户名").fill("e2e-2fa");
  await page.getByLabel("密码").fill(STAFF_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
}

test("an editor enrols an authenticator, then signs in with a code and with a recovery code", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await password(page);
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto("/admin/account/2fa");
  await page.getByRole("button", { name: "开始设置" }).click();
  await expect(page.locator(".qr-large svg")).toBeVisible();
  await page.screenshot({ path: "test-results/two-factor-enrol.png", fullPage: true });
  const secret = base32((await page.locator("code.secret").textContent()) ?? "");
  expect(secret.length).toBe(20);
  await page.getByLabel("动态口令").fill(totp(secret));
  await page.getByRole("button", { name: "确认启用" }).click();
  await expect(page.getByRole("heading", { name: "恢复码（只显示这一次）" })).toBeVisible();
  const codes = await page.locator(".codes code").allTextContents();
  expect(codes).toHaveLength(10);
  await page.screenshot({ path: "test-results/two-factor-codes.png", fullPage: true });
  await page.getByRole("button", { name: "退出" }).click();
  await expect(page).toHaveURL(/\/admin\/login/);

  // Password, then the next code of the app (the one used to enrol is not taken twice).
  await password(page);
  await expect(page).toHaveURL(/\/admin\/login\/2fa/);
  await page.getByLabel("动态口令").fill(totp(secret, 1));
  await page.getByRole("button", { name: "验证并登录" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await page.goto("/admin/account/2fa");
  await expect(page.getByText("剩余未使用的恢复码：10 个")).toBeVisible();
  await page.getByRole("button", { name: "退出" }).click();

  // Phone left at home: a recovery code, once.
  await password(page);
  await page.getByLabel("动态口令").fill(codes[0]);
  await page.getByRole("button", { name: "验证并登录" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await page.getByRole("button", { name: "退出" }).click();
  await password(page);
  await page.getByLabel("动态口令").fill(codes[0]);
  await page.getByRole("button", { name: "验证并登录" }).click();
  await expect(page.getByRole("alert")).toHaveText("动态口令或恢复码不正确，请重新输入");
});
