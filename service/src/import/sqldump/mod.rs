//! A streaming reader of `mysqldump` (MySQL or MariaDB) output: the tables a dump creates
//! and their rows, one at a time, whatever the size of the file.
//!
//! What it understands is what `mysqldump` writes: `CREATE TABLE` (the column names, in
//! order: extended `INSERT`s carry no names), `INSERT [IGNORE] INTO ... VALUES (...),(...);`
//! and `REPLACE INTO`, with or without a column list, values as `NULL`, numbers, quoted
//! strings with backslash escapes, `0x...` / `X'...'` / `_binary '...'`, and comments
//! (`-- `, `#`, `/* */`, including the `/*!40101 SET NAMES gbk */` that says how the text
//! is encoded). Every other statement is skipped. Memory is bounded by the largest single
//! value ([`MAX_VALUE_BYTES`]) and row ([`MAX_ROW_BYTES`]), never by the size of the dump.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

#[cfg(test)]
mod tests;
mod values;

/// The longest single value (an article body, say).
pub const MAX_VALUE_BYTES: usize = 32 << 20;
/// The most all the values of one row may take.
pub const MAX_ROW_BYTES: usize = 64 << 20;
/// The longest `CREATE TABLE` or `SET` statement read whole.
const MAX_STATEMENT_BYTES: usize = 1 << 20;
/// The most columns a table may have.
const MAX_COLUMNS: usize = 1_000;

/// A dump that cannot be read: where, and why (in Chinese, for the operator).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("第 {line} 行：{message}")]
pub struct DumpError {
    pub line: u64,
    pub message: String,
}

/// How the text of a dump is encoded (`SET NAMES`), or a guess per value when it does not say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Charset {
    Utf8,
    /// GBK, GB2312 and GB18030 (GB18030 decodes all three).
    Gb18030,
    Big5,
    Latin1,
    /// UTF-8 where a value is valid UTF-8, GB18030 otherwise.
    Auto,
}

impl Charset {
    /// The charset a `SET NAMES`/`DEFAULT CHARSET` name stands for.
    pub fn from_name(name: &str) -> Option<Charset> {
        match name
            .trim()
            .trim_matches(['\'', '"', '`'])
            .to_ascii_lowercase()
            .as_str()
        {
            "utf8" | "utf8mb3" | "utf8mb4" | "utf-8" => Some(Charset::Utf8),
            "gbk" | "gb2312" | "gb18030" | "cp936" => Some(Charset::Gb18030),
            "big5" => Some(Charset::Big5),
            "latin1" => Some(Charset::Latin1),
            _ => None,
        }
    }

    /// `bytes` as text.
    pub fn decode(self, bytes: &[u8]) -> String {
        let encoding = match self {
            Charset::Utf8 => return String::from_utf8_lossy(bytes).into_owned(),
            Charset::Auto => match std::str::from_utf8(bytes) {
                Ok(s) => return s.to_owned(),
                Err(_) => encoding_rs::GB18030,
            },
            Charset::Gb18030 => encoding_rs::GB18030,
            Charset::Big5 => encoding_rs::BIG5,
            Charset::Latin1 => encoding_rs::WINDOWS_1252,
        };
        encoding.decode_without_bom_handling(bytes).0.into_owned()
    }
}

/// One value of a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Null,
    /// A number as written (`12`, `-3.5`, `1e3`).
    Number(String),
    /// A string or binary value, as bytes in the dump's encoding.
    Text(Vec<u8>),
}

impl Value {
    /// The value as an integer: numbers, and strings holding one (`'12'`).
    pub fn int(&self) -> Option<i64> {
        match self {
            Value::Null => None,
            Value::Number(n) => n
                .parse::<i64>()
                .ok()
                .or_else(|| n.parse::<f64>().ok().map(|f| f as i64)),
            Value::Text(t) => std::str::from_utf8(t).ok()?.trim().parse().ok(),
        }
    }
}

/// What a dump says next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// `CREATE TABLE name (columns...)`.
    Table { name: String, columns: Vec<String> },
    /// One row of `table`, its values in the order of `columns`.
    Row {
        table: Arc<str>,
        columns: Arc<[String]>,
        values: Vec<Value>,
    },
}

