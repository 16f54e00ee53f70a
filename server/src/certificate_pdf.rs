//! A course certificate as a one-page PDF (landscape A4), for its owner to keep (S12).
//!
//! Names and titles may be in any European script (ł, ř, ő, Greek, Cyrillic), so the text
//! is set in DejaVu Sans, embedded as a subset with only the glyphs the page uses: each font
//! is a Type 0 font with `Identity-H` encoding, so the page's strings are glyph ids of the
//! subset, and a `ToUnicode` map gives them back as text (copy, search, screen readers).
//! Layout is ours and simple: no shaping or kerning, which Latin, Greek and Cyrillic
//! names written with precomposed letters do not need.
//!
//! [`read`] reads such a PDF back (its text through the `ToUnicode` maps, its fonts); the
//! tests use it to check what a reader would see.
use pdf_writer::types::{ActionType, AnnotationType, CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The fonts' file names in the configured directory (Debian: `fonts-dejavu-core`).
pub const REGULAR_FILE: &str = "DejaVuSans.ttf";
pub const BOLD_FILE: &str = "DejaVuSans-Bold.ttf";
/// Where Debian's `fonts-dejavu-core` puts them.
pub const DEFAULT_FONT_DIR: &str = "/usr/share/fonts/truetype/dejavu";

/// Landscape A4 in points.
const WIDTH: f32 = 842.0;
const HEIGHT: f32 = 595.0;
const INK: [f32; 3] = [0.10, 0.13, 0.17];
const MUTED: [f32; 3] = [0.33, 0.37, 0.42];
const ACCENT: [f32; 3] = [0.05, 0.36, 0.42];

#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("cannot read the certificate font {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("the certificate font {path} is not a usable TrueType font")]
    Unusable { path: PathBuf },
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("could not subset the certificate font: {0}")]
    Subset(String),
}

/// The regular and bold faces, as read from disk.
pub struct Fonts {
    regular: Vec<u8>,
    bold: Vec<u8>,
}

impl Fonts {
    /// Reads both faces from `dir` and checks that they parse and have glyph widths.
    pub fn load(dir: &Path) -> Result<Fonts, FontError> {
        let read = |name: &str| {
            let path = dir.join(name);
            let data = std::fs::read(&path).map_err(|source| FontError::Read {
                path: path.clone(),
                source,
            })?;
            let usable = ttf_parser::Face::parse(&data, 0)
                .ok()
                .is_some_and(|f| f.glyph_index('A').and_then(|g| f.glyph_hor_advance(g)).is_some());
            if !usable {
                return Err(FontError::Unusable { path });
            }
            Ok(data)
        };
        Ok(Fonts {
            regular: read(REGULAR_FILE)?,
            bold: read(BOLD_FILE)?,
        })
    }
}

/// What the certificate says, already translated. Labels are in the reader's language; the
/// facts come from the certificate's snapshot.
pub struct CertificateText<'a> {
    /// The document's language (`en`, `da`, `sv`).
    pub lang: &'a str,
    pub heading: &'a str,
    /// "This certifies that"
    pub certifies: &'a str,
    pub learner: &'a str,
    /// "has completed the course"
    pub completed: &'a str,
    pub course: &'a str,
    pub organisation_label: &'a str,
    pub organisation: &'a str,
    pub hours_label: &'a str,
    pub hours: &'a str,
    pub date_label: &'a str,
    pub date: &'a str,
    /// "Anyone can check this certificate at"
    pub verify_label: &'a str,
    /// The absolute `/verify/<code>` address.
    pub verify_url: &'a str,
    pub code_label: &'a str,
    pub code: &'a str,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Face {
    Regular,
    Bold,
}

/// One face's metrics and the glyphs the page uses.
struct Metrics<'f> {
    face: ttf_parser::Face<'f>,
    /// Original glyph id → the character it shows (for the `ToUnicode` map).
    used: BTreeMap<u16, char>,
}

