//! What an uploaded course file becomes (issue 7, S5). The type is decided by the bytes
//! alone; the name and the type the browser declared are ignored. Accepted:
//!
//! - images (JPEG, PNG, WebP): decoded under the photo limits, turned upright, scaled into
//!   [`LESSON_IMAGE_MAX_PX`] and re-encoded from pixels, so no metadata or payload
//!   survives (PNG stays PNG, JPEG stays JPEG, WebP becomes PNG with transparency, else
//!   JPEG);
//! - PDF (`%PDF-`);
//! - plain text: UTF-8 without control characters, not markup (HTML, SVG, XML);
//! - office documents: Word, Excel and PowerPoint (OOXML) and OpenDocument text,
//!   spreadsheet and presentation, recognised by the entries of their ZIP container;
//!   documents with macros (`vbaProject.bin`, `Basic/`, `Scripts/`) are refused.
//!
//! Everything else is refused: programs, archives, HTML, SVG, old binary Office files.
//! Files other than images are stored as they came; they are always served as downloads.
use crate::photos::process::{PhotoProblem, decode, encode_jpeg, flatten};
use image::{DynamicImage, ImageEncoder, ImageFormat, codecs::png::PngEncoder};

/// Lesson images are scaled down to fit this square, proportions kept.
pub const LESSON_IMAGE_MAX_PX: u32 = 2400;
/// The course image is scaled down to fit this square.
pub const COURSE_IMAGE_MAX_PX: u32 = 1600;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadProblem {
    /// No file, or an empty one.
    Missing,
    /// Over the limit for its kind.
    TooLarge,
    /// Not a type we accept (by its bytes).
    Type,
    /// An image we accept by its signature that cannot be decoded.
    Unreadable,
    /// An image with more pixels than we decode.
    Pixels,
}

impl From<PhotoProblem> for UploadProblem {
    fn from(p: PhotoProblem) -> Self {
        match p {
            PhotoProblem::NotAPhoto => UploadProblem::Type,
            PhotoProblem::Unreadable => UploadProblem::Unreadable,
            PhotoProblem::TooManyPixels => UploadProblem::Pixels,
        }
    }
}

/// A document type we keep as it came.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Document {
    Pdf,
    Text,
    Word,
    Excel,
    PowerPoint,
    OdText,
    OdSpreadsheet,
    OdPresentation,
}

impl Document {
    pub fn content_type(self) -> &'static str {
        match self {
            Document::Pdf => "application/pdf",
            Document::Text => "text/plain; charset=utf-8",
            Document::Word => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Document::Excel => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Document::PowerPoint => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            Document::OdText => "application/vnd.oasis.opendocument.text",
            Document::OdSpreadsheet => "application/vnd.oasis.opendocument.spreadsheet",
            Document::OdPresentation => "application/vnd.oasis.opendocument.presentation",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Document::Pdf => "pdf",
            Document::Text => "txt",
            Document::Word => "docx",
            Document::Excel => "xlsx",
            Document::PowerPoint => "pptx",
            Document::OdText => "odt",
            Document::OdSpreadsheet => "ods",
            Document::OdPresentation => "odp",
        }
    }
}

/// What is stored: the bytes, their type and the cleaned file name.
#[derive(Debug)]
pub struct Accepted {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub name: String,
    pub image: bool,
}

/// Whether the bytes start like one of the images we accept.
pub fn is_image(bytes: &[u8]) -> bool {
    crate::photos::process::sniff(bytes).is_some()
}

