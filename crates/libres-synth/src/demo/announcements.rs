//! The demo's release announcements, shaped like the real ones of
//! DOMAIN.md: a large claimed count with a small verified share (Cuba,
//! January 2025: 553 claimed), a count that grew (Venezuela), and a claim
//! in words only ("decenas", Nicaragua). The issuers are public bodies;
//! the texts say the data is synthetic, and the groups that verify are
//! fictitious.

use libres_core::{
    Announcement, AnnouncementText, ClaimKind, CountryCode, EdtfDate, EventKind, IssuerKind,
    Verification,
};
use libres_store::CaseBundle;

/// The fictitious group that verifies the demo's releases.
pub const VERIFIER: &str = "Observatorio Ejemplo (ficticio)";

/// A demo announcement and the releases it covers: those of its country
/// dated (as EDTF day numbers, `yyyymmdd`) from `from` to `to`.
pub struct DemoAnnouncement {
    /// The announcement, to store.
    pub announcement: Announcement,
    /// The first day of the releases it covers.
    pub from: i64,
    /// The last day.
    pub to: i64,
}

/// A stored demo announcement, as the generator links releases to it.
#[derive(Debug, Clone)]
pub struct Claim {
    /// Its id in the store.
    pub id: i64,
    /// Its country.
    pub country: CountryCode,
    /// The window of the releases it covers (`yyyymmdd`).
    pub from: i64,
    /// The last day.
    pub to: i64,
}

fn text(lang: &str, title: &str, body: &str) -> AnnouncementText {
    AnnouncementText {
        lang: lang.into(),
        title: title.into(),
        body: body.into(),
    }
}

#[allow(clippy::too_many_arguments)]
fn announcement(
    country: &str,
    date: &str,
    issuer: &str,
    claimed: Option<u32>,
    words: &str,
    titles: [&str; 3],
    from: i64,
    to: i64,
) -> Option<DemoAnnouncement> {
    let note = "Datos de demostración sintéticos. / Synthetic demo data.";
    Some(DemoAnnouncement {
        announcement: Announcement {
            id: 0,
            country: CountryCode::parse(country).ok()?,
            date: EdtfDate::parse(date).ok()?,
            issuer_kind: IssuerKind::Government,
            issuer: issuer.into(),
            claim: ClaimKind::Releases,
            claimed,
            claimed_words: Some(words.into()),
            texts: vec![
                text("es", titles[0], note),
                text("en", titles[1], note),
                text("ar", titles[2], note),
            ],
            source_ids: Vec::new(),
        },
        from,
        to,
    })
}

/// The demo's announcements.
pub fn announcements() -> Vec<DemoAnnouncement> {
    [
        announcement(
            "CU",
            "2025-01-14",
            "Gobierno de Cuba",
            Some(553),
            "553 sancionados por diversos delitos",
            [
                "Cuba anuncia 553 excarcelaciones",
                "Cuba announces 553 releases",
                "كوبا تعلن الإفراج عن 553 شخصًا",
            ],
            20250114,
            20250331,
        ),
        announcement(
            "VE",
            "2026-01-12",
            "Gobierno de Venezuela",
            Some(116),
            "116 excarcelaciones",
            [
                "Venezuela anuncia 116 excarcelaciones",
                "Venezuela announces 116 releases",
                "فنزويلا تعلن الإفراج عن 116 شخصًا",
            ],
            20260108,
            20260228,
        ),
        announcement(
            "NI",
            "2026-01-10",
            "Gobierno de Nicaragua",
            None,
            "decenas",
            [
                "Nicaragua anuncia la excarcelación de «decenas»",
                "Nicaragua announces the release of \"dozens\"",
                "نيكاراغوا تعلن الإفراج عن «العشرات»",
            ],
            20260101,
            20260215,
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Links each release of `case` that one of `claims` covers to it, and
/// marks it verified (by [`VERIFIER`], a week later) when a source backs
/// it; an unsourced release stays unverified.
pub fn link(claims: &[Claim], case: &mut CaseBundle) {
    for e in &mut case.events {
        if e.kind != EventKind::Release {
            continue;
        }
        let Some(c) = claims.iter().find(|c| {
            c.country == case.person.country
                && e.date.earliest() >= c.from
                && e.date.latest() <= c.to
        }) else {
            continue;
        };
        e.announcement_id = Some(c.id);
        if !e.source_ids.is_empty() {
            e.verification = Some(Verification {
                by: vec![VERIFIER.into()],
                on: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_announcement_is_valid_and_some_releases_are_claimed() {
        let all = announcements();
        assert_eq!(all.len(), 3);
        for a in &all {
            assert_eq!(a.announcement.problems(), [], "{:?}", a.announcement.texts);
        }
        let claims: Vec<Claim> = all
            .iter()
            .enumerate()
            .map(|(i, a)| Claim {
                id: i as i64 + 1,
                country: a.announcement.country,
                from: a.from,
                to: a.to,
            })
            .collect();
        let plain: Vec<CaseBundle> = super::super::Generator::new(super::super::SEED)
            .take(3000)
            .collect();
        let linked: Vec<CaseBundle> = super::super::Generator::new(super::super::SEED)
            .claiming(claims)
            .take(3000)
            .collect();
        let mut per: Vec<usize> = vec![0; 3];
        let mut verified = 0;
        for (p, l) in plain.iter().zip(&linked) {
            assert_eq!(p.person, l.person, "the same persons");
            for (x, y) in p.events.iter().zip(&l.events) {
                assert_eq!((x.kind, &x.date), (y.kind, &y.date));
                if let Some(a) = y.announcement_id {
                    per[a as usize - 1] += 1;
                    verified += usize::from(y.verification.is_some());
                }
            }
        }
        // A small verified share of each claim, and some left unverified.
        assert!(per.iter().all(|&n| n > 0), "{per:?}");
        assert!(per[0] < 553, "{per:?}");
        assert!(
            verified > 0 && verified < per.iter().sum::<usize>(),
            "{verified} of {per:?}"
        );
    }
}
