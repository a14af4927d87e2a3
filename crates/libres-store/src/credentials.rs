//! The secrets of staff accounts: password hashes, TOTP codes, random
//! tokens and their hashes.
//!
//! - Passwords: Argon2id with OWASP's parameters (19 MiB, 2 passes, one
//!   lane), stored as a PHC string, so that later parameters can be told
//!   from earlier ones. Hashing takes tens of milliseconds of CPU: callers
//!   on an async runtime go through [`hash_password`] and
//!   [`verify_password`], which run on the blocking pool.
//! - Tokens (setup links, sessions, recovery codes) are random from the
//!   operating system; only their SHA-256 is stored. A fast hash is enough
//!   for a token of 80 bits or more: nobody can try 2^80 guesses, and a
//!   stolen table of hashes gives nothing to log in with.
//! - TOTP: RFC 6238 with the parameters of [`libres_core::staff::totp`].

use crate::{StoreError, StoreResult};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use libres_core::staff::totp;
use libres_core::{Email, UnixTime};
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// OWASP's Argon2id setting: m = 19 MiB, t = 2, p = 1.
fn argon2() -> StoreResult<Argon2<'static>> {
    let params = Params::new(19 * 1024, 2, 1, None)
        .map_err(|e| StoreError::Other(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The PHC string of `password`, hashed on the blocking pool.
pub async fn hash_password(password: &str) -> StoreResult<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()?
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| StoreError::Other(format!("hashing a password: {e}")))
    })
    .await
    .map_err(|e| StoreError::Other(format!("hashing a password: {e}")))?
}

/// Whether `password` matches the PHC string `hash`, checked on the
/// blocking pool. Without a hash (an unknown account, one not set up),
/// a hash of a random password is checked instead, so that the answer
/// takes as long either way and says nothing about which accounts exist.
pub async fn verify_password(password: &str, hash: Option<&str>) -> StoreResult<bool> {
    let password = password.to_owned();
    let (hash, real) = match hash {
        Some(h) => (h.to_owned(), true),
        None => (decoy_hash()?.to_owned(), false),
    };
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash).map_err(|e| StoreError::Corrupt {
            what: "password hash".into(),
            detail: e.to_string(),
        })?;
        let ok = argon2()?
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(ok && real)
    })
    .await
    .map_err(|e| StoreError::Other(format!("checking a password: {e}")))?
}

/// The hash [`verify_password`] checks when there is none: made once per
/// process from a random password nobody knows.
fn decoy_hash() -> StoreResult<&'static str> {
    static DECOY: OnceLock<String> = OnceLock::new();
    if let Some(h) = DECOY.get() {
        return Ok(h);
    }
    let salt = SaltString::generate(&mut OsRng);
    let made = argon2()?
        .hash_password(random_token().as_bytes(), &salt)
        .map_err(|e| StoreError::Other(format!("hashing a password: {e}")))?
        .to_string();
    Ok(DECOY.get_or_init(|| made))
}

/// `n` random bytes from the operating system.
fn random_bytes(n: usize) -> Vec<u8> {
    let mut b = vec![0u8; n];
    OsRng.fill_bytes(&mut b);
    b
}

/// A fresh token of 256 random bits, as 64 hex digits (URL- and
/// cookie-safe).
pub fn random_token() -> String {
    to_hex(&random_bytes(32))
}

/// The SHA-256 of `text`, in hex: what is stored of a token.
pub fn sha256_hex(text: &str) -> String {
    to_hex(&Sha256::digest(text.as_bytes()))
}

/// Lower-case hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// The bytes of hex text (either case), or `None` if it is not hex.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.as_bytes()
        .chunks(2)
        .map(|pair| {
            let d = |c: u8| char::from(c).to_digit(16);
            Some(u8::try_from(d(pair[0])? * 16 + d(pair[1])?).unwrap_or(0))
        })
        .collect()
}

/// A fresh TOTP secret, base32 (RFC 4648, no padding) as authenticator
/// apps take it.
pub fn new_totp_secret() -> String {
    base32(&random_bytes(totp::SECRET_BYTES))
}

/// The TOTP generator of a stored base32 secret.
fn totp_of(secret: &str) -> StoreResult<totp_rs::TOTP> {
    let bytes = totp_rs::Secret::Encoded(secret.to_owned())
        .to_bytes()
        .map_err(|e| StoreError::Corrupt {
            what: "TOTP secret".into(),
            detail: format!("{e:?}"),
        })?;
    totp_rs::TOTP::new(
        totp_rs::Algorithm::SHA1,
        totp::DIGITS,
        0,
        totp::STEP_SECS.unsigned_abs(),
        bytes,
    )
    .map_err(|e| StoreError::Corrupt {
        what: "TOTP secret".into(),
        detail: e.to_string(),
    })
}

