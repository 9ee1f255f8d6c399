//! Moving an existing site in: its columns, articles, pages and pictures from the dump of
//! another CMS, with every old address answered by a redirect (see [`crate::redirect`]).

pub mod sqldump;
