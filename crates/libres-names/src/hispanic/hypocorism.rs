//! Given names: the built-in list of known given names, and hypocorisms
//! ("Pepe" for José) and abbreviations ("Ma." for María) resolved to the
//! full name.

use super::tables::GIVEN_NAMES;

/// The canonical given name for a folded token: the full name behind a
/// hypocorism ("pepe" -> "jose", "chucho" -> "jesus", "lola" -> "dolores")
/// or an abbreviation ("ma" -> "maria", "fco" -> "francisco"); the input
/// itself when none applies.
///
/// Some hypocorisms stand for several names ("beto": Alberto, Roberto,
/// Humberto; "dani": Daniel, Daniela). This returns the most common one,
/// listed first; [`given_variants`] lists them all, and a matcher that
/// wants to be exact should accept any of them.
///
/// Hypocorisms of compound names are mapped to their first name ("chema",
/// José María, gives "jose"). Single letters are initials, not
/// abbreviations, and come back unchanged. Expects a folded word (see
/// [`super::fold`]).
pub fn canonical_given(word: &str) -> &str {
    match given_variants(word).first() {
        Some(canonical) => canonical,
        None => word,
    }
}

/// Every full given name a folded hypocorism or abbreviation may stand
/// for, the most common first ("beto" -> `["alberto", "roberto",
/// "humberto"]`). Empty when `word` is not a known hypocorism, including
/// when it is already a full name.
pub fn given_variants(word: &str) -> &'static [&'static str] {
    match HYPOCORISMS.binary_search_by(|(short, _)| (*short).cmp(word)) {
        Ok(i) => HYPOCORISMS.get(i).map_or(&[], |(_, full)| *full),
        Err(_) => &[],
    }
}

/// True when the folded `word` is a known given name: one of several
/// hundred common Hispanic given names (Cuban-style ones included:
/// Yoandri, Yunior, Yordanis, Maykel, Yusleidy, Dayami, Keilylli), or a
/// hypocorism or abbreviation that [`canonical_given`] resolves.
///
/// The parser uses it to decide how many leading words of free text are
/// given names. An unknown word is not proof of a surname: unusual given
/// names are common, and the parser falls back on word positions.
pub fn is_known_given(word: &str) -> bool {
    GIVEN_NAMES.binary_search(&word).is_ok() || !given_variants(word).is_empty()
}

/// Hypocorisms and abbreviations, sorted by the short form, each with the
/// full names it may stand for (most common first). Every full name is in
/// [`GIVEN_NAMES`] (a test checks it).
pub(crate) const HYPOCORISMS: &[(&str, &[&str])] = &[
    ("ale", &["alejandra", "alejandro"]),
    ("alex", &["alejandro", "alexander"]),
    ("asun", &["asuncion"]),
    ("bea", &["beatriz"]),
    ("beto", &["alberto", "roberto", "humberto"]),
    ("caro", &["carolina"]),
    ("cata", &["catalina"]),
    ("ceci", &["cecilia"]),
    ("chabela", &["isabel"]),
    ("chalo", &["gonzalo"]),
    ("charo", &["rosario"]),
    ("chava", &["salvador"]),
    ("chayo", &["rosario"]),
    ("checo", &["sergio"]),
    ("chelo", &["consuelo", "marcelo"]),
    ("chema", &["jose"]),
    ("chente", &["vicente"]),
    ("cheo", &["jose"]),
    ("chepe", &["jose"]),
    ("chio", &["rocio"]),
    ("chucho", &["jesus"]),
    ("chus", &["jesus"]),
    ("chuy", &["jesus"]),
    ("clau", &["claudia"]),
    ("concha", &["concepcion"]),
    ("conchi", &["concepcion"]),
    ("conchita", &["concepcion"]),
    ("coque", &["jorge"]),
    ("curro", &["francisco"]),
    ("dani", &["daniel", "daniela"]),
    ("edu", &["eduardo"]),
    ("encarna", &["encarnacion"]),
    ("fca", &["francisca"]),
    ("fco", &["francisco"]),
    ("fede", &["federico"]),
    ("fer", &["fernando", "fernanda"]),
    ("fina", &["josefina"]),
    ("gabi", &["gabriela", "gabriel"]),
    ("gaby", &["gabriela", "gabriel"]),
    ("gmo", &["guillermo"]),
    ("goyo", &["gregorio"]),
    ("guille", &["guillermo"]),
    ("inma", &["inmaculada"]),
    ("isa", &["isabel"]),
    ("javi", &["javier"]),
    ("juancho", &["juan"]),
    ("juanito", &["juan"]),
    ("kike", &["enrique"]),
    ("kiko", &["francisco", "enrique"]),
    ("lalo", &["eduardo"]),
    ("lencho", &["lorenzo"]),
    ("leti", &["leticia"]),
    ("lety", &["leticia"]),
    ("licha", &["alicia"]),
    ("lola", &["dolores"]),
    ("lolita", &["dolores"]),
    ("lolo", &["manuel"]),
    ("lucho", &["luis"]),
    ("lupe", &["guadalupe"]),
    ("lupita", &["guadalupe"]),
    ("ma", &["maria"]),
    ("manola", &["manuela"]),
    ("manolito", &["manuel"]),
    ("manolo", &["manuel"]),
    ("manu", &["manuel"]),
    ("marce", &["marcela", "marcelo"]),
    ("mari", &["maria"]),
    ("meche", &["mercedes"]),
    ("memo", &["guillermo"]),
    ("merche", &["mercedes"]),
    ("migue", &["miguel"]),
    ("moncho", &["ramon"]),
    ("nacha", &["ignacia"]),
    ("nacho", &["ignacio"]),
    ("nando", &["fernando"]),
    ("nati", &["natalia", "natividad"]),
    ("neto", &["ernesto"]),
    ("nico", &["nicolas"]),
    ("pablito", &["pablo"]),
    ("paca", &["francisca"]),
    ("paco", &["francisco"]),
    ("pancha", &["francisca"]),
    ("pancho", &["francisco"]),
    ("paquita", &["francisca"]),
    ("paquito", &["francisco"]),
    ("pati", &["patricia"]),
    ("paty", &["patricia"]),
    ("pedrito", &["pedro"]),
    ("pepa", &["josefa"]),
    ("pepe", &["jose"]),
    ("pepin", &["jose"]),
    ("pepita", &["josefa"]),
    ("pepito", &["jose"]),
    ("pili", &["pilar"]),
    ("pipe", &["felipe"]),
    ("poncho", &["alfonso"]),
    ("quino", &["joaquin"]),
    ("quique", &["enrique"]),
    ("rafa", &["rafael"]),
    ("reme", &["remedios"]),
    ("rodri", &["rodrigo"]),
    ("rosi", &["rosa", "rosario"]),
    ("santi", &["santiago"]),
    ("seba", &["sebastian"]),
    ("sole", &["soledad"]),
    ("susi", &["susana"]),
    ("tavo", &["gustavo", "octavio"]),
    ("tere", &["teresa"]),
    ("toni", &["antonio"]),
    ("tono", &["antonio"]),
    ("tony", &["antonio"]),
    ("trini", &["trinidad"]),
    ("vero", &["veronica"]),
    ("vicky", &["victoria"]),
    ("wicho", &["luis"]),
    ("yoli", &["yolanda"]),
];
