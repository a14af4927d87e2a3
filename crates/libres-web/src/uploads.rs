//! Files uploaded for import, between their preview and their
//! application.
//!
//! An upload is kept in a temporary file whose name the site chooses
//! (random, in the system's temporary directory), under a random token,
//! with the hash of the session that sent it and the time it expires.
//! Only that session can apply it, once, before it expires; a session
//! keeps one upload at a time (a new one replaces the old). The file is
//! removed when its entry goes: applied, replaced, expired or at exit.
//!
//! Below the routes: nothing here knows a route or a page.

use libres_app::import::Parsed;
use libres_core::UnixTime;
use std::collections::HashMap;
use std::sync::Mutex;
use tempfile::TempPath;

/// How long an upload waits to be applied.
pub(crate) const UPLOAD_LIFETIME_SECS: i64 = 3600;

/// One upload, checked and waiting.
pub(crate) struct Upload {
    /// The file, removed when this is dropped.
    pub file: TempPath,
    /// The hash of the session token that uploaded it.
    pub owner: String,
    /// When it stops being accepted.
    pub expires_at: UnixTime,
    /// What the first reading found (no problems).
    pub checked: Parsed,
}

/// Why an upload cannot be applied.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// No such token, or expired, or already applied.
    Gone,
    /// Another session's upload.
    NotYours,
}

/// The uploads waiting, by token.
#[derive(Default)]
pub(crate) struct Uploads {
    waiting: Mutex<HashMap<String, Upload>>,
}

impl Uploads {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Upload>> {
        self.waiting.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keeps `upload` and returns its token; drops the expired uploads
    /// and any other upload of the same session.
    pub fn keep(&self, upload: Upload, now: UnixTime) -> String {
        let token = libres_store::credentials::random_token();
        let gone: Vec<Upload> = {
            let mut waiting = self.lock();
            let stale: Vec<String> = waiting
                .iter()
                .filter(|(_, u)| u.expires_at.0 <= now.0 || u.owner == upload.owner)
                .map(|(t, _)| t.clone())
                .collect();
            let gone = stale.iter().filter_map(|t| waiting.remove(t)).collect();
            waiting.insert(token.clone(), upload);
            gone
        };
        // Files are removed outside the lock.
        drop(gone);
        token
    }

    /// Takes the upload `token` for the session whose token hash is
    /// `owner`: it can be applied once.
    pub fn take(&self, token: &str, owner: &str, now: UnixTime) -> Result<Upload, Refused> {
        let mut waiting = self.lock();
        match waiting.get(token) {
            None => Err(Refused::Gone),
            Some(u) if u.expires_at.0 <= now.0 => {
                let expired = waiting.remove(token);
                drop(waiting);
                drop(expired);
                Err(Refused::Gone)
            }
            Some(u) if u.owner != owner => Err(Refused::NotYours),
            Some(_) => waiting.remove(token).ok_or(Refused::Gone),
        }
    }

    /// How many uploads are waiting.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(owner: &str, expires_at: i64) -> (Upload, std::path::PathBuf) {
        let file = tempfile::NamedTempFile::new().unwrap().into_temp_path();
        let path = file.to_path_buf();
        let upload = Upload {
            file,
            owner: owner.into(),
            expires_at: UnixTime(expires_at),
            checked: Parsed::default(),
        };
        (upload, path)
    }

    #[test]
    fn an_upload_is_taken_once_by_its_session_before_it_expires() {
        let uploads = Uploads::default();
        let (u, path) = upload("a", 100);
        let token = uploads.keep(u, UnixTime(0));
        assert_eq!(
            uploads.take(&token, "b", UnixTime(1)).err(),
            Some(Refused::NotYours)
        );
        let taken = uploads.take(&token, "a", UnixTime(1)).unwrap();
        assert!(path.exists());
        drop(taken);
        assert!(!path.exists(), "the file goes with the upload");
        assert_eq!(
            uploads.take(&token, "a", UnixTime(1)).err(),
            Some(Refused::Gone)
        );

        let (u, path) = upload("a", 100);
        let token = uploads.keep(u, UnixTime(0));
        assert_eq!(
            uploads.take(&token, "a", UnixTime(100)).err(),
            Some(Refused::Gone)
        );
        assert!(!path.exists(), "an expired upload's file is removed");
    }

    #[test]
    fn a_new_upload_replaces_the_sessions_last_and_expired_ones_go() {
        let uploads = Uploads::default();
        let (first, first_path) = upload("a", 100);
        uploads.keep(first, UnixTime(0));
        let (other, other_path) = upload("b", 50);
        uploads.keep(other, UnixTime(0));
        let (second, _) = upload("a", 200);
        uploads.keep(second, UnixTime(60));
        assert_eq!(uploads.len(), 1);
        assert!(!first_path.exists() && !other_path.exists());
    }
}
