//! Files uploaded for import, between their preview and their
//! application.
//!
//! An upload is kept in a file whose name the site chooses (random,
//! `libres-upload-…`), under a random token, with the hash of the session
//! that sent it and the time it expires. Only that session can apply it,
//! once, before it expires; a session keeps one upload at a time (a new
//! one replaces the old). The file is removed when its entry goes:
//! applied, replaced, expired or at exit.
//!
//! An import file can hold relatives' contacts, so the files live in a
//! directory that only the server's user can enter: the one the operator
//! chose (`--upload-dir`, on the same encrypted disk as the database),
//! where files a crashed run left behind are removed at start, or else a
//! private directory made in the system's temporary directory and removed
//! at exit.
//!
//! Below the routes: nothing here knows a route or a page.

use libres_app::import::Parsed;
use libres_core::UnixTime;
use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tempfile::{TempDir, TempPath};

/// How every upload file's name begins: what is removed at start.
pub(crate) const FILE_PREFIX: &str = "libres-upload-";

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

/// The uploads waiting, by token, and where their files are.
pub(crate) struct Uploads {
    waiting: Mutex<HashMap<String, Upload>>,
    place: Place,
}

/// Where upload files are written.
enum Place {
    /// The directory the operator chose.
    Chosen(PathBuf),
    /// A private temporary directory, made on first use, removed at exit.
    Private(Mutex<Option<TempDir>>),
}

impl Default for Uploads {
    fn default() -> Self {
        Uploads::new(None)
    }
}

impl Uploads {
    /// Uploads written to `dir`, or (`None`) to a private temporary
    /// directory. Nothing is touched before [`Uploads::prepare`] or the
    /// first upload.
    pub fn new(dir: Option<PathBuf>) -> Uploads {
        Uploads {
            waiting: Mutex::default(),
            place: match dir {
                Some(d) => Place::Chosen(d),
                None => Place::Private(Mutex::new(None)),
            },
        }
    }

    /// Makes the directory ready, as a server does before it listens:
    /// creates it if missing (only its owner may enter), refuses one that
    /// other users can read, and removes the upload files a previous run
    /// left in it (uploads do not outlive the server). Returns how many
    /// files were removed.
    pub fn prepare(&self) -> io::Result<usize> {
        let dir = self.dir()?;
        let mut removed = 0;
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let leftover = entry.file_name().to_string_lossy().starts_with(FILE_PREFIX);
            if leftover && entry.file_type()?.is_file() {
                std::fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// The directory upload files go to, made ready on first use.
    pub fn dir(&self) -> io::Result<PathBuf> {
        match &self.place {
            Place::Chosen(d) => {
                private_dir(d)?;
                Ok(d.clone())
            }
            Place::Private(made) => {
                let mut made = made.lock().unwrap_or_else(|p| p.into_inner());
                if made.is_none() {
                    *made = Some(
                        tempfile::Builder::new()
                            .prefix("libres-uploads-")
                            .tempdir()?,
                    );
                }
                Ok(made
                    .as_ref()
                    .map(|d| d.path().to_path_buf())
                    .unwrap_or_default())
            }
        }
    }

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

/// Creates `dir` (and its parents) if missing, with only its owner
/// allowed in; an existing directory that other users can read, write or
/// enter is refused rather than changed (it may be shared, like `/tmp`).
fn private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| at(dir, e))?;
    let meta = std::fs::metadata(dir).map_err(|e| at(dir, e))?;
    if !meta.is_dir() {
        return Err(at(dir, io::Error::other("not a directory")));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(at(
                dir,
                io::Error::other(format!(
                    "other users may enter it (mode {mode:o}); give a directory only this \
                     user can enter (chmod 700), or a path that does not exist yet"
                )),
            ));
        }
    }
    Ok(())
}

/// `e`, saying which upload directory it is about.
fn at(dir: &Path, e: io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!("the upload directory {}: {e}", dir.display()),
    )
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

    #[test]
    fn a_chosen_directory_is_made_private_and_cleared_of_leftovers_at_start() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a").join("uploads");
        let uploads = Uploads::new(Some(dir.clone()));
        assert_eq!(uploads.prepare().unwrap(), 0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        std::fs::write(dir.join("libres-upload-old.csv"), "id\n").unwrap();
        std::fs::write(dir.join("notes.txt"), "kept").unwrap();
        assert_eq!(Uploads::new(Some(dir.clone())).prepare().unwrap(), 1);
        assert!(!dir.join("libres-upload-old.csv").exists());
        assert!(
            dir.join("notes.txt").exists(),
            "only upload files are removed"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_directory_others_can_enter_is_refused_and_left_as_it_is() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let shared = root.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o755)).unwrap();
        let err = Uploads::new(Some(shared.clone())).prepare().unwrap_err();
        assert!(
            err.to_string()
                .contains("other users may enter it (mode 755)"),
            "{err}"
        );
        let mode = std::fs::metadata(&shared).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o755);
    }

    #[test]
    fn the_private_directory_goes_with_the_server() {
        let uploads = Uploads::new(None);
        let dir = uploads.dir().unwrap();
        assert!(dir.is_dir());
        assert_eq!(uploads.dir().unwrap(), dir, "made once");
        drop(uploads);
        assert!(!dir.exists());
    }
}
