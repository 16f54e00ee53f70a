use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

/// The photo settings page.
pub const PAGE_PATH: &str = "/settings/photo";
/// Multipart form post with the file in the field [`FIELD`].
pub const UPLOAD_PATH: &str = "/settings/photo/upload";
/// Plain form post.
pub const REMOVE_PATH: &str = "/settings/photo/remove";
pub const FIELD: &str = "photo";
/// Where anonymous visitors of the settings page are sent.
pub const SIGN_IN_PATH: &str = "/sign-in?next=/settings/photo";
/// The file types the file input offers; the server decides by the bytes, not by these.
pub const ACCEPT: &str = "image/jpeg,image/png,image/webp";

/// The stored photo fits in this square, proportions kept.
pub const MAIN_PX: u32 = 512;
/// The thumbnail is this square.
pub const THUMB_PX: u32 = 96;

/// The largest photo upload accepted, in bytes (`--max-photo-bytes`); the server provides
/// it to every request beside the platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhotoLimit(pub u64);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhotoSize {
    /// Public while the profile is visible (S16).
    Thumb,
    /// Signed-in users only (S17).
    Full,
}

impl PhotoSize {
    pub fn segment(self) -> &'static str {
        match self {
            PhotoSize::Thumb => "thumb",
            PhotoSize::Full => "full",
        }
    }

    pub fn from_segment(s: &str) -> Option<PhotoSize> {
        match s {
            "thumb" => Some(PhotoSize::Thumb),
            "full" => Some(PhotoSize::Full),
            _ => None,
        }
    }
}

/// The address of a user's photo. `version` (the photo's `photo_updated_at`) only makes a
/// changed photo a new address for the browser's cache; the server ignores it.
pub fn photo_url(user: i64, size: PhotoSize, version: Option<i64>) -> String {
    match version {
        Some(v) => format!("/media/photos/{user}/{}?v={v}", size.segment()),
        None => format!("/media/photos/{user}/{}", size.segment()),
    }
}

/// What the photo settings page shows about the signed-in user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnPhoto {
    pub user_id: i64,
    pub name: String,
    /// `photo_updated_at` when there is a photo.
    pub version: Option<i64>,
    pub max_bytes: u64,
}

/// What the upload and remove endpoints answer a script (`Accept: application/json`);
/// a plain form post gets a redirect to the settings page instead.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoReply {
    pub ok: bool,
    /// The new photo's version after an upload.
    #[serde(default)]
    pub version: Option<i64>,
    /// An i18n key (`photo.error.*`) when refused.
    #[serde(default)]
    pub error: Option<String>,
}

/// The messages the endpoints may send back as `?error=KEY`. Nothing else from the query
/// string is ever shown.
pub const ERRORS: &[Msg] = &[
    Msg::PhotoErrorMissing,
    Msg::PhotoErrorTooLarge,
    Msg::PhotoErrorType,
    Msg::PhotoErrorUnreadable,
    Msg::PhotoErrorPixels,
    Msg::PhotoErrorFailed,
];

pub fn error_from_key(key: &str) -> Option<Msg> {
    ERRORS.iter().copied().find(|m| m.key() == key)
}

/// `?status=` values after a successful plain form post.
pub fn status_message(status: &str) -> Option<Msg> {
    match status {
        "uploaded" => Some(Msg::PhotoUploaded),
        "removed" => Some(Msg::PhotoRemoved),
        _ => None,
    }
}

/// Bytes as whole megabytes for messages (10485760 → "10").
pub fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if (mb - mb.round()).abs() < 0.05 {
        format!("{}", mb.round() as u64)
    } else {
        format!("{mb:.1}")
    }
}

/// Initials for the avatar without a photo: first letters of the first and last word.
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let first = |w: &str| w.chars().next().map(|c| c.to_uppercase().collect::<String>());
    match words.as_slice() {
        [] => "?".into(),
        [one] => first(one).unwrap_or_default(),
        [a, .., z] => format!("{}{}", first(a).unwrap_or_default(), first(z).unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(photo_url(7, PhotoSize::Thumb, None), "/media/photos/7/thumb");
        assert_eq!(
            photo_url(7, PhotoSize::Full, Some(12)),
            "/media/photos/7/full?v=12"
        );
        assert_eq!(PhotoSize::from_segment("full"), Some(PhotoSize::Full));
        assert_eq!(PhotoSize::from_segment("../x"), None);
    }

    #[test]
    fn only_photo_errors_come_from_the_query_string() {
        assert_eq!(
            error_from_key("photo.error.too_large"),
            Some(Msg::PhotoErrorTooLarge)
        );
        assert_eq!(error_from_key("signin.failed"), None);
        assert_eq!(error_from_key("<script>"), None);
        assert_eq!(status_message("uploaded"), Some(Msg::PhotoUploaded));
        assert_eq!(status_message("x"), None);
    }

    #[test]
    fn sizes_and_initials() {
        assert_eq!(megabytes(10 * 1024 * 1024), "10");
        assert_eq!(megabytes(1536 * 1024), "1.5");
        assert_eq!(initials("Sofia Andersson"), "SA");
        assert_eq!(initials("Åsa Maria Öberg"), "ÅÖ");
        assert_eq!(initials("  "), "?");
    }
}