/// The code an authenticator shows at moment `t` for `secret` (for tests,
/// and for nothing a server does).
pub fn totp_code(secret: &str, t: UnixTime) -> StoreResult<String> {
    Ok(totp_of(secret)?.generate(u64::try_from(t.0).unwrap_or(0)))
}

/// The step whose code `code` is, among the steps accepted at `now`
/// (the current one and [`totp::SKEW_STEPS`] either side), latest first;
/// `None` if it is none of them. Spaces in the code are ignored. The
/// caller must still refuse a step already used.
pub fn totp_step(secret: &str, code: &str, now: UnixTime) -> StoreResult<Option<i64>> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != totp::DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let gen = totp_of(secret)?;
    let current = totp::step_of(now);
    let mut found = None;
    // Every candidate is computed and compared, matched or not, so the
    // time taken does not say which step matched.
    for step in (current - totp::SKEW_STEPS..=current + totp::SKEW_STEPS).rev() {
        let Ok(t) = u64::try_from(step * totp::STEP_SECS) else {
            continue;
        };
        let expected = gen.generate(t);
        if constant_eq(expected.as_bytes(), code.as_bytes()) && found.is_none() {
            found = Some(step);
        }
    }
    Ok(found)
}

/// Equality whose time depends on the length only.
fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `otpauth://` address an authenticator app reads from a QR code.
pub fn otpauth_uri(email: &Email, secret: &str) -> String {
    format!(
        "otpauth://totp/Libres:{}?secret={secret}&issuer=Libres&algorithm=SHA1&digits={}&period={}",
        percent_encode(email.as_str()),
        totp::DIGITS,
        totp::STEP_SECS
    )
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Recovery codes given to a staff member at enrolment.
pub const RECOVERY_CODES: usize = 10;

/// Fresh recovery codes: 80 random bits each, as four groups of four
/// base32 letters and digits (`k7qd-m2xa-…`), easy to copy by hand.
pub fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let text = base32(&random_bytes(10)).to_lowercase();
            let groups: Vec<&str> = (0..4).map(|i| &text[i * 4..i * 4 + 4]).collect();
            groups.join("-")
        })
        .collect()
}

/// A recovery code as typed, reduced to what identifies it: hyphens and
/// spaces dropped, lower case.
pub fn normalise_recovery_code(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Base32 (RFC 4648 alphabet, no padding).
fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn totp_codes_match_rfc_6238s_test_vectors() {
        // RFC 6238, appendix B: the SHA-1 seed "12345678901234567890",
        // 8 digits there; the last 6 of them here.
        let secret = base32(b"12345678901234567890");
        for (t, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(totp_code(&secret, UnixTime(t)).unwrap(), code, "t = {t}");
        }
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_no_further() {
        let secret = base32(b"12345678901234567890");
        let now = UnixTime(1_750_000_000);
        let step = totp::step_of(now);
        for off in -3..=3 {
            let code = totp_code(&secret, now.plus(off * 30)).unwrap();
            let expected = (off.abs() <= 1).then_some(step + off);
            assert_eq!(totp_step(&secret, &code, now).unwrap(), expected, "{off}");
        }
        let code = totp_code(&secret, now).unwrap();
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(totp_step(&secret, &spaced, now).unwrap(), Some(step));
        assert_eq!(totp_step(&secret, "12345", now).unwrap(), None);
        assert_eq!(totp_step(&secret, "abcdef", now).unwrap(), None);
    }

    #[test]
    fn hex_round_trips_and_refuses_what_is_not_hex() {
        let bytes = [0u8, 1, 0xab, 0xff];
        assert_eq!(to_hex(&bytes), "0001abff");
        assert_eq!(from_hex("0001ABff").unwrap(), bytes);
        assert!(from_hex("0g").is_none());
        assert!(from_hex("abc").is_none());
    }

    #[test]
    fn recovery_codes_are_distinct_and_normalise_as_typed() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), RECOVERY_CODES);
        assert_eq!(codes[0].len(), 19);
        let typed = format!(" {} ", codes[0].to_uppercase().replace('-', " "));
        assert_eq!(
            normalise_recovery_code(&typed),
            normalise_recovery_code(&codes[0])
        );
    }

    #[test]
    fn the_otpauth_address_names_the_account_and_the_parameters() {
        let e = Email::parse("ana+libres@example.org").unwrap();
        assert_eq!(
            otpauth_uri(&e, "ABC"),
            "otpauth://totp/Libres:ana%2Blibres%40example.org?secret=ABC&issuer=Libres\
             &algorithm=SHA1&digits=6&period=30"
        );
    }

    #[tokio::test]
    async fn passwords_verify_against_their_argon2id_hash_only() {
        let h = hash_password("correct horse battery").await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password("correct horse battery", Some(&h))
            .await
            .unwrap());
        assert!(!verify_password("correct horse batterY", Some(&h))
            .await
            .unwrap());
        assert!(!verify_password("anything", None).await.unwrap());
    }
}
