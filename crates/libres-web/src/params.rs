//! Query parameters of the person list and search, parsed into core types.
//!
//! The HTML list and the JSON API share this parser, so both reject the
//! same inputs with the same [`ParamError`]. We parse the raw query string
//! ourselves instead of using axum's `Query` so that every failure is one
//! of ours (a translated 400 page), never axum's plain-text rejection.

use crate::error::ParamError;
use libres_core::{CountryCode, Status};
use libres_store::PersonQuery;

/// Rows per page, for the site and the API alike, unless `per_page` says
/// otherwise.
pub const PER_PAGE: u32 = 50;

/// The most rows a page may hold (`per_page`): enough for a reader of the
/// API to page through a registry in a few hundred requests.
pub const MAX_PER_PAGE: u32 = 1000;

/// The highest page number accepted. Far past any real registry, and low
/// enough that `page * PER_PAGE` cannot overflow in a backend.
pub const MAX_PAGE: u32 = 1_000_000;

/// The longest search text accepted, in characters. Names are short; a
/// longer text is a mistake or an attempt to make the store work hard.
pub const MAX_QUERY_CHARS: usize = 200;

/// A parsed person search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListParams {
    /// Free text, trimmed; `None` when empty.
    pub q: Option<String>,
    /// Country filter.
    pub country: Option<CountryCode>,
    /// Status filter.
    pub status: Option<Status>,
    /// 1-based page.
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
}

impl ListParams {
    /// Parses a raw query string (`q=…&country=CU&status=detained&page=2`).
    /// Unknown parameters are ignored; an empty value means "not given",
    /// as a search form sends for its "all" options; a repeated parameter
    /// keeps its last value.
    pub fn parse(raw: Option<&str>) -> Result<ListParams, ParamError> {
        let mut params = ListParams {
            q: None,
            country: None,
            status: None,
            page: 1,
            per_page: PER_PAGE,
        };
        let Some(raw) = raw else {
            return Ok(params);
        };
        for pair in raw.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value)?;
            let value = value.trim();
            match decode(key)?.as_str() {
                "q" => {
                    if value.chars().count() > MAX_QUERY_CHARS {
                        return Err(ParamError::QueryTooLong);
                    }
                    params.q = (!value.is_empty()).then(|| value.to_owned());
                }
                "country" if value.is_empty() => params.country = None,
                "country" => {
                    params.country =
                        Some(CountryCode::parse(value).map_err(|_| ParamError::Country)?)
                }
                "status" if value.is_empty() => params.status = None,
                "status" => {
                    params.status = Some(Status::from_slug(value).ok_or(ParamError::Status)?)
                }
                "per_page" if value.is_empty() => params.per_page = PER_PAGE,
                "per_page" => {
                    params.per_page = match value.parse::<u32>() {
                        Ok(n) if (1..=MAX_PER_PAGE).contains(&n) => n,
                        _ => return Err(ParamError::PerPage),
                    }
                }
                "page" if value.is_empty() => params.page = 1,
                "page" => {
                    params.page = match value.parse::<u32>() {
                        Ok(n) if (1..=MAX_PAGE).contains(&n) => n,
                        _ => return Err(ParamError::Page),
                    }
                }
                _ => {}
            }
        }
        Ok(params)
    }

    /// The store query for the public: published persons only.
    pub fn to_query(&self) -> PersonQuery {
        PersonQuery {
            q: self.q.clone(),
            country: self.country,
            status: self.status,
            page: self.page,
            per_page: self.per_page,
            include_unpublished: false,
        }
    }

    /// The query string of this search at another page, starting with
    /// `?`: the filters are kept, so the prev/next links stay in the same
    /// search.
    pub fn query_string(&self, page: u32) -> String {
        let mut out = String::with_capacity(64);
        let mut sep = '?';
        let mut push = |key: &str, value: &str| {
            out.push(sep);
            sep = '&';
            out.push_str(key);
            out.push('=');
            encode(value, &mut out);
        };
        if let Some(q) = &self.q {
            push("q", q);
        }
        if let Some(c) = &self.country {
            push("country", c.as_str());
        }
        if let Some(s) = self.status {
            push("status", s.slug());
        }
        if self.per_page != PER_PAGE {
            push("per_page", &self.per_page.to_string());
        }
        if page != 1 {
            push("page", &page.to_string());
        }
        out
    }
}

