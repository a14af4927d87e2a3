//! Persons and their detentions.

use crate::country::CountryCode;
use crate::date::EdtfDate;
use crate::text::fold;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The external id of a person, chosen by the organisation (e.g. `CU-00123`).
///
/// 1–64 characters from `A–Z a–z 0–9 . _ -`, so that it is safe in URLs,
/// file names and spreadsheets without escaping.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonId(String);

impl PersonId {
    /// Parses an id, trimming surrounding spaces.
    pub fn parse(input: &str) -> Result<Self, String> {
        let t = input.trim();
        if t.is_empty() {
            return Err("the id is empty".into());
        }
        if t.len() > 64 {
            return Err(format!(
                "the id is {} characters long; the limit is 64",
                t.len()
            ));
        }
        if let Some(c) = t
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        {
            return Err(format!(
                "the id contains `{c}`; use only letters A–Z, digits, `.`, `_` and `-`"
            ));
        }
        Ok(PersonId(t.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PersonId {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PersonId::parse(&value)
    }
}

impl From<PersonId> for String {
    fn from(id: PersonId) -> String {
        id.0
    }
}

crate::event::vocabulary! {
    /// Sex as recorded by the organisation.
    Sex {
        /// Male.
        M = "M",
        /// Female.
        F = "F",
        /// Other or not stated.
        X = "X",
    }
}

/// A person in the registry.
///
/// `private_notes` and `family_contact` are confidential: they never leave
/// the staff side (public pages, the public API and `--public-only` exports
/// drop them). A person with `publish == false` is counted in figures but
/// never named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// External id.
    pub id: PersonId,
    /// Given names, e.g. "María de los Ángeles".
    pub given_names: String,
    /// First surname (paternal in Hispanic usage).
    pub surname1: String,
    /// Second surname (maternal), if any.
    pub surname2: Option<String>,
    /// Other names the person is known by.
    pub aliases: Vec<String>,
    /// Sex, if recorded.
    pub sex: Option<Sex>,
    /// Birth date (EDTF; often only a year).
    pub birth_date: Option<EdtfDate>,
    /// Nationalities.
    pub nationalities: Vec<CountryCode>,
    /// Country of detention.
    pub country: CountryCode,
    /// Province or department.
    pub province: Option<String>,
    /// Occupation.
    pub occupation: Option<String>,
    /// Public summary of the case.
    pub summary: Option<String>,
    /// The family's consent to publication.
    pub publish: bool,
    /// Confidential: staff notes.
    pub private_notes: Option<String>,
    /// Confidential: how to reach the family.
    pub family_contact: Option<String>,
}

impl Person {
    /// "Given Surname1 Surname2", as shown on pages.
    pub fn full_name(&self) -> String {
        let mut s = format!("{} {}", self.given_names, self.surname1);
        if let Some(s2) = &self.surname2 {
            s.push(' ');
            s.push_str(s2);
        }
        s
    }

    /// The folded text that search matches against: names and aliases.
    pub fn search_text(&self) -> String {
        let mut s = self.full_name();
        for a in &self.aliases {
            s.push(' ');
            s.push_str(a);
        }
        fold(&s)
    }

    /// The key public lists are sorted by: surnames, then given names.
    pub fn sort_key(&self) -> String {
        fold(&format!(
            "{} {} {}",
            self.surname1,
            self.surname2.as_deref().unwrap_or(""),
            self.given_names
        ))
    }

    /// The fields that are never public (named as in [`Person::fields`]):
    /// what [`Person::redacted`] removes, and what history keeps only for
    /// a while ([`FieldChange::remove_confidential`]).
    pub const CONFIDENTIAL_FIELDS: &'static [&'static str] = &["private_notes", "family_contact"];

    /// The person with every confidential field removed.
    pub fn redacted(&self) -> Person {
        Person {
            private_notes: None,
            family_contact: None,
            ..self.clone()
        }
    }

    /// The names [`Person::fields`] uses, in its order.
    pub const FIELD_NAMES: &'static [&'static str] = &[
        "id",
        "given_names",
        "surname1",
        "surname2",
        "aliases",
        "sex",
        "birth_date",
        "nationality",
        "country",
        "province",
        "occupation",
        "summary",
        "publish",
        "private_notes",
        "family_contact",
    ];

