// Writes a large DedeCMS site for the import benchmark (scripts/bench-import.sh): a dump laid
// out as MariaDB's mysqldump writes it (UTF-8, extended INSERTs of 200 rows, DedeCMS 5.7's
// columns) and its upload folder with distinct JPEG pictures.
//
//     node scripts/lib/make-dede-site.mjs OUT_DIR ARTICLES PICTURES
//
// Text is generated from our own phrases; every article has a body of about 1.5 KB, one in
// ARTICLES/PICTURES has a picture (also its cover), one in ten links to the article before it.
// Pictures are four photograph-sized JPEGs drawn here by Chromium's canvas (the same browser
// the end-to-end tests use), each copy made distinct by a comment segment, so the media
// library stores every one (it keeps files by their hash).
import { mkdirSync, writeFileSync, createWriteStream } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { once } from "node:events";

const [out, articlesArg, picturesArg] = process.argv.slice(2);
if (!out || !articlesArg || !picturesArg) {
  console.error("usage: make-dede-site.mjs OUT_DIR ARTICLES PICTURES");
  process.exit(2);
}
const articles = Number(articlesArg);
const pictures = Number(picturesArg);

// A small seeded generator (mulberry32), so that every run makes the same site.
let seed = 20261206;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const choice = (list) => list[Math.floor(random() * list.length)];

const PHRASES = [
  "开发区管委会召开专题会议", "研究部署下一阶段重点工作", "园区企业产值保持稳定增长",
  "招商引资项目陆续落地开工", "营商环境持续优化", "科技创新平台建设加快推进",
  "协会组织会员单位交流经验", "重点项目建设进展顺利", "绿色低碳发展成效明显",
  "人才引进政策不断完善", "对外开放水平进一步提高", "产业链供应链更加稳固",
];
const COLUMNS = [
  [1, 0, "新闻中心", "news"], [2, 1, "协会动态", "news/xiehui"],
  [3, 1, "园区风采", "news/yuanqu"], [4, 0, "通知公告", "tongzhi"],
  [5, 1, "政策解读", "news/zhengce"],
];
const BASE_TIME = 1_262_275_200; // 2010-01-01

// Four JPEGs drawn on a canvas in headless Chromium (quality 0.82).
async function basePictures() {
  const here = dirname(fileURLToPath(import.meta.url));
  const { chromium } = await import(resolve(here, "../../end2end/node_modules/playwright/index.mjs"));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
  try {
    const page = await browser.newPage();
    const urls = await page.evaluate(() =>
      [[1200, 800], [960, 640], [800, 600], [1600, 900]].map(([w, h], i) => {
        const canvas = document.createElement("canvas");
        canvas.width = w;
        canvas.height = h;
        const g = canvas.getContext("2d");
        g.fillStyle = `rgb(${40 + i * 30},110,${170 - i * 20})`;
        g.fillRect(0, 0, w, h);
        for (let k = 0; k < 12; k++) {
          g.fillStyle = `rgb(${230 - k * 8},220,${200 + k * 4})`;
          const x = Math.floor((k * w) / 12);
          g.fillRect(x, Math.floor(h / 3), Math.floor(w / 20), h - 20 - k * 9 - Math.floor(h / 3));
        }
        return canvas.toDataURL("image/jpeg", 0.82);
      }),
    );
    return urls.map((u) => Buffer.from(u.slice(u.indexOf(",") + 1), "base64"));
  } finally {
    await browser.close();
  }
}

// The JPEG with a comment segment naming n right after its start marker.
function distinct(jpeg, n) {
  const text = Buffer.from(`portico bench picture ${n}`);
  const seg = Buffer.alloc(4);
  seg.writeUInt16BE(0xfffe, 0);
  seg.writeUInt16BE(text.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), seg, text, jpeg.subarray(2)]);
}

const q = (s) => "'" + s.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n") + "'";

mkdirSync(join(out, "uploads/allimg"), { recursive: true });
const bases = pictures > 0 ? await basePictures() : [];
const every = pictures ? Math.max(1, Math.floor(articles / Math.max(1, pictures))) : 0;
const picOf = new Map();
let made = 0;
for (let aid = 1; aid <= articles; aid++) {
  if (every && aid % every === 0 && made < pictures) {
    made += 1;
    const rel = `uploads/allimg/${String(Math.floor(aid / 1000)).padStart(4, "0")}/${aid}.jpg`;
    mkdirSync(join(out, dirname(rel)), { recursive: true });
    writeFileSync(join(out, rel), distinct(bases[made % bases.length], made));
    picOf.set(aid, "/" + rel);
  }
}

const file = createWriteStream(join(out, "dede.sql"), { encoding: "utf8" });
const write = async (s) => {
  if (!file.write(s)) await once(file, "drain");
};
// Writes rows as extended INSERTs of 200 rows each.
async function inserts(table, rowOf) {
  let rows = [];
  for (let aid = 1; aid <= articles; aid++) {
    rows.push(rowOf(aid));
    if (rows.length === 200) {
      await write(`INSERT INTO \`${table}\` VALUES ${rows.join(",")};\n`);
      rows = [];
    }
  }
  if (rows.length) await write(`INSERT INTO \`${table}\` VALUES ${rows.join(",")};\n`);
}