/// A read buffer that can look two bytes ahead whatever the chunks `inner` gives.
struct Input<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    end: usize,
}

impl<R: Read> Input<R> {
    /// Makes at least `n` bytes available unless the input ends first; returns how many are.
    fn ensure(&mut self, n: usize) -> std::io::Result<usize> {
        while self.end - self.pos < n {
            if self.pos > 0 {
                self.buf.copy_within(self.pos..self.end, 0);
                self.end -= self.pos;
                self.pos = 0;
            }
            let read = match self.inner.read(&mut self.buf[self.end..]) {
                Ok(r) => r,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if read == 0 {
                break;
            }
            self.end += read;
        }
        Ok(self.end - self.pos)
    }

    fn available(&self) -> &[u8] {
        &self.buf[self.pos..self.end]
    }

    fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.end);
    }
}

/// Reads a dump one [`Event`] at a time.
pub struct Dump<R> {
    input: Input<R>,
    line: u64,
    charset: Charset,
    tables: HashMap<String, Arc<[String]>>,
    /// Inside `INSERT ... VALUES`: the table and the columns its rows have.
    inserting: Option<(Arc<str>, Arc<[String]>)>,
    /// The line the current statement began on.
    statement_line: u64,
}

impl<R: Read> Dump<R> {
    /// A reader of `input`; `charset` is used until the dump says otherwise (`Auto` when
    /// the operator did not say).
    pub fn new(input: R, charset: Charset) -> Self {
        Dump {
            input: Input {
                inner: input,
                buf: vec![0; 64 * 1024].into_boxed_slice(),
                pos: 0,
                end: 0,
            },
            line: 1,
            charset,
            tables: HashMap::new(),
            inserting: None,
            statement_line: 1,
        }
    }

    /// How text is encoded, as far as the dump has said.
    pub fn charset(&self) -> Charset {
        self.charset
    }

    /// The line being read.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The columns of every table created so far.
    pub fn tables(&self) -> &HashMap<String, Arc<[String]>> {
        &self.tables
    }

    fn error(&self, message: impl Into<String>) -> DumpError {
        DumpError {
            line: self.line,
            message: message.into(),
        }
    }

    fn io(&self, e: std::io::Error) -> DumpError {
        self.error(format!("读取文件出错（{e}）"))
    }

    fn peek(&mut self) -> Result<Option<u8>, DumpError> {
        self.input.ensure(1).map_err(|e| self.io(e))?;
        Ok(self.input.available().first().copied())
    }

    fn bump(&mut self) -> Result<Option<u8>, DumpError> {
        let b = self.peek()?;
        if let Some(b) = b {
            self.input.consume(1);
            if b == b'\n' {
                self.line += 1;
            }
        }
        Ok(b)
    }

    /// The byte after the next one, without consuming (for `--`, `/*`).
    fn peek2(&mut self) -> Result<Option<u8>, DumpError> {
        self.input.ensure(2).map_err(|e| self.io(e))?;
        Ok(self.input.available().get(1).copied())
    }

    fn skip_space(&mut self) -> Result<(), DumpError> {
        while let Some(b) = self.peek()? {
            if b.is_ascii_whitespace() {
                self.bump()?;
            } else {
                break;
            }
        }
        Ok(())
    }

    fn skip_line(&mut self) -> Result<(), DumpError> {
        while let Some(b) = self.bump()? {
            if b == b'\n' {
                break;
            }
        }
        Ok(())
    }

    /// Reads a `/* ... */` comment (the `/*` already taken), keeping its first bytes.
    fn block_comment(&mut self) -> Result<Vec<u8>, DumpError> {
        let mut kept = Vec::new();
        let mut star = false;
        loop {
            let Some(b) = self.bump()? else {
                return Err(self.error("注释没有结束（文件不完整？）"));
            };
            if star && b == b'/' {
                kept.pop();
                return Ok(kept);
            }
            star = b == b'*';
            if kept.len() < MAX_STATEMENT_BYTES {
                kept.push(b);
            }
        }
    }

