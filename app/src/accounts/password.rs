//! Password policy and Argon2id hashing.
use argon2::{
    Argon2,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng},
};

pub const MIN_LENGTH: usize = 10;
pub const MAX_LENGTH: usize = 256;

/// Passwords seen most often in breaches, and platform words. Compared case-insensitively
/// after the length check, so only the longer ones matter.
const COMMON: &[&str] = &[
    "1234567890",
    "12345678910",
    "123456789a",
    "0123456789",
    "1q2w3e4r5t",
    "1qaz2wsx3edc",
    "qwertyuiop",
    "qwerty12345",
    "qwerty123456",
    "password12",
    "password123",
    "password1234",
    "password!",
    "passw0rd123",
    "p@ssword123",
    "iloveyou12",
    "iloveyou123",
    "abcdefghij",
    "abc1234567",
    "aaaaaaaaaa",
    "1111111111",
    "0000000000",
    "9876543210",
    "zaq12wsxcde",
    "asdfghjkl1",
    "asdfghjkl;",
    "letmein123",
    "welcome123",
    "welcome2024",
    "welcome2025",
    "welcome2026",
    "football12",
    "baseball12",
    "sunshine12",
    "princess12",
    "dragon1234",
    "monkey1234",
    "trustno1234",
    "superman12",
    "starwars12",
    "whatever12",
    "changeme123",
    "administrator",
    "admin12345",
    "teacher123",
    "teacher1234",
    "student123",
    "school1234",
    "agora12345",
    "agorapassword",
    "adgangskode",
    "adgangskode1",
    "lösenord123",
    "losenord123",
    "sommer2024",
    "sommar2024",
    "sommer2025",
    "sommar2025",
    "sommer2026",
    "sommar2026",
    "password2024",
    "password2025",
    "password2026",
    "qwertzuiop",
    "azertyuiop",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    TooCommon,
    ContainsPersonalData,
}

/// Checks a new password against the policy; `personal` are the user's e-mail and names.
pub fn check_policy(password: &str, personal: &[&str]) -> Result<(), PasswordProblem> {
    let len = password.chars().count();
    if len < MIN_LENGTH {
        return Err(PasswordProblem::TooShort);
    }
    if len > MAX_LENGTH {
        return Err(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    let first = lower.chars().next().unwrap_or(' ');
    if COMMON.contains(&lower.as_str()) || lower.chars().all(|c| c == first) || is_run(&lower) {
        return Err(PasswordProblem::TooCommon);
    }
    for p in personal {
        let p = p.trim().to_lowercase();
        let p = p.split('@').next().unwrap_or("");
        if p.chars().count() >= 4 && lower.contains(p) {
            return Err(PasswordProblem::ContainsPersonalData);
        }
    }
    Ok(())
}

/// `1234567890…` (digits wrap around), `abcdef…`, or the same descending.
fn is_run(s: &str) -> bool {
    let next = |c: u8| if c == b'9' { b'0' } else { c.wrapping_add(1) };
    let b = s.as_bytes();
    b.len() > 1 && (b.windows(2).all(|w| w[1] == next(w[0])) || b.windows(2).all(|w| w[0] == next(w[1])))
}

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters cannot fail")
        .to_string()
}

pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// A hash of a random password: verifying against it costs what a real check costs, so
/// "no such user" takes as long as "wrong password".
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash(&format!("{:032x}", rand::random::<u128>())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let h = hash("correct horse battery");
        assert!(h.starts_with("$argon2id$"));
        assert_ne!(h, hash("correct horse battery"), "salt must differ");
        assert!(verify("correct horse battery", &h));
        assert!(!verify("correct horse batterY", &h));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn policy_refuses_short_common_and_personal_passwords() {
        assert_eq!(check_policy("short", &[]), Err(PasswordProblem::TooShort));
        assert_eq!(check_policy(&"x".repeat(300), &[]), Err(PasswordProblem::TooLong));
        assert_eq!(check_policy("Password123", &[]), Err(PasswordProblem::TooCommon));
        assert_eq!(check_policy("zzzzzzzzzzzz", &[]), Err(PasswordProblem::TooCommon));
        assert_eq!(check_policy("123456789012", &[]), Err(PasswordProblem::TooCommon));
        assert_eq!(check_policy("abcdefghijkl", &[]), Err(PasswordProblem::TooCommon));
        assert_eq!(
            check_policy(
                "karen.nielsen!2026",
                &["karen.nielsen@skole.dk", "Karen", "Nielsen"]
            ),
            Err(PasswordProblem::ContainsPersonalData)
        );
        assert_eq!(
            check_policy("lilac tundra 47 kettle", &["karen@skole.dk", "Karen", "Nielsen"]),
            Ok(())
        );
    }

    #[test]
    fn dummy_hash_never_matches_a_guess() {
        assert!(!verify("", dummy_hash()));
        assert!(!verify("password", dummy_hash()));
    }
}