/// Decides what an upload is and turns it into what we store. Images over
/// `max_image_bytes` are refused; the caller has already refused anything larger than its
/// limit for files. CPU-bound for images: call it off the async threads.
pub fn accept(bytes: Vec<u8>, original_name: &str, max_image_bytes: u64) -> Result<Accepted, UploadProblem> {
    if bytes.is_empty() {
        return Err(UploadProblem::Missing);
    }
    if let Some(format) = crate::photos::process::sniff(&bytes) {
        if bytes.len() as u64 > max_image_bytes {
            return Err(UploadProblem::TooLarge);
        }
        let (bytes, png) = lesson_image(&bytes, format)?;
        let (content_type, ext) = if png {
            ("image/png", "png")
        } else {
            ("image/jpeg", "jpg")
        };
        return Ok(Accepted {
            bytes,
            content_type,
            name: clean_name(original_name, ext),
            image: true,
        });
    }
    let doc = sniff_document(&bytes).ok_or(UploadProblem::Type)?;
    let ext = match doc {
        // A table or notes keep their extension; anything else text is .txt.
        Document::Text => match extension_of(original_name).as_deref() {
            Some(e @ ("csv" | "tsv" | "md")) => match e {
                "csv" => "csv",
                "tsv" => "tsv",
                _ => "md",
            },
            _ => "txt",
        },
        other => other.extension(),
    };
    Ok(Accepted {
        content_type: doc.content_type(),
        name: clean_name(original_name, ext),
        bytes,
        image: false,
    })
}

/// Re-encodes a lesson image. Returns the bytes and whether they are PNG.
fn lesson_image(bytes: &[u8], format: ImageFormat) -> Result<(Vec<u8>, bool), UploadProblem> {
    let picture = fit(decode(bytes)?, LESSON_IMAGE_MAX_PX);
    let png = match format {
        ImageFormat::Png => true,
        ImageFormat::Jpeg => false,
        _ => picture.color().has_alpha(),
    };
    if png {
        Ok((encode_png(&picture)?, true))
    } else {
        Ok((encode_jpeg(&flatten(picture))?, false))
    }
}

/// The course image: re-encoded as a plain JPEG that fits [`COURSE_IMAGE_MAX_PX`].
pub fn course_image(bytes: &[u8]) -> Result<Vec<u8>, UploadProblem> {
    if bytes.is_empty() {
        return Err(UploadProblem::Missing);
    }
    let picture = fit(decode(bytes)?, COURSE_IMAGE_MAX_PX);
    Ok(encode_jpeg(&flatten(picture))?)
}

fn fit(picture: DynamicImage, max: u32) -> DynamicImage {
    if picture.width() > max || picture.height() > max {
        picture.thumbnail(max, max)
    } else {
        picture
    }
}

/// A PNG with only the image's header and pixels (8 bits per channel).
fn encode_png(picture: &DynamicImage) -> Result<Vec<u8>, UploadProblem> {
    let mut out = Vec::new();
    let encoder = PngEncoder::new(&mut out);
    let result = if picture.color().has_alpha() {
        let rgba = picture.to_rgba8();
        encoder.write_image(
            &rgba,
            rgba.width(),
            rgba.height(),
            image::ExtendedColorType::Rgba8,
        )
    } else {
        let rgb = picture.to_rgb8();
        encoder.write_image(&rgb, rgb.width(), rgb.height(), image::ExtendedColorType::Rgb8)
    };
    result.map_err(|_| UploadProblem::Unreadable)?;
    Ok(out)
}

