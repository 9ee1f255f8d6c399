//! Setting the HTTP status of the page being rendered. Only the server has a response; in the
//! browser build this does nothing.

#[cfg(feature = "ssr")]
mod imp {
    pub fn set_status(code: u16) {
        crate::server::set_status(code);
    }
}

#[cfg(not(feature = "ssr"))]
mod imp {
    pub fn set_status(_code: u16) {}
}

pub use imp::set_status;
