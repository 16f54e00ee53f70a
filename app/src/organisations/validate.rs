//! Checks on organisation input that need no database (uniqueness is checked by `db`).
use super::model::{ORG_TYPES, OrganisationForm};
use crate::check::{email_is_valid, normalise_email};
use crate::error::FieldError;
use crate::i18n::Msg;
use crate::taxonomy::COUNTRIES;

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

fn url(errors: &mut Vec<FieldError>, field: &str, value: &str) {
    let v = value.trim();
    let ok = v.is_empty()
        || ((v.starts_with("https://") || v.starts_with("http://"))
            && v.len() > "https://".len()
            && !v.chars().any(|c| c.is_whitespace() || c.is_control()));
    if !ok {
        errors.push(FieldError::new(field, Msg::FieldUrlInvalid));
    } else {
        line(errors, field, v, false, 300);
    }
}

fn email(errors: &mut Vec<FieldError>, field: &str, value: &str) {
    let v = normalise_email(value);
    if !v.is_empty() && !email_is_valid(&v) {
        errors.push(FieldError::new(field, Msg::FieldEmailInvalid));
    }
}

/// A PIC is exactly nine digits.
pub fn pic_is_valid(pic: &str) -> bool {
    pic.len() == 9 && pic.bytes().all(|b| b.is_ascii_digit())
}

/// Field-level problems of an organisation form.
pub fn organisation(f: &OrganisationForm) -> Vec<FieldError> {
    let mut errors = Vec::new();
    line(&mut errors, "name", &f.name, true, 200);
    if !ORG_TYPES.contains(&f.org_type.as_str()) {
        errors.push(FieldError::new("org_type", Msg::FieldInvalidChoice));
    }
    line(&mut errors, "address", &f.address, true, 300);
    line(&mut errors, "city", &f.city, true, 100);
    line(&mut errors, "postcode", &f.postcode, true, 20);
    if !COUNTRIES.contains(&f.country.as_str()) {
        errors.push(FieldError::new("country", Msg::FieldInvalidChoice));
    }
    line(&mut errors, "region", &f.region, false, 100);
    if !pic_is_valid(f.pic.trim()) {
        errors.push(FieldError::new("pic", Msg::OrgPicInvalid));
    }
    text(&mut errors, "description", &f.description, false, 5000);
    url(&mut errors, "website", &f.website);
    url(&mut errors, "facebook_url", &f.facebook_url);
    url(&mut errors, "linkedin_url", &f.linkedin_url);
    email(&mut errors, "official_email", &f.official_email);
    line(&mut errors, "head_name", &f.head_name, false, 200);
    email(&mut errors, "head_email", &f.head_email);
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> OrganisationForm {
        OrganisationForm {
            name: "Nørre Skole".into(),
            org_type: "school".into(),
            address: "Skolevej 1".into(),
            city: "Aarhus".into(),
            postcode: "8000".into(),
            country: "DK".into(),
            pic: "123456789".into(),
            website: "https://skole.example.dk".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_form_passes() {
        assert_eq!(organisation(&valid()), vec![]);
    }

    #[test]
    fn pic_is_exactly_nine_digits() {
        for bad in ["12345678", "1234567890", "12345678a", "", "１２３４５６７８９"] {
            let f = OrganisationForm {
                pic: bad.into(),
                ..valid()
            };
            assert_eq!(
                organisation(&f),
                vec![FieldError::new("pic", Msg::OrgPicInvalid)],
                "{bad:?}"
            );
        }
    }

    #[test]
    fn links_are_web_addresses_and_choices_come_from_the_lists() {
        let f = OrganisationForm {
            website: "javascript:alert(1)".into(),
            facebook_url: "ftp://x".into(),
            org_type: "castle".into(),
            country: "XX".into(),
            official_email: "nope".into(),
            ..valid()
        };
        let fields: Vec<_> = organisation(&f).into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["org_type", "country", "website", "facebook_url", "official_email"]
        );
    }
}
