"""Writes a large DedeCMS site for the import benchmark (scripts/bench-import.sh): a dump laid
out as MariaDB's mysqldump writes it (UTF-8, extended INSERTs of 200 rows, DedeCMS 5.7's
columns) and its upload folder with distinct JPEG pictures.

    python3 make_dede_site.py OUT_DIR ARTICLES PICTURES

Text is generated from our own phrases; every article has a body of about 1.5 KB, one in
ARTICLES/PICTURES has a picture (also its cover), one in ten links to the article before
it. Pictures are a few photographs-sized JPEGs made here, each made distinct by a comment
segment, so the media library stores every one (it keeps files by their hash).
"""

import io
import os
import random
import sys

from PIL import Image, ImageDraw

out, articles, pictures = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(20261206)
os.makedirs(os.path.join(out, "uploads/allimg"), exist_ok=True)

PHRASES = [
    "开发区管委会召开专题会议", "研究部署下一阶段重点工作", "园区企业产值保持稳定增长",
    "招商引资项目陆续落地开工", "营商环境持续优化", "科技创新平台建设加快推进",
    "协会组织会员单位交流经验", "重点项目建设进展顺利", "绿色低碳发展成效明显",
    "人才引进政策不断完善", "对外开放水平进一步提高", "产业链供应链更加稳固",
]
COLUMNS = [(1, 0, "新闻中心", "news"), (2, 1, "协会动态", "news/xiehui"),
           (3, 1, "园区风采", "news/yuanqu"), (4, 0, "通知公告", "tongzhi"),
           (5, 1, "政策解读", "news/zhengce")]
BASE_TIME = 1_262_275_200  # 2010-01-01


def base_pictures():
    out = []
    for i, (w, h) in enumerate([(1200, 800), (960, 640), (800, 600), (1600, 900)]):
        img = Image.new("RGB", (w, h), (40 + i * 30, 110, 170 - i * 20))
        d = ImageDraw.Draw(img)
        for k in range(12):
            d.rectangle([k * w // 12, h // 3, k * w // 12 + w // 20, h - 20 - k * 9],
                        fill=(230 - k * 8, 220, 200 + k * 4))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=82)
        out.append(buf.getvalue())
    return out


def distinct(jpeg, n):
    """The JPEG with a comment segment naming n right after its start marker."""
    text = f"portico bench picture {n}".encode()
    seg = b"\xff\xfe" + (len(text) + 2).to_bytes(2, "big") + text
    return jpeg[:2] + seg + jpeg[2:]


