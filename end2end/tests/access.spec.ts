import { expect, Page, test } from "@playwright/test";
import { openFirstArticle } from "./helpers";

/** Waits until the 无障碍 island is live (it shows the 十字线 switch, which needs script). */
async function waitForAccess(page: Page) {
  await expect(page.locator('form.aid-form:has([data-aid="g"])')).not.toHaveAttribute("hidden", "");
}

/** The visible 长者模式 switch (the header's; the phone menu has another). */
function elderSwitch(page: Page) {
  return page.locator(".header-widgets button.elder-switch");
}

/** The contrast of every visible text element of `main` and the header against what is
 *  behind it (the first ancestor with a background), as [text, ratio] of the worst ones. */
async function lowContrast(page: Page, min: number): Promise<string[]> {
  return page.evaluate((min) => {
    const parse = (c: string) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a] = m[1].split(/[ ,/]+/).map(Number);
      return { r, g, b, a: a === undefined || Number.isNaN(a) ? 1 : a };
    };
    const lum = ({ r, g, b }: { r: number; g: number; b: number }) => {
      const f = (v: number) => {
        v /= 255;
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el: Element | null) => {
      for (; el; el = el.parentElement) {
        const bg = parse(getComputedStyle(el).backgroundColor);
        if (bg && bg.a > 0.5) return bg;
      }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const bad: string[] = [];
    const all = document.querySelectorAll(".site header *, .site main *, .site footer *");
    for (const el of Array.from(all)) {
      const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim());
      if (!own) continue;
      const rect = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (rect.width === 0 || rect.height === 0 || style.visibility === "hidden") continue;
      if (el.closest(".visually-hidden, [hidden], .slide:not(.active), :disabled")) continue;
      const fg = parse(style.color)!;
      const l1 = lum(fg);
      const l2 = lum(background(el));
      const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      if (ratio < min) bad.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent!.trim().slice(0, 12)}" ${ratio.toFixed(2)}`);
    }
    return bad;
  }, min);
}

/** Visible controls smaller than `min` px in either direction (links inside running text
 *  are exempt, as in WCAG's target-size rule). */
async function smallTargets(page: Page, min: number, scope = ".site"): Promise<string[]> {
  return page.evaluate(
    ([min, scope]) => {
      const bad: string[] = [];
      const controls = document.querySelectorAll(
        `${scope} a[href], ${scope} button, ${scope} summary, ${scope} input:not([type=hidden]), ${scope} select`,
      );
      for (const el of Array.from(controls)) {
        if (el.closest(".prose, .popover-panel, [hidden], .visually-hidden, .skip-link, .slide:not(.active)")) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
        if (r.height < (min as number) - 0.5 || r.width < (min as number) - 0.5) {
          bad.push(`${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? "").trim().slice(0, 10)}" ${r.width.toFixed(0)}x${r.height.toFixed(0)}`);
        }
      }
      return bad;
    },
    [min, scope] as const,
  );
}

async function px(page: Page, selector: string, prop: "fontSize" | "lineHeight"): Promise<number> {
  return page.locator(selector).first().evaluate((el, prop) => parseFloat(getComputedStyle(el)[prop]), prop);
}

for (const [name, viewport] of [
  ["desktop", { width: 1280, height: 900 }],
  ["phone", { width: 390, height: 844 }],
] as const) {
  test.describe(`长者模式 (${name})`, () => {
    test.use({ viewport });

    test("sizes, spacing, contrast and targets; persists; first response already has it", async ({ page }) => {
      const path = await openFirstArticle(page);
      await waitForAccess(page);
      const normal = await px(page, ".prose p", "fontSize");
      await elderSwitch(page).click();
      await expect(page.locator(".site")).toHaveAttribute("data-elder", "");
      await expect(elderSwitch(page)).toHaveAttribute("aria-pressed", "true");

      // Text: at least 18 px everywhere, the body larger than before, 大 larger still.
      const body = await px(page, ".prose p", "fontSize");
      expect(body).toBeGreaterThanOrEqual(18);
      expect(body).toBeGreaterThan(normal);
      const smallest = await page.evaluate(() => {
        let min = 1000;
        for (const el of Array.from(document.querySelectorAll(".site header *, .site main *, .site footer *"))) {
          const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim());
          const r = el.getBoundingClientRect();
          if (own && r.width > 0 && r.height > 0 && !el.closest(".visually-hidden, [hidden]")) {
            min = Math.min(min, parseFloat(getComputedStyle(el).fontSize));
          }
        }
        return min;
      });
      expect(smallest).toBeGreaterThanOrEqual(18);
      const lineHeight = await px(page, ".prose p", "lineHeight");
      expect(lineHeight / body).toBeGreaterThanOrEqual(1.8);
      const spacing = await page.locator(".prose p").first().evaluate((el) => parseFloat(getComputedStyle(el).marginBottom));
      expect(spacing).toBeGreaterThanOrEqual(body * 1.5);
      await page.getByRole("link", { name: "大", exact: true }).click();
      await expect(page.locator(".site")).toHaveAttribute("data-fs", "l");
      expect(await px(page, ".prose p", "fontSize")).toBeGreaterThan(body);

      expect(await lowContrast(page, 7)).toEqual([]);
      expect(await smallTargets(page, 44)).toEqual([]);

      // The server renders it from the cookie: no flash, and a reload keeps it.
      const raw = await page.request.get(path);
      const html = await raw.text();
      expect(html).toContain("data-elder");
      expect(html).toMatch(/aria-pressed="true"[^>]*data-aid="e"/);
      await page.reload();
      await expect(page.locator(".site")).toHaveAttribute("data-elder", "");

      // The home page: one column, and the slideshow stays where it is.
      await page.goto("/");
      const columns = await page.locator(".home-top").evaluate((el) => getComputedStyle(el).gridTemplateColumns.split(" ").length);
      expect(columns).toBe(1);
      expect(await lowContrast(page, 7)).toEqual([]);
      expect(await smallTargets(page, 44)).toEqual([]);
      const slide = await page.locator(".slideshow .slide.active").getAttribute("href");
      await page.waitForTimeout(6000);
      expect(await page.locator(".slideshow .slide.active").getAttribute("href")).toBe(slide);

      // A column list.
      await page.goto("/columns/news");
      expect(await lowContrast(page, 7)).toEqual([]);
      expect(await smallTargets(page, 44)).toEqual([]);

      // Switched off again: the normal page, also for the server.
      await waitForAccess(page);
      await elderSwitch(page).click();
      await expect(page.locator(".site")).not.toHaveAttribute("data-elder", "");
      expect(await (await page.request.get("/columns/news")).text()).not.toContain("data-elder");
    });
  });
}

