//! Password hashing and checking (argon2id) on one worker thread with its memory allocated
//! once.
//!
//! An argon2id check needs its whole working memory at once. Allocated afresh for every
//! check on whichever blocking thread ran it, that memory stayed with each thread's
//! allocator arena, and a burst of login posts grew the server by hundreds of megabytes for
//! good. Here one worker owns one buffer that every check reuses; a burst waits in a short
//! queue, and past it is told the server is busy, instead of growing memory.
//!
//! New hashes use argon2id with 7 MiB and 5 passes, one of OWASP's equivalent settings
//! (the same cost to an attacker as 19 MiB and 2 passes, in less memory). Hashes made with
//! other settings (earlier versions used 19 MiB) still check, and are replaced at the next
//! successful sign-in ([`needs_rehash`]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

use argon2::password_hash::{PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::oneshot;

use crate::{Error, Result};

/// Checks waiting for the worker before further ones are refused as busy. Login throttling
/// refuses guesses before they get here, so only real traffic (or an attack from very many
/// addresses) fills it.
const QUEUE: usize = 64;

/// The largest working memory a stored hash may ask for (64 MiB); anything larger is not a
/// hash this server wrote and is refused rather than allocated.
const MAX_BLOCKS: usize = 64 * 1024;

/// The parameters new hashes get: argon2id, 7 MiB (7168 KiB), 5 passes, 1 lane, 32 bytes.
fn default_params() -> Params {
    Params::new(7 * 1024, 5, 1, Some(32)).unwrap_or_default()
}

/// Whether a stored hash was made with other parameters than new hashes get: it is
/// replaced when its owner next signs in.
pub fn needs_rehash(hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let current = default_params();
    parsed.algorithm != Algorithm::Argon2id.ident()
        || Params::try_from(&parsed).map_or(true, |p| {
            p.m_cost() != current.m_cost()
                || p.t_cost() != current.t_cost()
                || p.p_cost() != current.p_cost()
        })
}

enum Job {
    /// Check `password` against `hash`; with no hash, do the same work against a hash that
    /// matches nothing (an unknown account answers as slowly as a real one).
    Verify {
        hash: Option<String>,
        password: String,
        reply: oneshot::Sender<bool>,
    },
    Hash {
        password: String,
        reply: oneshot::Sender<Result<String>>,
    },
}

/// The password worker. Cheap to share (`Arc`); the worker thread ends when it is dropped.
pub struct Passwords {
    queue: SyncSender<Job>,
    checks: Arc<AtomicU64>,
}

impl std::fmt::Debug for Passwords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Passwords")
            .field("checks", &self.checks())
            .finish_non_exhaustive()
    }
}

impl Passwords {
    /// Starts the worker thread (its memory is allocated at the first check).
    pub fn start() -> Result<Arc<Passwords>> {
        let (queue, jobs) = std::sync::mpsc::sync_channel(QUEUE);
        let checks = Arc::new(AtomicU64::new(0));
        let counted = checks.clone();
        let jobs = Arc::new(Mutex::new(jobs));
        std::thread::Builder::new()
            .name("portico-passwords".into())
            .spawn(move || work(&jobs, &counted))?;
        Ok(Arc::new(Passwords { queue, checks }))
    }

    /// How many password checks have run (argon2 evaluations against a stored or dummy
    /// hash), for tests and monitoring.
    pub fn checks(&self) -> u64 {
        self.checks.load(Ordering::Relaxed)
    }

    fn submit(&self, job: Job) -> Result<()> {
        self.queue.try_send(job).map_err(|e| match e {
            TrySendError::Full(_) => Error::Busy,
            TrySendError::Disconnected(_) => {
                Error::Io(std::io::Error::other("the password worker has stopped"))
            }
        })
    }

    /// Whether `password` matches the stored `hash` (`None`: no account; always false, after
    /// the same work). `Err(Busy)` when too many checks are waiting.
    pub async fn verify(&self, hash: Option<&str>, password: &str) -> Result<bool> {
        let (reply, answer) = oneshot::channel();
        self.submit(Job::Verify {
            hash: hash.map(str::to_owned),
            password: password.to_owned(),
            reply,
        })?;
        answer
            .await
            .map_err(|_| Error::Io(std::io::Error::other("the password worker stopped")))
    }

    /// A new argon2id hash of `password` in PHC string form.
    pub async fn hash(&self, password: &str) -> Result<String> {
        let (reply, answer) = oneshot::channel();
        self.submit(Job::Hash {
            password: password.to_owned(),
            reply,
        })?;
        answer
            .await
            .map_err(|_| Error::Io(std::io::Error::other("the password worker stopped")))?
    }
}

