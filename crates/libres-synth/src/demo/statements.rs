//! The demo's statements, shaped like the one that started this project:
//! an open statement demanding the release of every political prisoner,
//! signed first by former political prisoners, then relatives, activists
//! on the island and in exile, and supporters abroad; an older statement,
//! closed; and a draft. Signers are invented from the same name parts as
//! the registry, their addresses are on `example.org`, and every text
//! says the data is synthetic.

use super::names::{FEMALE, MALE, SURNAMES};
use super::{pick, weighted};
use libres_core::statement::{SignatureDraft, Statement, StatementStatus};
use libres_core::{AnnouncementText, EdtfDate, UnixTime};
use libres_store::statements::NewSignature;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A demo statement and how many people sign it.
pub struct DemoStatement {
    /// The statement, to store.
    pub statement: Statement,
    /// Signatures to take.
    pub signers: usize,
}

fn text(lang: &str, title: &str, body: &str) -> AnnouncementText {
    AnnouncementText {
        lang: lang.into(),
        title: title.into(),
        body: body.into(),
    }
}

fn date(s: &str) -> Option<EdtfDate> {
    EdtfDate::parse(s).ok()
}

/// The open statement, the closed one and the draft, in that order.
pub fn statements() -> Vec<DemoStatement> {
    let addressees = vec![
        "Gobierno de la República de Cuba".to_owned(),
        "Gobierno de la República Bolivariana de Venezuela".to_owned(),
        "Gobierno de la República de Nicaragua".to_owned(),
        "Alto Comisionado de las Naciones Unidas para los Derechos Humanos".to_owned(),
        "Santa Sede".to_owned(),
        "Prensa internacional".to_owned(),
    ];
    vec![
        DemoStatement {
            statement: Statement {
                id: 0,
                status: StatementStatus::Open,
                texts: vec![
                    text(
                        "es",
                        "Libertad para todos los presos políticos (declaración de ejemplo)",
                        "Datos sintéticos: esta declaración y sus firmantes son inventados para la demostración.\n\n\
                         Los firmantes, encabezados por ex presos políticos, exigimos la liberación inmediata e \
                         incondicional de todas las personas encarceladas por razones políticas, sin destierro ni \
                         condiciones que las mantengan presas fuera de la cárcel.\n\n\
                         Pedimos que cada excarcelación anunciada se publique con nombre y apellidos, para que las \
                         familias y las organizaciones puedan verificarla.",
                    ),
                    text(
                        "en",
                        "Freedom for every political prisoner (sample statement)",
                        "Synthetic data: this statement and its signatories are invented for the demonstration.\n\n\
                         We, led by former political prisoners, demand the immediate and unconditional release of \
                         everyone imprisoned for political reasons, without exile and without conditions that keep \
                         them captive outside prison.\n\n\
                         We ask that every announced release be published by name, so that families and \
                         organisations can verify it.",
                    ),
                    text(
                        "ar",
                        "الحرية لجميع السجناء السياسيين (بيان نموذجي)",
                        "بيانات اصطناعية: هذا البيان وموقّعوه مختلَقون لأغراض العرض.\n\n\
                         نحن، وفي مقدّمتنا سجناء سياسيون سابقون، نطالب بالإفراج الفوري وغير المشروط عن جميع \
                         المسجونين لأسباب سياسية، دون نفي ودون شروط تُبقيهم أسرى خارج السجن.",
                    ),
                ],
                addressees: addressees.clone(),
                date: date("2025-01-20"),
                closed_at: None,
                person_ids: vec![],
                announcement_ids: vec![],
            },
            signers: 240,
        },
        DemoStatement {
            statement: Statement {
                id: 0,
                status: StatementStatus::Closed,
                texts: vec![
                    text(
                        "es",
                        "Por una amnistía sin condiciones (declaración de ejemplo, cerrada)",
                        "Datos sintéticos: esta declaración y sus firmantes son inventados para la demostración.\n\n\
                         Pedimos una amnistía para todos los condenados por manifestarse pacíficamente.",
                    ),
                    text(
                        "en",
                        "For an amnesty without conditions (sample statement, closed)",
                        "Synthetic data: this statement and its signatories are invented for the demonstration.\n\n\
                         We ask for an amnesty for everyone sentenced for protesting peacefully.",
                    ),
                ],
                addressees: addressees[..1].to_vec(),
                date: date("2022-07-11"),
                closed_at: None,
                person_ids: vec![],
                announcement_ids: vec![],
            },
            signers: 60,
        },
        DemoStatement {
            statement: Statement {
                id: 0,
                status: StatementStatus::Draft,
                texts: vec![text(
                    "es",
                    "Borrador: carta a los parlamentos (ejemplo)",
                    "Datos sintéticos. Borrador sin publicar.",
                )],
                addressees: vec![],
                date: None,
                closed_at: None,
                person_ids: vec![],
                announcement_ids: vec![],
            },
            signers: 0,
        },
    ]
}

