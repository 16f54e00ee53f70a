//! A user's photo, or their initials when they have none.
use crate::i18n::{Msg, fill, t};
use crate::photos::model::{PhotoSize, THUMB_PX, initials, photo_url};
use leptos::prelude::*;

/// A user's photo or, without one, their initials in a circle.
///
/// `size`: [`PhotoSize::Thumb`] (the default) is the 96 px square thumbnail shown at 48 px,
/// which anyone may see while the profile is visible (S16: public organisation pages);
/// [`PhotoSize::Full`] is the photo itself, which the server gives to signed-in users only
/// (S17), so use it on pages for signed-in users only. `version` (`photo_updated_at`) makes a
/// changed photo a new address for the browser's cache. `decorative` leaves the image out of
/// the accessibility tree, for when the user's name is written right beside it.
#[component]
pub fn UserAvatar(
    user_id: i64,
    #[prop(into)] name: String,
    has_photo: bool,
    #[prop(optional)] size: Option<PhotoSize>,
    #[prop(optional)] version: Option<i64>,
    #[prop(optional)] decorative: bool,
) -> impl IntoView {
    let size = size.unwrap_or(PhotoSize::Thumb);
    let label = fill(t(Msg::PhotoAlt), &[("name", &name)]);
    let class = match size {
        PhotoSize::Thumb => "avatar avatar-thumb",
        PhotoSize::Full => "avatar avatar-full",
    };
    if has_photo {
        let (width, height) = match size {
            PhotoSize::Thumb => (Some(THUMB_PX / 2), Some(THUMB_PX / 2)),
            PhotoSize::Full => (None, None),
        };
        view! {
            <img
                class=class
                src=photo_url(user_id, size, version)
                alt=if decorative { String::new() } else { label }
                width=width
                height=height
                decoding="async"
            />
        }
        .into_any()
    } else {
        view! {
            <span
                class=format!("{class} avatar-initials")
                role=(!decorative).then_some("img")
                aria-label=(!decorative).then_some(label)
                aria-hidden=decorative.then_some("true")
            >
                {initials(&name)}
            </span>
        }
        .into_any()
    }
}
