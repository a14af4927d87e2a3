//! Release announcements on the staff side: the list, a form to record
//! one (who announced what, when, the claim in numbers or in words, its
//! title and text in Spanish, English and Arabic, its sources), editing
//! and deleting. The public page is `/{lang}/announcements/{id}`.
//!
//! - `GET /staff/announcements`: the newest, with links;
//! - `GET/POST /staff/announcements/new`;
//! - `GET/POST /staff/announcements/{id}/edit`;
//! - `GET/POST /staff/announcements/{id}/delete` (asks first; refused
//!   while timeline events belong to it).
//!
//! Reading the list needs [`Permission::ReadRegistry`]; recording,
//! editing and deleting need [`Permission::Publish`] (editor and up): an
//! announcement's page is public the moment it is saved.

use super::cases::{field, form_page, key, ConfirmView};
use super::persons::{check_text, opt, source_numbers, FormField};
use super::{Staff, StaffBase, PREFIX};
use crate::error::WebError;
use crate::state::SharedState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use libres_core::{
    Announcement, AnnouncementText, ClaimKind, CountryCode, EdtfDate, FieldError, IssuerKind,
    Permission,
};
use libres_store::StoreError;
use serde::Deserialize;

/// The languages the form offers a title and text in.
const LANGS: [&str; 3] = ["es", "en", "ar"];

/// How many announcements the list shows.
const LIST_LIMIT: usize = 200;

/// The announcement form as posted.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct AnnouncementForm {
    country: String,
    date: String,
    issuer_kind: String,
    issuer: String,
    claim: String,
    claimed: String,
    claimed_words: String,
    title_es: String,
    body_es: String,
    title_en: String,
    body_en: String,
    title_ar: String,
    body_ar: String,
    /// Source numbers, separated by commas or spaces.
    sources: String,
}

