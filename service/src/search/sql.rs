//! A statement built piece by piece with its values, written with the placeholders of the
//! database it is for (`?` on SQLite, `$n` on PostgreSQL).

use sea_orm::{DbBackend, Statement, Value};

pub(super) struct Sql {
    backend: DbBackend,
    text: String,
    values: Vec<Value>,
}

impl Sql {
    pub(super) fn new(backend: DbBackend, text: &str) -> Sql {
        Sql {
            backend,
            text: text.to_owned(),
            values: Vec::new(),
        }
    }

    pub(super) fn postgres(&self) -> bool {
        self.backend == DbBackend::Postgres
    }

    pub(super) fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`.
    pub(super) fn value(&mut self, value: impl Into<Value>) -> &mut Sql {
        self.values.push(value.into());
        if self.postgres() {
            let n = self.values.len();
            self.text.push_str(&format!("${n}"));
        } else {
            self.text.push('?');
        }
        self
    }

    pub(super) fn build(&self) -> Statement {
        Statement::from_sql_and_values(self.backend, self.text.clone(), self.values.clone())
    }
}
