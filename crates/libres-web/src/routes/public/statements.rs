//! Statements and their signatories, in public:
//!
//! - `/{lang}/statements`: the published statements (open and closed);
//! - `/{lang}/statements/{id}`: the text, its addressees, the counts by
//!   category, the names staff approved, and the signing form (no
//!   JavaScript) while it is open;
//! - `POST /{lang}/statements/{id}/sign`: takes a signature and answers
//!   with the same "check your email" page whether the address is new or
//!   has signed before: only the owner of the mailbox learns which;
//! - `/{lang}/statements/{id}/confirm?s=&e=&t=`: a page with one button;
//!   its POST confirms. A link that a mail scanner fetches confirms
//!   nothing;
//! - `/{lang}/statements/{id}/signatures.csv` and `.json`: the public list,
//!   public fields only.
//!
//! None of these pages is kept by the page cache (`no-store`): their
//! counts move with every signature, and a form carries a fresh token.

use crate::error::WebError;
use crate::i18n::{Catalog, Lang};
use crate::routes::page::{render, Base};
use crate::routes::staff::session::{client_address, cross_site};
use crate::state::SharedState;
use askama::Template;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Form, Router};
use libres_app::statements::TokenProblem;
use libres_core::statement::{
    SignatureDraft, SignerCategory, Statement, StatementStatus, Visibility,
};
use libres_core::UnixTime;
use libres_store::statements::{Confirmation, NewSignature, PublicSignature};
use std::net::SocketAddr;

pub(crate) fn router() -> Router<SharedState> {
    Router::new()
        .route("/{lang}/statements", get(list))
        .route("/{lang}/statements/{id}", get(page))
        .route("/{lang}/statements/{id}/sign", axum::routing::post(sign))
        .route("/{lang}/statements/{id}/signed", get(signed))
        .route(
            "/{lang}/statements/{id}/confirm",
            get(confirm_page).post(confirm),
        )
        .route("/{lang}/statements/{id}/signatures.csv", get(csv))
        .route("/{lang}/statements/{id}/signatures.json", get(json))
}

/// Names shown on a page of the public list.
const NAMES_PER_PAGE: u64 = 200;

/// The most names a download holds.
const DOWNLOAD_LIMIT: u64 = 1_000_000;

/// `no-store` on an answer.
fn fresh(res: impl IntoResponse) -> Response {
    let mut res = res.into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    res
}

/// A public statement: open or closed; a draft is nobody's business.
async fn published(st: &SharedState, id: &str) -> Result<Statement, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    match st.statements.statement(id).await? {
        Some(s) if s.status != StatementStatus::Draft => Ok(s),
        _ => Err(WebError::NotFound),
    }
}

/// A statement's text in the reader's language, or the language it has.
struct Text {
    title: String,
    body: Vec<String>,
    /// The language shown, when it is not the page's.
    fallback: Option<String>,
}

fn text(s: &Statement, lang: Lang) -> Text {
    match s.text_in(lang.code()) {
        Some((t, own)) => Text {
            title: t.title.clone(),
            body: t
                .body
                .split("\n\n")
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect(),
            fallback: (!own).then(|| t.lang.clone()),
        },
        None => Text {
            title: format!("#{}", s.id),
            body: vec![],
            fallback: None,
        },
    }
}

struct ListItem {
    id: i64,
    text: Text,
    open: bool,
    date: String,
    signatures: String,
}

#[derive(Template)]
#[template(path = "statements.html")]
struct ListView<'a> {
    t: &'a Catalog,
    b: Base,
    items: Vec<ListItem>,
}

async fn list(State(st): State<SharedState>, lang: Lang, uri: Uri) -> Result<Response, WebError> {
    let t = st.i18n.catalog(lang);
    let mut items = Vec::new();
    for s in st.statements.statements(false).await? {
        let counts = st.signature_counts.get(st.staff.as_ref(), s.id).await?;
        items.push(ListItem {
            id: s.id,
            text: text(&s, lang),
            open: s.takes_signatures(),
            date: s.date.as_ref().map(ToString::to_string).unwrap_or_default(),
            signatures: t.count("st-signatures", "n", counts.total),
        });
    }
    Ok(fresh(render(&ListView {
        t,
        b: Base::new(&st, lang, &uri),
        items,
    })?))
}