    /// Copies the fields named in `names` (see [`Person::FIELD_NAMES`])
    /// from `stored`, leaving the others as they are. Returns the first
    /// unknown name, if any, and copies nothing in that case. The id is
    /// never copied: it says which person this is.
    pub fn keep_fields_from(&mut self, stored: &Person, names: &[&str]) -> Result<(), String> {
        if let Some(bad) = names.iter().find(|n| !Self::FIELD_NAMES.contains(n)) {
            return Err((*bad).to_owned());
        }
        for name in names {
            match *name {
                "given_names" => self.given_names.clone_from(&stored.given_names),
                "surname1" => self.surname1.clone_from(&stored.surname1),
                "surname2" => self.surname2.clone_from(&stored.surname2),
                "aliases" => self.aliases.clone_from(&stored.aliases),
                "sex" => self.sex = stored.sex,
                "birth_date" => self.birth_date.clone_from(&stored.birth_date),
                "nationality" => self.nationalities.clone_from(&stored.nationalities),
                "country" => self.country = stored.country,
                "province" => self.province.clone_from(&stored.province),
                "occupation" => self.occupation.clone_from(&stored.occupation),
                "summary" => self.summary.clone_from(&stored.summary),
                "publish" => self.publish = stored.publish,
                "private_notes" => self.private_notes.clone_from(&stored.private_notes),
                "family_contact" => self.family_contact.clone_from(&stored.family_contact),
                _ => {}
            }
        }
        Ok(())
    }

    /// The history entry of creating this person: every field it has, as
    /// a change from nothing.
    pub fn creation_changes(&self) -> Vec<FieldChange> {
        self.fields()
            .into_iter()
            .filter_map(|(field, value)| {
                value.map(|v| FieldChange {
                    field: field.to_owned(),
                    old: None,
                    new: Some(v),
                })
            })
            .collect()
    }

    /// Field-by-field differences from `old` to `self`, for the history.
    pub fn diff(&self, old: &Person) -> Vec<FieldChange> {
        let a = old.fields();
        let b = self.fields();
        a.into_iter()
            .zip(b)
            .filter(|(x, y)| x.1 != y.1)
            .map(|(x, y)| FieldChange {
                field: x.0.to_owned(),
                old: x.1,
                new: y.1,
            })
            .collect()
    }

    /// Every field as text, in a fixed order, for diffs and history.
    pub fn fields(&self) -> Vec<(&'static str, Option<String>)> {
        let join = |v: &[String]| (!v.is_empty()).then(|| v.join("|"));
        vec![
            ("id", Some(self.id.to_string())),
            ("given_names", Some(self.given_names.clone())),
            ("surname1", Some(self.surname1.clone())),
            ("surname2", self.surname2.clone()),
            ("aliases", join(&self.aliases)),
            ("sex", self.sex.map(|s| s.slug().to_owned())),
            (
                "birth_date",
                self.birth_date.as_ref().map(|d| d.to_string()),
            ),
            (
                "nationality",
                join(
                    &self
                        .nationalities
                        .iter()
                        .map(|c| c.to_string())
                        .collect::<Vec<_>>(),
                ),
            ),
            ("country", Some(self.country.to_string())),
            ("province", self.province.clone()),
            ("occupation", self.occupation.clone()),
            ("summary", self.summary.clone()),
            (
                "publish",
                Some(if self.publish { "yes" } else { "no" }.to_owned()),
            ),
            ("private_notes", self.private_notes.clone()),
            ("family_contact", self.family_contact.clone()),
        ]
    }
}

/// One changed field in a person's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// Field name, as in the person CSV where it has a column.
    pub field: String,
    /// Value before the change.
    pub old: Option<String>,
    /// Value after the change.
    pub new: Option<String>,
}

