//! User text written in Markdown (descriptions, comments, lessons), rendered on the server
//! and passed through an allow-list sanitiser, so no script from anyone's text ever runs
//! in another user's browser. Only the resulting HTML crosses the wire; pages show it with
//! [`RichText`].
use leptos::prelude::*;

/// Markdown to HTML that is safe to insert into a page: no scripts, event handlers, styles,
/// iframes or forms; links only to http(s) and mailto (no `javascript:` or `data:`), marked
/// `nofollow ugc` and opening without access to this page.
#[cfg(feature = "ssr")]
pub fn to_safe_html(markdown: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    sanitiser().clean(&unsafe_html).to_string()
}

#[cfg(feature = "ssr")]
fn sanitiser() -> &'static ammonia::Builder<'static> {
    use std::sync::OnceLock;
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.url_schemes(["http", "https", "mailto"].into_iter().collect())
            .link_rel(Some("nofollow ugc noopener noreferrer"))
            .rm_tags(["img"]);
        b
    })
}

/// Server-sanitised HTML from [`to_safe_html`].
#[component]
pub fn RichText(html: String, #[prop(optional, into)] class: String) -> impl IntoView {
    let class = if class.is_empty() {
        "rich-text".to_string()
    } else {
        format!("rich-text {class}")
    };
    view! { <div class=class inner_html=html></div> }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::to_safe_html;

    #[test]
    fn renders_markdown() {
        let html = to_safe_html("# Title\n\nSome *emphasis* and a [link](https://example.org).");
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<em>emphasis</em>"), "{html}");
        assert!(html.contains(r#"href="https://example.org""#), "{html}");
        assert!(html.contains("nofollow"), "{html}");
    }

    #[test]
    fn strips_scripts_handlers_and_dangerous_urls() {
        let evil = "<script>alert(1)</script>\n\n<p onclick=\"alert(2)\">x</p>\n\n\
                    [a](javascript:alert(3)) [b](data:text/html;base64,PHNjcmlwdD4=) \
                    <iframe src=\"https://evil.example\"></iframe> <img src=x onerror=alert(4)> \
                    <a href=\"JaVaScRiPt:alert(5)\">c</a> <style>body{}</style>";
        let html = to_safe_html(evil);
        for bad in [
            "<script",
            "onclick",
            "javascript:",
            "JaVaScRiPt",
            "data:",
            "<iframe",
            "onerror",
            "<img",
            "<style",
            "alert(",
        ] {
            assert!(
                !html.to_lowercase().contains(&bad.to_lowercase()),
                "{bad} survived in {html}"
            );
        }
    }
}
