//! Staff accounts: setup links, enrolment, login with a second factor,
//! throttling, sessions. Time is passed in, never slept through.

use super::*;
use crate::credentials::totp_code;
use crate::{LoginAttempt, LoginOutcome, SecondFactor, StaffUser};
use libres_core::staff::{SESSIONS, SETUP_LINK_SECS};
use libres_core::{Email, Role, UnixTime};
use std::net::IpAddr;

/// A moment to start from: 2025-06-15, on a step boundary.
pub const T0: UnixTime = UnixTime(1_749_945_600);

pub const PASSWORD: &str = "correct horse battery staple";

pub fn email(s: &str) -> Email {
    Email::parse(s).unwrap()
}

pub fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// An account set up at `at`: its TOTP secret and recovery codes.
pub async fn enrolled(
    store: &dyn Store,
    who: &str,
    role: Role,
    at: UnixTime,
) -> (String, Vec<String>) {
    let link = store.add_user(&email(who), role, "cli", at).await.unwrap();
    let enrolment = store.begin_setup(&link.token, at).await.unwrap();
    let code = totp_code(&enrolment.secret, at).unwrap();
    let codes = store
        .finish_setup(&link.token, PASSWORD, &code, at)
        .await
        .unwrap();
    (enrolment.secret, codes)
}

/// A login from `from` with the password and the code the app shows at `at`.
pub async fn login_at(
    store: &dyn Store,
    who: &str,
    secret: &str,
    from: &str,
    at: UnixTime,
) -> LoginOutcome {
    let code = totp_code(secret, at).unwrap();
    store
        .login(
            &LoginAttempt {
                email: who,
                password: PASSWORD,
                second_factor: SecondFactor::Totp(&code),
                client: ip(from),
            },
            at,
        )
        .await
        .unwrap()
}

/// The session token of a login that must succeed.
pub fn token(outcome: LoginOutcome) -> String {
    match outcome {
        LoginOutcome::LoggedIn { token, .. } => token,
        other => panic!("expected a login, got {other:?}"),
    }
}

pub async fn a_new_account_gets_a_setup_link_and_cannot_log_in_before_setup(store: &dyn Store) {
    let link = store
        .add_user(&email("Ana@Example.org"), Role::Editor, "cli", T0)
        .await
        .unwrap();
    assert_eq!(link.email.as_str(), "ana@example.org");
    assert_eq!(link.expires_at, T0.plus(SETUP_LINK_SECS));
    assert_eq!(link.token.len(), 64);
    let users = store.users().await.unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].email.as_str(), "ana@example.org");
    assert_eq!(users[0].role, Role::Editor);
    assert!(!users[0].enrolled && !users[0].disabled);
    let again = store
        .add_user(&email("ana@example.org"), Role::Viewer, "cli", T0)
        .await;
    assert!(
        matches!(again, Err(StoreError::AlreadyExists(_))),
        "{again:?}"
    );
    let attempt = LoginAttempt {
        email: "ana@example.org",
        password: "",
        second_factor: SecondFactor::Totp("000000"),
        client: ip("192.0.2.1"),
    };
    assert_eq!(
        store.login(&attempt, T0).await.unwrap(),
        LoginOutcome::Refused
    );
}

pub async fn setting_up_an_account_enrols_totp_and_uses_up_the_link(store: &dyn Store) {
    let link = store
        .add_user(
            &email("ana@example.org"),
            Role::Researcher,
            "admin@example.org",
            T0,
        )
        .await
        .unwrap();
    let first = store.begin_setup(&link.token, T0).await.unwrap();
    let again = store.begin_setup(&link.token, T0.plus(60)).await.unwrap();
    assert_eq!(first, again, "a reloaded setup page shows the same secret");
    assert!(first
        .otpauth_uri
        .starts_with("otpauth://totp/Libres:ana%40example.org?secret="));
    let t = T0.plus(120);
    let code = totp_code(&first.secret, t).unwrap();
    let weak = store.finish_setup(&link.token, "short", &code, t).await;
    assert!(matches!(weak, Err(StoreError::Invalid(_))), "{weak:?}");
    let wrong = store.finish_setup(&link.token, PASSWORD, "000000", t).await;
    assert!(matches!(wrong, Err(StoreError::Invalid(_))), "{wrong:?}");
    let codes = store
        .finish_setup(&link.token, PASSWORD, &code, t)
        .await
        .unwrap();
    assert_eq!(codes.len(), 10);
    assert!(
        store
            .user(&email("ana@example.org"))
            .await
            .unwrap()
            .unwrap()
            .enrolled
    );
    // The link is used up.
    let reopened = store.begin_setup(&link.token, t).await;
    assert!(
        matches!(reopened, Err(StoreError::NotFound(_))),
        "{reopened:?}"
    );
    let refinished = store.finish_setup(&link.token, PASSWORD, &code, t).await;
    assert!(
        matches!(refinished, Err(StoreError::NotFound(_))),
        "{refinished:?}"
    );
    // The code that confirmed the enrolment cannot log in again.
    assert_eq!(
        login_at(store, "ana@example.org", &first.secret, "192.0.2.1", t).await,
        LoginOutcome::Refused
    );
    let outcome = login_at(
        store,
        "ana@example.org",
        &first.secret,
        "192.0.2.1",
        t.plus(30),
    )
    .await;
    let LoginOutcome::LoggedIn { token, user } = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(user.role, Role::Researcher);
    assert_eq!(store.session(&token, t.plus(31)).await.unwrap(), Some(user));
    assert!(store.session("not a token", t).await.unwrap().is_none());
}

