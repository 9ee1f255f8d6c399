//! The rows of an `INSERT`: its head (table, column list), its tuples and their values.

use std::io::Read;

use std::sync::Arc;

use super::{Dump, DumpError, MAX_COLUMNS, MAX_ROW_BYTES, MAX_VALUE_BYTES, Value};

impl<R: Read> Dump<R> {
    /// After `INSERT INTO`: the table, an optional column list, `VALUES`.
    pub(super) fn insert_head(&mut self) -> Result<(), DumpError> {
        self.skip_space()?;
        let mut name = self.identifier()?;
        while self.peek()? == Some(b'.') {
            self.bump()?;
            name = self.identifier()?;
        }
        self.skip_space()?;
        let columns: Arc<[String]> = if self.peek()? == Some(b'(') {
            self.bump()?;
            let mut cols = Vec::new();
            loop {
                self.skip_space()?;
                cols.push(self.identifier()?);
                if cols.len() > MAX_COLUMNS {
                    return Err(self.error("列太多"));
                }
                self.skip_space()?;
                match self.bump()? {
                    Some(b',') => {}
                    Some(b')') => break,
                    _ => return Err(self.error(format!("表 {name} 的 INSERT 列清单无法识别"))),
                }
            }
            cols.into()
        } else {
            match self.tables.get(&name) {
                Some(c) => c.clone(),
                None => {
                    return Err(self.error(format!(
                        "表 {name} 的数据出现在它的 CREATE TABLE 之前（请用 mysqldump 的默认选项导出，不要加 --no-create-info）"
                    )));
                }
            }
        };
        self.skip_space()?;
        let w = self.word()?;
        if w != "VALUES" && w != "VALUE" {
            return Err(self.error(format!("表 {name} 的 INSERT 语句缺少 VALUES")));
        }
        self.inserting = Some((name.into(), columns));
        Ok(())
    }

    /// A `` `quoted` `` or bare identifier.
    fn identifier(&mut self) -> Result<String, DumpError> {
        match self.peek()? {
            Some(q @ (b'`' | b'"')) => {
                self.bump()?;
                let mut out = Vec::new();
                loop {
                    match self.bump()? {
                        None => return Err(self.error("名称没有结束（文件不完整？）")),
                        Some(b) if b == q => {
                            if self.peek()? == Some(q) {
                                self.bump()?;
                                out.push(q);
                            } else {
                                break;
                            }
                        }
                        Some(b) => out.push(b),
                    }
                    if out.len() > 256 {
                        return Err(self.error("名称过长"));
                    }
                }
                Ok(String::from_utf8_lossy(&out).into_owned())
            }
            _ => {
                let mut out = String::new();
                while let Some(b) = self.peek()? {
                    if b.is_ascii_alphanumeric() || b == b'_' || b == b'$' {
                        out.push(b as char);
                        self.bump()?;
                    } else {
                        break;
                    }
                    if out.len() > 256 {
                        return Err(self.error("名称过长"));
                    }
                }
                if out.is_empty() {
                    return Err(self.error("这里应当是表名或列名"));
                }
                Ok(out)
            }
        }
    }

    /// One `( value, value ... )` of `table`, which must have `expected` values.
    pub(super) fn tuple(&mut self, table: &str, expected: usize) -> Result<Vec<Value>, DumpError> {
        self.skip_space()?;
        let started = self.line;
        match self.bump()? {
            Some(b'(') => {}
            None => {
                return Err(
                    self.error(format!("表 {table} 的 INSERT 语句没有结束（文件不完整？）"))
                );
            }
            Some(b) => {
                return Err(self.error(format!(
                    "表 {table} 的一行应以 “(” 开始，却是 “{}”",
                    b as char
                )));
            }
        }
        let mut values = Vec::with_capacity(expected);
        let mut size = 0usize;
        loop {
            self.skip_space()?;
            if values.is_empty() && self.peek()? == Some(b')') {
                self.bump()?;
                break;
            }
            let v = self.value(table)?;
            if let Value::Text(t) = &v {
                size += t.len();
                if size > MAX_ROW_BYTES {
                    return Err(
                        self.error(format!("表 {table} 的一行超过 {} MB", MAX_ROW_BYTES >> 20))
                    );
                }
            }
            values.push(v);
            if values.len() > expected.max(1) * 2 + 16 {
                break;
            }
            self.skip_space()?;
            match self.bump()? {
                Some(b',') => {}
                Some(b')') => break,
                None => {
                    return Err(self.error(format!("表 {table} 的一行没有结束（文件不完整？）")));
                }
                Some(b) => {
                    return Err(
                        self.error(format!("表 {table} 的一行中出现意外的字符 “{}”", b as char))
                    );
                }
            }
        }
        if values.len() != expected {
            return Err(DumpError {
                line: started,
                message: format!(
                    "表 {table} 的一行有 {} 个值，而这张表有 {expected} 列",
                    values.len()
                ),
            });
        }
        Ok(values)
    }