test.describe("长者模式 on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the main controls are 60 px and the switch is in the menu too", async ({ page, context }) => {
    await context.addCookies([{ name: "portico_a11y", value: "e", url: "http://127.0.0.1" }]);
    await page.goto("/columns/news");
    await waitForAccess(page);
    for (const selector of [".menu-toggle:not([hidden])", ".header-widgets button.elder-switch", ".access > summary"]) {
      const box = (await page.locator(selector).boundingBox())!;
      expect(box.height, selector).toBeGreaterThanOrEqual(60);
    }
    await page.locator(".menu-toggle:not([hidden])").click();
    const inMenu = page.locator('.nav-aids button[data-aid="e"]');
    await expect(inMenu).toBeVisible();
    await expect(inMenu).toHaveAttribute("aria-pressed", "true");
    expect(await smallTargets(page, 44, ".site-nav")).toEqual([]);
    await inMenu.click();
    await expect(page.locator(".site")).not.toHaveAttribute("data-elder", "");
    await expect(elderSwitch(page)).toHaveAttribute("aria-pressed", "false");
  });
});

/** A stand-in for the browser's speech synthesis that records what it is asked to do. */
async function fakeSpeech(page: Page) {
  await page.addInitScript(() => {
    const state = { spoken: [] as { text: string; lang: string }[], paused: false, cancelled: 0, current: null as any };
    (window as any).__speech = state;
    Object.defineProperty(window, "speechSynthesis", {
      configurable: true,
      value: {
        speak(u: any) {
          state.spoken.push({ text: u.text, lang: u.lang });
          state.current = u;
        },
        pause() {
          state.paused = true;
        },
        resume() {
          state.paused = false;
        },
        cancel() {
          state.cancelled += 1;
          state.current = null;
        },
        getVoices: () => [],
      },
    });
    (window as any).__endUtterance = () => {
      const u = state.current;
      state.current = null;
      if (u && u.onend) u.onend(new Event("end"));
    };
  });
}

