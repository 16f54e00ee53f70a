use super::model::OrganisationCard;
use crate::error::AppError;
use leptos::prelude::*;

/// Organisations are public (S16).
#[server(endpoint = "organisations/list")]
pub async fn list_organisations(limit: i64, offset: i64) -> Result<Vec<OrganisationCard>, AppError> {
    use crate::auth::{Action, require, session::current_actor};
    require(&current_actor().await, &Action::ViewPublic)?;
    let platform = crate::platform::platform().map_err(|_| AppError::Internal)?;
    Ok(super::db::organisations(&platform.db, limit.clamp(1, 100), offset.max(0)).await?)
}