def q(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"


bases = base_pictures()
every = max(1, articles // max(1, pictures)) if pictures else 0
pic_of = {}
made = 0
for aid in range(1, articles + 1):
    if every and aid % every == 0 and made < pictures:
        made += 1
        rel = f"uploads/allimg/{aid // 1000:04d}/{aid}.jpg"
        os.makedirs(os.path.join(out, os.path.dirname(rel)), exist_ok=True)
        with open(os.path.join(out, rel), "wb") as f:
            f.write(distinct(bases[made % len(bases)], made))
        pic_of[aid] = "/" + rel

with open(os.path.join(out, "dede.sql"), "w", encoding="utf-8") as f:
    f.write("-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)\n")
    f.write("/*!40101 SET NAMES utf8mb4 */;\n")
    f.write("CREATE TABLE `dede_addonarticle` (\n  `aid` mediumint(8) unsigned NOT NULL DEFAULT 0,\n"
            "  `typeid` smallint(5) unsigned NOT NULL DEFAULT 0,\n  `body` mediumtext,\n"
            "  `redirecturl` varchar(255) NOT NULL DEFAULT '',\n  `templet` varchar(30) NOT NULL DEFAULT '',\n"
            "  `userip` char(15) NOT NULL DEFAULT '',\n  PRIMARY KEY (`aid`)\n) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4;\n")
    rows = []
    for aid in range(1, articles + 1):
        paras = []
        for _ in range(6):
            paras.append("<p>" + "，".join(random.choice(PHRASES) for _ in range(6)) + "。</p>")
        if aid in pic_of:
            paras.insert(2, f'<p><img src="{pic_of[aid]}" alt="现场"></p>')
        if aid > 1 and aid % 10 == 0:
            paras.append(f'<p>相关阅读：<a href="/plus/view.php?aid={aid - 1}">上一篇</a></p>')
        rows.append(f"({aid},{1 + aid % 5},{q(''.join(paras))},'','','')")
        if len(rows) == 200:
            f.write("INSERT INTO `dede_addonarticle` VALUES " + ",".join(rows) + ";\n")
            rows = []
    if rows:
        f.write("INSERT INTO `dede_addonarticle` VALUES " + ",".join(rows) + ";\n")

    f.write("CREATE TABLE `dede_archives` (\n  `id` mediumint(8) unsigned NOT NULL DEFAULT 0,\n"
            "  `typeid` smallint(5) unsigned NOT NULL DEFAULT 0,\n  `flag` set('c','h','p','f','s','j','a','b') DEFAULT NULL,\n"
            "  `ismake` smallint(6) NOT NULL DEFAULT 0,\n  `channel` smallint(6) NOT NULL DEFAULT 1,\n"
            "  `arcrank` smallint(6) NOT NULL DEFAULT 0,\n  `click` mediumint(8) unsigned NOT NULL DEFAULT 0,\n"
            "  `title` char(60) NOT NULL DEFAULT '',\n  `writer` char(20) NOT NULL DEFAULT '',\n"
            "  `source` char(30) NOT NULL DEFAULT '',\n  `litpic` char(100) NOT NULL DEFAULT '',\n"
            "  `pubdate` int(10) unsigned NOT NULL DEFAULT 0,\n  `senddate` int(10) unsigned NOT NULL DEFAULT 0,\n"
            "  `keywords` char(30) NOT NULL DEFAULT '',\n  `description` varchar(255) NOT NULL DEFAULT '',\n"
            "  `filename` varchar(40) NOT NULL DEFAULT '',\n  PRIMARY KEY (`id`)\n) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4;\n")
    rows = []
    for aid in range(1, articles + 1):
        t = BASE_TIME + aid * 3000
        flag = "h" if aid % 97 == 0 else ("c" if aid % 13 == 0 else "")
        title = random.choice(PHRASES) + f"（第{aid}期）"
        rows.append(f"({aid},{1 + aid % 5},{q(flag) if flag else 'NULL'},1,1,{-1 if aid % 50 == 0 else 0},"
                    f"{aid % 1000},{q(title)},'编辑部','本站',{q(pic_of.get(aid, ''))},{t},{t},"
                    f"'园区,发展',{q(title + '。')},'')")
        if len(rows) == 200:
            f.write("INSERT INTO `dede_archives` VALUES " + ",".join(rows) + ";\n")
            rows = []
    if rows:
        f.write("INSERT INTO `dede_archives` VALUES " + ",".join(rows) + ";\n")

    f.write("CREATE TABLE `dede_arctype` (\n  `id` smallint(5) unsigned NOT NULL AUTO_INCREMENT,\n"
            "  `reid` smallint(5) unsigned NOT NULL DEFAULT 0,\n  `sortrank` smallint(5) unsigned NOT NULL DEFAULT 50,\n"
            "  `typename` char(30) NOT NULL DEFAULT '',\n  `typedir` char(60) NOT NULL DEFAULT '',\n"
            "  `ispart` smallint(6) NOT NULL DEFAULT 0,\n  `channeltype` smallint(6) DEFAULT 1,\n"
            "  `namerule` char(50) NOT NULL DEFAULT '',\n  `namerule2` char(50) NOT NULL DEFAULT '',\n"
            "  `content` text,\n  PRIMARY KEY (`id`)\n) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4;\n")
    f.write("INSERT INTO `dede_arctype` VALUES " + ",".join(
        f"({cid},{parent},{cid},{q(name)},{q('{cmspath}/a/' + d)},0,1,"
        "'{typedir}/{Y}/{M}{D}/{aid}.html','{typedir}/list_{tid}_{page}.html',NULL)"
        for cid, parent, name, d in COLUMNS) + ";\n")
    f.write("-- Dump completed\n")
print(f"{articles} articles, {made} pictures in {out}")
