//! `/staff/persons`: the registry as staff see it, unpublished persons
//! and confidential fields included, and the forms that change it.
//!
//! - `GET /staff/persons?q=&page=` searches every person (viewer and up);
//! - `GET /staff/persons/{id}` shows the whole record, its timeline with
//!   its sources, and its history, newest change first (viewer and up);
//! - `GET/POST /staff/persons/{id}/edit` and `GET/POST /staff/persons/new`
//!   change or create a person (researcher and up);
//! - `POST /staff/persons/{id}/events` adds a timeline event (researcher
//!   and up).
//!
//! Detentions, event edits and sources have their forms in `cases.rs`.
//!
//! A form is validated with the same rules, and the same words, as a row
//! of an imported file ([`PersonDraft::parse`]); a form with problems comes
//! back with the user's input and each problem next to its field (`422`).
//! Only a role allowed [`Permission::Publish`] changes the family's
//! consent to publication: for anyone else the stored value is kept, and a
//! new person is unpublished. Every write is recorded by the store with
//! the staff member's email as its actor, in the person's history and in
//! the audit log.

use super::{Staff, StaffBase, PREFIX};
use crate::error::WebError;
use crate::state::SharedState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use libres_core::person::PersonDraft;
use libres_core::{
    Condition, EdtfDate, Event, EventKind, FieldError, Permission, Person, PersonId, Release,
    ReleaseKind, Verification,
};
use libres_store::{CaseBundle, PersonQuery, PersonRecord, PersonSummary, StoreError};
use serde::Deserialize;

/// Rows per page of the search.
const PER_PAGE: u32 = 50;

/// The longest search text accepted.
const MAX_QUERY_CHARS: usize = 200;

// ---------------------------------------------------------------- search

/// The search page.
#[derive(Template)]
#[template(path = "staff/persons.html")]
struct ListView {
    b: StaffBase,
    q: String,
    items: Vec<PersonSummary>,
    total: u64,
    page: u32,
    pages: u32,
    /// `&q=…` for the page links, already URL-encoded.
    q_param: String,
    can_create: bool,
}

/// `?q=&page=`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ListParams {
    q: String,
    page: String,
}

/// `GET /staff/persons`.
pub(crate) async fn list(
    State(st): State<SharedState>,
    staff: Staff,
    Query(params): Query<ListParams>,
) -> Result<Response, WebError> {
    if params.q.chars().count() > MAX_QUERY_CHARS {
        return Ok(super::refusal(
            StatusCode::BAD_REQUEST,
            "Search too long",
            &format!("Search with at most {MAX_QUERY_CHARS} characters."),
        ));
    }
    let page = match params.page.trim() {
        "" => 1,
        p => match p.parse::<u32>() {
            Ok(n) if n >= 1 => n,
            _ => {
                return Ok(super::refusal(
                    StatusCode::BAD_REQUEST,
                    "No such page",
                    "The page number must be a whole number from 1.",
                ))
            }
        },
    };
    let q = params.q.trim().to_owned();
    let found = st
        .staff
        .search_persons(&PersonQuery {
            q: (!q.is_empty()).then(|| q.clone()),
            page,
            per_page: PER_PAGE,
            include_unpublished: true,
            ..PersonQuery::default()
        })
        .await?;
    // The search words are not recorded: they may be a name the family
    // asked to keep private.
    super::audit_read(
        &st,
        &staff,
        "persons_searched",
        "persons",
        serde_json::json!({
            "searched": !q.is_empty(),
            "page": page,
            "found": found.total,
            "shown": found.items.len(),
        }),
    )
    .await?;
    let pages = u32::try_from(found.total.div_ceil(u64::from(PER_PAGE)))
        .unwrap_or(u32::MAX)
        .max(1);
    let view = ListView {
        b: StaffBase::of(&staff),
        q_param: serde_urlencoded::to_string([("q", &q)]).unwrap_or_default(),
        q,
        items: found.items,
        total: found.total,
        page,
        pages,
        can_create: staff.user.role.can(Permission::EditCases),
    };
    Ok(Html(view.render()?).into_response())
}

// ---------------------------------------------------------------- one person

/// One line of the record: a field, its value, and whether it is
/// confidential.
struct FieldLine {
    name: &'static str,
    value: String,
    confidential: bool,
}

