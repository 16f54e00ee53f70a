//! User text written in Markdown (descriptions, comments, lessons), rendered on the server
//! and passed through an allow-list sanitiser, so no script from anyone's text ever runs
//! in another user's browser. Only the resulting HTML crosses the wire; pages show it with
//! [`RichText`].
use leptos::prelude::*;

/// Where course files are served (`/courses/files/{id}/{name}`): Markdown may link and
/// embed them.
pub const FILES_PREFIX: &str = "/courses/files/";

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

/// A lesson's Markdown (S5, S19): as [`to_safe_html`], and also
/// - images, but only the course's own files (`/courses/files/…`); any other image
///   becomes its alt text;
/// - `::embed[TITLE](ADDRESS)` lines ([`crate::ui::embed`]): a sandboxed iframe for an
///   address the policy allows, else a plain link, or only the title for non-http(s).
///
/// Iframes written as HTML are still removed: the embeds are made here, after the
/// sanitiser has run, in place of markers that nobody can forge (a fresh random value
/// per call).
#[cfg(feature = "ssr")]
pub fn to_lesson_html(markdown: &str, embeds: &crate::ui::embed::EmbedPolicy) -> String {
    use crate::ui::embed::{Embed, escape, frame_html, parse_line};
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let marker = format!("agoraembed{:016x}", rand::random::<u64>());
    let mut frames: Vec<String> = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    let mut in_embed = false;
    let mut dropped_images = 0usize;
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        if in_embed {
            in_embed = !matches!(event, Event::End(TagEnd::Paragraph));
            continue;
        }
        match event {
            Event::Start(Tag::Paragraph) => {
                let lines: Vec<&str> = markdown[range]
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect();
                let parsed: Option<Vec<_>> = lines.iter().map(|l| parse_line(l)).collect();
                let Some(parsed) = parsed.filter(|p| !p.is_empty()) else {
                    events.push(Event::Start(Tag::Paragraph));
                    continue;
                };
                let mut out = String::new();
                for (title, address) in parsed {
                    match embeds.embed(address, title) {
                        Embed::Frame { src, title, video } => {
                            out.push_str(&format!("<p>{marker}x{}</p>\n", frames.len()));
                            frames.push(frame_html(&src, &title, video));
                        }
                        // Still goes through the sanitiser below.
                        Embed::Link { href, label } => out.push_str(&format!(
                            "<p><a href=\"{}\">{}</a></p>\n",
                            escape(&href),
                            escape(&label)
                        )),
                        Embed::Text(text) if text.is_empty() => {}
                        Embed::Text(text) => out.push_str(&format!("<p>{}</p>\n", escape(&text))),
                    }
                }
                events.push(Event::Html(out.into()));
                in_embed = true;
            }
            Event::Start(Tag::Image { ref dest_url, .. }) if !is_course_file(dest_url) => {
                dropped_images += 1;
            }
            Event::End(TagEnd::Image) if dropped_images > 0 => dropped_images -= 1,
            other => events.push(other),
        }
    }
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events.into_iter());
    let mut out = lesson_sanitiser().clean(&unsafe_html).to_string();
    for (i, frame) in frames.iter().enumerate() {
        out = out.replacen(&format!("<p>{marker}x{i}</p>"), frame, 1);
    }
    out
}

