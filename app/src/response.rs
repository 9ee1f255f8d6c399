//! Setting the HTTP status of the page being rendered. Only the server has a response; in the
//! browser build this does nothing.

#[cfg(feature = "ssr")]
mod imp {
    use leptos::prelude::use_context;

    /// Sets the HTTP status of the response being rendered.
    pub fn set_status(code: u16) {
        if let (Some(res), Ok(status)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            http::StatusCode::from_u16(code),
        ) {
            res.set_status(status);
        }
    }

    /// Sets the `Location` header of the response being rendered (for redirects).
    pub fn set_location(path: &str) {
        if let (Some(res), Ok(value)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            http::HeaderValue::from_str(path),
        ) {
            res.insert_header(http::header::LOCATION, value);
        }
    }
}

#[cfg(not(feature = "ssr"))]
mod imp {
    pub fn set_status(_code: u16) {}

    pub fn set_location(_path: &str) {}
}

pub use imp::{set_location, set_status};
