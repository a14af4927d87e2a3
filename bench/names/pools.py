"""Name and place pools for bench/names/independent.py.

Written from general knowledge of Cuban, Venezuelan and Nicaraguan naming,
not from any code in this repository. Lists are in rough frequency order
(most common first); the generator gives them Zipf-like weights.
Standard library only.
"""

# ---------------------------------------------------------------- surnames
# Head of the distribution per country, with approximate shares in percent
# (Cuba: Rodríguez ~4-5 %, González ~4 %, Hernández ~3.5 %, Pérez ~3.3 % ...).
TOP_SURNAMES = {
    "CU": [("Rodríguez", 4.4), ("González", 3.9), ("Hernández", 3.5), ("Pérez", 3.3),
           ("García", 2.6), ("López", 1.9), ("Martínez", 1.9), ("Díaz", 1.8),
           ("Fernández", 1.6), ("Sánchez", 1.5), ("Álvarez", 1.4), ("Cruz", 1.0),
           ("Gómez", 0.9), ("Ramírez", 0.8), ("Torres", 0.8), ("Morales", 0.8),
           ("Reyes", 0.8), ("Castillo", 0.7), ("Ruiz", 0.7), ("Suárez", 0.7),
           ("Cabrera", 0.7), ("Batista", 0.6), ("Ramos", 0.6), ("Castro", 0.6),
           ("Jiménez", 0.6)],
    "VE": [("González", 4.0), ("Rodríguez", 3.6), ("Pérez", 3.3), ("Hernández", 2.6),
           ("García", 2.5), ("Martínez", 2.0), ("López", 1.9), ("Díaz", 1.6),
           ("Sánchez", 1.5), ("Romero", 1.4), ("Ramírez", 1.3), ("Gómez", 1.1),
           ("Rojas", 1.1), ("Torres", 1.0), ("Fernández", 1.0), ("Flores", 0.9),
           ("Suárez", 0.9), ("Álvarez", 0.8), ("Medina", 0.8), ("Castillo", 0.8),
           ("Mendoza", 0.8), ("Morales", 0.7), ("Rivas", 0.7), ("Contreras", 0.7),
           ("Gutiérrez", 0.7)],
    "NI": [("López", 4.2), ("García", 3.2), ("Martínez", 3.0), ("González", 3.0),
           ("Hernández", 2.8), ("Rodríguez", 2.6), ("Pérez", 2.4), ("Sánchez", 1.8),
           ("Rivera", 1.5), ("Flores", 1.4), ("Gutiérrez", 1.4), ("Reyes", 1.3),
           ("Cruz", 1.2), ("Mendoza", 1.1), ("Castillo", 1.0), ("Ruiz", 1.0),
           ("Ramírez", 1.0), ("Espinoza", 0.9), ("Jarquín", 0.8), ("Ortiz", 0.7),
           ("Aguilar", 0.7), ("Vargas", 0.7), ("Díaz", 0.7), ("Blandón", 0.6),
           ("Téllez", 0.6)],
}

