//! Text that goes into HTML the renderer does not escape for us: the `<title>` (leptos_meta
//! 0.8 writes it raw), `<textarea>` children (tachys 0.2 writes them raw; fixed in 0.3) and
//! JSON inside `<script>` elements.

/// `text` as HTML character data: `&`, `<` and `>` written as references, so it can end
/// no element (`</title>`, `</textarea>`) and start none.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON to put inside `<script type="application/ld+json">` or `application/json`: `<`,
/// `>` and `&` written as `\u003c`, `\u003e`, `\u0026` (the same value to a JSON parser),
/// so user text cannot close the element or open a comment.
pub fn json_in_script(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_can_neither_end_nor_start_an_element() {
        assert_eq!(
            super::text("a & b </title><meta http-equiv=\"refresh\">"),
            "a &amp; b &lt;/title&gt;&lt;meta http-equiv=\"refresh\"&gt;"
        );
    }

    #[test]
    fn json_keeps_its_value_and_cannot_close_its_script() {
        let raw = serde_json::json!({"n": "</script><!-- & -->"}).to_string();
        let safe = super::json_in_script(&raw);
        assert!(!safe.contains(['<', '>', '&']), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["n"], "</script><!-- & -->");
    }
}