    /// The next event, or `None` at the end of the dump.
    pub fn next_event(&mut self) -> Result<Option<Event>, DumpError> {
        loop {
            if let Some((table, columns)) = self.inserting.clone() {
                let values = self.tuple(&table, columns.len())?;
                self.skip_space()?;
                match self.bump()? {
                    Some(b',') => {}
                    Some(b';') => self.inserting = None,
                    None => {
                        return Err(self
                            .error(format!("表 {table} 的 INSERT 语句没有结束（文件不完整？）")));
                    }
                    Some(other) => {
                        return Err(self.error(format!(
                            "表 {table} 的 INSERT 语句中，一行之后出现了意外的字符 “{}”",
                            other as char
                        )));
                    }
                }
                return Ok(Some(Event::Row {
                    table,
                    columns,
                    values,
                }));
            }
            self.skip_space()?;
            self.statement_line = self.line;
            let Some(b) = self.peek()? else {
                return Ok(None);
            };
            match b {
                b';' => {
                    self.bump()?;
                }
                b'#' => self.skip_line()?,
                b'-' if self.peek2()? == Some(b'-') => self.skip_line()?,
                b'/' if self.peek2()? == Some(b'*') => {
                    self.bump()?;
                    self.bump()?;
                    let text = self.block_comment()?;
                    self.note_set_names(&text);
                }
                _ => {
                    if let Some(event) = self.statement()? {
                        return Ok(Some(event));
                    }
                }
            }
        }
    }

    /// `SET NAMES x` inside a conditional comment or a statement.
    fn note_set_names(&mut self, text: &[u8]) {
        let text = String::from_utf8_lossy(text).to_ascii_lowercase();
        if let Some(at) = text.find("set names") {
            let name = text[at + 9..]
                .split(|c: char| c.is_whitespace() || c == ';' || c == '*')
                .find(|w| !w.is_empty())
                .unwrap_or_default();
            if let Some(cs) = Charset::from_name(name) {
                self.charset = cs;
            }
        }
    }

    fn word(&mut self) -> Result<String, DumpError> {
        let mut w = String::new();
        while let Some(b) = self.peek()? {
            if b.is_ascii_alphanumeric() || b == b'_' {
                w.push(b.to_ascii_uppercase() as char);
                self.bump()?;
                if w.len() > 64 {
                    break;
                }
            } else {
                break;
            }
        }
        Ok(w)
    }

    /// A statement at the top level: an INSERT starts rows; CREATE TABLE gives a table;
    /// anything else is skipped.
    fn statement(&mut self) -> Result<Option<Event>, DumpError> {
        let first = self.word()?;
        match first.as_str() {
            "INSERT" | "REPLACE" => {
                self.skip_space()?;
                let mut w = self.word()?;
                while matches!(
                    w.as_str(),
                    "IGNORE" | "LOW_PRIORITY" | "DELAYED" | "HIGH_PRIORITY"
                ) {
                    self.skip_space()?;
                    w = self.word()?;
                }
                if w != "INTO" {
                    return Err(self.error("无法识别的 INSERT 语句（缺少 INTO）"));
                }
                self.insert_head()?;
                Ok(None)
            }
            "CREATE" => {
                let text = self.rest_of_statement()?;
                Ok(self.create_table(&text))
            }
            "SET" => {
                let text = self.rest_of_statement()?;
                let mut with_set = b"set ".to_vec();
                with_set.extend_from_slice(&text);
                self.note_set_names(&with_set);
                Ok(None)
            }
            "" => {
                let b = self.bump()?.unwrap_or(b' ');
                Err(self.error(format!(
                    "这里应当是一条 SQL 语句，却是字符 “{}”（这不是 mysqldump 导出的文件？）",
                    b as char
                )))
            }
            _ => {
                self.skip_statement()?;
                Ok(None)
            }
        }
    }

