use super::model::OwnPhoto;
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in user's photo, for the settings page. Uploading and removing are plain
/// form posts to the server's own routes (`server/src/http/routes/photos.rs`): a file upload is
/// streamed, which a server function would not do.
#[server(endpoint = "photos/mine")]
pub async fn my_photo() -> Result<OwnPhoto, AppError> {
    use crate::auth::{Action, require, session::current_actor};
    let actor = current_actor().await;
    let user = actor.user.ok_or(AppError::SignInRequired)?;
    require(&actor, &Action::ChangePhoto { owner: user })?;
    let p = crate::platform::platform().map_err(|_| AppError::Internal)?;
    let (name, version) = super::db::name_and_version(&p.db, user)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(OwnPhoto {
        user_id: user,
        name,
        version,
        max_bytes: crate::auth::config::<super::model::PhotoLimit>()?.0,
    })
}
