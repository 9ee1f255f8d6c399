//! Setting the HTTP status of the page being rendered. Only the server has a response; in the
//! browser build this does nothing.

#[cfg(feature = "ssr")]
mod imp {
    pub fn set_status(code: u16) {
        crate::ssr::set_status(code);
    }

    pub fn set_location(path: &str) {
        crate::ssr::set_location(path);
    }
}

#[cfg(not(feature = "ssr"))]
mod imp {
    pub fn set_status(_code: u16) {}

    pub fn set_location(_path: &str) {}
}

pub use imp::{set_location, set_status};
