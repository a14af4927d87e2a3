//! Statements and their signatures: the vocabulary and the rules that do
//! not need a database (issue 12 builds the rest on them).
//!
//! - A [`Statement`] is open for signing only while [`StatementStatus::Open`].
//! - A [`SignatureDraft`] is what the signing form posts; [`SignatureDraft::parse`]
//!   checks every field at once and gives a [`Signature`] or every problem.
//! - The signer chooses how they appear ([`Visibility`]); [`Signature::public_name`]
//!   is the only way a signer's name reaches a public page, and only after
//!   staff moderation.
//! - Duplicates are found on the [`mailbox`] of the address, so that the
//!   same person cannot sign twice by writing their address another way.

use crate::event::vocabulary;
use crate::person::FieldError;
use crate::staff::Email;
use crate::CountryCode;
use serde::{Deserialize, Serialize};

vocabulary! {
    /// Where a statement stands.
    StatementStatus {
        /// Being written: not public, no signatures.
        Draft = "draft",
        /// Public and open for signing.
        Open = "open",
        /// Public, no longer signed.
        Closed = "closed",
    }
}

vocabulary! {
    /// Who a signer is, as they say (a registry link verifies the first
    /// two).
    SignerCategory {
        /// Served time as a political prisoner (with the years served).
        FormerPrisoner = "former_prisoner",
        /// A relative of someone detained.
        Relative = "relative",
        /// An activist in the country.
        ActivistInside = "activist_inside",
        /// An activist in exile.
        ActivistExile = "activist_exile",
        /// A supporter abroad.
        ForeignSupporter = "foreign_supporter",
        /// An organisation, signing as one.
        Organisation = "organisation",
    }
}

vocabulary! {
    /// How the signer chose to appear on the public list.
    Visibility {
        /// The full name and country.
        FullName = "full_name",
        /// Initials and country.
        Initials = "initials",
        /// Counted in the totals, never listed.
        CountedOnly = "counted_only",
    }
}

/// A statement, as staff write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Store-assigned id; 0 before it is stored.
    pub id: i64,
    /// Draft, open or closed.
    pub status: StatementStatus,
    /// Title and text per language (`es`, `en`, `ar`, …).
    pub texts: Vec<crate::AnnouncementText>,
    /// Whom it is addressed to (governments, bodies, the press), as
    /// written.
    pub addressees: Vec<String>,
}

impl Statement {
    /// Whether a signature may be taken now.
    pub fn takes_signatures(&self) -> bool {
        self.status == StatementStatus::Open
    }
}

/// The longest name a signer may give, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// The most years served a former prisoner may state.
pub const MAX_YEARS_SERVED: u32 = 60;

/// The signing form as posted: text, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignatureDraft {
    /// The signer's name.
    pub name: String,
    /// Their email address (never shown or exported publicly).
    pub email: String,
    /// A [`SignerCategory`] slug.
    pub category: String,
    /// Years served, for a former political prisoner.
    pub years_served: String,
    /// Their country (alpha-2).
    pub country: String,
    /// A [`Visibility`] slug.
    pub visibility: String,
}

/// A signature whose fields are valid (not yet confirmed by email, nor
/// moderated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The name, trimmed.
    pub name: String,
    /// The address, normalised.
    pub email: Email,
    /// Who they sign as.
    pub category: SignerCategory,
    /// Stated by a former prisoner (verified only through a registry
    /// link, from the person's timeline).
    pub years_served: Option<u32>,
    /// Their country.
    pub country: CountryCode,
    /// How they appear on the public list.
    pub visibility: Visibility,
}

impl SignatureDraft {
    /// The signature, or every problem with the form, each on its field.
    pub fn parse(&self) -> Result<Signature, Vec<FieldError>> {
        let mut errs = Vec::new();
        let name = self.name.trim();
        if name.is_empty() {
            errs.push(FieldError::new("name", "is empty; give your name"));
        } else if name.chars().count() > MAX_NAME_CHARS {
            errs.push(FieldError::new(
                "name",
                format!("is longer than {MAX_NAME_CHARS} characters"),
            ));
        } else if name.chars().any(char::is_control) {
            errs.push(FieldError::new("name", "holds a control character"));
        }
        let email = Email::parse(&self.email)
            .map_err(|why| errs.push(FieldError::new("email", why)))
            .ok();
        let category = SignerCategory::from_slug(self.category.trim());
        if category.is_none() {
            errs.push(FieldError::new("category", "choose who you sign as"));
        }
        let years = self.years_served.trim();
        let years_served = match (category, years) {
            (_, "") => None,
            (Some(SignerCategory::FormerPrisoner), y) => match y.parse::<u32>() {
                Ok(n) if (1..=MAX_YEARS_SERVED).contains(&n) => Some(n),
                _ => {
                    errs.push(FieldError::new(
                        "years_served",
                        format!("`{y}` is not a number of years from 1 to {MAX_YEARS_SERVED}"),
                    ));
                    None
                }
            },
            (_, _) => {
                errs.push(FieldError::new(
                    "years_served",
                    "only a former political prisoner states years served",
                ));
                None
            }
        };
        let country = CountryCode::parse(self.country.trim())
            .map_err(|_| errs.push(FieldError::new("country", "choose a country")))
            .ok();
        let visibility = Visibility::from_slug(self.visibility.trim());
        if visibility.is_none() {
            errs.push(FieldError::new(
                "visibility",
                "choose how you appear on the list",
            ));
        }
        match (email, category, country, visibility) {
            (Some(email), Some(category), Some(country), Some(visibility)) if errs.is_empty() => {
                Ok(Signature {
                    name: name.to_owned(),
                    email,
                    category,
                    years_served,
                    country,
                    visibility,
                })
            }
            _ => Err(errs),
        }
    }
}