impl<'f> Metrics<'f> {
    fn new(data: &'f [u8]) -> Metrics<'f> {
        Metrics {
            // `Fonts::load` checked that it parses.
            face: ttf_parser::Face::parse(data, 0).expect("checked at load"),
            used: BTreeMap::new(),
        }
    }

    fn glyph(&self, c: char) -> u16 {
        // Characters the font lacks show its "missing glyph" box (id 0).
        self.face.glyph_index(c).map_or(0, |g| g.0)
    }

    /// Width of `text` at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| {
                u32::from(
                    self.face
                        .glyph_hor_advance(ttf_parser::GlyphId(self.glyph(c)))
                        .unwrap_or(0),
                )
            })
            .sum();
        units as f32 * size / f32::from(self.face.units_per_em())
    }

    fn to_pdf_units(&self, v: f32) -> f32 {
        v * 1000.0 / f32::from(self.face.units_per_em())
    }
}

/// A line of text placed on the page.
struct Run {
    face: Face,
    size: f32,
    x: f32,
    y: f32,
    color: [f32; 3],
    text: String,
}

struct Layout<'f> {
    regular: Metrics<'f>,
    bold: Metrics<'f>,
    runs: Vec<Run>,
}

impl<'f> Layout<'f> {
    fn metrics(&self, face: Face) -> &Metrics<'f> {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }

    /// Breaks `text` into at most `max_lines` lines no wider than `width`, at the largest
    /// size from `size` down to `min_size` at which it fits; the last line is cut with "…"
    /// if even that is not enough. Returns the size and the lines.
    fn fit(
        &self,
        face: Face,
        text: &str,
        size: f32,
        min_size: f32,
        width: f32,
        max_lines: usize,
    ) -> (f32, Vec<String>) {
        let m = self.metrics(face);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut s = size;
        loop {
            if m.width(&text, s) <= width {
                return (s, vec![text]);
            }
            if s - 1.0 < min_size {
                break;
            }
            s -= 1.0;
        }
        let s = min_size;
        let mut lines: Vec<String> = Vec::new();
        let mut current = String::new();
        for word in text.split(' ') {
            let candidate = if current.is_empty() {
                word.to_string()
            } else {
                format!("{current} {word}")
            };
            if current.is_empty() || m.width(&candidate, s) <= width {
                current = candidate;
            } else {
                lines.push(std::mem::take(&mut current));
                current = word.to_string();
            }
        }
        lines.push(current);
        // A word wider than the line is cut by characters.
        let mut out: Vec<String> = Vec::new();
        for line in lines {
            let mut rest = line.as_str();
            while m.width(rest, s) > width {
                let cut = rest
                    .char_indices()
                    .map(|(i, _)| i)
                    .rev()
                    .find(|&i| i > 0 && m.width(&rest[..i], s) <= width)
                    .unwrap_or(rest.len());
                out.push(rest[..cut].to_string());
                rest = &rest[cut..];
            }
            if !rest.is_empty() {
                out.push(rest.to_string());
            }
        }
        if out.len() > max_lines {
            out.truncate(max_lines);
            let last = out.last_mut().expect("max_lines > 0");
            while !last.is_empty() && m.width(&format!("{last}…"), s) > width {
                last.pop();
            }
            last.push('…');
        }
        (s, out)
    }

    /// Centred lines from `y` down; returns the baseline below the last one.
    #[allow(clippy::too_many_arguments)]
    fn centred(
        &mut self,
        face: Face,
        text: &str,
        size: f32,
        min_size: f32,
        width: f32,
        max_lines: usize,
        centre: f32,
        y: f32,
        color: [f32; 3],
    ) -> f32 {
        let (size, lines) = self.fit(face, text, size, min_size, width, max_lines);
        let mut y = y;
        for line in lines {
            let w = self.metrics(face).width(&line, size);
            self.runs.push(Run {
                face,
                size,
                x: centre - w / 2.0,
                y,
                color,
                text: line,
            });
            y -= size * 1.25;
        }
        y
    }
}

