#!/usr/bin/env bash
# Makes the fuzz seeds in fuzz/seeds from real programs (the results are committed; run
# again only to refresh them):
#   - LibreOffice (Debian's libreoffice-writer-nogui) saves the two source documents in
#     fuzz/seeds-src as .docx, .doc, .rtf, .pdf and .html, as an office suite writes them;
#   - Debian's Chromium sends a multipart and a URL-encoded form and copies part of a page
#     (fuzz/capture-browser.mjs);
#   - the release build of Portico writes a backup archive of an empty site;
#   - the text seeds (addresses, headers, search queries) are written here.
# Documents saved by Microsoft Word or WPS cannot be made on this machine; fuzz.sh takes a
# folder of such files as extra seeds (PORTICO_FUZZ_EXTRA_SEEDS) without committing them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SEEDS="$ROOT/fuzz/seeds"
SRC="$ROOT/fuzz/seeds-src"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if ! command -v soffice >/dev/null; then
  echo "installing LibreOffice Writer (for seed documents)"
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y --no-install-recommends libreoffice-writer-nogui; else sudo apt-get install -y --no-install-recommends libreoffice-writer-nogui; fi
fi
mkdir -p "$SEEDS"/{docx,rtf,files,html,clipboard,multipart,urlencoded,urls,headers,search,backup,sqldump}

# The notice with its picture inlined (a flat ODF document keeps pictures as base64).
sed "s|@CHART_PNG_BASE64@|$(base64 -w0 "$SRC/chart.png")|" "$SRC/notice.fodt" > "$WORK/notice.fodt"
cp "$SRC/report.html" "$SRC/chart.png" "$WORK/"
convert() { # FILE FILTER [IN-FILTER]
  local in=()
  [ -n "${3:-}" ] && in=(--infilter="$3")
  (cd "$WORK" && timeout 180 soffice --headless "${in[@]}" --convert-to "$2" "$1" >/dev/null 2>&1)
}
for doc in notice.fodt report.html; do
  filter_in=""
  [ "$doc" = report.html ] && filter_in="HTML (StarWriter)"
  convert "$doc" 'docx:MS Word 2007 XML' "$filter_in"
  convert "$doc" 'doc:MS Word 97' "$filter_in"
  convert "$doc" rtf "$filter_in"
  convert "$doc" pdf "$filter_in"
done
convert notice.fodt 'html:HTML (StarWriter)'
cp "$WORK/notice.docx" "$SEEDS/docx/libreoffice-notice.docx"
cp "$WORK/report.docx" "$SEEDS/docx/libreoffice-report.docx"
cp "$WORK/notice.rtf" "$SEEDS/rtf/libreoffice-notice.rtf"
cp "$WORK/report.rtf" "$SEEDS/rtf/libreoffice-report.rtf"
cp "$WORK/notice.doc" "$SEEDS/files/libreoffice-notice.doc"
cp "$WORK/report.pdf" "$SEEDS/files/libreoffice-report.pdf"
cp "$SRC/chart.png" "$SEEDS/files/chart.png"
cp "$WORK/notice.html" "$SEEDS/html/libreoffice-notice.html"
cp "$SRC/report.html" "$SEEDS/html/report.html"
# What a paste from an office program carries: the HTML, a NUL, the RTF beside it.
{ cat "$WORK/notice.html"; printf '\0'; cat "$WORK/notice.rtf"; } > "$SEEDS/clipboard/libreoffice-notice.bin"

node "$ROOT/fuzz/capture-browser.mjs" "$SEEDS" "$WORK/notice.docx" "$WORK/report.pdf"

# A backup archive of an empty site, written by the release build.
BIN="$ROOT/target/release/portico"
if [ -x "$BIN" ]; then
  (cd "$WORK" && DATABASE_URL="sqlite://$WORK/site.db?mode=rwc" PORTICO_SEED_DEMO=false \
    PORTICO_UPLOADS_DIR="$WORK/uploads" "$BIN" migrate >/dev/null \
    && DATABASE_URL="sqlite://$WORK/site.db?mode=rwc" PORTICO_SEED_DEMO=false \
    PORTICO_UPLOADS_DIR="$WORK/uploads" "$BIN" backup "$WORK/empty.tar.gz" >/dev/null)
  cp "$WORK/empty.tar.gz" "$SEEDS/backup/empty-site.tar.gz"
else
  echo "no release build: the backup seed is left as it is" >&2
fi

# Addresses readers and robots ask for (one per file).
i=0
while IFS= read -r url; do
  i=$((i + 1)); printf '%s' "$url" > "$SEEDS/urls/$(printf '%02d' "$i").txt"
done <<'EOF'
/articles/0037?from=singlemessage&isappinstalled=0
/columns/news?page=03&utm_source=wechat
/columns//news/?page=1
/%61rticles/12
/a/xinwen/2020/1229/123.html
/plus/view.php?aid=123
/?news/12.html
/columns/news/rss.xml?page=2
/messages/track?code=LY20261201-7F3K&new=1
/search?q=%E5%BC%80%E5%8F%91%E5%8C%BA&column=3
/columns/%E6%96%B0%E9%97%BB
EOF

