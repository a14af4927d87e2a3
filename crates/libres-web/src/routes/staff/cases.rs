//! The forms that change a case beyond the person's own fields:
//! detentions, timeline events, and sources.
//!
//! - `POST /staff/persons/{id}/detentions` adds a detention, and
//!   `GET/POST /staff/persons/{id}/detentions/{key}/edit` changes one;
//! - `GET/POST /staff/persons/{id}/events/{key}/edit` changes an event,
//!   and `POST /staff/persons/{id}/events/{key}/delete` deletes it (the
//!   store re-derives the person's status either way);
//! - `GET /staff/sources` lists every source, cited or not;
//!   `GET /staff/sources/new` and `POST /staff/sources` add one, and
//!   `GET/POST /staff/sources/{key}/edit[?person={id}]` change one (and go
//!   back to that person's page, or to the list);
//! - each kind of record is deleted in two steps, both at
//!   `…/{key}/delete`: `GET` asks to confirm, `POST` deletes. A source is
//!   deleted only when no event cites it.
//!
//! Detentions and events need [`Permission::EditCases`], sources
//! [`Permission::EditSources`] (see `mod.rs`). A form with problems comes
//! back with the input and each problem next to its field (`422`).

use super::persons::{check_text, joined, opt, stored, to_person, EventForm, FormField, FormView};
use super::{Staff, StaffBase, PREFIX};
use crate::error::WebError;
use crate::state::SharedState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use libres_core::person::Detention;
use libres_core::{
    EdtfDate, Event, EventKind, FieldError, Permission, PersonId, ReleaseKind, Source, SourceKind,
};
use libres_store::{SourceUse, StoreError};
use serde::Deserialize;

/// A field of one of these forms, its problems from `errors`.
pub(super) fn field(
    name: &'static str,
    label: &'static str,
    value: &str,
    errors: &[FieldError],
) -> FormField {
    FormField {
        name,
        label,
        hint: "",
        value: value.to_owned(),
        error: joined(errors, name),
        multiline: false,
        confidential: false,
        readonly: false,
        options: Vec::new(),
        checkbox: false,
    }
}

/// A form page (the person form's template) with `fields`.
pub(super) fn form_page(
    staff: &Staff,
    title: String,
    action: String,
    back: String,
    fields: Vec<FormField>,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response, WebError> {
    let unplaced: Vec<String> = errors
        .iter()
        .filter(|e| !fields.iter().any(|f| f.name == e.column))
        .map(|e| e.to_string())
        .collect();
    let error = if !unplaced.is_empty() {
        Some(unplaced.join("; "))
    } else if !errors.is_empty() {
        Some("The form has problems; they are shown next to their fields.".into())
    } else {
        None
    };
    let view = FormView {
        b: StaffBase::of(staff),
        title,
        action,
        back,
        fields,
        error,
        hidden: Vec::new(),
        note: None,
    };
    Ok((status, Html(view.render()?)).into_response())
}

/// A key from a path: a positive number, or a 404.
pub(super) fn key(text: &str) -> Result<i64, WebError> {
    super::persons::record_number(text).ok_or(WebError::NotFound)
}

/// An EDTF date field: nothing when blank, a problem when unreadable.
fn date_field(errs: &mut Vec<FieldError>, col: &str, text: &str) -> Option<EdtfDate> {
    let t = opt(text)?;
    EdtfDate::parse(&t)
        .map_err(|e| errs.push(FieldError::new(col, e.to_string())))
        .ok()
}

// ---------------------------------------------------------------- detentions

/// The detention form as posted.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct DetentionForm {
    arrest_date: String,
    arrest_place: String,
    authority: String,
    /// Charge codes, one per line or separated by `|` (as in the
    /// detention CSV).
    charges: String,
    court: String,
    sentence: String,
    sentence_months: String,
    prison: String,
}

impl DetentionForm {
    /// The form filled with a stored detention.
    fn of(d: &Detention) -> DetentionForm {
        DetentionForm {
            arrest_date: d
                .arrest_date
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            arrest_place: d.arrest_place.clone().unwrap_or_default(),
            authority: d.authority.clone().unwrap_or_default(),
            charges: d.charges.join("\n"),
            court: d.court.clone().unwrap_or_default(),
            sentence: d.sentence.clone().unwrap_or_default(),
            sentence_months: d.sentence_months.map(|m| m.to_string()).unwrap_or_default(),
            prison: d.prison.clone().unwrap_or_default(),
        }
    }

