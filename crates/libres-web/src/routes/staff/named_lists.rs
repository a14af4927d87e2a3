//! The named list of an announcement and its review queue.
//!
//! - `GET /staff/announcements/{id}/names[?show=pending|all&page=N&job=…]`:
//!   the names, 100 a page, pending ones first by default, each with the
//!   matcher's proposal labelled as the machine's, and what a person
//!   decided;
//! - `POST …/names`: a list pasted one name a line;
//! - `POST …/names/upload` (multipart): a CSV or XLSX file (see
//!   [`libres_app::named_list`] for the columns it reads);
//! - `POST …/names/decide`: the names checked on a page, confirmed with
//!   the person the machine proposed, or rejected;
//! - `POST …/names/{name}`: one name confirmed (with the proposed person
//!   or another) or rejected.
//!
//! A new list is matched in a job of its own (see [`crate::jobs`]): the
//! page follows it and reloads itself while it runs. A list with decided
//! names is never replaced. Every decision is one audited write; a name
//! that another editor decided first is a `409` saying who. A name that
//! is nobody on the registry yet gets a "New person" link: the person
//! form, filled from the list, confirms the name with the person it
//! creates.
//!
//! Reading needs [`Permission::ReadRegistry`]; lists and decisions need
//! [`Permission::Publish`]: a confirmed name is counted on the public
//! page at once.

use super::announcements::stored;
use super::import::{receive_file, CheckedUpload, Received, CSV_OR_XLSX};
use super::persons::check_text;
use super::{Staff, StaffBase, PREFIX};
use crate::error::WebError;
use crate::jobs::Outcome;
use crate::state::SharedState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use libres_app::named_list::{self, NamedList};
use libres_core::{Announcement, ListedName, Permission, PersonId, Review};
use libres_store::credentials::sha256_hex;
use libres_store::StoreError;
use serde::Deserialize;

/// Names a page shows.
pub(crate) const PAGE: usize = 100;

/// Whether a request is a named list's file upload (it gets the upload
/// body limit): `POST /staff/announcements/{id}/names/upload`.
pub(crate) fn is_upload(method: &Method, path: &str) -> bool {
    method == Method::POST
        && path
            .strip_prefix("/staff/announcements/")
            .and_then(|rest| rest.strip_suffix("/names/upload"))
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

/// The largest body a list file's upload may send: the list file limit,
/// and room for the form around it; never more than the site's upload
/// limit.
pub(crate) fn max_upload_bytes(site_limit: usize) -> usize {
    let list = usize::try_from(named_list::MAX_FILE_BYTES).unwrap_or(usize::MAX);
    site_limit.min(list.saturating_add(64 << 10))
}

/// The answer to a list file over the limit: a page saying the limit,
/// and the connection closed (the body is not read).
pub(crate) fn too_large(max: usize) -> Response {
    super::import::too_large_saying(&format!(
        "This file is larger than a named list may be ({}). A list of 20,000 names is far \
         smaller: save only the columns of names, years and provinces, or split the list.",
        libres_app::import::human_bytes(max as u64)
    ))
}

/// The names page.
#[derive(Template)]
#[template(path = "staff/announcement_names.html")]
struct NamesView {
    b: StaffBase,
    id: i64,
    title: String,
    /// The names of this page.
    names: Vec<ListedName>,
    /// Names on the list, and those still pending.
    total: usize,
    pending: usize,
    /// `pending` or `all`.
    show: &'static str,
    page: usize,
    pages: usize,
    can_decide: bool,
    /// A list being matched: its step.
    running: Option<String>,
    /// The last matching's outcome.
    message: Option<String>,
    /// What the reading of the list wants the editor to know.
    notes: Vec<String>,
    /// A problem with a form.
    error: Option<String>,
    pasted: String,
}

impl NamesView {
    fn score(&self, n: &ListedName) -> String {
        format!("{:.3}", f64::from(n.score_ppm) / 1e6)
    }

    /// The address of another page of the same view.
    fn page_link(&self, page: usize) -> String {
        format!(
            "{PREFIX}/announcements/{}/names?show={}&page={page}",
            self.id, self.show
        )
    }
}

/// `?show=&page=&job=`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct NamesQuery {
    job: String,
    show: String,
    page: String,
}

