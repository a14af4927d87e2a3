//! A person's current status, derived from the timeline.
//!
//! Status is never entered by hand: a stored field is the one someone forgets
//! to update after a revocation. Backends may cache the derived value for
//! filtering, but they compute it with [`derive_status`] whenever events
//! change.

use crate::event::{Event, EventKind, ReleaseGroup};
use serde::{Deserialize, Serialize};

crate::event::vocabulary! {
    /// Where a person stands now, as far as the registry knows.
    Status {
        /// In prison or police custody.
        Detained = "detained",
        /// Enforced disappearance: held, whereabouts unknown.
        Disappeared = "disappeared",
        /// Out of prison but confined at home.
        HouseArrest = "house_arrest",
        /// Out of prison under revocable conditions.
        ConditionalRelease = "conditional_release",
        /// Released without conditions, or sentence served.
        Released = "released",
        /// Expelled from the country or exiled as a condition of release.
        Exiled = "exiled",
        /// Died in custody.
        DiedInCustody = "died_in_custody",
        /// No events recorded yet.
        Unknown = "unknown",
    }
}

impl Status {
    /// Whether the person is still deprived of liberty in some form.
    pub fn is_held(self) -> bool {
        matches!(
            self,
            Status::Detained | Status::Disappeared | Status::HouseArrest
        )
    }
}

/// Derives the current status from a timeline.
///
/// Events are taken in chronological order of their EDTF dates; events whose
/// dates compare equal keep the order given (the order they were recorded).
/// Death in custody is final. Revocation, re-arrest and a new charge re-open
/// a case. Procedural events (charge, trial, sentence, transfer, hunger
/// strike, health alert) imply custody only when nothing else is known.
pub fn derive_status(events: &[Event]) -> Status {
    let mut ordered: Vec<&Event> = events.iter().collect();
    ordered.sort_by(|a, b| a.date.chrono_cmp(&b.date));
    let mut status = Status::Unknown;
    for e in ordered {
        status = step(status, e);
        if status == Status::DiedInCustody {
            break;
        }
    }
    status
}

/// Whether a release `release` can be added to (or stand in) `timeline`:
/// the events up to its date (itself left out, by id) must leave the
/// person in custody: in prison, disappeared, under house arrest, or out
/// on conditions that a later release can end. A release for someone the
/// registry knows as free, exiled, dead or never detained is refused with
/// the status they were in (`Err`). Other events pass.
pub fn release_allowed(timeline: &[Event], release: &Event) -> Result<(), Status> {
    if release.kind != EventKind::Release {
        return Ok(());
    }
    let before: Vec<Event> = timeline
        .iter()
        .filter(|e| release.id == 0 || e.id != release.id)
        .filter(|e| e.date.chrono_cmp(&release.date) != std::cmp::Ordering::Greater)
        .cloned()
        .collect();
    match derive_status(&before) {
        Status::Detained
        | Status::Disappeared
        | Status::HouseArrest
        | Status::ConditionalRelease => Ok(()),
        other => Err(other),
    }
}

/// The releases of `timeline` that [`release_allowed`] refuses: no custody
/// before them (an arrest deleted or moved past them, an exile before
/// them, or data imported so).
pub fn stranded_releases(timeline: &[Event]) -> impl Iterator<Item = &Event> {
    timeline
        .iter()
        .filter(|e| e.kind == EventKind::Release && release_allowed(timeline, e).is_err())
}

