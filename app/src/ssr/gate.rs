//! A gate in front of expensive requests (signing in): at most a few are worked on at once,
//! the rest wait holding little memory, and past a limit (too many waiting, or waiting too
//! long) they are turned away as busy. Work done behind the gate should be boxed after
//! entering, so that a waiting request does not already hold the memory of its work.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};

use crate::error::AppError;

#[derive(Debug)]
pub struct Gate {
    permits: Semaphore,
    waiting: AtomicUsize,
    max_waiting: usize,
    patience: Duration,
}

/// Counts a waiting request for as long as it waits.
struct Waiting<'g>(&'g AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Gate {
    pub fn new(at_once: usize, max_waiting: usize, patience: Duration) -> Gate {
        Gate {
            permits: Semaphore::new(at_once),
            waiting: AtomicUsize::new(0),
            max_waiting,
            patience,
        }
    }

    /// Waits for a turn; `AppError::Busy` when too many are waiting or the wait is too long.
    pub async fn enter(&self) -> Result<SemaphorePermit<'_>, AppError> {
        if let Ok(permit) = self.permits.try_acquire() {
            return Ok(permit);
        }
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            return Err(AppError::Busy);
        }
        let _waiting = Waiting(&self.waiting);
        match tokio::time::timeout(self.patience, self.permits.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(AppError::Busy),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn turns_away_past_its_limits() {
        let gate = Gate::new(1, 1, Duration::from_millis(50));
        let first = gate.enter().await.expect("first goes in");
        // One may wait; it gives up after its patience.
        assert_eq!(gate.enter().await.err(), Some(AppError::Busy));
        drop(first);
        let _again = gate.enter().await.expect("free again");
        let gate2 = std::sync::Arc::new(Gate::new(1, 1, Duration::from_secs(5)));
        let held = gate2.enter().await.expect("in");
        let g = gate2.clone();
        let waiter = tokio::spawn(async move { g.enter().await.map(|_| ()) });
        tokio::time::sleep(Duration::from_millis(20)).await;
        // A second waiter is one too many.
        assert_eq!(gate2.enter().await.err(), Some(AppError::Busy));
        drop(held);
        assert_eq!(waiter.await.expect("task"), Ok(()));
    }
}
