//! Footer links (`links`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "links")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub group_id: i32,
    pub name: String,
    pub url: String,
    pub sort_order: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::link_group::Entity",
        from = "Column::GroupId",
        to = "super::link_group::Column::Id",
        on_delete = "Cascade"
    )]
    LinkGroup,
}

impl Related<super::link_group::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::LinkGroup.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
