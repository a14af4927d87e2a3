//! Stored text back into domain values, the same for every backend: a
//! backend reads its columns, these turn them into core types, and a value
//! no valid write could have left is reported as corruption.

use crate::{StoreError, StoreResult};
use libres_core::{CountryCode, EdtfDate, PersonId, Sex, Status};

/// The error for a stored value that cannot be read back.
pub fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        what: what.to_owned(),
        detail: detail.to_string(),
    }
}

/// A stored person id.
pub fn person_id(s: &str) -> StoreResult<PersonId> {
    PersonId::parse(s).map_err(|e| corrupt("person id", e))
}

/// A stored sex slug, if any.
pub fn sex(s: Option<String>) -> StoreResult<Option<Sex>> {
    s.map(|s| Sex::from_slug(&s).ok_or_else(|| corrupt("sex", s)))
        .transpose()
}

/// A stored ISO country code.
pub fn country(s: &str) -> StoreResult<CountryCode> {
    CountryCode::parse(s).map_err(|e| corrupt("country", e))
}

/// A stored status slug.
pub fn status(s: &str) -> StoreResult<Status> {
    Status::from_slug(s).ok_or_else(|| corrupt("status", s))
}

/// A stored EDTF date, if any.
pub fn date(s: Option<String>) -> StoreResult<Option<EdtfDate>> {
    s.map(|t| EdtfDate::parse(&t).map_err(|e| corrupt("date", e)))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_read_back_and_bad_ones_are_corruption() {
        assert_eq!(
            country("CU").map(|c| c.as_str().to_owned()).ok(),
            Some("CU".to_owned())
        );
        assert!(date(Some("1980-03".into())).is_ok_and(|d| d.is_some()));
        assert!(date(None).is_ok_and(|d| d.is_none()));
        for err in [
            country("XX").err(),
            status("freed").err(),
            date(Some("soon".into())).err(),
            sex(Some("?".into())).err(),
            person_id("").err(),
        ] {
            let Some(e @ StoreError::Corrupt { .. }) = err else {
                panic!("{err:?}");
            };
            assert!(e.to_string().starts_with("corrupt "), "{e}");
        }
    }
}
