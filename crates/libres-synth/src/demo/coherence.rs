//! The rules a demo case keeps so that its timeline holds together, written
//! once: [`contradictions`] lists every rule a case breaks. The property
//! test at the bottom runs it over thousands of generated cases.
//!
//! Every rule reads the dates at their EDTF precision and reports only
//! what is a contradiction whatever day the dates mean: `2021-07` is any
//! day of July 2021.

use super::calendar::{add_months, from_key};
use super::occupations;
use libres_core::event::Condition;
use libres_core::{derive_status, Detention, EdtfDate, Event, EventKind, ReleaseKind, Status};
use libres_store::CaseBundle;

/// The generator's "today": no event is later (`yyyymmdd`).
pub const TODAY: i64 = 20261031;

/// How long after the end of a sentence the release may come (paperwork,
/// and a release written as a month).
pub const GRACE_DAYS: i64 = 45;

/// The youngest age at which anyone is arrested in the demo; minors from
/// 15 to 17 are intended, younger children are not.
pub const MIN_ARREST_AGE: i64 = 14;

/// The oldest plausible age at the first arrest.
pub const MAX_ARREST_AGE: i64 = 90;

/// Full years from the day key `from` to the day key `to` (`yyyymmdd`).
fn years(from: i64, to: i64) -> i64 {
    (to - from).div_euclid(10_000)
}

fn known(d: &EdtfDate) -> bool {
    d.bounded_days().is_some()
}

/// Whether someone with this status is held (in prison or at home) by the
/// current detention.
fn confined(s: Status) -> bool {
    matches!(s, Status::Detained | Status::HouseArrest)
}

/// The detention an arrest or re-arrest event opens: the one whose arrest
/// date is the event's.
fn detention_of<'c>(case: &'c CaseBundle, e: &Event) -> Option<&'c Detention> {
    case.detentions
        .iter()
        .find(|d| d.arrest_date.as_ref() == Some(&e.date))
}

/// The current detention while walking a timeline.
struct Current<'c> {
    detention: &'c Detention,
    arrest: &'c EdtfDate,
    /// Whether the Sentence event has been seen.
    sentenced: bool,
    /// The last day (day number) the person can still be held for the
    /// sentence: the latest end of its term, or the sentencing day if later,
    /// plus [`GRACE_DAYS`]. `None` while there is no sentence, or after a
    /// new charge that explains a longer custody.
    deadline: Option<i64>,
    /// Whether held past the deadline was reported already.
    overstay_reported: bool,
    /// A disappearance without a reappearance yet.
    missing: bool,
}

