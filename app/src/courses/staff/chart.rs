//! Charts of a run's progress (S12: "presents and summarises the results of a course"),
//! drawn as SVG text on the server: no script, no library. Each is an image with a title
//! and a description (`role="img"`, `aria-labelledby`), and shows its figures as text next
//! to the bars; the page adds the same figures as a table. Everything put into the SVG is
//! escaped, and nothing uses inline styles (the pages' CSP has no `'unsafe-inline'`).

/// Escapes text for SVG (XML) content and attribute values.
pub fn esc(s: &str) -> String {
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

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

fn open(id: &str, title: &str, desc: &str, width: i64, height: i64) -> String {
    let id = esc(id);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\" role=\"img\" \
         viewBox=\"0 0 {width} {height}\" aria-labelledby=\"{id}-title {id}-desc\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(title),
        esc(desc)
    )
}

/// One horizontal bar per module: how many of the run's `active` learners completed it.
/// `bars` are (label, count); `figure` writes the text after a bar ("12 of 40").
pub fn funnel(
    id: &str,
    title: &str,
    desc: &str,
    bars: &[(String, i64)],
    active: i64,
    figure: impl Fn(i64) -> String,
) -> String {
    const W: i64 = 720;
    const LABEL: i64 = 260;
    const BAR: i64 = 300;
    const ROW: i64 = 34;
    let height = (bars.len() as i64).max(1) * ROW + 10;
    let mut svg = open(id, title, desc, W, height);
    for (n, (label, count)) in bars.iter().enumerate() {
        let y = n as i64 * ROW + 8;
        let width = if active > 0 {
            (count * BAR / active).clamp(0, BAR)
        } else {
            0
        };
        svg.push_str(&format!(
            "<text class=\"chart-label\" x=\"{x}\" y=\"{ty}\" text-anchor=\"end\">{}</text>\
             <rect class=\"chart-track\" x=\"{bx}\" y=\"{y}\" width=\"{BAR}\" height=\"22\" rx=\"3\"/>\
             <rect class=\"chart-bar\" x=\"{bx}\" y=\"{y}\" width=\"{width}\" height=\"22\" rx=\"3\"/>\
             <text class=\"chart-figure\" x=\"{fx}\" y=\"{ty}\">{}</text>",
            esc(&shorten(label, 34)),
            esc(&figure(*count)),
            x = LABEL - 8,
            ty = y + 16,
            bx = LABEL,
            fx = LABEL + BAR + 8,
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// One column per week: active learners. `label` names a week for the axis (every
/// other week is labelled when there are many).
pub fn columns(id: &str, title: &str, desc: &str, weeks: &[(String, i64)]) -> String {
    const H: i64 = 220;
    const TOP: i64 = 24;
    const BOTTOM: i64 = 40;
    const COL: i64 = 30;
    let width = (weeks.len() as i64).max(1) * COL + 20;
    let mut svg = open(id, title, desc, width, H);
    let max = weeks.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let plot = H - TOP - BOTTOM;
    svg.push_str(&format!(
        "<line class=\"chart-axis\" x1=\"10\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\"/>",
        y = H - BOTTOM,
        x2 = width - 10
    ));
    let every = if weeks.len() > 12 { 2 } else { 1 };
    for (n, (label, count)) in weeks.iter().enumerate() {
        let x = 10 + n as i64 * COL;
        let h = count * plot / max;
        let y = H - BOTTOM - h;
        svg.push_str(&format!(
            "<rect class=\"chart-bar\" x=\"{bx}\" y=\"{y}\" width=\"{bw}\" height=\"{h}\" rx=\"2\"/>\
             <text class=\"chart-figure\" x=\"{cx}\" y=\"{fy}\" text-anchor=\"middle\">{count}</text>",
            bx = x + 4,
            bw = COL - 8,
            cx = x + COL / 2,
            fy = y - 5,
        ));
        if n % every == 0 {
            svg.push_str(&format!(
                "<text class=\"chart-label\" x=\"{cx}\" y=\"{ly}\" text-anchor=\"middle\">{}</text>",
                esc(label),
                cx = x + COL / 2,
                ly = H - BOTTOM + 16,
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

/// `2026-03-02` → `2/3`: a short label for a week's Monday.
pub fn short_day(day: &str) -> String {
    let mut parts = day.split('-').skip(1);
    match (parts.next(), parts.next()) {
        (Some(m), Some(d)) => format!("{}/{}", d.trim_start_matches('0'), m.trim_start_matches('0')),
        _ => day.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_figures_are_shown() {
        let svg = funnel(
            "f",
            "Completion <by> module",
            "How many & who",
            &[("<script>alert(1)</script>".into(), 3), ("Two".into(), 1)],
            4,
            |n| format!("{n} of 4"),
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("<title id=\"f-title\">Completion &lt;by&gt; module</title>"));
        assert!(svg.contains("<desc id=\"f-desc\">How many &amp; who</desc>"));
        assert!(svg.contains(">3 of 4<") && svg.contains(">1 of 4<"));
        assert!(svg.contains("width=\"225\""), "3 of 4 of 300 px: {svg}");
        assert!(!svg.contains("style="));
    }

    #[test]
    fn columns_scale_to_the_busiest_week() {
        let svg = columns(
            "w",
            "Active learners",
            "per week",
            &[("2/3".into(), 0), ("9/3".into(), 10), ("16/3".into(), 5)],
        );
        assert!(svg.contains(">10<") && svg.contains(">5<") && svg.contains(">0<"));
        assert!(
            svg.contains("height=\"156\"") && svg.contains("height=\"78\""),
            "{svg}"
        );
        assert_eq!(short_day("2026-03-02"), "2/3");
    }
}