/// The certificate as PDF bytes.
pub fn certificate_pdf(fonts: &Fonts, c: &CertificateText) -> Result<Vec<u8>, PdfError> {
    let mut l = Layout {
        regular: Metrics::new(&fonts.regular),
        bold: Metrics::new(&fonts.bold),
        runs: Vec::new(),
    };
    let centre = WIDTH / 2.0;
    let wide = WIDTH - 160.0;

    let mut y = l.centred(Face::Bold, c.heading, 30.0, 18.0, wide, 1, centre, 478.0, ACCENT);
    y -= 22.0;
    y = l.centred(Face::Regular, c.certifies, 14.0, 10.0, wide, 2, centre, y, MUTED);
    y -= 22.0;
    y = l.centred(Face::Bold, c.learner, 32.0, 18.0, wide, 2, centre, y, INK);
    y -= 12.0;
    y = l.centred(Face::Regular, c.completed, 14.0, 10.0, wide, 2, centre, y, MUTED);
    y -= 14.0;
    l.centred(Face::Bold, c.course, 22.0, 14.0, wide, 2, centre, y, INK);

    // Organisation, hours and date in three columns.
    let columns = [
        (c.organisation_label, c.organisation, 280.0, 380.0),
        (c.hours_label, c.hours, 575.0, 110.0),
        (c.date_label, c.date, 690.0, 130.0),
    ];
    for (label, value, x, w) in columns {
        l.centred(Face::Regular, label, 10.0, 7.0, w, 1, x, 175.0, MUTED);
        l.centred(Face::Bold, value, 14.0, 9.0, w, 2, x, 157.0, INK);
    }

    let y = l.centred(
        Face::Regular,
        c.verify_label,
        10.0,
        7.0,
        wide,
        1,
        centre,
        92.0,
        MUTED,
    );
    let url_size = l.fit(Face::Regular, c.verify_url, 11.0, 7.0, wide, 1).0;
    let url_width = l.regular.width(c.verify_url, url_size);
    l.centred(Face::Regular, c.verify_url, 11.0, 7.0, wide, 1, centre, y, ACCENT);
    let url_rect = Rect::new(
        centre - url_width / 2.0,
        y - url_size * 0.3,
        centre + url_width / 2.0,
        y + url_size,
    );
    l.centred(
        Face::Regular,
        &format!("{}: {}", c.code_label, c.code),
        9.0,
        7.0,
        wide,
        1,
        centre,
        52.0,
        MUTED,
    );

    write(l, c, url_rect)
}

/// A six-letter subset tag from the glyphs in the subset, as PDF wants for subset fonts.
fn subset_tag(glyphs: &BTreeMap<u16, char>, face: Face) -> String {
    let mut h: u32 = 2_166_136_261 ^ face as u32;
    for g in glyphs.keys() {
        for b in g.to_be_bytes() {
            h = (h ^ u32::from(b)).wrapping_mul(16_777_619);
        }
    }
    (0..6)
        .map(|i| char::from(b'A' + ((h >> (i * 5)) % 26) as u8))
        .collect()
}

