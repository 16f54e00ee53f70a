//! Checks on user input that need no database. They run on the server always, and may
//! run in the browser first.
use super::model::{FieldError, ProfileEdit, Registration};
use crate::i18n::Msg;
use crate::taxonomy::{COUNTRIES, LANGUAGES, USER_TYPES, is_subject};

pub use crate::check::{email_is_valid, normalise_email};

/// A one-line field (an `<input>`): see [`crate::check::line_problem`].
fn line(errors: &mut Vec<FieldError>, field: &str, value: &str, required: bool, max: usize) {
    if let Some(m) = crate::check::line_problem(value, required, max, Msg::FieldTooLong) {
        errors.push(FieldError::new(field, m));
    }
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
    line(&mut errors, "first_name", &r.first_name, true, 100);
    line(&mut errors, "last_name", &r.last_name, true, 100);
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
    teacher_fields(
        &mut errors,
        &r.role_at_school,
        &r.pupil_age_range,
        &r.description,
        &r.subjects,
        &r.languages,
    );
    errors
}

fn teacher_fields(
    errors: &mut Vec<FieldError>,
    role_at_school: &str,
    pupil_age_range: &str,
    description: &str,
    subjects: &[String],
    languages: &[String],
) {
    line(errors, "role_at_school", role_at_school, false, 200);
    line(errors, "pupil_age_range", pupil_age_range, false, 50);
    text(errors, "description", description, false, 5000);
    if subjects.iter().any(|s| !is_subject(s)) {
        errors.push(FieldError::new("subjects", Msg::FieldInvalidChoice));
    }
    if languages.iter().any(|l| !LANGUAGES.contains(&l.as_str())) {
        errors.push(FieldError::new("languages", Msg::FieldInvalidChoice));
    }
}

/// Field-level problems of a profile edit.
pub fn profile(p: &ProfileEdit) -> Vec<FieldError> {
    let mut errors = Vec::new();
    line(&mut errors, "first_name", &p.first_name, true, 100);
    line(&mut errors, "last_name", &p.last_name, true, 100);
    if !USER_TYPES.contains(&p.user_type.as_str()) {
        errors.push(FieldError::new("user_type", Msg::FieldInvalidChoice));
    }
    if !COUNTRIES.contains(&p.country.as_str()) {
        errors.push(FieldError::new("country", Msg::FieldInvalidChoice));
    }
    let site = p.website.trim();
    if !(site.is_empty() || site.starts_with("https://") || site.starts_with("http://")) {
        errors.push(FieldError::new("website", Msg::FieldUrlInvalid));
    } else {
        line(&mut errors, "website", site, false, 300);
    }
    teacher_fields(
        &mut errors,
        &p.role_at_school,
        &p.pupil_age_range,
        &p.description,
        &p.subjects,
        &p.languages,
    );
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

    #[test]
    fn subjects_and_languages_come_from_the_taxonomy() {
        let r = Registration {
            subjects: vec!["mathematics".into(), "alchemy".into()],
            languages: vec!["da".into()],
            ..valid()
        };
        let fields: Vec<_> = registration(&r).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["subjects"]);
    }

    #[test]
    fn profile_website_must_be_a_web_address() {
        let p = ProfileEdit {
            first_name: "Karen".into(),
            last_name: "Nielsen".into(),
            user_type: "teacher".into(),
            country: "DK".into(),
            website: "javascript:alert(1)".into(),
            ..Default::default()
        };
        let fields: Vec<_> = profile(&p).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["website"]);
        let ok = ProfileEdit {
            website: "https://skole.example.dk".into(),
            ..p
        };
        assert_eq!(profile(&ok), vec![]);
    }
}
