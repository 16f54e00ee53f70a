//! Server functions of the catalogue pages (S7, S16, S18). Each decides access through the
//! permission module; a refusal, and an unpublished listing seen by an outsider, answer
//! "not found" exactly like a missing listing.
use super::model::{CataloguePage, CatalogueQuery, ListingForm, ListingPage};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the new-listing page needs: the organisation it publishes for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewListingTarget {
    pub organisation_slug: String,
    pub organisation_name: String,
}

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use super::super::db::{self, ListingError, ListingRow};
    use crate::auth::{Action, Cx};
    use crate::error::AppError;
    use crate::i18n::Msg;

    impl From<ListingError> for AppError {
        fn from(e: ListingError) -> Self {
            match e {
                ListingError::Invalid(list) => AppError::Invalid(list),
                ListingError::ExternalIdTaken => {
                    AppError::field("external_id", Msg::CatalogueErrorExternalIdTaken)
                }
                ListingError::NotFound => AppError::NotFound,
                ListingError::FollowsCourse => AppError::refused(Msg::CatalogueFollowsCourse),
                ListingError::Db(e) => e.into(),
            }
        }
    }

    /// A listing the actor may see: published ones for everyone, the others only for the
    /// organisation's members and platform admins.
    pub async fn visible(cx: &Cx, slug: &str) -> Result<ListingRow, AppError> {
        let row = db::by_slug(&cx.p.db, slug).await?.ok_or(AppError::NotFound)?;
        if row.status != "published" {
            cx.require(&Action::ViewUnpublishedListing {
                org: row.organisation_id,
            })?;
        }
        Ok(row)
    }

    pub fn edit_action(row: &ListingRow) -> Action {
        Action::EditListing {
            org: row.organisation_id,
            created_by: row.created_by,
        }
    }

    /// A run's listing follows its course and is never edited as a listing.
    pub fn may_edit(cx: &Cx, row: &ListingRow) -> bool {
        row.run_id.is_none() && cx.allows(&edit_action(row))
    }

    /// A listing the signed-in actor may edit (anonymous visitors: sign in first; others:
    /// not found).
    pub async fn editable(cx: &Cx, slug: &str) -> Result<ListingRow, AppError> {
        cx.signed_in()?;
        let row = db::by_slug(&cx.p.db, slug).await?.ok_or(AppError::NotFound)?;
        cx.require(&edit_action(&row))?;
        if row.run_id.is_some() {
            // It has no edit page: its course's is the one (`courses::listing`).
            return Err(AppError::NotFound);
        }
        Ok(row)
    }
}

/// One page of a kind's public catalogue (S7): anyone.
#[server(prefix = "/api", endpoint = "catalogue/list")]
pub async fn list_catalogue(query: CatalogueQuery) -> Result<CataloguePage, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    cx.require(&Action::ViewPublic)?;
    if !super::model::KINDS.contains(&query.kind.as_str()) {
        return Err(AppError::NotFound);
    }
    query.check()?;
    let p = &cx.p;
    Ok(super::db::catalogue(&p.db, &query, &p.clock.today()).await?)
}

/// A listing's page (S7, S18): published listings for anyone (also once expired, marked
/// so); drafts and withdrawn ones only for the organisation's members and platform admins.
#[server(prefix = "/api", endpoint = "catalogue/listing")]
pub async fn get_listing(slug: String) -> Result<ListingPage, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    cx.require(&Action::ViewPublic)?;
    let row = server::visible(&cx, &slug).await?;
    let can_edit = server::may_edit(&cx, &row);
    let mut page = listing_page(&cx.p, row, can_edit).await?;
    // The page shows the sanitised HTML; the Markdown source goes only to the edit page.
    page.form.description.clear();
    Ok(page)
}

#[cfg(feature = "ssr")]
async fn listing_page(
    p: &crate::platform::Platform,
    row: super::db::ListingRow,
    can_edit: bool,
) -> Result<ListingPage, AppError> {
    let org = sqlx::query_as::<_, (String, String)>("SELECT name, slug FROM organisations WHERE id = $1")
        .bind(row.organisation_id)
        .fetch_one(&p.db.pool)
        .await?;
    let (rating_avg, rating_count) = super::db::rating(&p.db, row.id).await?;
    let mut page = ListingPage {
        canonical_url: format!("{}/catalogue/{}", p.public_url.trim_end_matches('/'), row.slug),
        expired: row.expired(&p.clock.today()),
        slug: row.slug,
        status: row.status,
        organisation_name: org.0,
        organisation_slug: org.1,
        description_html: crate::ui::markdown::to_safe_html(&row.form.description),
        form: row.form,
        rating_avg,
        rating_count,
        json_ld: None,
        can_edit,
        course_slug: row.course_slug,
    };
    if page.form.kind == "course" {
        page.json_ld = Some(super::model::course_json_ld(&page, &p.public_url));
    }
    Ok(page)
}

/// The edit page's data: only for those who may edit the listing.
#[server(prefix = "/api", endpoint = "catalogue/for-edit")]
pub async fn listing_for_edit(slug: String) -> Result<ListingPage, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let row = server::editable(&cx, &slug).await?;
    listing_page(&cx.p, row, true).await
}

/// The new-listing page: members of the organisation and platform admins.
#[server(prefix = "/api", endpoint = "catalogue/new-info")]
pub async fn new_listing_info(org: String) -> Result<NewListingTarget, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    cx.signed_in()?;
    let (id, slug, name) = super::db::organisation(&cx.p.db, &org)
        .await?
        .ok_or(AppError::NotFound)?;
    cx.require(&Action::PublishForOrganisation { org: id })?;
    Ok(NewListingTarget {
        organisation_slug: slug,
        organisation_name: name,
    })
}

/// Creates a listing for an organisation (S16): saved as a draft, or published when the
/// "publish" button sent `publish=1`.
#[server(prefix = "/api", endpoint = "catalogue/create")]
pub async fn create_listing(
    org: String,
    form: ListingForm,
    publish: Option<String>,
) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let user = cx.signed_in()?;
    let p = &cx.p;
    let (org_id, _, _) = super::db::organisation(&p.db, &org)
        .await?
        .ok_or(AppError::NotFound)?;
    cx.require(&Action::PublishForOrganisation { org: org_id })?;
    let publish = publish.as_deref() == Some("1");
    let row = super::db::create(&p.db, org_id, Some(user), &form, publish, p.clock.now_ms()).await?;
    let status = if publish { "published" } else { "saved" };
    Ok(crate::ui::form::finish(&format!(
        "/catalogue/{}?status={status}",
        row.slug
    )))
}

/// Saves a listing's fields (its kind and status stay).
#[server(prefix = "/api", endpoint = "catalogue/update")]
pub async fn update_listing(slug: String, form: ListingForm) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let row = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    super::db::update(&p.db, row.id, &form, p.clock.now_ms()).await?;
    Ok(crate::ui::form::finish(&format!(
        "/catalogue/{}/edit?status=saved",
        row.slug
    )))
}

/// Publishes (`published`), takes back to draft (`draft`) or withdraws (`withdrawn`).
#[server(prefix = "/api", endpoint = "catalogue/status")]
pub async fn set_listing_status(slug: String, status: String) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let row = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    super::db::set_status(&p.db, row.id, &status, p.clock.now_ms()).await?;
    Ok(crate::ui::form::finish(&format!(
        "/catalogue/{}/edit?status={status}",
        row.slug
    )))
}