/// Every rule `case` breaks, one line each (empty: coherent).
pub fn contradictions(case: &CaseBundle) -> Vec<String> {
    let mut out = Vec::new();
    let p = &case.person;
    let mut events: Vec<Event> = case.events.clone();
    events.sort_by(|a, b| a.date.chrono_cmp(&b.date));

    // Rules 3 and 4: occupation, age and sex; arrests at a plausible age;
    // nothing before birth.
    let first_arrest = events
        .iter()
        .find(|e| matches!(e.kind, EventKind::Arrest | EventKind::ReArrest));
    let birth = p.birth_date.as_ref().filter(|b| known(b));
    if let (Some(b), Some(a)) = (birth, first_arrest) {
        // The oldest and youngest the person can have been, whatever days
        // the two dates mean.
        let oldest = years(b.earliest(), a.date.latest());
        let youngest = years(b.latest(), a.date.earliest());
        if oldest < MIN_ARREST_AGE {
            out.push(format!(
                "arrest age: arrested at {oldest} at most (born {b}, arrested {})",
                a.date
            ));
        }
        if youngest > MAX_ARREST_AGE {
            out.push(format!(
                "arrest age: arrested at {youngest} at least (born {b}, arrested {})",
                a.date
            ));
        }
        if let Some(o) = p.occupation.as_deref().and_then(occupations::by_word) {
            if oldest < o.min_age {
                out.push(format!(
                    "rule 3, occupation too young: {} at {oldest} at most; needs {}",
                    p.occupation.as_deref().unwrap_or_default(),
                    o.min_age
                ));
            }
            if let Some(max) = o.max_age.filter(|max| youngest > *max) {
                out.push(format!(
                    "rule 3, occupation too old: {} at {youngest} at least; at most {max}",
                    p.occupation.as_deref().unwrap_or_default()
                ));
            }
        }
    }
    if let Some(b) = birth {
        if let Some(e) = events.iter().find(|e| e.date.latest() < b.earliest()) {
            out.push(format!("before birth: {} on {} (born {b})", e.kind, e.date));
        }
    }
    if let Some(word) = p.occupation.as_deref() {
        match occupations::by_word(word) {
            None => out.push(format!("rule 3, unknown occupation: `{word}`")),
            Some(o) if o.word(p.sex) != Some(word) => out.push(format!(
                "rule 4, gender: `{word}` for sex {}; expected {:?}",
                p.sex.map(|s| s.slug()).unwrap_or("unknown"),
                o.word(p.sex)
            )),
            Some(_) => {}
        }
    }

    // Rule 6: nationality follows its loss.
    let stripped = events.iter().any(|e| {
        e.release
            .as_ref()
            .is_some_and(|r| r.conditions.contains(&Condition::Statelessness))
    });
    if stripped && p.nationalities.contains(&p.country) {
        out.push(format!(
            "rule 6, nationality: stripped of it but still listed as {}",
            p.country
        ));
    }

    // Every detention is opened by an arrest or re-arrest event.
    for d in &case.detentions {
        let opened = events.iter().any(|e| {
            matches!(e.kind, EventKind::Arrest | EventKind::ReArrest)
                && d.arrest_date.as_ref() == Some(&e.date)
        });
        if !opened {
            out.push(format!(
                "detention without arrest: arrested {:?}",
                d.arrest_date.as_ref().map(|d| d.as_str())
            ));
        }
    }

    // The timeline, in order, with the status before each event.
    let today = from_key(TODAY);
    let mut current: Option<Current<'_>> = None;
    let mut status = Status::Unknown;
    let close = |c: &Current<'_>, out: &mut Vec<String>| {
        // Rule 5: the disappeared have no prison.
        if c.missing {
            if let Some(prison) = &c.detention.prison {
                out.push(format!(
                    "rule 5, disappeared: still missing, yet held in {prison} (arrest {})",
                    c.arrest
                ));
            }
        }
    };
    for (i, e) in events.iter().enumerate() {
        let before = status;
        status = derive_status(&events[..=i]);
        let what = format!("{} {}", e.kind, e.date);
        if before == Status::DiedInCustody {
            out.push(format!("after death: {what}"));
        }
        if before == Status::Exiled
            && matches!(
                e.kind,
                EventKind::Transfer
                    | EventKind::HungerStrike
                    | EventKind::HealthAlert
                    | EventKind::Revocation
                    | EventKind::Release
                    | EventKind::Disappearance
                    | EventKind::Reappearance
                    | EventKind::DeathInCustody
            )
        {
            out.push(format!("custody in exile: {what}"));
        }
        // Rule 2: nobody is held after the sentence ended.
        if let Some(c) = current.as_mut() {
            if let Some(dl) = c.deadline {
                if confined(before) && from_key(e.date.earliest()) > dl && !c.overstay_reported {
                    c.overstay_reported = true;
                    out.push(format!(
                        "rule 2, held after the sentence: still {before} at {what}, after the sentence ended \
                         (arrest {}, {} months)",
                        c.arrest,
                        c.detention.sentence_months.unwrap_or(0)
                    ));
                }
            }
            if c.missing
                && matches!(
                    e.kind,
                    EventKind::Transfer
                        | EventKind::HungerStrike
                        | EventKind::HealthAlert
                        | EventKind::DeathInCustody
                )
                && e.place.is_some()
            {
                out.push(format!(
                    "rule 5, disappeared: {what} in a named place while missing"
                ));
            }
        }
        match e.kind {
            EventKind::Arrest | EventKind::ReArrest => {
                if e.kind == EventKind::Arrest && before != Status::Unknown {
                    out.push(format!("arrest not first: {what}"));
                }
                if e.kind == EventKind::ReArrest && (confined(before) || before.is_held()) {
                    out.push(format!("re-arrest while held: {what} ({before})"));
                }
                if let Some(c) = current.take() {
                    close(&c, &mut out);
                }
                current = detention_of(case, e).map(|d| Current {
                    detention: d,
                    arrest: &e.date,
                    sentenced: false,
                    deadline: None,
                    overstay_reported: false,
                    missing: false,
                });
            }
            EventKind::Sentence => {
                if let Some(c) = current.as_mut() {
                    c.sentenced = true;
                    if let Some(m) = c.detention.sentence_months {
                        let end = add_months(from_key(c.arrest.latest()), m);
                        c.deadline = Some(end.max(from_key(e.date.latest())) + GRACE_DAYS);
                    }
                }
            }
            EventKind::NewCharge if confined(before) => {
                if let Some(c) = current.as_mut() {
                    c.deadline = None;
                }
            }
            EventKind::Disappearance => {
                if let Some(c) = current.as_mut() {
                    c.missing = true;
                }
            }
            EventKind::Reappearance => {
                if before != Status::Disappeared {
                    out.push(format!("reappearance of someone not missing: {what}"));
                }
                if let Some(c) = current.as_mut() {
                    c.missing = false;
                }
            }
            EventKind::Revocation => {
                if !matches!(before, Status::ConditionalRelease | Status::HouseArrest) {
                    out.push(format!(
                        "revocation while not out on conditions: {what} ({before})"
                    ));
                }
                if let Some(dl) = current.as_ref().and_then(|c| c.deadline) {
                    if from_key(e.date.earliest()) > dl {
                        out.push(format!("revocation after the sentence: {what}"));
                    }
                }
            }
            EventKind::Release => {
                if !matches!(
                    before,
                    Status::Detained
                        | Status::Disappeared
                        | Status::HouseArrest
                        | Status::ConditionalRelease
                ) {
                    out.push(format!("release of someone not held: {what} ({before})"));
                }
                let kind = e.release.as_ref().map(|r| r.kind);
                let sentenced = current.as_ref().is_some_and(|c| c.sentenced);
                match kind {
                    // Rule 1: a sentence is served only when its term ends.
                    Some(ReleaseKind::SentenceServed) => {
                        match current
                            .as_ref()
                            .and_then(|c| c.detention.sentence_months.map(|m| (c.arrest, m)))
                        {
                            None => out.push(format!("rule 1, served without a sentence: {what}")),
                            Some((arrest, m)) => {
                                let end = add_months(from_key(arrest.earliest()), m);
                                if from_key(e.date.latest()) < end {
                                    out.push(format!(
                                        "rule 1, served before the term ends: {what} \
                                         (arrest {arrest} + {m} months)"
                                    ));
                                }
                            }
                        }
                    }
                    Some(ReleaseKind::Parole | ReleaseKind::EarlyRelease) if !sentenced => {
                        out.push(format!("parole without a sentence: {what} ({kind:?})"));
                    }
                    Some(ReleaseKind::SubstituteMeasure) if sentenced => {
                        out.push(format!("precautionary measure after the sentence: {what}"))
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    if let Some(c) = &current {
        close(c, &mut out);
        if let Some(dl) = c.deadline {
            if confined(status) && dl < today && !c.overstay_reported {
                out.push(format!(
                    "rule 2, held after the sentence: still {status} today, after the sentence ended \
                     (arrest {}, {} months)",
                    c.arrest,
                    c.detention.sentence_months.unwrap_or(0)
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{generate, SEED};
    use super::*;
    use libres_core::Sex;
    use std::collections::BTreeMap;

    /// The rule a contradiction line names (the word before the colon).
    fn rule(line: &str) -> &str {
        line.split(':').next().unwrap_or(line)
    }

    /// Generates `n` cases from `seed` and fails, naming persons and rules,
    /// if any case breaks a rule: per rule, how many persons break it and
    /// the first few of them.
    fn check(n: usize, seed: u64) {
        let mut by_rule: BTreeMap<String, (usize, Vec<String>)> = BTreeMap::new();
        for c in generate(n, seed) {
            let mut seen = Vec::new();
            for line in contradictions(&c) {
                let r = rule(&line).to_owned();
                let entry = by_rule.entry(r.clone()).or_default();
                if !seen.contains(&r) {
                    entry.0 += 1;
                    seen.push(r);
                }
                if entry.1.len() < 4 {
                    entry.1.push(format!("  {}: {line}", c.person.id));
                }
            }
        }
        let report: Vec<String> = by_rule
            .iter()
            .map(|(r, (persons, lines))| format!("{r}: {persons} persons\n{}", lines.join("\n")))
            .collect();
        assert!(
            by_rule.is_empty(),
            "seed {seed}, {n} cases break the rules:\n{}",
            report.join("\n")
        );
    }

    /// Whether `case` breaks the rule whose line starts with `prefix`.
    fn breaks(case: &CaseBundle, prefix: &str) -> bool {
        contradictions(case).iter().any(|l| l.starts_with(prefix))
    }

    fn date(text: &str) -> EdtfDate {
        EdtfDate::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn each_rule_catches_a_case_broken_on_purpose() {
        let cases = generate(3000, SEED);
        let find = |what: &str, f: &dyn Fn(&CaseBundle) -> bool| {
            let c = cases.iter().find(|c| f(c));
            let c = c.unwrap_or_else(|| panic!("no case {what}"));
            assert!(contradictions(c).is_empty(), "{}", c.person.id);
            c.clone()
        };
        let served = |c: &CaseBundle| {
            c.events.iter().any(|e| {
                e.release
                    .as_ref()
                    .is_some_and(|r| r.kind == ReleaseKind::SentenceServed)
            })
        };

        // 1. Ten years "served" well before they end.
        let mut c = find("with a sentence served", &served);
        c.detentions.iter_mut().for_each(|d| {
            d.sentence_months = d.sentence_months.map(|m| m + 120);
        });
        assert!(breaks(&c, "rule 1, served before the term ends"));

        // 2. Still in prison after a sentence of a month.
        let mut c = find("detained with a sentence", &|c| {
            derive_status(&c.events) == Status::Detained
                && c.detentions.len() == 1
                && c.detentions[0].sentence_months.is_some()
                && c.events[0].date.latest() < 20250101
        });
        c.detentions[0].sentence_months = Some(1);
        assert!(breaks(&c, "rule 2, held after the sentence"));

        // 3. A lawyer of sixteen.
        let mut c = find("a man arrested in 2021", &|c| {
            c.person.sex == Some(Sex::M) && c.events[0].date.as_str().starts_with("2021-07-1")
        });
        c.person.birth_date = Some(date("2005"));
        c.person.occupation = Some("abogado".into());
        assert!(breaks(&c, "rule 3, occupation too young"));

        // 4. A woman's word for a man.
        c.person.birth_date = Some(date("1970"));
        c.person.occupation = Some("abogada".into());
        assert!(!breaks(&c, "rule 3") && breaks(&c, "rule 4, gender"));
        c.person.sex = Some(Sex::X);
        assert!(breaks(&c, "rule 4, gender"));
        c.person.occupation = Some("activista".into());
        assert!(contradictions(&c).is_empty());

        // 5. Missing, yet in a named prison.
        let mut c = find("still missing", &|c| {
            derive_status(&c.events) == Status::Disappeared
        });
        c.detentions[0].prison = Some("La Modelo".into());
        assert!(breaks(&c, "rule 5, disappeared"));

        // 6. Stripped of the nationality, yet listed with it.
        let mut c = find("stripped of the nationality", &|c| {
            c.events.iter().any(|e| {
                e.release
                    .as_ref()
                    .is_some_and(|r| r.conditions.contains(&Condition::Statelessness))
            })
        });
        c.person.nationalities.push(c.person.country);
        assert!(breaks(&c, "rule 6, nationality"));

        // And a timeline that goes on after a death in custody.
        let mut c = find("dead in custody", &|c| {
            derive_status(&c.events) == Status::DiedInCustody
        });
        let mut late = Event::new(EventKind::HungerStrike, date("2026-10-30"));
        late.place = c.events.last().and_then(|e| e.place.clone());
        c.events.push(late);
        assert!(breaks(&c, "after death"));
    }

    #[test]
    fn twenty_thousand_demo_cases_hold_together() {
        check(20_000, SEED);
    }

    #[test]
    fn other_seeds_hold_together_too() {
        for seed in [1, 2, 3, 42, 2026] {
            check(3_000, seed);
        }
    }
}