fn write(mut l: Layout, c: &CertificateText, url_rect: Rect) -> Result<Vec<u8>, PdfError> {
    // The glyphs each face shows.
    let runs = std::mem::take(&mut l.runs);
    for r in &runs {
        for ch in r.text.chars() {
            let m = match r.face {
                Face::Regular => &mut l.regular,
                Face::Bold => &mut l.bold,
            };
            let g = m.glyph(ch);
            m.used.entry(g).or_insert(ch);
        }
    }

    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let pages = Ref::new(2);
    let page = Ref::new(3);
    let content_id = Ref::new(4);
    let link = Ref::new(5);
    let info = Ref::new(6);
    let mut next = 7;
    let mut alloc = || {
        next += 1;
        Ref::new(next - 1)
    };

    pdf.catalog(catalog).pages(pages).lang(TextStr(c.lang));
    pdf.pages(pages).kids([page]).count(1);
    pdf.document_info(info)
        .title(TextStr(&format!("{} – {}", c.heading, c.learner)))
        .creator(TextStr("Agora"));

    let mut remappers = BTreeMap::new();
    let mut font_refs = Vec::new();
    for (face, metrics, base) in [
        (Face::Regular, &l.regular, "DejaVuSans"),
        (Face::Bold, &l.bold, "DejaVuSans-Bold"),
    ] {
        let mut remapper = subsetter::GlyphRemapper::new();
        for &g in metrics.used.keys() {
            remapper.remap(g);
        }
        let raw = metrics.face.raw_face().data;
        let subset = subsetter::subset(raw, 0, &remapper).map_err(|e| PdfError::Subset(e.to_string()))?;
        let name = format!("{}+{base}", subset_tag(&metrics.used, face));

        let (type0, cid, descriptor, cmap_id, file) = (alloc(), alloc(), alloc(), alloc(), alloc());
        pdf.type0_font(type0)
            .base_font(Name(name.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap_id);

        let system = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };
        let mut font = pdf.cid_font(cid);
        font.subtype(CidFontType::Type2)
            .base_font(Name(name.as_bytes()))
            .system_info(system)
            .font_descriptor(descriptor)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        let mut by_new: Vec<(u16, u16)> = metrics
            .used
            .keys()
            .map(|&g| (remapper.get(g).expect("remapped above"), g))
            .collect();
        by_new.sort();
        let widths: Vec<f32> = by_new
            .iter()
            .map(|&(_, g)| {
                metrics.to_pdf_units(f32::from(
                    metrics
                        .face
                        .glyph_hor_advance(ttf_parser::GlyphId(g))
                        .unwrap_or(0),
                ))
            })
            .collect();
        if let Some(&(first, _)) = by_new.first() {
            font.widths().consecutive(first, widths);
        }
        font.finish();

        let f = &metrics.face;
        let bbox = f.global_bounding_box();
        let scale = |v: i16| metrics.to_pdf_units(f32::from(v));
        pdf.font_descriptor(descriptor)
            .name(Name(name.as_bytes()))
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(
                scale(bbox.x_min),
                scale(bbox.y_min),
                scale(bbox.x_max),
                scale(bbox.y_max),
            ))
            .italic_angle(0.0)
            .ascent(scale(f.ascender()))
            .descent(scale(f.descender()))
            .cap_height(scale(f.capital_height().unwrap_or(f.ascender())))
            .stem_v(if face == Face::Bold { 120.0 } else { 80.0 })
            .font_file2(file);

        let mut cmap = UnicodeCmap::new(Name(b"Agora-UTF16"), system);
        for (&g, &ch) in &metrics.used {
            cmap.pair(remapper.get(g).expect("remapped above"), ch);
        }
        let cmap = cmap.finish();
        pdf.cmap(cmap_id, cmap.as_slice())
            .name(Name(b"Agora-UTF16"))
            .system_info(system);

        let packed = miniz_oxide::deflate::compress_to_vec_zlib(&subset, 6);
        pdf.stream(file, &packed)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), subset.len() as i32);

        remappers.insert(face, remapper);
        font_refs.push((face, type0));
    }

    let font_name = |face: Face| match face {
        Face::Regular => Name(b"F1"),
        Face::Bold => Name(b"F2"),
    };
    let mut content = Content::new();
    // A double frame.
    content.set_stroke_rgb(ACCENT[0], ACCENT[1], ACCENT[2]);
    content.set_line_width(3.0);
    content.rect(24.0, 24.0, WIDTH - 48.0, HEIGHT - 48.0);
    content.stroke();
    content.set_line_width(0.8);
    content.rect(34.0, 34.0, WIDTH - 68.0, HEIGHT - 68.0);
    content.stroke();
    // A rule under the heading and above the facts.
    content.set_line_width(1.2);
    for (y, half) in [(462.0, 60.0), (205.0, 300.0)] {
        content.move_to(WIDTH / 2.0 - half, y);
        content.line_to(WIDTH / 2.0 + half, y);
        content.stroke();
    }
    for r in &runs {
        let remapper = &remappers[&r.face];
        let m = l.metrics(r.face);
        let mut encoded = Vec::with_capacity(r.text.len() * 2);
        for ch in r.text.chars() {
            let g = remapper
                .get(m.glyph(ch))
                .expect("every shown glyph is in the subset");
            encoded.extend_from_slice(&g.to_be_bytes());
        }
        content.begin_text();
        content.set_fill_rgb(r.color[0], r.color[1], r.color[2]);
        content.set_font(font_name(r.face), r.size);
        content.next_line(r.x, r.y);
        content.show(Str(&encoded));
        content.end_text();
    }
    let content = content.finish();
    pdf.stream(content_id, content.as_slice());

    let mut p = pdf.page(page);
    p.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT))
        .parent(pages)
        .contents(content_id)
        .annotations([link]);
    let mut resources = p.resources();
    let mut fonts = resources.fonts();
    for (face, id) in &font_refs {
        fonts.pair(font_name(*face), *id);
    }
    fonts.finish();
    resources.finish();
    p.finish();

    let mut a = pdf.annotation(link);
    a.subtype(AnnotationType::Link)
        .rect(url_rect)
        .contents(TextStr(c.verify_url));
    a.border(0.0, 0.0, 0.0, None);
    a.action()
        .action_type(ActionType::Uri)
        .uri(Str(c.verify_url.as_bytes()));
    a.finish();

    Ok(pdf.finish())
}