impl Signature {
    /// How the signature appears on the public list, as the signer chose:
    /// the full name, or the initials ("A. P. G."); `None` when it is only
    /// counted. The country is shown beside it either way.
    pub fn public_name(&self) -> Option<String> {
        match self.visibility {
            Visibility::FullName => Some(self.name.clone()),
            Visibility::Initials => Some(initials(&self.name)),
            Visibility::CountedOnly => None,
        }
    }
}

/// "Ana María Pupo" → "A. M. P."; particles ("de", "la", "del", "y")
/// are left out.
pub fn initials(name: &str) -> String {
    const PARTICLES: [&str; 7] = ["de", "del", "la", "las", "los", "y", "e"];
    name.split_whitespace()
        .filter(|w| !PARTICLES.contains(&w.to_lowercase().as_str()))
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The mailbox an address reaches, on which duplicate signatures are
/// found: lower case (already, from [`Email`]), and for the providers
/// that ignore them, without dots in the local part and without a
/// `+tag`. `ana.pupo+firma@gmail.com` and `anapupo@googlemail.com` are one
/// mailbox.
pub fn mailbox(email: &Email) -> String {
    let (local, domain) = email
        .as_str()
        .split_once('@')
        .unwrap_or((email.as_str(), ""));
    let local = local.split('+').next().unwrap_or(local);
    match domain {
        "gmail.com" | "googlemail.com" => format!("{}@gmail.com", local.replace('.', "")),
        _ => format!("{local}@{domain}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> SignatureDraft {
        SignatureDraft {
            name: " Ana María Pupo ".into(),
            email: "Ana.Pupo@Example.org".into(),
            category: "former_prisoner".into(),
            years_served: "11".into(),
            country: "CU".into(),
            visibility: "initials".into(),
        }
    }

    #[test]
    fn a_filled_form_is_a_signature_that_shows_as_the_signer_chose() {
        let s = draft().parse().unwrap();
        assert_eq!(s.name, "Ana María Pupo");
        assert_eq!(s.email.as_str(), "ana.pupo@example.org");
        assert_eq!(s.years_served, Some(11));
        assert_eq!(s.public_name().as_deref(), Some("A. M. P."));
        let full = Signature {
            visibility: Visibility::FullName,
            ..s.clone()
        };
        assert_eq!(full.public_name().as_deref(), Some("Ana María Pupo"));
        let counted = Signature {
            visibility: Visibility::CountedOnly,
            ..s
        };
        assert_eq!(counted.public_name(), None);
        assert_eq!(initials("José de la Cruz y Díaz"), "J. C. D.");
    }

    #[test]
    fn every_problem_of_the_form_lands_on_its_field() {
        let bad = SignatureDraft {
            name: "x".repeat(100_000),
            email: "not-an-address".into(),
            category: "relative".into(),
            years_served: "11".into(),
            country: "ZZZ".into(),
            visibility: "famous".into(),
        };
        let errs = bad.parse().unwrap_err();
        let cols: Vec<&str> = errs.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(
            cols,
            ["name", "email", "years_served", "country", "visibility"]
        );
        let empty = SignatureDraft::default().parse().unwrap_err();
        assert!(empty.iter().any(|e| e.column == "name"));
        assert!(empty.iter().any(|e| e.column == "email"));
        let years = SignatureDraft {
            years_served: "70".into(),
            ..draft()
        };
        assert_eq!(years.parse().unwrap_err()[0].column, "years_served");
    }

    #[test]
    fn one_mailbox_however_its_address_is_written() {
        let m = |s: &str| mailbox(&Email::parse(s).unwrap());
        assert_eq!(m("Ana.Pupo+firma@Gmail.com"), "anapupo@gmail.com");
        assert_eq!(m("anapupo@googlemail.com"), "anapupo@gmail.com");
        assert_eq!(m("ana.pupo+x@example.org"), "ana.pupo@example.org");
        assert_ne!(m("ana.pupo@example.org"), m("anapupo@example.org"));
    }

    #[test]
    fn only_an_open_statement_takes_signatures() {
        for (status, takes) in [
            (StatementStatus::Draft, false),
            (StatementStatus::Open, true),
            (StatementStatus::Closed, false),
        ] {
            let s = Statement {
                id: 1,
                status,
                texts: vec![],
                addressees: vec![],
            };
            assert_eq!(s.takes_signatures(), takes, "{status}");
        }
    }
}