/// The document type of the bytes, if we accept it.
pub fn sniff_document(bytes: &[u8]) -> Option<Document> {
    if bytes.starts_with(b"%PDF-") {
        return Some(Document::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return office(bytes);
    }
    is_plain_text(bytes).then_some(Document::Text)
}

/// UTF-8 without NUL or other control characters (tabs, line and page breaks allowed), and
/// not markup a browser would run if it ever took it for a page.
fn is_plain_text(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
    {
        return false;
    }
    let start = text.trim_start();
    let markup = start.starts_with('<')
        && start[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '!' || c == '?');
    !markup
}

/// An office document in a ZIP container, by the names of its entries (nothing is
/// decompressed). `None` for other ZIP files and for documents with macros.
fn office(bytes: &[u8]) -> Option<Document> {
    // OpenDocument: the first entry is an uncompressed `mimetype` naming the type.
    let od = od_mimetype(bytes).and_then(|mime| match mime {
        b"application/vnd.oasis.opendocument.text" => Some(Document::OdText),
        b"application/vnd.oasis.opendocument.spreadsheet" => Some(Document::OdSpreadsheet),
        b"application/vnd.oasis.opendocument.presentation" => Some(Document::OdPresentation),
        _ => None,
    });
    let names = zip_entry_names(bytes)?;
    let has = |n: &str| names.iter().any(|x| x == n);
    let macros = names.iter().any(|n| {
        let lower = n.to_ascii_lowercase();
        lower.ends_with("vbaproject.bin") || lower.starts_with("basic/") || lower.starts_with("scripts/")
    });
    if macros {
        return None;
    }
    if let Some(d) = od {
        return has("content.xml").then_some(d);
    }
    if !has("[Content_Types].xml") {
        return None;
    }
    if has("word/document.xml") {
        Some(Document::Word)
    } else if has("xl/workbook.xml") {
        Some(Document::Excel)
    } else if has("ppt/presentation.xml") {
        Some(Document::PowerPoint)
    } else {
        None
    }
}

/// The content of a ZIP's first entry if it is a stored (uncompressed) `mimetype`.
fn od_mimetype(bytes: &[u8]) -> Option<&[u8]> {
    let u16_at = |i: usize| {
        bytes
            .get(i..i + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]) as usize)
    };
    let stored = u16_at(8)? == 0;
    let size = bytes
        .get(18..22)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)?;
    let (name_len, extra_len) = (u16_at(26)?, u16_at(28)?);
    if !stored || bytes.get(30..30 + name_len)? != b"mimetype" {
        return None;
    }
    let start = 30 + name_len + extra_len;
    bytes.get(start..start + size)
}