impl FieldChange {
    /// What a confidential value in history becomes once its retention
    /// period is over: the entry still says that the field changed, and
    /// when, and by whom, but no longer what it held.
    pub const REMOVED: &'static str = "[removed]";

    /// Whether this change is of a confidential field.
    pub fn is_confidential(&self) -> bool {
        Person::CONFIDENTIAL_FIELDS.contains(&self.field.as_str())
    }

    /// Replaces the old and new values of each confidential change in
    /// `changes` with [`FieldChange::REMOVED`] (an absent value stays
    /// absent); returns whether anything was replaced.
    pub fn remove_confidential(changes: &mut [FieldChange]) -> bool {
        let mut removed = false;
        for c in changes.iter_mut().filter(|c| c.is_confidential()) {
            for v in [&mut c.old, &mut c.new].into_iter().flatten() {
                if v != FieldChange::REMOVED {
                    FieldChange::REMOVED.clone_into(v);
                    removed = true;
                }
            }
        }
        removed
    }
}

/// The limits every free-text field meets, wherever it comes from (an
/// imported row, a staff form): at most [`MAX_FIELD_CHARS`] characters,
/// and no control characters but line breaks and tabs. Problems are
/// added to `errs` under `col`.
pub fn check_text(errs: &mut Vec<FieldError>, col: &str, v: &str) {
    let n = v.chars().count();
    if n > MAX_FIELD_CHARS {
        errs.push(FieldError::new(
            col,
            format!("{n} characters; the limit is {MAX_FIELD_CHARS}"),
        ));
    }
    if v.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
    {
        errs.push(FieldError::new(col, "contains control characters"));
    }
}

/// A field that failed validation, named by its column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{column}: {message}")]
pub struct FieldError {
    /// The column (field) name.
    pub column: String,
    /// What is wrong, in words a researcher understands.
    pub message: String,
}

impl FieldError {
    /// A new error for `column`.
    pub fn new(column: &str, message: impl Into<String>) -> Self {
        FieldError {
            column: column.to_owned(),
            message: message.into(),
        }
    }
}

/// The text fields of a person as they arrive from a form or a spreadsheet
/// row, before validation. Empty strings mean "not given".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonDraft {
    /// `id` column.
    pub id: String,
    /// `given_names` column.
    pub given_names: String,
    /// `surname1` column.
    pub surname1: String,
    /// `surname2` column.
    pub surname2: String,
    /// `birth_date` column (EDTF).
    pub birth_date: String,
    /// `sex` column: `M`, `F` or `X`.
    pub sex: String,
    /// `nationality` column: alpha-2 codes separated by `|`.
    pub nationality: String,
    /// `country` column: alpha-2 code.
    pub country: String,
    /// `province` column.
    pub province: String,
    /// `private_notes` column.
    pub private_notes: String,
    /// `family_contact` column.
    pub family_contact: String,
    /// `publish` column: `yes` or `no`.
    pub publish: String,
}

