//! Real places and institutions of the three countries, for realism.
//!
//! Provinces, prisons, police bodies and courts are public facts and appear
//! in every report the groups publish; only the people are invented.

/// What the generator needs to know about one country.
pub struct CountryData {
    /// ISO alpha-2 code.
    pub code: &'static str,
    /// Provinces (states, departments) with a main city for arrest places.
    pub provinces: &'static [(&'static str, &'static str)],
    /// Arresting authorities.
    pub authorities: &'static [&'static str],
    /// Prisons and detention centres.
    pub prisons: &'static [&'static str],
    /// Courts that try political cases.
    pub courts: &'static [&'static str],
    /// Start of a fictitious phone number (the rest is zeros).
    pub phone: &'static str,
    /// Other nationalities seen among detainees (dual or foreign).
    pub foreign: &'static [&'static str],
}

/// Cuba.
pub const CU: CountryData = CountryData {
    code: "CU",
    provinces: &[
        ("Pinar del Río", "Pinar del Río"),
        ("Artemisa", "Artemisa"),
        ("La Habana", "La Habana"),
        ("Mayabeque", "San José de las Lajas"),
        ("Matanzas", "Matanzas"),
        ("Cienfuegos", "Cienfuegos"),
        ("Villa Clara", "Santa Clara"),
        ("Sancti Spíritus", "Sancti Spíritus"),
        ("Ciego de Ávila", "Ciego de Ávila"),
        ("Camagüey", "Camagüey"),
        ("Las Tunas", "Las Tunas"),
        ("Holguín", "Holguín"),
        ("Granma", "Bayamo"),
        ("Santiago de Cuba", "Santiago de Cuba"),
        ("Guantánamo", "Guantánamo"),
        ("Isla de la Juventud", "Nueva Gerona"),
    ],
    authorities: &["DSE", "PNR"],
    prisons: &[
        "Combinado del Este",
        "Valle Grande",
        "El Guatao",
        "Prisión de Canaleta",
        "Kilo 8",
        "Boniato",
        "Kilo 5 y medio",
        "Agüica",
        "Ariza",
        "Mar Verde",
        "Villa Marista",
    ],
    courts: &["Tribunal Provincial Popular", "Tribunal Municipal Popular"],
    phone: "+53 5 000",
    foreign: &["ES", "US", "IT"],
};

/// Venezuela.
pub const VE: CountryData = CountryData {
    code: "VE",
    provinces: &[
        ("Distrito Capital", "Caracas"),
        ("Amazonas", "Puerto Ayacucho"),
        ("Anzoátegui", "Barcelona"),
        ("Apure", "San Fernando de Apure"),
        ("Aragua", "Maracay"),
        ("Barinas", "Barinas"),
        ("Bolívar", "Ciudad Bolívar"),
        ("Carabobo", "Valencia"),
        ("Cojedes", "San Carlos"),
        ("Delta Amacuro", "Tucupita"),
        ("Falcón", "Coro"),
        ("Guárico", "San Juan de los Morros"),
        ("La Guaira", "La Guaira"),
        ("Lara", "Barquisimeto"),
        ("Mérida", "Mérida"),
        ("Miranda", "Los Teques"),
        ("Monagas", "Maturín"),
        ("Nueva Esparta", "La Asunción"),
        ("Portuguesa", "Guanare"),
        ("Sucre", "Cumaná"),
        ("Táchira", "San Cristóbal"),
        ("Trujillo", "Trujillo"),
        ("Yaracuy", "San Felipe"),
        ("Zulia", "Maracaibo"),
    ],
    authorities: &["SEBIN", "DGCIM", "PNB"],
    prisons: &[
        "El Rodeo I",
        "El Helicoide",
        "Tocorón",
        "Tocuyito",
        "Yare III",
        "Ramo Verde",
        "Boleíta",
        "La Crisálida",
    ],
    courts: &[
        "Tribunal Primero de Control con competencia en terrorismo",
        "Tribunal Segundo de Control con competencia en terrorismo",
        "Tribunal Militar Primero de Control",
    ],
    phone: "+58 412 000",
    foreign: &["CO", "ES", "US", "AR", "PE", "CL", "EC", "IT", "PT", "UY"],
};

/// Nicaragua.
pub const NI: CountryData = CountryData {
    code: "NI",
    provinces: &[
        ("Managua", "Managua"),
        ("Boaco", "Boaco"),
        ("Carazo", "Jinotepe"),
        ("Chinandega", "Chinandega"),
        ("Chontales", "Juigalpa"),
        ("Estelí", "Estelí"),
        ("Granada", "Granada"),
        ("Jinotega", "Jinotega"),
        ("León", "León"),
        ("Madriz", "Somoto"),
        ("Masaya", "Masaya"),
        ("Matagalpa", "Matagalpa"),
        ("Nueva Segovia", "Ocotal"),
        ("Río San Juan", "San Carlos"),
        ("Rivas", "Rivas"),
        ("Costa Caribe Norte", "Bilwi"),
        ("Costa Caribe Sur", "Bluefields"),
    ],
    authorities: &["Policía Nacional"],
    prisons: &[
        "La Modelo",
        "El Chipote",
        "La Esperanza",
        "Penitenciario de Granada",
    ],
    courts: &[
        "Juzgado Décimo de Distrito Penal de Juicio de Managua",
        "Juzgado Noveno de Distrito Penal de Audiencia de Managua",
        "Juzgado de Distrito Penal de Juicio",
    ],
    phone: "+505 8000",
    foreign: &["CR", "US", "ES", "HN"],
};

/// The three countries, in a fixed order.
pub const COUNTRIES: [&CountryData; 3] = [&CU, &VE, &NI];
