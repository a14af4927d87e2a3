## Libres — interfaz pública en español.

site-name = Libres
site-tagline = Registro de presos políticos
demo-banner = Datos sintéticos de demostración: ninguna persona es real
nav-home = Inicio
nav-persons = Personas
# Separador de listas (nacionalidades, condiciones).
list-separator = { ", " }
lang-label = Idioma
footer-text = Libres es software libre para documentar a los presos políticos. Este sitio no usa cookies ni rastreo.

## Inicio

home-title = Presos políticos en cifras
home-held = Aún privados de libertad: en prisión, en prisión domiciliaria o desaparecidos
home-as-of = A fecha de { $date }
home-latest-announcements = Últimos anuncios de excarcelaciones: anunciado frente a verificado
home-total = Personas registradas
home-by-country = Por país de detención
home-by-status = Por situación actual
home-counts-note = Las cifras cuentan solo a las personas cuyas familias autorizaron la publicación, como la lista: quienes no la autorizaron no se nombran ni se cuentan aquí, para que ninguna cifra pueda señalar a nadie.
home-empty = El registro aún no contiene ninguna persona.
home-search-title = Buscar en el registro

## Búsqueda y lista

search-label = Nombre
search-button = Buscar
filter-country = País
filter-status = Situación
filter-any = Todos
list-title = Personas
list-results =
    { PLURAL($count) ->
        [one] 1 persona
       *[other] { $count } personas
    }
# Without gender: a list does not know it.
list-born = nac. { $date }
list-arrested = detención: { $date }
list-empty = Ninguna persona publicada coincide con la búsqueda.
list-suggest = ¿Quiso decir…?
search-hint = La búsqueda también encuentra nombres escritos de otra forma que suenan igual (Yoandry, Yoandri), hipocorísticos (Pepe, José) y partículas escritas juntas (Delacruz).
list-page = Página { $page } de { $pages }
list-prev = Anterior
list-next = Siguiente
list-pagination = Paginación
col-name = Nombre
col-country = País
col-place = Lugar
col-province = Provincia
col-status = Situación
col-count = Personas

## Ficha de una persona

person-id = Identificador
person-aliases = También conocido como
person-country = País de detención
person-province = Provincia
person-birth-date = Fecha de nacimiento
person-nationality = Nacionalidad
person-occupation = Ocupación
person-status = Situación actual
person-status-note = La situación se deriva de la cronología de eventos; no se escribe a mano.
person-summary = Resumen
person-detentions = Detenciones
person-timeline = Cronología
person-timeline-empty = Aún no hay eventos registrados.
person-sources = Fuentes
dates-note = Las fechas siguen la norma EDTF: «~» indica una fecha aproximada, «?» una fecha dudosa y «X» una cifra desconocida.
det-arrest-date = Fecha de arresto
det-arrest-place = Lugar de arresto
det-authority = Autoridad que arrestó
det-charges = Cargos
det-court = Tribunal
det-sentence = Condena
det-sentence-months =
    { PLURAL($months) ->
        [one] 1 mes
       *[other] { $months } meses
    }
det-prison = Prisión
event-release-kind = Tipo de excarcelación
event-conditions = Condiciones
event-place = Lugar
event-unverified = Sin verificar: ninguna fuente publicada ni verificación respalda aún este cambio de situación.
event-verified-by = Verificado por
event-announcement = Contado en un anuncio de excarcelaciones
event-sources = Fuentes
source-kind = Tipo
source-publisher = Publicado por
source-date = Fecha

## Situación (derivada de la cronología)

status-detained = En prisión
status-disappeared = Desaparición forzada
status-house_arrest = Arresto domiciliario
status-conditional_release = Excarcelación condicional
status-released = En libertad
status-exiled = En el destierro
status-died_in_custody = Muerte bajo custodia
status-unknown = Sin datos
status-desc-detained = En prisión o bajo custodia policial.
status-desc-disappeared = Bajo custodia del Estado, con paradero desconocido.
status-desc-house_arrest = Fuera de prisión, pero con confinamiento en el domicilio.
status-desc-conditional_release = Fuera de prisión bajo condiciones revocables: no es libertad plena.
status-desc-released = Excarcelación sin condiciones o condena cumplida.
status-desc-exiled = Expulsión del país o destierro como condición de la excarcelación.
status-desc-died_in_custody = Murió bajo custodia del Estado.
status-desc-unknown = Aún no hay eventos registrados.

## Tipos de evento

event-arrest = Detención
event-charge = Imputación
event-trial = Juicio
event-sentence = Sentencia
event-transfer = Traslado
event-hunger_strike = Huelga de hambre
event-health_alert = Alerta de salud
event-release = Excarcelación
event-revocation = Revocación de la excarcelación
event-re_arrest = Nuevo arresto
event-new_charge = Nueva imputación
event-disappearance = Desaparición forzada
event-reappearance = Reaparición
event-death_in_custody = Muerte bajo custodia
event-exile = Destierro

