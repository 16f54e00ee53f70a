//! Interface languages. The strings live in `app/locales/<code>/*.ftl`; `build.rs` turns them
//! into the `Lang` and `Msg` enums, so adding a language is adding a file.
include!(concat!(env!("OUT_DIR"), "/i18n.rs"));

use leptos::prelude::*;

/// Name of the cookie that remembers the visitor's choice of language.
pub const LANG_COOKIE: &str = "agora_lang";

impl Lang {
    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        let primary = code.split(['-', '_']).next().unwrap_or("");
        Lang::ALL.iter().copied().find(|l| l.code() == primary)
    }

    pub fn t(self, msg: Msg) -> &'static str {
        text(self, msg)
    }
}

impl Default for Lang {
    fn default() -> Self {
        Lang::ALL[0]
    }
}

/// Picks the language: an explicit choice (the cookie) wins, then the browser's
/// `Accept-Language` preferences by their q-values, then English.
pub fn negotiate(cookie_choice: Option<&str>, accept_language: Option<&str>) -> Lang {
    if let Some(lang) = cookie_choice.and_then(Lang::from_code) {
        return lang;
    }
    let mut best: Option<(f32, Lang)> = None;
    for part in accept_language.unwrap_or("").split(',') {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if let Some(lang) = Lang::from_code(tag)
            && q > 0.0
            && best.is_none_or(|(bq, _)| q > bq)
        {
            best = Some((q, lang));
        }
    }
    best.map(|(_, l)| l).unwrap_or_default()
}

/// Reads the value of one cookie from a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// The language a request asks for, from its `Cookie` and `Accept-Language` headers.
#[cfg(feature = "ssr")]
pub fn from_headers(headers: &http::HeaderMap) -> Lang {
    let header = |name| {
        headers
            .get(name)
            .and_then(|v: &http::HeaderValue| v.to_str().ok())
    };
    let cookie = header(http::header::COOKIE).and_then(|c| cookie_value(c, LANG_COOKIE));
    negotiate(cookie, header(http::header::ACCEPT_LANGUAGE))
}

/// The language of the current page. On the server it is negotiated from the request;
/// in the browser it is read back from `<html lang>`, which the server wrote.
pub fn current_lang() -> Lang {
    if let Some(lang) = use_context::<Lang>() {
        return lang;
    }
    #[cfg(feature = "ssr")]
    {
        let lang = use_context::<http::request::Parts>()
            .map(|parts| from_headers(&parts.headers))
            .unwrap_or_default();
        provide_context(lang);
        lang
    }
    #[cfg(not(feature = "ssr"))]
    {
        let lang = document()
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|code| Lang::from_code(&code))
            .unwrap_or_default();
        provide_context(lang);
        lang
    }
}

/// Translates a message into the current page's language.
pub fn t(msg: Msg) -> &'static str {
    current_lang().t(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ships_english_danish_and_swedish() {
        let codes: Vec<_> = Lang::ALL.iter().map(|l| l.code()).collect();
        assert_eq!(codes, ["en", "da", "sv"]);
    }

    #[test]
    fn every_message_is_translated_and_not_left_in_english() {
        for &lang in Lang::ALL {
            for &msg in Msg::ALL {
                assert!(!lang.t(msg).is_empty(), "{msg:?} is empty in {lang:?}");
            }
        }
        // The switcher and the skip link are the strings a reader meets first.
        assert_ne!(Lang::Da.t(Msg::SkipToContent), Lang::En.t(Msg::SkipToContent));
        assert_ne!(Lang::Sv.t(Msg::SkipToContent), Lang::En.t(Msg::SkipToContent));
    }

    #[test]
    fn cookie_beats_accept_language() {
        assert_eq!(negotiate(Some("sv"), Some("da,en;q=0.5")), Lang::Sv);
    }

    #[test]
    fn accept_language_respects_q_values_and_regions() {
        assert_eq!(negotiate(None, Some("de-DE, sv-SE;q=0.4, da;q=0.8")), Lang::Da);
        assert_eq!(negotiate(None, Some("sv-FI")), Lang::Sv);
        assert_eq!(negotiate(None, Some("da;q=0")), Lang::En);
    }

    #[test]
    fn unknown_or_garbage_falls_back_to_english() {
        assert_eq!(negotiate(Some("xx"), Some("fr, ;;q=abc, *")), Lang::En);
        assert_eq!(negotiate(None, None), Lang::En);
    }

    #[test]
    fn reads_one_cookie_among_many() {
        assert_eq!(cookie_value("a=1; agora_lang=da; b=2", LANG_COOKIE), Some("da"));
        assert_eq!(cookie_value("xagora_lang=da", LANG_COOKIE), None);
    }
}

/// Fills `{name}` placeholders and turns the `\n` of locale files into line breaks.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.replace("\\n", "\n");
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

#[cfg(test)]
mod fill_tests {
    #[test]
    fn fills_placeholders_and_line_breaks() {
        assert_eq!(
            super::fill("Hi {name},\\n{link}", &[("name", "Ada"), ("link", "x")]),
            "Hi Ada,\nx"
        );
    }
}