/// The page in its state; `error` and `pasted` come from a refused form.
#[allow(clippy::too_many_arguments)]
async fn names_page(
    st: &SharedState,
    staff: &Staff,
    a: &Announcement,
    q: &NamesQuery,
    error: Option<String>,
    pasted: String,
    status: StatusCode,
) -> Result<Response, WebError> {
    let (mut running, mut message, mut notes) = (None, None, Vec::new());
    let mut error = error;
    let job = q.job.trim();
    if !job.is_empty() {
        match st.lists.get(job, &sha256_hex(&staff.token), st.clock.now()) {
            Ok(j) => match j.wait(std::time::Duration::from_secs(5)).await {
                Some(Outcome::Done((n, said))) => {
                    message = Some(format!(
                        "{n} names matched: each has the matcher's proposal, pending a person's decision."
                    ));
                    notes = said;
                }
                Some(Outcome::Failed(why)) => error = Some(why),
                None => running = Some(j.step().describe()),
            },
            // An hour has passed, or the site restarted: the page shows
            // what was kept.
            Err(_) => {
                notes.push(
                    "That matching is no longer followed (an hour has passed, or the site \
                     restarted). The list below is what was kept."
                        .to_owned(),
                );
            }
        }
    }
    let all = st.staff.named_list(a.id).await?;
    let pending = all.iter().filter(|n| n.review == Review::Pending).count();
    let show = if q.show == "all" { "all" } else { "pending" };
    let shown: Vec<ListedName> = all
        .iter()
        .filter(|n| show == "all" || n.review == Review::Pending)
        .cloned()
        .collect();
    let pages = shown.len().div_ceil(PAGE).max(1);
    let page = q.page.trim().parse::<usize>().unwrap_or(1).clamp(1, pages);
    let view = NamesView {
        b: StaffBase::of(staff),
        id: a.id,
        title: a
            .text_in("en")
            .map(|(t, _)| t.title.clone())
            .unwrap_or_default(),
        names: shown
            .into_iter()
            .skip((page - 1) * PAGE)
            .take(PAGE)
            .collect(),
        total: all.len(),
        pending,
        show,
        page,
        pages,
        can_decide: staff.user.role.can(Permission::Publish),
        running,
        message,
        notes,
        error,
        pasted,
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// `GET /staff/announcements/{id}/names`.
pub(crate) async fn names(
    State(st): State<SharedState>,
    staff: Staff,
    Path(raw): Path<String>,
    Query(q): Query<NamesQuery>,
) -> Result<Response, WebError> {
    let a = stored(&st, &raw).await?;
    names_page(&st, &staff, &a, &q, None, String::new(), StatusCode::OK).await
}

/// The names page with a refused list's reason (`422`).
async fn refused_list(
    st: &SharedState,
    staff: &Staff,
    a: &Announcement,
    why: String,
    pasted: String,
) -> Result<Response, WebError> {
    names_page(
        st,
        staff,
        a,
        &NamesQuery::default(),
        Some(why),
        pasted,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// The first name or province of `list` that a text field may not hold
/// (control characters, lengths), with its line.
fn unfit(list: &NamedList) -> Option<String> {
    list.names.iter().find_map(|n| {
        let mut problems = Vec::new();
        check_text(&mut problems, "name", &n.entry.full_name);
        check_text(&mut problems, "province", &n.entry.province);
        check_text(&mut problems, "number", &n.entry.row_id);
        if n.entry.row_id.chars().count() > 64 {
            problems.push(libres_core::FieldError::new(
                "number",
                "is longer than 64 characters",
            ));
        }
        problems.first().map(|p| format!("line {}: {p}", n.line))
    })
}

/// Matches `list` in a job of its own, then keeps it as the
/// announcement's list; back to the names page, which follows the job.
async fn start_matching(
    st: &SharedState,
    staff: &Staff,
    a: &Announcement,
    list: NamedList,
    pasted: String,
) -> Result<Response, WebError> {
    // Refused before minutes of matching: a list with decided names stays.
    if let Some(why) = libres_core::announcement::list_kept(&st.staff.named_list(a.id).await?) {
        return refused_list(st, staff, a, format!("{why}."), pasted).await;
    }
    // One list at a time per announcement: else the slower of two would
    // replace the other when it ends.
    let Some(running) = Matching::start(st, a.id) else {
        let why = "A list is being matched for this announcement already: wait until it is \
                   done, then send this one again."
            .to_owned();
        return refused_list(st, staff, a, why, pasted).await;
    };
    let store = std::sync::Arc::clone(&st.staff);
    let actor = staff.user.email.as_str().to_owned();
    let id = a.id;
    let (token, _) = st.lists.start(
        sha256_hex(&staff.token),
        st.clock.now(),
        move |progress| async move {
            let _running = running;
            progress.begin(
                "matching names",
                Some(list.names.len() as u64),
                libres_app::Unit::Items,
            );
            let notes = list.notes();
            let proposed = match libres_app::linkage::propose(store.as_ref(), list).await {
                Ok(p) => p,
                Err(e) => return Outcome::Failed(format!("The names were not matched: {e:#}")),
            };
            progress.end();
            let n = proposed.len();
            match store.set_named_list(id, &proposed, &actor).await {
                Ok(()) => Outcome::Done((n, notes)),
                Err(e) => Outcome::Failed(format!("The list was not kept: {e}")),
            }
        },
    );
    Ok(Redirect::to(&format!("{PREFIX}/announcements/{id}/names?job={token}")).into_response())
}

/// An announcement whose list is being matched, until dropped.
struct Matching {
    st: SharedState,
    id: i64,
}

impl Matching {
    /// Marks announcement `id` as matching a list, unless it is already.
    fn start(st: &SharedState, id: i64) -> Option<Matching> {
        let mut running = st.matching.lock().unwrap_or_else(|p| p.into_inner());
        running.insert(id).then(|| Matching {
            st: std::sync::Arc::clone(st),
            id,
        })
    }
}

impl Drop for Matching {
    fn drop(&mut self) {
        let mut running = self.st.matching.lock().unwrap_or_else(|p| p.into_inner());
        running.remove(&self.id);
    }
}

/// The pasted list as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct PastedForm {
    names: String,
}

/// `POST /staff/announcements/{id}/names`: a pasted list.
pub(crate) async fn set_names(
    State(st): State<SharedState>,
    staff: Staff,
    Path(raw): Path<String>,
    Form(form): Form<PastedForm>,
) -> Result<Response, WebError> {
    let a = stored(&st, &raw).await?;
    let list = match named_list::pasted(&form.names) {
        Ok(list) => list,
        Err(e) => return refused_list(&st, &staff, &a, format!("{e:#}"), form.names).await,
    };
    if list.names.is_empty() {
        let why = "Paste the names, one per line.".to_owned();
        return refused_list(&st, &staff, &a, why, form.names).await;
    }
    if let Some(why) = unfit(&list) {
        return refused_list(&st, &staff, &a, why, form.names).await;
    }
    start_matching(&st, &staff, &a, list, form.names).await
}

/// `POST /staff/announcements/{id}/names/upload`: a list file.
pub(crate) async fn upload(
    State(st): State<SharedState>,
    Path(raw): Path<String>,
    CheckedUpload { staff, mut form }: CheckedUpload,
) -> Result<Response, WebError> {
    let a = stored(&st, &raw).await?;
    let (name, file) = match receive_file(&mut form, &st.uploads).await {
        Received::File { name, file } => (name, file),
        Received::Missing => {
            let why = "Choose a file of names.".to_owned();
            return refused_list(&st, &staff, &a, why, String::new()).await;
        }
        Received::WrongKind(_) => {
            let why = CSV_OR_XLSX.to_owned();
            return refused_list(&st, &staff, &a, why, String::new()).await;
        }
        Received::NotKept(_) => return Ok(unreadable()),
        Received::Broken(res) => return Ok(res),
    };
    let path = file.to_path_buf();
    let max = st.limits.max_upload_bytes as u64;
    let read = tokio::task::spawn_blocking(move || named_list::read_file(&path, max)).await;
    // Messages name the file as the editor knows it, never where the site
    // keeps it.
    let shown = |text: String| text.replace(&file.display().to_string(), &name);
    let list = match read {
        Ok(Ok(list)) => list,
        Ok(Err(e)) => {
            return refused_list(&st, &staff, &a, shown(format!("{e:#}")), String::new()).await
        }
        Err(e) => {
            tracing::error!(error = %e, "the list reader stopped");
            return Ok(unreadable());
        }
    };
    drop(file);
    if let Some(why) = unfit(&list) {
        return refused_list(&st, &staff, &a, format!("{name}: {why}"), String::new()).await;
    }
    start_matching(&st, &staff, &a, list, String::new()).await
}

/// The answer when the site could not keep or read an uploaded list.
fn unreadable() -> Response {
    super::refusal(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Upload failed",
        "The site could not keep or read the file. Try again later.",
    )
}

/// A decision as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct DecisionForm {
    /// `confirmed` or `rejected`.
    review: String,
    /// The registry person a confirmed name is.
    person: String,
}

/// `confirmed` or `rejected`, or a 404.
fn review_of(text: &str) -> Result<Review, WebError> {
    match text.trim() {
        "confirmed" => Ok(Review::Confirmed),
        "rejected" => Ok(Review::Rejected),
        _ => Err(WebError::NotFound),
    }
}

/// `POST /staff/announcements/{id}/names/{name}`: confirms or rejects
/// one name. A name someone else decided meanwhile is a `409` saying who.
pub(crate) async fn decide(
    State(st): State<SharedState>,
    staff: Staff,
    Path((raw, name)): Path<(String, String)>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, WebError> {
    let a = stored(&st, &raw).await?;
    let name = super::cases::key(&name)?;
    let review = review_of(&form.review)?;
    let person = match (review, form.person.trim()) {
        (Review::Confirmed, p) => match PersonId::parse(p) {
            Ok(p) => Some(p),
            Err(_) => {
                let why = format!(
                    "`{p}` is not a person id: confirm a name with the registry person it names."
                );
                return refused_list(&st, &staff, &a, why, String::new()).await;
            }
        },
        _ => None,
    };
    match decided(&st, &staff, &a, name, review, person.as_ref()).await? {
        None => Ok(back_to_queue(a.id)),
        Some((status, why)) => {
            names_page(
                &st,
                &staff,
                &a,
                &NamesQuery::default(),
                Some(why),
                String::new(),
                status,
            )
            .await
        }
    }
}

/// `303` back to the queue.
fn back_to_queue(id: i64) -> Response {
    Redirect::to(&format!("{PREFIX}/announcements/{id}/names")).into_response()
}

/// Records one decision; a refusal the editor must read comes back as
/// its status and sentence.
async fn decided(
    st: &SharedState,
    staff: &Staff,
    a: &Announcement,
    name: i64,
    review: Review,
    person: Option<&PersonId>,
) -> Result<Option<(StatusCode, String)>, WebError> {
    match st
        .staff
        .decide_name(a.id, name, review, person, staff.user.email.as_str())
        .await
    {
        Ok(()) => Ok(None),
        Err(StoreError::Invalid(why)) => Ok(Some((StatusCode::CONFLICT, why))),
        Err(StoreError::NotFound(what)) if what.starts_with("person") => Ok(Some((
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("There is no {what} on the registry."),
        ))),
        Err(StoreError::NotFound(_)) => Err(WebError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// `POST /staff/announcements/{id}/names/decide`: the checked names
/// (`name=ID`, repeated) confirmed with the person the machine proposed,
/// or rejected, each as its own audited decision. Names decided by
/// someone else meanwhile, or without a proposal to confirm, are left as
/// they are and listed.
pub(crate) async fn decide_checked(
    State(st): State<SharedState>,
    staff: Staff,
    Path(raw): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let a = stored(&st, &raw).await?;
    let mut review = None;
    let mut checked = Vec::new();
    for (k, v) in &fields {
        match k.as_str() {
            "review" => review = Some(review_of(v)?),
            "name" => checked.push(super::cases::key(v)?),
            _ => {}
        }
    }
    let Some(review) = review else {
        return Err(WebError::NotFound);
    };
    if checked.is_empty() {
        let why = "Check the names to decide first.".to_owned();
        return refused_list(&st, &staff, &a, why, String::new()).await;
    }
    if checked.len() > PAGE {
        let why = format!("Check at most {PAGE} names at a time (a page's worth).");
        return refused_list(&st, &staff, &a, why, String::new()).await;
    }
    let list = st.staff.named_list(a.id).await?;
    // Every checked name is found before anything is decided.
    let mut found = Vec::with_capacity(checked.len());
    for name in checked {
        match list.iter().find(|n| n.id == name) {
            Some(n) => found.push(n),
            None => return Err(WebError::NotFound),
        }
    }
    let mut left = Vec::new();
    for n in found {
        let name = n.id;
        if n.review != Review::Pending {
            left.push(format!(
                "line {}: {} was {} already by {}",
                n.line,
                n.full_name,
                n.review,
                n.decided_by.as_deref().unwrap_or("someone")
            ));
            continue;
        }
        let person = match review {
            Review::Confirmed => match &n.proposed {
                Some(p) => Some(p),
                None => {
                    left.push(format!(
                        "line {} ({}): no proposal to confirm",
                        n.line, n.full_name
                    ));
                    continue;
                }
            },
            _ => None,
        };
        if let Some((_, why)) = decided(&st, &staff, &a, name, review, person).await? {
            left.push(format!("line {}: {why}", n.line));
        }
    }
    if left.is_empty() {
        return Ok(back_to_queue(a.id));
    }
    let why = format!(
        "The other checked names were decided; these were left as they are: {}.",
        left.join("; ")
    );
    names_page(
        &st,
        &staff,
        &a,
        &NamesQuery::default(),
        Some(why),
        String::new(),
        StatusCode::CONFLICT,
    )
    .await
}

/// A listed name's parts as a person form would take them: "SURNAMES,
/// GIVEN" split at its comma, else the last two words as the surnames;
/// written as names are written (Capitalised), not as lists shout them.
pub(crate) fn name_parts(full: &str) -> (String, String, String) {
    let capital = |w: &str| {
        let lower = w.to_lowercase();
        let mut chars = lower.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect::<String>())
            .unwrap_or_default()
    };
    let words = |s: &str| -> Vec<String> { s.split_whitespace().map(capital).collect() };
    let (given, surnames) = match full.split_once(',') {
        Some((surnames, given)) => (words(given), words(surnames)),
        None => {
            let all = words(full);
            let at = all.len().saturating_sub(2).max(usize::from(all.len() > 1));
            (all[..at].to_vec(), all[at..].to_vec())
        }
    };
    let (s1, s2) = match surnames.split_first() {
        Some((first, rest)) => (first.clone(), rest.join(" ")),
        None => (String::new(), String::new()),
    };
    (given.join(" "), s1, s2)
}

/// The pending name `name` of announcement `raw` that a new person is
/// made for, and the announcement; a 404 when either is gone, a `409`
/// page when the name is decided.
pub(crate) async fn pending_name(
    st: &SharedState,
    staff: &Staff,
    raw: &str,
    name: &str,
) -> Result<(Announcement, ListedName), Response> {
    // Deciding a name needs the right to publish; the person form alone
    // does not.
    if !staff.user.role.can(Permission::Publish) {
        return Err(WebError::NotFound.into_response());
    }
    let found = async {
        let a = stored(st, raw).await?;
        let id = super::cases::key(name)?;
        let n = st
            .staff
            .named_list(a.id)
            .await?
            .into_iter()
            .find(|n| n.id == id)
            .ok_or(WebError::NotFound)?;
        Ok::<_, WebError>((a, n))
    };
    let (a, n) = found.await.map_err(IntoResponse::into_response)?;
    if n.review != Review::Pending {
        return Err(super::refusal(
            StatusCode::CONFLICT,
            "Name decided",
            &format!(
                "{} was {} already by {}: no new person is made for it.",
                n.full_name,
                n.review,
                n.decided_by.as_deref().unwrap_or("someone")
            ),
        ));
    }
    Ok((a, n))
}

/// After a new person is saved from the queue: the name confirmed with
/// them, and back to the queue; or, when the name was decided meanwhile,
/// the queue saying so (the person stays: it was made on purpose).
pub(crate) async fn confirm_new_person(
    st: &SharedState,
    staff: &Staff,
    a: &Announcement,
    name: i64,
    person: &PersonId,
) -> Result<Response, WebError> {
    match decided(st, staff, a, name, Review::Confirmed, Some(person)).await? {
        None => Ok(back_to_queue(a.id)),
        Some((status, why)) => {
            let why = format!("{person} was added to the registry, but the name was not confirmed with them: {why}");
            names_page(
                st,
                staff,
                a,
                &NamesQuery::default(),
                Some(why),
                String::new(),
                status,
            )
            .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_upload, name_parts};
    use axum::http::Method;

    #[test]
    fn a_listed_name_splits_at_its_comma_or_before_its_last_two_words() {
        let parts = |s| {
            let (g, s1, s2) = name_parts(s);
            [g, s1, s2]
        };
        assert_eq!(
            parts("RODRIGUEZ GARCIA, MARIA JOSE"),
            ["Maria Jose", "Rodriguez", "Garcia"]
        );
        assert_eq!(
            parts("JOSÉ ÁNGEL PÉREZ DÍAZ"),
            ["José Ángel", "Pérez", "Díaz"]
        );
        assert_eq!(parts("Ana Pupo"), ["Ana", "Pupo", ""]);
        assert_eq!(parts("PUPO"), ["", "Pupo", ""]);
        assert_eq!(parts(""), ["", "", ""]);
    }

    #[test]
    fn only_a_named_lists_file_post_is_an_upload() {
        assert!(is_upload(
            &Method::POST,
            "/staff/announcements/12/names/upload"
        ));
        assert!(!is_upload(
            &Method::GET,
            "/staff/announcements/12/names/upload"
        ));
        assert!(!is_upload(&Method::POST, "/staff/announcements/12/names"));
        assert!(!is_upload(
            &Method::POST,
            "/staff/announcements//names/upload"
        ));
        assert!(!is_upload(
            &Method::POST,
            "/staff/announcements/1/x/names/upload"
        ));
    }
}