/// Decodes one `application/x-www-form-urlencoded` component: `+` is a
/// space and `%XX` a byte; the bytes must form UTF-8.
fn decode(s: &str) -> Result<String, ParamError> {
    if !s.contains(['%', '+']) {
        return Ok(s.to_owned());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = |j: usize| bytes.get(j).and_then(|c| (*c as char).to_digit(16));
                match (hex(i + 1), hex(i + 2)) {
                    (Some(h), Some(l)) => {
                        // Two hex digits are at most 0xFF.
                        out.push(u8::try_from(h * 16 + l).map_err(|_| ParamError::Encoding)?);
                        i += 2;
                    }
                    _ => return Err(ParamError::Encoding),
                }
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| ParamError::Encoding)
}

/// Percent-encodes a query component: unreserved characters pass, space
/// becomes `+`, everything else `%XX`.
fn encode(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<ListParams, ParamError> {
        ListParams::parse(Some(s))
    }

    #[test]
    fn a_form_submission_with_empty_filters_means_no_filter() {
        let p = parse("q=&country=&status=").unwrap();
        assert_eq!(p, ListParams::parse(None).unwrap());
        assert_eq!(p.page, 1);
    }

    #[test]
    fn encoded_search_text_is_decoded() {
        let p = parse("q=Gonz%C3%A1lez+Garc%C3%ADa&country=cu&status=detained&page=3").unwrap();
        assert_eq!(p.q.as_deref(), Some("González García"));
        assert_eq!(p.country.map(|c| c.to_string()).as_deref(), Some("CU"));
        assert_eq!(p.status, Some(Status::Detained));
        assert_eq!(p.page, 3);
    }

    #[test]
    fn bad_values_are_rejected_with_the_parameter_named() {
        assert_eq!(parse("page=abc"), Err(ParamError::Page));
        assert_eq!(parse("page=0"), Err(ParamError::Page));
        assert_eq!(parse("page=-1"), Err(ParamError::Page));
        assert_eq!(parse("page=99999999999"), Err(ParamError::Page));
        assert_eq!(parse("country=ZZ"), Err(ParamError::Country));
        assert_eq!(parse("status=bogus"), Err(ParamError::Status));
        assert_eq!(parse("q=%ZZ"), Err(ParamError::Encoding));
        assert_eq!(parse("q=%FF"), Err(ParamError::Encoding));
        assert_eq!(
            parse(&format!("q={}", "a".repeat(201))),
            Err(ParamError::QueryTooLong)
        );
    }

    #[test]
    fn unknown_parameters_are_ignored() {
        assert_eq!(parse("utm_source=x&page=2").unwrap().page, 2);
    }

    #[test]
    fn the_query_string_round_trips_through_the_parser() {
        let p =
            parse("q=Mar%C3%ADa+%26+Jos%C3%A9%3D&country=VE&status=conditional_release").unwrap();
        let qs = p.query_string(4);
        assert!(
            qs.starts_with(
                "?q=Mar%C3%ADa+%26+Jos%C3%A9%3D&country=VE&status=conditional_release&page=4"
            ),
            "{qs}"
        );
        let back = ListParams::parse(qs.strip_prefix('?')).unwrap();
        assert_eq!(
            back,
            ListParams {
                page: 4,
                ..p.clone()
            }
        );
        assert_eq!(
            p.query_string(1),
            "?q=Mar%C3%ADa+%26+Jos%C3%A9%3D&country=VE&status=conditional_release"
        );
        assert_eq!(ListParams::parse(None).unwrap().query_string(1), "");
    }

    #[test]
    fn per_page_is_a_whole_number_from_1_to_1000_and_stays_in_the_links() {
        assert_eq!(parse("").unwrap().per_page, PER_PAGE);
        assert_eq!(parse("per_page=1000").unwrap().per_page, 1000);
        assert_eq!(parse("per_page=").unwrap().per_page, PER_PAGE);
        for bad in ["per_page=0", "per_page=1001", "per_page=-1", "per_page=x"] {
            assert_eq!(parse(bad), Err(ParamError::PerPage), "{bad}");
        }
        let p = parse("per_page=200&page=3").unwrap();
        assert_eq!(p.to_query().per_page, 200);
        assert_eq!(p.query_string(4), "?per_page=200&page=4");
    }
}
