## Libres — public site in English.

site-name = Libres
site-tagline = Registry of political prisoners
demo-banner = Synthetic demo data — no real person
nav-home = Home
nav-persons = Persons
# List separator (nationalities, conditions).
list-separator = { ", " }
lang-label = Language
footer-text = Libres is free software for documenting political prisoners. This site uses no cookies and no tracking.

## Home

home-title = Political prisoners in figures
home-held = Still deprived of liberty: in prison, under house arrest or disappeared
home-as-of = As of { $date }
home-latest-announcements = Latest release announcements: claimed against verified
home-total = Persons in the registry
home-by-country = By country of detention
home-by-status = By current status
home-counts-note = These figures count only the persons whose families agreed to publication, as the list does: persons whose families declined are neither named nor counted here, so that no figure can point at one of them.
home-empty = The registry holds no person yet.
home-search-title = Search the registry

## Search and list

search-label = Name
search-button = Search
filter-country = Country
filter-status = Status
filter-any = All
list-title = Persons
list-results =
    { PLURAL($count) ->
        [one] 1 person
       *[other] { $count } persons
    }
list-born = born { $date }
list-arrested = arrested { $date }
list-empty = No published person matches the search.
list-suggest = Did you mean:
search-hint = The search also finds names written differently that sound alike (Yoandry, Yoandri), familiar forms (Pepe, José) and particles written together (Delacruz).
list-page = Page { $page } of { $pages }
list-prev = Previous
list-next = Next
list-pagination = Pagination
col-name = Name
col-country = Country
col-place = Where
col-province = Province
col-status = Status
col-count = Persons

## Person page

person-id = Identifier
person-aliases = Also known as
person-country = Country of detention
person-province = Province
person-birth-date = Date of birth
person-nationality = Nationality
person-occupation = Occupation
person-status = Current status
person-status-note = The status is derived from the timeline of events; nobody types it in.
person-summary = Summary
person-detentions = Detentions
person-timeline = Timeline
person-timeline-empty = No events recorded yet.
person-sources = Sources
dates-note = Dates follow the EDTF standard: “~” marks an approximate date, “?” an uncertain one and “X” an unknown digit.
det-arrest-date = Date of arrest
det-arrest-place = Place of arrest
det-authority = Arresting authority
det-charges = Charges
det-court = Court
det-sentence = Sentence
det-sentence-months =
    { PLURAL($months) ->
        [one] 1 month
       *[other] { $months } months
    }
det-prison = Prison
event-release-kind = Kind of release
event-conditions = Conditions
event-place = Place
event-unverified = Unverified: no published source or verification backs this change of status yet.
event-verified-by = Verified by
event-announcement = Counted in a release announcement
event-sources = Sources
source-kind = Kind
source-publisher = Published by
source-date = Date

## Status (derived from the timeline)

status-detained = Detained
status-disappeared = Disappeared
status-house_arrest = House arrest
status-conditional_release = Conditional release
status-released = Released
status-exiled = Exiled
status-died_in_custody = Died in custody
status-unknown = Unknown
status-desc-detained = In prison or police custody.
status-desc-disappeared = Held by the state; whereabouts unknown.
status-desc-house_arrest = Out of prison but confined at home.
status-desc-conditional_release = Out of prison under conditions that can be revoked: not full freedom.
status-desc-released = Released without conditions, or sentence served.
status-desc-exiled = Expelled from the country, or exiled as a condition of release.
status-desc-died_in_custody = Died in state custody.
status-desc-unknown = No events recorded yet.

## Event kinds

event-arrest = Arrest
event-charge = Charge
event-trial = Trial
event-sentence = Sentence
event-transfer = Transfer
event-hunger_strike = Hunger strike
event-health_alert = Health alert
event-release = Release
event-revocation = Release revoked
event-re_arrest = Re-arrest
event-new_charge = New charge
event-disappearance = Enforced disappearance
event-reappearance = Reappearance
event-death_in_custody = Death in custody
event-exile = Exile

