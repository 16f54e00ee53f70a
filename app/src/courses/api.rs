use super::model::CourseCard;
use crate::error::AppError;
use leptos::prelude::*;

/// Published courses, public to everyone (S7, S18).
#[server(endpoint = "courses/published")]
pub async fn list_published_courses(limit: i64, offset: i64) -> Result<Vec<CourseCard>, AppError> {
    use crate::auth::{Action, require, session::current_actor};
    require(&current_actor().await, &Action::ViewPublic)?;
    let platform = crate::platform::platform().map_err(|_| AppError::Internal)?;
    Ok(super::db::published_courses(&platform.db, limit.clamp(1, 100), offset.max(0)).await?)
}
