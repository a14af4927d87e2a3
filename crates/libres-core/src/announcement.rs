//! Release announcements: what a government (or a court, a mediator, a
//! foreign government) *claimed*, kept apart from what was verified name
//! by name. Cuba announced 553 releases in January 2025 without a list;
//! Nicaragua announced "decenas". An announcement keeps the claim as it
//! was made: the number when there is one, and always its own words.

use crate::date::EdtfDate;
use crate::person::FieldError;
use crate::CountryCode;
use serde::{Deserialize, Serialize};

crate::event::vocabulary! {
    /// Who made an announcement.
    IssuerKind {
        /// A government body (a ministry, the presidency, the prison service).
        Government = "government",
        /// A court.
        Court = "court",
        /// A church acting as mediator (the Vatican, a bishops' conference).
        ChurchMediator = "church_mediator",
        /// A foreign government (one that negotiated the releases).
        ForeignGovernment = "foreign_government",
        /// Anyone else (a party, a state newspaper without attribution).
        Other = "other",
    }
}

crate::event::vocabulary! {
    /// What an announcement claims to count.
    ClaimKind {
        /// Persons released (excarcelados), on whatever terms.
        Releases = "releases",
        /// Pardons (indultos), amnesties.
        Pardons = "pardons",
        /// Sentence reductions, with or without release.
        SentenceReductions = "sentence_reductions",
    }
}

/// An announcement's title and text in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncementText {
    /// A two-letter language code (`es`, `en`, `ar` …).
    pub lang: String,
    /// A short title (`Cuba announces 553 releases`).
    pub title: String,
    /// The announcement in that language, as long as needed; may be empty.
    pub body: String,
}

/// A release announcement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    /// Store-assigned id; 0 before the announcement is stored.
    pub id: i64,
    /// The country whose prisoners it concerns.
    pub country: CountryCode,
    /// When it was made (EDTF).
    pub date: EdtfDate,
    /// Who made it: the kind of issuer.
    pub issuer_kind: IssuerKind,
    /// Who made it, by name (`Tribunal Supremo Popular`).
    pub issuer: String,
    /// What it claims to count.
    pub claim: ClaimKind,
    /// The number claimed, when the claim gives one.
    pub claimed: Option<u32>,
    /// The claim in its own words (`553 sancionados por diversos
    /// delitos`, `decenas`): required when there is no number.
    pub claimed_words: Option<String>,
    /// Title and text, one per language (at least one).
    pub texts: Vec<AnnouncementText>,
    /// Ids of the sources that report it.
    pub source_ids: Vec<i64>,
}

/// The longest issuer name, claim wording or title.
pub const MAX_LINE_CHARS: usize = 500;
/// The longest text of one language.
pub const MAX_BODY_CHARS: usize = 20_000;