    fn value(&mut self, table: &str) -> Result<Value, DumpError> {
        match self.peek()? {
            None => Err(self.error(format!("表 {table} 的一行没有结束（文件不完整？）"))),
            Some(b'\'') => {
                self.bump()?;
                Ok(Value::Text(self.quoted(b'\'')?))
            }
            Some(b'"') => {
                self.bump()?;
                Ok(Value::Text(self.quoted(b'"')?))
            }
            Some(b'-' | b'+' | b'.' | b'0'..=b'9') => {
                let mut n = String::new();
                while let Some(b) = self.peek()? {
                    if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.') {
                        n.push(b as char);
                        self.bump()?;
                        if n.len() > MAX_VALUE_BYTES.min(1 << 16) * 2 {
                            return Err(self.error("数字过长"));
                        }
                    } else {
                        break;
                    }
                }
                if let Some(hex) = n.strip_prefix("0x").or_else(|| n.strip_prefix("0X")) {
                    return hex_bytes(hex)
                        .map(Value::Text)
                        .ok_or_else(|| self.error(format!("表 {table} 中有无法识别的十六进制值")));
                }
                if n.parse::<f64>().is_err() {
                    return Err(self.error(format!("表 {table} 中有无法识别的值 “{n}”")));
                }
                Ok(Value::Number(n))
            }
            Some(b'_') => {
                // A charset introducer: _binary '...', _utf8mb4'...'.
                self.word()?;
                self.skip_space()?;
                self.value(table)
            }
            Some(_) => {
                let w = self.word()?;
                match w.as_str() {
                    "NULL" => Ok(Value::Null),
                    "X" | "B" if self.peek()? == Some(b'\'') => {
                        self.bump()?;
                        let digits = String::from_utf8_lossy(&self.quoted(b'\'')?).into_owned();
                        let bytes = if w == "X" {
                            hex_bytes(&digits)
                        } else {
                            bit_bytes(&digits)
                        };
                        bytes
                            .map(Value::Text)
                            .ok_or_else(|| self.error(format!("表 {table} 中有无法识别的值")))
                    }
                    "TRUE" => Ok(Value::Number("1".into())),
                    "FALSE" => Ok(Value::Number("0".into())),
                    _ => Err(self.error(format!(
                        "表 {table} 中有无法识别的值（{}）",
                        if w.is_empty() {
                            "意外的字符".to_owned()
                        } else {
                            w
                        }
                    ))),
                }
            }
        }
    }

    /// A quoted string after its opening quote: `\` escapes and doubled quotes.
    fn quoted(&mut self, quote: u8) -> Result<Vec<u8>, DumpError> {
        let mut out = Vec::new();
        loop {
            // Copy runs of plain bytes straight from the buffer.
            let (taken, found, newlines) = {
                if let Err(e) = self.input.ensure(1) {
                    return Err(self.io(e));
                }
                let buf = self.input.available();
                if buf.is_empty() {
                    return Err(self.error("字符串没有结束（文件不完整？）"));
                }
                let end = buf
                    .iter()
                    .position(|&b| b == quote || b == b'\\')
                    .unwrap_or(buf.len());
                if out.len() + end > MAX_VALUE_BYTES {
                    return Err(self.error(format!("一个值超过 {} MB", MAX_VALUE_BYTES >> 20)));
                }
                out.extend_from_slice(&buf[..end]);
                let newlines = buf[..end].iter().filter(|&&b| b == b'\n').count() as u64;
                (end, end < buf.len(), newlines)
            };
            self.input.consume(taken);
            self.line += newlines;
            if !found {
                continue;
            }
            match self.bump()? {
                Some(b'\\') => match self.bump()? {
                    None => return Err(self.error("字符串没有结束（文件不完整？）")),
                    Some(e) => {
                        let byte = match e {
                            b'0' => 0,
                            b'b' => 8,
                            b'n' => b'\n',
                            b'r' => b'\r',
                            b't' => b'\t',
                            b'Z' => 26,
                            // \% and \_ keep their backslash (MySQL's rule).
                            b'%' | b'_' => {
                                out.push(b'\\');
                                e
                            }
                            other => other,
                        };
                        out.push(byte);
                    }
                },
                Some(q) if q == quote => {
                    if self.peek()? == Some(quote) {
                        self.bump()?;
                        out.push(quote);
                    } else {
                        return Ok(out);
                    }
                }
                _ => return Err(self.error("字符串没有结束（文件不完整？）")),
            }
        }
    }
}

fn hex_bytes(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

fn bit_bytes(bits: &str) -> Option<Vec<u8>> {
    let n = u64::from_str_radix(bits, 2).ok()?;
    let bytes = n.to_be_bytes();
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(7);
    Some(bytes[first..].to_vec())
}