## Tipos de excarcelación

release-unconditional = Libertad incondicional
release-sentence_served = Condena cumplida
release-parole = Libertad condicional
release-medical_leave = Licencia extrapenal
release-early_release = Excarcelación anticipada
release-substitute_measure = Medida cautelar sustitutiva
release-house_arrest = Detención domiciliaria
release-forced_exile = Destierro
release-deportation = Deportación

## Condiciones de la excarcelación

condition-periodic_presentation = Régimen de presentación periódica ante el tribunal
condition-travel_ban = Prohibición de salida del país
condition-gag_order = Prohibición de declarar
condition-statelessness = Apatridia (despojo de la nacionalidad)
condition-confiscation = Confiscación de bienes

## Tipos de fuente

source-kind-article = Artículo de prensa
source-kind-ngo_report = Informe de ONG
source-kind-testimony = Testimonio
source-kind-court_document = Documento judicial
source-kind-official_statement = Declaración oficial
source-kind-social_media = Redes sociales

## Países

country-AR = Argentina
country-BY = Bielorrusia
country-CL = Chile
country-CO = Colombia
country-CR = Costa Rica
country-CU = Cuba
country-DE = Alemania
country-EC = Ecuador
country-ES = España
country-FR = Francia
country-GB = Reino Unido
country-IT = Italia
country-MM = Birmania
country-MX = México
country-NI = Nicaragua
country-PA = Panamá
country-PE = Perú
country-PT = Portugal
country-US = Estados Unidos
country-VE = Venezuela

## Errores

error-title-400 = Solicitud incorrecta
error-title-404 = Página no encontrada
error-title-500 = Error interno
error-bad-page = El número de página debe ser un número entero a partir de 1.
error-bad-per-page = El número de filas por página debe ser un número entero de 1 a 1000.
error-bad-country = País desconocido: use un código ISO de dos letras, como CU, VE o NI.
error-bad-status = Situación desconocida: elija una de la lista.
error-query-too-long = El texto de búsqueda es demasiado largo.
error-bad-query = La dirección contiene caracteres no válidos.
error-not-found = La página que busca no existe.
error-internal = Algo falló de nuestro lado. Vuelva a intentarlo más tarde.
error-back-home = Volver al inicio

## Anuncios

nav-announcements = Anuncios
ann-list-title = Anuncios de excarcelaciones
ann-list-note = Lo que anunciaron los gobiernos, frente a las personas cuya excarcelación verificaron grupos independientes, nombre por nombre.
ann-list-empty = Aún no hay ningún anuncio registrado.
ann-title = Anuncio
ann-date = Fecha
ann-issuer = Anunciado por
ann-claim-kind = Dice contar
ann-claimed = Cifra anunciada
ann-claim-none = sin cifra
ann-fallback = Este anuncio no tiene texto en este idioma; se muestra en el idioma en que se registró.
ann-figures = Anunciado frente a verificado
ann-figures-note = La cifra anunciada es la de quien anuncia, sin nombres. Las demás cifras cuentan personas del registro, nombre por nombre; cada una enlaza con los nombres que la forman. Las personas cuyas familias pidieron no publicarlas nunca se nombran.
ann-small-cell = Las personas cuyas familias pidieron no publicarlas se cuentan en grupos de { $k }: su número en cada cifra se redondea hacia abajo a un múltiplo de { $k }, para que ninguna cifra dé su número exacto.
ann-country-total = Todos estos anuncios
ann-country-total-note = Las cifras anunciadas se suman tal como se anunciaron (no las que solo se dijeron con palabras); las excarcelaciones verificadas se suman sobre los anuncios, como las cuenta cada página.
ann-more-than-claimed = Se verificaron más excarcelaciones de las que este anuncio afirmó.
ann-figure = Cifra
ann-chart-title = Anunciado, nombrado, excarcelación verificada y aún privado de libertad
ann-bar-claimed = Anunciado
ann-unnamed =
    { PLURAL($count) ->
        [one] 1 persona más se cuenta aquí sin nombrarla: su familia pidió no publicar el nombre.
       *[other] { $count } personas más se cuentan aquí sin nombrarlas: sus familias pidieron no publicar sus nombres.
    }
