//! Videos and online tools in lessons (S5: "embeds of external tools").
//!
//! Lesson Markdown never lets an `<iframe>` through (see [`super::markdown`]). Instead a
//! teacher writes a line of its own
//!
//! ```text
//! ::embed[A title that says what it is](https://www.youtube.com/watch?v=dQw4w9WgXcQ)
//! ::embed[https://vimeo.com/76979871]
//! ```
//!
//! and the server turns it into a sandboxed `<iframe>` when the address belongs to an
//! allowed provider, rewritten to that provider's embed address (YouTube through
//! youtube-nocookie.com, Vimeo with `dnt=1`). Any other address becomes a plain link, and
//! one that is not http(s) (`javascript:`, `data:`) becomes nothing but its title.
//!
//! The allow-list is configuration (`AGORA_EMBED_PROVIDERS`): provider names from
//! [`Provider::ALL`] and `https://` origins of other tools (an institution's own H5P or
//! Moodle, for example), whose addresses are then embedded as they are. The pages' CSP
//! `frame-src` lists exactly the hosts of the allow-list ([`EmbedPolicy::frame_src`]).
use url::Url;

/// A provider whose page addresses we know how to turn into embed addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    YouTube,
    Vimeo,
    Padlet,
    H5p,
    Miro,
}

impl Provider {
    pub const ALL: &[Provider] = &[
        Provider::YouTube,
        Provider::Vimeo,
        Provider::Padlet,
        Provider::H5p,
        Provider::Miro,
    ];

    /// The name in `AGORA_EMBED_PROVIDERS`.
    pub fn id(self) -> &'static str {
        match self {
            Provider::YouTube => "youtube",
            Provider::Vimeo => "vimeo",
            Provider::Padlet => "padlet",
            Provider::H5p => "h5p",
            Provider::Miro => "miro",
        }
    }

    /// The name people know it by; also the iframe's title when the teacher gave none.
    pub fn name(self) -> &'static str {
        match self {
            Provider::YouTube => "YouTube",
            Provider::Vimeo => "Vimeo",
            Provider::Padlet => "Padlet",
            Provider::H5p => "H5P",
            Provider::Miro => "Miro",
        }
    }

    /// Where its embed addresses point, as CSP sources.
    fn frame_sources(self) -> &'static [&'static str] {
        match self {
            Provider::YouTube => &["https://www.youtube-nocookie.com"],
            Provider::Vimeo => &["https://player.vimeo.com"],
            Provider::Padlet => &["https://padlet.com"],
            Provider::H5p => &["https://h5p.org", "https://*.h5p.com"],
            Provider::Miro => &["https://miro.com"],
        }
    }

    fn video(self) -> bool {
        matches!(self, Provider::YouTube | Provider::Vimeo)
    }

    /// The embed address for a page address of this provider, if it is one.
    fn embed_url(self, url: &Url) -> Option<String> {
        let host = url.host_str()?.to_ascii_lowercase();
        let segments: Vec<&str> = url
            .path_segments()
            .map(|s| s.filter(|p| !p.is_empty()).collect())
            .unwrap_or_default();
        let query = |name: &str| {
            url.query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        match self {
            Provider::YouTube => {
                let id = match (host.as_str(), segments.as_slice()) {
                    ("youtu.be", [id, ..]) => id.to_string(),
                    (
                        "youtube.com"
                        | "www.youtube.com"
                        | "m.youtube.com"
                        | "youtube-nocookie.com"
                        | "www.youtube-nocookie.com",
                        rest,
                    ) => match rest {
                        ["watch"] => query("v")?,
                        ["embed" | "shorts" | "live", id, ..] => id.to_string(),
                        _ => return None,
                    },
                    _ => return None,
                };
                let valid = id.len() == 11
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                if !valid {
                    return None;
                }
                let start = query("t").or_else(|| query("start")).and_then(|t| seconds(&t));
                Some(match start {
                    Some(s) if s > 0 => format!("https://www.youtube-nocookie.com/embed/{id}?start={s}"),
                    _ => format!("https://www.youtube-nocookie.com/embed/{id}"),
                })
            }
            Provider::Vimeo => {
                let (id, hash) = match (host.as_str(), segments.as_slice()) {
                    ("vimeo.com" | "www.vimeo.com", [id]) => (*id, None),
                    ("vimeo.com" | "www.vimeo.com", [id, hash]) => (*id, Some(hash.to_string())),
                    ("player.vimeo.com", ["video", id]) => (*id, query("h")),
                    _ => return None,
                };
                if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                match hash {
                    Some(h) if !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()) => {
                        Some(format!("https://player.vimeo.com/video/{id}?h={h}&dnt=1"))
                    }
                    Some(_) => None,
                    None => Some(format!("https://player.vimeo.com/video/{id}?dnt=1")),
                }
            }
            Provider::Padlet => {
                if host != "padlet.com" && host != "www.padlet.com" {
                    return None;
                }
                // padlet.com/USER/TITLE-ID, or padlet.com/embed/ID
                let id = match segments.as_slice() {
                    ["embed", id] => *id,
                    [_, board] => board.rsplit('-').next()?,
                    _ => return None,
                };
                (!id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric()))
                    .then(|| format!("https://padlet.com/embed/{id}"))
            }
            Provider::H5p => {
                let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
                if host == "h5p.org" || host == "www.h5p.org" {
                    let id = match segments.as_slice() {
                        ["node", id] | ["h5p", "embed", id] => *id,
                        _ => return None,
                    };
                    return digits(id).then(|| format!("https://h5p.org/h5p/embed/{id}"));
                }
                // An organisation's own H5P.com: TENANT.h5p.com/content/ID[/embed]
                let tenant = host.strip_suffix(".h5p.com")?;
                let tenant_ok = !tenant.is_empty()
                    && tenant
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                match segments.as_slice() {
                    ["content", id] | ["content", id, "embed"] if tenant_ok && digits(id) => {
                        Some(format!("https://{tenant}.h5p.com/content/{id}/embed"))
                    }
                    _ => None,
                }
            }
            Provider::Miro => {
                if host != "miro.com" {
                    return None;
                }
                match segments.as_slice() {
                    ["app", "board" | "live-embed", id, ..]
                        if !id.is_empty()
                            && id
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '=')) =>
                    {
                        Some(format!("https://miro.com/app/live-embed/{id}/"))
                    }
                    _ => None,
                }
            }
        }
    }
}

