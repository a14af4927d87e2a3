//! Timeline events: what happened to a person, and when.
//!
//! The vocabulary follows the groups' own practice (see DOMAIN.md): a
//! "release" is rarely freedom, so every release carries a kind and the
//! conditions attached to it, and the status derived from it says which.

use crate::date::EdtfDate;
use serde::{Deserialize, Serialize};

/// Declares a closed vocabulary whose values are stored and exchanged as
/// stable snake_case slugs.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $slug:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable slug used in the database, URLs and files.
            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug,)+ }
            }

            /// Parses a slug as produced by [`Self::slug`].
            pub fn from_slug(s: &str) -> Option<Self> {
                match s { $($slug => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.slug())
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary! {
    /// What kind of thing happened.
    EventKind {
        /// Detention by the authorities.
        Arrest = "arrest",
        /// A formal charge.
        Charge = "charge",
        /// A trial or hearing.
        Trial = "trial",
        /// A sentence handed down.
        Sentence = "sentence",
        /// A move to another prison or facility.
        Transfer = "transfer",
        /// A hunger strike.
        HungerStrike = "hunger_strike",
        /// A health alert raised by the family or an NGO.
        HealthAlert = "health_alert",
        /// A release of some kind; see [`Release`].
        Release = "release",
        /// Revocation of a conditional release: back to prison.
        Revocation = "revocation",
        /// A new arrest after a release.
        ReArrest = "re_arrest",
        /// A new charge after a release; re-opens the case.
        NewCharge = "new_charge",
        /// Enforced disappearance: whereabouts unknown.
        Disappearance = "disappearance",
        /// The person's whereabouts became known again while still held.
        Reappearance = "reappearance",
        /// Death in custody.
        DeathInCustody = "death_in_custody",
        /// Forced exile, banishment or deportation after detention.
        Exile = "exile",
    }
}

vocabulary! {
    /// How a person left prison.
    ReleaseKind {
        /// Unconditional release.
        Unconditional = "unconditional",
        /// The sentence was fully served.
        SentenceServed = "sentence_served",
        /// *Libertad condicional* (parole).
        Parole = "parole",
        /// *Licencia extrapenal* (medical leave from prison).
        MedicalLeave = "medical_leave",
        /// *Excarcelación anticipada* (early release).
        EarlyRelease = "early_release",
        /// *Medida cautelar sustitutiva* (substitute precautionary measure).
        SubstituteMeasure = "substitute_measure",
        /// House arrest (*detención domiciliaria*, *casa por cárcel*).
        HouseArrest = "house_arrest",
        /// Forced exile as a condition of release (*destierro*).
        ForcedExile = "forced_exile",
        /// Deportation.
        Deportation = "deportation",
    }
}

vocabulary! {
    /// A restriction attached to a release.
    Condition {
        /// Periodic presentation to a court (*régimen de presentación*).
        PeriodicPresentation = "periodic_presentation",
        /// Travel ban (*prohibición de salida del país*).
        TravelBan = "travel_ban",
        /// Gag order (*prohibición de declarar*).
        GagOrder = "gag_order",
        /// Stripped of nationality (*apatridia*).
        Statelessness = "statelessness",
        /// Property confiscated.
        Confiscation = "confiscation",
    }
}

vocabulary! {
    /// The groups of release kinds from DOMAIN.md: not all of them are
    /// freedom.
    ReleaseGroup {
        /// Unconditional release or sentence served, with no conditions.
        FullFreedom = "full_freedom",
        /// Out of prison under conditions that can be revoked.
        Conditional = "conditional",
        /// Out of prison but still confined (house arrest).
        StillConfined = "still_confined",
        /// Released on condition of leaving, or expelled.
        Expelled = "expelled",
    }
}

/// A release: its kind and the conditions imposed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    /// How the person left prison.
    pub kind: ReleaseKind,
    /// Restrictions attached to the release.
    pub conditions: Vec<Condition>,
}

impl Release {
    /// Which group the release belongs to. An "unconditional" release that
    /// comes with a travel ban or a court-presentation regime is reported as
    /// conditional: the figures must say what the person actually lives.
    pub fn group(&self) -> ReleaseGroup {
        let restricted = self.conditions.iter().any(|c| {
            matches!(
                c,
                Condition::PeriodicPresentation | Condition::TravelBan | Condition::GagOrder
            )
        });
        match self.kind {
            ReleaseKind::Unconditional | ReleaseKind::SentenceServed if restricted => {
                ReleaseGroup::Conditional
            }
            ReleaseKind::Unconditional | ReleaseKind::SentenceServed => ReleaseGroup::FullFreedom,
            ReleaseKind::Parole
            | ReleaseKind::MedicalLeave
            | ReleaseKind::EarlyRelease
            | ReleaseKind::SubstituteMeasure => ReleaseGroup::Conditional,
            ReleaseKind::HouseArrest => ReleaseGroup::StillConfined,
            ReleaseKind::ForcedExile | ReleaseKind::Deportation => ReleaseGroup::Expelled,
        }
    }
}

impl EventKind {
    /// Whether an event of this kind can change where a person stands
    /// (custody, freedom, exile, death): such an event with no source is
    /// *unverified*, shown and counted apart.
    pub fn changes_status(self) -> bool {
        matches!(
            self,
            EventKind::Arrest
                | EventKind::Release
                | EventKind::Revocation
                | EventKind::ReArrest
                | EventKind::Disappearance
                | EventKind::Reappearance
                | EventKind::DeathInCustody
                | EventKind::Exile
        )
    }
}

/// One event on a person's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Store-assigned id; 0 before the event is stored.
    pub id: i64,
    /// What happened.
    pub kind: EventKind,
    /// When it happened (EDTF).
    pub date: EdtfDate,
    /// For releases: kind and conditions.
    pub release: Option<Release>,
    /// Where it happened (prison, city).
    pub place: Option<String>,
    /// Public description.
    pub description: Option<String>,
    /// Ids of the sources that back this event. A status-changing event
    /// without any is *unverified*: shown and counted apart.
    pub source_ids: Vec<i64>,
    /// The release announcement this event belongs to, if any (a release
    /// the government counted in its claim).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announcement_id: Option<i64>,
    /// Who verified the event, by name, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<Verification>,
}