impl Announcement {
    /// Every problem of this announcement, by field (`issuer`,
    /// `claimed_words`, `texts`), as a form shows them; empty when it can
    /// be stored.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        let mut line = |col: &str, v: &str, max: usize| {
            if v.chars().count() > max {
                errs.push(FieldError::new(
                    col,
                    format!("is longer than {max} characters"),
                ));
            } else if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
                errs.push(FieldError::new(col, "holds a control character"));
            }
        };
        line("issuer", &self.issuer, MAX_LINE_CHARS);
        if let Some(w) = &self.claimed_words {
            line("claimed_words", w, MAX_LINE_CHARS);
        }
        for t in &self.texts {
            line("texts", &t.title, MAX_LINE_CHARS);
            line("texts", &t.body, MAX_BODY_CHARS);
        }
        if self.issuer.trim().is_empty() {
            errs.push(FieldError::new(
                "issuer",
                "is empty; say who made the announcement",
            ));
        }
        let words = self.claimed_words.as_deref().map_or("", str::trim);
        if self.claimed.is_none() && words.is_empty() {
            errs.push(FieldError::new(
                "claimed_words",
                "a claim without a number needs its own words (\"decenas\", \"dozens\")",
            ));
        }
        if self.texts.is_empty() {
            errs.push(FieldError::new(
                "texts",
                "give a title in at least one language",
            ));
        }
        let mut seen: Vec<&str> = Vec::new();
        for t in &self.texts {
            let ok = t.lang.len() == 2 && t.lang.bytes().all(|b| b.is_ascii_lowercase());
            if !ok {
                errs.push(FieldError::new(
                    "texts",
                    format!(
                        "`{}` is not a two-letter language code (es, en, ar …)",
                        t.lang
                    ),
                ));
            } else if seen.contains(&t.lang.as_str()) {
                errs.push(FieldError::new(
                    "texts",
                    format!("`{}` is given twice", t.lang),
                ));
            }
            seen.push(&t.lang);
            if t.title.trim().is_empty() {
                errs.push(FieldError::new(
                    "texts",
                    format!("the `{}` text has no title", t.lang),
                ));
            }
        }
        errs
    }

    /// The text in `lang`, else in Spanish, else the first one; with
    /// whether it is in `lang` (a page then marks the fallback).
    pub fn text_in(&self, lang: &str) -> Option<(&AnnouncementText, bool)> {
        if let Some(t) = self.texts.iter().find(|t| t.lang == lang) {
            return Some((t, true));
        }
        self.texts
            .iter()
            .find(|t| t.lang == "es")
            .or_else(|| self.texts.first())
            .map(|t| (t, false))
    }

    /// The fields that differ from `old`, by name (for an audit entry).
    pub fn changed_fields(&self, old: &Announcement) -> Vec<&'static str> {
        [
            ("country", self.country != old.country),
            ("date", self.date != old.date),
            ("issuer_kind", self.issuer_kind != old.issuer_kind),
            ("issuer", self.issuer != old.issuer),
            ("claim", self.claim != old.claim),
            ("claimed", self.claimed != old.claimed),
            ("claimed_words", self.claimed_words != old.claimed_words),
            ("texts", self.texts != old.texts),
            ("sources", self.source_ids != old.source_ids),
        ]
        .into_iter()
        .filter_map(|(name, differs)| differs.then_some(name))
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn cuba_2025() -> Announcement {
        Announcement {
            id: 0,
            country: CountryCode::parse("CU").unwrap(),
            date: EdtfDate::parse("2025-01-14").unwrap(),
            issuer_kind: IssuerKind::Government,
            issuer: "Ministerio de Relaciones Exteriores".into(),
            claim: ClaimKind::Releases,
            claimed: Some(553),
            claimed_words: Some("553 sancionados por diversos delitos".into()),
            texts: vec![
                AnnouncementText {
                    lang: "es".into(),
                    title: "Cuba anuncia 553 excarcelaciones".into(),
                    body: String::new(),
                },
                AnnouncementText {
                    lang: "en".into(),
                    title: "Cuba announces 553 releases".into(),
                    body: "No list of names was published.".into(),
                },
            ],
            source_ids: vec![],
        }
    }

    #[test]
    fn a_claim_with_a_number_or_with_words_is_valid() {
        assert_eq!(cuba_2025().problems(), []);
        let dozens = Announcement {
            claimed: None,
            claimed_words: Some("decenas".into()),
            ..cuba_2025()
        };
        assert_eq!(dozens.problems(), []);
    }

    #[test]
    fn each_problem_is_named_by_its_field() {
        let bad = Announcement {
            issuer: " ".into(),
            claimed: None,
            claimed_words: None,
            texts: vec![
                AnnouncementText {
                    lang: "ES".into(),
                    title: "x".into(),
                    body: String::new(),
                },
                AnnouncementText {
                    lang: "en".into(),
                    title: String::new(),
                    body: "a\u{7}".into(),
                },
                AnnouncementText {
                    lang: "en".into(),
                    title: "y".into(),
                    body: String::new(),
                },
            ],
            ..cuba_2025()
        };
        let found: Vec<String> = bad.problems().iter().map(ToString::to_string).collect();
        assert_eq!(
            found.iter().filter(|p| p.starts_with("issuer")).count(),
            1,
            "{found:?}"
        );
        assert!(
            found.iter().any(|p| p.contains("needs its own words")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|p| p.contains("`ES` is not a two-letter")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|p| p.contains("`en` is given twice")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|p| p.contains("the `en` text has no title")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|p| p.contains("control character")),
            "{found:?}"
        );
        let none = Announcement {
            texts: vec![],
            ..cuba_2025()
        };
        assert_eq!(none.problems().len(), 1);
    }

    #[test]
    fn a_missing_language_falls_back_to_spanish_and_says_so() {
        let a = cuba_2025();
        assert_eq!(
            a.text_in("en").map(|(t, own)| (t.lang.as_str(), own)),
            Some(("en", true))
        );
        assert_eq!(
            a.text_in("ar").map(|(t, own)| (t.lang.as_str(), own)),
            Some(("es", false))
        );
    }

    #[test]
    fn changed_fields_are_named() {
        let old = cuba_2025();
        let new = Announcement {
            claimed: Some(554),
            source_ids: vec![3],
            ..old.clone()
        };
        assert_eq!(new.changed_fields(&old), ["claimed", "sources"]);
        assert!(old.changed_fields(&old).is_empty());
    }
}
