//! Registry metadata over a backend.

use super::Registry;
use crate::backend::Backend;
use crate::{RegistryMeta, StoreResult};
use async_trait::async_trait;

#[async_trait]
impl<B: Backend> RegistryMeta for Registry<B> {
    fn backend(&self) -> &'static str {
        self.backend.name()
    }

    async fn version(&self) -> StoreResult<i64> {
        self.backend.version().await
    }

    async fn is_empty(&self) -> StoreResult<bool> {
        self.backend.is_empty().await
    }

    async fn is_synthetic(&self) -> StoreResult<bool> {
        self.backend.is_synthetic().await
    }
}
