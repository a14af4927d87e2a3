//! Staff accounts: who may do what, and the rules of logging in.
//!
//! The types and policies only; storing accounts, hashing passwords and
//! checking codes is `libres-store`'s. Everything here is a pure function,
//! so the web, the command line and the store apply one set of rules.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;

/// A staff member's email address, the login name of an account.
///
/// Normalised so that one address is one account however it is typed:
/// surrounding spaces go, and the whole address is lower-cased (no
/// provider a documentation group uses treats `Ana@` and `ana@` as two
/// mailboxes, and two accounts for one person would split their audit
/// trail).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    /// The longest address accepted (RFC 5321's limit on a path).
    pub const MAX_LEN: usize = 254;

    /// Parses and normalises an address: `local@domain`, with no spaces,
    /// control characters or angle brackets, at most [`Email::MAX_LEN`]
    /// bytes.
    pub fn parse(input: &str) -> Result<Email, String> {
        let t = input.trim().to_lowercase();
        if t.is_empty() {
            return Err("the email address is empty".into());
        }
        if t.len() > Self::MAX_LEN {
            return Err(format!(
                "the email address is {} bytes long; the limit is {}",
                t.len(),
                Self::MAX_LEN
            ));
        }
        if let Some(c) = t
            .chars()
            .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'))
        {
            return Err(format!("the email address contains {c:?}"));
        }
        match t.split_once('@') {
            Some((local, domain))
                if !local.is_empty()
                    && !domain.is_empty()
                    && !domain.contains('@')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.') =>
            {
                Ok(Email(t))
            }
            _ => Err(format!("`{}` is not an email address (name@domain)", t)),
        }
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

crate::event::vocabulary! {
    /// What a staff member may do. Each role may do everything the roles
    /// before it may, and more (see [`Role::can`]).
    Role {
        /// Reads everything, confidential fields included; changes nothing.
        Viewer = "viewer",
        /// A viewer who also creates and edits cases and sources.
        Researcher = "researcher",
        /// A researcher who also publishes, imports and decides
        /// reconciliations.
        Editor = "editor",
        /// An editor who also manages users and settings.
        Admin = "admin",
    }
}

impl Role {
    /// Parses a role as the command line and forms write it, explaining
    /// the choices when it is not one.
    pub fn parse(input: &str) -> Result<Role, String> {
        Role::from_slug(input.trim()).ok_or_else(|| {
            format!("`{input}` is not a role; use admin, editor, researcher or viewer")
        })
    }

    /// Whether this role may do `what`.
    pub fn can(self, what: Permission) -> bool {
        self >= what.least_role()
    }
}

/// Something a staff member may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Read the whole registry, confidential fields and unpublished
    /// persons included.
    ReadRegistry,
    /// Create and edit persons, detentions and events.
    EditCases,
    /// Create and edit sources.
    EditSources,
    /// Publish (or unpublish) a person or a figure.
    Publish,
    /// Import files into the registry.
    Import,
    /// Decide the reconciliation of an announced list.
    DecideReconciliations,
    /// Add users, change their roles, disable them.
    ManageUsers,
    /// Change the site's settings.
    ManageSettings,
}

impl Permission {
    /// Every permission.
    pub const ALL: &'static [Permission] = &[
        Permission::ReadRegistry,
        Permission::EditCases,
        Permission::EditSources,
        Permission::Publish,
        Permission::Import,
        Permission::DecideReconciliations,
        Permission::ManageUsers,
        Permission::ManageSettings,
    ];

    /// The least role that may do this.
    pub fn least_role(self) -> Role {
        match self {
            Permission::ReadRegistry => Role::Viewer,
            Permission::EditCases | Permission::EditSources => Role::Researcher,
            Permission::Publish | Permission::Import | Permission::DecideReconciliations => {
                Role::Editor
            }
            Permission::ManageUsers | Permission::ManageSettings => Role::Admin,
        }
    }
}

/// The shortest password accepted, in characters (OWASP ASVS 2.1.1).
pub const PASSWORD_MIN_CHARS: usize = 12;

