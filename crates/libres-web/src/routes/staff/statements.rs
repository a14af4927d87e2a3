//! Statements on the staff side: writing them, and reviewing their
//! signatures. The public page is `/{lang}/statements/{id}`.
//!
//! - `GET /staff/statements`: every statement, drafts too, with counts;
//! - `GET/POST /staff/statements/new`, `…/{id}/edit`: the form (status,
//!   date, title and text in Spanish, English and Arabic, addressees,
//!   the persons and announcements it concerns);
//! - `GET /staff/statements/{id}/signatures?filter=&page=`: a page of
//!   signatures, addresses included (an audited read), to approve or
//!   reject names, invalidate or restore signatures in bulk
//!   (`POST …/signatures/moderate`), and link a signature to a registry
//!   person when its signer asked (`POST …/signatures/{sig}/link`);
//! - `GET /staff/statements/{id}/signatures.csv` and `.xlsx`: every
//!   signature (an audited read), safe from spreadsheet formulas.
//!
//! Reading needs [`Permission::ReadRegistry`] (addresses are as
//! confidential as relatives' contacts); writing, moderating and linking
//! need [`Permission::Publish`]: each decides what the public sees.

use super::cases::{field, form_page, key};
use super::persons::FormField;
use super::{audit_read, refusal, Staff, StaffBase, PREFIX};
use crate::error::WebError;
use crate::state::SharedState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use libres_core::statement::{Statement, StatementStatus};
use libres_core::{AnnouncementText, EdtfDate, FieldError, Permission, PersonId};
use libres_store::statements::{Moderation, SignatureFilter, SignatureRecord};
use libres_store::StoreError;
use serde::Deserialize;

/// The languages the form offers a title and text in.
const LANGS: [&str; 3] = ["es", "en", "ar"];

/// Signatures per page of the review.
const PAGE: u64 = 100;

/// The most signatures an export holds.
const EXPORT_LIMIT: u64 = 2_000_000;

/// The statement form as posted.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct StatementForm {
    status: String,
    date: String,
    title_es: String,
    body_es: String,
    title_en: String,
    body_en: String,
    title_ar: String,
    body_ar: String,
    /// One per line.
    addressees: String,
    /// Person ids, separated by commas, spaces or lines.
    persons: String,
    /// Announcement numbers, likewise.
    announcements: String,
}