/// A line of the counts table.
struct CountLine {
    category: String,
    n: u64,
}

/// A name on the public list, as shown.
struct NameLine {
    /// The first of its category on the page: a heading goes before it.
    first: bool,
    name: String,
    category: String,
    country: String,
    years: String,
    verified: bool,
}

fn name_line(t: &Catalog, s: &PublicSignature) -> NameLine {
    NameLine {
        first: false,
        name: s.name.clone(),
        category: t.signer_category(&s.category).to_owned(),
        country: t.country(&s.country).to_owned(),
        years: s
            .years
            .map(|y| t.count("st-years", "n", u64::from(y)))
            .unwrap_or_default(),
        verified: s.verified,
    }
}

/// What the signing form was given back, with its problems.
#[derive(Default)]
struct FormState {
    values: SignForm,
    /// The fields with a problem.
    errors: Vec<String>,
}

/// A choice of a select or a radio group.
struct Choice {
    value: String,
    label: String,
    chosen: bool,
}

#[derive(Template)]
#[template(path = "statement.html")]
struct PageView<'a> {
    t: &'a Catalog,
    b: Base,
    id: i64,
    text: Text,
    open: bool,
    date: String,
    addressees: Vec<String>,
    total: u64,
    counts: Vec<CountLine>,
    names: Vec<NameLine>,
    named: u64,
    /// Links to the other pages of names: (number, href, current).
    pages: Vec<(u64, String, bool)>,
    /// The published persons it concerns: (id, name).
    persons: Vec<(String, String)>,
    /// The announcements it concerns: (id, title).
    announcements: Vec<(i64, String)>,
    token: String,
    form: FormState,
    categories: Vec<Choice>,
    countries: Vec<Choice>,
    visibilities: Vec<Choice>,
    error_text: Vec<(String, String)>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct PageQuery {
    page: String,
}

async fn page(
    State(st): State<SharedState>,
    lang: Lang,
    uri: Uri,
    Path((_, id)): Path<(String, String)>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let s = published(&st, &id).await?;
    let page_no = match query.map(|Query(q)| q.page).ok().as_deref() {
        None | Some("") => 1,
        Some(p) => p
            .parse::<u64>()
            .ok()
            .filter(|&p| p >= 1)
            .ok_or(WebError::BadRequest(crate::error::ParamError::Page))?,
    };
    // The banner follows the data, so the synthetic flag is in the key.
    // A statement edited (closed, say) is a new page at once.
    let edition = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        format!("{s:?}").hash(&mut h);
        h.finish()
    };
    let key = (s.id, edition, lang.code(), page_no, st.synthetic.is_on());
    if let Some(html) = st.statement_pages.get(key) {
        return Ok(fresh(Html(html.as_str().to_owned())));
    }
    // The language links of a kept page carry only the page number, not
    // whatever one visitor's address held.
    let canonical = Uri::try_from(format!(
        "/{}/statements/{}{}",
        lang.code(),
        s.id,
        if page_no > 1 {
            format!("?page={page_no}")
        } else {
            String::new()
        }
    ))
    .unwrap_or(uri);
    let view = page_view(&st, lang, &canonical, &s, page_no, FormState::default()).await?;
    let Html(html) = render(&view)?;
    let html = std::sync::Arc::new(html);
    st.statement_pages.put(key, std::sync::Arc::clone(&html));
    Ok(fresh(Html(html.as_str().to_owned())))
}

