//! Checks on a listing that need no database (the external id's uniqueness is checked by
//! `db`). Shared by the form pages, the server functions and the JSON API.
use super::model::{KINDS, ListingForm, MOBILITY_TYPES, MODES};
use crate::error::FieldError;
use crate::i18n::Msg;
use crate::taxonomy::{COUNTRIES, LANGUAGES, is_subject};

/// At most this many subject tags per listing.
pub const MAX_SUBJECTS: usize = 10;
/// At most this many places in a mobility opportunity.
pub const MAX_PLACES: i64 = 10_000;

/// A one-line field (an `<input>`): see [`crate::check::line_problem`].
fn line(errors: &mut Vec<FieldError>, field: &str, value: &str, required: bool, max: usize) {
    if let Some(m) = crate::check::line_problem(value, required, max, Msg::FieldTooLong) {
        errors.push(FieldError::new(field, m));
    }
}

fn text(errors: &mut Vec<FieldError>, field: &str, value: &str, required: bool, max: usize) {
    if required && value.trim().is_empty() {
        errors.push(FieldError::new(field, Msg::FieldRequired));
    } else if value.trim().chars().count() > max {
        errors.push(FieldError::new(field, Msg::FieldTooLong));
    }
}

fn choice(errors: &mut Vec<FieldError>, field: &str, value: &str, codes: &[&str]) {
    if value.trim().is_empty() {
        errors.push(FieldError::new(field, Msg::FieldRequired));
    } else if !codes.contains(&value.trim()) {
        errors.push(FieldError::new(field, Msg::FieldInvalidChoice));
    }
}

/// Whether `s` is a real calendar date written `YYYY-MM-DD` (years 1000–9999, so text order
/// is date order).
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1000 && (1..=days).contains(&d)
}

/// A date field: `Some(date)` when given and valid, `None` when empty or invalid (then an
/// error is recorded).
fn date<'a>(errors: &mut Vec<FieldError>, field: &str, value: &'a str, required: bool) -> Option<&'a str> {
    let v = value.trim();
    if v.is_empty() {
        if required {
            errors.push(FieldError::new(field, Msg::FieldRequired));
        }
        None
    } else if is_date(v) {
        Some(v)
    } else {
        errors.push(FieldError::new(field, Msg::CatalogueErrorDate));
        None
    }
}

/// A number of places that is not a whole number from 1 to [`MAX_PLACES`].
#[derive(Debug, PartialEq, Eq)]
pub struct BadPlaces;

/// The number of places: empty, or a whole number from 1 to [`MAX_PLACES`].
pub fn places(value: &str) -> Result<Option<i64>, BadPlaces> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    match v.parse::<i64>() {
        Ok(n) if (1..=MAX_PLACES).contains(&n) => Ok(Some(n)),
        _ => Err(BadPlaces),
    }
}

