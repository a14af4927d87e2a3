//! The store conformance suite, one file per capability: `meta.rs`,
//! `person_reads.rs`, `person_writes.rs`, `edits.rs`, `snapshot.rs`,
//! `staff.rs`, `audit.rs`, `announcements.rs`, `statements.rs`.
//!
//! Every behaviour a backend must have is written here once, as an async
//! function over `&dyn Store`. Each backend crate instantiates the whole
//! suite with [`conformance_tests!`](crate::conformance_tests), giving it a
//! factory that returns a fresh, empty store (and a guard that drops the
//! database afterwards). `cargo test` then lists every case once per backend.
//! A new capability adds its file here and its cases to the macro.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod announcements;
pub mod audit;
mod edits;
mod meta;
mod person_reads;
mod person_writes;
mod snapshot;
pub mod staff;
pub mod statements;

pub use announcements::*;
pub use audit::*;
pub use edits::*;
pub use meta::*;
pub use person_reads::*;
pub use person_writes::*;
pub use snapshot::*;
pub use staff::*;
pub use statements::*;

pub(crate) use crate::{CaseBundle, PersonQuery, RegistryDump, Store, StoreError};
pub(crate) use libres_core::{
    Condition, CountryCode, Detention, EdtfDate, Event, EventKind, Person, PersonId, Release,
    ReleaseKind, Source, SourceKind, Status,
};

/// What a backend's test guard can do besides dropping its database:
/// open a second store on the same database, as a second process would.
#[async_trait::async_trait(?Send)]
pub trait Instances {
    /// Another store over the same database, with its own connections and
    /// caches.
    async fn another(&self) -> std::sync::Arc<dyn Store>;

    /// Runs one SQL statement on the database behind the store's back, as
    /// someone with access to the database could (to tamper with the
    /// audit log, say). Panics if it fails.
    async fn execute(&self, sql: &str);
}