    /// The bytes up to the `;` that ends the statement (quotes respected), at most
    /// [`MAX_STATEMENT_BYTES`].
    fn rest_of_statement(&mut self) -> Result<Vec<u8>, DumpError> {
        let mut out = Vec::new();
        let mut quote: Option<u8> = None;
        loop {
            let Some(b) = self.bump()? else {
                return Err(self.error("语句没有结束（文件不完整？）"));
            };
            if out.len() >= MAX_STATEMENT_BYTES {
                return Err(self.error("语句过长"));
            }
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) if b == b'\\' => {
                    out.push(b);
                    if let Some(n) = self.bump()? {
                        out.push(n);
                    }
                    continue;
                }
                Some(_) => {}
                None if b == b';' => return Ok(out),
                None if matches!(b, b'\'' | b'"' | b'`') => quote = Some(b),
                None => {}
            }
            out.push(b);
        }
    }

    /// Skips to the end of a statement, however long, without keeping it.
    fn skip_statement(&mut self) -> Result<(), DumpError> {
        let mut quote: Option<u8> = None;
        loop {
            let Some(b) = self.bump()? else {
                return Ok(());
            };
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) if b == b'\\' => {
                    self.bump()?;
                }
                Some(_) => {}
                None if b == b';' => return Ok(()),
                None if matches!(b, b'\'' | b'"' | b'`') => quote = Some(b),
                None => {}
            }
        }
    }

    fn create_table(&mut self, text: &[u8]) -> Option<Event> {
        let text = String::from_utf8_lossy(text);
        let rest = text.trim_start();
        let upper = rest.to_ascii_uppercase();
        let rest = if upper.starts_with("TABLE") {
            &rest[5..]
        } else if upper.starts_with("TEMPORARY TABLE") {
            &rest[15..]
        } else {
            return None;
        };
        let mut rest = rest.trim_start();
        if rest.to_ascii_uppercase().starts_with("IF NOT EXISTS") {
            rest = rest[13..].trim_start();
        }
        let open = rest.find('(')?;
        let name = last_identifier(&rest[..open])?;
        let body = &rest[open + 1..];
        let mut columns = Vec::new();
        for part in top_level_parts(body) {
            let part = part.trim();
            let (ident, quoted) = match first_identifier(part) {
                Some(x) => x,
                None => continue,
            };
            let keyword = ident.to_ascii_uppercase();
            if !quoted
                && matches!(
                    keyword.as_str(),
                    "PRIMARY"
                        | "KEY"
                        | "UNIQUE"
                        | "INDEX"
                        | "CONSTRAINT"
                        | "FULLTEXT"
                        | "SPATIAL"
                        | "FOREIGN"
                        | "CHECK"
                        | "PERIOD"
                )
            {
                continue;
            }
            if columns.len() < MAX_COLUMNS {
                columns.push(ident);
            }
        }
        self.tables.insert(name.clone(), columns.clone().into());
        Some(Event::Table { name, columns })
    }
}

/// Splits the body of a `CREATE TABLE (...)` at commas outside parentheses and quotes,
/// stopping at the parenthesis that closes it.
fn top_level_parts(body: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q != '`' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' => quote = Some(c),
            '(' => depth += 1,
            ')' if depth == 0 => {
                parts.push(&body[start..i]);
                return parts;
            }
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&body[start..]);
    parts
}

/// The first identifier of a column definition, and whether it was quoted.
fn first_identifier(part: &str) -> Option<(String, bool)> {
    let part = part.trim_start();
    if let Some(rest) = part.strip_prefix('`') {
        let mut out = String::new();
        let mut chars = rest.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '`' {
                if chars.peek() == Some(&'`') {
                    chars.next();
                    out.push('`');
                } else {
                    return Some((out, true));
                }
            } else {
                out.push(c);
            }
        }
        return None;
    }
    if let Some(rest) = part.strip_prefix('"') {
        return rest.split_once('"').map(|(n, _)| (n.to_owned(), true));
    }
    let word: String = part
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$')
        .collect();
    (!word.is_empty()).then_some((word, false))
}

/// The table name at the end of `db`.`table` (quoted or not).
fn last_identifier(text: &str) -> Option<String> {
    let text = text.trim();
    let last = text.rsplit('.').next()?.trim();
    let name = last.trim_matches(['`', '"']);
    (!name.is_empty() && name.len() <= 256).then(|| name.to_owned())
}