/// One change of the history, ready to show.
struct ChangeLine {
    field: String,
    old: String,
    new: String,
    confidential: bool,
}

/// One entry of the history, ready to show.
struct HistoryLine {
    at: String,
    actor: String,
    action: String,
    changes: Vec<ChangeLine>,
}

/// The person page.
#[derive(Template)]
#[template(path = "staff/person.html")]
struct PersonView {
    b: StaffBase,
    id: String,
    name: String,
    published: bool,
    status: String,
    fields: Vec<FieldLine>,
    record: PersonRecord,
    history: Vec<HistoryLine>,
    can_edit: bool,
    /// May add and change sources.
    can_edit_sources: bool,
    /// The add-event form, as sent back when it had problems.
    event: EventForm,
    event_errors: Vec<FieldError>,
    kinds: Vec<&'static str>,
    release_kinds: Vec<&'static str>,
    conditions: Vec<&'static str>,
}

impl PersonView {
    /// The messages of the event form's problems with `field`, joined.
    fn event_error(&self, field: &str) -> String {
        joined(&self.event_errors, field)
    }
}

/// The messages of `errors` about `field`, joined by "; ".
pub(super) fn joined(errors: &[FieldError], field: &str) -> String {
    errors
        .iter()
        .filter(|e| e.column == field)
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// `GET /staff/persons/{id}`.
pub(crate) async fn show(
    State(st): State<SharedState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    person_page(
        &st,
        &staff,
        &id,
        StatusCode::OK,
        EventForm::default(),
        Vec::new(),
    )
    .await
}

/// The person page with the event form as given.
pub(super) async fn person_page(
    st: &SharedState,
    staff: &Staff,
    id: &str,
    status: StatusCode,
    event: EventForm,
    event_errors: Vec<FieldError>,
) -> Result<Response, WebError> {
    let Ok(pid) = PersonId::parse(id) else {
        return Err(WebError::NotFound);
    };
    let Some(record) = st.staff.get_person(&pid).await? else {
        return Err(WebError::NotFound);
    };
    super::audit_read(
        st,
        staff,
        "person_viewed",
        pid.as_str(),
        serde_json::json!({ "published": record.person.publish }),
    )
    .await?;
    let mut history: Vec<HistoryLine> = st
        .staff
        .person_history(&pid)
        .await?
        .into_iter()
        .map(|h| HistoryLine {
            at: h.at,
            actor: h.actor,
            action: h.action,
            changes: h
                .changes
                .into_iter()
                .map(|c| ChangeLine {
                    confidential: c.is_confidential(),
                    field: c.field,
                    old: c.old.unwrap_or_default(),
                    new: c.new.unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    history.reverse();
    let fields = record
        .person
        .fields()
        .into_iter()
        .map(|(name, value)| FieldLine {
            name,
            value: value.unwrap_or_default(),
            confidential: Person::CONFIDENTIAL_FIELDS.contains(&name),
        })
        .collect();
    let view = PersonView {
        b: StaffBase::of(staff),
        id: record.person.id.to_string(),
        name: record.person.full_name(),
        published: record.person.publish,
        status: record.status.to_string(),
        fields,
        history,
        can_edit: staff.user.role.can(Permission::EditCases),
        can_edit_sources: staff.user.role.can(Permission::EditSources),
        event,
        event_errors,
        kinds: EventKind::ALL.iter().map(|k| k.slug()).collect(),
        release_kinds: ReleaseKind::ALL.iter().map(|k| k.slug()).collect(),
        conditions: Condition::ALL.iter().map(|k| k.slug()).collect(),
        record,
    };
    Ok((status, Html(view.render()?)).into_response())
}

// ---------------------------------------------------------------- the form

/// The person form as posted: text, as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct PersonForm {
    id: String,
    given_names: String,
    surname1: String,
    surname2: String,
    aliases: String,
    sex: String,
    birth_date: String,
    nationality: String,
    country: String,
    province: String,
    occupation: String,
    summary: String,
    private_notes: String,
    family_contact: String,
    publish: String,
    /// A new person made from a named list's name: the announcement and
    /// the name to confirm with them once saved.
    from_list: String,
    from_name: String,
}

impl PersonForm {
    /// The form filled with a stored person, in the notation the form
    /// (and the person CSV) uses.
    fn of(p: &Person) -> PersonForm {
        let text = |name: &str| {
            p.fields()
                .into_iter()
                .find(|(n, _)| *n == name)
                .and_then(|(_, v)| v)
                .unwrap_or_default()
        };
        PersonForm {
            id: p.id.to_string(),
            given_names: p.given_names.clone(),
            surname1: p.surname1.clone(),
            surname2: text("surname2"),
            aliases: text("aliases"),
            sex: text("sex"),
            birth_date: text("birth_date"),
            nationality: text("nationality"),
            country: text("country"),
            province: text("province"),
            occupation: text("occupation"),
            summary: text("summary"),
            private_notes: text("private_notes"),
            family_contact: text("family_contact"),
            publish: text("publish"),
            from_list: String::new(),
            from_name: String::new(),
        }
    }

    /// Validates the form as the import validates a row, plus the fields
    /// a row has no column for (aliases, occupation, summary), with the
    /// same limits.
    fn parse(&self) -> Result<Person, Vec<FieldError>> {
        let draft = PersonDraft {
            id: self.id.clone(),
            given_names: self.given_names.clone(),
            surname1: self.surname1.clone(),
            surname2: self.surname2.clone(),
            birth_date: self.birth_date.clone(),
            sex: self.sex.clone(),
            nationality: self.nationality.clone(),
            country: self.country.clone(),
            province: self.province.clone(),
            private_notes: self.private_notes.clone(),
            family_contact: self.family_contact.clone(),
            publish: self.publish.clone(),
        };
        let mut errs = Vec::new();
        for (col, v) in [
            ("aliases", &self.aliases),
            ("occupation", &self.occupation),
            ("summary", &self.summary),
        ] {
            check_text(&mut errs, col, v);
        }
        let parsed = draft.parse();
        match parsed {
            Ok(mut p) if errs.is_empty() => {
                p.aliases = self
                    .aliases
                    .split('|')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned)
                    .collect();
                p.occupation = opt(&self.occupation);
                p.summary = opt(&self.summary);
                Ok(p)
            }
            Ok(_) => Err(errs),
            Err(mut more) => {
                more.extend(errs);
                Err(more)
            }
        }
    }
}

/// The text of a field, or nothing when blank.
pub(super) fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// The limits every free-text field meets, as in an imported row.
pub(super) use libres_core::person::check_text;

/// One field of the person form, as the template draws it.
pub(super) struct FormField {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub value: String,
    pub error: String,
    /// A text area rather than a line.
    pub multiline: bool,
    /// Confidential: never shown in public.
    pub confidential: bool,
    /// Shown but not editable here (the reason is the hint).
    pub readonly: bool,
    /// The choices of a select (empty: free text).
    pub options: Vec<&'static str>,
    /// A checkbox, checked when the value is `yes`.
    pub checkbox: bool,
}

/// The edit and new-person page.
#[derive(Template)]
#[template(path = "staff/person_form.html")]
pub(super) struct FormView {
    pub b: StaffBase,
    pub title: String,
    pub action: String,
    /// Where "cancel" goes.
    pub back: String,
    pub fields: Vec<FormField>,
    /// Problems not tied to a field.
    pub error: Option<String>,
    /// Fields the form carries unseen (name, value).
    pub hidden: Vec<(&'static str, String)>,
    /// What the page says above the form.
    pub note: Option<String>,
}

/// Which form: a new person, or the person with this id.
enum Mode<'a> {
    New,
    Edit(&'a str),
}

/// The form page for `form`, with `errors` next to their fields.
fn form_page(
    staff: &Staff,
    mode: &Mode<'_>,
    form: &PersonForm,
    errors: &[FieldError],
    status: StatusCode,
) -> Result<Response, WebError> {
    let may_publish = staff.user.role.can(Permission::Publish);
    let editing = matches!(mode, Mode::Edit(_));
    let field = |name: &'static str, label: &'static str, value: &str| FormField {
        name,
        label,
        hint: "",
        value: value.to_owned(),
        error: joined(errors, name),
        multiline: false,
        confidential: Person::CONFIDENTIAL_FIELDS.contains(&name),
        readonly: false,
        options: Vec::new(),
        checkbox: false,
    };
    let mut fields = vec![
        FormField {
            readonly: editing,
            hint: if editing {
                "the id never changes"
            } else {
                "letters A–Z, digits, . _ - (e.g. CU-00123)"
            },
            ..field("id", "Id", &form.id)
        },
        field("given_names", "Given names", &form.given_names),
        field("surname1", "First surname", &form.surname1),
        field("surname2", "Second surname", &form.surname2),
        FormField {
            hint: "separated by |",
            ..field("aliases", "Aliases", &form.aliases)
        },
        FormField {
            options: vec!["", "M", "F", "X"],
            ..field("sex", "Sex", &form.sex)
        },
        FormField {
            hint: "EDTF: 1985, 1985-03, 1985-03-12, 1985~ …",
            ..field("birth_date", "Birth date", &form.birth_date)
        },
        FormField {
            hint: "alpha-2 codes separated by | (e.g. CU|ES)",
            ..field("nationality", "Nationalities", &form.nationality)
        },
        FormField {
            hint: "alpha-2 code of the country of detention",
            ..field("country", "Country", &form.country)
        },
        field("province", "Province", &form.province),
        field("occupation", "Occupation", &form.occupation),
        FormField {
            multiline: true,
            ..field("summary", "Summary (public)", &form.summary)
        },
        FormField {
            multiline: true,
            ..field("private_notes", "Private notes", &form.private_notes)
        },
        FormField {
            multiline: true,
            ..field("family_contact", "Family contact", &form.family_contact)
        },
    ];
    fields.push(if may_publish {
        FormField {
            options: vec!["no", "yes"],
            hint: "the family's consent to publication",
            ..field("publish", "Publish", &form.publish)
        }
    } else {
        FormField {
            readonly: true,
            hint: "only an editor or an administrator changes the consent to publication",
            ..field(
                "publish",
                "Publish",
                if form.publish.is_empty() {
                    "no"
                } else {
                    &form.publish
                },
            )
        }
    });
    let from_list = !form.from_list.is_empty() && !form.from_name.is_empty();
    let (title, action, back) = match mode {
        Mode::New if from_list => (
            "New person from a named list".to_owned(),
            format!("{PREFIX}/persons/new"),
            format!("{PREFIX}/announcements/{}/names", form.from_list),
        ),
        Mode::New => (
            "New person".to_owned(),
            format!("{PREFIX}/persons/new"),
            format!("{PREFIX}/persons"),
        ),
        Mode::Edit(id) => (
            format!("Edit {id}"),
            format!("{PREFIX}/persons/{id}/edit"),
            format!("{PREFIX}/persons/{id}"),
        ),
    };
    let view = FormView {
        b: StaffBase::of(staff),
        title,
        action,
        back,
        fields,
        error: None,
        hidden: if from_list {
            vec![
                ("from_list", form.from_list.clone()),
                ("from_name", form.from_name.clone()),
            ]
        } else {
            Vec::new()
        },
        note: from_list.then(|| {
            "Filled from the list, as the list writes the name: correct the parts and accents, \
             choose an id, and save. The name is then confirmed with this person."
                .to_owned()
        }),
    };
    let mut view = view;
    let unplaced: Vec<String> = errors
        .iter()
        .filter(|e| !view.fields.iter().any(|f| f.name == e.column))
        .map(|e| e.to_string())
        .collect();
    if !unplaced.is_empty() {
        view.error = Some(unplaced.join("; "));
    } else if !errors.is_empty() {
        view.error = Some("The form has problems; they are shown next to their fields.".into());
    }
    Ok((status, Html(view.render()?)).into_response())
}

/// The stored person `id`, or a 404.
pub(super) async fn stored(st: &SharedState, id: &str) -> Result<(PersonId, Person), WebError> {
    let pid = PersonId::parse(id).map_err(|_| WebError::NotFound)?;
    let record = st.staff.get_person(&pid).await?.ok_or(WebError::NotFound)?;
    Ok((pid, record.person))
}

/// `GET /staff/persons/{id}/edit`.
pub(crate) async fn edit_page(
    State(st): State<SharedState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (pid, person) = stored(&st, &id).await?;
    form_page(
        &staff,
        &Mode::Edit(pid.as_str()),
        &PersonForm::of(&person),
        &[],
        StatusCode::OK,
    )
}

/// `POST /staff/persons/{id}/edit`.
pub(crate) async fn edit(
    State(st): State<SharedState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(mut form): Form<PersonForm>,
) -> Result<Response, WebError> {
    let (pid, old) = stored(&st, &id).await?;
    let mode = Mode::Edit(pid.as_str());
    // The path names the person, whatever the form says.
    let shown = PersonForm::of(&old);
    form.id = shown.id.clone();
    if !staff.user.role.can(Permission::Publish) {
        form.publish = shown.publish;
    }
    let mut person = match form.parse() {
        Ok(p) => p,
        Err(errors) => {
            return form_page(
                &staff,
                &mode,
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    if !staff.user.role.can(Permission::Publish) {
        person.publish = old.publish;
    }
    // Every field, those an import keeps (aliases, occupation, summary)
    // included: this form shows them all.
    st.staff
        .update_person(&person, staff.user.email.as_str())
        .await?;
    Ok(to_person(pid.as_str()))
}

/// `?list=&name=`: a new person for a named list's name.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct FromList {
    list: String,
    name: String,
}

/// `GET /staff/persons/new[?list=A&name=N]`: with a list's pending name,
/// the form is filled from it (name parts, birth year, province, the
/// announcement's country).
pub(crate) async fn new_page(
    State(st): State<SharedState>,
    staff: Staff,
    Query(q): Query<FromList>,
) -> Result<Response, WebError> {
    let mut form = PersonForm {
        publish: "no".into(),
        ..PersonForm::default()
    };
    if !q.list.is_empty() || !q.name.is_empty() {
        let (a, n) = match super::named_lists::pending_name(&st, &staff, &q.list, &q.name).await {
            Ok(found) => found,
            Err(res) => return Ok(res),
        };
        let (given, s1, s2) = super::named_lists::name_parts(&n.full_name);
        form = PersonForm {
            given_names: given,
            surname1: s1,
            surname2: s2,
            birth_date: n.birth_year.map(|y| y.to_string()).unwrap_or_default(),
            province: n.province.clone().unwrap_or_default(),
            country: a.country.as_str().to_owned(),
            from_list: a.id.to_string(),
            from_name: n.id.to_string(),
            ..form
        };
    }
    form_page(&staff, &Mode::New, &form, &[], StatusCode::OK)
}

/// `POST /staff/persons/new`.
pub(crate) async fn create(
    State(st): State<SharedState>,
    staff: Staff,
    Form(mut form): Form<PersonForm>,
) -> Result<Response, WebError> {
    if !staff.user.role.can(Permission::Publish) {
        // Without the right to publish, a new person is unpublished.
        form.publish = "no".into();
    }
    let invalid = |errors: &[FieldError], form: &PersonForm| {
        form_page(
            &staff,
            &Mode::New,
            form,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let from_list = if form.from_list.is_empty() && form.from_name.is_empty() {
        None
    } else {
        match super::named_lists::pending_name(&st, &staff, &form.from_list, &form.from_name).await
        {
            Ok(found) => Some(found),
            Err(res) => return Ok(res),
        }
    };
    let person = match form.parse() {
        Ok(p) => p,
        Err(errors) => return invalid(&errors, &form),
    };
    let id = person.id.to_string();
    let pid = person.id.clone();
    let case = CaseBundle {
        person,
        detentions: Vec::new(),
        events: Vec::new(),
        sources: Vec::new(),
    };
    match st
        .staff
        .insert_cases(&[case], staff.user.email.as_str())
        .await
    {
        Ok(()) => match from_list {
            Some((a, n)) => {
                super::named_lists::confirm_new_person(&st, &staff, &a, n.id, &pid).await
            }
            None => Ok(to_person(&id)),
        },
        Err(StoreError::AlreadyExists(_)) => invalid(
            &[FieldError::new(
                "id",
                format!("a person with the id {id} already exists; choose another id, or edit that person"),
            )],
            &form,
        ),
        Err(e) => Err(e.into()),
    }
}

/// `303` to a person's page.
pub(super) fn to_person(id: &str) -> Response {
    Redirect::to(&format!("{PREFIX}/persons/{id}")).into_response()
}

// ---------------------------------------------------------------- events

/// The add-event form as posted.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct EventForm {
    pub kind: String,
    pub date: String,
    pub release_kind: String,
    /// Condition slugs separated by `|`.
    pub conditions: String,
    pub place: String,
    pub description: String,
    /// Source ids separated by commas or spaces.
    pub sources: String,
    /// The number of the announcement the event belongs to, if any.
    pub announcement: String,
    /// The organisations that verified it, separated by `|`.
    pub verified_by: String,
    /// When they verified it (EDTF).
    pub verified_on: String,
}

impl EventForm {
    pub(super) fn parse(&self) -> Result<Event, Vec<FieldError>> {
        let mut errs = Vec::new();
        for (col, v) in [
            ("place", &self.place),
            ("description", &self.description),
            ("conditions", &self.conditions),
            ("sources", &self.sources),
            ("announcement", &self.announcement),
            ("verified_by", &self.verified_by),
            ("verified_on", &self.verified_on),
        ] {
            check_text(&mut errs, col, v);
        }
        let announcement_id = opt(&self.announcement).and_then(|t| {
            record_number(&t).or_else(|| {
                errs.push(FieldError::new(
                    "announcement",
                    format!("`{t}` is not an announcement number"),
                ));
                None
            })
        });
        let verified_by: Vec<String> = self
            .verified_by
            .split('|')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        let verified_on = opt(&self.verified_on).and_then(|t| {
            EdtfDate::parse(&t)
                .map_err(|e| errs.push(FieldError::new("verified_on", e.to_string())))
                .ok()
        });
        if verified_by.is_empty() && verified_on.is_some() {
            errs.push(FieldError::new(
                "verified_by",
                "name the organisations that verified it, or leave the date empty",
            ));
        }
        let verification = (!verified_by.is_empty()).then_some(Verification {
            by: verified_by,
            on: verified_on,
        });
        let kind = match EventKind::from_slug(self.kind.trim()) {
            Some(k) => Some(k),
            None => {
                errs.push(FieldError::new("kind", "choose what happened"));
                None
            }
        };
        let date = match opt(&self.date) {
            None => {
                errs.push(FieldError::new(
                    "date",
                    "is empty; give the date, as precisely as it is known (EDTF)",
                ));
                None
            }
            Some(t) => EdtfDate::parse(&t)
                .map_err(|e| errs.push(FieldError::new("date", e.to_string())))
                .ok(),
        };
        let mut conditions = Vec::new();
        for part in self
            .conditions
            .split(['|', ','])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match Condition::from_slug(part) {
                Some(c) if !conditions.contains(&c) => conditions.push(c),
                Some(_) => {}
                None => errs.push(FieldError::new(
                    "conditions",
                    format!("`{part}` is not a release condition"),
                )),
            }
        }
        let release = match (kind, opt(&self.release_kind)) {
            (Some(EventKind::Release), None) => {
                errs.push(FieldError::new(
                    "release_kind",
                    "a release needs its kind (how the person left prison)",
                ));
                None
            }
            (Some(EventKind::Release), Some(t)) => match ReleaseKind::from_slug(&t) {
                Some(kind) => Some(Release {
                    kind,
                    conditions: std::mem::take(&mut conditions),
                }),
                None => {
                    errs.push(FieldError::new(
                        "release_kind",
                        format!("`{t}` is not a kind of release"),
                    ));
                    None
                }
            },
            (_, rk) => {
                if rk.is_some() || !conditions.is_empty() {
                    errs.push(FieldError::new(
                        "release_kind",
                        "only a release has a release kind and conditions",
                    ));
                }
                None
            }
        };
        let source_ids = source_numbers(&mut errs, &self.sources);
        match (kind, date) {
            (Some(kind), Some(date)) if errs.is_empty() => Ok(Event {
                release,
                place: opt(&self.place),
                description: opt(&self.description),
                source_ids,
                announcement_id,
                verification,
                ..Event::new(kind, date)
            }),
            _ => Err(errs),
        }
    }
}

/// A record's number as staff type it: `12` or `#12`, from 1.
pub(super) fn record_number(text: &str) -> Option<i64> {
    match text.trim().trim_start_matches('#').parse::<i64>() {
        Ok(n) if n > 0 => Some(n),
        _ => None,
    }
}

/// The sources a form cites: their numbers separated by commas, spaces or
/// `|`, each once, in order; each word that is not one is a problem of
/// the `sources` field.
pub(super) fn source_numbers(errs: &mut Vec<FieldError>, text: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    for part in text.split([',', ' ', '|']).filter(|p| !p.trim().is_empty()) {
        match record_number(part) {
            Some(n) if ids.contains(&n) => {}
            Some(n) => ids.push(n),
            None => errs.push(FieldError::new(
                "sources",
                format!("`{}` is not a source number", part.trim()),
            )),
        }
    }
    ids
}

/// `POST /staff/persons/{id}/events`.
pub(crate) async fn add_event(
    State(st): State<SharedState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<EventForm>,
) -> Result<Response, WebError> {
    let (pid, _) = stored(&st, &id).await?;
    let invalid = |errors: Vec<FieldError>, form: EventForm| {
        let (st, staff) = (&st, &staff);
        let id = pid.to_string();
        async move {
            person_page(
                st,
                staff,
                &id,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                errors,
            )
            .await
        }
    };
    let event = match form.parse() {
        Ok(e) => e,
        Err(errors) => return invalid(errors, form).await,
    };
    match st
        .staff
        .add_event(&pid, &event, staff.user.email.as_str())
        .await
    {
        Ok(_) => Ok(to_person(pid.as_str())),
        Err(StoreError::NotFound(what)) if what.starts_with("source") => {
            invalid(
                vec![FieldError::new(
                    "sources",
                    format!("there is no {what}; cite sources by their number"),
                )],
                form,
            )
            .await
        }
        Err(StoreError::NotFound(what)) if what.starts_with("announcement") => {
            invalid(
                vec![FieldError::new(
                    "announcement",
                    format!("there is no {what}"),
                )],
                form,
            )
            .await
        }
        // The form never sends a verification the store refuses (names
        // are split on `|` and blanks dropped): what remains is a release
        // for someone not in custody before its date.
        Err(StoreError::Invalid(why)) => invalid(vec![FieldError::new("date", why)], form).await,
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use libres_core::Sex;

    #[test]
    fn a_form_is_validated_with_the_import_words_and_every_problem_is_named() {
        let form = PersonForm {
            id: "CU 1".into(),
            given_names: "Ana".into(),
            surname1: "=cmd".into(),
            birth_date: "1985-13".into(),
            country: "XX".into(),
            publish: "maybe".into(),
            summary: "a\u{7}b".into(),
            ..PersonForm::default()
        };
        let errs = form.parse().unwrap_err();
        let cols: Vec<&str> = errs.iter().map(|e| e.column.as_str()).collect();
        for col in [
            "id",
            "surname1",
            "birth_date",
            "country",
            "publish",
            "summary",
        ] {
            assert!(cols.contains(&col), "{col} in {errs:?}");
        }
        assert_eq!(joined(&errs, "publish"), "`maybe` is not yes or no");
    }

    #[test]
    fn a_valid_form_carries_the_fields_a_row_has_no_column_for() {
        let form = PersonForm {
            id: "CU-9".into(),
            given_names: "Ana".into(),
            surname1: "Pérez".into(),
            aliases: " La Flaca | Anita |".into(),
            occupation: "maestra".into(),
            summary: "texto".into(),
            country: "CU".into(),
            publish: "no".into(),
            sex: "f".into(),
            ..PersonForm::default()
        };
        let p = form.parse().unwrap();
        assert_eq!(p.aliases, ["La Flaca", "Anita"]);
        assert_eq!(p.occupation.as_deref(), Some("maestra"));
        assert_eq!(p.sex, Some(Sex::F));
        assert_eq!(PersonForm::of(&p).aliases, "La Flaca|Anita");
    }

    #[test]
    fn an_event_form_needs_a_release_kind_for_a_release_only() {
        let base = EventForm {
            kind: "release".into(),
            date: "2025-01".into(),
            ..EventForm::default()
        };
        assert_eq!(base.parse().unwrap_err()[0].column, "release_kind");
        let ok = EventForm {
            release_kind: "parole".into(),
            conditions: "travel_ban|gag_order".into(),
            sources: "3, #4".into(),
            ..base.clone()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.release.unwrap().conditions.len(), 2);
        assert_eq!(ok.source_ids, [3, 4]);
        let wrong = EventForm {
            kind: "arrest".into(),
            release_kind: "parole".into(),
            ..base
        };
        assert_eq!(wrong.parse().unwrap_err()[0].column, "release_kind");
    }
}