/// Instantiates every conformance case as a `#[tokio::test]` in the calling
/// module. `$factory` is an async fn returning
/// `Option<(Arc<dyn Store>, guard)>`: a fresh, empty store and whatever drops
/// its database, or `None` when the backend is not configured here (the
/// test then says loudly that it was skipped; CI always configures every
/// backend).
#[macro_export]
macro_rules! conformance_tests {
    ($factory:path) => {
        $crate::conformance_tests!(@cases $factory;
            an_empty_registry_is_empty_and_counts_nothing,
            every_committed_write_changes_the_version,
            an_update_keeps_the_fields_it_is_told_to_keep,
            the_published_lookup_never_returns_an_unpublished_person,
            a_registry_remembers_that_it_is_synthetic,
            upserted_persons_read_back_field_for_field,
            importing_the_same_persons_again_changes_nothing,
            updating_a_person_records_who_changed_what,
            updates_keep_fields_the_csv_does_not_carry,
            duplicate_ids_in_one_import_write_nothing,
            cases_keep_detentions_events_and_sources,
            a_batch_with_an_existing_id_writes_nothing,
            status_is_derived_from_the_timeline_and_follows_new_events,
            events_come_back_in_chronological_order,
            adding_an_event_to_an_unknown_person_is_not_found,
            adding_an_event_citing_an_unknown_source_writes_nothing,
            an_import_in_many_batches_applies_whole_or_not_at_all,
            export_streams_every_person_in_id_order_across_chunks,
            a_restore_whose_stream_stops_early_writes_nothing,
            search_ignores_accents_and_case,
            search_matches_word_prefixes_and_aliases,
            search_filters_by_country_and_status,
            search_pages_in_name_order,
            unpublished_persons_are_counted_but_never_listed,
            public_export_drops_confidential_fields_and_unpublished_persons,
            export_is_ordered_by_id_with_derived_status,
            a_restore_that_fails_midway_leaves_the_registry_as_it_was,
            a_new_account_gets_a_setup_link_and_cannot_log_in_before_setup,
            setting_up_an_account_enrols_totp_and_uses_up_the_link,
            expired_or_unknown_setup_links_are_refused,
            a_replayed_totp_code_is_refused,
            recovery_codes_log_in_once_each,
            failed_logins_slow_down_one_network_without_locking_the_account,
            sessions_end_after_the_idle_timeout_and_the_absolute_lifetime,
            a_role_change_or_a_disabled_account_takes_effect_on_open_sessions,
            the_last_working_administrator_cannot_be_demoted_or_disabled,
            logging_out_ends_one_session_or_all_of_them,
            every_write_appends_to_a_chain_that_verifies,
            the_audit_log_names_confidential_fields_but_never_their_values,
            a_failed_write_appends_nothing,
            detentions_are_added_and_edited_with_a_change_per_field,
            sources_are_added_and_edited_and_the_audit_never_holds_a_confidential_title,
            editing_an_event_replaces_it_and_rederives_the_status,
            a_person_edit_replaces_every_field_even_those_an_import_keeps,
            an_edit_that_changes_nothing_writes_nothing,
            a_deleted_detention_stays_in_the_history,
            sources_are_listed_with_their_citations_and_only_uncited_ones_deleted,
            an_announcement_is_stored_whole_and_listed_newest_first,
            an_announcement_that_cannot_be_stored_writes_nothing,
            editing_an_announcement_replaces_it_and_names_the_fields,
            a_source_an_announcement_cites_stays_until_the_announcement_goes,
            a_release_belongs_to_an_announcement_and_says_who_verified_it,
            a_named_list_keeps_proposals_until_a_person_decides_once,
            a_countrys_timelines_are_its_published_persons_marked_as_backed_in_public,
            linking_to_an_announcement_while_it_is_deleted_ends_one_way_or_the_other,
            an_arrest_a_release_follows_is_neither_deleted_nor_moved_past_it,
            a_statement_is_stored_whole_and_edited_with_an_audit_entry,
            signatures_are_taken_in_batches_once_per_mailbox_with_their_mail,
            a_confirmation_counts_once_and_the_public_list_shows_what_was_chosen_and_approved,
            a_registry_link_needs_consent_and_takes_the_years_from_the_timeline,
            a_closed_statements_signatures_are_anonymised_after_the_period,
            the_site_key_is_made_once_and_shared
        );
        $crate::conformance_tests!(@raw $factory;
            a_session_of_a_deleted_account_is_refused,
            an_altered_audit_entry_is_found,
            an_entry_given_a_new_hash_breaks_the_link_after_it,
            a_deleted_audit_entry_is_found,
            deleting_the_newest_audit_entries_is_found,
            a_chain_rewritten_whole_fails_its_anchor,
            purging_history_removes_only_old_confidential_values
        );
        $crate::conformance_tests!(@instances $factory;
            a_second_instance_sees_every_write_at_once,
            two_instances_importing_at_once_both_succeed
        );
        $crate::conformance_tests!(@pairs $factory;
            a_registry_restored_elsewhere_dumps_the_same,
            restore_refuses_a_registry_that_is_not_empty,
            restore_with_replace_replaces_everything,
            a_streamed_copy_arrives_whole_and_compares_equal,
            a_restore_is_recorded_in_the_targets_own_chain,
            statements_and_signatures_travel_whole_in_a_copy
        );
    };
    (@raw $factory:path; $($case:ident),*) => {
        $(
            #[tokio::test]
            async fn $case() {
                let Some((store, guard)) = $factory().await else {
                    use ::std::io::Write as _;
                    let _ = writeln!(
                        ::std::io::stderr(),
                        "*** SKIPPED {}::{}: backend not configured (see the README, \"Test it\")",
                        module_path!(),
                        stringify!($case)
                    );
                    return;
                };
                $crate::conformance::$case(&*store, &guard).await;
            }
        )*
    };
    (@instances $factory:path; $($case:ident),*) => {
        $(
            #[tokio::test]
            async fn $case() {
                let Some((store, guard)) = $factory().await else {
                    use ::std::io::Write as _;
                    let _ = writeln!(
                        ::std::io::stderr(),
                        "*** SKIPPED {}::{}: backend not configured (see the README, \"Test it\")",
                        module_path!(),
                        stringify!($case)
                    );
                    return;
                };
                let other = $crate::conformance::Instances::another(&guard).await;
                $crate::conformance::$case(&*store, &*other).await;
            }
        )*
    };
    (@pairs $factory:path; $($case:ident),*) => {
        $(
            #[tokio::test]
            async fn $case() {
                let (Some((a, _guard_a)), Some((b, _guard_b))) = ($factory().await, $factory().await) else {
                    use ::std::io::Write as _;
                    let _ = writeln!(
                        ::std::io::stderr(),
                        "*** SKIPPED {}::{}: backend not configured (see the README, \"Test it\")",
                        module_path!(),
                        stringify!($case)
                    );
                    return;
                };
                $crate::conformance::$case(&*a, &*b).await;
            }
        )*
    };
    (@cases $factory:path; $($case:ident),*) => {
        $(
            #[tokio::test]
            async fn $case() {
                let Some((store, _guard)) = $factory().await else {
                    // Straight to the process's stderr: the test harness
                    // swallows `eprintln!` of passing tests, and a skip
                    // must never pass silently.
                    use ::std::io::Write as _;
                    let _ = writeln!(
                        ::std::io::stderr(),
                        "*** SKIPPED {}::{}: backend not configured (see the README, \"Test it\")",
                        module_path!(),
                        stringify!($case)
                    );
                    return;
                };
                $crate::conformance::$case(&*store).await;
            }
        )*
    };
}

