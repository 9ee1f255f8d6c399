//! The last step of a reader's post, the same for a message and a manuscript: in one
//! transaction, find the same text sent within the hour (answered with its first receipt, or
//! refused when someone else sent it), draw a receipt code that is not taken, mark the form's
//! token as used for it, and insert the item. The receipt is only handed out once the
//! transaction has committed.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};

use super::{Admitted, Context, Outcome, WINDOW, receipt_code, repeated, settle};
use crate::db::Db;
use crate::{Error, Result};

/// An earlier item with the same text: its receipt and the contact it was sent with.
pub struct Earlier {
    pub code: String,
    pub phone: String,
    pub email: String,
}

/// What [`store_once`] needs of a kind of reader item.
pub trait ReaderItem {
    /// Receipt codes of this kind start with this (`LY`, `TG`).
    const CODE_PREFIX: &'static str;
    /// What the reader calls it when told it was already sent (`留言`, `稿件`).
    const WHAT: &'static str;
    /// Its table.
    type Entity: EntityTrait<Model: Send + Sync>;
    /// The table's content hash, creation time, id, receipt code and site columns.
    const COLUMNS: [<Self::Entity as EntityTrait>::Column; 5];

    /// A stored row's receipt and contact details (decrypted).
    fn earlier(row: <Self::Entity as EntityTrait>::Model) -> Earlier;

    /// Inserts this item of `site` under receipt `code`.
    fn insert(
        &self,
        txn: &DatabaseTransaction,
        site: i32,
        code: &str,
    ) -> impl Future<Output = Result<()>> + Send;
}

/// Stores `item` (whose text hashes to `hash`, sent with `phone` and `email`) once; see the
/// module's description. Five codes that happen to be taken in a row are given up as busy.
pub async fn store_once<I: ReaderItem + Sync>(
    db: &Db,
    cx: &Context<'_>,
    admitted: &Admitted,
    hash: &str,
    (phone, email): (&str, &str),
    item: &I,
) -> Result<Outcome> {
    let date = cx.local_date();
    for _ in 0..5 {
        let txn = db.begin().await?;
        let earlier = earlier::<I>(&txn, cx.site, hash, cx.now - WINDOW).await?;
        let mine = earlier
            .iter()
            .map(|e| (e.code.as_str(), e.phone.as_str(), e.email.as_str()));
        if let Some(outcome) = repeated(mine, phone, email, I::WHAT) {
            // The transaction is dropped, so nothing it did is kept.
            return Ok(outcome);
        }
        let code = receipt_code(I::CODE_PREFIX, &date)?;
        if code_taken::<I>(&txn, &code).await? {
            txn.rollback().await?;
            continue;
        }
        settle(&txn, &admitted.form, &admitted.token.nonce, &code).await?;
        item.insert(&txn, cx.site, &code).await?;
        txn.commit().await?;
        return Ok(Outcome::Stored { code });
    }
    Err(Error::Busy)
}

/// The items of kind `I` sent to `site` with content hash `hash` since `since`, oldest first.
async fn earlier<I: ReaderItem>(
    txn: &DatabaseTransaction,
    site: i32,
    hash: &str,
    since: DateTime<Utc>,
) -> Result<Vec<Earlier>> {
    let [hash_col, created, id, _, site_col] = I::COLUMNS;
    Ok(I::Entity::find()
        .filter(hash_col.eq(hash))
        .filter(site_col.eq(site))
        .filter(created.gt(since))
        .order_by_asc(id)
        .all(txn)
        .await?
        .into_iter()
        .map(I::earlier)
        .collect())
}

/// Whether an item of kind `I` already has receipt `code`.
async fn code_taken<I: ReaderItem>(txn: &DatabaseTransaction, code: &str) -> Result<bool> {
    let [.., code_col, _] = I::COLUMNS;
    Ok(I::Entity::find()
        .filter(code_col.eq(code))
        .count(txn)
        .await?
        > 0)
}