for (const [name, viewport] of [
  ["desktop", { width: 1280, height: 900 }],
  ["phone", { width: 390, height: 844 }],
] as const) {
  test.describe(`toolbar (${name})`, () => {
    test.use({ viewport });

    test("every toolbar control works by keyboard and announces its state", async ({ page }) => {
      await fakeSpeech(page);
      await openFirstArticle(page);
      await waitForAccess(page);
      const summary = page.locator(".access > summary");
      await summary.focus();
      await page.keyboard.press("Enter");
      await expect(page.locator("details.access")).toHaveAttribute("open", "");

      const press = async (code: string, key: string) => {
        const button = page.locator(`.access-panel button[data-aid="${code}"]`);
        await button.focus();
        await page.keyboard.press(key);
        return button;
      };
      // 大鼠标
      const cursor = await press("p", "Enter");
      await expect(cursor).toHaveAttribute("aria-pressed", "true");
      await expect(page.locator(".site")).toHaveAttribute("data-cursor", "");
      expect(await page.locator("main p").first().evaluate((el) => getComputedStyle(el).cursor)).toContain("url(");
      // 高对比度
      const contrast = await press("c", " ");
      await expect(contrast).toHaveAttribute("aria-pressed", "true");
      expect(await page.locator(".site").evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(0, 0, 0)");
      expect(await page.locator("main h1").evaluate((el) => getComputedStyle(el).color)).toBe("rgb(255, 255, 255)");
      expect(await lowContrast(page, 7)).toEqual([]);
      // 十字线: follows the keyboard focus.
      const guide = await press("g", "Enter");
      await expect(guide).toHaveAttribute("aria-pressed", "true");
      await page.keyboard.press("Tab");
      await expect(page.locator(".guide-x")).toBeVisible();
      await expect(page.locator(".guide-y")).toBeVisible();
      await page.mouse.move(300, 200);
      await expect
        .poll(() => page.locator(".guide-x").evaluate((el) => getComputedStyle(el).transform))
        .toContain("200");

      // 朗读: in zh-CN, paragraph by paragraph, the one being read highlighted; pause and stop.
      await summary.focus();
      const read = page.locator(".speech-start");
      await expect(read).toBeVisible();
      await read.focus();
      await page.keyboard.press("Enter");
      const spoken = () => page.evaluate(() => (window as any).__speech.spoken as { text: string; lang: string }[]);
      await expect.poll(async () => (await spoken()).length).toBe(1);
      const first = (await spoken())[0];
      expect(first.lang).toBe("zh-CN");
      expect(first.text).toBe((await page.locator("main h1").textContent())!.trim());
      await expect(page.locator("main h1")).toHaveClass(/speaking/);
      await expect(page.locator(".speech-status")).toContainText("正在朗读：第 1 段");
      await page.evaluate(() => (window as any).__endUtterance());
      await expect.poll(async () => (await spoken()).length).toBe(2);
      await expect(page.locator("main h1")).not.toHaveClass(/speaking/);
      await expect(page.locator(".prose .speaking")).toHaveCount(1);
      await expect(page.locator(".speech-status")).toContainText("第 2 段");
      const pause = page.locator(".speech-pause");
      await expect(pause).toBeFocused();
      await page.keyboard.press("Enter");
      await expect(pause).toHaveText("继续");
      await expect(pause).toHaveAttribute("aria-pressed", "true");
      expect(await page.evaluate(() => (window as any).__speech.paused)).toBe(true);
      await expect(page.locator(".speech-status")).toHaveText("已暂停");
      await page.keyboard.press("Enter");
      expect(await page.evaluate(() => (window as any).__speech.paused)).toBe(false);
      await page.locator(".speech-stop").focus();
      await page.keyboard.press("Enter");
      await expect(page.locator(".speech-bar")).toBeHidden();
      await expect(page.locator(".speaking")).toHaveCount(0);
      // A cancelled utterance that still reports its end does not start the next block.
      await page.evaluate(() => (window as any).__endUtterance());
      expect((await spoken()).length).toBe(2);

      // 重置: everything back, for the server too.
      await summary.focus();
      if ((await page.locator("details.access").getAttribute("open")) === null) await page.keyboard.press("Enter");
      await page.locator(".aid-reset").focus();
      await page.keyboard.press("Enter");
      for (const code of ["e", "p", "c", "g"]) {
        await expect(page.locator(`.access-panel button[data-aid="${code}"]`)).toHaveAttribute("aria-pressed", "false");
      }
      for (const attr of ["data-cursor", "data-contrast", "data-guide"]) {
        await expect(page.locator(".site")).not.toHaveAttribute(attr, "");
      }
      await page.reload();
      await expect(page.locator(".site")).not.toHaveAttribute("data-contrast", "");
    });
  });
}

test("朗读 is not offered where the browser cannot speak", async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(window, "speechSynthesis", { configurable: true, value: undefined }));
  await openFirstArticle(page);
  await waitForAccess(page);
  await page.locator(".access > summary").click();
  await expect(page.locator(".speech-start")).toBeHidden();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("长者模式 and the toolbar switches work through the server", async ({ page }) => {
    await page.goto("/columns/news");
    await elderSwitch(page).click();
    await expect(page).toHaveURL(/\/columns\/news$/);
    await expect(page.locator(".site")).toHaveAttribute("data-elder", "");
    await expect(elderSwitch(page)).toHaveAttribute("aria-pressed", "true");
    await page.locator(".access > summary").click();
    await page.locator('.access-panel button[data-aid="c"]').click();
    await expect(page.locator(".site")).toHaveAttribute("data-contrast", "");
    await expect(page.locator(".site")).toHaveAttribute("data-elder", "");
    // Controls that need script are not offered.
    await page.locator(".access > summary").click();
    await expect(page.locator('.access-panel button[data-aid="g"]')).toBeHidden();
    await expect(page.locator(".speech-start")).toBeHidden();
    await page.locator(".aid-reset").click();
    await expect(page).toHaveURL(/\/columns\/news$/);
    await expect(page.locator(".site")).not.toHaveAttribute("data-elder", "");
    await expect(page.locator(".site")).not.toHaveAttribute("data-contrast", "");
  });
});