# Shared Hispanic surnames, roughly by frequency.
CORE_SURNAMES = """
Rodríguez González Hernández Pérez García López Martínez Díaz Fernández Sánchez Álvarez
Ramírez Gómez Torres Cruz Morales Reyes Castillo Ruiz Jiménez Romero Suárez Vázquez Rojas
Castro Gutiérrez Ramos Herrera Medina Moreno Mendoza Ortiz Núñez Silva Vargas Guerrero
Delgado Aguilar Rivera Flores Acosta Peña Cabrera Molina Méndez Marrero Hidalgo Blanco
Fuentes Rosales Contreras Espinosa Santana Valdés Figueroa León Padilla Ríos Soto Sosa
Mora Campos Vega Carmona Alonso Benítez Cárdenas Carrillo Chávez Domínguez Escobar
Estrada Ferrer Gil Guzmán Ibarra Lara Lorenzo Luna Márquez Miranda Montero Navarro Ortega
Pacheco Palacios Paredes Pineda Ponce Quintero Quintana Rivero Robles Salazar Salinas
Sandoval Santos Serrano Sierra Solís Tapia Toledo Trujillo Valdez Valencia Velázquez Vera
Villa Zamora Zapata Arias Bravo Calderón Cano Carrasco Cortés Duarte Durán Esquivel
Fajardo Franco Galván Gallardo Garrido Giménez Guerra Iglesias Lozano Maldonado Marín
Mejía Montes Muñoz Nieto Olivera Osorio Pardo Parra Pozo Prieto Rincón Rubio Salas Sáez
Soler Tejeda Urbina Varela Vidal Villegas Zúñiga Ávila Bello Betancourt Borges Bermúdez
Cabello Camacho Casanova Cedeño Céspedes Cisneros Collazo Corrales Cuesta Dávila
Echevarría Estévez Falcón Fonseca Frías Gallo Gálvez Godoy Granados Hurtado Infante
Jaramillo Leyva Linares Llanes Lugo Machado Madrigal Mesa Moya Naranjo Oliva Orozco
Otero Padrón Pantoja Pedroso Perdomo Pino Quesada Quiñones Recio Rey Rivas Roque Saavedra
Sarmiento Tamayo Téllez Toro Ulloa Vallejo Vives Alvarado Aguirre Arroyo Ayala Barrios
Bustos Calvo Cuevas Espinoza Escalante Ferreira Galindo Herrero Hinojosa Lemus Lucero
Mercado Meza Montoya Muñiz Nava Ochoa Olmos Paz Pizarro Quiroga Rosario Sáenz Santiago
Sepúlveda Serna Sotomayor Tovar Trejo Valle Velasco Villanueva Villalobos Zambrano Abreu
Acevedo Adames Agüero Alarcón Alba Alcántara Alcázar Alemán Almeida Amador Andrade
Angulo Aranda Arce Arenas Argote Armas Arteaga Ayuso Baez Ballester Barreto Barrera
Beltrán Benavides Bolaños Bonilla Bueno Burgos Bustamante Caballero Cáceres Calero
Calzada Campoy Cantero Carbajal Carballo Cardoso Carvajal Casado Castañeda Castellanos
Castellón Cervantes Chacón Cifuentes Coello Colón Conde Cordero Córdova Coronado Correa
Crespo Cuadrado Dorado Echeverría Enríquez Escalona Escudero Espejo Estrella Feliz
Fierro Frutos Gaitán Galeano Gamboa Garay Garcés Gavilán Gallego Guardado Guevara
Guillén Heredia Izquierdo Jaime Jurado Lamas Landa Larios Lazo Leal Ledesma Lima
Llamas Lobo Lorca Loza Lucas Madera Manzano Mariño Mateo Matos Mayor Medrano Melgar
Mena Mercado Merino Mirabal Molinero Monroy Montalvo Montañez Moral Morejón Mota Mújica
Murillo Narváez Negrón Nogueira Nolasco Noriega Olivares Olmedo Ordóñez Orta Osuna
Pabón Padrón Palma Palomino Pastor Peláez Pereira Pimentel Pinto Plasencia Portillo
Posada Prado Puente Puig Quevedo Quintanilla Rangel Real Redondo Reina Rendón Riera
Rocha Rojo Román Rosa Rosado Rueda Sala Salcedo Salgado Sanabria Santamaría Sequeira
Serrato Sevilla Solano Solórzano Soriano Tavárez Tello Terán Tirado Tobar Toribio
Trillo Uribe Urrutia Valenzuela Valverde Vallejos Vélez Ventura Vicente Vilches Villar
Villareal Yáñez Zaldívar Zamorano Zarate Zavala Zayas Zelaya Zepeda
Alfaro Álamo Almanza Alvear Anaya Ancheta Aparicio Aragón Arango Arévalo Arias Arrieta
Ascanio Asencio Avendaño Baena Ballesteros Baños Barba Barragán Barroso Bautista Bazán
Becerra Bejarano Bermejo Blanco Borja Borrego Bosch Briones Cabañas Cabeza Cadenas Calle
Camargo Campillo Canales Candelario Cañizares Carbonell Cárcamo Carreño Carrión Casas
Casillas Castaño Castellano Catalán Cebrián Cerda Cerezo Chaparro Cid Cobo Colmenares
Corona Cortez Cota Cueto Dávalos Delgadillo Díez Duque Echeverri Elizondo Enciso Escamilla
Espino Fabián Farías Félix Fernandes Ferrero Fiallo Florez Font Fraga Frías Fuertes
Galarza Galiano Gallegos Gamarra Garza Gaspar Godínez Gordillo Granda Grande Gris Guadarrama
Guardia Guerrero Henríquez Holguín Huerta Ibáñez Inclán Iturbe Jara Jover Lago Laguna
Lamadrid Lanza Lares Lasso Ledezma Leiva Lira Llorente Loera Lomas Losada Luján Luque
Macías Magaña Malave Manrique Mansilla Marcano Marroquín Mas Mascareño Mata Maya Mayorga
Medellín Meléndez Melo Mendieta Menéndez Meneses Mojica Molano Moncada Mondragón Monje
Montiel Morán Moret Moscoso Mosquera Navas Negrete Niño Noguera Nova Novoa Ocampo Ojeda
Olivo Oquendo Orellana Ortuño Osorno Oviedo Palomo Paniagua Parada Pavón Pedraza Peñalver
Pestana Piedra Piña Plata Polanco Porras Portela Prieto Puentes Pulido Quijano Quiroz
Rabelo Ramírez Reinoso Requena Reyna Ribera Rico Riquelme Robledo Rodas Roldán Romano
Ronda Rosas Rovira Rubiera Ruano Saldaña Salvador Samper Sancho Santacruz Santillán
Sarabia Sauceda Segura Serra Sobrino Sola Sotelo Suazo Tejada Tenorio Tercero Toro
Torrealba Torrente Tortosa Treviño Ugarte Urquiza Valdivia Valladares Valiente Vallès
Vaquero Varona Vásquez Vela Venegas Verdugo Viera Villalba Villamil Villegas Viñas
Yepes Zabala Zamudio Zaragoza Zurita
"""

