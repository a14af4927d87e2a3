//! Registry metadata: which backend, which version, whether the registry
//! is empty, and whether it holds synthetic demo data.

use crate::StoreResult;
use async_trait::async_trait;

/// What every view of a registry can say about it, reads only. Public
/// pages need nothing more than this and [`crate::PersonReads`].
#[async_trait]
pub trait RegistryMeta: Send + Sync + 'static {
    /// A short name of the backend, for logs (`sqlite`, `postgres`).
    fn backend(&self) -> &'static str;

    /// A number that changes after every committed write that can change
    /// what a page shows, by this process or any other sharing the
    /// database. Caches compare it to know when they are stale.
    async fn version(&self) -> StoreResult<i64>;

    /// Whether the registry holds no person at all.
    async fn is_empty(&self) -> StoreResult<bool>;

    /// Whether the registry holds the synthetic demo data (see
    /// [`crate::PersonWrites::mark_synthetic`]). Pages of a synthetic
    /// registry say so.
    async fn is_synthetic(&self) -> StoreResult<bool>;
}