/// Reads back PDFs written by [`certificate_pdf`]: uncompressed content, fonts with a
/// `ToUnicode` map. Not a general PDF parser.
pub mod read {
    use std::collections::HashMap;

    /// An object: its dictionary text and its stream's bytes, if any (decompressed).
    pub struct Object {
        pub dict: String,
        pub stream: Option<Vec<u8>>,
    }

    /// A font of the page: its resource name, glyph id → text, and the embedded font file.
    pub struct PageFont {
        pub name: String,
        pub to_unicode: HashMap<u16, String>,
        pub font_file: Vec<u8>,
    }

    fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
        hay.get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    }

    /// Every `N 0 obj … endobj` of the file by number.
    pub fn objects(pdf: &[u8]) -> HashMap<u32, Object> {
        let mut out = HashMap::new();
        let mut at = 0;
        while let Some(start) = find(pdf, b" 0 obj\n", at) {
            let digits = pdf[..start]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_digit())
                .count();
            let num: u32 = std::str::from_utf8(&pdf[start - digits..start])
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let body = start + 7;
            // The dictionary is text: whichever comes first, a stream or the object's end.
            let plain_end = find(pdf, b"endobj", body).unwrap_or(pdf.len());
            let (dict, stream, end) = match find(pdf, b"\nstream\n", body).filter(|&s| s < plain_end) {
                Some(s) => {
                    let dict = String::from_utf8_lossy(&pdf[body..s]).into_owned();
                    let len: usize = value(&dict, "/Length").and_then(|v| v.parse().ok()).unwrap_or(0);
                    let data_end = (s + 8 + len).min(pdf.len());
                    let raw = &pdf[s + 8..data_end];
                    let data = if dict.contains("/FlateDecode") {
                        miniz_oxide::inflate::decompress_to_vec_zlib(raw).unwrap_or_default()
                    } else {
                        raw.to_vec()
                    };
                    let end = find(pdf, b"endobj", data_end).unwrap_or(pdf.len());
                    (dict, Some(data), end)
                }
                None => (
                    String::from_utf8_lossy(&pdf[body..plain_end]).into_owned(),
                    None,
                    plain_end,
                ),
            };
            out.insert(num, Object { dict, stream });
            at = end;
        }
        out
    }

    /// The token after `key` in a dictionary's text.
    fn value<'a>(dict: &'a str, key: &str) -> Option<&'a str> {
        let i = dict.find(&format!("{key} "))?;
        dict[i + key.len() + 1..].split_whitespace().next()
    }

    /// The object number of `key N 0 R`.
    fn reference(dict: &str, key: &str) -> Option<u32> {
        value(dict, key)?.parse().ok()
    }

    /// `<hex>` pairs of a `bfchar` block: glyph id → UTF-16 text.
    fn parse_cmap(cmap: &str) -> HashMap<u16, String> {
        let mut map = HashMap::new();
        for block in cmap.split("beginbfchar").skip(1) {
            let block = block.split("endbfchar").next().unwrap_or("");
            for line in block.lines() {
                let hexes: Vec<&str> = line
                    .split(['<', '>'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect();
                if let [g, text] = hexes[..] {
                    let units: Vec<u16> = (0..text.len() / 4)
                        .filter_map(|i| u16::from_str_radix(&text[i * 4..i * 4 + 4], 16).ok())
                        .collect();
                    if let Ok(g) = u16::from_str_radix(g, 16) {
                        map.insert(g, String::from_utf16_lossy(&units));
                    }
                }
            }
        }
        map
    }

    /// The (only) page's dictionary: `/Type /Page`, not `/Pages`.
    fn the_page(objects: &HashMap<u32, Object>) -> Option<&Object> {
        objects.values().find(|o| {
            o.dict
                .split("/Type /Page")
                .nth(1)
                .is_some_and(|rest| !rest.starts_with('s'))
        })
    }

    /// The page's fonts with their `ToUnicode` maps and embedded subsets.
    pub fn page_fonts(pdf: &[u8]) -> Vec<PageFont> {
        let objects = objects(pdf);
        let Some(page) = the_page(&objects) else {
            return Vec::new();
        };
        let Some(fonts) = page
            .dict
            .split("/Font <<")
            .nth(1)
            .and_then(|s| s.split(">>").next())
        else {
            return Vec::new();
        };
        let tokens: Vec<&str> = fonts.split_whitespace().collect();
        tokens
            .chunks(4)
            .filter_map(|t| {
                let name = t.first()?.trim_start_matches('/').to_string();
                let type0 = objects.get(&t.get(1)?.parse().ok()?)?;
                let cmap = objects.get(&reference(&type0.dict, "/ToUnicode")?)?;
                let to_unicode = parse_cmap(&String::from_utf8_lossy(cmap.stream.as_deref()?));
                let cid = objects.get(
                    &type0
                        .dict
                        .split("/DescendantFonts [")
                        .nth(1)?
                        .split_whitespace()
                        .next()?
                        .parse()
                        .ok()?,
                )?;
                let descriptor = objects.get(&reference(&cid.dict, "/FontDescriptor")?)?;
                let file = objects.get(&reference(&descriptor.dict, "/FontFile2")?)?;
                Some(PageFont {
                    name,
                    to_unicode,
                    font_file: file.stream.clone()?,
                })
            })
            .collect()
    }

    /// Bytes of a PDF string token: `(literal)` with escapes, or `<hex>`.
    fn string_bytes(token: &[u8]) -> Vec<u8> {
        if token.first() == Some(&b'<') {
            let hex: Vec<u8> = token[1..token.len() - 1]
                .iter()
                .copied()
                .filter(|b| b.is_ascii_hexdigit())
                .collect();
            return hex
                .chunks(2)
                .filter_map(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok())
                .collect();
        }
        let inner = &token[1..token.len() - 1];
        let mut out = Vec::new();
        let mut i = 0;
        while i < inner.len() {
            let b = inner[i];
            if b != b'\\' {
                out.push(b);
                i += 1;
                continue;
            }
            i += 1;
            let Some(&e) = inner.get(i) else { break };
            match e {
                b'n' => out.push(b'\n'),
                b'r' => out.push(b'\r'),
                b't' => out.push(b'\t'),
                b'b' => out.push(8),
                b'f' => out.push(12),
                b'0'..=b'7' => {
                    let digits: Vec<u8> = inner[i..]
                        .iter()
                        .take(3)
                        .take_while(|d| (b'0'..=b'7').contains(d))
                        .copied()
                        .collect();
                    let v = digits.iter().fold(0u32, |v, d| v * 8 + u32::from(d - b'0'));
                    out.push(v as u8);
                    i += digits.len() - 1;
                }
                other => out.push(other),
            }
            i += 1;
        }
        out
    }

    /// A text-showing operation: the font's resource name and the glyph ids.
    pub struct Shown {
        pub font: String,
        pub glyphs: Vec<u16>,
    }

    /// The `Tj` operations of a content stream, in order, with the font set before each.
    pub fn shown(content: &[u8]) -> Vec<Shown> {
        let mut out = Vec::new();
        let mut font = String::new();
        let mut last_name = String::new();
        let mut last_string: Option<Vec<u8>> = None;
        let mut i = 0;
        while i < content.len() {
            let b = content[i];
            if b == b'(' {
                let mut depth = 0;
                let start = i;
                while i < content.len() {
                    match content[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                last_string = Some(string_bytes(&content[start..=i.min(content.len() - 1)]));
                i += 1;
            } else if b == b'<' {
                let end = content[i..]
                    .iter()
                    .position(|&c| c == b'>')
                    .map_or(content.len() - 1, |p| p + i);
                last_string = Some(string_bytes(&content[i..=end]));
                i = end + 1;
            } else if b.is_ascii_whitespace() {
                i += 1;
            } else {
                let end = content[i..]
                    .iter()
                    .position(|c| c.is_ascii_whitespace() || *c == b'(' || *c == b'<')
                    .map_or(content.len(), |p| p + i);
                let token = String::from_utf8_lossy(&content[i..end]).into_owned();
                match token.as_str() {
                    "Tf" => font = last_name.clone(),
                    "Tj" => {
                        let bytes = last_string.take().unwrap_or_default();
                        out.push(Shown {
                            font: font.clone(),
                            glyphs: bytes
                                .chunks(2)
                                .map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)]))
                                .collect(),
                        });
                    }
                    t if t.starts_with('/') => last_name = t[1..].to_string(),
                    _ => {}
                }
                i = end.max(i + 1);
            }
        }
        out
    }

    /// The page's content stream.
    pub fn page_content(pdf: &[u8]) -> Option<Vec<u8>> {
        let objects = objects(pdf);
        let page = the_page(&objects)?;
        objects.get(&reference(&page.dict, "/Contents")?)?.stream.clone()
    }

    /// The page's text as a reader extracts it: each shown string through its font's
    /// `ToUnicode` map, one line per string.
    pub fn text(pdf: &[u8]) -> Vec<String> {
        let fonts = page_fonts(pdf);
        let Some(content) = page_content(pdf) else {
            return Vec::new();
        };
        shown(&content)
            .into_iter()
            .map(|s| {
                let map = fonts.iter().find(|f| f.name == s.font).map(|f| &f.to_unicode);
                s.glyphs
                    .iter()
                    .map(|g| {
                        map.and_then(|m| m.get(g).cloned())
                            .unwrap_or_else(|| "\u{FFFD}".into())
                    })
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Option<Fonts> {
        let dir = std::env::var_os("AGORA_CERTIFICATE_FONT_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_FONT_DIR));
        match Fonts::load(&dir) {
            Ok(f) => Some(f),
            Err(e) if std::env::var_os("AGORA_REQUIRE_SERVICES").is_some() => panic!("{e}"),
            Err(e) => {
                eprintln!("SKIPPED: {e} (install fonts-dejavu-core)");
                None
            }
        }
    }

    fn sample<'a>(learner: &'a str, course: &'a str, organisation: &'a str) -> CertificateText<'a> {
        CertificateText {
            lang: "en",
            heading: "Certificate of completion",
            certifies: "This certifies that",
            learner,
            completed: "has completed the course",
            course,
            organisation_label: "Organisation",
            organisation,
            hours_label: "Hours",
            hours: "12",
            date_label: "Date",
            date: "2026-03-01",
            verify_label: "Anyone can check this certificate at",
            verify_url: "https://agora.example/verify/0123456789abcdef0123",
            code_label: "Certificate code",
            code: "0123456789abcdef0123",
        }
    }

    #[test]
    fn european_scripts_round_trip_through_the_to_unicode_map() {
        let Some(fonts) = fonts() else { return };
        let names = [
            "Łukasz Dvořák",
            "Őrs Kovács-Szőke",
            "Αικατερίνη Παπαδοπούλου",
            "Світлана Ковальчук",
            "Žofie Řeháková",
            "Søren Ærø Ågesen",
        ];
        for name in names {
            let pdf = certificate_pdf(&fonts, &sample(name, "Geometri (grundkursus)", "Skole Nord")).unwrap();
            assert!(pdf.starts_with(b"%PDF-"));
            let text = read::text(&pdf);
            assert!(text.iter().any(|l| l == name), "{name} not in {text:?}");
            for fact in [
                "Certificate of completion",
                "Geometri (grundkursus)",
                "Skole Nord",
                "12",
                "2026-03-01",
                "https://agora.example/verify/0123456789abcdef0123",
                "Certificate code: 0123456789abcdef0123",
            ] {
                assert!(text.iter().any(|l| l == fact), "{fact} not in {text:?}");
            }
        }
    }

    #[test]
    fn the_embedded_subset_has_the_real_glyphs_and_no_others() {
        let Some(fonts) = fonts() else { return };
        let pdf = certificate_pdf(&fonts, &sample("Łukasz Dvořák", "Ř", "Ő")).unwrap();
        let original = ttf_parser::Face::parse(&fonts.bold, 0).unwrap();
        let page_fonts = read::page_fonts(&pdf);
        assert_eq!(page_fonts.len(), 2, "regular and bold");
        let bold = page_fonts.iter().find(|f| f.name == "F2").unwrap();
        let subset = ttf_parser::Face::parse(&bold.font_file, 0).expect("the subset parses");
        for ch in "Łukasz Dvořák".chars().filter(|c| !c.is_whitespace()) {
            let (&gid, _) = bold
                .to_unicode
                .iter()
                .find(|(_, t)| t.chars().eq([ch]))
                .unwrap_or_else(|| panic!("{ch} in the ToUnicode map"));
            let want = original.glyph_bounding_box(original.glyph_index(ch).unwrap());
            assert!(want.is_some(), "{ch} has an outline in DejaVu Sans Bold");
            assert_eq!(subset.glyph_bounding_box(ttf_parser::GlyphId(gid)), want, "{ch}");
        }
        // A subset, not the whole font (DejaVu Sans Bold has several thousand glyphs).
        assert!(subset.number_of_glyphs() < 100, "{}", subset.number_of_glyphs());
        assert!(pdf.len() < 120_000, "{} bytes", pdf.len());
    }

    #[test]
    fn long_texts_shrink_then_wrap_and_stay_on_the_page() {
        let Some(fonts) = fonts() else { return };
        let long = "Didaktik og klasseledelse i matematikundervisningen på mellemtrinnet ".repeat(3);
        let very_long_name = format!(
            "{} {}",
            "Maximiliane-Konstanze".repeat(5),
            "Wolkenstein-Trostburg".repeat(5)
        );
        let pdf = certificate_pdf(&fonts, &sample(&very_long_name, &long, &long)).unwrap();
        let l = Layout {
            regular: Metrics::new(&fonts.regular),
            bold: Metrics::new(&fonts.bold),
            runs: Vec::new(),
        };
        let (size, lines) = l.fit(Face::Bold, &long, 22.0, 14.0, WIDTH - 160.0, 2);
        assert_eq!(size, 14.0);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
        for line in &lines {
            assert!(l.bold.width(line, size) <= WIDTH - 160.0);
        }
        // Short text keeps its size and one line.
        assert_eq!(
            l.fit(Face::Bold, "Geometri", 22.0, 14.0, 600.0, 2),
            (22.0, vec!["Geometri".to_string()])
        );
        // Everything the page shows lies within the page.
        let objects = read::objects(&pdf);
        let content = objects
            .values()
            .find_map(|o| o.stream.as_ref().filter(|s| s.windows(2).any(|w| w == b"Tj")))
            .unwrap();
        let text = String::from_utf8_lossy(content);
        for line in text.lines().filter(|l| l.ends_with(" Td")) {
            let v: Vec<f32> = line
                .split_whitespace()
                .take(2)
                .map(|n| n.parse().unwrap())
                .collect();
            assert!(
                (40.0..WIDTH - 40.0).contains(&v[0]) && (40.0..HEIGHT - 40.0).contains(&v[1]),
                "{line}"
            );
        }
    }

    #[test]
    fn characters_the_font_lacks_do_not_break_the_page() {
        let Some(fonts) = fonts() else { return };
        let pdf = certificate_pdf(&fonts, &sample("李小龍 🙂", "x", "y")).unwrap();
        assert!(pdf.starts_with(b"%PDF-") && pdf.ends_with(b"%%EOF"));
    }

    #[test]
    fn missing_fonts_are_reported_with_their_path() {
        let err = Fonts::load(Path::new("/nonexistent/agora-fonts")).err().unwrap();
        assert!(
            err.to_string()
                .contains("/nonexistent/agora-fonts/DejaVuSans.ttf"),
            "{err}"
        );
        let dir = std::env::temp_dir().join(format!("agora-font-{:x}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(REGULAR_FILE), b"not a font").unwrap();
        let err = Fonts::load(&dir).err().unwrap();
        assert!(matches!(err, FontError::Unusable { .. }), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
