//! The release rules around one timeline write, each reading the
//! person's timeline once: before the write, a new release must follow
//! custody; after it, no release that followed custody may be left
//! without (see [`libres_core::release_allowed`]). The status is derived
//! from the timeline read after the write.

use crate::backend::WriteTx;
use crate::{rows, StoreError, StoreResult};
use libres_core::{derive_status, release_allowed, stranded_releases, Event, PersonId, Status};

/// What [`ReleaseGuard::before`] saw: the releases already without
/// custody (imported so), which a later edit does not have to mend.
pub(super) struct ReleaseGuard {
    stranded: Vec<i64>,
}

impl ReleaseGuard {
    /// Reads the timeline of `person` (key `person_pk`) before a write,
    /// and refuses `release` (an event added or edited) if it is a
    /// release for someone not in custody before it.
    pub(super) async fn before<T: WriteTx>(
        tx: &mut T,
        person: &PersonId,
        person_pk: i64,
        release: Option<&Event>,
    ) -> StoreResult<ReleaseGuard> {
        let timeline = rows::timeline(&tx.timeline_json(person_pk).await?)?;
        if let Some(event) = release {
            match release_allowed(&timeline, event) {
                Ok(()) => {}
                Err(Status::Unknown) => {
                    return Err(StoreError::Invalid(format!(
                        "`{person}` has no detention recorded before {}: a release needs the \
                         arrest first",
                        event.date
                    )))
                }
                Err(status) => {
                    return Err(StoreError::Invalid(format!(
                        "`{person}` is not in custody before {} (the timeline says {status}): \
                         a release needs a detention before it",
                        event.date
                    )))
                }
            }
        }
        Ok(ReleaseGuard {
            stranded: stranded_releases(&timeline).map(|e| e.id).collect(),
        })
    }

    /// Reads the timeline after the write: refuses it if it left a release
    /// without custody that had custody before (the caller's transaction
    /// is then dropped, and nothing is written), else stores the derived
    /// status.
    pub(super) async fn after<T: WriteTx>(
        self,
        tx: &mut T,
        person: &PersonId,
        person_pk: i64,
    ) -> StoreResult<()> {
        let timeline = rows::timeline(&tx.timeline_json(person_pk).await?)?;
        let newly = stranded_releases(&timeline).find(|e| !self.stranded.contains(&e.id));
        if let Some(release) = newly {
            return Err(StoreError::Invalid(format!(
                "this change would leave the release of {} of `{person}` without a detention \
                 before it: change or delete that release first",
                release.date
            )));
        }
        tx.set_status(person_pk, derive_status(&timeline)).await
    }
}