# Rarer Spanish surnames (toponymic, occupational, regional): the long tail.
RARE_SURNAMES = """
Abella Abril Acín Adrover Agudo Aguado Agustí Alameda Alamilla Albarrán Alberdi Alcaide
Alcaraz Alcocer Aldana Alegre Alegría Alfageme Aliaga Almagro Almansa Almazán Almendros
Alonzo Altamira Alzate Amat Amezcua Amores Ampudia Anguiano Antón Anzures Añorve Aramburu
Arana Arancibia Arbeláez Arbizu Arcos Ardila Arellano Argudo Arizaga Armendáriz Arnáiz
Arregui Arriaga Arribas Arteta Artiles Asensio Atienza Aybar Azcona Azócar Badillo
Balaguer Balbuena Baldovinos Ballén Bañuelos Baquero Barahona Barbosa Barcenas Bardají
Barraza Barreda Barrientos Barrionuevo Bastida Batlle Baza Bedoya Belmonte Benavente
Berdugo Berenguer Berrío Berrocal Bethencourt Blázquez Boada Bocanegra Bolívar Bonet
Borbón Bordón Botero Brenes Brito Buendía Buitrago Burón Caamaño Cabal Cabanillas
Cabral Cabrales Cadavid Caicedo Cal Calatayud Calzado Camarena Campuzano Canal Candela
Cantú Carazo Cardona Carmenate Carpio Carranza Carrera Carrizo Casal Casanueva Casares
Castrillón Cavero Cazorla Ceballos Cedillo Centella Cerón Cervera Chamizo Chinchilla
Cienfuegos Clavijo Coca Codina Collado Comas Contento Corbalán Cordobés Corral Cortina
Cosío Covarrubias Cubillos Cuello Cuenca Dalmau Dávila Delfín Domenech Dorantes Durango
Egea Elorza Encinas Escalera Escribano Esparza Espada Esteban Estepa Etxeberria
Fandiño Farfán Ferrándiz Figueras Flórez Fragoso Frontera Fuster Gabaldón Galán Gallastegui
Garcilaso Garmendia Gascón Gavira Gayol Gerena Giraldo Gispert Goicoechea Gordo Goya
Grajales Granado Grau Guardiola Guijarro Guillamón Guzmán Haro Henao Herrán Herranz
Higuera Hoyos Huidobro Ibarguen Irigoyen Iriarte Iturbide Jáuregui Jerez Jorquera
Juncal Labastida Lacalle Ladrón Lafuente Lainez Landívar Lasarte Lastra Latorre Lazcano
Lechuga Legarreta Lerma Lezama Linares Liñán Lizarraga Llano Llorens Loaiza Londoño
Lopera Lora Luengo Llanos Madariaga Mallo Malpica Mancebo Manjarrez Mañón Maroto
Marrufo Masdeu Matamoros Mayoral Medinilla Mejorada Melgarejo Mendiola Merchán Mestres
Miguélez Millares Minaya Miró Mojena Molins Monasterio Monreal Montalbán Montaño
Montemayor Moraga Morell Mosqueda Munera Muro Nadal Nájera Navarrete Nevado
Nicolau Noya Núñez Obeso Ocaña Olaya Olid Olmo Oñate Orduña Oropesa Ortín Osés Otálora
Padrino Pagán Palau Pallarés Palomares Pamies Paniagua Pareja Pascual Pastrana Patiño
Pavía Pedrosa Peinado Pellicer Peñate Peralta Perales Pérez-Gil Perera Pijuán Pina
Pineda Pizano Plaza Pons Porta Portugal Poveda Puerta Pujol Quintanar Quirós Ramis
Raya Rebollo Recasens Regalado Reguera Rentería Revuelta Ribas Ricart Rivadeneira
Roig Rojano Romeu Roselló Rosique Rúa Rufino Saldívar Salmerón Salom Salvatierra
Sámano Sanchís Sandoval Santisteban Sanz Sarasola Saucedo Segarra Segovia Sendra Serrat
Sevillano Sobrado Solana Solé Sordo Sotillo Suñer Tamarit Tarazona Taboada Tapias
Tejero Terrero Tobón Tolosa Tomé Torralba Torregrosa Tous Trejos Triana Trujillano
Ubeda Ureña Urrea Usategui Valcárcel Valderrama Valdivieso Vallés Valls Vanegas Vaca
Velarde Verdú Vergel Vicens Vieira Vilanova Vilar Villacorta Villaescusa Villagra
Villamizar Villaverde Viñals Vizcaíno Yanguas Yuste Zafra Zambrana Zamarripa Zárate
Zorrilla Zubiría Zuleta Zurdo Abarca Acero Adame Aguiar Albarracín Alcalde Aldaz Alvear
Andino Anduaga Apodaca Aranguren Arbelo Arceo Arteche Avellaneda Azuara Bacigalupo
Baeza Baltazar Barajas Barquín Bayona Bermeo Betancor Bocanegra Bracamonte Briceño
Bueso Burbano Cabezas Cadena Calleja Camino Campo Canto Capdevila Carabajal Caraballo
Cardenal Carrión Casillas Castelo Caviedes Celis Cepeda Chaves Chico Colina Colmenero
Corvalán Cuadros Cubero Cueva Dalmacio Duran Echegaray Encinar Escandón Espinal
Estupiñán Fariña Ferrando Figuerola Fontana Fontanilla Fresneda Galdós Gallart Garriga
Gorostiza Guerrero Guijarro Guirado Harguindey Hermida Hervás Hevia Hornero Illescas
Jaén Jarrín Jordán Labra Lamarca Landeros Lanzarote Larrea Lavín Leyton Llamazares
Lobato Lucena Machuca Maciel Malagón Maravilla Marcos Mariscal Matute Medel Mellado
Miramontes Moliner Montenegro Montesinos Morante Muela Murga Naveda Negreira Nogales
Obregón Olea Ontiveros Oyarzún Pacheco Palomeque Pardal Parrilla Pazos Pedreira
Peñaloza Perdigón Pintado Pizarro Porcel Pozuelo Quijada Ramón Rascón Rebolledo Reinoso
Retamal Reyero Riaño Rico Rosendo Rubalcaba Ruano Sacristán Salamanca Saldarriaga Salido
Sampedro Sanjurjo Santoyo Sarria Seoane Sobrino Solar Sopeña Tejedor Toral Torrico
Trigo Tristán Umpiérrez Urdiales Urías Valdelomar Vallina Varas Vegas Veloso Vidaurre
Villar Villena Yagüe Yebra Zaldúa Zamacona Zapico Zuazo Couto Barreiro Regueiro
Carballido Lema Loureiro Piñeiro Souto Veiga Outeiral Pazó Cancela Castiñeira
"""

# Surnames with particles or two words (they are written many ways on lists).
PARTICLE_SURNAMES = [
    "de la Cruz", "del Valle", "de Armas", "de la Paz", "de León", "de la Torre",
    "del Río", "de la Rosa", "de los Santos", "de Jesús", "de la Fe", "del Toro",
    "de la Osa", "del Pino", "de Dios", "de la Guardia", "del Castillo", "de los Reyes",
    "Montes de Oca", "San Martín", "Ponce de León", "Fernández de Castro",
    "San Juan", "Santa Cruz", "Díaz de Villegas", "Pérez de Alejo", "Ruiz de Zárate",
    "García de la Vega", "Núñez de Villavicencio", "Sánchez de Bustamante",
]