figure-list = Nombres en la lista anunciada
figure-matched = Identificados en el registro (confirmado por una persona)
figure-named = En el registro, con un hecho de este anuncio
figure-verified = Excarcelación verificada
figure-unverified = Excarcelación sin fuente (no verificada)
figure-conditional = excarcelados con condiciones
figure-still_confined = enviados a prisión domiciliaria
figure-expelled = desterrados o deportados
figure-full_freedom = liberados sin condiciones
figure-reopened = revocados, detenidos de nuevo o con nuevos cargos desde entonces
figure-still_held = de nuevo privados de libertad hoy
issuer-government = gobierno
issuer-court = tribunal
issuer-church_mediator = mediación de la Iglesia
issuer-foreign_government = gobierno extranjero
issuer-other = otro
claim-releases = excarcelaciones
claim-pardons = indultos
claim-sentence_reductions = reducciones de condena

## Las personas privadas de libertad de un país a lo largo del tiempo
held-chart-title = Privadas de libertad al final de cada mes, con excarcelaciones y anuncios
held-chart-note = La línea cuenta las personas publicadas de este país a las que su cronología mantiene privadas de libertad (en prisión, bajo arresto domiciliario o desaparecidas) al final de cada mes, según las fechas que sin duda habían pasado. Las barras son las excarcelaciones fechadas dentro de cada mes: en verde las verificadas (una fuente pública o una verificación registrada), en gris las que no tienen fuente. Cada línea discontinua es un anuncio, numerado como en la tabla.
held-month = Mes
held-held = Privadas de libertad
held-releases = Excarcelaciones del mes
held-verified = Excarcelaciones verificadas
held-unverified = Excarcelaciones sin fuente
held-announcements = Anuncios
held-unplaced = { PLURAL($n) ->
        [one] Una excarcelación tiene una fecha demasiado imprecisa (solo el año, por ejemplo) para situarla en un mes, y no se muestra.
       *[other] { $n } excarcelaciones tienen fechas demasiado imprecisas (solo el año, por ejemplo) para situarlas en un mes, y no se muestran.
    }

## Declaraciones y sus firmantes
nav-statements = Declaraciones
st-list-title = Declaraciones
st-list-empty = Aún no se ha publicado ninguna declaración.
st-status-open = Abierta a firmas
st-status-closed = Cerrada
st-signatures = { PLURAL($n) ->
        [one] una firma
       *[other] { $n } firmas
    }
st-concerns = Se refiere a
st-addressed = Dirigida a
st-fallback = Esta declaración aún no tiene versión en español; se muestra en el idioma en que fue escrita.
st-counts-title = Firmantes
st-counts-note = Una firma cuenta cuando quien firma la confirma desde su correo. Los nombres se muestran tras una revisión, como cada firmante eligió: nombre completo, iniciales o nada. Los correos no se muestran nunca.
st-total = Total
st-cat-former_prisoner = Ex preso político
st-cat-relative = Familiar de un detenido
st-cat-activist_inside = Activista en el país
st-cat-activist_exile = Activista en el exilio
st-cat-foreign_supporter = Simpatizante extranjero
st-cat-organisation = Organización
st-years = { PLURAL($n) ->
        [one] 1 año
       *[other] { $n } años
    }
st-verified = verificado
st-list-names = Nombres en la lista
st-list-none = Aún no se muestra ningún nombre.
st-download = La lista pública
st-sign-title = Firma esta declaración
st-sign-note = Tu correo se usa solo para confirmar tu firma. Nunca se muestra, publica ni comparte.
st-field-name = Tu nombre
st-field-email = Tu correo electrónico
st-field-category = Firmas como
st-field-years = Años de prisión (solo ex presos políticos)
st-field-country = Tu país
st-field-visibility = En la lista pública, mostrar
st-vis-full_name = mi nombre completo y país
st-vis-initials = mis iniciales y país
st-vis-counted_only = nada: solo contar mi firma
st-field-link = Soy ex preso político o familiar de un detenido, y autorizo al equipo a comprobar mi firma con los datos del registro.
st-submit = Firmar
st-errors = Algunas respuestas necesitan otra mirada:
st-err-name = Escribe tu nombre, en 200 caracteres como máximo.
st-err-email = Escribe un correo donde puedas recibir la confirmación.
st-err-category = Elige cómo firmas.
st-err-years_served = Los años de prisión los indican solo los ex presos políticos, como un número de 1 a 60.
st-err-country = Elige tu país.
st-err-visibility = Elige cómo apareces en la lista.
st-closed-title = Cerrada
st-closed = Esta declaración está cerrada y ya no recibe firmas.
st-form-expired-title = Formulario caducado
st-form-expired = Este formulario ha caducado o no viene de este sitio. Vuelve a cargar la página de la declaración y firma de nuevo.
st-signed-title = Revisa tu correo
st-signed-body = Te hemos enviado un mensaje a la dirección que diste. Abre el enlace que contiene para confirmar tu firma: hasta entonces no cuenta. Si no llega nada en unos minutos, mira en la carpeta de correo no deseado.
st-confirm-title = Confirma tu firma
st-confirm-body = Pulsa el botón para confirmar tu firma en
st-confirm-appears = Aparecería en la lista como { $name }, { $category } (tras revisión).
st-confirm-counted = Se contaría sin nombre, como { $category }.
st-confirm-not-you = Si no firmaste, o no así, no pulses el botón: sin él nada cuenta.
st-confirm-button = Confirmar mi firma
st-confirmed = Gracias: tu firma está confirmada y cuenta.
st-already = Tu firma ya estaba confirmada. Cuenta una sola vez.
st-link-bad = Este enlace de confirmación no es válido. Copia el enlace completo del mensaje, o firma de nuevo para recibir otro.
st-link-expired = Este enlace de confirmación ha caducado. Firma de nuevo para recibir otro.
st-link-unknown = Esta firma ya no existe.
st-back = Volver a la declaración