impl StatementForm {
    fn of(s: &Statement) -> StatementForm {
        let text = |lang: &str| s.texts.iter().find(|t| t.lang == lang);
        let title = |lang: &str| text(lang).map(|t| t.title.clone()).unwrap_or_default();
        let body = |lang: &str| text(lang).map(|t| t.body.clone()).unwrap_or_default();
        StatementForm {
            status: s.status.slug().to_owned(),
            date: s.date.as_ref().map(ToString::to_string).unwrap_or_default(),
            title_es: title("es"),
            body_es: body("es"),
            title_en: title("en"),
            body_en: body("en"),
            title_ar: title("ar"),
            body_ar: body("ar"),
            addressees: s.addressees.join("\n"),
            persons: s
                .person_ids
                .iter()
                .map(|p| p.as_str().to_owned())
                .collect::<Vec<_>>()
                .join(", "),
            announcements: s
                .announcement_ids
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    fn parse(&self, id: i64) -> Result<Statement, Vec<FieldError>> {
        let mut errs = Vec::new();
        let status = StatementStatus::from_slug(self.status.trim());
        if status.is_none() {
            errs.push(FieldError::new("status", "choose draft, open or closed"));
        }
        let date = match self.date.trim() {
            "" => None,
            t => EdtfDate::parse(t)
                .map_err(|e| errs.push(FieldError::new("date", e.to_string())))
                .ok(),
        };
        let words = |t: &str| -> Vec<String> {
            t.split([',', ' ', '\n', '\r', '\t'])
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let mut person_ids = Vec::new();
        for w in words(&self.persons) {
            match PersonId::parse(&w) {
                Ok(p) => person_ids.push(p),
                Err(e) => errs.push(FieldError::new("persons", e)),
            }
        }
        let mut announcement_ids = Vec::new();
        for w in words(&self.announcements) {
            match w.trim_start_matches('#').parse::<i64>() {
                Ok(n) if n > 0 => announcement_ids.push(n),
                _ => errs.push(FieldError::new(
                    "announcements",
                    format!("`{w}` is not an announcement number"),
                )),
            }
        }
        let texts = [
            (LANGS[0], &self.title_es, &self.body_es),
            (LANGS[1], &self.title_en, &self.body_en),
            (LANGS[2], &self.title_ar, &self.body_ar),
        ]
        .into_iter()
        .filter(|(_, t, b)| !t.trim().is_empty() || !b.trim().is_empty())
        .map(|(lang, t, b)| AnnouncementText {
            lang: lang.to_owned(),
            title: t.trim().to_owned(),
            body: b.trim().replace("\r\n", "\n"),
        })
        .collect();
        let Some(status) = status else {
            return Err(errs);
        };
        let s = Statement {
            id,
            status,
            texts,
            addressees: self
                .addressees
                .lines()
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect(),
            date,
            closed_at: None,
            person_ids,
            announcement_ids,
        };
        for p in s.problems() {
            let column = match p.column.as_str() {
                "title" | "lang" => "title_es",
                "text" => "body_es",
                c => c,
            };
            errs.push(FieldError::new(column, p.message));
        }
        if errs.is_empty() {
            Ok(s)
        } else {
            Err(errs)
        }
    }
}

fn form(
    staff: &Staff,
    id: Option<i64>,
    form: &StatementForm,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response, WebError> {
    let multiline = |f: FormField| FormField {
        multiline: true,
        ..f
    };
    let fields = vec![
        FormField {
            options: StatementStatus::ALL.iter().map(|s| s.slug()).collect(),
            hint:
                "a draft is not public; an open statement takes signatures; a closed one shows them",
            ..field("status", "Status", &form.status, errors)
        },
        FormField {
            hint: "EDTF: 2025-01-20 …",
            ..field("date", "Date", &form.date, errors)
        },
        field("title_es", "Title (Spanish)", &form.title_es, errors),
        multiline(field("body_es", "Text (Spanish)", &form.body_es, errors)),
        field("title_en", "Title (English)", &form.title_en, errors),
        multiline(field("body_en", "Text (English)", &form.body_en, errors)),
        field("title_ar", "Title (Arabic)", &form.title_ar, errors),
        multiline(field("body_ar", "Text (Arabic)", &form.body_ar, errors)),
        FormField {
            hint: "one per line: governments, the UN, the Holy See, the press …",
            ..multiline(field(
                "addressees",
                "Addressed to",
                &form.addressees,
                errors,
            ))
        },
        FormField {
            hint: "the persons it concerns, by id (CU-0001, …)",
            ..field("persons", "Persons", &form.persons, errors)
        },
        FormField {
            hint: "the announcements it concerns, by number",
            ..field(
                "announcements",
                "Announcements",
                &form.announcements,
                errors,
            )
        },
    ];
    let (title, action) = match id {
        None => (
            "New statement".to_owned(),
            format!("{PREFIX}/statements/new"),
        ),
        Some(id) => (
            format!("Edit statement #{id}"),
            format!("{PREFIX}/statements/{id}/edit"),
        ),
    };
    form_page(
        staff,
        title,
        action,
        format!("{PREFIX}/statements"),
        fields,
        errors,
        status,
    )
}

/// The store's refusal of a statement, on its form.
fn refused(e: StoreError) -> Result<Vec<FieldError>, WebError> {
    match e {
        StoreError::NotFound(what) if what.starts_with("person") => Ok(vec![FieldError::new(
            "persons",
            format!("there is no {what}"),
        )]),
        StoreError::NotFound(what) if what.starts_with("announcement") => {
            Ok(vec![FieldError::new(
                "announcements",
                format!("there is no {what}"),
            )])
        }
        StoreError::Invalid(why) => Ok(vec![FieldError::new("statement", why)]),
        StoreError::NotFound(_) => Err(WebError::NotFound),
        e => Err(e.into()),
    }
}

struct Row {
    id: i64,
    status: &'static str,
    title: String,
    total: u64,
}

#[derive(Template)]
#[template(path = "staff/statements.html")]
struct ListView {
    b: StaffBase,
    rows: Vec<Row>,
    can_edit: bool,
}

/// `GET /staff/statements`.
pub(crate) async fn list(
    State(st): State<SharedState>,
    staff: Staff,
) -> Result<Response, WebError> {
    let mut rows = Vec::new();
    for s in st.staff.statements(true).await? {
        rows.push(Row {
            id: s.id,
            status: s.status.slug(),
            title: s
                .text_in("en")
                .map(|(t, _)| t.title.clone())
                .unwrap_or_default(),
            total: st.staff.signature_counts(s.id).await?.total,
        });
    }
    let view = ListView {
        b: StaffBase::of(&staff),
        rows,
        can_edit: staff.user.role.can(Permission::Publish),
    };
    Ok(Html(view.render()?).into_response())
}

/// `GET /staff/statements/new`.
pub(crate) async fn new_page(staff: Staff) -> Result<Response, WebError> {
    let blank = StatementForm {
        status: StatementStatus::Draft.slug().to_owned(),
        ..StatementForm::default()
    };
    form(&staff, None, &blank, &[], StatusCode::OK)
}

/// `POST /staff/statements/new`.
pub(crate) async fn create(
    State(st): State<SharedState>,
    staff: Staff,
    Form(posted): Form<StatementForm>,
) -> Result<Response, WebError> {
    let invalid = |errors: &[FieldError]| {
        form(
            &staff,
            None,
            &posted,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let s = match posted.parse(0) {
        Ok(s) => s,
        Err(errors) => return invalid(&errors),
    };
    match st.staff.add_statement(&s, staff.user.email.as_str()).await {
        Ok(id) => Ok(Redirect::to(&format!("{PREFIX}/statements/{id}/signatures")).into_response()),
        Err(e) => invalid(&refused(e)?),
    }
}

async fn stored(st: &SharedState, raw: &str) -> Result<Statement, WebError> {
    let id = key(raw)?;
    st.staff.statement(id).await?.ok_or(WebError::NotFound)
}

/// `GET /staff/statements/{id}/edit`.
pub(crate) async fn edit_page(
    State(st): State<SharedState>,
    staff: Staff,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let s = stored(&st, &raw).await?;
    form(
        &staff,
        Some(s.id),
        &StatementForm::of(&s),
        &[],
        StatusCode::OK,
    )
}

/// `POST /staff/statements/{id}/edit`.
pub(crate) async fn edit(
    State(st): State<SharedState>,
    staff: Staff,
    Path(raw): Path<String>,
    Form(posted): Form<StatementForm>,
) -> Result<Response, WebError> {
    let old = stored(&st, &raw).await?;
    let invalid = |errors: &[FieldError]| {
        form(
            &staff,
            Some(old.id),
            &posted,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let s = match posted.parse(old.id) {
        Ok(s) => s,
        Err(errors) => return invalid(&errors),
    };
    match st
        .staff
        .update_statement(&s, staff.user.email.as_str())
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("{PREFIX}/statements/{}/signatures", old.id)).into_response())
        }
        Err(e) => invalid(&refused(e)?),
    }
}

/// The filters of the review, as the page names them.
const FILTERS: [(&str, SignatureFilter, &str); 5] = [
    (
        "unmoderated",
        SignatureFilter::Unmoderated,
        "Names to review",
    ),
    ("flagged", SignatureFilter::Flagged, "Flagged"),
    (
        "link",
        SignatureFilter::LinkRequested,
        "Registry link asked",
    ),
    ("invalid", SignatureFilter::Invalid, "Invalidated"),
    ("all", SignatureFilter::All, "All"),
];

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ReviewQuery {
    filter: String,
    page: String,
}

struct SigLine {
    r: SignatureRecord,
    signed_at: String,
    confirmed: bool,
}

#[derive(Template)]
#[template(path = "staff/statement_signatures.html")]
struct ReviewView {
    b: StaffBase,
    id: i64,
    title: String,
    status: &'static str,
    total: u64,
    by_category: Vec<(&'static str, u64)>,
    filters: Vec<(&'static str, &'static str, bool)>,
    filter: &'static str,
    lines: Vec<SigLine>,
    matching: u64,
    page: u64,
    pages: u64,
    can_edit: bool,
    note: String,
}

async fn review(
    st: &SharedState,
    staff: &Staff,
    s: &Statement,
    q: &ReviewQuery,
    note: String,
    status: StatusCode,
) -> Result<Response, WebError> {
    let (filter_name, filter, _) = FILTERS
        .iter()
        .find(|(n, _, _)| *n == q.filter)
        .copied()
        .unwrap_or(FILTERS[0]);
    let page: u64 = q.page.parse().ok().filter(|&p| p >= 1).unwrap_or(1);
    let (records, matching) = st
        .staff
        .signatures(s.id, filter, (page - 1) * PAGE, PAGE)
        .await?;
    audit_read(
        st,
        staff,
        "signatures_viewed",
        "signatures",
        serde_json::json!({ "statement": s.id, "filter": filter_name, "page": page, "shown": records.len() }),
    )
    .await?;
    let counts = st.staff.signature_counts(s.id).await?;
    let view = ReviewView {
        b: StaffBase::of(staff),
        id: s.id,
        title: s
            .text_in("en")
            .map(|(t, _)| t.title.clone())
            .unwrap_or_default(),
        status: s.status.slug(),
        total: counts.total,
        by_category: counts
            .by_category
            .iter()
            .map(|(c, n)| (c.slug(), *n))
            .collect(),
        filters: FILTERS
            .iter()
            .map(|(n, _, label)| (*n, *label, *n == filter_name))
            .collect(),
        filter: filter_name,
        lines: records
            .into_iter()
            .map(|r| SigLine {
                signed_at: r.created_at.rfc3339(),
                confirmed: r.confirmed_at.is_some(),
                r,
            })
            .collect(),
        matching,
        page,
        pages: matching.div_ceil(PAGE).max(1),
        can_edit: staff.user.role.can(Permission::Publish),
        note,
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// `GET /staff/statements/{id}/signatures`.
pub(crate) async fn signatures(
    State(st): State<SharedState>,
    staff: Staff,
    Path(raw): Path<String>,
    Query(q): Query<ReviewQuery>,
) -> Result<Response, WebError> {
    let s = stored(&st, &raw).await?;
    review(&st, &staff, &s, &q, String::new(), StatusCode::OK).await
}

/// `POST /staff/statements/{id}/signatures/moderate`: `decision` and the
/// checked `sig` fields.
pub(crate) async fn moderate(
    State(st): State<SharedState>,
    staff: Staff,
    Path(raw): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let s = stored(&st, &raw).await?;
    let mut decision = None;
    let mut filter = String::new();
    let mut ids = Vec::new();
    for (k, v) in &fields {
        match k.as_str() {
            "decision" => decision = Moderation::from_slug(v),
            "filter" => filter.clone_from(v),
            "sig" => ids.push(key(v)?),
            _ => {}
        }
    }
    let q = ReviewQuery {
        filter,
        page: String::new(),
    };
    let Some(decision) = decision else {
        let note = "Choose what to do with the checked signatures.".to_owned();
        return review(&st, &staff, &s, &q, note, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    if ids.is_empty() {
        let note = "Check the signatures to decide first.".to_owned();
        return review(&st, &staff, &s, &q, note, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if ids.len() > 10_000 {
        let note = "Check at most 10,000 signatures at a time.".to_owned();
        return review(&st, &staff, &s, &q, note, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match st
        .staff
        .moderate_signatures(s.id, &ids, decision, staff.user.email.as_str())
        .await
    {
        Ok(n) => {
            // The public page shows the decision at once, not in two seconds.
            st.statement_pages.forget(s.id);
            let note = format!(
                "{}: {n} of {} signatures changed.",
                decision.slug(),
                ids.len()
            );
            review(&st, &staff, &s, &q, note, StatusCode::OK).await
        }
        Err(StoreError::NotFound(why)) => {
            review(&st, &staff, &s, &q, why, StatusCode::NOT_FOUND).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct LinkForm {
    /// A person id; empty to unlink.
    person: String,
}

/// `POST /staff/statements/{id}/signatures/{sig}/link`.
pub(crate) async fn link(
    State(st): State<SharedState>,
    staff: Staff,
    Path((raw, sig)): Path<(String, String)>,
    Form(posted): Form<LinkForm>,
) -> Result<Response, WebError> {
    let s = stored(&st, &raw).await?;
    let sig = key(&sig)?;
    let q = ReviewQuery {
        filter: "link".into(),
        page: String::new(),
    };
    let person = match posted.person.trim() {
        "" => None,
        p => match PersonId::parse(p) {
            Ok(p) => Some(p),
            Err(e) => {
                return review(&st, &staff, &s, &q, e, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        },
    };
    let today = st.clock.now().day();
    match st
        .staff
        .link_signature(s.id, sig, person.as_ref(), today, staff.user.email.as_str())
        .await
    {
        Ok(()) => {
            st.statement_pages.forget(s.id);
            let note = match &person {
                Some(p) => format!("Signature {sig} is linked to {p}."),
                None => format!("Signature {sig} is no longer linked."),
            };
            review(&st, &staff, &s, &q, note, StatusCode::OK).await
        }
        Err(StoreError::NotFound(why)) => {
            review(
                &st,
                &staff,
                &s,
                &q,
                format!("There is no {why}."),
                StatusCode::NOT_FOUND,
            )
            .await
        }
        Err(StoreError::Invalid(why)) => {
            review(&st, &staff, &s, &q, why, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Every signature of statement `s`, as export rows.
async fn export_rows(
    st: &SharedState,
    staff: &Staff,
    s: &Statement,
    format: &str,
) -> Result<Vec<Vec<String>>, WebError> {
    let (records, _) = st
        .staff
        .signatures(s.id, SignatureFilter::All, 0, EXPORT_LIMIT)
        .await?;
    audit_read(
        st,
        staff,
        "signatures_exported",
        "signatures",
        serde_json::json!({ "statement": s.id, "format": format, "rows": records.len() }),
    )
    .await?;
    Ok(records
        .iter()
        .map(libres_app::statements::signature_row)
        .collect())
}

/// `GET /staff/statements/{id}/signatures.csv`.
pub(crate) async fn export_csv(
    State(st): State<SharedState>,
    staff: Staff,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    use libres_app::statements::{csv_bytes, SIGNATURE_COLUMNS};
    let s = stored(&st, &raw).await?;
    let rows = export_rows(&st, &staff, &s, "csv").await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"statement-{}-signatures.csv\"", s.id),
            ),
        ],
        csv_bytes(&SIGNATURE_COLUMNS, &rows),
    )
        .into_response())
}

/// `GET /staff/statements/{id}/signatures.xlsx`.
pub(crate) async fn export_xlsx(
    State(st): State<SharedState>,
    staff: Staff,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    use libres_app::statements::{xlsx_bytes, SIGNATURE_COLUMNS};
    let s = stored(&st, &raw).await?;
    let rows = export_rows(&st, &staff, &s, "xlsx").await?;
    let bytes =
        match tokio::task::spawn_blocking(move || xlsx_bytes(&SIGNATURE_COLUMNS, &rows)).await {
            Ok(Ok(b)) => b,
            Ok(Err(e)) => {
                tracing::error!(error = %e, "the signatures workbook was not written");
                return Ok(refusal(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Export failed",
                    "The workbook could not be written; the CSV export holds the same rows.",
                ));
            }
            Err(_) => {
                return Err(WebError::Store(StoreError::Other(
                    "the export stopped".into(),
                )))
            }
        };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"statement-{}-signatures.xlsx\"",
                    s.id
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}