pub fn cc(s: &str) -> CountryCode {
    CountryCode::parse(s).unwrap()
}

pub fn date(s: &str) -> EdtfDate {
    EdtfDate::parse(s).unwrap()
}

/// A person with every field filled in.
pub fn person(id: &str, given: &str, s1: &str, s2: Option<&str>, country: &str) -> Person {
    Person {
        id: PersonId::parse(id).unwrap(),
        given_names: given.into(),
        surname1: s1.into(),
        surname2: s2.map(Into::into),
        aliases: vec![],
        sex: Some(libres_core::Sex::M),
        birth_date: Some(date("1985~")),
        nationalities: vec![cc(country)],
        country: cc(country),
        province: Some("La Habana".into()),
        occupation: None,
        summary: None,
        publish: true,
        private_notes: Some(format!("PRIVATE-NOTE-{id}")),
        family_contact: Some(format!("FAMILY-CONTACT-{id}")),
    }
}

pub fn event(kind: EventKind, d: &str) -> Event {
    Event::new(kind, date(d))
}

pub fn release(d: &str, kind: ReleaseKind, conditions: Vec<Condition>) -> Event {
    Event {
        release: Some(Release { kind, conditions }),
        ..event(EventKind::Release, d)
    }
}

pub fn case(p: Person, events: Vec<Event>) -> CaseBundle {
    CaseBundle {
        person: p,
        detentions: vec![],
        events,
        sources: vec![],
    }
}

pub fn id(s: &str) -> PersonId {
    PersonId::parse(s).unwrap()
}

pub async fn names(store: &dyn Store, q: PersonQuery) -> Vec<String> {
    store
        .search_persons(&q)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|s| s.id.to_string())
        .collect()
}

pub fn query(q: &str) -> PersonQuery {
    PersonQuery {
        q: Some(q.into()),
        ..PersonQuery::default()
    }
}

