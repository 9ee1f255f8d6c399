//! The dump reader over dumps written here and by MariaDB's own mysqldump.

use super::*;

fn events(text: &[u8]) -> Result<Vec<Event>, DumpError> {
    let mut d = Dump::new(Chunky(text), Charset::Auto);
    let mut out = Vec::new();
    while let Some(e) = d.next_event()? {
        out.push(e);
    }
    Ok(out)
}

/// Gives its bytes three at a time, so that every boundary is crossed.
struct Chunky<'a>(&'a [u8]);

impl Read for Chunky<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.0.len().min(buf.len()).min(3);
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

fn rows(text: &[u8]) -> Vec<Vec<Value>> {
    events(text)
        .unwrap()
        .into_iter()
        .filter_map(|e| match e {
            Event::Row { values, .. } => Some(values),
            _ => None,
        })
        .collect()
}

const HEAD: &str = "-- MariaDB dump 10.19\n/*!40101 SET NAMES utf8mb4 */;\n\
    DROP TABLE IF EXISTS `t`;\n/*!40101 SET character_set_client = utf8 */;\n\
    CREATE TABLE `t` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `title` varchar(80) NOT NULL DEFAULT '',\n  `body` text,\n  PRIMARY KEY (`id`),\n  KEY `t_title` (`title`)\n) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4;\n\
    LOCK TABLES `t` WRITE;\n/*!40000 ALTER TABLE `t` DISABLE KEYS */;\n";

#[test]
fn tables_and_extended_inserts_are_read() {
    let dump = format!(
        "{HEAD}INSERT INTO `t` VALUES (1,'甲','a\\'b\\\\c\\nd'),(2,'it''s',NULL),(3,_binary 'x',0x4142);\nUNLOCK TABLES;\n"
    );
    let ev = events(dump.as_bytes()).unwrap();
    assert_eq!(
        ev[0],
        Event::Table {
            name: "t".into(),
            columns: vec!["id".into(), "title".into(), "body".into()]
        }
    );
    let r = rows(dump.as_bytes());
    assert_eq!(r.len(), 3);
    assert_eq!(r[0][0], Value::Number("1".into()));
    assert_eq!(r[0][1], Value::Text("甲".as_bytes().to_vec()));
    assert_eq!(r[0][2], Value::Text(b"a'b\\c\nd".to_vec()));
    assert_eq!(r[1][1], Value::Text(b"it's".to_vec()));
    assert_eq!(r[1][2], Value::Null);
    assert_eq!(r[2][1], Value::Text(b"x".to_vec()));
    assert_eq!(r[2][2], Value::Text(b"AB".to_vec()));
}

#[test]
fn column_lists_and_gbk_are_understood() {
    let mut dump = b"/*!40101 SET NAMES gbk */;\nCREATE TABLE t (id int, title varchar(10));\nINSERT INTO `t` (`title`,`id`) VALUES ('".to_vec();
    dump.extend_from_slice(&[0xD6, 0xD0, 0xB9, 0xFA]); // 中国 in GBK
    dump.extend_from_slice(b"',7);\n");
    let mut d = Dump::new(&dump[..], Charset::Auto);
    let mut found = None;
    while let Some(e) = d.next_event().unwrap() {
        if let Event::Row {
            columns, values, ..
        } = e
        {
            found = Some((columns, values));
        }
    }
    let (columns, values) = found.unwrap();
    assert_eq!(&columns[..], &["title".to_owned(), "id".to_owned()]);
    assert_eq!(d.charset(), Charset::Gb18030);
    let Value::Text(t) = &values[0] else { panic!() };
    assert_eq!(d.charset().decode(t), "中国");
    assert_eq!(values[1].int(), Some(7));
}

#[test]
fn a_wrong_count_names_its_line() {
    let dump = format!("{HEAD}INSERT INTO `t` VALUES (1,'a','b'),\n(2,'c');\n");
    let err = events(dump.as_bytes()).unwrap_err();
    assert_eq!(err.line, HEAD.lines().count() as u64 + 2);
    assert!(err.message.contains("2 个值"), "{err}");
}

#[test]
fn a_truncated_dump_is_an_error() {
    for cut in [
        "INSERT INTO `t` VALUES (1,'a','b'),(2,'c",
        "INSERT INTO `t` VALUES (1,'a','b'),",
        "INSERT INTO `t` VALUES (1,'a'",
    ] {
        let dump = format!("{HEAD}{cut}");
        let err = events(dump.as_bytes()).unwrap_err();
        assert!(
            err.message.contains("没有结束") || err.message.contains("个值"),
            "{cut}: {err}"
        );
    }
}

#[test]
fn something_else_is_refused() {
    let err = events(b"<?xml version=\"1.0\"?><rss></rss>").unwrap_err();
    assert_eq!(err.line, 1);
    assert!(err.message.contains("mysqldump"), "{err}");
    let err = events(format!("{HEAD}INSERT INTO `u` VALUES (1);").as_bytes()).unwrap_err();
    assert!(err.message.contains("CREATE TABLE"), "{err}");
}

/// What MariaDB's own mysqldump wrote (fuzz/make-seeds.sh): extended inserts one row a
/// line, escapes, binary bytes, NULLs, decimals, 4-byte UTF-8; and a GBK dump with
/// column lists, one row per INSERT.
#[test]
fn real_mysqldump_output_is_read() {
    let dump = include_bytes!("../../../../fuzz/seeds/sqldump/mariadb-utf8mb4.sql");
    let mut d = Dump::new(&dump[..], Charset::Auto);
    let mut archives = Vec::new();
    while let Some(e) = d.next_event().unwrap() {
        if let Event::Row { table, values, .. } = e
            && &*table == "seed_archives"
        {
            archives.push(values);
        }
    }
    assert_eq!(archives.len(), 3);
    let text = |v: &Value| match v {
        Value::Text(t) => String::from_utf8(t.clone()).unwrap(),
        other => panic!("{other:?}"),
    };
    assert_eq!(text(&archives[0][2]), "园区建设迎来新进展");
    assert_eq!(archives[0][4], Value::Number("-3.50".into()));
    assert_eq!(
        archives[0][5],
        Value::Text(vec![0, 0xFF, b'\'', b'"', b'\\'])
    );
    assert_eq!(
        text(&archives[0][6]),
        "<p>It's a \\ test;\n第二行\t(括号)</p>"
    );
    assert_eq!(archives[1][1], Value::Null);
    assert_eq!(text(&archives[2][2]), "第三篇 😀");

    let gbk = include_bytes!("../../../../fuzz/seeds/sqldump/mariadb-gbk-complete-insert.sql");
    let mut d = Dump::new(&gbk[..], Charset::Auto);
    let mut names = Vec::new();
    while let Some(e) = d.next_event().unwrap() {
        if let Event::Row { values, .. } = e {
            let Value::Text(t) = &values[2] else { panic!() };
            names.push(d.charset().decode(t));
        }
    }
    assert_eq!(d.charset(), Charset::Gb18030);
    assert_eq!(names, ["新闻中心", "协会动态"]);
}

#[test]
fn other_statements_are_skipped() {
    let dump = format!(
        "{HEAD}DROP TABLE IF EXISTS `x`; SET @a = 'semi;colon';\n# comment\nINSERT IGNORE INTO `t` VALUES (9,'x;y','(z)');\n"
    );
    let r = rows(dump.as_bytes());
    assert_eq!(
        r,
        vec![vec![
            Value::Number("9".into()),
            Value::Text(b"x;y".to_vec()),
            Value::Text(b"(z)".to_vec())
        ]]
    );
}
