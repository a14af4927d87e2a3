//! Sources: where each claim on a timeline comes from.

use crate::date::EdtfDate;
use serde::{Deserialize, Serialize};

crate::event::vocabulary! {
    /// What kind of document a source is.
    SourceKind {
        /// A press article.
        Article = "article",
        /// A report by an NGO.
        NgoReport = "ngo_report",
        /// Testimony of a witness or relative. Often confidential.
        Testimony = "testimony",
        /// A court document.
        CourtDocument = "court_document",
        /// A statement by an official body.
        OfficialStatement = "official_statement",
        /// A social-media post.
        SocialMedia = "social_media",
    }
}

/// A source document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Store-assigned id; 0 before the source is stored.
    pub id: i64,
    /// Where it can be read, if public.
    pub url: Option<String>,
    /// Title.
    pub title: String,
    /// Publisher or author.
    pub publisher: Option<String>,
    /// Publication date (EDTF).
    pub date: Option<EdtfDate>,
    /// What kind of document it is.
    pub kind: SourceKind,
    /// Confidential sources (testimony, most often) are never shown in
    /// public: revealing them puts the witness at risk.
    pub confidential: bool,
}