pub async fn expired_or_unknown_setup_links_are_refused(store: &dyn Store) {
    let link = store
        .add_user(&email("ana@example.org"), Role::Viewer, "cli", T0)
        .await
        .unwrap();
    let late = link.expires_at;
    let opened = store.begin_setup(&link.token, late).await;
    assert!(matches!(opened, Err(StoreError::NotFound(_))), "{opened:?}");
    // Opened in time, finished too late.
    let e = store
        .begin_setup(&link.token, late.plus(-10))
        .await
        .unwrap();
    let code = totp_code(&e.secret, late).unwrap();
    let finished = store.finish_setup(&link.token, PASSWORD, &code, late).await;
    assert!(
        matches!(finished, Err(StoreError::NotFound(_))),
        "{finished:?}"
    );
    let unknown = store.begin_setup(&"0".repeat(64), T0).await;
    assert!(
        matches!(unknown, Err(StoreError::NotFound(_))),
        "{unknown:?}"
    );
    // A reset issues a new link and retires the old one.
    let fresh = store
        .reset_user(&email("ana@example.org"), "cli", T0.plus(60))
        .await
        .unwrap();
    assert_ne!(fresh.token, link.token);
    assert!(store.begin_setup(&link.token, T0.plus(60)).await.is_err());
    assert!(store.begin_setup(&fresh.token, T0.plus(60)).await.is_ok());
}

pub async fn a_replayed_totp_code_is_refused(store: &dyn Store) {
    let (secret, _) = enrolled(store, "ana@example.org", Role::Editor, T0).await;
    let t = T0.plus(300);
    token(login_at(store, "ana@example.org", &secret, "192.0.2.1", t).await);
    // The same code again, at once or a few seconds later, from anywhere.
    assert_eq!(
        login_at(store, "ana@example.org", &secret, "198.51.100.9", t).await,
        LoginOutcome::Refused
    );
    let code = totp_code(&secret, t).unwrap();
    let replay = LoginAttempt {
        email: "ana@example.org",
        password: PASSWORD,
        second_factor: SecondFactor::Totp(&code),
        client: ip("198.51.100.9"),
    };
    assert_eq!(
        store.login(&replay, t.plus(20)).await.unwrap(),
        LoginOutcome::Refused
    );
    // An older code still inside the drift window is stale too.
    let older = totp_code(&secret, t.plus(-30)).unwrap();
    let stale = LoginAttempt {
        second_factor: SecondFactor::Totp(&older),
        ..replay
    };
    assert_eq!(
        store.login(&stale, t.plus(25)).await.unwrap(),
        LoginOutcome::Refused
    );
    // The next step's code works.
    token(
        login_at(
            store,
            "ana@example.org",
            &secret,
            "198.51.100.9",
            t.plus(30),
        )
        .await,
    );
}

pub async fn recovery_codes_log_in_once_each(store: &dyn Store) {
    let (_, codes) = enrolled(store, "ana@example.org", Role::Viewer, T0).await;
    let typed = codes[3].to_uppercase().replace('-', " ");
    let attempt = LoginAttempt {
        email: "ANA@example.org ",
        password: PASSWORD,
        second_factor: SecondFactor::RecoveryCode(&typed),
        client: ip("192.0.2.1"),
    };
    token(store.login(&attempt, T0.plus(60)).await.unwrap());
    assert_eq!(
        store.login(&attempt, T0.plus(120)).await.unwrap(),
        LoginOutcome::Refused,
        "a recovery code works once"
    );
    let other = LoginAttempt {
        second_factor: SecondFactor::RecoveryCode(&codes[4]),
        ..attempt
    };
    token(store.login(&other, T0.plus(180)).await.unwrap());
    let wrong_password = LoginAttempt {
        password: "correct horse battery stapler",
        second_factor: SecondFactor::RecoveryCode(&codes[5]),
        ..attempt
    };
    assert_eq!(
        store.login(&wrong_password, T0.plus(240)).await.unwrap(),
        LoginOutcome::Refused
    );
    let right = LoginAttempt {
        second_factor: SecondFactor::RecoveryCode(&codes[5]),
        ..attempt
    };
    token(store.login(&right, T0.plus(300)).await.unwrap());
}

