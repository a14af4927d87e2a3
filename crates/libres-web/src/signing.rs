//! What the signing of statements needs between the routes and the store:
//!
//! - [`Intake`]: group commit. Each signing (or confirming) request hands
//!   its signature to one writer task and waits; the writer takes
//!   everything that has arrived meanwhile as one batch, writes it in one
//!   transaction (one disk flush), and answers every request of the batch.
//!   A request is answered only once its signature is on disk. Under a
//!   surge the batches grow on their own; alone, a signature is written
//!   at once.
//! - [`Abuse`]: counts signatures per client address and per mail domain
//!   in the last hour; past a limit a signature is *flagged* (for staff
//!   to look at), never refused, so a shared address (a carrier's NAT, a
//!   café) loses nothing and an abuser learns nothing.
//! - [`CountsCache`] and [`PageTtl`]: the public counts of a statement,
//!   and its rendered pages, made at most once every two seconds however
//!   many readers ask.

use libres_core::UnixTime;
use libres_store::statements::{Confirmation, NewSignature, SignatureCounts, Taken};
use libres_store::{Store, StoreError, StoreResult};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

/// Requests a writer takes in one transaction, at most.
pub(crate) const MAX_BATCH: usize = 1000;

/// Requests that may wait for the writer; past this a request waits for
/// room (back-pressure), it is never dropped.
const QUEUE: usize = 8192;

type Job<I, O> = (I, oneshot::Sender<Result<O, String>>);

/// One writer task over a queue of `I`, answering `O` each.
struct Writer<I, O> {
    tx: Mutex<Option<mpsc::Sender<Job<I, O>>>>,
}

impl<I: Send + 'static, O: Send + 'static> Writer<I, O> {
    fn new() -> Self {
        Writer {
            tx: Mutex::new(None),
        }
    }

    /// Hands `item` to the writer and waits for its answer. The writer is
    /// started on first use (as `start` makes it from its queue), and
    /// started again if it has stopped (a panic in a store call ends its
    /// task): signing never stops for good.
    async fn submit<F, Fut>(&self, item: I, start: F) -> StoreResult<O>
    where
        F: Fn(mpsc::Receiver<Job<I, O>>) -> Fut,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let (answer, wait) = oneshot::channel();
        let mut job = (item, answer);
        for _ in 0..2 {
            let tx = {
                let mut slot = self.tx.lock().unwrap_or_else(|p| p.into_inner());
                match slot.as_ref().filter(|tx| !tx.is_closed()) {
                    Some(tx) => tx.clone(),
                    None => {
                        let (tx, rx) = mpsc::channel(QUEUE);
                        tokio::spawn(start(rx));
                        *slot = Some(tx.clone());
                        tx
                    }
                }
            };
            match tx.send(job).await {
                Ok(()) => {
                    return wait
                        .await
                        .map_err(|_| {
                            StoreError::Other(
                                "the signature writer stopped before answering".into(),
                            )
                        })?
                        .map_err(StoreError::Other)
                }
                // The writer stopped between the check and the send: the
                // job comes back, and a new writer takes it.
                Err(mpsc::error::SendError(back)) => job = back,
            }
        }
        Err(StoreError::Other(
            "the signature writer cannot be started".into(),
        ))
    }
}

/// Runs batches from `rx` through `write` until every sender is gone.
async fn run_batches<I, O, W, Fut>(mut rx: mpsc::Receiver<Job<I, O>>, write: W)
where
    W: Fn(Vec<I>) -> Fut,
    Fut: std::future::Future<Output = StoreResult<Vec<O>>>,
{
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        let (items, answers): (Vec<I>, Vec<_>) = jobs.drain(..).unzip();
        match write(items).await {
            Ok(outcomes) if outcomes.len() == answers.len() => {
                for (answer, o) in answers.into_iter().zip(outcomes) {
                    // A client that went away is no one's loss: its
                    // signature is written all the same.
                    let _ = answer.send(Ok(o));
                }
            }
            Ok(_) => {
                for answer in answers {
                    let _ = answer.send(Err("the store answered a batch in part".into()));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "a batch of signatures was not written");
                let why = e.to_string();
                for answer in answers {
                    let _ = answer.send(Err(why.clone()));
                }
            }
        }
    }
}

