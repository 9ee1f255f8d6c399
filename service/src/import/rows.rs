//! A dumped row read by column name, text decoded as the dump says.

use std::sync::Arc;

use super::sqldump::{Charset, Value};

/// One row read by column name.
pub struct Row<'a> {
    columns: &'a [String],
    values: &'a [Value],
    charset: Charset,
}

impl Row<'_> {
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.columns
            .iter()
            .position(|c| c.eq_ignore_ascii_case(name))
            .and_then(|i| self.values.get(i))
    }

    pub fn text(&self, name: &str) -> String {
        match self.value(name) {
            Some(Value::Text(t)) => self.charset.decode(t),
            Some(Value::Number(n)) => n.clone(),
            _ => String::new(),
        }
    }

    pub fn int(&self, name: &str) -> i64 {
        self.value(name).and_then(Value::int).unwrap_or(0)
    }
}

pub fn row<'a>(columns: &'a Arc<[String]>, values: &'a [Value], charset: Charset) -> Row<'a> {
    Row {
        columns,
        values,
        charset,
    }
}
