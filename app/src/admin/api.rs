use super::model::{UserFilter, UserPage};
use crate::error::AppError;
use leptos::prelude::*;

/// The admin user list: platform admins only; everyone else gets "not found".
#[server(prefix = "/api", endpoint = "admin/users")]
pub async fn list_users(filter: UserFilter) -> Result<UserPage, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    cx.require_signed_in(&Action::ListUsers)?;
    filter.check()?;
    Ok(super::db::list_users(&cx.p, &filter).await?)
}

/// Grants (`grant` = "1") or removes the national-validator role for a country.
#[server(prefix = "/api", endpoint = "admin/validator")]
pub async fn set_validator(
    user: i64,
    country: String,
    grant: String,
    #[server(default)] back: String,
) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    use crate::i18n::Msg;
    use crate::taxonomy::COUNTRIES;
    let cx = Cx::get().await?;
    cx.require(&Action::ManageRoles)?;
    let by = cx.actor.user.ok_or(AppError::NotFound)?;
    if !COUNTRIES.contains(&country.as_str()) {
        return Err(AppError::field("country", Msg::FieldInvalidChoice));
    }
    let p = &cx.p;
    if !super::db::set_validator(p, by, user, &country, grant == "1").await? && grant == "1" {
        // Either no such user, or already granted: only the first is an error.
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND status = 'active'")
                .bind(user)
                .fetch_optional(&p.db.pool)
                .await?;
        if exists.is_none() {
            return Err(AppError::NotFound);
        }
    }
    let back = crate::ui::redirect::safe_next(&back);
    let back = if back.starts_with("/admin/users") {
        back
    } else {
        "/admin/users".into()
    };
    Ok(crate::ui::form::finish(&back))
}