/// `90`, `90s`, `1m30s`, `1h2m3s` as seconds.
fn seconds(t: &str) -> Option<u64> {
    if let Ok(n) = t.trim_end_matches('s').parse::<u64>() {
        return Some(n);
    }
    let mut total = 0u64;
    let mut number = String::new();
    for c in t.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: u64 = number.parse().ok()?;
        number.clear();
        total += n * match c {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
    }
    number.is_empty().then_some(total)
}

/// Which providers and other origins may be embedded on this platform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbedPolicy {
    providers: Vec<Provider>,
    /// `https://host[:port]` of other tools, embedded as given.
    origins: Vec<String>,
}

/// The default allow-list: widely used in schools, and each has an embed address that
/// needs no account of the learner.
pub const DEFAULT_PROVIDERS: &str = "youtube,vimeo,padlet,h5p";

impl Default for EmbedPolicy {
    fn default() -> Self {
        EmbedPolicy::parse(DEFAULT_PROVIDERS).expect("the default list is valid")
    }
}

/// What a line of lesson Markdown becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Embed {
    /// An allowed address, as its embed address.
    Frame { src: String, title: String, video: bool },
    /// Another http(s) address.
    Link { href: String, label: String },
    /// Not an address we link to at all (`javascript:`, `data:`, nonsense).
    Text(String),
}

impl EmbedPolicy {
    /// Nothing may be embedded (`AGORA_EMBED_PROVIDERS=none`).
    pub fn none() -> Self {
        EmbedPolicy {
            providers: Vec::new(),
            origins: Vec::new(),
        }
    }

