//! What user text may hold (issue 13). Everything a person types reaches the database
//! through [`clean`]: the HTTP layer applies it to every server-function form field, and
//! code that takes text from elsewhere (sign-in providers) calls it itself. Names and
//! titles go through [`line`] as well.
//!
//! Removed: NUL and the other C0/C1 control characters (a tab and a line break stay),
//! the bidirectional embedding, override and isolate controls (U+202A–U+202E,
//! U+2066–U+2069, which make a name read differently from what it is), and the byte order
//! mark. Line ends become `\n`. The result is in Unicode normalisation form C, so "é"
//! typed two ways is one name.
use unicode_normalization::UnicodeNormalization;

fn dropped(c: char) -> bool {
    match c {
        '\t' | '\n' => false,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' => true,
        c => c.is_control(),
    }
}

/// Body text: control characters gone, line breaks kept as `\n`, NFC.
pub fn clean(s: &str) -> String {
    let unified = if s.contains('\r') || s.contains('\u{2028}') || s.contains('\u{2029}') {
        s.replace("\r\n", "\n")
            .replace(['\r', '\u{2028}', '\u{2029}'], "\n")
    } else {
        s.to_string()
    };
    if unified.is_ascii()
        && !unified
            .bytes()
            .any(|b| b.is_ascii_control() && b != b'\t' && b != b'\n')
    {
        return unified;
    }
    unified.chars().filter(|c| !dropped(*c)).nfc().collect()
}

/// A name or title: [`clean`], every run of white space (line breaks and tabs included)
/// one space, trimmed.
pub fn line(s: &str) -> String {
    clean(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_direction_overrides_are_removed() {
        assert_eq!(clean("a\u{0}b\u{1b}[31mc"), "ab[31mc");
        assert_eq!(
            clean("\u{FEFF}evil\u{202E}txt.exe\u{2066}x\u{2069}"),
            "eviltxt.exex"
        );
        assert_eq!(clean("a\u{85}b\u{9f}c"), "abc");
    }

    #[test]
    fn line_breaks_stay_in_bodies_and_go_from_names() {
        assert_eq!(
            clean("one\r\ntwo\rthree\u{2028}four\n\tfive"),
            "one\ntwo\nthree\nfour\n\tfive"
        );
        assert_eq!(line("  Anna\r\n  Maria\tJensen \u{0} "), "Anna Maria Jensen");
    }

    #[test]
    fn text_is_normalised_to_nfc() {
        let decomposed = "Se\u{301}verine";
        assert_eq!(clean(decomposed), "S\u{e9}verine");
        assert_eq!(line(decomposed), "S\u{e9}verine");
    }

    #[test]
    fn ordinary_text_is_unchanged() {
        for s in [
            "Læring i skolen",
            "Ålands folkhögskola",
            "emoji 👩🏽‍🏫 zwj",
            "שלום",
            "a\tb\nc",
        ] {
            assert_eq!(clean(s), s);
        }
    }
}