COUNTRY_SURNAMES = {
    # Cuba: Canarian, Asturian, Catalan, Galician and Chinese-Cuban origins, eastern surnames.
    "CU": """
Pupo Ricardo Batista Labrada Leyva Zaldívar Tamayo Rosabal Milián Sotolongo Alfonso
Despaigne Duvergel Galano Guilarte Mojena Oduardo Pompa Rondón Sardiñas Socarrás Lescay
Sablón Figueredo Almaguer Cutiño Tornés Mustelier Bicet Rizo Yanes Mayeta Lores Borrero
Brizuela Cobas Arencibia Ravelo Hechavarría Echemendía Roca Ordaz Peraza Tablada Suriel
Chang Wong Lam Chiong Fong Acanda Mederos Hevia Madruga Carrazana Ledea Zulueta Bacallao
Bonachea Dueñas Enamorado Cambra Cordovés Creagh Dorta Elías Febles Frómeta Gener
Hierrezuelo Isaac Lobaina Machín Maceo Martell Negrín Nodarse Oramas Pelegrín Portales
Portuondo Riverí Rosell Salabarría Sarduy Torrens Veitía Valdivia Cintra Fleitas Ginarte
Guerra Hurtado Iznaga Jorrín Lamoth Limonta Matamoros Montalván Naranjo Olazábal Pichardo
Quiala Rabí Regalado Remedios Rojo Sabater Sainz Sardá Sirven Sorí Tabares Trimiño
Urquiola Vaillant Verdecia Vinent Viamontes Yera Zamora Arzuaga Barzaga Bello Boza
Calzadilla Caraballo Casamayor Chaviano Cedeño Coello Corzo Darias Delis Durruthy Escalona
Estenoz Fis Garcell Gavilán Gómez Guzmán Horta Jardines Jova Labañino Lafita Llerena
Marzo Massó Mata Menocal Mirabal Moncada Montané Nápoles Nuviola Ochoa Ojeda Palacio
Pedraja Pérez Piñeiro Planas Puentes Quintero Rabelo Reytor Rivera Rubio Sagó Segura
Silveira Sotomayor Taquechel Toirac Urgellés Vázquez Velázquez Vergara Vidal Yero
Alemán Abad Abascal Ajete Albelo Amaro Arbelo Armenteros Arocha Ballate Barrizonte Baró
Betancourt Cañete Capote Cartaya Castañeda Chirino Cid Corona Crespo Diéguez Estrada
Expósito Fajardo Fumero Garrido Gato Govea Guerrero Jústiz Lazo Lemus Lima Llanes
Macías Manso Marichal Matos Medero Mendive Mestre Montero Morffi Nieves Norniella Ortega
Paneque Paumier Peña Pino Portal Prieto Quiñones Ramírez Rey Roque Rosales Ruz Salas
Sánchez Sarmiento Serrano Sierra Soto Tápanes Tejeda Toledo Valle Varela Vega Vera
Villalón Zayas Acebo Agramonte Aldama Alvariño Arcia Arias Ayllón Bravo Cabeza
Calunga Cancio Carralero Carrión Casas Castellanos Cepero Cervantes Cisneros Collado
Cordero Cuéllar Curbelo Dorticós Escobar Espinosa Ferrás Fleites Frías Gallardo Gil
Gutiérrez Hernández Hidalgo Ibáñez Izquierdo Lamas Lago León Linares Lorenzo Luis
Marrero Martí Mesa Mena Miranda Molina Montes Morejón Navarro Nuñez Olivera Orta Pacheco
Padilla Palma Pardo Pedroso Perdomo Pineda Pozo Quesada Ravelo Recio Rivero Robaina
Rosa Rubiera Ruiz Santana Santos Sosa Suárez Tamargo Trujillo Valdés Vargas Vidal
""",
    # Venezuela: Andean and Zulian surnames, Portuguese, Italian, Arab and German immigrants.
    "VE": """
Colmenares Urdaneta Briceño Chacón Rondón Sulbarán Pernía Bastidas Zambrano Villalobos
Montilla Guanipa Carrero Uzcátegui Albornoz Añez Atencio Barboza Boscán Chirinos
Fuenmayor Gotera Marcano Matheus Mogollón Noguera Oropeza Pirela Pulido Rangel Sifontes
Villasmil Yépez Zerpa Aponte Bracho Caldera Escalona Figuera Guédez Istúriz Linárez
Lovera Mujica Piñango Querales Reverón Sequera Timaure Unda Valera Vielma Viloria
Graterol Camacaro Dugarte Jaimes Labarca Lozada Moncada Palencia Sanabria Torrealba Vivas
Ybarra Añez Arteaga Ávila Balza Bermúdez Blanco Borjas Cabello Cáceres Carmona Carrasquel
Castellanos Cedeño Chirino Coronado Dávila Duque Echenique Escobar Farías Fermín Ferrer
Gamboa Garcés Gil Girón Guaita Guerrero Guevara Hurtado Infante Lameda Lander León
Leal Linares Lugo Machado Maita Malavé Manrique Mata Meléndez Méndez Millán Molero
Montero Montiel Morillo Navas Núñez Ochoa Olivares Oramas Ortega Oviedo Pacheco Pachano
Padrón Palacios Paredes Parra Peña Peraza Perdomo Pinto Prado Quevedo Quintero Rengifo
Requena Ríos Rivero Rosales Sáez Salas Salazar Salcedo Sandoval Sarmiento Silva Sosa
Tovar Ugueto Urbina Useche Valbuena Vargas Velásquez Vera Villarroel Yánez Zapata
Acuña Adrianza Aguilera Alcalá Altuve Amaya Angarita Arévalo Azuaje Barrios Betancourt
Bolívar Bravo Bello Buitrago Canelón Cordero Cova Croes Díaz Escalante Espinoza Fajardo
Franco Gallardo Goitía Gudiño Herrera Hidalgo Istúriz Jaramillo Landaeta Lárez Lobo
Loreto Luna Marín Mejías Mirabal Mora Moreno Nieves Ojeda Orta Pérez Pineda Ramos
Reyes Rincón Rivas Rodríguez Rojas Romero Rosas Ruiz Salinas Santana Sierra Suárez Tapia
Toro Torres Ugarte Valero Villegas Zabaleta Zamora De_Abreu Gonçalves Rodrigues Ferreira
Fernandes Teixeira Pestana De_Freitas Da_Silva Dos_Santos Gomes Nunes Pereira Correia
Rossi Russo Di_Giacomo Esposito Romano Colombo Bianchi Ricci Marino De_Luca Lombardi
Caruso Greco Conti Ferrari Mancini Gallo Costa Rizzo Santoro Vitale Barone Marchetti
Haddad Nasser Saab Hassan Khalil Daher Abboud Kassab Mansour Zaidan Bittar Salame
Müller Schmidt Weber Zimmermann Kaufmann Hoffmann Wagner Vollmer Brandt
Echeverría Goicoechea Aguirre Urrutia Iturralde Zubizarreta Arrieta Larrañaga Olaizola
Garmendia Goenaga Mendizábal Zuloaga Beitia Aróstegui Arizmendi Ascanio Azpúrua
""",
    # Nicaragua: colonial families, Caribbean coast (Miskito and Creole) surnames.
    "NI": """
Chamorro Argüello Lacayo Sacasa Pallais Somarriba Tijerino Zeledón Mairena Baltodano
Téllez Obando Bendaña Pastora Aráuz Cuadra Urcuyo Rappaccioli Membreño Montenegro
Sandino Borge Cajina Centeno Dávila Gadea Hüeck Jarquín Lanzas Largaespada Mendieta
Moncada Navas Ocón Orozco Palacios Rocha Saballos Sequeira Solórzano Urbina Zelaya
Alvarado Amador Bermúdez Blandón Bravo Cerda Chavarría Duarte Gaitán Guevara Herrera
Hurtado Icaza Jirón Lira Matus Meza Miranda Mora Muñoz Navarrete Obregón Picado Salgado
Sevilla Tórrez Úbeda Vado Vanegas Vílchez Zapata Aguirre Arana Arévalo Barrera Benavides
Cárcamo Castellón Corea Estrada Fuentes Galeano Granera Kauffmann Laguna Lovo Loáisiga
Maltez Mayorga Medrano Molina Mungía Narváez Olivas Ortega Osejo Pavón Potosme
Quintanilla Rivas Rugama Salinas Sandoval Siles Sobalvarro Talavera Toruño Treminio
Umaña Velásquez Zúniga Acevedo Aburto Aguilera Alemán Altamirano Aragón Avilés Baca
Barquero Bonilla Briones Cano Carballo Castro Cisneros Cortez Delgado Dolmus Escobar
Espinales Fonseca Gago Gámez Guardado Guillén Hernández Huete Incer Ibarra Juárez Leiva
Lumbí Marenco Mejía Meneses Moreira Mojica Ñamendi Oporta Orozco Paredes Pineda Pichardo
Pomares Quezada Ramos Reyes Rizo Rosales Ruiz Salazar Sánchez Sequeira Sotelo Suazo
Tinoco Torres Traña Valle Vallejos Vargas Vega Zamora Abaunza Alfaro Amaya Artola
Arróliga Blanco Calero Campos Chévez Conrado Cruz Díaz Gutiérrez Hodgson Downs Forbes
Taylor Wilson Fagoth Coleman Lackwood Hooker Pérez Ramírez Rodríguez Silva Soza
Hawkins Müller Nuñez Obando Peralta Prado Rayo Romero Rostrán Saavedra Tercero Urroz
""",
}