    /// A comma-separated list of provider names and `https://` origins; `none` (or an
    /// empty list) allows nothing. The error names the entry that is neither.
    pub fn parse(list: &str) -> Result<EmbedPolicy, String> {
        let mut policy = EmbedPolicy::none();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let lower = entry.to_ascii_lowercase();
            if lower == "none" {
                continue;
            }
            if let Some(p) = Provider::ALL.iter().find(|p| p.id() == lower) {
                if !policy.providers.contains(p) {
                    policy.providers.push(*p);
                }
                continue;
            }
            let origin = Url::parse(entry)
                .ok()
                .filter(|u| {
                    u.scheme() == "https"
                        && u.host_str().is_some()
                        && u.username().is_empty()
                        && u.password().is_none()
                        && u.path() == "/"
                        && u.query().is_none()
                        && u.fragment().is_none()
                })
                .map(|u| u.origin().ascii_serialization())
                .ok_or_else(|| entry.to_string())?;
            if !policy.origins.contains(&origin) {
                policy.origins.push(origin);
            }
        }
        Ok(policy)
    }

    pub fn is_empty(&self) -> bool {
        self.providers.is_empty() && self.origins.is_empty()
    }

    /// For the editor's hint: the providers' names and the other origins' hosts.
    pub fn names(&self) -> Vec<String> {
        self.providers
            .iter()
            .map(|p| p.name().to_string())
            .chain(
                self.origins
                    .iter()
                    .map(|o| o.trim_start_matches("https://").to_string()),
            )
            .collect()
    }

    /// The CSP `frame-src` value: exactly the allowed embed hosts, or `'none'`.
    pub fn frame_src(&self) -> String {
        let mut sources: Vec<&str> = self
            .providers
            .iter()
            .flat_map(|p| p.frame_sources().iter().copied())
            .chain(self.origins.iter().map(String::as_str))
            .collect();
        sources.dedup();
        if sources.is_empty() {
            "'none'".into()
        } else {
            sources.join(" ")
        }
    }

    /// What an address written in an `::embed` line becomes.
    pub fn embed(&self, address: &str, title: Option<&str>) -> Embed {
        let title = title.map(str::trim).filter(|t| !t.is_empty());
        let Some(url) = Url::parse(address.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        else {
            return Embed::Text(title.unwrap_or_default().to_string());
        };
        for p in &self.providers {
            if let Some(src) = p.embed_url(&url) {
                return Embed::Frame {
                    src,
                    title: title.unwrap_or(p.name()).to_string(),
                    video: p.video(),
                };
            }
        }
        let origin = url.origin().ascii_serialization();
        if url.scheme() == "https"
            && url.username().is_empty()
            && url.password().is_none()
            && self.origins.contains(&origin)
        {
            return Embed::Frame {
                src: url.to_string(),
                title: title.unwrap_or(url.host_str().unwrap_or_default()).to_string(),
                video: false,
            };
        }
        Embed::Link {
            href: url.to_string(),
            label: title.unwrap_or(address.trim()).to_string(),
        }
    }
}

/// An `::embed` line: `::embed[TITLE](ADDRESS)` or `::embed[ADDRESS]`. Returns the title
/// (if given) and the address.
pub fn parse_line(line: &str) -> Option<(Option<&str>, &str)> {
    let rest = line.trim().strip_prefix("::embed[")?;
    if let Some(address) = rest.strip_suffix(']') {
        return (!address.contains(['[', ']']) && !address.trim().is_empty())
            .then_some((None, address.trim()));
    }
    let (title, tail) = rest.split_once("](")?;
    let address = tail.strip_suffix(')')?;
    if title.contains(['[', ']']) || address.trim().is_empty() || address.contains(char::is_whitespace) {
        return None;
    }
    Some((Some(title), address))
}

