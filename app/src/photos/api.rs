use super::model::OwnPhoto;
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in user's photo, for the settings page. Uploading and removing are plain
/// form posts to the server's own routes (`server/src/http/routes/photos.rs`): a file upload is
/// streamed, which a server function would not do.
#[server(endpoint = "photos/mine")]
pub async fn my_photo() -> Result<OwnPhoto, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let user = cx.signed_in()?;
    cx.require(&Action::ChangePhoto { owner: user })?;
    let (name, version) = super::db::name_and_version(&cx.p.db, user)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(OwnPhoto {
        user_id: user,
        name,
        version,
        max_bytes: crate::auth::config::<super::model::PhotoLimit>()?.0,
    })
}