/// The group-commit writers of signatures and confirmations.
pub(crate) struct Intake {
    store: Arc<dyn Store>,
    sign: Writer<NewSignature, Taken>,
    confirm: Writer<(i64, i64, UnixTime), Confirmation>,
}

impl Intake {
    pub fn new(store: Arc<dyn Store>) -> Intake {
        Intake {
            store,
            sign: Writer::new(),
            confirm: Writer::new(),
        }
    }

    /// Takes one signature, durably, with its mail.
    pub async fn sign(&self, signature: NewSignature) -> StoreResult<Taken> {
        let store = Arc::clone(&self.store);
        self.sign
            .submit(signature, move |rx| {
                let store = Arc::clone(&store);
                run_batches(rx, move |batch: Vec<NewSignature>| {
                    let store = Arc::clone(&store);
                    async move { store.take_signatures(&batch).await }
                })
            })
            .await
    }

    /// Confirms signature `signature` of statement `statement`, asked at
    /// `at`, durably.
    pub async fn confirm(
        &self,
        statement: i64,
        signature: i64,
        at: UnixTime,
    ) -> StoreResult<Confirmation> {
        let store = Arc::clone(&self.store);
        self.confirm
            .submit((statement, signature, at), move |rx| {
                let store = Arc::clone(&store);
                run_batches(rx, move |batch: Vec<(i64, i64, UnixTime)>| {
                    let store = Arc::clone(&store);
                    // A batch is stamped with the latest time asked in
                    // it: a few milliseconds apart at most.
                    let at = batch.iter().map(|b| b.2).max().unwrap_or(UnixTime(0));
                    let pairs: Vec<(i64, i64)> = batch.iter().map(|b| (b.0, b.1)).collect();
                    async move { store.confirm_signatures(&pairs, at).await }
                })
            })
            .await
    }
}

/// How many signatures per hour are taken without a flag.
#[derive(Debug, Clone, Copy)]
pub struct AbuseLimits {
    /// From one client address.
    pub per_address: u32,
    /// From one mail domain (the large public providers are not counted:
    /// a surge of their users is what a campaign looks like).
    pub per_domain: u32,
}

impl Default for AbuseLimits {
    fn default() -> Self {
        AbuseLimits {
            per_address: 50,
            per_domain: 200,
        }
    }
}

/// Domains whose users are many: never flagged by domain.
const PUBLIC_PROVIDERS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.es",
    "hotmail.com",
    "hotmail.es",
    "outlook.com",
    "outlook.es",
    "live.com",
    "icloud.com",
    "me.com",
    "proton.me",
    "protonmail.com",
    "nauta.cu",
    "gmx.com",
    "gmx.de",
    "aol.com",
    "yandex.ru",
    "mail.ru",
];

/// One hour, the window of the counts.
const WINDOW: i64 = 3600;

/// Keys counted at once, at most; past it the stalest are forgotten.
const MAX_KEYS: usize = 200_000;

/// Signatures per address and per domain in the current hour.
#[derive(Default)]
pub(crate) struct Abuse {
    limits: AbuseLimits,
    counts: Mutex<HashMap<String, (i64, u32)>>,
}

impl Abuse {
    pub fn new(limits: AbuseLimits) -> Abuse {
        Abuse {
            limits,
            counts: Mutex::default(),
        }
    }

    fn bump(map: &mut HashMap<String, (i64, u32)>, key: String, now: UnixTime) -> u32 {
        let slot = map.entry(key).or_insert((now.0, 0));
        if now.0 - slot.0 >= WINDOW {
            *slot = (now.0, 0);
        }
        slot.1 = slot.1.saturating_add(1);
        slot.1
    }

