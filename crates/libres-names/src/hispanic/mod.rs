//! Spanish-language names: folding, parsing into given names and
//! surnames, hypocorisms, and a phonetic key.
//!
//! Governments publish lists of released prisoners written carelessly
//! ("JOSE A. PEREZ", "RODRIGUEZ GARCIA, MARIA DE LOS ANGELES", "Pepe Pérez
//! González"); the registry stores given names, first and second surname.
//! This module turns both into comparable units; deciding whether two
//! names are the same person is the matcher's job. Everything here is
//! table-driven and allocation-light (no regexes, sorted `const` tables
//! searched by binary search), because a million registry names are parsed
//! per run.
//!
//! # Units
//!
//! Text is folded ([`fold`]) into words, and words into [`Unit`]s: each
//! word with the particles written before it ("de la cruz", key "cruz").
//! A particle glued to a surname known to take one is split off
//! ("Delacruz" -> "de la cruz"), "San"/"Santa" are kept in the key
//! ("San Martín" -> key "sanmartin"), particles with nothing after them
//! are dropped, and a single letter is an initial. A lone "y" is the
//! particle of "Ortega y Gasset" only between two words where the first
//! does not look like a given name; "José Y Pérez" has an initial.
//!
//! # Free text: choosing the split
//!
//! Without a comma, which leading units are given names is a guess;
//! `split_known` is then false and the matcher may try other splits from
//! `units`. The guess, in order:
//!
//! 1. One unit is a given name when it is a known given name or an
//!    initial ("José"), and a surname otherwise ("Pérez").
//! 2. When the first unit reads as a surname (a frequent surname, or one
//!    with particles) and is no given name, while the last units are given
//!    names or initials, the text is surnames first: "PEREZ GARCIA JOSE".
//! 3. When the first unit is no given name and every unit is a frequent surname
//!    or has particles ("PÉREZ GARCÍA"), there are only surnames.
//! 4. Otherwise the leading units that are known given names, initials,
//!    or tails of compound given names ("de los Ángeles", "de Jesús") are
//!    given names, keeping at least one surname; with none, the first unit
//!    is a given name ("Yoandri Pérez García" works with unknown names too).
//! 5. While more than two units would remain, the next one is one more
//!    given name unless it is a frequent surname or has particles
//!    ("Dayron Alexei Pérez García").
//! 6. When one surname would remain and the last given name is also a
//!    frequent surname, it becomes a surname: "Luis Martín García" is Luis
//!    with surnames Martín García, and "Juan de la Cruz Pérez" is Juan with
//!    surnames de la Cruz and Pérez. "Juan de la Cruz Pérez García" stays
//!    Juan de la Cruz with surnames Pérez García, and "José Luis Pérez"
//!    keeps two given names.
//!
//! # Choices on ambiguous cases
//!
//! - Hyphens separate words: "Pérez-Núñez" gives two surname units. The
//!   registry's "Pérez" + "Núñez" and a registry "Pérez-Núñez" in one
//!   field both give the same two keys.
//! - "SURNAMES, GIVEN" needs exactly one comma with letters on both
//!   sides; otherwise commas are spaces and the text is free.
//! - Hypocorisms with several full names ("Beto") resolve to the most
//!   common in [`Unit::canonical`]; [`given_variants`] lists all of them.
//! - Names in non-Latin scripts are not transliterated ([`fold`]).

mod hypocorism;
mod normalize;
mod parse;
mod phonetic;
mod tables;

pub use hypocorism::{canonical_given, given_variants, is_known_given};
pub use normalize::{fold, is_particle};
pub use parse::{
    parse_full_name, parse_structured, Given, NameError, ParsedName, Surname, Unit, MAX_NAME_CHARS,
};
pub use phonetic::phonetic;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