/// `n` invented signatures of statement `id`, deterministic for `seed`:
/// former political prisoners first, then relatives, activists on the
/// island and in exile, supporters abroad and a few organisations.
pub fn signatures(id: i64, n: usize, seed: u64, at: UnixTime) -> Vec<NewSignature> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ (id as u64).wrapping_mul(0x9e37_79b9));
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let share = i * 100 / n.max(1);
        let category = match share {
            0..=24 => "former_prisoner",
            25..=44 => "relative",
            45..=64 => "activist_inside",
            65..=84 => "activist_exile",
            85..=96 => "foreign_supporter",
            _ => "organisation",
        };
        let given = if rng.gen_bool(0.5) {
            *pick(&mut rng, MALE)
        } else {
            *pick(&mut rng, FEMALE)
        };
        let s1 = weighted(&mut rng, SURNAMES);
        let s2 = weighted(&mut rng, SURNAMES);
        let name = if category == "organisation" {
            format!("Asociación Ejemplo {} (ficticia)", i + 1)
        } else {
            format!("{given} {s1} {s2}")
        };
        let country = match category {
            "foreign_supporter" => *pick(&mut rng, &["ES", "US", "MX", "FR", "DE", "IT", "CL"]),
            "activist_exile" => *pick(&mut rng, &["US", "ES", "MX", "CR", "PA"]),
            _ => *pick(&mut rng, &["CU", "CU", "CU", "VE", "NI"]),
        };
        let visibility = weighted(
            &mut rng,
            &[("full_name", 70), ("initials", 20), ("counted_only", 10)],
        );
        let years = if category == "former_prisoner" {
            rng.gen_range(2..=22).to_string()
        } else {
            String::new()
        };
        let draft = SignatureDraft {
            name,
            email: format!("firmante{}-{id}@example.org", i + 1),
            category: category.into(),
            years_served: years,
            country: country.into(),
            visibility: visibility.into(),
        };
        if let Ok(signature) = draft.parse() {
            out.push(NewSignature {
                statement: id,
                signature,
                lang: "es".into(),
                link_requested: category == "former_prisoner" && rng.gen_bool(0.3),
                flag: String::new(),
                at: at.plus(i64::try_from(i).unwrap_or(0) * 37),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_statements_are_valid_and_their_signers_invented_and_varied() {
        for d in statements() {
            assert!(d.statement.problems().is_empty());
        }
        let sigs = signatures(1, 240, 7, UnixTime(1_737_000_000));
        assert_eq!(sigs.len(), 240);
        assert_eq!(
            sigs,
            signatures(1, 240, 7, UnixTime(1_737_000_000)),
            "deterministic"
        );
        assert!(sigs
            .iter()
            .all(|s| s.signature.email.as_str().ends_with("@example.org")));
        let former = sigs
            .iter()
            .filter(|s| s.signature.category.slug() == "former_prisoner")
            .count();
        assert!((50..=70).contains(&former), "{former}");
        assert!(sigs.iter().any(|s| s.link_requested));
    }
}
