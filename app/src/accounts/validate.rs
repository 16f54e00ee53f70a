//! Checks on user input that need no database. They run on the server always, and may
//! run in the browser first.
use super::model::{FieldError, Registration};
use crate::i18n::Msg;

pub const USER_TYPES: &[&str] = &[
    "teacher",
    "head_of_school",
    "teacher_trainer",
    "researcher",
    "other",
];

/// EU member states, the other Erasmus+ programme countries, and partner countries whose
/// teachers take part (ISO 3166-1 alpha-2).
pub const COUNTRIES: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
    "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "MK", "RS", "TR", "AL",
    "BA", "ME", "XK", "UA", "MD", "GE", "AM", "AZ", "CH", "GB", "FO", "GL", "AD", "MC", "SM", "VA", "TN",
    "MA", "JO", "LB",
];

pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A pragmatic check: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn email_is_valid(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && email.len() <= 254
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn text(errors: &mut Vec<FieldError>, field: &str, value: &str, required: bool, max: usize) {
    if required && value.trim().is_empty() {
        errors.push(FieldError::new(field, Msg::FieldRequired));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(field, Msg::FieldTooLong));
    }
}

/// Field-level problems of a registration, except the password policy and duplicates,
/// which the server checks.
pub fn registration(r: &Registration) -> Vec<FieldError> {
    let mut errors = Vec::new();
    text(&mut errors, "first_name", &r.first_name, true, 100);
    text(&mut errors, "last_name", &r.last_name, true, 100);
    let email = normalise_email(&r.email);
    if email.is_empty() {
        errors.push(FieldError::new("email", Msg::FieldRequired));
    } else if !email_is_valid(&email) {
        errors.push(FieldError::new("email", Msg::FieldEmailInvalid));
    }
    if !USER_TYPES.contains(&r.user_type.as_str()) {
        errors.push(FieldError::new("user_type", Msg::FieldInvalidChoice));
    }
    if !COUNTRIES.contains(&r.country.as_str()) {
        errors.push(FieldError::new("country", Msg::FieldInvalidChoice));
    }
    if r.password.is_empty() {
        errors.push(FieldError::new("password", Msg::FieldRequired));
    }
    text(&mut errors, "role_at_school", &r.role_at_school, false, 200);
    text(&mut errors, "pupil_age_range", &r.pupil_age_range, false, 50);
    text(&mut errors, "description", &r.description, false, 5000);
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> Registration {
        Registration {
            first_name: "Karen".into(),
            last_name: "Nielsen".into(),
            email: " Karen@Skole.DK ".into(),
            user_type: "teacher".into(),
            country: "DK".into(),
            password: "lilac tundra 47 kettle".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_registration_passes() {
        assert_eq!(registration(&valid()), vec![]);
    }

    #[test]
    fn every_mandatory_field_is_reported_by_name() {
        let errors = registration(&Registration::default());
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "first_name",
                "last_name",
                "email",
                "user_type",
                "country",
                "password"
            ]
        );
        assert!(errors.iter().all(|e| Msg::from_key(&e.message).is_some()));
    }

    #[test]
    fn emails() {
        for ok in ["a@b.dk", "karen.nielsen+agora@skole.example.org"] {
            assert!(email_is_valid(ok), "{ok}");
        }
        for bad in [
            "", "a", "a@b", "@b.dk", "a@@b.dk", "a b@c.dk", "a@.dk", "a@b..dk", "a@b.dk.",
        ] {
            assert!(!email_is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn unknown_choices_and_overlong_text_are_refused() {
        let r = Registration {
            user_type: "wizard".into(),
            country: "XX".into(),
            first_name: "x".repeat(101),
            ..valid()
        };
        let fields: Vec<_> = registration(&r)
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect();
        assert!(fields.contains(&("user_type".into(), "field.invalid_choice".into())));
        assert!(fields.contains(&("country".into(), "field.invalid_choice".into())));
        assert!(fields.contains(&("first_name".into(), "field.too_long".into())));
    }
}
