//! The installation's settings as key/value pairs (`site_settings`): the security policy and
//! the forms' signing key. A site's own settings are `site_values`.

use sea_orm::entity::prelude::*;

/// One installation setting (`security.*`, `forms_secret`) as a key/value pair.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "site_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    #[sea_orm(column_type = "Text")]
    pub value: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
