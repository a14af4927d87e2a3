//! Languages and translated text.
//!
//! The `.ftl` catalogues are compiled into the binary and parsed once, when
//! the router is built. Every message that takes no argument is formatted
//! then and kept as plain text, so a request only does hash-map look-ups;
//! the few messages with arguments (counts, page numbers) go through Fluent
//! at request time for their plural rules.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use libres_core::statement::SignerCategory;
use libres_core::{Condition, CountryCode, EventKind, ReleaseKind, SourceKind, Status};
use std::collections::HashMap;

/// A language the public site is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Spanish, the default: most readers and all the source documents.
    Es,
    /// English.
    En,
    /// Arabic, written right to left.
    Ar,
}

impl Lang {
    /// Every language, in the order the switcher shows them.
    pub const ALL: [Lang; 3] = [Lang::Es, Lang::En, Lang::Ar];

    /// The code used in URLs and in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
            Lang::Ar => "ar",
        }
    }

    /// Parses a URL segment; only the exact lower-case codes are accepted,
    /// so each page has one address.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "es" => Some(Lang::Es),
            "en" => Some(Lang::En),
            "ar" => Some(Lang::Ar),
            _ => None,
        }
    }

    /// Writing direction for `<html dir>`.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            Lang::Es | Lang::En => "ltr",
        }
    }

    /// The language's name in itself, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Es => "Español",
            Lang::En => "English",
            Lang::Ar => "العربية",
        }
    }

    fn index(self) -> usize {
        match self {
            Lang::Es => 0,
            Lang::En => 1,
            Lang::Ar => 2,
        }
    }

    /// Picks the language from an `Accept-Language` header: the supported
    /// language with the highest weight wins (ties keep header order), and
    /// Spanish when nothing matches.
    pub fn negotiate(accept_language: Option<&str>) -> Lang {
        let Some(header) = accept_language else {
            return Lang::Es;
        };
        let mut best: Option<(Lang, f32)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let primary = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
            let Some(lang) = Lang::from_code(&primary) else {
                continue;
            };
            let mut q = 1.0_f32;
            for p in parts {
                if let Some(v) = p.trim().strip_prefix("q=") {
                    q = v.trim().parse().unwrap_or(0.0);
                }
            }
            if q > 0.0 && best.is_none_or(|(_, bq)| q > bq) {
                best = Some((lang, q));
            }
        }
        best.map_or(Lang::Es, |(l, _)| l)
    }
}

/// The translated text of one language.
pub struct Catalog {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
    plain: HashMap<String, String>,
    statuses: Vec<String>,
    status_descriptions: Vec<String>,
    event_kinds: Vec<String>,
    release_kinds: Vec<String>,
    signer_categories: Vec<String>,
    conditions: Vec<String>,
    source_kinds: Vec<String>,
    countries: HashMap<CountryCode, String>,
    formats: crate::locale::Formats,
}

/// The Fluent function `PLURAL($n)`: the CLDR plural category of a
/// number in `lang` (`zero`, `one`, `two`, `few`, `many`, `other`), by
/// ICU4X's rules; anything that is not a number passes through. The
/// catalogues select on it (`{ PLURAL($count) -> [one] … *[other] … }`)
/// instead of on the number itself, whose category fluent-bundle gets
/// wrong in Arabic for numbers past 100.
fn plural_of(
    lang: Lang,
) -> impl for<'a> Fn(&[FluentValue<'a>], &FluentArgs) -> FluentValue<'a> + Send + Sync + 'static {
    use icu_plurals::{PluralCategory, PluralRuleType, PluralRules};
    let locale = lang.code().parse::<icu_locale_core::Locale>().ok();
    move |positional, _named| {
        let Some(FluentValue::Number(n)) = positional.first() else {
            return positional.first().cloned().unwrap_or(FluentValue::None);
        };
        // The rules are made for each call (a look-up in compiled data):
        // they cannot be shared between threads, and a page formats a
        // handful of counts.
        let rules = locale
            .clone()
            .and_then(|l| PluralRules::try_new(l.into(), PluralRuleType::Cardinal.into()).ok());
        let v = n.value;
        // Our counts are whole numbers; anything else is "other", which
        // every message has.
        let category = match &rules {
            Some(rules) if v >= 0.0 && v.fract() == 0.0 && v < 1e15 => rules.category_for(v as u64),
            _ => PluralCategory::Other,
        };
        FluentValue::from(match category {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        })
    }
}