pub async fn failed_logins_slow_down_one_network_without_locking_the_account(store: &dyn Store) {
    let (secret, _) = enrolled(store, "ana@example.org", Role::Editor, T0).await;
    let attacker = "203.0.113.5";
    let guess = |t: UnixTime| async move {
        let attempt = LoginAttempt {
            email: "ana@example.org",
            password: "wrong password guessed",
            second_factor: SecondFactor::Totp("123456"),
            client: ip(attacker),
        };
        store.login(&attempt, t).await.unwrap()
    };
    let mut t = T0.plus(100);
    for _ in 0..4 {
        assert_eq!(guess(t).await, LoginOutcome::Refused);
    }
    // The fourth failure costs a second's wait, then two, then four.
    assert_eq!(
        guess(t).await,
        LoginOutcome::Throttled {
            retry_after_secs: 1
        }
    );
    t = t.plus(1);
    assert_eq!(guess(t).await, LoginOutcome::Refused);
    assert_eq!(
        guess(t).await,
        LoginOutcome::Throttled {
            retry_after_secs: 2
        }
    );
    // Throttled even with the right password and code: nothing is checked.
    let right = login_at(store, "ana@example.org", &secret, attacker, t.plus(1)).await;
    assert!(matches!(right, LoginOutcome::Throttled { .. }), "{right:?}");
    // The staff member, on another network, is not slowed at all.
    token(login_at(store, "ana@example.org", &secret, "192.0.2.1", t.plus(30)).await);
    // Nor another account from the attacker's network, under its own
    // (much higher) threshold.
    let (bob, _) = enrolled(store, "bob@example.org", Role::Viewer, T0).await;
    token(login_at(store, "bob@example.org", &bob, attacker, t.plus(60)).await);
    // Once the wait is over, the right credentials work from there too.
    token(login_at(store, "ana@example.org", &secret, attacker, t.plus(90)).await);
}

pub async fn sessions_end_after_the_idle_timeout_and_the_absolute_lifetime(store: &dyn Store) {
    let (secret, _) = enrolled(store, "ana@example.org", Role::Editor, T0).await;
    let start = T0.plus(60);
    let tok = token(login_at(store, "ana@example.org", &secret, "192.0.2.1", start).await);
    let idle = SESSIONS.idle_secs;
    // Used just within the idle timeout, each use moves it on.
    let mut t = start;
    for _ in 0..3 {
        t = t.plus(idle - 5);
        assert!(store.session(&tok, t).await.unwrap().is_some(), "at {t:?}");
    }
    // Idle for longer: ended, for good.
    assert!(store
        .session(&tok, t.plus(idle + 1))
        .await
        .unwrap()
        .is_none());
    assert!(store.session(&tok, t.plus(10)).await.unwrap().is_none());

    // A session used all the time still ends at its absolute lifetime.
    let start = T0.plus(120);
    let tok = token(login_at(store, "ana@example.org", &secret, "192.0.2.1", start).await);
    let mut t = start;
    while t.since(start) + 600 <= SESSIONS.absolute_secs {
        t = t.plus(600);
        assert!(store.session(&tok, t).await.unwrap().is_some(), "at {t:?}");
    }
    assert!(store
        .session(&tok, start.plus(SESSIONS.absolute_secs + 1))
        .await
        .unwrap()
        .is_none());

    // An explicit touch counts as a use.
    let start = T0.plus(180);
    let tok = token(login_at(store, "ana@example.org", &secret, "192.0.2.1", start).await);
    store
        .touch_session(&tok, start.plus(idle - 1))
        .await
        .unwrap();
    assert!(store
        .session(&tok, start.plus(2 * idle - 2))
        .await
        .unwrap()
        .is_some());
}

