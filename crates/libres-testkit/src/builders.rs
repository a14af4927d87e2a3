//! Builders for test data: short to write, valid by default.

use libres_core::{
    Condition, CountryCode, Detention, EdtfDate, Event, EventKind, Person, PersonId, Release,
    ReleaseKind, Source, SourceKind,
};
use libres_store::CaseBundle;

fn date(s: &str) -> EdtfDate {
    EdtfDate::parse(s).unwrap_or_else(|e| panic!("bad EDTF date in a test: {e}"))
}

fn country(s: &str) -> CountryCode {
    CountryCode::parse(s).unwrap_or_else(|e| panic!("bad country in a test: {e}"))
}

/// A person: published, detained in Cuba, nothing else known, until told
/// otherwise.
#[derive(Debug, Clone)]
pub struct PersonBuilder {
    person: Person,
}

impl PersonBuilder {
    /// A person with an id, given names and first surname.
    pub fn new(id: &str, given_names: &str, surname1: &str) -> Self {
        PersonBuilder {
            person: Person {
                id: PersonId::parse(id).unwrap_or_else(|e| panic!("bad id in a test: {e}")),
                given_names: given_names.into(),
                surname1: surname1.into(),
                surname2: None,
                aliases: Vec::new(),
                sex: None,
                birth_date: None,
                nationalities: Vec::new(),
                country: country("CU"),
                province: None,
                occupation: None,
                summary: None,
                publish: true,
                private_notes: None,
                family_contact: None,
            },
        }
    }

    /// Sex as recorded.
    pub fn sex(mut self, sex: libres_core::Sex) -> Self {
        self.person.sex = Some(sex);
        self
    }

    /// Second surname.
    pub fn surname2(mut self, s: &str) -> Self {
        self.person.surname2 = Some(s.into());
        self
    }

    /// Another name the person is known by.
    pub fn alias(mut self, s: &str) -> Self {
        self.person.aliases.push(s.into());
        self
    }

    /// Country of detention (alpha-2).
    pub fn country(mut self, cc: &str) -> Self {
        self.person.country = country(cc);
        self
    }

    /// Province.
    pub fn province(mut self, s: &str) -> Self {
        self.person.province = Some(s.into());
        self
    }

    /// Birth date (EDTF).
    pub fn born(mut self, edtf: &str) -> Self {
        self.person.birth_date = Some(date(edtf));
        self
    }

    /// A nationality (alpha-2).
    pub fn nationality(mut self, cc: &str) -> Self {
        self.person.nationalities.push(country(cc));
        self
    }

    /// Occupation.
    pub fn occupation(mut self, s: &str) -> Self {
        self.person.occupation = Some(s.into());
        self
    }

    /// Public summary.
    pub fn summary(mut self, s: &str) -> Self {
        self.person.summary = Some(s.into());
        self
    }

    /// The family declined publication.
    pub fn unpublished(mut self) -> Self {
        self.person.publish = false;
        self
    }

    /// Confidential staff notes.
    pub fn private_notes(mut self, s: &str) -> Self {
        self.person.private_notes = Some(s.into());
        self
    }

    /// Confidential family contact.
    pub fn family_contact(mut self, s: &str) -> Self {
        self.person.family_contact = Some(s.into());
        self
    }

    /// The person.
    pub fn build(self) -> Person {
        self.person
    }

    /// A case with this person and nothing else.
    pub fn case(self) -> CaseBuilder {
        CaseBuilder::new(self)
    }
}

/// A detention, empty until told otherwise.
#[derive(Debug, Clone)]
pub struct DetentionBuilder {
    detention: Detention,
}

impl Default for DetentionBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl DetentionBuilder {
    /// An empty detention.
    pub fn new() -> Self {
        DetentionBuilder {
            detention: Detention {
                id: 0,
                arrest_date: None,
                arrest_place: None,
                authority: None,
                charges: Vec::new(),
                court: None,
                sentence: None,
                sentence_months: None,
                prison: None,
            },
        }
    }

    /// Date (EDTF) and place of arrest.
    pub fn arrested(mut self, edtf: &str, place: &str) -> Self {
        self.detention.arrest_date = Some(date(edtf));
        self.detention.arrest_place = Some(place.into());
        self
    }