    /// Validates the form; `id` is the detention's key (0 for a new one).
    fn parse(&self, id: i64) -> Result<Detention, Vec<FieldError>> {
        let mut errs = Vec::new();
        for (col, v) in [
            ("arrest_place", &self.arrest_place),
            ("authority", &self.authority),
            ("charges", &self.charges),
            ("court", &self.court),
            ("sentence", &self.sentence),
            ("prison", &self.prison),
        ] {
            check_text(&mut errs, col, v);
        }
        let arrest_date = date_field(&mut errs, "arrest_date", &self.arrest_date);
        let mut charges: Vec<String> = Vec::new();
        for c in self
            .charges
            .split(['|', '\n'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            if !charges.iter().any(|k| k == c) {
                charges.push(c.to_owned());
            }
        }
        let sentence_months = match opt(&self.sentence_months) {
            None => None,
            Some(t) => match t.parse::<u32>() {
                Ok(n) if n <= 1200 => Some(n),
                _ => {
                    errs.push(FieldError::new(
                        "sentence_months",
                        format!("`{t}` is not a number of months (a whole number up to 1200)"),
                    ));
                    None
                }
            },
        };
        if !errs.is_empty() {
            return Err(errs);
        }
        Ok(Detention {
            id,
            arrest_date,
            arrest_place: opt(&self.arrest_place),
            authority: opt(&self.authority),
            charges,
            court: opt(&self.court),
            sentence: opt(&self.sentence),
            sentence_months,
            prison: opt(&self.prison),
        })
    }

    /// The form's fields, with `errors` next to them.
    fn fields(&self, errors: &[FieldError]) -> Vec<FormField> {
        vec![
            FormField {
                hint: "EDTF: 2021-07-11, 2021-07, 2021~ …",
                ..field("arrest_date", "Arrest date", &self.arrest_date, errors)
            },
            field("arrest_place", "Arrest place", &self.arrest_place, errors),
            field("authority", "Arresting authority", &self.authority, errors),
            FormField {
                hint: "charge codes, one per line or separated by |",
                multiline: true,
                ..field("charges", "Charges", &self.charges, errors)
            },
            field("court", "Court", &self.court, errors),
            field(
                "sentence",
                "Sentence, as pronounced",
                &self.sentence,
                errors,
            ),
            FormField {
                hint: "a whole number, when known",
                ..field(
                    "sentence_months",
                    "Sentence in months",
                    &self.sentence_months,
                    errors,
                )
            },
            field("prison", "Prison", &self.prison, errors),
        ]
    }
}

/// The detention form page of person `id`: a new detention when `key`
/// is `None`.
fn detention_page(
    staff: &Staff,
    id: &str,
    key: Option<i64>,
    form: &DetentionForm,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response, WebError> {
    let (title, action) = match key {
        None => (
            format!("Add a detention to {id}"),
            format!("{PREFIX}/persons/{id}/detentions"),
        ),
        Some(k) => (
            format!("Edit detention #{k} of {id}"),
            format!("{PREFIX}/persons/{id}/detentions/{k}/edit"),
        ),
    };
    form_page(
        staff,
        title,
        action,
        format!("{PREFIX}/persons/{id}"),
        form.fields(errors),
        errors,
        status,
    )
}

/// `POST /staff/persons/{id}/detentions`.
pub(crate) async fn add_detention(
    State(st): State<SharedState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<DetentionForm>,
) -> Result<Response, WebError> {
    let (pid, _) = stored(&st, &id).await?;
    let detention = match form.parse(0) {
        Ok(d) => d,
        Err(errors) => {
            return detention_page(
                &staff,
                pid.as_str(),
                None,
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    match st
        .staff
        .add_detention(&pid, &detention, staff.user.email.as_str())
        .await
    {
        Ok(_) => Ok(to_person(pid.as_str())),
        Err(StoreError::Invalid(why)) => detention_page(
            &staff,
            pid.as_str(),
            None,
            &form,
            &[FieldError::new("detention", why)],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => Err(e.into()),
    }
}

/// The stored detention `key` of person `id`, or a 404.
async fn stored_detention(
    st: &SharedState,
    id: &str,
    key_text: &str,
) -> Result<(PersonId, Detention), WebError> {
    let k = key(key_text)?;
    let pid = PersonId::parse(id).map_err(|_| WebError::NotFound)?;
    let record = st.staff.get_person(&pid).await?.ok_or(WebError::NotFound)?;
    let d = record
        .detentions
        .into_iter()
        .find(|d| d.id == k)
        .ok_or(WebError::NotFound)?;
    Ok((pid, d))
}

/// `GET /staff/persons/{id}/detentions/{key}/edit`.
pub(crate) async fn edit_detention_page(
    State(st): State<SharedState>,
    staff: Staff,
    Path((id, k)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (pid, d) = stored_detention(&st, &id, &k).await?;
    detention_page(
        &staff,
        pid.as_str(),
        Some(d.id),
        &DetentionForm::of(&d),
        &[],
        StatusCode::OK,
    )
}

/// `POST /staff/persons/{id}/detentions/{key}/edit`.
pub(crate) async fn edit_detention(
    State(st): State<SharedState>,
    staff: Staff,
    Path((id, k)): Path<(String, String)>,
    Form(form): Form<DetentionForm>,
) -> Result<Response, WebError> {
    let (pid, d) = stored_detention(&st, &id, &k).await?;
    let invalid = |errors: &[FieldError]| {
        detention_page(
            &staff,
            pid.as_str(),
            Some(d.id),
            &form,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let detention = match form.parse(d.id) {
        Ok(d) => d,
        Err(errors) => return invalid(&errors),
    };
    match st
        .staff
        .update_detention(&pid, &detention, staff.user.email.as_str())
        .await
    {
        Ok(_) => Ok(to_person(pid.as_str())),
        Err(StoreError::NotFound(_)) => Err(WebError::NotFound),
        Err(StoreError::Invalid(why)) => invalid(&[FieldError::new("detention", why)]),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- events

/// How the conditions field is filled.
const CONDITIONS_HINT: &str =
    "condition slugs separated by | (see the person page's add-event form for the list)";

/// The event form filled with a stored event.
fn event_form_of(e: &Event) -> EventForm {
    EventForm {
        kind: e.kind.slug().to_owned(),
        date: e.date.to_string(),
        release_kind: e
            .release
            .as_ref()
            .map(|r| r.kind.slug().to_owned())
            .unwrap_or_default(),
        conditions: e.condition_slugs(),
        place: e.place.clone().unwrap_or_default(),
        description: e.description.clone().unwrap_or_default(),
        sources: e
            .source_ids
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        announcement: e.announcement_id.map(|a| a.to_string()).unwrap_or_default(),
        verified_by: e
            .verification
            .as_ref()
            .map(|v| v.by.join(" | "))
            .unwrap_or_default(),
        verified_on: e
            .verification
            .as_ref()
            .and_then(|v| v.on.as_ref())
            .map(ToString::to_string)
            .unwrap_or_default(),
    }
}

/// The edit page of event `key` of person `id`.
fn event_page(
    staff: &Staff,
    id: &str,
    key: i64,
    form: &EventForm,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response, WebError> {
    let mut kinds = vec![""];
    kinds.extend(EventKind::ALL.iter().map(|k| k.slug()));
    let mut release_kinds = vec![""];
    release_kinds.extend(ReleaseKind::ALL.iter().map(|k| k.slug()));
    let fields = vec![
        FormField {
            options: kinds,
            ..field("kind", "What happened", &form.kind, errors)
        },
        FormField {
            hint: "EDTF: 2021-07-11, 2021-07, 2021~ …",
            ..field("date", "Date", &form.date, errors)
        },
        FormField {
            options: release_kinds,
            ..field(
                "release_kind",
                "For a release: its kind",
                &form.release_kind,
                errors,
            )
        },
        FormField {
            hint: CONDITIONS_HINT,
            ..field(
                "conditions",
                "For a release: conditions",
                &form.conditions,
                errors,
            )
        },
        field("place", "Place", &form.place, errors),
        FormField {
            multiline: true,
            ..field(
                "description",
                "Description (public)",
                &form.description,
                errors,
            )
        },
        FormField {
            hint: "their numbers, separated by commas",
            ..field("sources", "Sources cited", &form.sources, errors)
        },
        FormField {
            hint: "its number, when the event is one the announcement claimed",
            ..field("announcement", "Announcement", &form.announcement, errors)
        },
        FormField {
            hint: "organisations, separated by |",
            ..field("verified_by", "Verified by", &form.verified_by, errors)
        },
        FormField {
            hint: "EDTF",
            ..field("verified_on", "Verified on", &form.verified_on, errors)
        },
    ];
    form_page(
        staff,
        format!("Edit event #{key} of {id}"),
        format!("{PREFIX}/persons/{id}/events/{key}/edit"),
        format!("{PREFIX}/persons/{id}"),
        fields,
        errors,
        status,
    )
}

/// The stored event `key` of person `id`, or a 404.
async fn stored_event(
    st: &SharedState,
    id: &str,
    key_text: &str,
) -> Result<(PersonId, Event), WebError> {
    let k = key(key_text)?;
    let pid = PersonId::parse(id).map_err(|_| WebError::NotFound)?;
    let record = st.staff.get_person(&pid).await?.ok_or(WebError::NotFound)?;
    let e = record
        .events
        .into_iter()
        .find(|e| e.id == k)
        .ok_or(WebError::NotFound)?;
    Ok((pid, e))
}

/// `GET /staff/persons/{id}/events/{key}/edit`.
pub(crate) async fn edit_event_page(
    State(st): State<SharedState>,
    staff: Staff,
    Path((id, k)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (pid, e) = stored_event(&st, &id, &k).await?;
    event_page(
        &staff,
        pid.as_str(),
        e.id,
        &event_form_of(&e),
        &[],
        StatusCode::OK,
    )
}

/// `POST /staff/persons/{id}/events/{key}/edit`.
pub(crate) async fn edit_event(
    State(st): State<SharedState>,
    staff: Staff,
    Path((id, k)): Path<(String, String)>,
    Form(form): Form<EventForm>,
) -> Result<Response, WebError> {
    let (pid, old) = stored_event(&st, &id, &k).await?;
    let invalid = |errors: &[FieldError]| {
        event_page(
            &staff,
            pid.as_str(),
            old.id,
            &form,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let event = match form.parse() {
        Ok(e) => Event { id: old.id, ..e },
        Err(errors) => return invalid(&errors),
    };
    match st
        .staff
        .update_event(&pid, &event, staff.user.email.as_str())
        .await
    {
        Ok(_) => Ok(to_person(pid.as_str())),
        Err(StoreError::NotFound(what)) if what.starts_with("source") => {
            invalid(&[FieldError::new(
                "sources",
                format!("there is no {what}; cite sources by their number"),
            )])
        }
        Err(StoreError::NotFound(what)) if what.starts_with("announcement") => {
            invalid(&[FieldError::new(
                "announcement",
                format!("there is no {what}"),
            )])
        }
        Err(StoreError::NotFound(_)) => Err(WebError::NotFound),
        Err(StoreError::Invalid(why)) => invalid(&[FieldError::new("event", why)]),
        Err(e) => Err(e.into()),
    }
}

/// `POST /staff/persons/{id}/events/{key}/delete`.
pub(crate) async fn delete_event(
    State(st): State<SharedState>,
    staff: Staff,
    Path((id, k)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (pid, e) = stored_event(&st, &id, &k).await?;
    match st
        .staff
        .delete_event(&pid, e.id, staff.user.email.as_str())
        .await
    {
        Ok(_) => Ok(to_person(pid.as_str())),
        Err(StoreError::NotFound(_)) => Err(WebError::NotFound),
        // The timeline would not hold without it (a release it precedes).
        Err(StoreError::Invalid(why)) => ConfirmView::in_use(
            &staff,
            format!("The {} of {} stays", e.kind, e.date),
            why,
            "Nothing was deleted.",
            format!("{PREFIX}/persons/{pid}"),
        ),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- sources

/// The source form as posted.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct SourceForm {
    title: String,
    url: String,
    publisher: String,
    date: String,
    kind: String,
    /// `yes` when the box is checked; absent otherwise.
    confidential: String,
}

/// `?person=`: the person whose page the source form was opened from.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct FromPerson {
    person: String,
}

impl SourceForm {
    fn of(s: &Source) -> SourceForm {
        SourceForm {
            title: s.title.clone(),
            url: s.url.clone().unwrap_or_default(),
            publisher: s.publisher.clone().unwrap_or_default(),
            date: s.date.as_ref().map(ToString::to_string).unwrap_or_default(),
            kind: s.kind.slug().to_owned(),
            confidential: if s.confidential {
                "yes".into()
            } else {
                String::new()
            },
        }
    }

    fn parse(&self, id: i64) -> Result<Source, Vec<FieldError>> {
        let mut errs = Vec::new();
        for (col, v) in [
            ("title", &self.title),
            ("url", &self.url),
            ("publisher", &self.publisher),
        ] {
            check_text(&mut errs, col, v);
        }
        let title = opt(&self.title);
        if title.is_none() {
            errs.push(FieldError::new(
                "title",
                "is empty; give the source a title",
            ));
        }
        let url = opt(&self.url);
        if let Some(u) = &url {
            let lower = u.to_ascii_lowercase();
            if !(lower.starts_with("https://") || lower.starts_with("http://"))
                || u.chars().any(char::is_whitespace)
            {
                errs.push(FieldError::new(
                    "url",
                    "must be a web address starting with https:// or http://",
                ));
            }
        }
        let date = date_field(&mut errs, "date", &self.date);
        let kind = SourceKind::from_slug(self.kind.trim());
        if kind.is_none() {
            errs.push(FieldError::new(
                "kind",
                "choose what kind of document it is",
            ));
        }
        let confidential = match self.confidential.trim() {
            "" => false,
            "yes" | "on" => true,
            other => {
                errs.push(FieldError::new(
                    "confidential",
                    format!("`{other}` is not yes or no"),
                ));
                false
            }
        };
        match (title, kind) {
            (Some(title), Some(kind)) if errs.is_empty() => Ok(Source {
                id,
                url,
                title,
                publisher: opt(&self.publisher),
                date,
                kind,
                confidential,
            }),
            _ => Err(errs),
        }
    }
}

/// The source form page: a new source when `key` is `None`; `person` is
/// the page it was opened from, if any.
fn source_page(
    staff: &Staff,
    key: Option<i64>,
    person: Option<&PersonId>,
    form: &SourceForm,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response, WebError> {
    let mut kinds = vec![""];
    kinds.extend(SourceKind::ALL.iter().map(|k| k.slug()));
    let fields = vec![
        field("title", "Title", &form.title, errors),
        FormField {
            hint: "https://…, when it can be read",
            ..field("url", "Address", &form.url, errors)
        },
        field("publisher", "Publisher or author", &form.publisher, errors),
        FormField {
            hint: "EDTF: 2021-07-11, 2021-07, 2021~ …",
            ..field("date", "Publication date", &form.date, errors)
        },
        FormField {
            options: kinds,
            ..field("kind", "Kind", &form.kind, errors)
        },
        FormField {
            checkbox: true,
            hint: "testimony, most often: the source is never shown in public",
            ..field("confidential", "Confidential", &form.confidential, errors)
        },
    ];
    let back = match person {
        Some(p) => format!("{PREFIX}/persons/{p}"),
        None => format!("{PREFIX}/sources"),
    };
    let (title, action) = match key {
        None => ("New source".to_owned(), format!("{PREFIX}/sources")),
        Some(k) => (
            format!("Edit source #{k}"),
            match person {
                Some(p) => format!("{PREFIX}/sources/{k}/edit?person={p}"),
                None => format!("{PREFIX}/sources/{k}/edit"),
            },
        ),
    };
    form_page(staff, title, action, back, fields, errors, status)
}

/// The page a new source was added from.
#[derive(Template)]
#[template(path = "staff/source_added.html")]
struct AddedView {
    b: StaffBase,
    key: i64,
    title: String,
}

/// `GET /staff/sources/new`.
pub(crate) async fn new_source_page(staff: Staff) -> Result<Response, WebError> {
    source_page(
        &staff,
        None,
        None,
        &SourceForm::default(),
        &[],
        StatusCode::OK,
    )
}

/// `POST /staff/sources`: adds the source and shows its number, the one
/// an event form cites it by.
pub(crate) async fn add_source(
    State(st): State<SharedState>,
    staff: Staff,
    Form(form): Form<SourceForm>,
) -> Result<Response, WebError> {
    let invalid = |errors: &[FieldError]| {
        source_page(
            &staff,
            None,
            None,
            &form,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let source = match form.parse(0) {
        Ok(s) => s,
        Err(errors) => return invalid(&errors),
    };
    match st
        .staff
        .add_source(&source, staff.user.email.as_str())
        .await
    {
        Ok(key) => {
            let view = AddedView {
                b: StaffBase::of(&staff),
                key,
                title: source.title,
            };
            Ok((StatusCode::CREATED, Html(view.render()?)).into_response())
        }
        Err(StoreError::Invalid(why)) => invalid(&[FieldError::new("source", why)]),
        Err(e) => Err(e.into()),
    }
}

/// The stored source `key`, or a 404.
async fn stored_source(st: &SharedState, key_text: &str) -> Result<SourceUse, WebError> {
    let k = key(key_text)?;
    st.staff.source(k).await?.ok_or(WebError::NotFound)
}

/// The stored source `key` for a page that shows it to `staff`, the read
/// on record (a confidential source's title and address are on it).
async fn shown_source(
    st: &SharedState,
    staff: &Staff,
    key_text: &str,
) -> Result<SourceUse, WebError> {
    let used = stored_source(st, key_text).await?;
    super::audit_read(
        st,
        staff,
        "source_viewed",
        "sources",
        serde_json::json!({
            "source": used.source.id,
            "confidential": used.source.confidential,
        }),
    )
    .await?;
    Ok(used)
}

impl FromPerson {
    /// The person to go back to, if the form was opened from one (an id
    /// that cannot be one is a 404).
    fn person(&self) -> Result<Option<PersonId>, WebError> {
        match self.person.trim() {
            "" => Ok(None),
            id => PersonId::parse(id)
                .map(Some)
                .map_err(|_| WebError::NotFound),
        }
    }

    /// Where to go after the form: the person's page, or the sources.
    fn back(&self) -> Result<String, WebError> {
        Ok(match self.person()? {
            Some(p) => format!("{PREFIX}/persons/{p}"),
            None => format!("{PREFIX}/sources"),
        })
    }
}

/// `GET /staff/sources/{key}/edit[?person={id}]`.
pub(crate) async fn edit_source_page(
    State(st): State<SharedState>,
    staff: Staff,
    Path(k): Path<String>,
    Query(from): Query<FromPerson>,
) -> Result<Response, WebError> {
    let used = shown_source(&st, &staff, &k).await?;
    source_page(
        &staff,
        Some(used.source.id),
        from.person()?.as_ref(),
        &SourceForm::of(&used.source),
        &[],
        StatusCode::OK,
    )
}

/// `POST /staff/sources/{key}/edit[?person={id}]`: back to that person's
/// page, or to the list of sources.
pub(crate) async fn edit_source(
    State(st): State<SharedState>,
    staff: Staff,
    Path(k): Path<String>,
    Query(from): Query<FromPerson>,
    Form(form): Form<SourceForm>,
) -> Result<Response, WebError> {
    let old = stored_source(&st, &k).await?.source;
    let person = from.person()?;
    let source = match form.parse(old.id) {
        Ok(s) => s,
        Err(errors) => {
            return source_page(
                &staff,
                Some(old.id),
                person.as_ref(),
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    match st
        .staff
        .update_source(&source, staff.user.email.as_str())
        .await
    {
        Ok(_) => Ok(Redirect::to(&from.back()?).into_response()),
        Err(StoreError::NotFound(_)) => Err(WebError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// How many sources a page of the list shows.
const SOURCES_PER_PAGE: usize = 100;

/// `?after=`: the list of sources continues after this key.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct AfterKey {
    after: String,
}

/// The list of every source.
#[derive(Template)]
#[template(path = "staff/sources.html")]
struct SourcesView {
    b: StaffBase,
    sources: Vec<SourceUse>,
    after: i64,
    next: Option<i64>,
    can_edit: bool,
}

/// `GET /staff/sources[?after={key}]`: every source, cited or not,
/// confidential ones marked, a hundred at a time. Staff reach the sources
/// no event cites yet from here.
pub(crate) async fn sources(
    State(st): State<SharedState>,
    staff: Staff,
    Query(page): Query<AfterKey>,
) -> Result<Response, WebError> {
    let after = match page.after.trim() {
        "" => 0,
        t => t.parse::<i64>().map_err(|_| WebError::NotFound)?.max(0),
    };
    let mut sources = st.staff.sources(after, SOURCES_PER_PAGE + 1).await?;
    let next = if sources.len() > SOURCES_PER_PAGE {
        sources.truncate(SOURCES_PER_PAGE);
        sources.last().map(|u| u.source.id)
    } else {
        None
    };
    super::audit_read(
        &st,
        &staff,
        "sources_listed",
        "sources",
        serde_json::json!({ "after": after, "shown": sources.len() }),
    )
    .await?;
    let view = SourcesView {
        b: StaffBase::of(&staff),
        sources,
        after,
        next,
        can_edit: staff.user.role.can(Permission::EditSources),
    };
    Ok(Html(view.render()?).into_response())
}

// ---------------------------------------------------------------- deleting

/// A page that asks to confirm a deletion: a form that works without
/// JavaScript, where a stray click on the record's page cannot delete.
#[derive(Template)]
#[template(path = "staff/confirm.html")]
pub(super) struct ConfirmView {
    pub b: StaffBase,
    pub title: String,
    pub what: String,
    pub note: &'static str,
    pub action: String,
    pub button: String,
    pub back: String,
}

impl ConfirmView {
    /// The page that says why a record cannot be deleted yet (`409`): no
    /// form, only the way back.
    pub(super) fn in_use(
        staff: &Staff,
        title: String,
        why: String,
        note: &'static str,
        back: String,
    ) -> Result<Response, WebError> {
        ConfirmView {
            b: StaffBase::of(staff),
            title,
            what: why,
            note,
            action: String::new(),
            button: String::new(),
            back,
        }
        .answer(StatusCode::CONFLICT)
    }

    pub(super) fn answer(self, status: StatusCode) -> Result<Response, WebError> {
        Ok((status, Html(self.render()?)).into_response())
    }
}

/// `GET /staff/persons/{id}/events/{key}/delete`: asks first.
pub(crate) async fn delete_event_page(
    State(st): State<SharedState>,
    staff: Staff,
    Path((id, k)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (pid, e) = stored_event(&st, &id, &k).await?;
    ConfirmView {
        b: StaffBase::of(&staff),
        title: format!("Delete event #{} of {pid}?", e.id),
        what: e.describe(),
        note: "The person's status is derived again from the events that remain. \
               The record's history keeps what the event said.",
        action: format!("{PREFIX}/persons/{pid}/events/{}/delete", e.id),
        button: format!("Delete event #{}", e.id),
        back: format!("{PREFIX}/persons/{pid}"),
    }
    .answer(StatusCode::OK)
}

/// `GET /staff/persons/{id}/detentions/{key}/delete`: asks first.
pub(crate) async fn delete_detention_page(
    State(st): State<SharedState>,
    staff: Staff,
    Path((id, k)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (pid, d) = stored_detention(&st, &id, &k).await?;
    let arrested = d
        .arrest_date
        .as_ref()
        .map_or_else(|| "on a date not recorded".to_owned(), |a| a.to_string());
    ConfirmView {
        b: StaffBase::of(&staff),
        title: format!("Delete detention #{} of {pid}?", d.id),
        what: format!(
            "Arrested {arrested}{}.",
            d.prison
                .as_deref()
                .map(|p| format!("; prison: {p}"))
                .unwrap_or_default()
        ),
        note: "The timeline's events stay: delete them apart if they belong to this detention. \
               The record's history keeps every field of the detention.",
        action: format!("{PREFIX}/persons/{pid}/detentions/{}/delete", d.id),
        button: format!("Delete detention #{}", d.id),
        back: format!("{PREFIX}/persons/{pid}"),
    }
    .answer(StatusCode::OK)
}

/// `POST /staff/persons/{id}/detentions/{key}/delete`.
pub(crate) async fn delete_detention(
    State(st): State<SharedState>,
    staff: Staff,
    Path((id, k)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (pid, d) = stored_detention(&st, &id, &k).await?;
    match st
        .staff
        .delete_detention(&pid, d.id, staff.user.email.as_str())
        .await
    {
        Ok(()) => Ok(to_person(pid.as_str())),
        Err(StoreError::NotFound(_)) => Err(WebError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// Why a cited source cannot be deleted, on the confirmation page.
fn cited_source(staff: &Staff, used: &SourceUse, why: String) -> Result<Response, WebError> {
    ConfirmView::in_use(
        staff,
        format!("Source #{} is cited", used.source.id),
        why,
        "Edit the events and announcements that cite it first; a source nothing cites can be \
         deleted.",
        format!("{PREFIX}/sources"),
    )
}

/// `GET /staff/sources/{key}/delete`: asks first; a cited source is
/// refused here already.
pub(crate) async fn delete_source_page(
    State(st): State<SharedState>,
    staff: Staff,
    Path(k): Path<String>,
) -> Result<Response, WebError> {
    let used = shown_source(&st, &staff, &k).await?;
    let key = used.source.id;
    if used.citations > 0 {
        let why = format!(
            "Source #{key} is cited {} time{} (by events or announcements).",
            used.citations,
            if used.citations == 1 { "" } else { "s" }
        );
        return cited_source(&staff, &used, why);
    }
    ConfirmView {
        b: StaffBase::of(&staff),
        title: format!("Delete source #{key}?"),
        what: used.source.title.clone(),
        note: "No event cites it. The audit log keeps its number and kind.",
        action: format!("{PREFIX}/sources/{key}/delete"),
        button: format!("Delete source #{key}"),
        back: format!("{PREFIX}/sources"),
    }
    .answer(StatusCode::OK)
}

/// `POST /staff/sources/{key}/delete`: back to the list of sources.
pub(crate) async fn delete_source(
    State(st): State<SharedState>,
    staff: Staff,
    Path(k): Path<String>,
) -> Result<Response, WebError> {
    let used = stored_source(&st, &k).await?;
    match st
        .staff
        .delete_source(used.source.id, staff.user.email.as_str())
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("{PREFIX}/sources")).into_response()),
        Err(StoreError::NotFound(_)) => Err(WebError::NotFound),
        Err(StoreError::Invalid(why)) => cited_source(&staff, &used, why),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charges_are_read_one_per_line_or_separated_by_bars() {
        let form = DetentionForm {
            charges: "cu.desacato\r\ncu.propaganda_enemiga | cu.desacato\n\n".into(),
            sentence_months: "96".into(),
            arrest_date: "2021-07-11".into(),
            ..DetentionForm::default()
        };
        let d = form.parse(7).unwrap();
        assert_eq!(d.charges, ["cu.desacato", "cu.propaganda_enemiga"]);
        assert_eq!(d.sentence_months, Some(96));
        assert_eq!(d.id, 7);
        assert_eq!(
            DetentionForm::of(&d).charges,
            "cu.desacato\ncu.propaganda_enemiga"
        );
    }

    #[test]
    fn a_detention_form_names_each_problem() {
        let form = DetentionForm {
            arrest_date: "2021-13".into(),
            sentence_months: "ocho".into(),
            prison: "a\u{7}".into(),
            ..DetentionForm::default()
        };
        let cols: Vec<String> = form
            .parse(0)
            .unwrap_err()
            .into_iter()
            .map(|e| e.column)
            .collect();
        assert_eq!(cols, ["prison", "arrest_date", "sentence_months"]);
    }

    #[test]
    fn a_source_needs_a_title_a_kind_and_a_web_address() {
        let bad = SourceForm {
            url: "javascript:alert(1)".into(),
            ..SourceForm::default()
        };
        let cols: Vec<String> = bad
            .parse(0)
            .unwrap_err()
            .into_iter()
            .map(|e| e.column)
            .collect();
        assert_eq!(cols, ["title", "url", "kind"]);
        let ok = SourceForm {
            title: "Testimonio".into(),
            kind: "testimony".into(),
            confidential: "yes".into(),
            ..SourceForm::default()
        }
        .parse(3)
        .unwrap();
        assert!(ok.confidential);
        assert_eq!(SourceForm::of(&ok).confidential, "yes");
    }
}
