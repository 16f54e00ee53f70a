//! Checks on input that every area needs and that need no database: e-mail addresses,
//! the address part (slug) made from a name, one-line names and titles, search lengths.
//! They run on the server always, and may run in the browser first.
#[cfg(feature = "ssr")]
use crate::error::AppError;
use crate::i18n::Msg;

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

/// The address part of an organisation page made from its name: lower-case ASCII letters
/// and digits joined by hyphens, at most 60 characters; never empty and never `new`.
pub fn slug_of(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let piece: &str = match c {
            'a'..='z' | '0'..='9' => {
                out.push(c);
                continue;
            }
            'æ' | 'ä' => "ae",
            'ø' | 'ö' | 'œ' => "oe",
            'å' => "aa",
            'ü' => "ue",
            'ß' => "ss",
            'à' | 'á' | 'â' | 'ã' | 'ą' | 'ă' => "a",
            'ç' | 'č' | 'ć' => "c",
            'è' | 'é' | 'ê' | 'ë' | 'ę' | 'ě' => "e",
            'ì' | 'í' | 'î' | 'ï' => "i",
            'ñ' | 'ń' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ő' => "o",
            'ù' | 'ú' | 'û' | 'ű' | 'ů' => "u",
            'š' | 'ś' | 'ș' | 'ş' => "s",
            'ž' | 'ź' | 'ż' => "z",
            'ł' => "l",
            'ř' => "r",
            'ț' | 'ţ' => "t",
            'ý' | 'ÿ' => "y",
            'đ' | 'ď' => "d",
            _ => "-",
        };
        out.push_str(piece);
    }
    let mut slug = String::new();
    for part in out.split('-').filter(|p| !p.is_empty()) {
        if slug.len() + part.len() + 1 > 60 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(part);
    }
    if slug.is_empty() {
        slug = "organisation".into();
    }
    if slug == "new" {
        slug = "new-organisation".into();
    }
    slug
}

/// How long a search or filter text may be. Longer ones are refused before the database
/// (SQLite's `LIKE` refuses patterns over 50,000 bytes; issue 13).
pub const MAX_SEARCH_CHARS: usize = 200;

/// Refuses a search whose texts (`(field, value)`) are too long, naming the field.
#[cfg(feature = "ssr")]
pub fn search_fields(fields: &[(&str, &str)]) -> Result<(), AppError> {
    match fields.iter().find(|(_, v)| v.chars().count() > MAX_SEARCH_CHARS) {
        Some((field, _)) => Err(AppError::field(field, Msg::ErrorSearchTooLong)),
        None => Ok(()),
    }
}

/// What is wrong with a name or title, if anything: empty when required, a line break or
/// tab in it (issue 13: one line, whatever a crafted request sends), or over `max`
/// characters (after trimming). `too_long` is the area's own wording.
pub fn line_problem(value: &str, required: bool, max: usize, too_long: Msg) -> Option<Msg> {
    let v = value.trim();
    if required && v.is_empty() {
        Some(Msg::FieldRequired)
    } else if v.contains(['\n', '\r', '\t']) {
        Some(Msg::FieldOneLine)
    } else if v.chars().count() > max {
        Some(too_long)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug_of("Nørre Skole"), "noerre-skole");
        assert_eq!(slug_of("  Lycée Français d'Århus!  "), "lycee-francais-d-aarhus");
        assert_eq!(slug_of("???"), "organisation");
        assert_eq!(slug_of("New"), "new-organisation");
        assert!(slug_of(&"long words ".repeat(20)).len() <= 60);
    }
}