async fn page_view<'a>(
    st: &'a SharedState,
    lang: Lang,
    uri: &Uri,
    s: &Statement,
    page_no: u64,
    form: FormState,
) -> Result<PageView<'a>, WebError> {
    let t = st.i18n.catalog(lang);
    let now = st.clock.now();
    let counts = st.signature_counts.get(st.staff.as_ref(), s.id).await?;
    let named = st.statements.public_signature_count(s.id).await?;
    let names = st
        .statements
        .public_signatures(s.id, (page_no - 1) * NAMES_PER_PAGE, NAMES_PER_PAGE)
        .await?
        .iter()
        .map(|n| name_line(t, n))
        .collect::<Vec<_>>();
    let mut names = names;
    for i in 0..names.len() {
        names[i].first = i == 0 || names[i - 1].category != names[i].category;
    }
    let last = named.div_ceil(NAMES_PER_PAGE).max(1);
    let pages = if last > 1 {
        (1..=last)
            .map(|p| {
                (
                    p,
                    format!("/{}/statements/{}?page={p}#names", lang.code(), s.id),
                    p == page_no,
                )
            })
            .collect()
    } else {
        vec![]
    };
    // Only published persons are named; an unpublished one is left out
    // as if the statement did not name them.
    let mut persons = Vec::new();
    for id in &s.person_ids {
        if let Some(r) = st.reads.get_published_person(id).await? {
            persons.push((id.as_str().to_owned(), r.person.full_name()));
        }
    }
    let mut announcements = Vec::new();
    for &a in &s.announcement_ids {
        if let Some(a) = st.announcements.announcement(a).await? {
            let title = super::announcements::AnnouncementItem::new(&a, t, lang).title;
            announcements.push((a.id, title));
        }
    }
    let token = if s.takes_signatures() {
        st.site_key().await?.form_token(s.id, now)
    } else {
        String::new()
    };
    let v = &form.values;
    let categories = SignerCategory::ALL
        .iter()
        .map(|c| Choice {
            value: c.slug().into(),
            label: t.signer_category(c).into(),
            chosen: v.category == c.slug(),
        })
        .collect();
    let mut countries: Vec<Choice> = t
        .country_codes()
        .map(|c| Choice {
            value: c.as_str().into(),
            label: t.country(c).into(),
            chosen: v.country == c.as_str(),
        })
        .collect();
    countries.sort_by(|a, b| a.label.cmp(&b.label));
    let visibilities = Visibility::ALL
        .iter()
        .map(|x| Choice {
            value: x.slug().into(),
            label: t.get(&format!("st-vis-{}", x.slug())).into(),
            chosen: v.visibility == x.slug()
                || (v.visibility.is_empty() && *x == Visibility::FullName),
        })
        .collect();
    let error_text = form
        .errors
        .iter()
        .map(|f| (f.clone(), t.get(&format!("st-err-{f}")).to_owned()))
        .collect();
    Ok(PageView {
        t,
        b: Base::new(st, lang, uri),
        id: s.id,
        text: text(s, lang),
        open: s.takes_signatures(),
        date: s.date.as_ref().map(ToString::to_string).unwrap_or_default(),
        addressees: s.addressees.clone(),
        total: counts.total,
        counts: counts
            .by_category
            .iter()
            .map(|(c, n)| CountLine {
                category: t.signer_category(c).to_owned(),
                n: *n,
            })
            .collect(),
        names,
        named,
        pages,
        persons,
        announcements,
        token,
        form,
        categories,
        countries,
        visibilities,
        error_text,
    })
}

/// The signing form as posted.
#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
struct SignForm {
    csrf: String,
    name: String,
    email: String,
    category: String,
    years_served: String,
    country: String,
    visibility: String,
    link: String,
}

#[derive(Template)]
#[template(path = "statement_message.html")]
struct MessageView<'a> {
    t: &'a Catalog,
    b: Base,
    id: i64,
    title: String,
    message: String,
    /// The confirmation form's fields (signature, expiry, token), when the
    /// page asks for the button press.
    confirm: Option<(i64, i64, String)>,
}

fn message(
    st: &SharedState,
    lang: Lang,
    uri: &Uri,
    status: StatusCode,
    id: i64,
    title_id: &str,
    message_id: &str,
) -> Result<Response, WebError> {
    let t = st.i18n.catalog(lang);
    let view = MessageView {
        t,
        b: Base::new(st, lang, uri),
        id,
        title: t.get(title_id).to_owned(),
        message: t.get(message_id).to_owned(),
        confirm: None,
    };
    Ok(fresh((status, render(&view)?)))
}