## Fechas y duraciones, en palabras
date-approx = hacia { $date }
date-uncertain = { $date } (sin confirmar)
date-between = entre { $from } y { $to }
date-before = antes del { $date }
date-after = después del { $date }
date-unknown = fecha desconocida
dur-years =
    { PLURAL($years) ->
        [one] 1 año
       *[other] { $years } años
    }
dur-months =
    { PLURAL($months) ->
        [one] 1 mes
       *[other] { $months } meses
    }
dur-years-months = { $years } y { $months }
age-years =
    { PLURAL($years) ->
        [one] 1 año
       *[other] { $years } años
    }
age-between = entre { $from } y { $to } años
person-age-at-arrest = Edad en la primera detención
person-time-held = Tiempo privado de libertad
held-still = { $duration }, y sigue privado de libertad
held-note = Contado desde los días que las fechas dan por seguros: nunca más de lo que dicen.
person-last-verified = Última verificación
person-lead = En resumen
det-heading = Detención { $n } de { $total }
det-heading-one = Detención
det-sentence-pronounced = según la sentencia
det-sentence-end = Fin de la condena
det-sentence-ended = La condena terminó
det-served = Tiempo en prisión
in-registry-language = (en español, como se registró)

## Cifras de un país e informes mensuales
nav-figures = Cifras
fig-not-recorded = Sin registrar
fig-held-now =
    { PLURAL($count) ->
        [one] 1 persona privada de libertad hoy
       *[other] { $count } personas privadas de libertad hoy
    }
fig-note = En prisión, bajo arresto domiciliario o desaparecidas, según sus cronologías; solo casos publicados. Un evento cuenta en un mes solo si su fecha cae por completo dentro de él.
fig-contents = En esta página
fig-by-status = Por situación
fig-by-province = Por provincia
fig-by-prison = Por prisión (última detención)
fig-by-sex = Por sexo
sex-M = Hombres
sex-F = Mujeres
sex-X = Otro
fig-minors = Menores en su primera detención
fig-minor-yes = Menores de 18 (seguro)
fig-minor-no = 18 o más (seguro)
fig-minor-unknown = Las fechas no lo dicen
fig-nationality = Nacionalidad
fig-foreigners = Extranjeros
fig-nationals = Nacionales
fig-foreigners-by-nationality = Extranjeros por nacionalidad
fig-by-court = Por tribunal (última detención)
fig-court-military = Tribunal militar
fig-court-ordinary = Tribunal ordinario
fig-court-unknown = Sin tribunal registrado
fig-flows = Entradas y salidas, mes a mes
fig-flows-note = Entradas: detenciones, nuevas detenciones y excarcelaciones revocadas. Salidas: excarcelaciones de todo tipo, destierro y muertes bajo custodia. Los eventos sin verificar también cuentan; el informe mensual los distingue.
fig-entries = Entradas
fig-exits = Salidas
fig-month = Mes
fig-reasons = Motivos
fig-unplaced = Eventos con fechas demasiado imprecisas para situarlos en un mes: { $count }.
fig-reports = Informes mensuales
fig-list-link = Las personas de este país
fig-announcements-link = Sus anuncios de excarcelación
report-title = { $country }: informe de { $month }
report-note = Contado a partir de las cronologías del registro, caso por caso; solo casos publicados. Las cifras anunciadas nunca se mezclan.
report-held-at-end = Privadas de libertad al cierre del mes
report-change = Variación en el mes
report-new-cases = Casos nuevos (primera detención)
report-deaths = Muertes bajo custodia
report-health-alerts = Alertas de salud
report-exits-by-kind = Salidas por tipo
report-entries-by-kind = Entradas por tipo
report-none = Ninguno registrado.
report-unverified = sin verificar
report-prev = Mes anterior
report-next = Mes siguiente
fig-table = Tabla de las cifras
feed-label = Canales Atom
feed-cases-short = casos nuevos
feed-changes-short = cambios de situación
feed-cases = { $country }: casos nuevos
feed-changes = { $country }: cambios de situación
fig-download = La lista pública completa (CSV)
