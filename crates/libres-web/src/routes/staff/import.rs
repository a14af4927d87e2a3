//! `/staff/import`: importing a person file (CSV or XLSX) from the
//! browser, with the same reading and checks as `libres import persons`,
//! and a preview before anything is written.
//!
//! 1. `GET /staff/import`: the upload form.
//! 2. `POST /staff/import` (multipart): the file is written to a
//!    temporary file whose name the site chooses; the client's file name
//!    only tells the format (`.csv` or `.xlsx`, checked) and is never
//!    used as a path. The file is read and checked as the command line
//!    does; the preview shows how many persons it holds and every problem
//!    as line, column and message. A file without problems waits (see
//!    [`crate::uploads`]: one hour, for the session that sent it) and the
//!    preview carries an "Apply" form with its token.
//! 3. `POST /staff/import/apply`: imports the waiting file, with the staff
//!    member as the actor, in a job of its own (see [`crate::jobs`]), and
//!    sends the browser to
//! 4. `GET /staff/import/jobs/{token}`: what the import changed, or, while
//!    a large file is still being written, how far it is (the page reloads
//!    itself). A request timeout never cuts an import short.
//!
//! The upload route accepts bodies up to [`crate::Limits::max_upload_bytes`]
//! instead of the site's form limit (see `limits.rs`). Its CSRF token is a
//! field of the multipart body, which the guard does not read: the guard
//! hands the handler an [`Unchecked`] staff member, and the only way to
//! read the body, [`CheckedUpload`], checks the token first.

use super::{refusal, session, Staff, StaffBase};
use crate::error::WebError;
use crate::jobs::{Outcome, Refused as JobRefused};
use crate::state::SharedState;
use crate::uploads::{Refused, Upload, UPLOAD_LIFETIME_SECS};
use askama::Template;
use axum::extract::multipart::{Field, Multipart, MultipartError};
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use libres_app::import::{self, ImportOptions, Pass};
use libres_app::Silent;
use libres_core::UnixTime;
use libres_store::credentials::sha256_hex;
use libres_store::UpsertSummary;
use serde::Deserialize;
use std::io::Write as _;
use std::sync::Arc;
use std::time::Duration;

/// The path of the upload, the one route with the larger body limit.
pub(crate) const UPLOAD_PATH: &str = "/staff/import";

/// Whether a request is an upload (and gets the larger body limit).
pub(crate) fn is_upload(method: &Method, path: &str) -> bool {
    method == Method::POST && path == UPLOAD_PATH
}

/// Whether a request's body is `multipart/form-data`.
pub(crate) fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.get(..19)
                .is_some_and(|t| t.eq_ignore_ascii_case("multipart/form-data"))
        })
}

/// The answer to an upload over the limit: a page saying the limit, and
/// the connection closed (the body is not read).
pub(crate) fn too_large(max: usize) -> Response {
    too_large_saying(&format!(
        "This file is larger than the site accepts for an import ({}). Split it into smaller files, or import it with the libres import command.",
        import::human_bytes(max as u64)
    ))
}

/// A `413` page saying `message`, the connection closed after it and
/// nothing kept.
pub(super) fn too_large_saying(message: &str) -> Response {
    let mut res = refusal(StatusCode::PAYLOAD_TOO_LARGE, "File too large", message);
    let headers = res.headers_mut();
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A staff member whose multipart POST has not had its CSRF field
/// checked yet: what the guard leaves for a multipart body. Only
/// [`CheckedUpload`] reads it.
#[derive(Clone)]
pub(crate) struct Unchecked(pub Staff);

/// A multipart form whose first field, `csrf`, carried the session's
/// token: the staff member, and the rest of the form to read.
pub(crate) struct CheckedUpload {
    pub staff: Staff,
    pub form: Multipart,
}

impl<S: Send + Sync> FromRequest<S> for CheckedUpload {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Some(Unchecked(staff)) = req.extensions().get::<Unchecked>().cloned() else {
            // Not multipart (the guard has checked a urlencoded form), or
            // no guard at all: no file to read either way.
            return Err(refusal(
                StatusCode::BAD_REQUEST,
                "No file",
                "Send the file with the upload form of the import page.",
            ));
        };
        let mut form = Multipart::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let first = form.next_field().await;
        let sent = match first {
            Ok(Some(field)) if field.name() == Some("csrf") => small_text(field).await,
            Err(e) => return Err(multipart_error(&e)),
            _ => None,
        };
        match sent {
            Some(sent) if session::same_token(&sent, &staff.csrf) => Ok(CheckedUpload { staff, form }),
            _ => Err(refusal(
                StatusCode::FORBIDDEN,
                "Form expired",
                "This form did not carry this session's security token: it is from an older session, from another page, or not from this site. Go back, reload the page, and send it again.",
            )),
        }
    }
}

