//! Where the app may send a browser: the one rule for every redirect target that comes
//! from a request (`next` after signing in, the language switch, provider sign-in, forms).
//! Only a path on this site passes; anything a browser could read as another site is
//! refused, also when it is hidden behind percent-encoding or characters browsers drop.

/// Longer targets are refused: no page of ours needs more.
pub const MAX_TARGET_LEN: usize = 2000;

/// `target` when it is a path on this site, else `None`.
///
/// A path on this site starts with one `/` followed by anything but `/` or `\`, is
/// printable ASCII only (no spaces, control characters or Unicode that browsers strip or
/// map, such as a tab in `/\t/evil.example`), holds no backslash (browsers read it as
/// `/`), and stays so after percent-decoding (`/%2F/evil.example`, `/%09/…`, `/%5C…`).
pub fn same_site_path(target: &str) -> Option<&str> {
    if target.len() > MAX_TARGET_LEN || !plain_path(target.as_bytes()) {
        return None;
    }
    // Every round of percent-decoding is checked (some servers and proxies decode more
    // than once). Each round that changes anything shortens the text, so this ends.
    let mut current = target.as_bytes().to_vec();
    loop {
        let decoded = percent_decode(&current);
        if decoded == current {
            break;
        }
        if !decoded_path(&decoded) {
            return None;
        }
        current = decoded;
    }
    Some(target)
}

/// `target` when it is a path on this site, else the home page `/`.
pub fn safe_next(target: &str) -> String {
    same_site_path(target).unwrap_or("/").to_string()
}

/// The undecoded form: `/`, then not `/` or `\`; visible ASCII only; no backslash.
fn plain_path(b: &[u8]) -> bool {
    starts_as_path(b) && b.iter().all(|c| c.is_ascii_graphic() && *c != b'\\')
}

/// A decoded form may hold any byte a path may carry (UTF-8 of a title, say) except those
/// that change where a browser goes: control characters, whitespace and backslashes.
fn decoded_path(b: &[u8]) -> bool {
    starts_as_path(b)
        && b.iter()
            .all(|c| !c.is_ascii_control() && *c != b' ' && *c != b'\\' && !matches!(c, 0x80..=0x9f))
        && std::str::from_utf8(b)
            .map(|s| !s.chars().any(|c| c.is_control() || c.is_whitespace()))
            .unwrap_or(true)
}

fn starts_as_path(b: &[u8]) -> bool {
    b.first() == Some(&b'/') && !matches!(b.get(1), Some(b'/') | Some(b'\\'))
}

fn percent_decode(b: &[u8]) -> Vec<u8> {
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).copied().and_then(hex),
                b.get(i + 2).copied().and_then(hex),
            )
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_on_this_site_pass() {
        for ok in [
            "/",
            "/courses",
            "/courses?x=1&y=%C3%A6",
            "/catalogue/a-b#reviews",
            "/sign-in?next=%2Fcourses",
            "/learn/3/items/4",
        ] {
            assert_eq!(same_site_path(ok), Some(ok), "{ok:?}");
        }
    }

    #[test]
    fn other_sites_and_their_disguises_are_refused() {
        for bad in [
            "",
            "courses",
            "https://evil.example",
            "javascript:alert(1)",
            "//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/\t/evil.example/",
            "/%09/evil.example/",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "/%5Cevil.example",
            "/%255C%255Cevil.example",
            "/%25252F%25252Fevil.example",
            "/a\nb",
            "/a\rLocation: x",
            "/%0d%0aSet-Cookie:x",
            "/a b",
            "/a\u{0}b",
            "/%00",
            "/\u{a0}/evil.example",
            "/\u{2028}",
            "/a\\b",
            "/%E2%80%A8",
            "/%C2%85",
        ] {
            assert_eq!(same_site_path(bad), None, "{bad:?}");
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
        assert_eq!(same_site_path(&format!("/{}", "a".repeat(MAX_TARGET_LEN))), None);
    }

    /// Generated targets built from the pieces that disguise another site: whatever is
    /// accepted resolves, against this site's URL and by the URL standard browsers follow,
    /// to this site, and carries nothing a browser drops or reads as a separator.
    #[cfg(feature = "ssr")]
    #[test]
    fn generated_targets_never_leave_the_site() {
        use rand::{Rng, SeedableRng, rngs::StdRng};
        const PIECES: &[&str] = &[
            "/",
            "//",
            "\\",
            "%2F",
            "%2f",
            "%5C",
            "%5c",
            "%252F",
            "%255C",
            "%25",
            "%",
            "%0",
            "\t",
            "%09",
            "\n",
            "%0A",
            "\r",
            "%0D",
            "\0",
            "%00",
            " ",
            "%20",
            "\u{a0}",
            "%C2%A0",
            "\u{2028}",
            "\u{3000}",
            "\u{ff0f}",
            "evil.example",
            "@",
            ":",
            "https:",
            "javascript:",
            "?",
            "#",
            ".",
            "..",
            "a",
            "courses",
            "=",
            "&",
            "%E2%80%AE",
            "\u{202e}",
            "\u{1b}",
            "\u{7f}",
            "\u{85}",
        ];
        let base = url::Url::parse("https://agora.example/courses/x").unwrap();
        let mut rng = StdRng::seed_from_u64(0xa60a);
        let mut accepted = 0;
        for _ in 0..200_000 {
            let n = rng.random_range(1..7);
            let mut s = String::new();
            if rng.random_bool(0.7) {
                s.push('/');
            }
            for _ in 0..n {
                s.push_str(PIECES[rng.random_range(0..PIECES.len())]);
            }
            let Some(t) = same_site_path(&s) else { continue };
            accepted += 1;
            let resolved = base
                .join(t)
                .unwrap_or_else(|e| panic!("{t:?} accepted but unparseable: {e}"));
            assert_eq!(
                resolved.origin(),
                base.origin(),
                "{t:?} leaves the site: {resolved}"
            );
            assert!(t.bytes().all(|b| b.is_ascii_graphic() && b != b'\\'), "{t:?}");
            let mut decoded = t.as_bytes().to_vec();
            for _ in 0..t.len() {
                decoded = percent_decode(&decoded);
                assert!(
                    !decoded.starts_with(b"//")
                        && !decoded.iter().any(|b| b.is_ascii_control() || *b == b'\\'),
                    "{t:?} decodes to {:?}",
                    String::from_utf8_lossy(&decoded)
                );
            }
        }
        assert!(
            accepted > 1_000,
            "the generator found only {accepted} acceptable targets"
        );
    }
}