pub async fn a_role_change_or_a_disabled_account_takes_effect_on_open_sessions(store: &dyn Store) {
    let (secret, _) = enrolled(store, "ana@example.org", Role::Editor, T0).await;
    let ana = email("ana@example.org");
    let tok = token(login_at(store, "ana@example.org", &secret, "192.0.2.1", T0.plus(60)).await);
    store
        .set_role(&ana, Role::Viewer, "admin@example.org", T0.plus(70))
        .await
        .unwrap();
    let seen = store.session(&tok, T0.plus(80)).await.unwrap().unwrap();
    assert_eq!(seen.role, Role::Viewer, "the role is read afresh");
    store
        .disable_user(&ana, "admin@example.org", T0.plus(90))
        .await
        .unwrap();
    assert!(store.session(&tok, T0.plus(100)).await.unwrap().is_none());
    assert!(store.user(&ana).await.unwrap().unwrap().disabled);
    assert_eq!(
        login_at(store, "ana@example.org", &secret, "192.0.2.1", T0.plus(120)).await,
        LoginOutcome::Refused,
        "a disabled account cannot log in"
    );
    let unknown = store
        .set_role(&email("nobody@example.org"), Role::Admin, "cli", T0)
        .await;
    assert!(
        matches!(unknown, Err(StoreError::NotFound(_))),
        "{unknown:?}"
    );
}

pub async fn the_last_working_administrator_cannot_be_demoted_or_disabled(store: &dyn Store) {
    let (_, _) = enrolled(store, "root@example.org", Role::Admin, T0).await;
    let root = email("root@example.org");
    // An admin who never set up the account is no administrator yet.
    store
        .add_user(&email("new@example.org"), Role::Admin, "cli", T0)
        .await
        .unwrap();
    for refused in [
        store
            .set_role(&root, Role::Editor, "root@example.org", T0.plus(10))
            .await,
        store
            .disable_user(&root, "root@example.org", T0.plus(20))
            .await,
    ] {
        match refused {
            Err(StoreError::Invalid(m)) => assert!(m.contains("only administrator"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
    let kept = store.user(&root).await.unwrap().unwrap();
    assert_eq!((kept.role, kept.disabled), (Role::Admin, false));
    // Another working admin: now the first may step down.
    let _ = enrolled(store, "second@example.org", Role::Admin, T0.plus(30)).await;
    store
        .set_role(&root, Role::Editor, "second@example.org", T0.plus(40))
        .await
        .unwrap();
    let second = email("second@example.org");
    let last = store.disable_user(&second, "cli", T0.plus(50)).await;
    assert!(matches!(last, Err(StoreError::Invalid(_))), "{last:?}");
    // A disabled admin is no administrator either: disabling one is fine.
    let _ = enrolled(store, "third@example.org", Role::Admin, T0.plus(60)).await;
    let third = email("third@example.org");
    store
        .disable_user(&third, "cli", T0.plus(70))
        .await
        .unwrap();
    let again = store.disable_user(&second, "cli", T0.plus(80)).await;
    assert!(matches!(again, Err(StoreError::Invalid(_))), "{again:?}");
}

pub async fn a_session_of_a_deleted_account_is_refused(store: &dyn Store, db: &dyn Instances) {
    let (secret, _) = enrolled(store, "ana@example.org", Role::Admin, T0).await;
    let tok = token(login_at(store, "ana@example.org", &secret, "192.0.2.1", T0.plus(60)).await);
    assert!(store.session(&tok, T0.plus(61)).await.unwrap().is_some());
    // The session row is kept (copied to a table without the cascade), as
    // a deletion behind the store's back might leave it: the lookup must
    // not trust a session whose account is gone.
    db.execute("ALTER TABLE sessions RENAME TO sessions_kept")
        .await;
    db.execute("CREATE TABLE sessions AS SELECT * FROM sessions_kept")
        .await;
    db.execute("DELETE FROM users WHERE email = 'ana@example.org'")
        .await;
    assert!(store.session(&tok, T0.plus(62)).await.unwrap().is_none());
}

pub async fn logging_out_ends_one_session_or_all_of_them(store: &dyn Store) {
    let (secret, _) = enrolled(store, "ana@example.org", Role::Editor, T0).await;
    let laptop = token(login_at(store, "ana@example.org", &secret, "192.0.2.1", T0.plus(60)).await);
    let phone = token(login_at(store, "ana@example.org", &secret, "192.0.2.2", T0.plus(90)).await);
    let other = token(login_at(store, "ana@example.org", &secret, "192.0.2.3", T0.plus(120)).await);
    store.logout(&laptop).await.unwrap();
    assert!(store
        .session(&laptop, T0.plus(130))
        .await
        .unwrap()
        .is_none());
    let still: Option<StaffUser> = store.session(&phone, T0.plus(130)).await.unwrap();
    assert!(still.is_some());
    let ended = store
        .logout_everywhere(&email("ana@example.org"), "ana@example.org", T0.plus(140))
        .await
        .unwrap();
    assert_eq!(ended, 2);
    assert!(store.session(&phone, T0.plus(150)).await.unwrap().is_none());
    assert!(store.session(&other, T0.plus(150)).await.unwrap().is_none());
}