/// Text for HTML (content and quoted attribute values).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The iframe of an allowed embed. The sandbox lets the player run scripts on its own
/// origin and go full screen, nothing else: no popups, no forms, no navigating this page;
/// the referrer is only our origin (YouTube refuses to play without one).
pub fn frame_html(src: &str, title: &str, video: bool) -> String {
    format!(
        "<div class=\"embed {kind}\"><iframe src=\"{src}\" title=\"{title}\" \
         sandbox=\"allow-scripts allow-same-origin allow-presentation\" \
         allow=\"fullscreen; picture-in-picture; encrypted-media\" allowfullscreen \
         loading=\"lazy\" referrerpolicy=\"strict-origin-when-cross-origin\"></iframe></div>",
        kind = if video { "embed-video" } else { "embed-tool" },
        src = escape(src),
        title = escape(title),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(p: &EmbedPolicy, address: &str) -> Option<String> {
        match p.embed(address, None) {
            Embed::Frame { src, .. } => Some(src),
            _ => None,
        }
    }

    #[test]
    fn provider_addresses_become_their_embed_addresses() {
        let p = EmbedPolicy::parse("youtube,vimeo,padlet,h5p,miro").unwrap();
        let yt = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ";
        for a in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ",
            "http://www.youtube.com/embed/dQw4w9WgXcQ",
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ] {
            assert_eq!(frame(&p, a).as_deref(), Some(yt), "{a}");
        }
        assert_eq!(
            frame(&p, "https://youtu.be/dQw4w9WgXcQ?t=1m30s").as_deref(),
            Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90")
        );
        assert_eq!(
            frame(&p, "https://vimeo.com/76979871").as_deref(),
            Some("https://player.vimeo.com/video/76979871?dnt=1")
        );
        assert_eq!(
            frame(&p, "https://vimeo.com/76979871/ab12cd").as_deref(),
            Some("https://player.vimeo.com/video/76979871?h=ab12cd&dnt=1")
        );
        assert_eq!(
            frame(&p, "https://padlet.com/karen/brok-i-4-klasse-x7k2m9q1").as_deref(),
            Some("https://padlet.com/embed/x7k2m9q1")
        );
        assert_eq!(
            frame(&p, "https://h5p.org/node/1234").as_deref(),
            Some("https://h5p.org/h5p/embed/1234")
        );
        assert_eq!(
            frame(&p, "https://skole.h5p.com/content/129123").as_deref(),
            Some("https://skole.h5p.com/content/129123/embed")
        );
        assert_eq!(
            frame(&p, "https://miro.com/app/board/uXjVOabc=/").as_deref(),
            Some("https://miro.com/app/live-embed/uXjVOabc=/")
        );
        // Look-alikes and malformed ids are not the provider.
        for a in [
            "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
            "https://evil.example/youtu.be/dQw4w9WgXcQ",
            "https://www.youtube.com/watch?v=short",
            "https://www.youtube.com/watch?v=dQw4w9WgXc\"",
            "https://vimeo.com/abc",
            "https://h5p.org/node/1;alert(1)",
            "https://evil.h5p.com.example/content/1",
        ] {
            assert_eq!(frame(&p, a), None, "{a}");
        }
    }

    #[test]
    fn the_allow_list_decides_and_sets_frame_src() {
        let p = EmbedPolicy::default();
        assert_eq!(
            p.frame_src(),
            "https://www.youtube-nocookie.com https://player.vimeo.com https://padlet.com https://h5p.org https://*.h5p.com"
        );
        assert_eq!(p.names(), ["YouTube", "Vimeo", "Padlet", "H5P"]);
        // Miro is not in the default list: its board is a link.
        assert!(matches!(
            p.embed("https://miro.com/app/board/uXjVOabc=/", Some("Board")),
            Embed::Link { ref label, .. } if label == "Board"
        ));
        let only = EmbedPolicy::parse(" Vimeo , https://h5p.skole.example ").unwrap();
        assert_eq!(
            only.frame_src(),
            "https://player.vimeo.com https://h5p.skole.example"
        );
        assert!(matches!(
            only.embed("https://www.youtube.com/watch?v=dQw4w9WgXcQ", None),
            Embed::Link { .. }
        ));
        assert_eq!(
            frame(&only, "https://h5p.skole.example/h5p/embed/7?x=1").as_deref(),
            Some("https://h5p.skole.example/h5p/embed/7?x=1")
        );
        // Another origin's plain http address is not embedded.
        assert_eq!(frame(&only, "http://h5p.skole.example/h5p/embed/7"), None);
        assert_eq!(EmbedPolicy::parse("none").unwrap().frame_src(), "'none'");
        assert!(EmbedPolicy::parse("").unwrap().is_empty());
        for bad in [
            "vimeo,facebook",
            "http://h5p.example",
            "https://x.example/path",
            "javascript:x",
        ] {
            assert!(EmbedPolicy::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn scripts_and_data_are_never_links() {
        let p = EmbedPolicy::default();
        assert_eq!(
            p.embed("javascript:alert(1)", Some("Video")),
            Embed::Text("Video".into())
        );
        assert_eq!(
            p.embed("data:text/html,<script>", None),
            Embed::Text(String::new())
        );
        assert_eq!(
            p.embed("https://example.org/x", None),
            Embed::Link {
                href: "https://example.org/x".into(),
                label: "https://example.org/x".into()
            }
        );
    }

    #[test]
    fn lines_and_escaping() {
        assert_eq!(
            parse_line("::embed[Brøker](https://youtu.be/dQw4w9WgXcQ)"),
            Some((Some("Brøker"), "https://youtu.be/dQw4w9WgXcQ"))
        );
        assert_eq!(
            parse_line("  ::embed[https://youtu.be/dQw4w9WgXcQ] "),
            Some((None, "https://youtu.be/dQw4w9WgXcQ"))
        );
        assert_eq!(parse_line("::embed[a](b c)"), None);
        assert_eq!(parse_line("see ::embed[x](y)"), None);
        assert_eq!(parse_line("::embed[]"), None);
        let html = frame_html("https://x.example/?a=1&b=\"2\"", "A \"title\" <b>", true);
        assert!(
            html.contains("src=\"https://x.example/?a=1&amp;b=&quot;2&quot;\""),
            "{html}"
        );
        assert!(html.contains("title=\"A &quot;title&quot; &lt;b&gt;\""), "{html}");
        assert!(html.contains("sandbox=\"allow-scripts allow-same-origin allow-presentation\""));
    }
}