fn step(current: Status, e: &Event) -> Status {
    match e.kind {
        EventKind::Arrest | EventKind::Revocation | EventKind::ReArrest => Status::Detained,
        // A new charge re-opens a case but does not by itself put anyone
        // back in custody; claiming so would be as false as claiming a
        // release. Only when nothing else is known does it imply detention.
        EventKind::NewCharge => match current {
            Status::Unknown => Status::Detained,
            other => other,
        },
        EventKind::Disappearance => Status::Disappeared,
        EventKind::Reappearance => match current {
            Status::Disappeared | Status::Unknown => Status::Detained,
            other => other,
        },
        EventKind::DeathInCustody => Status::DiedInCustody,
        EventKind::Exile => Status::Exiled,
        EventKind::Release => match e.release.as_ref().map(|r| r.group()) {
            Some(ReleaseGroup::FullFreedom) => Status::Released,
            Some(ReleaseGroup::Conditional) => Status::ConditionalRelease,
            Some(ReleaseGroup::StillConfined) => Status::HouseArrest,
            Some(ReleaseGroup::Expelled) => Status::Exiled,
            // A release of unrecorded kind: we must not claim freedom.
            None => Status::ConditionalRelease,
        },
        EventKind::Charge
        | EventKind::Trial
        | EventKind::Sentence
        | EventKind::Transfer
        | EventKind::HungerStrike
        | EventKind::HealthAlert => match current {
            Status::Unknown => Status::Detained,
            other => other,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_release_needs_someone_in_custody_before_it() {
        use crate::{EdtfDate, Release, ReleaseKind};
        let at = |kind: EventKind, d: &str, id: i64| Event {
            id,
            ..Event::new(kind, EdtfDate::parse(d).unwrap())
        };
        let release = |d: &str, kind: ReleaseKind, id: i64| Event {
            release: Some(Release {
                kind,
                conditions: vec![],
            }),
            ..at(EventKind::Release, d, id)
        };
        let arrest = at(EventKind::Arrest, "2021-07-11", 1);
        let parole = release("2025-01-16", ReleaseKind::Parole, 2);
        assert_eq!(release_allowed(&[], &parole), Err(Status::Unknown));
        // Stranded: the parole alone, or after an exile; not after the arrest.
        let ids = |t: &[Event]| stranded_releases(t).map(|e| e.id).collect::<Vec<_>>();
        assert_eq!(ids(std::slice::from_ref(&parole)), [2]);
        assert!(ids(&[arrest.clone(), parole.clone()]).is_empty());
        let exile = at(EventKind::Exile, "2023-01-01", 3);
        assert_eq!(ids(&[arrest.clone(), exile, parole.clone()]), [2]);
        assert_eq!(
            release_allowed(std::slice::from_ref(&arrest), &parole),
            Ok(())
        );
        // Parole, then the sentence served: a second release is fine.
        let served = release("2026-01-01", ReleaseKind::SentenceServed, 0);
        assert_eq!(
            release_allowed(&[arrest.clone(), parole.clone()], &served),
            Ok(())
        );
        // Free already: refused; before the arrest: refused.
        let free = release("2025-01-16", ReleaseKind::Unconditional, 3);
        let again = release("2025-06-01", ReleaseKind::Parole, 0);
        assert_eq!(
            release_allowed(&[arrest.clone(), free.clone()], &again),
            Err(Status::Released)
        );
        let early = release("2020-01-01", ReleaseKind::Parole, 0);
        assert_eq!(
            release_allowed(std::slice::from_ref(&arrest), &early),
            Err(Status::Unknown)
        );
        // Editing a release judges it without itself.
        assert_eq!(release_allowed(&[arrest, free.clone()], &free), Ok(()));
        // Not a release: always fine.
        assert_eq!(
            release_allowed(&[], &at(EventKind::Transfer, "2020", 0)),
            Ok(())
        );
    }
    use crate::date::EdtfDate;
    use crate::event::{Release, ReleaseKind};
    use proptest::prelude::*;

    fn ev(kind: EventKind, date: &str) -> Event {
        let date = EdtfDate::parse(date).unwrap_or_else(|e| panic!("{e}"));
        let mut e = Event::new(kind, date);
        if kind == EventKind::Release {
            e.release = Some(Release {
                kind: ReleaseKind::Parole,
                conditions: vec![],
            });
        }
        e
    }

    #[test]
    fn a_timeline_without_events_is_unknown() {
        assert_eq!(derive_status(&[]), Status::Unknown);
    }

    #[test]
    fn parole_then_revocation_then_exile_follows_the_ferrer_pattern() {
        let mut t = vec![
            ev(EventKind::Arrest, "2021-07-11"),
            ev(EventKind::Release, "2025-01-16"),
        ];
        assert_eq!(derive_status(&t), Status::ConditionalRelease);
        t.push(ev(EventKind::Revocation, "2025-04-29"));
        assert_eq!(derive_status(&t), Status::Detained);
        t.push(ev(EventKind::Exile, "2025-10-13"));
        assert_eq!(derive_status(&t), Status::Exiled);
    }

    #[test]
    fn events_are_ordered_by_date_not_by_recording_order() {
        let t = vec![
            ev(EventKind::Release, "2025-01"),
            ev(EventKind::Arrest, "2024~"),
        ];
        assert_eq!(derive_status(&t), Status::ConditionalRelease);
    }

    #[test]
    fn a_new_charge_after_release_does_not_claim_custody() {
        let t = vec![
            ev(EventKind::Arrest, "2021"),
            ev(EventKind::Release, "2024"),
            ev(EventKind::NewCharge, "2025"),
        ];
        assert_eq!(derive_status(&t), Status::ConditionalRelease);
        assert_eq!(
            derive_status(&[ev(EventKind::NewCharge, "2025")]),
            Status::Detained
        );
    }

    #[test]
    fn a_release_of_unknown_kind_is_never_reported_as_freedom() {
        let mut r = ev(EventKind::Release, "2025");
        r.release = None;
        assert_eq!(
            derive_status(&[ev(EventKind::Arrest, "2024"), r]),
            Status::ConditionalRelease
        );
    }

    fn any_kind() -> impl Strategy<Value = EventKind> {
        proptest::sample::select(EventKind::ALL.to_vec())
    }

    fn any_event() -> impl Strategy<Value = Event> {
        (
            any_kind(),
            2000i64..2026,
            1u8..=12,
            proptest::sample::select(ReleaseKind::ALL.to_vec()),
        )
            .prop_map(|(k, y, m, rk)| {
                let mut e = ev(k, &format!("{y}-{m:02}"));
                if k == EventKind::Release {
                    e.release = Some(Release {
                        kind: rk,
                        conditions: vec![],
                    });
                }
                e
            })
    }

    proptest! {
        #[test]
        fn death_in_custody_is_final(mut t in proptest::collection::vec(any_event(), 0..12)) {
            t.push(ev(EventKind::DeathInCustody, "1999"));
            prop_assert_eq!(derive_status(&t), Status::DiedInCustody);
        }

        #[test]
        fn a_later_rearrest_always_means_detained(t in proptest::collection::vec(any_event(), 0..12)) {
            let mut t = t.into_iter().filter(|e| e.kind != EventKind::DeathInCustody).collect::<Vec<_>>();
            t.push(ev(EventKind::ReArrest, "2030"));
            prop_assert_eq!(derive_status(&t), Status::Detained);
        }

        #[test]
        fn recording_order_of_distinct_dates_does_not_matter(t in proptest::collection::vec(any_event(), 0..12)) {
            // Keep one event per date so the chronological order is unambiguous.
            let mut seen = std::collections::HashSet::new();
            let t: Vec<Event> = t.into_iter().filter(|e| seen.insert(e.date.to_string())).collect();
            let mut reversed = t.clone();
            reversed.reverse();
            prop_assert_eq!(derive_status(&t), derive_status(&reversed));
        }

        #[test]
        fn any_nonempty_timeline_has_a_known_status(t in proptest::collection::vec(any_event(), 1..12)) {
            prop_assert_ne!(derive_status(&t), Status::Unknown);
        }
    }
}