# Foreign nationals detained in Venezuela (and a few elsewhere): one surname.
FOREIGN_NAMES = {
    "US": (["John", "Michael", "David", "James", "Robert", "Mark", "Thomas", "Matthew", "Kevin",
            "Brian", "Eric", "Joseph", "Steven", "Daniel", "Christopher", "Andrew", "Ryan",
            "Jason", "Justin", "Brandon", "Aaron", "Adam", "Nathan", "Tyler", "Gregory",
            "Jeffrey", "Scott", "Timothy", "Patrick", "Sean", "Dustin", "Wyatt"],
           ["Smith", "Johnson", "Brown", "Miller", "Davis", "Wilson", "Taylor", "Anderson",
            "Thomas", "Moore", "Martin", "Jackson", "White", "Harris", "Clark", "Walker",
            "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green", "Adams", "Baker",
            "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Campbell",
            "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris", "Murphy", "Cook",
            "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell", "Kelly",
            "Howard", "Ward", "Cox", "Richardson", "Wood", "Watson", "Brooks", "Bennett"]),
    "IT": (["Luca", "Marco", "Giovanni", "Alessandro", "Matteo", "Andrea", "Paolo", "Francesco",
            "Lorenzo", "Davide", "Simone", "Federico", "Stefano", "Giuseppe", "Antonio",
            "Roberto", "Fabio", "Massimo", "Riccardo", "Nicola"],
           ["Rossi", "Russo", "Bianchi", "Romano", "Gallo", "Conti", "Bruno", "Ferrari",
            "Esposito", "Colombo", "Ricci", "Marino", "Greco", "Lombardi", "Moretti", "Barbieri",
            "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini",
            "Leone", "Longo", "Gentile", "Martinelli", "Vitale", "Serra", "Coppola", "De Santis"]),
    "DE": (["Hans", "Klaus", "Stefan", "Jürgen", "Thomas", "Michael", "Andreas", "Wolfgang",
            "Frank", "Uwe", "Matthias", "Markus", "Tobias", "Florian", "Jan", "Sebastian",
            "Christian", "Dirk", "Ralf", "Lukas"],
           ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
            "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
            "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann",
            "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann"]),
    "FR": (["Jean", "Pierre", "Nicolas", "Julien", "Olivier", "Philippe", "François", "Thierry",
            "Laurent", "Sébastien", "Christophe", "Mathieu", "Guillaume", "Antoine", "Vincent"],
           ["Dubois", "Lefebvre", "Moreau", "Laurent", "Girard", "Bernard", "Durand", "Leroy",
            "Roux", "Fournier", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller",
            "Chevalier", "Robin", "Masson", "Gauthier", "Perrin", "Blanc", "Guerin", "Faure"]),
}

