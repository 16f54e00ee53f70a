//! Turning an uploaded file into the two images we store. The type is sniffed from the
//! bytes (the file name and the declared type are ignored); only JPEG, PNG and WebP are
//! decoded, under limits on size and memory; the picture is turned upright by its EXIF
//! orientation and then re-encoded from pixels alone, so no metadata (EXIF with GPS
//! position, camera, ICC, XMP, comments) survives.
use super::model::{MAIN_PX, THUMB_PX};
use image::{
    DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage, codecs::jpeg::JpegEncoder,
    metadata::Orientation,
};
use std::io::Cursor;

/// Larger pictures are refused before their pixels are decoded (a decompression bomb
/// declares huge dimensions in a small file).
pub const MAX_SIDE_PX: u32 = 10_000;
/// The most memory one decode may allocate.
pub const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
const JPEG_QUALITY: u8 = 85;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoProblem {
    /// Not JPEG, PNG or WebP (by its first bytes).
    NotAPhoto,
    /// Looks like one of them but cannot be decoded: damaged or truncated.
    Unreadable,
    /// More pixels than we decode.
    TooManyPixels,
}

/// The stored images: both JPEG, without any metadata.
#[derive(Debug)]
pub struct Processed {
    /// At most `MAIN_PX` on its longer side, the proportions kept.
    pub main: Vec<u8>,
    /// `THUMB_PX` square, the centre of the picture.
    pub thumb: Vec<u8>,
}

/// The format, from the file's signature.
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageFormat::Png)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(ImageFormat::WebP)
    } else {
        None
    }
}

fn problem(e: image::ImageError) -> PhotoProblem {
    match e {
        image::ImageError::Limits(_) => PhotoProblem::TooManyPixels,
        _ => PhotoProblem::Unreadable,
    }
}

/// Decodes a JPEG, PNG or WebP (by its signature) under the size and memory limits and turns
/// it upright by its EXIF orientation; what comes back is pixels only. CPU-bound.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, PhotoProblem> {
    let format = sniff(bytes).ok_or(PhotoProblem::NotAPhoto)?;
    if format == ImageFormat::Jpeg && !jpeg_is_complete(bytes) {
        return Err(PhotoProblem::Unreadable);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE_PX);
    limits.max_image_height = Some(MAX_SIDE_PX);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(problem)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(problem)?;
    picture.apply_orientation(orientation);
    if picture.width() == 0 || picture.height() == 0 {
        return Err(PhotoProblem::Unreadable);
    }
    Ok(picture)
}

/// Decodes, turns upright, scales and re-encodes. CPU-bound: call it off the async threads.
pub fn process(bytes: &[u8]) -> Result<Processed, PhotoProblem> {
    let picture = decode(bytes)?;
    let (w, h) = (picture.width(), picture.height());
    let main = if w > MAIN_PX || h > MAIN_PX {
        picture.thumbnail(MAIN_PX, MAIN_PX)
    } else {
        picture.clone()
    };
    let side = w.min(h);
    let thumb = picture
        .crop_imm((w - side) / 2, (h - side) / 2, side, side)
        .thumbnail_exact(THUMB_PX, THUMB_PX);
    Ok(Processed {
        main: encode_jpeg(&flatten(main))?,
        thumb: encode_jpeg(&flatten(thumb))?,
    })
}

/// At most this many pictures are decoded at once, whatever the number of uploads: each may
/// take up to [`MAX_DECODE_BYTES`] of memory and a core.
const CONCURRENT_DECODES: usize = 2;
static DECODES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(CONCURRENT_DECODES);

/// [`process`] on the blocking thread pool, a few at a time.
pub async fn process_in_background(bytes: Vec<u8>) -> Result<Processed, PhotoProblem> {
    in_background(move || process(&bytes)).await
}

/// Image work (any feature's) on the blocking thread pool, at most
/// [`CONCURRENT_DECODES`] at once.
pub async fn in_background<T, E>(work: impl FnOnce() -> Result<T, E> + Send + 'static) -> Result<T, E>
where
    T: Send + 'static,
    E: From<PhotoProblem> + Send + 'static,
{
    let _permit = DECODES
        .acquire()
        .await
        .map_err(|_| E::from(PhotoProblem::Unreadable))?;
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|_| Err(E::from(PhotoProblem::Unreadable)))
}