/// `/courses/files/{id}/{name}` and nothing that could lead elsewhere.
#[cfg(feature = "ssr")]
fn is_course_file(src: &str) -> bool {
    let Some(rest) = src.strip_prefix(FILES_PREFIX) else {
        return false;
    };
    let Some((id, name)) = rest.split_once('/') else {
        return false;
    };
    !id.is_empty()
        && id.chars().all(|c| c.is_ascii_digit())
        && !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

#[cfg(feature = "ssr")]
fn lesson_sanitiser() -> &'static ammonia::Builder<'static> {
    use std::sync::OnceLock;
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.url_schemes(["http", "https", "mailto"].into_iter().collect())
            .link_rel(Some("nofollow ugc noopener noreferrer"))
            .set_tag_attribute_value("img", "loading", "lazy")
            // An image written as HTML keeps its source only if it is a course file.
            .attribute_filter(|element, attribute, value| {
                if element == "img" && attribute == "src" && !is_course_file(value) {
                    None
                } else {
                    Some(value.into())
                }
            });
        b
    })
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
    use super::{to_lesson_html, to_safe_html};
    use crate::ui::embed::EmbedPolicy;

    #[test]
    fn lessons_embed_allowed_providers_in_a_sandbox() {
        let md = "Watch this:\n\n::embed[Fractions explained](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n\nThen discuss.";
        let html = to_lesson_html(md, &EmbedPolicy::default());
        assert!(
            html.contains("<iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\" title=\"Fractions explained\" sandbox=\"allow-scripts allow-same-origin allow-presentation\""),
            "{html}"
        );
        assert!(html.contains("loading=\"lazy\""), "{html}");
        assert!(
            html.contains("<p>Watch this:</p>") && html.contains("<p>Then discuss.</p>"),
            "{html}"
        );
        assert_eq!(html.matches("<iframe").count(), 1, "{html}");
        // Two embed lines together, the second with the provider's name as its title.
        let two = to_lesson_html(
            "::embed[A](https://vimeo.com/76979871)\n::embed[https://youtu.be/dQw4w9WgXcQ]",
            &EmbedPolicy::default(),
        );
        assert_eq!(two.matches("<iframe").count(), 2, "{two}");
        assert!(two.contains("title=\"YouTube\""), "{two}");
    }

    #[test]
    fn lessons_refuse_unknown_hosts_scripts_and_raw_iframes() {
        let p = EmbedPolicy::default();
        let html = to_lesson_html(
            "::embed[Evil](https://evil.example/player)\n\n\
             ::embed[Run me](javascript:alert(1))\n\n\
             ::embed[data:text/html;base64,PHNjcmlwdD4=]\n\n\
             <iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\"></iframe>\n\n\
             <iframe src=\"https://evil.example\"></iframe>\n\n\
             `::embed[code](https://youtu.be/dQw4w9WgXcQ)`",
            &p,
        );
        assert!(!html.contains("<iframe"), "{html}");
        assert!(!html.to_lowercase().contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(
            html.contains(
                "<a href=\"https://evil.example/player\" rel=\"nofollow ugc noopener noreferrer\">Evil</a>"
            ),
            "{html}"
        );
        assert!(html.contains("<p>Run me</p>"), "{html}");
        assert!(html.contains("<code>::embed[code]"), "{html}");
        // Nobody can forge the marker that becomes an iframe.
        let forged = to_lesson_html(
            "<p>agoraembed0000000000000000x0</p>\n\nagoraembed0000000000000000x0",
            &p,
        );
        assert!(!forged.contains("<iframe"), "{forged}");
        // With embedding switched off, even YouTube is a link.
        let off = to_lesson_html("::embed[V](https://youtu.be/dQw4w9WgXcQ)", &EmbedPolicy::none());
        assert!(
            !off.contains("<iframe") && off.contains("<a href=\"https://youtu.be/dQw4w9WgXcQ\""),
            "{off}"
        );
    }

    #[test]
    fn lessons_show_course_files_and_no_other_images() {
        let p = EmbedPolicy::default();
        let html = to_lesson_html(
            "![Plan](/courses/files/12/plan.png) ![Tracker](https://evil.example/t.png) \
             ![up](/courses/files/12/../../admin) <img src=\"/courses/files/3/a.png\" onerror=\"alert(1)\"> \
             <img src=\"https://evil.example/x.png\">",
            &p,
        );
        assert!(
            html.contains("<img src=\"/courses/files/12/plan.png\" alt=\"Plan\""),
            "{html}"
        );
        assert!(html.contains("<img src=\"/courses/files/3/a.png\""), "{html}");
        assert!(
            !html.contains("evil.example") && !html.contains("onerror") && !html.contains(".."),
            "{html}"
        );
        assert!(
            html.contains("Tracker") && html.contains("up"),
            "alt text stays: {html}"
        );
        // Descriptions and comments still show no images at all.
        assert!(!to_safe_html("![Plan](/courses/files/12/plan.png)").contains("<img"));
    }

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