# ------------------------------------------------------------- given names
# Per country and sex, rough frequency order. Cuba: the "Y" generation
# (Yoandri, Yusnier...) born 1970-2000; Venezuela: anglicised spellings
# (Jhonny, Yorman, Wuilmer); Nicaragua: Yader, Bayardo, Lesther.
GIVEN = {
    ("CU", "M"): """
José Luis Carlos Jorge Juan Lázaro Yoandri Alexis Yunior Pedro Miguel Francisco
Antonio Manuel Rafael Roberto Alejandro Ángel Yordanis Yosvany Yasmani Yusnier Yuniel
Dayron Maikel Maykel Yorkis Yoennis Osmany Osniel Yunieski Reinier Yasser Alexei
Vladimir Yuri Iván Adrián Leandro Leonardo Dariel Yadián Yordan Yoelvis Yulier Ariel
Yoan Yohan Yander Yamil Roilán Yusdel Yunier Ismael Dagoberto Eloy Elio Idael Ulises
Duniesky Frank Félix Orlando Osvaldo Reinaldo Rolando Ernesto Armando Arnaldo Humberto
Guillermo Enrique Gustavo Felipe Ignacio Joaquín Marcos Mauricio Nelson Omar Pavel
Rigoberto Tomás Víctor Wilfredo Yoel Javier Fernando Ricardo Eduardo Sergio Raúl Ramón
Alberto Mario Julio Héctor Óscar Rubén Andrés Daniel David Pablo Jesús Yandy Yoandy
Yasiel Yanier Yoerlis Yordenis Yoanni Yurisán Yaniel Yusniel Yunet Ulises Denis Maikol
Michel Raidel Rainier Randy Roidel Sandy Yoel Yulieski Yunieski Eliécer Dairon Disney
Adonis Annier Arián Yoannis Yorlan Yoslán Yuniesky Luis Edel Edelvis Eider Geovanis
Ibrahim Inti Irán Isbel Jordanis Keiler Leosdan Liván Lisbán Maikel Niover Onelio
Orestes Osmel Pável Raiko Reidel Roylan Sadiel Yankiel Yarian Yenier Yoelkis Yordany
""",
    ("CU", "F"): """
María Ana Yanisleidy Yusleidy Yaimara Yanelis Yudelkis Dayami Keilylli Yamilé Yaneisy
Yudith Mailén Daylín Yusimí Anisley Arianna Yarisleidy Yoanka Odalys Mayelín Lisandra
Yaima Daymara Yamila Yanet Yenisei Yuliet Yaquelín Lianet Lisbet Marlene Migdalia
Mirtha Nancy Niurka Noelia Olga Sissi Sara Tania Xiomara Zaida Rosa Carmen Marta Elena
Isabel Laura Caridad Daisy Damaris Dayana Aniette Sayli Sulmira Yurisleydi Yailín
Yadira Yordanka Dania Leydis Lisett Maritza Mayra Mercedes Mileidy Nelsa Niuvis Odalis
Rosaida Saily Sonia Teresa Yamilet Yanara Yasmín Yenny Yuleidis Yunaisy Zoila Berta
Caridad Dunia Ileana Iliana Katia Liudmila Lourdes Madelín Mairelys Marisol Marianela
""",
    ("VE", "M"): """
José Luis Carlos Jesús Juan Jhonny Jhon Jhonathan Jhoan Yorman Yonaiker Deivis Wuilmer
Wilmer Kleiver Keiber Yeferson Jeferson Freddy Franklin Richard Anderson Wilson Nelson
Hender Edixon Elvis Darwin Yorbis Ender Enmanuel Hendrick Leonel Yonathan Robert Kevin
Brayan Gabriel Samuel Santiago Sebastián Alí Argenis Ramón Ovidio Douglas Henry
Williams Javier Yoel Yeison Deiby Frainer Yerson Miguel Pedro Antonio Manuel Rafael
Alejandro Ángel Daniel David Eduardo Fernando Ricardo Víctor Orlando Omar Oswaldo
Reinaldo Rolando Gustavo Héctor Julio Rubén Andrés Pablo Alexander Alexis Adrián
Alberto Armando Asdrúbal Baudilio Cristian Dilmer Eliézer Endry Estiven Evert
Francisco Giovanny Greivis Heberto Herbert Jairo Jean Johan Jonás Kelvin Leandro
Lenin Maikel Marlon Neomar Nerio Obed Onofre Roger Rosmel Tulio Wilfredo Wladimir
Yoendry Yordi Yorwin Yuber Ronald Roberto Raúl Sergio Mario Jorge Felipe Ignacio
""",
    ("VE", "F"): """
María Ana Yusmary Yelitza Yuleisy Marielys Daniela Oriana Génesis Yuraima Yorgelis
Mariángel Milagros Norelys Rosmary Yajaira Yamileth Yenny Yesenia Yohana Zuleima
Dayana Karina Kelly Lisbeth Mariela Nelly Neida Carolina Andreína Gabriela Valentina
Carmen Rosa Luisa Isabel Elena Beatriz Gladys Omaira Migdalia Xiomara Zoraida Yolimar
Yurbis Deisy Dexcy Dulce Fabiola Francis Greisy Johana Karla Keila Leidy Lorena Maryuri
Mayerling Nohelia Nairobis Rocío Sorangel Yanetzi Yaritza Yubisay Yusbely Zaida
""",
    ("NI", "M"): """
José Juan Carlos Luis Félix Medardo Álvaro Bayardo Ervin Freddy Yader Norlan Lesther
Byron Elvin Jefferson Marvin Róger Denis Edwin Brandon Kevin Franklin Harold Jairo
Josué Milton Moisés Noel Norman Omar René Salvador Santos Tomás Ulises Wilber Álex
Ariel Cristhian Axel Francisco Pedro Miguel Antonio Manuel Rafael Roberto Alejandro
Ángel Jesús Javier Fernando Ricardo Eduardo Sergio Daniel David Pablo Mario Julio
Douglas Enrique Ernesto Gustavo Hugo Ismael Jaime Leonel Lenín Marlon Melvin Nelson
Oscar Reynaldo Rodolfo Rolando Selvin Silvio Teodoro Uriel Walter William Yasser
Yubrank Darwin Dámaso Eddy Erick Fanor Geovanny Hazel Irving Jonathan Jorge Justo
""",
    ("NI", "F"): """
María Ana Tamara Evelyn Meyling Grethel Hazell Karla Brenda Francis Ivania Jessica
Lesbia Martha Ninoska Olga Reyna Scarleth Tania Violeta Yadira Yubelka Yasmina Xochilt
Heyling Rosa Carmen Elena Isabel Cristiana Suyén Dora Azucena Lucía Fátima Alba
Carolina Claudia Dayana Elsa Fabiola Gloria Haydée Indiana Johana Kenia Lilliam
Maritza Mildred Nidia Nubia Patricia Rosario Sandra Tatiana Vilma Yelba Zayda Guadalupe
""",
}