    /// Counts a signature from `address` (if known) with a mail at
    /// `domain`; returns why it is flagged (`""`: it is not).
    pub fn flag(&self, address: Option<std::net::IpAddr>, domain: &str, now: UnixTime) -> String {
        let mut map = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > MAX_KEYS {
            map.retain(|_, (since, _)| now.0 - *since < WINDOW);
            // Still full of fresh keys (a flood from many addresses): start
            // the hour again rather than scan them on every signature.
            if map.len() > MAX_KEYS / 2 {
                map.clear();
            }
        }
        let mut why = Vec::new();
        if let Some(a) = address {
            if Self::bump(&mut map, format!("ip:{a}"), now) > self.limits.per_address {
                why.push("address_rate");
            }
        }
        if !PUBLIC_PROVIDERS.contains(&domain)
            && Self::bump(&mut map, format!("domain:{domain}"), now) > self.limits.per_domain
        {
            why.push("domain_rate");
        }
        why.join(" ")
    }
}

/// How long the public counts of a statement are kept.
const COUNTS_FOR: Duration = Duration::from_secs(2);

/// The public counts of each statement, aggregated at most once every
/// [`COUNTS_FOR`] (by the machine's monotonic clock: this is load
/// shedding, not a rule of the data).
#[derive(Default)]
pub(crate) struct CountsCache {
    kept: Mutex<HashMap<i64, (Instant, Arc<SignatureCounts>)>>,
}

impl CountsCache {
    pub async fn get(
        &self,
        store: &dyn Store,
        statement: i64,
    ) -> StoreResult<Arc<SignatureCounts>> {
        if let Some((at, c)) = self
            .kept
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&statement)
        {
            if at.elapsed() < COUNTS_FOR {
                return Ok(Arc::clone(c));
            }
        }
        let counts = Arc::new(store.signature_counts(statement).await?);
        self.kept
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(statement, (Instant::now(), Arc::clone(&counts)));
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_flagged_never_refused_and_the_hour_starts_again() {
        let abuse = Abuse::new(AbuseLimits {
            per_address: 2,
            per_domain: 3,
        });
        let ip: std::net::IpAddr = "10.0.0.1".parse().unwrap();
        let t = UnixTime(1_000);
        assert_eq!(abuse.flag(Some(ip), "example.org", t), "");
        assert_eq!(abuse.flag(Some(ip), "example.org", t), "");
        assert_eq!(abuse.flag(Some(ip), "example.org", t), "address_rate");
        assert_eq!(abuse.flag(None, "example.org", t), "domain_rate");
        assert_eq!(abuse.flag(Some(ip), "gmail.com", t), "address_rate");
        for _ in 0..10 {
            assert_eq!(abuse.flag(None, "gmail.com", t), "", "a public provider");
        }
        assert_eq!(abuse.flag(Some(ip), "other.org", t.plus(WINDOW)), "");
    }
}

/// How long a rendered statement page is served again as it is.
const PAGE_FOR: Duration = Duration::from_secs(2);

/// The most rendered statement pages kept at once.
const MAX_PAGES: usize = 256;

/// A rendered page's key: statement, a hash of the statement as stored
/// (an edit makes a new page at once), language, page of names, and
/// whether the synthetic-data banner is on.
pub(crate) type PageKey = (i64, u64, &'static str, u64, bool);

/// Rendered statement pages, each kept for [`PAGE_FOR`] (by the
/// machine's monotonic clock): during a surge a page is rendered (its
/// names read, its counts aggregated) once every two seconds whoever asks.
/// The page carries the signing form's token, which is good for a day
/// from the moment it was made, so serving it two seconds longer changes
/// nothing for its readers.
#[derive(Default)]
pub(crate) struct PageTtl {
    kept: Mutex<HashMap<PageKey, (Instant, Arc<String>)>>,
}

impl PageTtl {
    /// The page kept for `key`, if it is fresh.
    pub fn get(&self, key: PageKey) -> Option<Arc<String>> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.get(&key)
            .filter(|(at, _)| at.elapsed() < PAGE_FOR)
            .map(|(_, page)| Arc::clone(page))
    }

    /// Forgets every page of `statement` (staff changed what it shows).
    pub fn forget(&self, statement: i64) {
        self.kept
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|k, _| k.0 != statement);
    }

    /// Keeps `page` for `key` from now.
    pub fn put(&self, key: PageKey, page: Arc<String>) {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if kept.len() >= MAX_PAGES {
            kept.retain(|_, (at, _)| at.elapsed() < PAGE_FOR);
            if kept.len() >= MAX_PAGES {
                kept.clear();
            }
        }
        kept.insert(key, (Instant::now(), page));
    }
}