/// Who verified an event (a release, most often) and when: the
/// organisations that checked it case by case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// The organisations, by name (at least one).
    pub by: Vec<String>,
    /// When they verified it, if recorded (EDTF).
    pub on: Option<EdtfDate>,
}

impl Verification {
    /// The organisations as stored: names joined by `|`.
    pub fn joined(&self) -> String {
        self.by.join("|")
    }
}

impl Event {
    /// The release conditions as stored: slugs joined by `|` (empty when
    /// there is no release or no condition).
    pub fn condition_slugs(&self) -> String {
        self.release
            .as_ref()
            .map(|r| {
                r.conditions
                    .iter()
                    .map(|c| c.slug())
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .unwrap_or_default()
    }

    /// The history entry of adding this event to a person's timeline:
    /// the field `event`, from nothing to [`Event::describe`]. Every
    /// backend records exactly this, under the action `event_added`.
    pub fn addition_change(&self) -> crate::FieldChange {
        crate::FieldChange {
            field: "event".into(),
            old: None,
            new: Some(self.describe()),
        }
    }

    /// The event in one line, for the history: kind, date, release kind
    /// and conditions, place and cited source ids. Every backend writes
    /// exactly this text.
    pub fn describe(&self) -> String {
        let mut s = format!("{} {}", self.kind.slug(), self.date);
        if let Some(r) = &self.release {
            s.push(' ');
            s.push_str(r.kind.slug());
            let conditions = self.condition_slugs();
            if !conditions.is_empty() {
                s.push_str(&format!(" [{conditions}]"));
            }
        }
        if let Some(p) = &self.place {
            s.push_str(&format!(" at {p}"));
        }
        if !self.source_ids.is_empty() {
            let ids: Vec<String> = self.source_ids.iter().map(|i| i.to_string()).collect();
            s.push_str(&format!(" sources {}", ids.join(",")));
        }
        if let Some(a) = self.announcement_id {
            s.push_str(&format!(" announcement {a}"));
        }
        if let Some(v) = &self.verification {
            s.push_str(&format!(" verified by {}", v.by.join(", ")));
            if let Some(on) = &v.on {
                s.push_str(&format!(" on {on}"));
            }
        }
        s
    }

    /// Whether something backs the event: a source it cites, or a
    /// verification recorded by name.
    pub fn backed(&self) -> bool {
        !self.source_ids.is_empty() || self.verification.is_some()
    }

    /// Whether the event changes a person's status with nothing behind
    /// it: no source cited and no verification recorded. Public pages
    /// judge it with the confidential sources taken out (see
    /// [`Event::without_sources`]), so that the mark never tells of a
    /// source they do not show.
    pub fn unverified(&self) -> bool {
        self.kind.changes_status() && !self.backed()
    }

    /// The event citing only the sources that `keep` accepts.
    pub fn without_sources(&self, keep: impl Fn(i64) -> bool) -> Event {
        Event {
            source_ids: self
                .source_ids
                .iter()
                .copied()
                .filter(|&k| keep(k))
                .collect(),
            ..self.clone()
        }
    }

    /// A new, unstored event with no release details, place or sources.
    pub fn new(kind: EventKind, date: EdtfDate) -> Self {
        Event {
            id: 0,
            kind,
            date,
            release: None,
            place: None,
            description: None,
            source_ids: Vec::new(),
            announcement_id: None,
            verification: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_for_every_value() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::from_slug(k.slug()), Some(*k));
        }
        for k in ReleaseKind::ALL {
            assert_eq!(ReleaseKind::from_slug(k.slug()), Some(*k));
        }
        for k in Condition::ALL {
            assert_eq!(Condition::from_slug(k.slug()), Some(*k));
        }
        assert_eq!(EventKind::from_slug("released"), None);
    }

    #[test]
    fn an_event_describes_itself_in_one_line() {
        let mut e = Event::new(
            EventKind::Release,
            EdtfDate::parse("2025-01-16").unwrap_or_else(|e| panic!("{e}")),
        );
        e.release = Some(Release {
            kind: ReleaseKind::Parole,
            conditions: vec![Condition::PeriodicPresentation, Condition::TravelBan],
        });
        e.place = Some("Combinado del Este".into());
        e.source_ids = vec![3, 7];
        assert_eq!(
            e.describe(),
            "release 2025-01-16 parole [periodic_presentation|travel_ban] at Combinado del Este sources 3,7"
        );
        assert_eq!(
            Event::new(EventKind::Arrest, e.date.clone()).condition_slugs(),
            ""
        );
    }

    #[test]
    fn a_release_with_a_travel_ban_is_not_full_freedom() {
        let r = Release {
            kind: ReleaseKind::Unconditional,
            conditions: vec![Condition::TravelBan],
        };
        assert_eq!(r.group(), ReleaseGroup::Conditional);
        let r = Release {
            kind: ReleaseKind::SentenceServed,
            conditions: vec![],
        };
        assert_eq!(r.group(), ReleaseGroup::FullFreedom);
        let r = Release {
            kind: ReleaseKind::HouseArrest,
            conditions: vec![],
        };
        assert_eq!(r.group(), ReleaseGroup::StillConfined);
    }
}