/// The entry names of a ZIP file's central directory; `None` if it is not a well-formed
/// ZIP (or a ZIP64, which documents of our sizes never need).
fn zip_entry_names(bytes: &[u8]) -> Option<Vec<String>> {
    const EOCD: &[u8] = b"PK\x05\x06";
    const CENTRAL: &[u8] = b"PK\x01\x02";
    let u16_at = |i: usize| {
        bytes
            .get(i..i + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]) as usize)
    };
    let u32_at = |i: usize| {
        bytes
            .get(i..i + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    // The end record is 22 bytes plus a comment of at most 65535.
    let earliest = bytes.len().saturating_sub(22 + 65_535);
    let end = (earliest..=bytes.len().checked_sub(22)?)
        .rev()
        .find(|&i| &bytes[i..i + 4] == EOCD)?;
    let count = u16_at(end + 10)?;
    let offset = u32_at(end + 16)?;
    if count == 0xFFFF || offset == 0xFFFF_FFFF || count > 10_000 {
        return None;
    }
    let mut names = Vec::with_capacity(count);
    let mut at = offset;
    for _ in 0..count {
        if bytes.get(at..at + 4)? != CENTRAL {
            return None;
        }
        let (name_len, extra_len, comment_len) = (u16_at(at + 28)?, u16_at(at + 30)?, u16_at(at + 32)?);
        let name = bytes.get(at + 46..at + 46 + name_len)?;
        names.push(String::from_utf8_lossy(name).into_owned());
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(names)
}

/// The lower-case extension of a file name, if any.
fn extension_of(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| !e.is_empty())
}

/// A file name that is safe in a URL path and a `Content-Disposition` header: the
/// uploaded name without its folder and extension, letters folded to ASCII, anything else
/// a hyphen, at most 60 characters, then the extension of the type we found.
pub fn clean_name(original: &str, ext: &str) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or(original);
    let stem = match base.rsplit_once('.') {
        Some((s, _)) if !s.is_empty() => s,
        _ => base,
    };
    let mut out = String::new();
    for c in stem.chars() {
        let folded: &str = match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '_' => {
                out.push(c);
                continue;
            }
            'æ' | 'ä' => "ae",
            'Æ' | 'Ä' => "Ae",
            'ø' | 'ö' => "oe",
            'Ø' | 'Ö' => "Oe",
            'å' => "aa",
            'Å' => "Aa",
            'ü' => "ue",
            'Ü' => "Ue",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'É' | 'È' => "E",
            'á' | 'à' | 'â' => "a",
            'í' | 'ì' => "i",
            'ó' | 'ò' | 'ô' => "o",
            'ú' | 'ù' => "u",
            'ß' => "ss",
            _ => "-",
        };
        if folded == "-" && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push_str(folded);
    }
    let mut stem: String = out.trim_matches(['-', '_']).chars().take(60).collect();
    stem = stem.trim_end_matches(['-', '_']).to_string();
    if stem.is_empty() {
        stem = "file".into();
    }
    format!("{stem}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn png(w: u32, h: u32, alpha: bool) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(w, h, |x, y| {
            image::Rgba([
                (x % 256) as u8,
                (y % 256) as u8,
                90,
                if alpha { 128 } else { 255 },
            ])
        });
        let img = if alpha {
            DynamicImage::ImageRgba8(img)
        } else {
            DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(img).to_rgb8())
        };
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    /// A ZIP with the given (name, content) entries, stored uncompressed.
    pub fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, data) in entries {
            let offset = out.len() as u32;
            let header = |sig: &[u8], central: bool| {
                let mut h = sig.to_vec();
                if central {
                    h.extend(20u16.to_le_bytes()); // made by
                }
                h.extend(20u16.to_le_bytes()); // version needed
                h.extend(0u16.to_le_bytes()); // flags
                h.extend(0u16.to_le_bytes()); // stored
                h.extend(0u32.to_le_bytes()); // time, date
                h.extend(0u32.to_le_bytes()); // crc (not checked by us)
                h.extend((data.len() as u32).to_le_bytes());
                h.extend((data.len() as u32).to_le_bytes());
                h.extend((name.len() as u16).to_le_bytes());
                h.extend(0u16.to_le_bytes()); // extra
                if central {
                    h.extend(0u16.to_le_bytes()); // comment
                    h.extend(0u16.to_le_bytes()); // disk
                    h.extend(0u16.to_le_bytes()); // internal attributes
                    h.extend(0u32.to_le_bytes()); // external attributes
                    h.extend(offset.to_le_bytes());
                }
                h.extend(name.as_bytes());
                h
            };
            out.extend(header(b"PK\x03\x04", false));
            out.extend(*data);
            central.extend(header(b"PK\x01\x02", true));
        }
        let cd_offset = out.len() as u32;
        let cd_len = central.len() as u32;
        out.extend(central);
        out.extend(b"PK\x05\x06");
        out.extend([0u8; 4]);
        out.extend((entries.len() as u16).to_le_bytes());
        out.extend((entries.len() as u16).to_le_bytes());
        out.extend(cd_len.to_le_bytes());
        out.extend(cd_offset.to_le_bytes());
        out.extend(0u16.to_le_bytes());
        out
    }

    #[test]
    fn documents_are_recognised_by_their_bytes() {
        assert_eq!(sniff_document(b"%PDF-1.7\n..."), Some(Document::Pdf));
        assert_eq!(
            sniff_document("Dag 1: brøker\r\n\tøvelse".as_bytes()),
            Some(Document::Text)
        );
        let docx = zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document/>"),
        ]);
        assert_eq!(sniff_document(&docx), Some(Document::Word));
        let xlsx = zip(&[("[Content_Types].xml", b"x"), ("xl/workbook.xml", b"x")]);
        assert_eq!(sniff_document(&xlsx), Some(Document::Excel));
        let pptx = zip(&[("[Content_Types].xml", b"x"), ("ppt/presentation.xml", b"x")]);
        assert_eq!(sniff_document(&pptx), Some(Document::PowerPoint));
        let odt = zip(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"x"),
        ]);
        assert_eq!(sniff_document(&odt), Some(Document::OdText));
        let ods = zip(&[
            ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
            ("content.xml", b"x"),
        ]);
        assert_eq!(sniff_document(&ods), Some(Document::OdSpreadsheet));
    }

    #[test]
    fn programs_archives_markup_and_macros_are_refused() {
        for bad in [
            &b"MZ\x90\x00\x03\x00\x00\x00"[..], // a Windows program
            b"\x7fELF\x02\x01\x01",
            b"<!DOCTYPE html><script>alert(1)</script>",
            b"  <html><body>",
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
            b"<?xml version='1.0'?>",
            b"GIF89a\x01\x00\x01\x00\x80\x00\x00",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", // old binary Office
            b"text with a NUL \0 byte",
            b"\xff\xfe not utf-8",
        ] {
            assert_eq!(sniff_document(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
        // Plain ZIPs, macro documents and ZIPs cut short.
        assert_eq!(sniff_document(&zip(&[("setup.exe", b"MZ")])), None);
        let docm = zip(&[
            ("[Content_Types].xml", b"x"),
            ("word/document.xml", b"x"),
            ("word/vbaProject.bin", b"x"),
        ]);
        assert_eq!(sniff_document(&docm), None);
        let odt_macro = zip(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"x"),
            ("Basic/Standard/Module1.xml", b"x"),
        ]);
        assert_eq!(sniff_document(&odt_macro), None);
        let docx = zip(&[("[Content_Types].xml", b"x"), ("word/document.xml", b"x")]);
        assert_eq!(sniff_document(&docx[..docx.len() - 30]), None);
        // "A < b" is text, not markup.
        assert_eq!(sniff_document(b"a < b and 3 < 4"), Some(Document::Text));
    }

    #[test]
    fn a_program_named_like_an_image_is_refused() {
        let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
        assert_eq!(accept(exe, "plan.png", 1 << 20).unwrap_err(), UploadProblem::Type);
        assert_eq!(
            accept(Vec::new(), "x.pdf", 1 << 20).unwrap_err(),
            UploadProblem::Missing
        );
    }

    #[test]
    fn images_are_re_encoded_and_scaled() {
        let a = accept(png(3000, 1500, true), "Klasse 4b plan.PNG", 10 << 20).unwrap();
        assert!(a.image);
        assert_eq!(
            (a.content_type, a.name.as_str()),
            ("image/png", "Klasse-4b-plan.png")
        );
        let img = image::load_from_memory(&a.bytes).unwrap();
        assert_eq!((img.width(), img.height()), (2400, 1200));
        // A WebP without transparency becomes a JPEG, named for it.
        let mut webp = Vec::new();
        DynamicImage::ImageRgb8(image::RgbImage::from_pixel(20, 10, image::Rgb([1, 2, 3])))
            .write_to(&mut Cursor::new(&mut webp), ImageFormat::WebP)
            .unwrap();
        let a = accept(webp, "foto.webp", 10 << 20).unwrap();
        assert_eq!((a.content_type, a.name.as_str()), ("image/jpeg", "foto.jpg"));
        // Over the image limit.
        assert_eq!(
            accept(png(40, 40, false), "a.png", 100).unwrap_err(),
            UploadProblem::TooLarge
        );
        // A PNG cut short cannot be decoded.
        let cut = png(64, 64, false);
        assert_eq!(
            accept(cut[..cut.len() / 2].to_vec(), "a.png", 10 << 20).unwrap_err(),
            UploadProblem::Unreadable
        );
    }

    #[test]
    fn names_are_safe_in_urls_and_take_the_found_type() {
        assert_eq!(
            clean_name("Brøker i 4. klasse.docx", "docx"),
            "Broeker-i-4-klasse.docx"
        );
        assert_eq!(clean_name("C:\\Users\\x\\Plan (v2).pdf", "pdf"), "Plan-v2.pdf");
        assert_eq!(clean_name("../../etc/passwd", "txt"), "passwd.txt");
        assert_eq!(clean_name("\"><script>.pdf", "pdf"), "script.pdf");
        assert_eq!(clean_name("", "pdf"), "file.pdf");
        assert_eq!(clean_name(".bashrc", "txt"), "bashrc.txt");
        assert_eq!(clean_name("日本語.pdf", "pdf"), "file.pdf");
        assert_eq!(clean_name(&"a".repeat(200), "txt").len(), 64);
        let a = accept(b"a;b\n1;2\n".to_vec(), "Tabel.CSV", 1).unwrap();
        assert_eq!(
            (a.name.as_str(), a.content_type),
            ("Tabel.csv", "text/plain; charset=utf-8")
        );
        let a = accept(b"%PDF-1.4 ...".to_vec(), "notes.txt", 1).unwrap();
        assert_eq!(a.name, "notes.pdf");
    }
}
