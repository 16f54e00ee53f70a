//! The fixed lists users choose from, and their translated labels (`app/locales/*/taxonomy.ftl`).
pub mod subject_tags;

use crate::i18n::{Lang, Msg};

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

/// Subjects taught (T1).
pub const SUBJECTS: &[&str] = &[
    "mathematics",
    "science",
    "biology",
    "chemistry",
    "physics",
    "geography",
    "history",
    "citizenship",
    "first_language",
    "foreign_languages",
    "arts",
    "music",
    "physical_education",
    "computing",
    "technology",
    "religion_ethics",
    "economics",
    "special_needs",
    "early_childhood",
    "vocational",
    "cross_curricular",
];

/// Communication languages (T1): the EU's official languages and those of the other
/// programme countries (ISO 639-1).
pub const LANGUAGES: &[&str] = &[
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv", "mt",
    "nl", "pl", "pt", "ro", "sk", "sl", "sv", "no", "is", "tr", "uk",
];

fn label(lang: Lang, prefix: &str, code: &str) -> String {
    Msg::from_key(&format!("{prefix}.{}", code.to_ascii_lowercase()))
        .map(|m| lang.t(m).to_string())
        .unwrap_or_else(|| code.to_string())
}

pub fn country_name(lang: Lang, code: &str) -> String {
    label(lang, "country", code)
}

pub fn user_type_name(lang: Lang, code: &str) -> String {
    label(lang, "usertype", code)
}

pub fn subject_name(lang: Lang, code: &str) -> String {
    if SUBJECTS.contains(&code) {
        label(lang, "subject", code)
    } else {
        subject_tags::label(lang, code).unwrap_or_else(|| code.to_string())
    }
}

/// Every subject code: the built-in list and the tags admins added (T12).
pub fn subject_codes() -> Vec<&'static str> {
    let mut all = SUBJECTS.to_vec();
    all.extend(subject_tags::codes());
    all
}

/// Whether `code` is a built-in subject or a tag admins added.
pub fn is_subject(code: &str) -> bool {
    SUBJECTS.contains(&code) || subject_tags::codes().contains(&code)
}

pub fn language_name(lang: Lang, code: &str) -> String {
    label(lang, "language", code)
}

/// `(code, label)` pairs sorted by label in the reader's language, for a `<select>`.
pub fn sorted_options(
    lang: Lang,
    codes: &[&'static str],
    name: fn(Lang, &str) -> String,
) -> Vec<(&'static str, String)> {
    let mut v: Vec<_> = codes.iter().map(|c| (*c, name(lang, c))).collect();
    v.sort_by_cached_key(|(_, l)| l.to_lowercase());
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_label_in_every_language() {
        for &lang in Lang::ALL {
            for (prefix, codes) in [
                ("country", COUNTRIES),
                ("usertype", USER_TYPES),
                ("subject", SUBJECTS),
                ("language", LANGUAGES),
            ] {
                for code in codes {
                    assert!(
                        Msg::from_key(&format!("{prefix}.{}", code.to_ascii_lowercase())).is_some(),
                        "{prefix}.{code} missing"
                    );
                    assert_ne!(label(lang, prefix, code), *code, "{prefix}.{code} in {lang:?}");
                }
            }
        }
        assert_eq!(country_name(Lang::Da, "DK"), "Danmark");
        assert_eq!(country_name(Lang::Sv, "SE"), "Sverige");
        assert_eq!(user_type_name(Lang::En, "head_of_school"), "Head of school");
    }

    #[test]
    fn options_sort_by_the_readers_language() {
        let opts = sorted_options(Lang::Da, &["SE", "DK", "AT"], country_name);
        let labels: Vec<_> = opts.iter().map(|(_, l)| l.as_str()).collect();
        // Code-point order happens to put Ø after Z, as Danish does.
        assert_eq!(labels, ["Danmark", "Sverige", "Østrig"]);
    }
}