/// JPEG decoders fill a picture whose end was cut off with grey rather than fail; we refuse
/// it instead. A complete file has the end-of-image marker after its first scan (in scan data
/// a 0xFF byte is never followed by 0xD9; an embedded EXIF thumbnail's marker comes before
/// the scan, and data some cameras append after the end does not matter).
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return false;
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1; // fill byte
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        if marker == 0xDA {
            let scan = bytes.get(i + 2 + len..).unwrap_or_default();
            return scan.windows(2).any(|w| w == [0xFF, 0xD9]);
        }
        i += 2 + len;
    }
    false
}

/// RGB on white: JPEG has no transparency.
pub fn flatten(picture: DynamicImage) -> RgbImage {
    if !picture.color().has_alpha() {
        return picture.into_rgb8();
    }
    let rgba = picture.into_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    })
}

/// A plain JPEG (a JFIF header and the pixels, nothing else).
pub fn encode_jpeg(picture: &RgbImage) -> Result<Vec<u8>, PhotoProblem> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(picture)
        .map_err(|_| PhotoProblem::Unreadable)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(w, h, |x, y| {
            image::Rgba([(x % 256) as u8, (y % 256) as u8, 90, 128])
        });
        let mut out = Vec::new();
        DynamicImage::ImageRgba8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn sniffs_by_signature_only() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(ImageFormat::Jpeg));
        assert_eq!(sniff(&png(1, 1)), Some(ImageFormat::Png));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(ImageFormat::WebP));
        assert_eq!(sniff(b"<!DOCTYPE html><script>"), None);
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn scales_into_bounds_and_crops_a_square_thumbnail() {
        let out = process(&png(1200, 600)).unwrap();
        let main = image::load_from_memory(&out.main).unwrap();
        assert_eq!((main.width(), main.height()), (512, 256));
        let thumb = image::load_from_memory(&out.thumb).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (96, 96));
        // Small pictures are not enlarged.
        let small = image::load_from_memory(&process(&png(40, 30)).unwrap().main).unwrap();
        assert_eq!((small.width(), small.height()), (40, 30));
    }

    #[test]
    fn a_jpeg_cut_short_is_refused_and_trailing_data_is_not() {
        let img = image::RgbImage::from_fn(64, 64, |x, y| image::Rgb([(x * 4) as u8, (y * 4) as u8, 9]));
        let mut jpeg = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
            .unwrap();
        // The decoder alone accepts these (it fills the missing end with grey).
        for cut in [2, 10, jpeg.len() / 2] {
            assert_eq!(
                process(&jpeg[..jpeg.len() - cut]).unwrap_err(),
                PhotoProblem::Unreadable,
                "cut {cut}"
            );
        }
        let mut trailer = jpeg.clone();
        trailer.extend(b"SEFHSEFT appended by a phone camera after the end of the image".repeat(10));
        assert!(process(&trailer).is_ok());
    }

    #[test]
    fn transparency_becomes_white() {
        let img = image::RgbaImage::from_pixel(4, 4, image::Rgba([0, 0, 0, 0]));
        let rgb = flatten(DynamicImage::ImageRgba8(img));
        assert_eq!(rgb.get_pixel(0, 0).0, [255, 255, 255]);
    }

    #[test]
    fn a_decompression_bomb_is_refused_before_decoding() {
        // A valid PNG header that claims 50 000 × 50 000 pixels.
        let mut bomb = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend(50_000u32.to_be_bytes());
        ihdr.extend(50_000u32.to_be_bytes());
        ihdr.extend([8, 2, 0, 0, 0]);
        bomb.extend(13u32.to_be_bytes());
        bomb.extend(&ihdr);
        bomb.extend(crc32(&ihdr).to_be_bytes());
        assert_eq!(process(&bomb).unwrap_err(), PhotoProblem::TooManyPixels);
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