impl AnnouncementForm {
    fn of(a: &Announcement) -> AnnouncementForm {
        let text = |lang: &str| a.texts.iter().find(|t| t.lang == lang);
        let title = |lang: &str| text(lang).map(|t| t.title.clone()).unwrap_or_default();
        let body = |lang: &str| text(lang).map(|t| t.body.clone()).unwrap_or_default();
        AnnouncementForm {
            country: a.country.as_str().to_owned(),
            date: a.date.to_string(),
            issuer_kind: a.issuer_kind.slug().to_owned(),
            issuer: a.issuer.clone(),
            claim: a.claim.slug().to_owned(),
            claimed: a.claimed.map(|n| n.to_string()).unwrap_or_default(),
            claimed_words: a.claimed_words.clone().unwrap_or_default(),
            title_es: title("es"),
            body_es: body("es"),
            title_en: title("en"),
            body_en: body("en"),
            title_ar: title("ar"),
            body_ar: body("ar"),
            sources: a
                .source_ids
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    fn texts(&self) -> [(&'static str, &str, &str); 3] {
        [
            (LANGS[0], &self.title_es, &self.body_es),
            (LANGS[1], &self.title_en, &self.body_en),
            (LANGS[2], &self.title_ar, &self.body_ar),
        ]
    }

    fn parse(&self, id: i64) -> Result<Announcement, Vec<FieldError>> {
        let mut errs = Vec::new();
        for (col, v) in [
            ("issuer", &self.issuer),
            ("claimed_words", &self.claimed_words),
            ("sources", &self.sources),
        ] {
            check_text(&mut errs, col, v);
        }
        let country = CountryCode::parse(self.country.trim())
            .map_err(|e| errs.push(FieldError::new("country", e.to_string())))
            .ok();
        let date = match opt(&self.date) {
            None => {
                errs.push(FieldError::new(
                    "date",
                    "is empty; when was it announced (EDTF)?",
                ));
                None
            }
            Some(t) => EdtfDate::parse(&t)
                .map_err(|e| errs.push(FieldError::new("date", e.to_string())))
                .ok(),
        };
        let issuer_kind = IssuerKind::from_slug(self.issuer_kind.trim());
        if issuer_kind.is_none() {
            errs.push(FieldError::new("issuer_kind", "choose who announced it"));
        }
        let claim = ClaimKind::from_slug(self.claim.trim());
        if claim.is_none() {
            errs.push(FieldError::new("claim", "choose what it claims to count"));
        }
        let claimed = match opt(&self.claimed) {
            None => None,
            Some(t) => match whole_number(&t) {
                Some(n) => Some(n),
                None => {
                    errs.push(FieldError::new(
                        "claimed",
                        format!("`{t}` is not a whole number; put words such as \"dozens\" in the claim's own words"),
                    ));
                    None
                }
            },
        };
        let source_ids = source_numbers(&mut errs, &self.sources);
        let texts = self
            .texts()
            .into_iter()
            .filter(|(_, title, body)| !title.trim().is_empty() || !body.trim().is_empty())
            .map(|(lang, title, body)| AnnouncementText {
                lang: lang.to_owned(),
                title: title.trim().to_owned(),
                body: body.trim().to_owned(),
            })
            .collect();
        let (Some(country), Some(date), Some(issuer_kind), Some(claim)) =
            (country, date, issuer_kind, claim)
        else {
            return Err(errs);
        };
        let a = Announcement {
            id,
            country,
            date,
            issuer_kind,
            issuer: self.issuer.trim().to_owned(),
            claim,
            claimed,
            claimed_words: opt(&self.claimed_words),
            texts,
            source_ids,
        };
        // The domain's own rules, with the text problems placed on the
        // title fields.
        for p in a.problems() {
            let column = if p.column == "texts" {
                "title_es"
            } else {
                p.column.as_str()
            };
            errs.push(FieldError::new(column, p.message));
        }
        if errs.is_empty() {
            Ok(a)
        } else {
            Err(errs)
        }
    }
}

/// A whole number as people write it: `553`, `1200`, `1.200`, `1,200`,
/// `1 200`. Groups after a separator must have three digits, so `1.5` or
/// `1,200.50` is not a whole number.
fn whole_number(text: &str) -> Option<u32> {
    let t = text.trim();
    let groups: Vec<&str> = t.split(['.', ',', ' ', '\u{a0}']).collect();
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let ok = match groups.as_slice() {
        [one] => digits(one),
        [first, rest @ ..] => {
            digits(first) && first.len() <= 3 && rest.iter().all(|g| digits(g) && g.len() == 3)
        }
        [] => false,
    };
    if !ok {
        return None;
    }
    groups.concat().parse().ok()
}

/// The announcement form page: a new one when `id` is `None`.
fn form(
    staff: &Staff,
    id: Option<i64>,
    form: &AnnouncementForm,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response, WebError> {
    let mut issuer_kinds = vec![""];
    issuer_kinds.extend(IssuerKind::ALL.iter().map(|k| k.slug()));
    let mut claims = vec![""];
    claims.extend(ClaimKind::ALL.iter().map(|k| k.slug()));
    let multiline = |f: FormField| FormField {
        multiline: true,
        ..f
    };
    let fields = vec![
        FormField {
            hint: "two letters: CU, VE, NI …",
            ..field("country", "Country", &form.country, errors)
        },
        FormField {
            hint: "EDTF: 2025-01-14, 2026-01 …",
            ..field("date", "Date announced", &form.date, errors)
        },
        FormField {
            options: issuer_kinds,
            ..field("issuer_kind", "Who announced it", &form.issuer_kind, errors)
        },
        FormField {
            hint: "by name: Ministerio de Relaciones Exteriores, Tribunal Supremo …",
            ..field("issuer", "Announced by", &form.issuer, errors)
        },
        FormField {
            options: claims,
            ..field("claim", "It claims to count", &form.claim, errors)
        },
        FormField {
            hint: "the number, when the claim gives one",
            ..field("claimed", "Claimed count", &form.claimed, errors)
        },
        FormField {
            hint: "as announced: \"553 sancionados por diversos delitos\", \"decenas\" (needed when there is no number)",
            ..field("claimed_words", "The claim in its own words", &form.claimed_words, errors)
        },
        field("title_es", "Title (Spanish)", &form.title_es, errors),
        multiline(field("body_es", "Text (Spanish)", &form.body_es, errors)),
        field("title_en", "Title (English)", &form.title_en, errors),
        multiline(field("body_en", "Text (English)", &form.body_en, errors)),
        field("title_ar", "Title (Arabic)", &form.title_ar, errors),
        multiline(field("body_ar", "Text (Arabic)", &form.body_ar, errors)),
        FormField {
            hint: "their numbers, separated by commas (see Sources)",
            ..field("sources", "Sources", &form.sources, errors)
        },
    ];
    let (title, action) = match id {
        None => (
            "New announcement".to_owned(),
            format!("{PREFIX}/announcements/new"),
        ),
        Some(id) => (
            format!("Edit announcement #{id}"),
            format!("{PREFIX}/announcements/{id}/edit"),
        ),
    };
    form_page(
        staff,
        title,
        action,
        format!("{PREFIX}/announcements"),
        fields,
        errors,
        status,
    )
}

/// A line of the list.
struct Row {
    id: i64,
    date: String,
    country: String,
    title: String,
    claimed: String,
}

#[derive(Template)]
#[template(path = "staff/announcements.html")]
struct ListView {
    b: StaffBase,
    rows: Vec<Row>,
    can_edit: bool,
}

/// `GET /staff/announcements`.
pub(crate) async fn list(
    State(st): State<SharedState>,
    staff: Staff,
) -> Result<Response, WebError> {
    let rows = st
        .staff
        .announcements(None, LIST_LIMIT)
        .await?
        .into_iter()
        .map(|a| Row {
            id: a.id,
            date: a.date.to_string(),
            country: a.country.as_str().to_owned(),
            title: a
                .text_in("en")
                .map(|(t, _)| t.title.clone())
                .unwrap_or_default(),
            claimed: match (a.claimed, a.claimed_words) {
                (Some(n), _) => n.to_string(),
                (None, Some(w)) => w,
                (None, None) => String::new(),
            },
        })
        .collect();
    let view = ListView {
        b: StaffBase::of(&staff),
        rows,
        can_edit: staff.user.role.can(Permission::Publish),
    };
    Ok(Html(view.render()?).into_response())
}

/// `GET /staff/announcements/new`.
pub(crate) async fn new_page(staff: Staff) -> Result<Response, WebError> {
    let blank = AnnouncementForm {
        claim: ClaimKind::Releases.slug().to_owned(),
        issuer_kind: IssuerKind::Government.slug().to_owned(),
        ..AnnouncementForm::default()
    };
    form(&staff, None, &blank, &[], StatusCode::OK)
}

/// The store's refusal of an announcement, on its form.
fn refused(e: StoreError) -> Result<Vec<FieldError>, WebError> {
    match e {
        StoreError::NotFound(what) if what.starts_with("source") => Ok(vec![FieldError::new(
            "sources",
            format!("there is no {what}; cite sources by their number"),
        )]),
        StoreError::Invalid(why) => Ok(vec![FieldError::new("announcement", why)]),
        StoreError::NotFound(_) => Err(WebError::NotFound),
        e => Err(e.into()),
    }
}

/// `POST /staff/announcements/new`: then its public page's staff list.
pub(crate) async fn create(
    State(st): State<SharedState>,
    staff: Staff,
    Form(posted): Form<AnnouncementForm>,
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
    let a = match posted.parse(0) {
        Ok(a) => a,
        Err(errors) => return invalid(&errors),
    };
    match st
        .staff
        .add_announcement(&a, staff.user.email.as_str())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{PREFIX}/announcements")).into_response()),
        Err(e) => invalid(&refused(e)?),
    }
}

/// The stored announcement `raw`, or a 404.
pub(super) async fn stored(st: &SharedState, raw: &str) -> Result<Announcement, WebError> {
    let id = key(raw)?;
    st.staff.announcement(id).await?.ok_or(WebError::NotFound)
}

/// `GET /staff/announcements/{id}/edit`.
pub(crate) async fn edit_page(
    State(st): State<SharedState>,
    staff: Staff,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let a = stored(&st, &raw).await?;
    form(
        &staff,
        Some(a.id),
        &AnnouncementForm::of(&a),
        &[],
        StatusCode::OK,
    )
}

/// `POST /staff/announcements/{id}/edit`.
pub(crate) async fn edit(
    State(st): State<SharedState>,
    staff: Staff,
    Path(raw): Path<String>,
    Form(posted): Form<AnnouncementForm>,
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
    let a = match posted.parse(old.id) {
        Ok(a) => a,
        Err(errors) => return invalid(&errors),
    };
    match st
        .staff
        .update_announcement(&a, staff.user.email.as_str())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{PREFIX}/announcements")).into_response()),
        Err(e) => invalid(&refused(e)?),
    }
}

/// `GET /staff/announcements/{id}/delete`: asks first.
pub(crate) async fn delete_page(
    State(st): State<SharedState>,
    staff: Staff,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let a = stored(&st, &raw).await?;
    ConfirmView {
        b: StaffBase::of(&staff),
        title: format!("Delete announcement #{}?", a.id),
        what: a
            .text_in("en")
            .map(|(t, _)| t.title.clone())
            .unwrap_or_default(),
        note: "Its texts go with it. An announcement that timeline events belong to is kept: \
               unlink them first.",
        action: format!("{PREFIX}/announcements/{}/delete", a.id),
        button: format!("Delete announcement #{}", a.id),
        back: format!("{PREFIX}/announcements"),
    }
    .answer(StatusCode::OK)
}

/// `POST /staff/announcements/{id}/delete`.
pub(crate) async fn delete(
    State(st): State<SharedState>,
    staff: Staff,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let a = stored(&st, &raw).await?;
    match st
        .staff
        .delete_announcement(a.id, staff.user.email.as_str())
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("{PREFIX}/announcements")).into_response()),
        Err(StoreError::Invalid(why)) => ConfirmView::in_use(
            &staff,
            format!("Announcement #{} is in use", a.id),
            why,
            "Edit the events that belong to it first.",
            format!("{PREFIX}/announcements"),
        ),
        Err(StoreError::NotFound(_)) => Err(WebError::NotFound),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> AnnouncementForm {
        AnnouncementForm {
            country: "CU".into(),
            date: "2025-01-14".into(),
            issuer_kind: "government".into(),
            issuer: "MINREX".into(),
            claim: "releases".into(),
            claimed: "553".into(),
            title_es: "Cuba anuncia 553".into(),
            sources: "#3, 4".into(),
            ..AnnouncementForm::default()
        }
    }