/// A short text field (at most 256 bytes), or `None`.
async fn small_text(mut field: Field<'_>) -> Option<String> {
    let mut bytes = Vec::new();
    while let Ok(Some(chunk)) = field.chunk().await {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > 256 {
            return None;
        }
    }
    String::from_utf8(bytes).ok()
}

/// The answer to a multipart body that could not be read.
pub(super) fn multipart_error(e: &MultipartError) -> Response {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            "File too large",
            "This file is larger than the site accepts here. Split it into smaller files (a person file can also be imported with the libres import command).",
        );
    }
    refusal(
        StatusCode::BAD_REQUEST,
        "Upload failed",
        "The file did not arrive whole. Send it again.",
    )
}

/// The import page, in each of its states.
#[derive(Template)]
#[template(path = "staff/import.html")]
struct ImportView {
    b: StaffBase,
    /// The file the preview is of, as the client named it.
    name: String,
    /// A problem with the file as a whole.
    error: Option<String>,
    /// The problems found, as `line N: column: message`.
    problems: Vec<String>,
    problem_count: usize,
    /// What the reading wants the user to know.
    notes: Vec<String>,
    /// Persons the file holds, when it was read.
    count: Option<u64>,
    /// The token of a file ready to apply.
    token: Option<String>,
    minutes: i64,
    /// What an applied import did.
    done: Option<UpsertSummary>,
    /// How far an import still running is.
    running: Option<String>,
}

impl ImportView {
    fn new(staff: &Staff) -> ImportView {
        ImportView {
            b: StaffBase::of(staff),
            name: String::new(),
            error: None,
            problems: Vec::new(),
            problem_count: 0,
            notes: Vec::new(),
            count: None,
            token: None,
            minutes: UPLOAD_LIFETIME_SECS / 60,
            done: None,
            running: None,
        }
    }

    fn answer(self, status: StatusCode) -> Result<Response, WebError> {
        Ok((status, Html(self.render()?)).into_response())
    }
}

/// `GET /staff/import`.
pub(crate) async fn page(staff: Staff) -> Result<Response, WebError> {
    ImportView::new(&staff).answer(StatusCode::OK)
}

/// The format a client's file name says, from its extension only.
fn extension(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1;
    if ext.eq_ignore_ascii_case("csv") {
        Some(".csv")
    } else if ext.eq_ignore_ascii_case("xlsx") {
        Some(".xlsx")
    } else {
        None
    }
}

/// What the `file` field of a checked upload came to.
pub(super) enum Received {
    /// Kept in the upload directory under a name the site chose; `name`
    /// is the client's, for messages only.
    File {
        name: String,
        file: tempfile::TempPath,
    },
    /// The form had no file.
    Missing,
    /// The client's file name is not `.csv` or `.xlsx`.
    WrongKind(String),
    /// The upload directory failed (logged).
    NotKept(String),
    /// The body broke off: the answer to send.
    Broken(Response),
}

/// The message for [`Received::WrongKind`].
pub(super) const CSV_OR_XLSX: &str =
    "Choose a .csv or .xlsx file (CSV UTF-8, or an Excel workbook).";

/// Reads the rest of `form`, keeping its first `file` field (a `.csv` or
/// `.xlsx`, by the client's name) in the upload directory.
pub(super) async fn receive_file(
    form: &mut Multipart,
    uploads: &crate::uploads::Uploads,
) -> Received {
    let mut received = Received::Missing;
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return received,
            Err(e) => return Received::Broken(multipart_error(&e)),
        };
        if field.name() != Some("file") || !matches!(received, Received::Missing) {
            continue;
        }
        let name = field.file_name().unwrap_or_default().to_owned();
        let Some(ext) = extension(&name) else {
            return Received::WrongKind(name);
        };
        received = match save(field, uploads, ext).await {
            Ok(Ok(file)) => Received::File { name, file },
            Ok(Err(res)) => return Received::Broken(res),
            Err(e) => {
                tracing::error!(error = %e, "could not keep an upload in the upload directory");
                return Received::NotKept(name);
            }
        };
    }
}