/// The longest password accepted, in characters: long passphrases are
/// welcome, megabytes sent to the hasher are not.
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Checks a new password: its length only, as NIST SP 800-63B and ASVS
/// advise (composition rules make passwords worse, not better). Spaces and
/// any Unicode are allowed and kept as typed.
pub fn check_password(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < PASSWORD_MIN_CHARS {
        return Err(format!(
            "the password has {n} characters; use at least {PASSWORD_MIN_CHARS} (a few words make a good one)"
        ));
    }
    if n > PASSWORD_MAX_CHARS {
        return Err(format!(
            "the password has {n} characters; the limit is {PASSWORD_MAX_CHARS}"
        ));
    }
    Ok(())
}

/// A moment, in whole seconds since the Unix epoch (UTC). Every rule about
/// time (sessions, setup links, throttling, TOTP) takes the time as a
/// value, so tests move a clock instead of sleeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(pub i64);

impl UnixTime {
    /// This moment plus `secs` seconds.
    pub fn plus(self, secs: i64) -> UnixTime {
        UnixTime(self.0.saturating_add(secs))
    }

    /// Seconds from `earlier` to this moment (negative if it is later).
    pub fn since(self, earlier: UnixTime) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    /// The day in UTC, as `yyyymmdd` (`20250114`): the form of
    /// [`crate::EdtfDate::earliest`].
    pub fn day(self) -> i64 {
        let s = self.rfc3339();
        s.get(..10)
            .map(|d| d.replace('-', ""))
            .and_then(|d| d.parse().ok())
            .unwrap_or(0)
    }

    /// RFC 3339 in UTC, to the second: `2025-01-14T09:30:00Z`.
    pub fn rfc3339(self) -> String {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        // Howard Hinnant's days-to-civil algorithm.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        )
    }
}

/// How long a staff session lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// A session unused for longer than this ends (seconds).
    pub idle_secs: i64,
    /// A session ends this long after login however busy (seconds).
    pub absolute_secs: i64,
    /// A session's last use is written at most this often (seconds), so
    /// that a page view is not a database write.
    pub touch_secs: i64,
}

/// Sessions: 30 minutes idle, 12 hours at most (a working day, so a
/// stolen cookie is good for a day at worst), last use written once a
/// minute (so the idle timeout is honoured to within a minute).
pub const SESSIONS: SessionPolicy = SessionPolicy {
    idle_secs: 30 * 60,
    absolute_secs: 12 * 3600,
    touch_secs: 60,
};

/// How long a setup link works (seconds): three days, so that a link sent
/// on a Friday still works on Monday.
pub const SETUP_LINK_SECS: i64 = 72 * 3600;

/// TOTP as RFC 6238 defines it and every authenticator app reads it:
/// HMAC-SHA1, 6 digits, 30-second steps. One step either side is accepted
/// for clock drift.
pub mod totp {
    /// Seconds per step.
    pub const STEP_SECS: i64 = 30;
    /// Digits per code.
    pub const DIGITS: usize = 6;
    /// Steps accepted before and after the current one.
    pub const SKEW_STEPS: i64 = 1;
    /// Bytes of a secret (160 bits, RFC 4226's recommendation).
    pub const SECRET_BYTES: usize = 20;

    /// The step of moment `t`.
    pub fn step_of(t: super::UnixTime) -> i64 {
        t.0.div_euclid(STEP_SECS)
    }
}

/// How fast failed logins slow down further attempts under one key.
///
/// Failures beyond the first `free` ones each double the wait before the
/// next attempt is even looked at, from `base_secs` up to `cap_secs`. Never
/// a lock-out: the wait is bounded, and the keys are chosen (see
/// [`THROTTLE_PAIR`]) so that an attacker slows down himself, not the
/// staff member he targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    /// Failures allowed without any wait.
    pub free: u32,
    /// The first wait, in seconds.
    pub base_secs: i64,
    /// The longest wait, in seconds.
    pub cap_secs: i64,
}

impl Throttle {
    /// Seconds to wait after the last of `failures` failures before the
    /// next attempt.
    pub fn delay(&self, failures: u32) -> i64 {
        if failures <= self.free {
            return 0;
        }
        let doublings = (failures - self.free - 1).min(62);
        self.base_secs
            .saturating_mul(1i64 << doublings)
            .min(self.cap_secs)
    }
}