/// Longest text accepted in any one field; longer values are rejected rather
/// than silently cut.
pub const MAX_FIELD_CHARS: usize = 10_000;

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl PersonDraft {
    /// Validates every field and returns the person, or every problem found
    /// (not just the first), each naming its column.
    pub fn parse(&self) -> Result<Person, Vec<FieldError>> {
        let mut errs = Vec::new();
        for (col, v) in [
            ("id", &self.id),
            ("given_names", &self.given_names),
            ("surname1", &self.surname1),
            ("surname2", &self.surname2),
            ("province", &self.province),
            ("private_notes", &self.private_notes),
            ("family_contact", &self.family_contact),
        ] {
            check_text(&mut errs, col, v);
        }
        // Spreadsheet programs run a cell that starts with one of these as a
        // formula; names come from lists written by others, so a name that
        // starts with one is refused rather than exported as a trap.
        for (col, v) in [
            ("given_names", &self.given_names),
            ("surname1", &self.surname1),
            ("surname2", &self.surname2),
            ("province", &self.province),
        ] {
            if let Some(c) = v
                .trim_start_matches(' ')
                .chars()
                .next()
                .filter(|c| matches!(c, '=' | '+' | '@' | '-' | '\t' | '\r'))
            {
                errs.push(FieldError::new(
                    col,
                    format!(
                        "starts with `{}`, which spreadsheets would run as a formula",
                        c.escape_default()
                    ),
                ));
            }
        }
        let id = PersonId::parse(&self.id)
            .map_err(|m| errs.push(FieldError::new("id", m)))
            .ok();
        let given = opt(&self.given_names);
        if given.is_none() {
            errs.push(FieldError::new("given_names", "is empty"));
        }
        let s1 = opt(&self.surname1);
        if s1.is_none() {
            errs.push(FieldError::new("surname1", "is empty"));
        }
        let birth = match opt(&self.birth_date) {
            None => None,
            Some(t) => EdtfDate::parse(&t)
                .map_err(|e| errs.push(FieldError::new("birth_date", e.to_string())))
                .ok(),
        };
        let sex = match opt(&self.sex) {
            None => None,
            Some(t) => match Sex::from_slug(&t.to_ascii_uppercase()) {
                Some(s) => Some(s),
                None => {
                    errs.push(FieldError::new(
                        "sex",
                        format!("`{t}` is not one of M, F, X"),
                    ));
                    None
                }
            },
        };
        let mut nationalities = Vec::new();
        for part in self
            .nationality
            .split('|')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match CountryCode::parse(part) {
                Ok(c) if !nationalities.contains(&c) => nationalities.push(c),
                Ok(c) => errs.push(FieldError::new(
                    "nationality",
                    format!("{c} is listed twice"),
                )),
                Err(e) => errs.push(FieldError::new("nationality", e.to_string())),
            }
        }
        let country = match opt(&self.country) {
            None => {
                errs.push(FieldError::new(
                    "country",
                    "is empty; give the alpha-2 code of the country of detention",
                ));
                None
            }
            Some(t) => CountryCode::parse(&t)
                .map_err(|e| errs.push(FieldError::new("country", e.to_string())))
                .ok(),
        };
        let publish = match self.publish.trim().to_ascii_lowercase().as_str() {
            "yes" | "y" | "si" | "sí" | "true" | "1" => Some(true),
            "no" | "n" | "false" | "0" => Some(false),
            "" => {
                errs.push(FieldError::new(
                    "publish",
                    "is empty; write yes or no (the family's consent)",
                ));
                None
            }
            other => {
                errs.push(FieldError::new(
                    "publish",
                    format!("`{other}` is not yes or no"),
                ));
                None
            }
        };
        match (id, given, s1, country, publish) {
            (Some(id), Some(given_names), Some(surname1), Some(country), Some(publish))
                if errs.is_empty() =>
            {
                Ok(Person {
                    id,
                    given_names,
                    surname1,
                    surname2: opt(&self.surname2),
                    aliases: Vec::new(),
                    sex,
                    birth_date: birth,
                    nationalities,
                    country,
                    province: opt(&self.province),
                    occupation: None,
                    summary: None,
                    publish,
                    private_notes: opt(&self.private_notes),
                    family_contact: opt(&self.family_contact),
                })
            }
            _ => Err(errs),
        }
    }
}

/// A detention (a case): the arrest and the judicial process that followed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detention {
    /// Store-assigned id; 0 before the detention is stored.
    pub id: i64,
    /// Date of arrest (EDTF).
    pub arrest_date: Option<EdtfDate>,
    /// Place of arrest.
    pub arrest_place: Option<String>,
    /// Arresting authority (e.g. "DSE", "SEBIN", "Policía Nacional").
    pub authority: Option<String>,
    /// Charge codes from the country's list (see [`crate::charges`]).
    pub charges: Vec<String>,
    /// Court.
    pub court: Option<String>,
    /// Sentence as pronounced, e.g. "8 años de privación de libertad".
    pub sentence: Option<String>,
    /// Sentence length in months, when known.
    pub sentence_months: Option<u32>,
    /// Prison where the person is or was held.
    pub prison: Option<String>,
}