## Release kinds

release-unconditional = Unconditional release
release-sentence_served = Sentence served
release-parole = Parole (libertad condicional)
release-medical_leave = Medical leave (licencia extrapenal)
release-early_release = Early release (excarcelación anticipada)
release-substitute_measure = Substitute precautionary measure
release-house_arrest = House arrest
release-forced_exile = Forced exile (destierro)
release-deportation = Deportation

## Release conditions

condition-periodic_presentation = Periodic presentation before a court
condition-travel_ban = Travel ban
condition-gag_order = Gag order
condition-statelessness = Stripped of nationality
condition-confiscation = Property confiscated

## Source kinds

source-kind-article = Press article
source-kind-ngo_report = NGO report
source-kind-testimony = Testimony
source-kind-court_document = Court document
source-kind-official_statement = Official statement
source-kind-social_media = Social media

## Countries

country-AR = Argentina
country-BY = Belarus
country-CL = Chile
country-CO = Colombia
country-CR = Costa Rica
country-CU = Cuba
country-DE = Germany
country-EC = Ecuador
country-ES = Spain
country-FR = France
country-GB = United Kingdom
country-IT = Italy
country-MM = Myanmar
country-MX = Mexico
country-NI = Nicaragua
country-PA = Panama
country-PE = Peru
country-PT = Portugal
country-US = United States
country-VE = Venezuela

## Errors

error-title-400 = Bad request
error-title-404 = Page not found
error-title-500 = Internal error
error-bad-page = The page number must be a whole number from 1 up.
error-bad-per-page = The number of rows per page must be a whole number from 1 to 1000.
error-bad-country = Unknown country: use a two-letter ISO code such as CU, VE or NI.
error-bad-status = Unknown status: pick one from the list.
error-query-too-long = The search text is too long.
error-bad-query = The address contains invalid characters.
error-not-found = The page you are looking for does not exist.
error-internal = Something went wrong on our side. Please try again later.
error-back-home = Back to the home page

## Announcements

nav-announcements = Announcements
ann-list-title = Release announcements
ann-list-note = What governments announced, set against the persons whose release independent groups verified by name.
ann-list-empty = No announcement recorded yet.
ann-title = Announcement
ann-date = Date
ann-issuer = Announced by
ann-claim-kind = It claims to count
ann-claimed = Claimed
ann-claim-none = no number given
ann-fallback = This announcement has no text in this language; it is shown in the language it was recorded in.
ann-figures = Claimed against verified
ann-figures-note = The claimed count is the announcer's, without names. Every other figure counts persons on the registry, name by name; each links to the names behind it. Persons whose families asked not to publish them are never named.
ann-small-cell = Persons whose families asked not to publish them are counted in groups of { $k }: their number in a figure is rounded down to a multiple of { $k }, so that no figure gives their exact number.
ann-country-total = All these announcements
ann-country-total-note = The claimed numbers are summed as announced (claims in words alone are not); the verified releases are summed over the announcements, as each page counts them.
ann-more-than-claimed = More releases were verified than this announcement claimed.
ann-figure = Figure
ann-chart-title = Claimed, named, verified released and still held
ann-bar-claimed = Claimed by the announcer
ann-unnamed =
    { PLURAL($count) ->
        [one] 1 more person is counted here but not named: the family asked not to publish the name.
       *[other] { $count } more persons are counted here but not named: their families asked not to publish their names.
    }
figure-list = Names on the announced list
figure-matched = Matched to the registry (confirmed by a person)
figure-named = On the registry, with an event of this announcement
figure-verified = Verified released
figure-unverified = Release without a source (unverified)
figure-conditional = released under conditions
figure-still_confined = released to house arrest
figure-expelled = released into exile or deported
figure-full_freedom = released without conditions
figure-reopened = revoked, re-arrested or charged again since
figure-still_held = deprived of liberty again today
issuer-government = government
issuer-court = court
issuer-church_mediator = church mediator
issuer-foreign_government = foreign government
issuer-other = other
claim-releases = releases
claim-pardons = pardons
claim-sentence_reductions = sentence reductions

