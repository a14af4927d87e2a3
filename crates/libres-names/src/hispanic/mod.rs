//! Spanish-language names.
