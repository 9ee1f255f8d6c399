// Records what Debian's Chromium really sends and copies, as fuzz seeds:
// - the multipart body of a 投稿-like form with two files (a .docx and a .pdf),
// - the URL-encoded body of a 留言-like form (Chinese text, a checkbox, a line break),
// - the clipboard HTML Chromium writes when a reader copies part of an article.
// A local HTTP server on 127.0.0.1 serves the forms and keeps each raw body; nothing leaves
// the machine. Run by fuzz/make-seeds.sh: node fuzz/capture-browser.mjs SEEDS_DIR DOCX PDF
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(path.resolve("end2end/package.json"));
const { chromium } = require("@playwright/test");

const [seeds, docx, pdf] = process.argv.slice(2);
const bodies = {};

const page = (body) => `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>seed</title></head><body>${body}</body></html>`;
const forms = {
  "/submit": page(`<form method="post" action="/submit" enctype="multipart/form-data">
    <input type="hidden" name="token" value="1796000000.0123456789abcdef.00112233445566778899aabb">
    <input name="website" value="">
    <input name="name"><input name="organization"><input name="phone"><input name="email">
    <input name="title"><select name="column"><option value="">不选</option><option value="7">园区动态</option></select>
    <textarea name="content"></textarea>
    <input type="file" name="files" multiple>
    <input type="checkbox" name="consent" value="yes"><input name="answer">
    <button type="submit">提交</button></form>`),
  "/messages": page(`<form method="post" action="/messages">
    <input type="hidden" name="token" value="1796000000.fedcba9876543210.ffeeddccbbaa998877665544">
    <input name="website" value="">
    <input name="name"><input name="phone"><input name="email"><input name="subject">
    <textarea name="content"></textarea>
    <input type="checkbox" name="public" value="yes"><input type="checkbox" name="consent" value="yes">
    <button type="submit">提交</button></form>`),
  "/article": page(`<article><h1>开发区协会召开年度工作会议</h1>
    <p class="meta">来源：协会秘书处 发布时间：2026年12月01日 09:30</p>
    <p>会议总结了一年来<strong>服务会员</strong>的做法，部署了明年的<em>重点任务</em>。</p>
    <p><a href="/columns/news">返回列表</a> <img src="/x.png" alt="会场"></p>
    <table><tr><td>议题</td><td>发言人</td></tr><tr><td>工作报告</td><td>秘书长</td></tr></table></article>`),
};

const server = http.createServer((req, res) => {
  if (req.method === "POST") {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      bodies[req.url] = { type: req.headers["content-type"], body: Buffer.concat(chunks) };
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(page("<p>收到</p>"));
    });
    return;
  }
  const html = forms[req.url];
  res.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
  res.end(html ?? "");
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const context = await browser.newContext();
await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
const tab = await context.newPage();

await tab.goto(`${base}/submit`);
await tab.fill("[name=name]", "李华");
await tab.fill("[name=organization]", "某某经济技术开发区管委会");
await tab.fill("[name=phone]", "138 1234 5678");
await tab.fill("[name=email]", "lihua@example.com");
await tab.fill("[name=title]", "园区服务企业的三点做法");
await tab.selectOption("[name=column]", "7");
await tab.fill("[name=content]", "今年以来，园区围绕企业需求，\n推出“拿地即开工”等举措。");
await tab.setInputFiles("[name=files]", [docx, pdf]);
await tab.check("[name=consent]");
await Promise.all([tab.waitForLoadState("load"), tab.click("button")]);
await tab.waitForTimeout(300);

await tab.goto(`${base}/messages`);
await tab.fill("[name=name]", "王先生");
await tab.fill("[name=phone]", "010-12345678");
await tab.fill("[name=subject]", "咨询园区政策 & 申报时间");
await tab.fill("[name=content]", "请问今年的申报材料在哪里下载？\n谢谢！100% 急用");
await tab.check("[name=public]");
await tab.check("[name=consent]");
await Promise.all([tab.waitForLoadState("load"), tab.click("button")]);
await tab.waitForTimeout(300);

await tab.goto(`${base}/article`);
await tab.evaluate(() => {
  const range = document.createRange();
  range.selectNodeContents(document.querySelector("article"));
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  document.execCommand("copy");
});
const clipboard = await tab.evaluate(async () => {
  const items = await navigator.clipboard.read();
  for (const item of items) {
    if (item.types.includes("text/html")) return await (await item.getType("text/html")).text();
  }
  return "";
});
await browser.close();
server.close();

const write = (dir, name, data) => {
  fs.mkdirSync(path.join(seeds, dir), { recursive: true });
  fs.writeFileSync(path.join(seeds, dir, name), data);
};
const multipart = bodies["/submit"];
if (!multipart || !multipart.type.startsWith("multipart/form-data")) throw new Error("no multipart body captured");
write("multipart", "chromium-submit.txt", multipart.body);
const urlencoded = bodies["/messages"];
if (!urlencoded) throw new Error("no form body captured");
write("urlencoded", "chromium-message.txt", urlencoded.body);
if (!clipboard.includes("开发区")) throw new Error("no clipboard HTML captured");
write("html", "chromium-clipboard.html", clipboard);
console.log(`multipart ${multipart.body.length} bytes, form ${urlencoded.body.length} bytes, clipboard ${clipboard.length} chars`);