/// The embedded catalogues, in [`Lang::ALL`] order.
const SOURCES: [(Lang, &str); 3] = [
    (Lang::Es, include_str!("../locales/es/main.ftl")),
    (Lang::En, include_str!("../locales/en/main.ftl")),
    (Lang::Ar, include_str!("../locales/ar/main.ftl")),
];

/// Message ids defined in an `.ftl` text (terms and attributes excluded).
/// A line scan is enough for our own catalogues and spares a direct
/// dependency on the Fluent parser's AST.
fn message_ids(ftl: &str) -> impl Iterator<Item = &str> {
    ftl.lines().filter_map(|line| {
        let first = line.chars().next()?;
        if !first.is_ascii_alphabetic() {
            return None;
        }
        let (id, _) = line.split_once('=')?;
        Some(id.trim())
    })
}

impl Catalog {
    /// Parses one catalogue. Problems are logged, not fatal: a page with a
    /// message id in place of a missing translation beats no site at all,
    /// and the unit tests keep the shipped catalogues error-free.
    fn load(lang: Lang, ftl: &'static str) -> Catalog {
        let resource = match FluentResource::try_new(ftl.to_owned()) {
            Ok(r) => r,
            Err((r, errors)) => {
                tracing::error!(
                    lang = lang.code(),
                    ?errors,
                    "errors in the translation catalogue"
                );
                r
            }
        };
        let langid = lang.code().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![langid]);
        // Bidi isolation marks would end up inside attributes and
        // <title>; the templates isolate user text with <bdi> instead.
        bundle.set_use_isolating(false);
        // Every number a message prints, in the language's digits and
        // grouping.
        bundle.set_formatter(Some(crate::locale::fluent_number));
        if let Err(e) = bundle.add_function("PLURAL", plural_of(lang)) {
            tracing::error!(lang = lang.code(), error = %e, "PLURAL could not be added");
        }
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(
                lang = lang.code(),
                ?errors,
                "errors in the translation catalogue"
            );
        }
        let mut plain = HashMap::new();
        for id in message_ids(ftl) {
            let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, None, &mut errors);
            // Messages that need arguments fail without them; they stay
            // in the bundle for `fmt`.
            if errors.is_empty() {
                plain.insert(id.to_owned(), text.into_owned());
            }
        }
        let vocab = |prefix: &str, slugs: &mut dyn Iterator<Item = &'static str>| -> Vec<String> {
            slugs
                .map(|slug| {
                    plain
                        .get(&format!("{prefix}-{slug}"))
                        .cloned()
                        .unwrap_or_else(|| slug.to_owned())
                })
                .collect()
        };
        let statuses = vocab("status", &mut Status::ALL.iter().map(|s| s.slug()));
        let status_descriptions = vocab("status-desc", &mut Status::ALL.iter().map(|s| s.slug()));
        let event_kinds = vocab("event", &mut EventKind::ALL.iter().map(|s| s.slug()));
        let release_kinds = vocab("release", &mut ReleaseKind::ALL.iter().map(|s| s.slug()));
        let signer_categories = vocab("st-cat", &mut SignerCategory::ALL.iter().map(|s| s.slug()));
        let conditions = vocab("condition", &mut Condition::ALL.iter().map(|s| s.slug()));
        let source_kinds = vocab("source-kind", &mut SourceKind::ALL.iter().map(|s| s.slug()));
        let countries = plain
            .iter()
            .filter_map(|(k, v)| {
                let code = CountryCode::parse(k.strip_prefix("country-")?).ok()?;
                Some((code, v.clone()))
            })
            .collect();
        Catalog {
            lang,
            bundle,
            plain,
            statuses,
            status_descriptions,
            event_kinds,
            release_kinds,
            signer_categories,
            conditions,
            source_kinds,
            countries,
            formats: crate::locale::Formats::new(lang),
        }
    }

    /// A whole number in the language's digits and grouping.
    pub fn number(&self, n: impl Into<i64>) -> String {
        self.formats.number(n.into())
    }

    /// A span of days in words, at its precision.
    pub fn span(&self, span: crate::locale::Span) -> String {
        use crate::locale::Span;
        let f = &self.formats;
        // Each end of a range at the precision it has on its own.
        let end = |ymd: i64, last: bool| -> String {
            let (y, m, d) = (ymd / 10_000, ymd / 100 % 100, ymd % 100);
            let first_of_year = m == 1 && d == 1;
            let last_of_year = m == 12 && d == 31;
            let whole_year = if last { last_of_year } else { first_of_year };
            let first_of_month = d == 1;
            let last_of_month =
                u8::try_from(m).is_ok_and(|m| d == i64::from(crate::locale::month_len(y, m)));
            let whole_month = if last { last_of_month } else { first_of_month };
            if whole_year {
                f.year(ymd)
            } else if whole_month {
                f.month(ymd)
            } else {
                f.day(ymd)
            }
        };
        match span {
            Span::Day(d) => f.day(d),
            Span::Month(d) => f.month(d),
            Span::Year(d) => f.year(d),
            Span::Between(a, b) => self.fmt(
                "date-between",
                &[
                    ("from", FluentValue::from(end(a, false))),
                    ("to", FluentValue::from(end(b, true))),
                ],
            ),
            Span::Before(d) => self.fmt("date-before", &[("date", FluentValue::from(f.day(d)))]),
            Span::After(d) => self.fmt("date-after", &[("date", FluentValue::from(f.day(d)))]),
            Span::Unknown => self.get("date-unknown").to_owned(),
        }
    }

    /// An EDTF date in words, approximate and uncertain ones marked so.
    pub fn date(&self, date: &libres_core::EdtfDate) -> crate::locale::DateWords {
        let (span, approximate, uncertain) = crate::locale::edtf_span(date);
        let mut text = self.span(span);
        if approximate {
            text = self.fmt("date-approx", &[("date", FluentValue::from(text))]);
        }
        if uncertain {
            text = self.fmt("date-uncertain", &[("date", FluentValue::from(text))]);
        }
        crate::locale::DateWords {
            text,
            iso: if approximate || uncertain {
                None
            } else {
                crate::locale::iso(span)
            },
            edtf: date.as_str().to_owned(),
        }
    }

    /// An EDTF date written as [`Catalog::date`] writes it, as HTML (see
    /// [`crate::locale::DateWords::html`]); text that is not EDTF is shown
    /// as it is, escaped.
    pub fn date_html(&self, edtf: &str) -> String {
        match libres_core::EdtfDate::parse(edtf) {
            Ok(d) => self.date(&d).html(),
            Err(_) => crate::locale::DateWords {
                text: edtf.to_owned(),
                iso: None,
                edtf: edtf.to_owned(),
            }
            .html(),
        }
    }

    /// A length of time given in months, in years and months.
    pub fn duration(&self, months: u32) -> String {
        let (years, rest) = (months / 12, months % 12);
        let y = || self.count("dur-years", "years", u64::from(years));
        let m = || self.count("dur-months", "months", u64::from(rest));
        match (years, rest) {
            (0, _) => m(),
            (_, 0) => y(),
            _ => self.fmt(
                "dur-years-months",
                &[
                    ("years", FluentValue::from(y())),
                    ("months", FluentValue::from(m())),
                ],
            ),
        }
    }

    /// A message without arguments; the id itself if it is missing, so a
    /// gap shows on the page instead of breaking it.
    pub fn get<'a>(&'a self, id: &'a str) -> &'a str {
        self.plain.get(id).map_or(id, String::as_str)
    }

    /// A message with arguments (numbers, names), with the language's
    /// plural rules applied.
    pub fn fmt(&self, id: &str, args: &[(&'static str, FluentValue<'_>)]) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let mut fargs = FluentArgs::with_capacity(args.len());
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fargs), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(
                lang = self.lang.code(),
                id,
                ?errors,
                "translation failed to format"
            );
        }
        text.into_owned()
    }

    /// Shorthand for a message with one numeric argument.
    pub fn count(&self, id: &str, name: &'static str, n: u64) -> String {
        self.fmt(id, &[(name, FluentValue::from(n))])
    }

    /// The name of a status.
    pub fn status(&self, s: &Status) -> &str {
        pick(&self.statuses, Status::ALL, s)
    }

    /// One sentence saying what a status means.
    pub fn status_description(&self, s: &Status) -> &str {
        pick(&self.status_descriptions, Status::ALL, s)
    }

    /// The name of an event kind.
    pub fn event_kind(&self, k: &EventKind) -> &str {
        pick(&self.event_kinds, EventKind::ALL, k)
    }

    /// The name of a release kind.
    pub fn release_kind(&self, k: &ReleaseKind) -> &str {
        pick(&self.release_kinds, ReleaseKind::ALL, k)
    }

    /// Who a signer signs as.
    pub fn signer_category(&self, c: &SignerCategory) -> &str {
        pick(&self.signer_categories, SignerCategory::ALL, c)
    }

    /// The name of a release condition.
    pub fn condition(&self, c: &Condition) -> &str {
        pick(&self.conditions, Condition::ALL, c)
    }

    /// The name of a kind of source.
    pub fn source_kind(&self, k: &SourceKind) -> &str {
        pick(&self.source_kinds, SourceKind::ALL, k)
    }

    /// The countries the catalogue names.
    pub fn country_codes(&self) -> impl Iterator<Item = &CountryCode> {
        self.countries.keys()
    }

    /// A country's name, or its code when the catalogue has no name for it.
    pub fn country<'a>(&'a self, c: &'a CountryCode) -> &'a str {
        self.countries.get(c).map_or(c.as_str(), String::as_str)
    }
}

