import { expect, test } from "@playwright/test";

async function slideshowLive(page: import("@playwright/test").Page) {
  await page.goto("/");
  await expect(page.locator(".slideshow.live")).toBeVisible();
  return page.locator(".slideshow");
}

const activeTitle = (show: import("@playwright/test").Locator) => show.locator(".slide.active .slide-caption");

test("the slideshow advances by itself and pauses while hovered", async ({ page }) => {
  const show = await slideshowLive(page);
  const first = await activeTitle(show).textContent();
  await expect(activeTitle(show)).not.toHaveText(first!, { timeout: 8000 });

  await show.hover();
  const held = await activeTitle(show).textContent();
  await page.waitForTimeout(6000);
  await expect(activeTitle(show)).toHaveText(held!);
});

test("the slideshow is operable with mouse and keyboard", async ({ page }) => {
  const show = await slideshowLive(page);
  const slides = show.locator(".slide");
  const count = await slides.count();
  expect(count).toBeGreaterThan(1);
  const titles = await show.locator(".slide-caption").allTextContents();

  // Focus inside the slideshow pauses it, so nothing moves under the keyboard.
  const next = show.getByRole("button", { name: "下一张" });
  const prev = show.getByRole("button", { name: "上一张" });
  await next.focus();
  const start = titles.indexOf((await activeTitle(show).textContent())!);
  await page.keyboard.press("Enter");
  await expect(activeTitle(show)).toHaveText(titles[(start + 1) % count]);
  await prev.focus();
  await page.keyboard.press("Enter");
  await expect(activeTitle(show)).toHaveText(titles[start]);
  await page.keyboard.press("ArrowRight");
  await expect(activeTitle(show)).toHaveText(titles[(start + 1) % count]);
  await page.keyboard.press("ArrowLeft");
  await expect(activeTitle(show)).toHaveText(titles[start]);

  // Dots jump to a slide and show which one is current.
  const third = show.getByRole("button", { name: "第3张" });
  await third.click();
  await expect(third).toHaveAttribute("aria-pressed", "true");
  await expect(activeTitle(show)).toHaveText(titles[2]);
});

test.describe("for readers who ask for reduced motion", () => {
  test.use({ reducedMotion: "reduce" });

  test("the slideshow stands still", async ({ page }) => {
    const show = await slideshowLive(page);
    const first = await activeTitle(show).textContent();
    await page.mouse.move(0, 0);
    await page.waitForTimeout(6000);
    await expect(activeTitle(show)).toHaveText(first!);
    await show.getByRole("button", { name: "下一张" }).click();
    await expect(activeTitle(show)).not.toHaveText(first!);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the home page shows every block and the stories as a list", async ({ page }) => {
    await page.goto("/");
    await expect(page.locator(".slide.active img")).toBeVisible();
    const list = page.locator(".slide-list a");
    expect(await list.count()).toBeGreaterThan(1);
    await expect(page.locator(".slide-prev")).toBeHidden();
    for (const name of ["通知公告", "协会动态", "园区动态", "政策法规", "协会服务", "推荐阅读"]) {
      await expect(page.locator("#main").getByRole("heading", { name, exact: true })).toBeVisible();
    }
    await list.nth(1).click();
    await expect(page).toHaveURL(/\/articles\/\d+$/);
  });
});