    /// Arresting authority.
    pub fn authority(mut self, s: &str) -> Self {
        self.detention.authority = Some(s.into());
        self
    }

    /// Charge codes (`cu.desacato`, …).
    pub fn charges(mut self, codes: &[&str]) -> Self {
        self.detention
            .charges
            .extend(codes.iter().map(|c| (*c).to_owned()));
        self
    }

    /// Court.
    pub fn court(mut self, s: &str) -> Self {
        self.detention.court = Some(s.into());
        self
    }

    /// Sentence text and, if known, its length in months.
    pub fn sentence(mut self, text: Option<&str>, months: Option<u32>) -> Self {
        self.detention.sentence = text.map(Into::into);
        self.detention.sentence_months = months;
        self
    }

    /// Prison.
    pub fn prison(mut self, s: &str) -> Self {
        self.detention.prison = Some(s.into());
        self
    }

    /// The detention.
    pub fn build(self) -> Detention {
        self.detention
    }
}

/// A whole case: a person, detentions, a timeline and its sources.
///
/// Sources are numbered in the order they are added (0, 1, …); events cite
/// them by that number with [`CaseBuilder::cite`], as
/// [`CaseBundle`] expects.
#[derive(Debug, Clone)]
pub struct CaseBuilder {
    bundle: CaseBundle,
}

impl CaseBuilder {
    /// A case for `person`, with nothing else yet.
    pub fn new(person: PersonBuilder) -> Self {
        CaseBuilder {
            bundle: CaseBundle {
                person: person.build(),
                detentions: Vec::new(),
                events: Vec::new(),
                sources: Vec::new(),
            },
        }
    }

    /// Adds a detention.
    pub fn detention(mut self, d: DetentionBuilder) -> Self {
        self.bundle.detentions.push(d.build());
        self
    }

    /// Adds an event of `kind` on `edtf`.
    pub fn event(mut self, kind: EventKind, edtf: &str) -> Self {
        self.bundle.events.push(Event::new(kind, date(edtf)));
        self
    }

    /// Adds a release of `kind` with `conditions` on `edtf`.
    pub fn release(mut self, edtf: &str, kind: ReleaseKind, conditions: &[Condition]) -> Self {
        let mut e = Event::new(EventKind::Release, date(edtf));
        e.release = Some(Release {
            kind,
            conditions: conditions.to_vec(),
        });
        self.bundle.events.push(e);
        self
    }

    fn last_event(&mut self) -> &mut Event {
        self.bundle.events.last_mut().expect("add an event first")
    }

    /// Sets the place of the last event added.
    pub fn place(mut self, s: &str) -> Self {
        self.last_event().place = Some(s.into());
        self
    }

    /// Sets the description of the last event added.
    pub fn describe(mut self, s: &str) -> Self {
        self.last_event().description = Some(s.into());
        self
    }

    /// Makes the last event added cite sources, by their position.
    pub fn cite(mut self, sources: &[i64]) -> Self {
        self.last_event().source_ids.extend_from_slice(sources);
        self
    }

    /// Adds a public source.
    pub fn source(self, kind: SourceKind, title: &str, url: Option<&str>) -> Self {
        self.push_source(kind, title, url, false)
    }

    /// Adds a confidential source (never shown in public).
    pub fn confidential_source(self, kind: SourceKind, title: &str, url: Option<&str>) -> Self {
        self.push_source(kind, title, url, true)
    }

    fn push_source(
        mut self,
        kind: SourceKind,
        title: &str,
        url: Option<&str>,
        confidential: bool,
    ) -> Self {
        self.bundle.sources.push(Source {
            id: 0,
            url: url.map(Into::into),
            title: title.into(),
            publisher: None,
            date: None,
            kind,
            confidential,
        });
        self
    }

    /// Sets publisher and date (EDTF) of the last source added.
    pub fn published_by(mut self, publisher: &str, edtf: &str) -> Self {
        let s = self.bundle.sources.last_mut().expect("add a source first");
        s.publisher = Some(publisher.into());
        s.date = Some(date(edtf));
        self
    }

    /// The case.
    pub fn build(self) -> CaseBundle {
        self.bundle
    }
}