impl Detention {
    /// Every field as text, in a fixed order, for diffs and history (the
    /// names of the detention CSV's columns).
    pub fn fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            (
                "arrest_date",
                self.arrest_date.as_ref().map(|d| d.to_string()),
            ),
            ("arrest_place", self.arrest_place.clone()),
            ("authority", self.authority.clone()),
            (
                "charges",
                (!self.charges.is_empty()).then(|| self.charges.join("|")),
            ),
            ("court", self.court.clone()),
            ("sentence", self.sentence.clone()),
            (
                "sentence_months",
                self.sentence_months.map(|m| m.to_string()),
            ),
            ("prison", self.prison.clone()),
        ]
    }

    /// The name a detention's field has in its person's history:
    /// `detention.<key>.<field>`, so that the entry says which of the
    /// person's detentions changed.
    fn history_field(id: i64, field: &str) -> String {
        format!("detention.{id}.{field}")
    }

    /// The history entry of adding this detention (stored under key
    /// `self.id`): every field it has, as a change from nothing.
    pub fn creation_changes(&self) -> Vec<FieldChange> {
        self.fields()
            .into_iter()
            .filter_map(|(field, value)| {
                value.map(|v| FieldChange {
                    field: Self::history_field(self.id, field),
                    old: None,
                    new: Some(v),
                })
            })
            .collect()
    }

    /// Field-by-field differences from `old` to `self`, for the history,
    /// named after `self.id` (see [`Detention::creation_changes`]).
    pub fn diff(&self, old: &Detention) -> Vec<FieldChange> {
        old.fields()
            .into_iter()
            .zip(self.fields())
            .filter(|(x, y)| x.1 != y.1)
            .map(|(x, y)| FieldChange {
                field: Self::history_field(self.id, x.0),
                old: x.1,
                new: y.1,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> PersonDraft {
        PersonDraft {
            id: "CU-1".into(),
            given_names: "María de los Ángeles".into(),
            surname1: "González".into(),
            surname2: "García".into(),
            birth_date: "1980~".into(),
            sex: "F".into(),
            nationality: "CU|ES".into(),
            country: "CU".into(),
            province: "La Habana".into(),
            publish: "yes".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_row_parses() {
        let p = draft().parse().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(p.full_name(), "María de los Ángeles González García");
        assert_eq!(p.search_text(), "maria de los angeles gonzalez garcia");
        assert_eq!(p.nationalities.len(), 2);
        assert!(p.publish);
    }

    #[test]
    fn every_problem_is_reported_with_its_column() {
        let d = PersonDraft {
            id: "bad id".into(),
            birth_date: "2025-02-30".into(),
            sex: "Q".into(),
            country: "XX".into(),
            publish: "maybe".into(),
            ..draft()
        };
        let errs = d.parse().err().unwrap_or_default();
        let cols: Vec<_> = errs.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(cols, ["id", "birth_date", "sex", "country", "publish"]);
    }

    #[test]
    fn names_that_spreadsheets_would_run_as_formulas_are_refused() {
        for bad in ["=HYPERLINK(\"x\")", "+5355", "@SUM(A1)", "-1+2"] {
            let d = PersonDraft {
                given_names: bad.into(),
                ..draft()
            };
            let errs = d.parse().err().unwrap_or_default();
            assert_eq!(errs.len(), 1, "{bad}");
            assert_eq!(errs[0].column, "given_names");
        }
    }

    #[test]
    fn oversized_fields_are_rejected_not_truncated() {
        let d = PersonDraft {
            private_notes: "x".repeat(MAX_FIELD_CHARS + 1),
            ..draft()
        };
        let errs = d.parse().err().unwrap_or_default();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].column, "private_notes");
    }

    #[test]
    fn redaction_removes_confidential_fields_only() {
        let mut p = draft().parse().unwrap_or_else(|e| panic!("{e:?}"));
        p.private_notes = Some("source: cousin".into());
        p.family_contact = Some("+53 5555".into());
        let r = p.redacted();
        assert_eq!((r.private_notes, r.family_contact), (None, None));
        assert_eq!(r.given_names, p.given_names);
    }

    #[test]
    fn confidential_values_leave_history_but_the_change_stays() {
        let mut p = draft().parse().unwrap_or_else(|e| panic!("{e:?}"));
        p.family_contact = Some("+53 5 000 0000".into());
        let mut changes = p.creation_changes();
        let mut q = p.clone();
        q.private_notes = Some("met the cousin".into());
        q.family_contact = None;
        q.province = Some("Matanzas".into());
        changes.extend(q.diff(&p));
        let before = changes.clone();
        assert!(FieldChange::remove_confidential(&mut changes));
        for (c, b) in changes.iter().zip(&before) {
            assert_eq!(c.field, b.field);
            if Person::CONFIDENTIAL_FIELDS.contains(&c.field.as_str()) {
                assert_eq!(c.old.is_some(), b.old.is_some(), "{c:?}");
                assert_eq!(c.new.is_some(), b.new.is_some(), "{c:?}");
                assert!(
                    [&c.old, &c.new]
                        .into_iter()
                        .flatten()
                        .all(|v| v == FieldChange::REMOVED),
                    "{c:?}"
                );
            } else {
                assert_eq!(c, b);
            }
        }
        assert!(changes.iter().any(|c| c.field == "family_contact"));
        assert!(
            !FieldChange::remove_confidential(&mut changes),
            "twice changes nothing"
        );
        let names: Vec<&str> = p.fields().iter().map(|f| f.0).collect();
        for f in Person::CONFIDENTIAL_FIELDS {
            assert!(names.contains(f), "{f}");
        }
    }

    #[test]
    fn kept_fields_come_from_the_stored_person() {
        let stored = draft().parse().unwrap_or_else(|e| panic!("{e:?}"));
        let mut stored = stored;
        stored.family_contact = Some("+53 5 000 0000".into());
        let mut incoming = stored.clone();
        incoming.family_contact = None;
        incoming.province = None;
        incoming
            .keep_fields_from(&stored, &["family_contact"])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(incoming.family_contact, stored.family_contact);
        assert_eq!(incoming.province, None);
        assert_eq!(
            incoming.keep_fields_from(&stored, &["nope"]),
            Err("nope".into())
        );
        let names: Vec<&str> = stored.fields().iter().map(|f| f.0).collect();
        assert_eq!(names, Person::FIELD_NAMES);
    }

    #[test]
    fn diff_names_changed_fields() {
        let a = draft().parse().unwrap_or_else(|e| panic!("{e:?}"));
        let mut b = a.clone();
        b.province = Some("Matanzas".into());
        let d = b.diff(&a);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].field, "province");
        assert_eq!(d[0].new.as_deref(), Some("Matanzas"));
    }

    #[test]
    fn a_detention_diff_names_the_detention_and_each_changed_field() {
        let old = Detention {
            id: 7,
            arrest_date: None,
            arrest_place: Some("Havana".into()),
            authority: None,
            charges: vec!["sedition".into()],
            court: None,
            sentence: None,
            sentence_months: None,
            prison: Some("Combinado del Este".into()),
        };
        let mut new = old.clone();
        new.prison = Some("Kilo 8".into());
        new.sentence_months = Some(96);
        let changes = new.diff(&old);
        assert_eq!(
            changes,
            vec![
                FieldChange {
                    field: "detention.7.sentence_months".into(),
                    old: None,
                    new: Some("96".into()),
                },
                FieldChange {
                    field: "detention.7.prison".into(),
                    old: Some("Combinado del Este".into()),
                    new: Some("Kilo 8".into()),
                },
            ]
        );
        assert!(old.diff(&old).is_empty());
        let created: Vec<String> = old
            .creation_changes()
            .into_iter()
            .map(|c| c.field)
            .collect();
        assert_eq!(
            created,
            [
                "detention.7.arrest_place",
                "detention.7.charges",
                "detention.7.prison"
            ]
        );
    }
}
