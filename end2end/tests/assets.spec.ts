import { expect, test } from "@playwright/test";

test("build assets are hashed, precompressed and cached for good", async ({ request }) => {
  const html = await (await request.get("/")).text();
  const assets = [...html.matchAll(/(?:href|src)="(\/pkg\/[^"]+\.(?:css|js|wasm))"/g)].map((m) => m[1]);
  expect(assets.length).toBeGreaterThanOrEqual(2);
  for (const path of assets) {
    const res = await request.get(path, { headers: { "Accept-Encoding": "br, gzip" } });
    expect(res.status(), path).toBe(200);
    expect(res.headers()["content-encoding"], path).toBe("br");
    expect(res.headers()["cache-control"], path).toContain("immutable");
  }
});

test("pages are compressed and revalidate with their ETag", async ({ request }) => {
  const first = await request.get("/columns/news", { headers: { "Accept-Encoding": "gzip" } });
  expect(first.headers()["content-encoding"]).toBe("gzip");
  const etag = first.headers()["etag"];
  expect(etag).toMatch(/^W\//);
  const again = await request.get("/columns/news", { headers: { "If-None-Match": etag } });
  expect(again.status()).toBe(304);
});