## A country's persons held over time
held-chart-title = Deprived of liberty at the end of each month, with releases and announcements
held-chart-note = The line counts this country's published persons whose timeline holds them (in prison, under house arrest or disappeared) at the end of each month, by the dates that had surely passed. The bars are the releases dated within each month: verified ones (a public source or a recorded verification) in green, those without a source in grey. Each dashed line is an announcement, numbered as in the table.
held-month = Month
held-held = Deprived of liberty
held-releases = Releases in the month
held-verified = Releases verified
held-unverified = Releases without a source
held-announcements = Announcements
held-unplaced = { PLURAL($n) ->
        [one] One release is dated too coarsely (only its year, say) to place in a month, and is not shown.
       *[other] { $n } releases are dated too coarsely (only their year, say) to place in a month, and are not shown.
    }

## Statements and their signatories
nav-statements = Statements
st-list-title = Statements
st-list-empty = No statement has been published yet.
st-status-open = Open for signing
st-status-closed = Closed
st-signatures = { PLURAL($n) ->
        [one] one signature
       *[other] { $n } signatures
    }
st-concerns = Concerning
st-addressed = Addressed to
st-fallback = This statement has no English version yet; it is shown in the language it was written in.
st-counts-title = Signatories
st-counts-note = A signature counts once its signer confirms it from their email. Names are shown after review, as each signer chose: full name, initials, or not at all. Email addresses are never shown.
st-total = Total
st-cat-former_prisoner = Former political prisoner
st-cat-relative = Relative of a detainee
st-cat-activist_inside = Activist in the country
st-cat-activist_exile = Activist in exile
st-cat-foreign_supporter = Foreign supporter
st-cat-organisation = Organisation
st-years = { PLURAL($n) ->
        [one] 1 year
       *[other] { $n } years
    }
st-verified = verified
st-list-names = Names on the list
st-list-none = No names are shown yet.
st-download = The public list
st-sign-title = Sign this statement
st-sign-note = Your email address is used only to confirm your signature. It is never shown, published or shared.
st-field-name = Your name
st-field-email = Your email address
st-field-category = You sign as
st-field-years = Years served (former political prisoners only)
st-field-country = Your country
st-field-visibility = On the public list, show
st-vis-full_name = my full name and country
st-vis-initials = my initials and country
st-vis-counted_only = nothing: only count my signature
st-field-link = I am a former political prisoner or a detainee's relative, and I allow the staff to check my signature against the registry's records.
st-submit = Sign
st-errors = Some answers need another look:
st-err-name = Give your name, in at most 200 characters.
st-err-email = Give an email address where you can receive the confirmation.
st-err-category = Choose who you sign as.
st-err-years_served = Years served are given by former political prisoners only, as a number from 1 to 60.
st-err-country = Choose your country.
st-err-visibility = Choose how you appear on the list.
st-closed-title = Closed
st-closed = This statement is closed and takes no more signatures.
st-form-expired-title = Form expired
st-form-expired = This form has expired or did not come from this site. Reload the statement's page and sign again.
st-signed-title = Check your email
st-signed-body = We have sent a message to the address you gave. Open the link in it to confirm your signature: until then it is not counted. If nothing arrives within a few minutes, look in your spam folder.
st-confirm-title = Confirm your signature
st-confirm-body = Press the button to confirm your signature on
st-confirm-appears = It would appear on the list as { $name }, { $category } (after review).
st-confirm-counted = It would be counted, not named, as { $category }.
st-confirm-not-you = If you did not sign, or not like this, do not press the button: nothing counts without it.
st-confirm-button = Confirm my signature
st-confirmed = Thank you: your signature is confirmed and counted.
st-already = Your signature was already confirmed. It is counted once.
st-link-bad = This confirmation link is not valid. Copy the whole link from the message, or sign again to receive a new one.
st-link-expired = This confirmation link has expired. Sign again to receive a new one.
st-link-unknown = This signature no longer exists.
st-back = Back to the statement