/// The translation of `value`, found by its position in `all`.
fn pick<'a, T: PartialEq>(names: &'a [String], all: &[T], value: &T) -> &'a str {
    all.iter()
        .position(|v| v == value)
        .and_then(|i| names.get(i))
        .map_or("?", String::as_str)
}

/// Every catalogue, loaded once.
pub struct I18n {
    catalogs: [Catalog; 3],
}

impl I18n {
    /// Parses the embedded catalogues.
    pub fn load() -> I18n {
        I18n {
            catalogs: SOURCES.map(|(lang, ftl)| Catalog::load(lang, ftl)),
        }
    }

    /// The catalogue of a language.
    pub fn catalog(&self, lang: Lang) -> &Catalog {
        &self.catalogs[lang.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogues_parse_without_errors() {
        for (lang, ftl) in SOURCES {
            let res = FluentResource::try_new(ftl.to_owned());
            assert!(res.is_ok(), "{}: {:?}", lang.code(), res.err().map(|e| e.1));
            let mut bundle = FluentBundle::new_concurrent(vec![lang.code().parse().unwrap()]);
            assert!(
                bundle.add_resource(res.unwrap()).is_ok(),
                "{}: duplicate ids",
                lang.code()
            );
        }
    }

    #[test]
    fn every_language_defines_the_same_messages() {
        let es: Vec<&str> = message_ids(SOURCES[0].1).collect();
        for (lang, ftl) in &SOURCES[1..] {
            let other: Vec<&str> = message_ids(ftl).collect();
            for id in &es {
                assert!(other.contains(id), "{} lacks `{id}`", lang.code());
            }
            for id in &other {
                assert!(es.contains(id), "{} has `{id}` that es lacks", lang.code());
            }
        }
    }

    #[test]
    fn every_vocabulary_value_is_translated_in_every_language() {
        let i18n = I18n::load();
        for lang in Lang::ALL {
            let t = i18n.catalog(lang);
            let mut all: Vec<(String, String)> = Vec::new();
            all.extend(
                Status::ALL
                    .iter()
                    .map(|s| (format!("status-{s}"), t.status(s).to_owned())),
            );
            all.extend(Status::ALL.iter().map(|s| {
                (
                    format!("status-desc-{s}"),
                    t.status_description(s).to_owned(),
                )
            }));
            all.extend(
                EventKind::ALL
                    .iter()
                    .map(|s| (format!("event-{s}"), t.event_kind(s).to_owned())),
            );
            all.extend(
                ReleaseKind::ALL
                    .iter()
                    .map(|s| (format!("release-{s}"), t.release_kind(s).to_owned())),
            );
            all.extend(
                Condition::ALL
                    .iter()
                    .map(|s| (format!("condition-{s}"), t.condition(s).to_owned())),
            );
            all.extend(
                SourceKind::ALL
                    .iter()
                    .map(|s| (format!("source-kind-{s}"), t.source_kind(s).to_owned())),
            );
            all.extend(libres_core::Figure::ALL.iter().map(|f| {
                (
                    format!("figure-{f}"),
                    t.get(&format!("figure-{f}")).to_owned(),
                )
            }));
            all.extend(libres_core::IssuerKind::ALL.iter().map(|k| {
                (
                    format!("issuer-{k}"),
                    t.get(&format!("issuer-{k}")).to_owned(),
                )
            }));
            all.extend(libres_core::ClaimKind::ALL.iter().map(|k| {
                (
                    format!("claim-{k}"),
                    t.get(&format!("claim-{k}")).to_owned(),
                )
            }));
            for (id, text) in all {
                assert!(
                    t.plain.contains_key(&id),
                    "{}: `{id}` is missing",
                    lang.code()
                );
                assert!(
                    !text.is_empty() && text != "?",
                    "{}: `{id}` is empty",
                    lang.code()
                );
            }
            for cc in ["CU", "VE", "NI"] {
                let c = CountryCode::parse(cc).unwrap();
                assert_ne!(t.country(&c), cc, "{}: no name for {cc}", lang.code());
            }
        }
    }

    #[test]
    fn every_message_the_templates_use_exists() {
        let i18n = I18n::load();
        let templates = [
            include_str!("../templates/base.html"),
            include_str!("../templates/home.html"),
            include_str!("../templates/persons.html"),
            include_str!("../templates/person.html"),
            include_str!("../templates/error.html"),
            include_str!("../templates/announcements.html"),
            include_str!("../templates/announcement.html"),
            include_str!("../templates/announcement_names.html"),
        ];
        let mut used = Vec::new();
        for tpl in templates {
            for chunk in tpl.split("t.get(\"").skip(1) {
                if let Some((id, _)) = chunk.split_once('"') {
                    used.push(id.to_owned());
                }
            }
        }
        assert!(used.len() > 20, "the scan found too few messages: {used:?}");
        for lang in Lang::ALL {
            let t = i18n.catalog(lang);
            for id in &used {
                assert!(
                    t.plain.contains_key(id),
                    "{}: `{id}` is used but missing",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn messages_with_arguments_apply_plural_rules() {
        let i18n = I18n::load();
        assert_eq!(
            i18n.catalog(Lang::En).count("list-results", "count", 1),
            "1 person"
        );
        assert_eq!(
            i18n.catalog(Lang::En).count("list-results", "count", 3),
            "3 persons"
        );
        assert_eq!(
            i18n.catalog(Lang::Es).count("list-results", "count", 3),
            "3 personas"
        );
        assert_ne!(
            i18n.catalog(Lang::Ar).count("list-results", "count", 2),
            i18n.catalog(Lang::Ar).count("list-results", "count", 11)
        );
        // Arabic's six forms by CLDR's rules, large numbers included: the
        // category of 103 is that of 3, of 2,867 that of 67.
        let ar = |n| i18n.catalog(Lang::Ar).count("list-results", "count", n);
        assert_eq!(ar(0), "لا أحد");
        assert_eq!(ar(1), "شخص واحد");
        assert_eq!(ar(2), "شخصان");
        for (n, form) in [
            (3, "أشخاص"),
            (10, "أشخاص"),
            (103, "أشخاص"),
            (1_003, "أشخاص"),
            (11, "شخصًا"),
            (99, "شخصًا"),
            (2_867, "شخصًا"),
            (1_011, "شخصًا"),
            (100, "شخص"),
            (1_000, "شخص"),
            (102, "شخص"),
        ] {
            let digits = i18n.catalog(Lang::Ar).number(n as i64);
            assert_eq!(ar(n), format!("{digits} {form}"), "{n}");
        }
        // Numbers are grouped by CLDR's rules for each language: Spanish
        // groups from five digits.
        assert_eq!(ar(2_867), "2,867 شخصًا");
        let es = |n| i18n.catalog(Lang::Es).count("list-results", "count", n);
        assert_eq!(es(1), "1 persona");
        assert_eq!(es(2_867), "2867 personas");
        assert_eq!(es(28_670), "28.670 personas");
        let en = |n| i18n.catalog(Lang::En).count("list-results", "count", n);
        assert_eq!(en(2_867), "2,867 persons");
    }

    #[test]
    fn dates_and_lengths_of_time_are_written_in_words() {
        let i18n = I18n::load();
        let date = |lang, s: &str| {
            i18n.catalog(lang)
                .date(&libres_core::EdtfDate::parse(s).unwrap())
        };
        let es = |s| date(Lang::Es, s).text;
        let en = |s| date(Lang::En, s).text;
        assert_eq!(es("2021-07-11"), "11 de julio de 2021");
        assert_eq!(en("2021-07"), "July 2021");
        assert_eq!(en("1989~"), "around 1989");
        assert_eq!(es("1989~"), "hacia 1989");
        assert_eq!(en("2021-07-2X"), "between July 20, 2021 and July 29, 2021");
        assert_eq!(en("198X"), "between 1980 and 1989");
        assert_eq!(en("2021-07?"), "July 2021 (uncertain)");
        assert_eq!(en("2021-06/2021-08"), "between June 2021 and August 2021");
        // The EDTF stays beside the words; an HTML date only where exact.
        let w = date(Lang::Ar, "2021-07-11");
        assert!(w.text.contains("يوليو"), "{}", w.text);
        assert_eq!(w.iso.as_deref(), Some("2021-07-11"));
        assert_eq!(date(Lang::En, "1989~").iso, None);
        assert_eq!(date(Lang::En, "1989~").edtf, "1989~");
        let en = i18n.catalog(Lang::En);
        assert_eq!(en.duration(96), "8 years");
        assert_eq!(en.duration(18), "1 year and 6 months");
        assert_eq!(en.duration(1), "1 month");
        let ar = i18n.catalog(Lang::Ar);
        assert_eq!(ar.duration(24), "سنتان");
        assert_eq!(ar.duration(12 * 11), "11 سنةً");
        assert_eq!(i18n.catalog(Lang::Es).duration(50), "4 años y 2 meses");
    }

    #[test]
    fn a_status_and_a_release_kind_never_share_a_name() {
        // "Conditional release" is where a person stands; parole is one
        // way out of prison that leads there, among several.
        let i18n = I18n::load();
        for lang in Lang::ALL {
            let t = i18n.catalog(lang);
            for s in Status::ALL {
                for k in ReleaseKind::ALL {
                    if *s == Status::HouseArrest && *k == ReleaseKind::HouseArrest {
                        continue;
                    }
                    assert_ne!(t.status(s), t.release_kind(k), "{} {s} {k}", lang.code());
                }
            }
        }
    }

    #[test]
    fn accept_language_picks_the_best_supported_language() {
        assert_eq!(Lang::negotiate(None), Lang::Es);
        assert_eq!(Lang::negotiate(Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(Lang::negotiate(Some("fr-FR, ar;q=0.8, en;q=0.5")), Lang::Ar);
        assert_eq!(Lang::negotiate(Some("de, fr")), Lang::Es);
        assert_eq!(Lang::negotiate(Some("en;q=0, ar;q=0.1")), Lang::Ar);
        assert_eq!(Lang::negotiate(Some("ES-419")), Lang::Es);
        assert_eq!(Lang::negotiate(Some(";;,q=,")), Lang::Es);
    }
}