# Fixed compound given names (with particles or classic pairs), per sex.
COMPOUND_GIVEN = {
    "M": ["José Luis", "Juan Carlos", "José Antonio", "Luis Alberto", "José Manuel",
          "Juan Pablo", "Miguel Ángel", "José Ramón", "Jesús Alberto", "Juan José",
          "Luis Enrique", "Carlos Alberto", "Jorge Luis", "José Daniel", "Juan Manuel",
          "Francisco Javier", "José Miguel", "Luis Miguel", "Pedro Pablo", "Juan de Dios",
          "José de Jesús", "Luis Felipe", "José Ángel", "José Alberto", "José Francisco",
          "José María", "Juan Antonio", "Carlos Manuel", "José Enrique", "Ángel Luis"],
    "F": ["María de los Ángeles", "María del Carmen", "María Elena", "Ana María",
          "María Teresa", "María José", "María Isabel", "María Cristina", "María Victoria",
          "María Eugenia", "María Fernanda", "María Gabriela", "María Alejandra",
          "Rosa María", "Luz Marina", "María de la Caridad", "María del Pilar",
          "María Auxiliadora", "María de Lourdes", "María de las Mercedes", "Ana Isabel",
          "María Antonia", "María Luisa", "María Esther", "Ana Luisa"],
}
COUNTRY_COMPOUND = {
    "CU": {"M": ["Jorge Luis", "Luis Manuel", "José Luis", "Luis Alberto"],
           "F": ["María de la Caridad", "Caridad de la Luz"]},
    "VE": {"M": ["José Gregorio", "José del Carmen", "Jesús Alberto", "Luis Alfredo",
                 "Carlos Eduardo", "Juan Bautista"],
           "F": ["María Coromoto", "María Gabriela", "María Alejandra", "María Corina"]},
    "NI": {"M": ["Juan Sebastián", "Félix Pedro", "José Santos"],
           "F": ["María Auxiliadora", "Ana Margarita", "María Lourdes"]},
}

# Second given names are mostly traditional ones, whatever the first is
# ("Yoandri Alberto", "Yusleidy María" are seen; two invented names are rare).
SECOND_GIVEN = {
    "M": """Antonio Luis Manuel José Alberto Carlos Miguel Ángel Enrique Javier Alejandro
Eduardo Rafael Ramón Alfredo Jesús Daniel Enmanuel Alexis Andrés Felipe Fernando Francisco
Gabriel Gregorio Ignacio Jorge Julio Lázaro Leonardo Mario Orlando Pablo Pedro Ricardo
Roberto Rolando Santos Sergio Tomás Vicente Víctor Adrián Armando David Ernesto Raúl""",
    "F": """María Isabel Elena Teresa Carmen Cristina Alejandra Gabriela Victoria Luisa Josefina
Esther Margarita Beatriz Rosa Milagros Caridad Lucía Patricia Carolina Daniela Fernanda
Andrea Lourdes Mercedes Julia Virginia Rosario Dolores Guadalupe Auxiliadora Inés Ana""",
}
TRADITIONAL = set(SECOND_GIVEN["M"].split()) | set(SECOND_GIVEN["F"].split()) | set("""
Juan Pedro Óscar Rubén Héctor Humberto Guillermo Gustavo Joaquín Marcos Mauricio Nelson Omar
Osvaldo Reinaldo Wilfredo Félix Ismael Iván Jaime Rodolfo Salvador Teodoro Ana Marta Laura
Olga Sonia Gloria Nancy Sara Tania Carmen Martha Reyna Alba""".split())

# Hypocorisms: canonical given name -> short forms seen on lists and in speech.
HYPOCORISMS = {
    "José": ["Pepe", "Chepe"], "Francisco": ["Paco", "Pancho", "Chico"],
    "Jesús": ["Chucho", "Chuy"], "Ignacio": ["Nacho"], "Guadalupe": ["Lupe"],
    "Antonio": ["Toño", "Tony"], "Manuel": ["Manolo"], "Eduardo": ["Lalo"],
    "Guillermo": ["Memo"], "Alberto": ["Beto"], "Roberto": ["Beto", "Tito"],
    "Enrique": ["Quique", "Kike"], "Rafael": ["Rafa", "Felo"], "Alejandro": ["Alex"],
    "Rosario": ["Charo"], "Mercedes": ["Meche"], "Isabel": ["Chabela"],
    "Luis": ["Lucho"], "Gregorio": ["Goyo"], "Santiago": ["Chago"], "Ernesto": ["Neto"],
    "Fernando": ["Nando"], "Rodolfo": ["Fito"], "Ramón": ["Moncho"],
    "Concepción": ["Concha"], "Dolores": ["Lola"], "Caridad": ["Cachita"],
}

PARTICLES = {"de", "del", "la", "las", "los", "y", "da", "das", "do", "dos", "di", "van", "von"}

