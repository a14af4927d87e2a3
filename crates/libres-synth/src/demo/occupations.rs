//! Occupations as the reports write them, with the word for each sex and
//! the ages at which each is plausible. Written once: the generator picks
//! from this table and the coherence rules (`coherence.rs`) check
//! against it.

use libres_core::Sex;

/// Below this age at arrest a person is a minor: a student, or no
/// occupation at all.
pub const ADULT: i64 = 18;

/// Degree professions (law, engineering, journalism, teaching): at least
/// four or five years of study after school.
pub const DEGREE: i64 = 22;

/// Medicine takes six years.
pub const MEDICINE: i64 = 24;

/// One occupation: its Spanish words and the ages at which it fits.
#[derive(Debug, Clone, Copy)]
pub struct Occupation {
    /// The word for a man, if the occupation is his.
    pub masculine: Option<&'static str>,
    /// The word for a woman.
    pub feminine: Option<&'static str>,
    /// A gender-neutral word, for sex X or unrecorded; `None` when Spanish
    /// has none (the person then gets no occupation of this kind).
    pub neutral: Option<&'static str>,
    /// The youngest plausible age at the first arrest.
    pub min_age: i64,
    /// The oldest plausible age at the first arrest, if any.
    pub max_age: Option<i64>,
}

impl Occupation {
    /// The word for a person of `sex` (`None`: unrecorded).
    pub fn word(&self, sex: Option<Sex>) -> Option<&'static str> {
        match sex {
            Some(Sex::M) => self.masculine,
            Some(Sex::F) => self.feminine,
            Some(Sex::X) | None => self.neutral,
        }
    }

    /// Whether the occupation fits someone `age` years old at arrest.
    pub fn fits_age(&self, age: i64) -> bool {
        age >= self.min_age && self.max_age.is_none_or(|max| age <= max)
    }

    /// Whether `word` is one of this occupation's words.
    pub fn has_word(&self, word: &str) -> bool {
        [self.masculine, self.feminine, self.neutral].contains(&Some(word))
    }
}

/// Same word for everyone (*periodista*, *activista*).
const fn epicene(word: &'static str, min_age: i64) -> Occupation {
    Occupation {
        masculine: Some(word),
        feminine: Some(word),
        neutral: Some(word),
        min_age,
        max_age: None,
    }
}

/// Masculine and feminine words, no neutral one (*abogado*, *abogada*).
const fn gendered(masculine: &'static str, feminine: &'static str, min_age: i64) -> Occupation {
    Occupation {
        masculine: Some(masculine),
        feminine: Some(feminine),
        neutral: None,
        min_age,
        max_age: None,
    }
}

/// The demo's occupations.
pub const OCCUPATIONS: &[Occupation] = &[
    epicene("artista", ADULT),
    epicene("periodista independiente", DEGREE),
    Occupation {
        max_age: Some(35),
        ..epicene("estudiante", 0)
    },
    Occupation {
        masculine: None,
        ..epicene("ama de casa", ADULT)
    },
    Occupation {
        neutral: Some("cuentapropista"),
        ..gendered(
            "trabajador por cuenta propia",
            "trabajadora por cuenta propia",
            ADULT,
        )
    },
    gendered("campesino", "campesina", ADULT),
    gendered("médico", "médica", MEDICINE),
    gendered("maestro", "maestra", DEGREE),
    epicene("activista", ADULT),
    epicene("sindicalista", ADULT),
    gendered("militar retirado", "militar retirada", 40),
    gendered("pastor evangélico", "pastora evangélica", 25),
    Occupation {
        feminine: None,
        neutral: None,
        ..epicene("sacerdote", 25)
    },
    epicene("comerciante", ADULT),
    gendered("ingeniero", "ingeniera", DEGREE),
    gendered("abogado", "abogada", DEGREE),
    gendered("músico", "música", ADULT),
    gendered(
        "obrero de la construcción",
        "obrera de la construcción",
        ADULT,
    ),
    gendered("enfermero", "enfermera", 20),
    gendered(
        "defensor de derechos humanos",
        "defensora de derechos humanos",
        ADULT,
    ),
];

/// The occupation one of whose words is `word`.
pub fn by_word(word: &str) -> Option<&'static Occupation> {
    OCCUPATIONS.iter().find(|o| o.has_word(word))
}