    #[test]
    fn a_filled_form_reads_back_as_it_was_stored() {
        let a = filled().parse(9).unwrap();
        assert_eq!(
            (a.id, a.claimed, a.source_ids.clone()),
            (9, Some(553), vec![3, 4])
        );
        assert_eq!(a.texts.len(), 1, "only the languages given");
        let again = AnnouncementForm::of(&a).parse(9).unwrap();
        assert_eq!(again, a);
        let thousands = AnnouncementForm {
            claimed: "1.200".into(),
            ..filled()
        };
        assert_eq!(thousands.parse(0).unwrap().claimed, Some(1200));
        for (text, n) in [
            ("553", Some(553)),
            ("1,200", Some(1200)),
            ("1 200", Some(1200)),
        ] {
            assert_eq!(whole_number(text), n, "{text}");
        }
        for bad in ["1.5", "1,200.50", "12,00", "decenas", "-3", ""] {
            assert_eq!(whole_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn each_problem_lands_on_its_field() {
        let bad = AnnouncementForm {
            country: "XX".into(),
            claimed: "decenas".into(),
            title_es: String::new(),
            ..filled()
        };
        let cols: Vec<String> = bad
            .parse(0)
            .unwrap_err()
            .into_iter()
            .map(|e| e.column)
            .collect();
        assert_eq!(cols, ["country", "claimed"]);
        let untitled = AnnouncementForm {
            claimed: String::new(),
            title_es: String::new(),
            ..filled()
        };
        let cols: Vec<String> = untitled
            .parse(0)
            .unwrap_err()
            .into_iter()
            .map(|e| e.column)
            .collect();
        assert_eq!(cols, ["claimed_words", "title_es"]);
    }
}