/// The throttle per account and client network: after 3 free failures,
/// 1 s, 2 s, 4 s … up to 15 minutes. An attacker guessing one account
/// from one network waits; the staff member, from any other network, does
/// not.
pub const THROTTLE_PAIR: Throttle = Throttle {
    free: 3,
    base_secs: 1,
    cap_secs: 15 * 60,
};

/// The throttle per client network across all accounts: after 20 free
/// failures, 1 s doubling up to an hour. It slows one network trying
/// many accounts (password spraying); 20 leaves room for an office of
/// staff behind one address mistyping.
pub const THROTTLE_NETWORK: Throttle = Throttle {
    free: 20,
    base_secs: 1,
    cap_secs: 3600,
};

/// Failures older than this (seconds) are forgotten.
pub const THROTTLE_FORGET_SECS: i64 = 24 * 3600;

/// The network a client address belongs to, for throttling: an IPv4
/// address itself, an IPv6 address its /64 (one subscriber usually holds a
/// whole /64, so a per-address key would let him rotate through 2^64 of
/// them). An IPv4 address mapped into IPv6 counts as IPv4.
pub fn client_network(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        let e = Email::parse("  Ana.Perez@Example.ORG ").unwrap();
        assert_eq!(e.as_str(), "ana.perez@example.org");
        assert_eq!(e, Email::parse("ana.perez@example.org").unwrap());
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "ana",
            "@example.org",
            "ana@",
            "ana@@example.org",
            "a b@example.org",
            "ana@example.org.",
            "<ana@example.org>",
            "ana@exa\u{7}mple.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Email::parse(&format!("{}@example.org", "a".repeat(250))).is_err());
    }

    #[test]
    fn each_role_may_do_what_the_roles_below_it_may() {
        use Permission::*;
        let allowed = |r: Role| -> Vec<Permission> {
            Permission::ALL
                .iter()
                .copied()
                .filter(|p| r.can(*p))
                .collect()
        };
        assert_eq!(allowed(Role::Viewer), [ReadRegistry]);
        assert_eq!(
            allowed(Role::Researcher),
            [ReadRegistry, EditCases, EditSources]
        );
        assert_eq!(
            allowed(Role::Editor),
            [
                ReadRegistry,
                EditCases,
                EditSources,
                Publish,
                Import,
                DecideReconciliations
            ]
        );
        assert_eq!(allowed(Role::Admin), Permission::ALL);
    }

    #[test]
    fn roles_parse_from_their_slugs_only() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.slug()).unwrap(), *r);
        }
        assert!(Role::parse("root").unwrap_err().contains("admin, editor"));
    }

    #[test]
    fn passwords_are_checked_for_length_only() {
        assert!(check_password("short").is_err());
        assert!(check_password("twelve chars").is_ok());
        assert!(check_password("ñññññññññññ").is_err(), "11 characters");
        assert!(check_password(&"x".repeat(129)).is_err());
    }

    #[test]
    fn times_print_as_rfc3339() {
        assert_eq!(UnixTime(0).rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(UnixTime(1_736_847_000).rfc3339(), "2025-01-14T09:30:00Z");
        assert_eq!(UnixTime(951_782_400).rfc3339(), "2000-02-29T00:00:00Z");
        assert_eq!(UnixTime(-1).rfc3339(), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn throttling_doubles_after_the_free_failures_and_is_capped() {
        let d: Vec<i64> = (0..8).map(|n| THROTTLE_PAIR.delay(n)).collect();
        assert_eq!(d, [0, 0, 0, 0, 1, 2, 4, 8]);
        assert_eq!(THROTTLE_PAIR.delay(1000), 15 * 60);
        assert_eq!(THROTTLE_NETWORK.delay(20), 0);
        assert_eq!(THROTTLE_NETWORK.delay(u32::MAX), 3600);
    }

    #[test]
    fn ipv6_clients_are_throttled_by_their_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(client_network(a), client_network(b));
        assert_eq!(client_network(a), "2001:db8:1:2::/64");
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(client_network(mapped), "192.0.2.7");
    }
}