/// `POST /staff/import`: stores the file, reads it, shows the preview.
pub(crate) async fn upload(
    State(st): State<SharedState>,
    CheckedUpload { staff, mut form }: CheckedUpload,
) -> Result<Response, WebError> {
    let mut view = ImportView::new(&staff);
    let file = match receive_file(&mut form, &st.uploads).await {
        Received::File { name, file } => {
            view.name = name;
            file
        }
        Received::Missing => {
            view.error = Some("Choose a file to import.".into());
            return view.answer(StatusCode::UNPROCESSABLE_ENTITY);
        }
        Received::WrongKind(name) => {
            view.name = name;
            view.error = Some(CSV_OR_XLSX.to_owned());
            return view.answer(StatusCode::UNPROCESSABLE_ENTITY);
        }
        Received::NotKept(name) => {
            view.name = name;
            view.error =
                Some("The site could not keep the file for its preview. Try again later.".into());
            return view.answer(StatusCode::INTERNAL_SERVER_ERROR);
        }
        Received::Broken(res) => return Ok(res),
    };
    let options = options(&st);
    let path = file.to_path_buf();
    let read = tokio::task::spawn_blocking(move || {
        import::read_file(&path, &options, &mut Pass::counting(&Silent))
    })
    .await;
    // Messages name the file: by the name the user knows it by, never by
    // where the site keeps it.
    let shown = |text: String| text.replace(&file.display().to_string(), &view.name);
    let checked = match read {
        Ok(Ok(parsed)) => parsed,
        Ok(Err(e)) => {
            view.error = Some(shown(format!("{e:#}")));
            return view.answer(StatusCode::UNPROCESSABLE_ENTITY);
        }
        Err(e) => {
            tracing::error!(error = %e, "the import reader stopped");
            view.error = Some("The file could not be read. Try again.".into());
            return view.answer(StatusCode::INTERNAL_SERVER_ERROR);
        }
    };
    view.count = Some(checked.count);
    view.notes = checked.notes.iter().cloned().map(shown).collect();
    if !checked.problems.is_empty() {
        view.problem_count = checked.problems.len();
        view.problems = import::problem_report(&checked.problems);
        return view.answer(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let now = st.clock.now();
    view.token = Some(st.uploads.keep(
        Upload {
            file,
            owner: sha256_hex(&staff.token),
            expires_at: UnixTime(now.0.saturating_add(UPLOAD_LIFETIME_SECS)),
            checked,
        },
        now,
    ));
    view.answer(StatusCode::OK)
}

/// The import's options: the upload limit is the file limit.
fn options(st: &SharedState) -> ImportOptions {
    ImportOptions {
        max_bytes: st.limits.max_upload_bytes as u64,
    }
}

/// Writes a file field to a new file of the upload directory, named by
/// the site, ending in `ext`.
async fn save(
    mut field: Field<'_>,
    uploads: &crate::uploads::Uploads,
    ext: &str,
) -> std::io::Result<Result<tempfile::TempPath, Response>> {
    let mut out = tempfile::Builder::new()
        .prefix(crate::uploads::FILE_PREFIX)
        .suffix(ext)
        .tempfile_in(uploads.dir()?)?;
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => out.write_all(&chunk)?,
            Ok(None) => break,
            Err(e) => return Ok(Err(multipart_error(&e))),
        }
    }
    out.flush()?;
    Ok(Ok(out.into_temp_path()))
}

/// The apply form.
#[derive(Deserialize)]
pub(crate) struct ApplyForm {
    token: String,
}

/// How long a request waits for an import it follows before it shows
/// the progress instead: well inside the request timeout.
fn follow_wait(st: &SharedState) -> Duration {
    (st.limits.request_timeout / 2).min(Duration::from_secs(10))
}