/// Field-level problems of a listing; `today` is the platform clock's `YYYY-MM-DD`.
///
/// Rules: title, language, country, mode always; a place unless online; courses need a
/// start date, mobility opportunities a type, a host and a start date, partnership offers
/// the project idea, the partners sought and a deadline. The end is not before the start;
/// the expiry date and the deadline are not in the past, and the expiry not after the end.
pub fn validate(f: &ListingForm, today: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let kind = f.kind.trim();
    choice(&mut errors, "kind", kind, KINDS);
    line(&mut errors, "title", &f.title, true, 200);
    line(&mut errors, "summary", &f.summary, false, 500);
    text(&mut errors, "description", &f.description, false, 20_000);
    choice(&mut errors, "language", &f.language, LANGUAGES);
    choice(&mut errors, "country", &f.country, COUNTRIES);
    choice(&mut errors, "mode", &f.mode, MODES);
    let online = f.mode.trim() == "online";
    text(
        &mut errors,
        "place",
        &f.place,
        !online && kind != "partnership",
        200,
    );
    line(&mut errors, "external_id", &f.external_id, false, 100);
    if f.external_id.chars().any(char::is_control) {
        errors.push(FieldError::new("external_id", Msg::FieldInvalidChoice));
    }

    let dated = kind == "course" || kind == "mobility";
    let starts = date(&mut errors, "starts_on", &f.starts_on, dated);
    let ends = date(&mut errors, "ends_on", &f.ends_on, false);
    let expires = date(&mut errors, "expires_on", &f.expires_on, false);
    if let (Some(s), Some(e)) = (starts, ends)
        && e < s
    {
        errors.push(FieldError::new("ends_on", Msg::CatalogueErrorEndsBeforeStart));
    }
    if let Some(x) = expires {
        if x < today {
            errors.push(FieldError::new("expires_on", Msg::CatalogueErrorPast));
        } else if ends.is_some_and(|e| x > e) {
            errors.push(FieldError::new("expires_on", Msg::CatalogueErrorExpiresAfterEnd));
        }
    }

    let mut seen = Vec::new();
    for s in &f.subjects {
        if !is_subject(s) {
            errors.push(FieldError::new("subjects", Msg::FieldInvalidChoice));
            break;
        }
        if !seen.contains(s) {
            seen.push(s.clone());
        }
    }
    if seen.len() > MAX_SUBJECTS {
        errors.push(FieldError::new("subjects", Msg::CatalogueErrorTooManySubjects));
    }

    match kind {
        "course" => {
            line(&mut errors, "fee", &f.fee, false, 100);
            line(&mut errors, "target_audience", &f.target_audience, false, 300);
        }
        "mobility" => {
            choice(&mut errors, "mobility_type", &f.mobility_type, MOBILITY_TYPES);
            line(&mut errors, "host", &f.host, true, 200);
            if places(&f.places).is_err() {
                errors.push(FieldError::new("places", Msg::CatalogueErrorPlaces));
            }
        }
        "partnership" => {
            text(&mut errors, "project_idea", &f.project_idea, true, 5_000);
            text(&mut errors, "partners_sought", &f.partners_sought, true, 2_000);
            if let Some(d) = date(&mut errors, "deadline_on", &f.deadline_on, true)
                && d < today
            {
                errors.push(FieldError::new("deadline_on", Msg::CatalogueErrorPast));
            }
        }
        _ => {}
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taxonomy::SUBJECTS;

    const TODAY: &str = "2030-06-01";

    fn course() -> ListingForm {
        ListingForm {
            kind: "course".into(),
            title: "Outdoor maths".into(),
            language: "en".into(),
            country: "DK".into(),
            place: "Aarhus".into(),
            mode: "onsite".into(),
            starts_on: "2030-07-01".into(),
            ends_on: "2030-07-05".into(),
            subjects: vec!["mathematics".into()],
            ..Default::default()
        }
    }

    fn fields(f: &ListingForm) -> Vec<(String, String)> {
        validate(f, TODAY)
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect()
    }

    fn has(f: &ListingForm, field: &str, msg: Msg) -> bool {
        fields(f).contains(&(field.to_string(), msg.key().to_string()))
    }

    #[test]
    fn a_complete_listing_of_each_kind_passes() {
        assert_eq!(fields(&course()), vec![]);
        let mobility = ListingForm {
            kind: "mobility".into(),
            mobility_type: "job_shadowing".into(),
            host: "Skolen".into(),
            places: " 3 ".into(),
            ..course()
        };
        assert_eq!(fields(&mobility), vec![]);
        let partnership = ListingForm {
            kind: "partnership".into(),
            mode: "online".into(),
            place: String::new(),
            starts_on: String::new(),
            ends_on: String::new(),
            project_idea: "Climate".into(),
            partners_sought: "Two schools".into(),
            deadline_on: TODAY.into(),
            ..course()
        };
        assert_eq!(fields(&partnership), vec![]);
    }

    #[test]
    fn required_fields_follow_the_kind() {
        let empty = |kind: &str| ListingForm {
            kind: kind.into(),
            ..Default::default()
        };
        for f in ["title", "language", "country", "mode", "place", "starts_on"] {
            assert!(has(&empty("course"), f, Msg::FieldRequired), "{f}");
        }
        for f in ["mobility_type", "host", "starts_on"] {
            assert!(has(&empty("mobility"), f, Msg::FieldRequired), "{f}");
        }
        for f in ["project_idea", "partners_sought", "deadline_on"] {
            assert!(has(&empty("partnership"), f, Msg::FieldRequired), "{f}");
        }
        assert!(!has(&empty("partnership"), "starts_on", Msg::FieldRequired));
        assert!(!has(&empty("partnership"), "place", Msg::FieldRequired));
        assert!(!has(&empty("course"), "host", Msg::FieldRequired));
        assert!(has(&empty("nonsense"), "kind", Msg::FieldInvalidChoice));
        let online = ListingForm {
            mode: "online".into(),
            place: String::new(),
            ..course()
        };
        assert_eq!(fields(&online), vec![]);
    }

    #[test]
    fn codes_must_be_known() {
        let f = ListingForm {
            country: "XX".into(),
            language: "klingon".into(),
            mode: "teleport".into(),
            subjects: vec!["alchemy".into()],
            ..course()
        };
        for field in ["country", "language", "mode", "subjects"] {
            assert!(has(&f, field, Msg::FieldInvalidChoice), "{field}");
        }
        let m = ListingForm {
            kind: "mobility".into(),
            mobility_type: "holiday".into(),
            host: "h".into(),
            ..course()
        };
        assert!(has(&m, "mobility_type", Msg::FieldInvalidChoice));
        let many = ListingForm {
            subjects: SUBJECTS
                .iter()
                .take(MAX_SUBJECTS + 1)
                .map(|s| s.to_string())
                .collect(),
            ..course()
        };
        assert!(has(&many, "subjects", Msg::CatalogueErrorTooManySubjects));
    }

    #[test]
    fn dates_are_real_and_in_order() {
        assert!(is_date("2024-02-29") && is_date("2000-02-29"));
        for bad in [
            "2023-02-29",
            "1900-02-29",
            "2030-13-01",
            "2030-00-10",
            "2030-1-01",
            "30-01-01",
            "2030/01/01",
            "２０３０-01-01",
            "0999-01-01",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
        let f = ListingForm {
            starts_on: "2030-07-05".into(),
            ends_on: "2030-07-01".into(),
            ..course()
        };
        assert!(has(&f, "ends_on", Msg::CatalogueErrorEndsBeforeStart));
        let f = ListingForm {
            starts_on: "tomorrow".into(),
            ..course()
        };
        assert!(has(&f, "starts_on", Msg::CatalogueErrorDate));
        let f = ListingForm {
            expires_on: "2030-05-31".into(),
            ..course()
        };
        assert!(has(&f, "expires_on", Msg::CatalogueErrorPast));
        let f = ListingForm {
            expires_on: "2030-07-06".into(),
            ..course()
        };
        assert!(has(&f, "expires_on", Msg::CatalogueErrorExpiresAfterEnd));
        let f = ListingForm {
            expires_on: "2030-06-20".into(),
            ..course()
        };
        assert_eq!(fields(&f), vec![]);
    }

    #[test]
    fn places_are_a_positive_whole_number() {
        assert_eq!(places(""), Ok(None));
        assert_eq!(places("12"), Ok(Some(12)));
        for bad in ["0", "-1", "two", "1.5", "99999999999999999999", "10001"] {
            assert!(places(bad).is_err(), "{bad}");
        }
        let f = ListingForm {
            kind: "mobility".into(),
            mobility_type: "job_shadowing".into(),
            host: "h".into(),
            places: "lots".into(),
            ..course()
        };
        assert!(has(&f, "places", Msg::CatalogueErrorPlaces));
    }

    #[test]
    fn lengths_are_bounded() {
        let f = ListingForm {
            title: "x".repeat(201),
            ..course()
        };
        assert!(has(&f, "title", Msg::FieldTooLong));
    }
}