fn work(jobs: &Mutex<Receiver<Job>>, checks: &AtomicU64) {
    let mut memory: Vec<Block> = Vec::new();
    loop {
        let mut oversized: Vec<Block> = Vec::new();
        let job = {
            let Ok(rx) = jobs.lock() else { return };
            match rx.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        };
        match job {
            Job::Verify {
                hash,
                password,
                reply,
            } => {
                checks.fetch_add(1, Ordering::Relaxed);
                let ok = match hash {
                    Some(h) => verify_with(&h, password.as_bytes(), &mut memory, &mut oversized),
                    None => {
                        let _ = hash_with(password.as_bytes(), &[0u8; 16], &mut memory);
                        false
                    }
                };
                let _ = reply.send(ok);
            }
            Job::Hash { password, reply } => {
                let _ = reply.send(new_hash(&password, &mut memory));
            }
        }
    }
}

/// The memory for `params`, reusing the worker's buffer. A hash with larger settings
/// (an older one) gets a buffer of its own, freed right after, so the worker keeps only
/// what new hashes need.
fn blocks_for<'m>(
    params: &Params,
    memory: &'m mut Vec<Block>,
    oversized: &'m mut Vec<Block>,
) -> Option<&'m mut [Block]> {
    let n = params.block_count();
    if n > MAX_BLOCKS {
        return None;
    }
    let buffer = if n <= default_params().block_count() {
        memory
    } else {
        oversized
    };
    if buffer.len() < n {
        buffer.resize(n, Block::default());
    }
    buffer.get_mut(..n)
}

/// argon2id with the default parameters into a 32-byte output.
fn hash_with(password: &[u8], salt: &[u8], memory: &mut Vec<Block>) -> Option<[u8; 32]> {
    let params = default_params();
    let mut unused = Vec::new();
    let blocks = blocks_for(&params, memory, &mut unused)?;
    let mut out = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into_with_memory(password, salt, &mut out, blocks)
        .ok()?;
    Some(out)
}

fn new_hash(password: &str, memory: &mut Vec<Block>) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    let out = hash_with(password.as_bytes(), &salt, memory)
        .ok_or_else(|| Error::Invalid("password hashing failed".into()))?;
    let salt =
        SaltString::encode_b64(&salt).map_err(|e| Error::Invalid(format!("password salt: {e}")))?;
    let params = argon2::password_hash::ParamsString::try_from(&default_params())
        .map_err(|e| Error::Invalid(format!("password params: {e}")))?;
    let output = argon2::password_hash::Output::new(&out)
        .map_err(|e| Error::Invalid(format!("password output: {e}")))?;
    Ok(PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    }
    .to_string())
}

/// Checks a PHC string hash with the worker's memory. Anything unparsable is a mismatch.
fn verify_with(
    hash: &str,
    password: &[u8],
    memory: &mut Vec<Block>,
    oversized: &mut Vec<Block>,
) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let Some(blocks) = blocks_for(&params, memory, oversized) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    if Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password, salt, &mut out, blocks)
        .is_err()
    {
        return false;
    }
    // `Output`'s comparison runs in constant time.
    argon2::password_hash::Output::new(&out).is_ok_and(|o| o == expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_round_trip_and_are_counted() {
        let p = Passwords::start().expect("worker");
        let h = p.hash("correct horse battery").await.expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"), "{h}");
        assert!(!needs_rehash(&h));
        assert!(
            p.verify(Some(&h), "correct horse battery")
                .await
                .expect("ok")
        );
        assert!(!p.verify(Some(&h), "wrong horse battery").await.expect("ok"));
        assert!(!p.verify(Some("garbage"), "x").await.expect("ok"));
        assert!(!p.verify(None, "anything").await.expect("ok"));
        assert_eq!(p.checks(), 4);
        // Hashes written by the argon2 crate's own hasher with its defaults (19 MiB, as
        // older accounts have) still check, and are marked for replacement.
        let old = crate::auth::hash_password("older password 1").expect("hash");
        assert!(old.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{old}");
        assert!(needs_rehash(&old));
        assert!(p.verify(Some(&old), "older password 1").await.expect("ok"));
        assert!(!p.verify(Some(&old), "older password 2").await.expect("ok"));
    }

    #[tokio::test]
    async fn a_flood_past_the_queue_is_refused_not_queued_without_end() {
        let p = Passwords::start().expect("worker");
        let mut waiting = Vec::new();
        let mut busy = 0;
        for _ in 0..(QUEUE + 40) {
            let (reply, answer) = oneshot::channel();
            match p.submit(Job::Verify {
                hash: None,
                password: "x".into(),
                reply,
            }) {
                Ok(()) => waiting.push(answer),
                Err(Error::Busy) => busy += 1,
                Err(e) => panic!("{e}"),
            }
        }
        assert!(busy > 0, "some were refused");
        assert!(waiting.len() <= QUEUE + 1);
    }
}