# ---------------------------------------------------------------- places
# (canonical name, weight, loose forms seen on lists)
PROVINCES = {
    "CU": [
        ("Pinar del Río", 5, ["PINAR DEL RIO", "PINAR", "P. DEL RIO", "P DEL RIO", "PINAR D. RIO"]),
        ("Artemisa", 5, ["ARTEMISA"]),
        ("La Habana", 24, ["LA HABANA", "HABANA", "C. HABANA", "CIUDAD HABANA",
                           "CIUDAD DE LA HABANA", "LA HAB.", "HAVANA"]),
        ("Mayabeque", 6, ["MAYABEQUE"]),
        ("Matanzas", 8, ["MATANZAS", "MTZAS"]),
        ("Cienfuegos", 4, ["CIENFUEGOS", "CFGOS"]),
        ("Villa Clara", 6, ["VILLA CLARA", "V. CLARA", "VILLACLARA"]),
        ("Sancti Spíritus", 3, ["SANCTI SPIRITUS", "S. SPIRITUS", "SANCTI-SPIRITUS", "SSPIRITUS"]),
        ("Ciego de Ávila", 3, ["CIEGO DE AVILA", "CIEGO", "C. DE AVILA"]),
        ("Camagüey", 6, ["CAMAGUEY", "CAMAGÜEY", "CMGY"]),
        ("Las Tunas", 3, ["LAS TUNAS", "TUNAS"]),
        ("Holguín", 8, ["HOLGUIN", "HOLGUÍN"]),
        ("Granma", 5, ["GRANMA"]),
        ("Santiago de Cuba", 10, ["SANTIAGO DE CUBA", "STGO DE CUBA", "STGO. DE CUBA",
                                  "SANTIAGO", "STGO"]),
        ("Guantánamo", 4, ["GUANTANAMO", "GTMO"]),
        ("Isla de la Juventud", 1, ["ISLA DE LA JUVENTUD", "I. JUVENTUD", "ISLA DE PINOS", "IJ"]),
    ],
    "VE": [
        ("Distrito Capital", 12, ["DISTRITO CAPITAL", "DTTO CAPITAL", "DTO. CAPITAL", "CARACAS", "D.C."]),
        ("Miranda", 10, ["MIRANDA", "EDO. MIRANDA", "EDO MIRANDA"]),
        ("Zulia", 9, ["ZULIA", "EDO. ZULIA", "EDO ZULIA"]),
        ("Carabobo", 7, ["CARABOBO", "EDO. CARABOBO"]),
        ("Lara", 5, ["LARA", "EDO. LARA"]),
        ("Aragua", 6, ["ARAGUA", "EDO ARAGUA"]),
        ("Táchira", 6, ["TACHIRA", "TÁCHIRA", "EDO. TACHIRA"]),
        ("Mérida", 4, ["MERIDA", "MÉRIDA"]),
        ("Anzoátegui", 4, ["ANZOATEGUI", "ANZOÁTEGUI"]),
        ("Bolívar", 5, ["BOLIVAR", "EDO. BOLIVAR"]),
        ("Monagas", 3, ["MONAGAS"]),
        ("Sucre", 3, ["SUCRE"]),
        ("Falcón", 3, ["FALCON", "FALCÓN"]),
        ("Barinas", 3, ["BARINAS"]),
        ("Portuguesa", 2, ["PORTUGUESA"]),
        ("Trujillo", 2, ["TRUJILLO"]),
        ("Yaracuy", 2, ["YARACUY"]),
        ("Guárico", 2, ["GUARICO", "GUÁRICO"]),
        ("Apure", 2, ["APURE"]),
        ("Nueva Esparta", 2, ["NUEVA ESPARTA", "NVA ESPARTA", "MARGARITA"]),
        ("Cojedes", 1, ["COJEDES"]),
        ("La Guaira", 2, ["LA GUAIRA", "VARGAS", "EDO. VARGAS"]),
        ("Delta Amacuro", 1, ["DELTA AMACURO", "DELTA"]),
        ("Amazonas", 1, ["AMAZONAS"]),
    ],
    "NI": [
        ("Managua", 30, ["MANAGUA", "MGA"]),
        ("Masaya", 10, ["MASAYA"]),
        ("León", 8, ["LEON", "LEÓN"]),
        ("Matagalpa", 7, ["MATAGALPA"]),
        ("Estelí", 6, ["ESTELI", "ESTELÍ"]),
        ("Carazo", 5, ["CARAZO"]),
        ("Granada", 5, ["GRANADA"]),
        ("Chinandega", 5, ["CHINANDEGA"]),
        ("Jinotega", 4, ["JINOTEGA"]),
        ("Rivas", 3, ["RIVAS"]),
        ("Boaco", 2, ["BOACO"]),
        ("Chontales", 3, ["CHONTALES"]),
        ("Madriz", 2, ["MADRIZ"]),
        ("Nueva Segovia", 3, ["NUEVA SEGOVIA", "NVA SEGOVIA", "N. SEGOVIA"]),
        ("Río San Juan", 1, ["RIO SAN JUAN", "RÍO SAN JUAN"]),
        ("Región Autónoma de la Costa Caribe Norte", 2, ["RACCN", "RAAN", "COSTA CARIBE NORTE"]),
        ("Región Autónoma de la Costa Caribe Sur", 2, ["RACCS", "RAAS", "COSTA CARIBE SUR"]),
    ],
}

# Registries write a few provinces in older or shorter forms too.
REGISTRY_PROVINCE_VARIANTS = {
    "La Habana": ["Ciudad de La Habana", "Habana"],
    "Santiago de Cuba": ["Stgo. de Cuba"],
    "Distrito Capital": ["Caracas"],
    "La Guaira": ["Vargas"],
    "Región Autónoma de la Costa Caribe Norte": ["RACCN"],
    "Región Autónoma de la Costa Caribe Sur": ["RACCS"],
}

NOTES = [
    "Detenido durante las protestas.", "Condenado en juicio sumario.", "Salud delicada.",
    "Sin acceso a abogado de su elección.", "Familia denuncia maltratos.",
    "Trasladado a prisión lejos de su provincia.", "Huelga de hambre en el pasado.",
    "Régimen de presentación periódica.", "Incomunicado durante semanas.",
    "Fuente: testimonio familiar.", "Fuente: prensa independiente.",
]
RELATIONS = ["madre", "padre", "esposa", "hermana", "hermano", "hija", "tía", "abuela"]