#[allow(clippy::too_many_arguments)]
async fn sign(
    State(st): State<SharedState>,
    lang: Lang,
    uri: Uri,
    headers: HeaderMap,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    Path((_, id)): Path<(String, String)>,
    form: Result<Form<SignForm>, FormRejection>,
) -> Result<Response, WebError> {
    let s = published(&st, &id).await?;
    let now = st.clock.now();
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let key = st.site_key().await?;
    if cross_site(&st, &headers) || key.check_form_token(&form.csrf, s.id, now).is_err() {
        return message(
            &st,
            lang,
            &uri,
            StatusCode::FORBIDDEN,
            s.id,
            "st-form-expired-title",
            "st-form-expired",
        );
    }
    if !s.takes_signatures() {
        return message(
            &st,
            lang,
            &uri,
            StatusCode::CONFLICT,
            s.id,
            "st-closed-title",
            "st-closed",
        );
    }
    let draft = SignatureDraft {
        name: form.name.clone(),
        email: form.email.clone(),
        category: form.category.clone(),
        years_served: form.years_served.clone(),
        country: form.country.clone(),
        visibility: form.visibility.clone(),
    };
    let signature = match draft.parse() {
        Ok(sig) => sig,
        Err(problems) => {
            let mut values = form;
            values.csrf = String::new();
            // A name too long to be a name is not sent back whole.
            if values.name.chars().count() > libres_core::statement::MAX_NAME_CHARS {
                values.name = values
                    .name
                    .chars()
                    .take(libres_core::statement::MAX_NAME_CHARS)
                    .collect();
            }
            let errors = problems.into_iter().map(|p| p.column).collect();
            let view = page_view(&st, lang, &uri, &s, 1, FormState { values, errors }).await?;
            return Ok(fresh((StatusCode::UNPROCESSABLE_ENTITY, render(&view)?)));
        }
    };
    let address = client_address(&st, &headers, peer.map(|Extension(ConnectInfo(a))| a));
    let address = (!address.is_unspecified()).then_some(address);
    let domain = signature
        .email
        .as_str()
        .rsplit('@')
        .next()
        .unwrap_or("")
        .to_owned();
    let flag = st.abuse.flag(address, &domain, now);
    let link_requested = !form.link.is_empty()
        && matches!(
            signature.category,
            SignerCategory::FormerPrisoner | SignerCategory::Relative
        );
    let taken = st
        .intake
        .sign(NewSignature {
            statement: s.id,
            signature,
            lang: lang.code().to_owned(),
            link_requested,
            flag,
            at: now,
        })
        .await?;
    match taken {
        // New or not, the same answer: only the mailbox learns which.
        libres_store::statements::Taken::New(_) | libres_store::statements::Taken::Duplicate(_) => {
            Ok(fresh(Redirect::to(&format!(
                "/{}/statements/{}/signed",
                lang.code(),
                s.id
            ))))
        }
        // Closed between the page and the write.
        libres_store::statements::Taken::NotOpen => message(
            &st,
            lang,
            &uri,
            StatusCode::CONFLICT,
            s.id,
            "st-closed-title",
            "st-closed",
        ),
    }
}

async fn signed(
    State(st): State<SharedState>,
    lang: Lang,
    uri: Uri,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let s = published(&st, &id).await?;
    message(
        &st,
        lang,
        &uri,
        StatusCode::OK,
        s.id,
        "st-signed-title",
        "st-signed-body",
    )
}

/// A confirmation link's fields.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ConfirmQuery {
    s: String,
    e: String,
    t: String,
}

/// Checks a confirmation link; on success its signature and expiry, else
/// the answer's status and message (400 not valid, 410 expired).
async fn checked_link(
    st: &SharedState,
    statement: i64,
    q: &ConfirmQuery,
) -> Result<Result<(i64, i64), (StatusCode, &'static str)>, WebError> {
    const BAD: (StatusCode, &str) = (StatusCode::BAD_REQUEST, "st-link-bad");
    let (Ok(sig), Ok(expires)) = (q.s.parse::<i64>(), q.e.parse::<i64>()) else {
        return Ok(Err(BAD));
    };
    let key = st.site_key().await?;
    Ok(
        match key.check_confirm_token(&q.t, statement, sig, UnixTime(expires), st.clock.now()) {
            Ok(()) => Ok((sig, expires)),
            Err(TokenProblem::Forged) => Err(BAD),
            Err(TokenProblem::Expired) => Err((StatusCode::GONE, "st-link-expired")),
        },
    )
}