/// Fills `store` with a registry that uses everything a dump must carry:
/// detentions, events with sources (one source cited by two persons, one
/// cited by nobody after the fact is impossible, so every kind of link),
/// confidential and unpublished data, awkward text, updates and events
/// added later by other actors (so history has several entries and
/// `updated_at` differs from `created_at`), and events on the same day
/// (whose order is insertion order).
pub async fn fill_registry(store: &dyn Store) {
    let p = person("CU-3", "Dayami", "Hernández", Some("Cruz"), "CU");
    let detention = Detention {
        id: 0,
        arrest_date: Some(date("2021-07-11")),
        arrest_place: Some("San Antonio de los Baños".into()),
        authority: Some("DSE".into()),
        charges: vec!["cu.desordenes".into(), "cu.sedicion".into()],
        court: Some("Tribunal \"Provincial\", {Artemisa}".into()),
        sentence: Some("10 años".into()),
        sentence_months: Some(120),
        prison: Some("Combinado del Este".into()),
    };
    let public = Source {
        id: 0,
        url: Some("https://example.org/a".into()),
        title: "Informe mensual".into(),
        publisher: Some("ONG".into()),
        date: Some(date("2021-08")),
        kind: SourceKind::NgoReport,
        confidential: false,
    };
    let secret = Source {
        title: "Testimonio de familiar".into(),
        url: None,
        date: None,
        kind: SourceKind::Testimony,
        confidential: true,
        ..public.clone()
    };
    let mut arrest = event(EventKind::Arrest, "2021-07-11");
    arrest.place = Some("San Antonio de los Baños".into());
    arrest.source_ids = vec![1, 0];
    let mut parole = release(
        "2025-01-1X",
        ReleaseKind::Parole,
        vec![Condition::PeriodicPresentation, Condition::TravelBan],
    );
    parole.source_ids = vec![0];
    parole.description = Some("línea 1\nlínea 2 \\ \"comillas\"".into());
    let mut hidden = person("NI-1", "Oculta", "Reservada", None, "NI");
    hidden.publish = false;
    hidden.aliases = vec!["La Flaca".into(), "a, b".into(), "{x}".into()];
    hidden.occupation = Some("periodista".into());
    hidden.summary = Some("Detenida en Managua.".into());
    let mut bare = person("VE-2", "Yoandri", "Pérez", None, "VE");
    bare.sex = None;
    bare.birth_date = None;
    bare.province = None;
    bare.private_notes = None;
    bare.family_contact = None;
    bare.nationalities = vec![];
    store
        .insert_cases(
            &[
                CaseBundle {
                    person: p.clone(),
                    detentions: vec![detention.clone(), Detention { id: 0, ..detention }],
                    events: vec![parole, arrest],
                    sources: vec![public, secret],
                },
                case(
                    hidden.clone(),
                    vec![
                        event(EventKind::Arrest, "2023"),
                        event(EventKind::Transfer, "2024"),
                        event(EventKind::Disappearance, "2024"),
                        event(EventKind::Trial, "2024"),
                    ],
                ),
                case(bare.clone(), vec![]),
            ],
            "system",
        )
        .await
        .unwrap();
    store
        .upsert_persons(&[person("CU-10", "Ana", "López", None, "CU")], &[], "cli")
        .await
        .unwrap();
    let mut moved = hidden.clone();
    moved.province = Some("Masaya".into());
    store.upsert_persons(&[moved], &[], "alice").await.unwrap();
    // A source of one person cited by another's event, and by an
    // announcement; the event belongs to that announcement and says who
    // verified it.
    let cited = store.get_person(&p.id).await.unwrap().unwrap().sources[0].id;
    let mut cuba = announcements::cuba_553();
    cuba.source_ids = vec![cited];
    let announced = store.add_announcement(&cuba, "carla").await.unwrap();
    let dozens = libres_core::Announcement {
        country: cc("NI"),
        claimed: None,
        claimed_words: Some("decenas, \"según\" fuentes".into()),
        ..announcements::cuba_553()
    };
    store.add_announcement(&dozens, "carla").await.unwrap();
    let mut exile = event(EventKind::Exile, "2025-10-13");
    exile.source_ids = vec![cited];
    exile.announcement_id = Some(announced);
    exile.verification = Some(libres_core::Verification {
        by: vec!["Prisoners Defenders".into(), "Justicia 11J".into()],
        on: Some(date("2025-10-1X")),
    });
    store.add_event(&bare.id, &exile, "bob").await.unwrap();
    // Its named list: one name confirmed, one left to review.
    store
        .set_named_list(announced, &announcements::two_names(), "carla")
        .await
        .unwrap();
    let first = store.named_list(announced).await.unwrap()[0].id;
    store
        .decide_name(
            announced,
            first,
            libres_core::Review::Confirmed,
            Some(&p.id),
            "dana",
        )
        .await
        .unwrap();
}

/// Every person's export row, case page (keys aside) and history.
pub async fn visible_state(store: &dyn Store) -> Vec<String> {
    let mut out = Vec::new();
    for (p, status) in export(store, false).await {
        let mut r = store.get_person(&p.id).await.unwrap().unwrap();
        let sources: Vec<i64> = r.sources.iter().map(|s| s.id).collect();
        let rank = |id: i64| {
            sources
                .iter()
                .position(|s| *s == id)
                .map_or(-1, |i| i as i64)
        };
        for e in &mut r.events {
            e.id = 0;
            e.source_ids = e.source_ids.iter().map(|s| rank(*s)).collect();
        }
        for d in &mut r.detentions {
            d.id = 0;
        }
        for s in &mut r.sources {
            s.id = 0;
        }
        let history = store.person_history(&p.id).await.unwrap();
        out.push(format!("{p:?} {status:?} {r:?} {history:?}"));
    }
    out
}

/// Every person of `store`, exported into memory.
pub async fn export(store: &dyn Store, public_only: bool) -> Vec<(Person, Status)> {
    let mut all = Vec::new();
    store.export_persons(public_only, &mut all).await.unwrap();
    all
}

/// The whole registry of `store`, in memory.
pub async fn read_all(store: &dyn Store) -> RegistryDump {
    RegistryDump::read(store).await.unwrap()
}