/// `POST /staff/import/apply`: starts importing the file the preview was
/// of, in a job of its own, and sends the browser to the job's page.
pub(crate) async fn apply(
    State(st): State<SharedState>,
    staff: Staff,
    Form(form): Form<ApplyForm>,
) -> Result<Response, WebError> {
    let owner = sha256_hex(&staff.token);
    let upload = match st.uploads.take(&form.token, &owner, st.clock.now()) {
        Ok(u) => u,
        Err(Refused::Gone) => return Ok(refusal(
            StatusCode::GONE,
            "Upload expired",
            "This upload has expired or was already applied. Upload the file again to import it.",
        )),
        Err(Refused::NotYours) => {
            return Ok(refusal(
                StatusCode::FORBIDDEN,
                "Not your upload",
                "This upload was sent from another session. Upload the file again to import it.",
            ))
        }
    };
    let options = options(&st);
    let store = Arc::clone(&st.staff);
    let actor = staff.user.email.as_str().to_owned();
    let (token, _) = st
        .imports
        .start(owner, st.clock.now(), move |progress| async move {
            let done = import::import(
                &*store,
                &upload.file,
                &options,
                &upload.checked,
                &actor,
                progress,
            )
            .await;
            match done {
                Ok(summary) => Outcome::Done(summary),
                Err(e) => {
                    let file = upload.file.display().to_string();
                    Outcome::Failed(
                        format!("Nothing was imported: {e:#}").replace(&file, "the file"),
                    )
                }
            }
            // The upload's file goes when the job ends.
        });
    Ok(Redirect::to(&format!("{UPLOAD_PATH}/jobs/{token}")).into_response())
}

/// `GET /staff/import/jobs/{token}`: the outcome of an import this
/// session applied, after waiting a few seconds for it; while it runs,
/// how far it is, on a page that reloads itself.
pub(crate) async fn job(
    State(st): State<SharedState>,
    staff: Staff,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let job = match st
        .imports
        .get(&token, &sha256_hex(&staff.token), st.clock.now())
    {
        Ok(j) => j,
        Err(JobRefused::Gone) => return Err(WebError::NotFound),
        Err(JobRefused::NotYours) => {
            return Ok(refusal(
                StatusCode::FORBIDDEN,
                "Not your import",
                "This import was applied from another session.",
            ))
        }
    };
    let mut view = ImportView::new(&staff);
    match job.wait(follow_wait(&st)).await {
        Some(Outcome::Done(summary)) => {
            view.count = Some(summary.created + summary.updated + summary.unchanged);
            view.done = Some(summary);
            view.answer(StatusCode::OK)
        }
        Some(Outcome::Failed(why)) => {
            view.error = Some(why);
            view.answer(StatusCode::UNPROCESSABLE_ENTITY)
        }
        None => {
            view.running = Some(job.step().describe());
            view.answer(StatusCode::OK)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_extension_of_a_client_name_counts_and_only_two_are_taken() {
        assert_eq!(extension("../../etc/passwd.csv"), Some(".csv"));
        assert_eq!(extension("..\\x.XLSX"), Some(".xlsx"));
        assert_eq!(extension("list.csv.exe"), None);
        assert_eq!(extension("csv"), None);
        assert_eq!(extension("a.xls"), None);
        assert_eq!(extension(""), None);
    }

    #[test]
    fn multipart_is_told_by_the_content_type() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("Multipart/Form-Data; boundary=x"),
        );
        assert!(is_multipart(&h));
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        assert!(!is_multipart(&h));
        assert!(is_upload(&Method::POST, "/staff/import"));
        assert!(!is_upload(&Method::POST, "/staff/import/apply"));
        assert!(!is_upload(&Method::GET, "/staff/import"));
    }

    #[test]
    fn a_running_import_shows_its_step_and_reloads_and_a_finished_one_does_not() {
        let mut view = ImportView {
            b: StaffBase::anonymous(),
            ..blank()
        };
        view.running = Some("writing persons: 50 of 200 (25%)".into());
        let html = view.render().unwrap();
        assert!(
            html.contains(r#"<meta http-equiv="refresh" content="3">"#),
            "{html}"
        );
        assert!(html.contains("The import is running: writing persons: 50 of 200 (25%)."));
        let done = ImportView {
            b: StaffBase::anonymous(),
            done: Some(UpsertSummary::default()),
            ..blank()
        };
        assert!(!done.render().unwrap().contains("http-equiv"));
    }

    fn blank() -> ImportView {
        ImportView {
            b: StaffBase::anonymous(),
            name: String::new(),
            error: None,
            problems: Vec::new(),
            problem_count: 0,
            notes: Vec::new(),
            count: None,
            token: None,
            minutes: 60,
            done: None,
            running: None,
        }
    }

    #[test]
    fn the_too_large_page_says_the_limit_and_closes() {
        let res = too_large(2 * 1024 * 1024);
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(res.headers()[header::CONNECTION], "close");
    }
}