async fn confirm_page(
    State(st): State<SharedState>,
    lang: Lang,
    uri: Uri,
    Path((_, id)): Path<(String, String)>,
    query: Result<Query<ConfirmQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let s = published(&st, &id).await?;
    let q = query.map(|Query(q)| q).unwrap_or_default();
    match checked_link(&st, s.id, &q).await? {
        Err(why) => message(&st, lang, &uri, why.0, s.id, "st-confirm-title", why.1),
        Ok((sig, expires)) => {
            let t = st.i18n.catalog(lang);
            // The owner of the mailbox sees what they would confirm: how
            // the signature appears and as whom, chosen by whoever
            // signed with their address.
            let Some((shown, category)) = st.statements.signature_shown(s.id, sig).await? else {
                return message(
                    &st,
                    lang,
                    &uri,
                    StatusCode::NOT_FOUND,
                    s.id,
                    "st-confirm-title",
                    "st-link-unknown",
                );
            };
            let category = fluent_bundle::FluentValue::from(t.signer_category(&category));
            let appears = match shown {
                Some(name) => t.fmt(
                    "st-confirm-appears",
                    &[
                        ("name", fluent_bundle::FluentValue::from(name)),
                        ("category", category),
                    ],
                ),
                None => t.fmt("st-confirm-counted", &[("category", category)]),
            };
            let view = MessageView {
                t,
                b: Base::new(&st, lang, &uri),
                id: s.id,
                title: t.get("st-confirm-title").to_owned(),
                message: format!(
                    "{} «{}». {appears} {}",
                    t.get("st-confirm-body"),
                    text(&s, lang).title,
                    t.get("st-confirm-not-you")
                ),
                confirm: Some((sig, expires, q.t.clone())),
            };
            Ok(fresh(render(&view)?))
        }
    }
}

async fn confirm(
    State(st): State<SharedState>,
    lang: Lang,
    uri: Uri,
    Path((_, id)): Path<(String, String)>,
    form: Result<Form<ConfirmQuery>, FormRejection>,
) -> Result<Response, WebError> {
    let s = published(&st, &id).await?;
    let q = form.map(|Form(q)| q).unwrap_or_default();
    let (sig, _) = match checked_link(&st, s.id, &q).await? {
        Ok(ok) => ok,
        Err(why) => return message(&st, lang, &uri, why.0, s.id, "st-confirm-title", why.1),
    };
    let (status, why) = match st.intake.confirm(s.id, sig, st.clock.now()).await? {
        Confirmation::Confirmed => (StatusCode::OK, "st-confirmed"),
        Confirmation::AlreadyConfirmed => (StatusCode::OK, "st-already"),
        Confirmation::Unknown => (StatusCode::NOT_FOUND, "st-link-unknown"),
    };
    message(&st, lang, &uri, status, s.id, "st-confirm-title", why)
}

/// Every name of the public list.
async fn all_names(st: &SharedState, id: i64) -> Result<Vec<PublicSignature>, WebError> {
    Ok(st
        .statements
        .public_signatures(id, 0, DOWNLOAD_LIMIT)
        .await?)
}

async fn csv(
    State(st): State<SharedState>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    use libres_app::statements::{csv_bytes, public_row, PUBLIC_COLUMNS};
    let s = published(&st, &id).await?;
    let rows: Vec<Vec<String>> = all_names(&st, s.id).await?.iter().map(public_row).collect();
    Ok(fresh((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"statement-{}-signatories.csv\"",
                    s.id
                ),
            ),
        ],
        csv_bytes(&PUBLIC_COLUMNS, &rows),
    )))
}

async fn json(
    State(st): State<SharedState>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let s = published(&st, &id).await?;
    let counts = st.statements.signature_counts(s.id).await?;
    let names: Vec<serde_json::Value> = all_names(&st, s.id)
        .await?
        .iter()
        .map(|n| {
            serde_json::json!({
                "name": n.name,
                "category": n.category.slug(),
                "country": n.country.as_str(),
                "years": n.years,
                "verified": n.verified,
            })
        })
        .collect();
    let by_category: serde_json::Map<String, serde_json::Value> = counts
        .by_category
        .iter()
        .map(|(c, n)| (c.slug().to_owned(), serde_json::json!(n)))
        .collect();
    let body = serde_json::json!({
        "statement": s.id,
        "status": s.status.slug(),
        "total": counts.total,
        "by_category": by_category,
        "signatories": names,
    });
    Ok(fresh(axum::Json(body)))
}
