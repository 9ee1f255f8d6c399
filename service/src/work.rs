//! CPU-heavy work on what arrives from outside (Word documents, pastes, attachments, long
//! comparisons): never on the threads that answer requests, and only a few pieces at once,
//! so that a burst of such requests queues instead of taking every core and the memory with
//! it. Pages and `/healthz` keep being answered meanwhile.

use tokio::sync::Semaphore;

use crate::{Error, Result};

/// Pieces of heavy work running at once, in this process.
pub const AT_ONCE: usize = 2;

static SLOTS: Semaphore = Semaphore::const_new(AT_ONCE);

/// Runs `work` on a blocking thread once one of the [`AT_ONCE`] slots is free.
pub async fn heavy<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    let _slot = SLOTS
        .acquire()
        .await
        .map_err(|_| Error::Io(std::io::Error::other("the work queue is closed")))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))
}

/// How many pieces of heavy work are running now (for tests and monitoring).
pub fn running() -> usize {
    AT_ONCE - SLOTS.available_permits()
}