## Dates and lengths of time, in words
date-approx = around { $date }
date-uncertain = { $date } (uncertain)
date-between = between { $from } and { $to }
date-before = before { $date }
date-after = after { $date }
date-unknown = date unknown
dur-years =
    { PLURAL($years) ->
        [one] 1 year
       *[other] { $years } years
    }
dur-months =
    { PLURAL($months) ->
        [one] 1 month
       *[other] { $months } months
    }
dur-years-months = { $years } and { $months }
age-years =
    { PLURAL($years) ->
        [one] 1 year old
       *[other] { $years } years old
    }
age-between = between { $from } and { $to } years old
person-age-at-arrest = Age at first arrest
person-time-held = Time deprived of liberty
held-still = { $duration }, and still held
held-note = Counted from the days the dates make certain, so never more than they say.
person-last-verified = Last verified
person-lead = In brief
det-heading = Detention { $n } of { $total }
det-heading-one = Detention
det-sentence-pronounced = as pronounced
det-sentence-end = Sentence ends
det-sentence-ended = Sentence ended
det-served = Time held
in-registry-language = (in Spanish, as recorded)

## A country's figures and monthly reports
nav-figures = Figures
fig-not-recorded = Not recorded
fig-held-now =
    { PLURAL($count) ->
        [one] 1 person deprived of liberty now
       *[other] { $count } persons deprived of liberty now
    }
fig-note = In prison, under house arrest or disappeared, by their timelines; published cases only. An event counts in a month only when its date lies wholly inside it.
fig-contents = On this page
fig-by-status = By status
fig-by-province = By province
fig-by-prison = By prison (latest detention)
fig-by-sex = By sex
sex-M = Men
sex-F = Women
sex-X = Other
fig-minors = Minors at their first arrest
fig-minor-yes = Under 18 (certain)
fig-minor-no = 18 or over (certain)
fig-minor-unknown = The dates do not say
fig-nationality = Nationality
fig-foreigners = Foreigners
fig-nationals = Nationals
fig-foreigners-by-nationality = Foreigners by nationality
fig-by-court = By court (latest detention)
fig-court-military = Military court
fig-court-ordinary = Ordinary court
fig-court-unknown = No court recorded
fig-flows = Entries and exits, month by month
fig-flows-note = Entries: arrests, re-arrests and revoked releases. Exits: releases of every kind, exile and deaths in custody. Unverified events are counted too; the monthly report tells them apart.
fig-entries = Entries
fig-exits = Exits
fig-month = Month
fig-reasons = Reasons
fig-unplaced = Events dated too coarsely to place in a month: { $count }.
fig-reports = Monthly reports
fig-list-link = The persons of this country
fig-announcements-link = Its release announcements
report-title = { $country }: report for { $month }
report-note = Counted from the registry's timelines, case by case; published cases only. Announced figures are never mixed in.
report-held-at-end = Deprived of liberty at the end of the month
report-change = Change over the month
report-new-cases = New cases (first arrest)
report-deaths = Deaths in custody
report-health-alerts = Health alerts
report-exits-by-kind = Exits by kind
report-entries-by-kind = Entries by kind
report-none = None recorded.
report-unverified = unverified
report-prev = Previous month
report-next = Next month
fig-table = Table of the figures
feed-label = Atom feeds
feed-cases-short = new cases
feed-changes-short = changes of status
feed-cases = { $country }: new cases
feed-changes = { $country }: changes of status
fig-download = The whole public list (CSV)