printf '%s\n' 'portico_fs=l; portico_aid=elder.cursor' 'portico_flash=ok%7C%E5%B7%B2%E4%BF%9D%E5%AD%98' \
  > "$SEEDS/headers/cookies.txt"
printf '%s\n' '203.0.113.7, 10.0.0.2' '[2001:db8::9]:443' 'unknown, 198.51.100.4:5123' \
  > "$SEEDS/headers/forwarded.txt"
printf '%s\n' 'gzip, deflate, br;q=0.9' 'br;q=0, gzip;q=1.0' '*;q=0.1' > "$SEEDS/headers/encodings.txt"
printf '%s' '127.0.0.1, 10.0.0.0/8 ::1 2001:db8::/32' > "$SEEDS/headers/proxies.txt"
printf '%s\n' 'WWW.Portico.Test:443' 'zhundong.cadz.org.cn.' '[2001:DB8::1]:8080' 'localhost' \
  '127.0.0.1:3000' 'https://user@www.example.org:8443/portal?x' '[::1' 'a..b' '-x.test' \
  > "$SEEDS/headers/hosts.txt"

printf '%s\n%s' '开发区 营商环境' '今年以来，开发区营商环境持续优化，企业满意度提升。开发区协会将继续服务会员。' \
  > "$SEEDS/search/chinese.txt"
printf '%s\n%s' '５Ｇ 园区 AI' '建成５Ｇ园区，推进AI＋制造，ai 应用场景三十个。' > "$SEEDS/search/fullwidth.txt"
printf '%s\n%s' '"招商 推介"' '招商推介会于十二月举行。' > "$SEEDS/search/quoted.txt"
printf 'name=%%E7%%8E%%8B&content=a+b%%0D%%0Ac&consent=yes&token=1.2.3' > "$SEEDS/urlencoded/hand.txt"

echo "seeds written to $SEEDS"

# mysqldump files as MariaDB writes them (for `portico import`): a GBK and a UTF-8 table with
# escapes, binary bytes, NULLs, decimals and 4-byte UTF-8, dumped three ways. Needs the
# local MariaDB (root, no password).
if command -v mysqldump >/dev/null && mysql -uroot -e "SELECT 1" >/dev/null 2>&1; then
  mysql -uroot -e "DROP DATABASE IF EXISTS portico_seed; CREATE DATABASE portico_seed CHARACTER SET utf8mb4;"
  mysql -uroot --default-character-set=utf8mb4 portico_seed <<'SQL'
CREATE TABLE `seed_arctype` (`id` smallint unsigned NOT NULL AUTO_INCREMENT, `reid` smallint unsigned NOT NULL DEFAULT 0, `typename` char(30) NOT NULL DEFAULT '', `typedir` char(60) NOT NULL DEFAULT '', `content` text, PRIMARY KEY (`id`)) ENGINE=MyISAM DEFAULT CHARSET=gbk;
CREATE TABLE `seed_archives` (`id` mediumint unsigned NOT NULL, `flag` set('c','h','p','f','s','j','a','b') DEFAULT NULL, `title` char(60) NOT NULL DEFAULT '', `pubdate` int unsigned NOT NULL DEFAULT 0, `score` decimal(6,2) DEFAULT NULL, `data` blob, `body` mediumtext, PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO seed_arctype VALUES (1,0,'新闻中心','{cmspath}/a/news','<p>栏目"内容"</p>'),(2,1,'协会动态','{cmspath}/a/news/xiehui',NULL);
INSERT INTO seed_archives VALUES (1,'h,c','园区建设迎来新进展',1609211160,-3.50,0x00FF27225C,'<p>It''s a \\ test;\n第二行\t(括号)</p>'),(2,NULL,'空',0,NULL,NULL,''),(3,'f','第三篇 😀',1609297560,12.00,'x','<a href="/plus/view.php?aid=1&amp;x=1">前文</a><img src=/uploads/1.jpg>');
SQL
  mysqldump -uroot portico_seed > "$SEEDS/sqldump/mariadb-utf8mb4.sql"
  mysqldump -uroot --default-character-set=gbk --complete-insert --skip-extended-insert portico_seed seed_arctype > "$SEEDS/sqldump/mariadb-gbk-complete-insert.sql"
  mysqldump -uroot --compact --hex-blob portico_seed > "$SEEDS/sqldump/mariadb-compact-hex.sql"
  mysql -uroot -e "DROP DATABASE portico_seed"
fi

# A WordPress export as WordPress's own exporter writes it: the import fixture, made by
# server/tests/fixtures/import/make-fixtures.sh from a real WordPress.
mkdir -p "$SEEDS/wxr"
cp "$ROOT/server/tests/fixtures/import/wordpress.xml" "$SEEDS/wxr/wordpress-6.1.xml"