await write("-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)\n");
await write("/*!40101 SET NAMES utf8mb4 */;\n");
await write(
  "CREATE TABLE `dede_addonarticle` (\n  `aid` mediumint(8) unsigned NOT NULL DEFAULT 0,\n" +
    "  `typeid` smallint(5) unsigned NOT NULL DEFAULT 0,\n  `body` mediumtext,\n" +
    "  `redirecturl` varchar(255) NOT NULL DEFAULT '',\n  `templet` varchar(30) NOT NULL DEFAULT '',\n" +
    "  `userip` char(15) NOT NULL DEFAULT '',\n  PRIMARY KEY (`aid`)\n) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4;\n",
);
await inserts("dede_addonarticle", (aid) => {
  const paras = [];
  for (let i = 0; i < 6; i++) {
    paras.push("<p>" + Array.from({ length: 6 }, () => choice(PHRASES)).join("，") + "。</p>");
  }
  if (picOf.has(aid)) paras.splice(2, 0, `<p><img src="${picOf.get(aid)}" alt="现场"></p>`);
  if (aid > 1 && aid % 10 === 0) paras.push(`<p>相关阅读：<a href="/plus/view.php?aid=${aid - 1}">上一篇</a></p>`);
  return `(${aid},${1 + (aid % 5)},${q(paras.join(""))},'','','')`;
});

await write(
  "CREATE TABLE `dede_archives` (\n  `id` mediumint(8) unsigned NOT NULL DEFAULT 0,\n" +
    "  `typeid` smallint(5) unsigned NOT NULL DEFAULT 0,\n  `flag` set('c','h','p','f','s','j','a','b') DEFAULT NULL,\n" +
    "  `ismake` smallint(6) NOT NULL DEFAULT 0,\n  `channel` smallint(6) NOT NULL DEFAULT 1,\n" +
    "  `arcrank` smallint(6) NOT NULL DEFAULT 0,\n  `click` mediumint(8) unsigned NOT NULL DEFAULT 0,\n" +
    "  `title` char(60) NOT NULL DEFAULT '',\n  `writer` char(20) NOT NULL DEFAULT '',\n" +
    "  `source` char(30) NOT NULL DEFAULT '',\n  `litpic` char(100) NOT NULL DEFAULT '',\n" +
    "  `pubdate` int(10) unsigned NOT NULL DEFAULT 0,\n  `senddate` int(10) unsigned NOT NULL DEFAULT 0,\n" +
    "  `keywords` char(30) NOT NULL DEFAULT '',\n  `description` varchar(255) NOT NULL DEFAULT '',\n" +
    "  `filename` varchar(40) NOT NULL DEFAULT '',\n  PRIMARY KEY (`id`)\n) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4;\n",
);
await inserts("dede_archives", (aid) => {
  const t = BASE_TIME + aid * 3000;
  const flag = aid % 97 === 0 ? "h" : aid % 13 === 0 ? "c" : "";
  const title = choice(PHRASES) + `（第${aid}期）`;
  return (
    `(${aid},${1 + (aid % 5)},${flag ? q(flag) : "NULL"},1,1,${aid % 50 === 0 ? -1 : 0},` +
    `${aid % 1000},${q(title)},'编辑部','本站',${q(picOf.get(aid) ?? "")},${t},${t},` +
    `'园区,发展',${q(title + "。")},'')`
  );
});

await write(
  "CREATE TABLE `dede_arctype` (\n  `id` smallint(5) unsigned NOT NULL AUTO_INCREMENT,\n" +
    "  `reid` smallint(5) unsigned NOT NULL DEFAULT 0,\n  `sortrank` smallint(5) unsigned NOT NULL DEFAULT 50,\n" +
    "  `typename` char(30) NOT NULL DEFAULT '',\n  `typedir` char(60) NOT NULL DEFAULT '',\n" +
    "  `ispart` smallint(6) NOT NULL DEFAULT 0,\n  `channeltype` smallint(6) DEFAULT 1,\n" +
    "  `namerule` char(50) NOT NULL DEFAULT '',\n  `namerule2` char(50) NOT NULL DEFAULT '',\n" +
    "  `content` text,\n  PRIMARY KEY (`id`)\n) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4;\n",
);
await write(
  "INSERT INTO `dede_arctype` VALUES " +
    COLUMNS.map(
      ([cid, parent, name, d]) =>
        `(${cid},${parent},${cid},${q(name)},${q("{cmspath}/a/" + d)},0,1,` +
        "'{typedir}/{Y}/{M}{D}/{aid}.html','{typedir}/list_{tid}_{page}.html',NULL)",
    ).join(",") +
    ";\n",
);
await write("-- Dump completed\n");
file.end();
await once(file, "finish");
console.log(`${articles} articles, ${made} pictures in ${out}`);
