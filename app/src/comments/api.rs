//! Server functions of comments (S7, S18). Each decides access through the permission
//! module; drafts, withdrawn and missing listings all answer "not found".
use super::model::{CommentsPage, ListingHeading};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod server {
    use crate::comments::db::CommentError;
    use crate::error::AppError;
    use crate::platform::{Platform, rate_limit::Rule};

    impl From<CommentError> for AppError {
        fn from(e: CommentError) -> Self {
            match e {
                CommentError::Invalid(list) => AppError::Invalid(list),
                CommentError::NotFound => AppError::NotFound,
                CommentError::Db(e) => e.into(),
            }
        }
    }

    /// Against floods: a few comments a minute, a few dozen an hour, per user.
    pub const COMMENTS_PER_MINUTE: Rule = Rule::per_minutes(5, 1);
    pub const COMMENTS_PER_HOUR: Rule = Rule::per_minutes(30, 60);

    pub async fn limit(p: &Platform, user: i64) -> Result<(), AppError> {
        let key = format!("comment:user:{user}");
        Ok(p.limits
            .hit_all(
                &[
                    (&format!("{key}:m"), COMMENTS_PER_MINUTE),
                    (&format!("{key}:h"), COMMENTS_PER_HOUR),
                ],
                p.clock.now_ms(),
            )
            .await?)
    }
}

#[cfg(feature = "ssr")]
use crate::reviews::api::server::published;

/// A published listing's title and kind (any visitor).
#[server(prefix = "/api", endpoint = "comments/listing-heading")]
pub async fn get_listing_heading(slug: String) -> Result<ListingHeading, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    cx.require(&Action::ViewPublic)?;
    let p = &cx.p;
    let l = published(p, &slug).await?;
    Ok(ListingHeading {
        slug: l.slug,
        title: l.title,
        kind: l.kind,
    })
}

/// One page of a published listing's comments, oldest first (S7, S18: anyone reads them).
#[server(prefix = "/api", endpoint = "comments/list")]
pub async fn get_listing_comments(slug: String, page: i64) -> Result<CommentsPage, AppError> {
    use super::model::{COMMENTS_PER_PAGE, Comment};
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    cx.require(&Action::ViewPublic)?;
    let p = &cx.p;
    let listing = published(p, &slug).await?;
    let page = page.clamp(0, crate::platform::db::MAX_PAGE);
    let total = super::db::count(&p.db, listing.id).await?;
    let rows = super::db::comments(&p.db, listing.id, COMMENTS_PER_PAGE, page * COMMENTS_PER_PAGE).await?;
    let org = listing.organisation_id;
    let comments = rows
        .into_iter()
        .map(|c| {
            let shown = !c.removed && c.author_active;
            let own = cx.actor.is(c.author_id);
            let may = |a: Action| shown && cx.allows(&a);
            Comment {
                id: c.id,
                author_id: shown.then_some(c.author_id),
                first_name: if shown { c.first_name } else { String::new() },
                last_name: if shown { c.last_name } else { String::new() },
                body_html: if shown {
                    crate::ui::markdown::to_safe_html(&c.body_md)
                } else {
                    String::new()
                },
                can_edit: may(Action::EditComment { author: c.author_id }),
                can_remove: may(Action::RemoveComment {
                    org,
                    author: c.author_id,
                }),
                body: (shown && own).then_some(c.body_md),
                created_at: c.created_at,
                edited_at: if shown { c.edited_at } else { None },
                removed: c.removed,
                hidden: !c.removed && !c.author_active,
            }
        })
        .collect();
    Ok(CommentsPage {
        slug: listing.slug,
        comments,
        total,
        page,
        per_page: COMMENTS_PER_PAGE,
        signed_in: cx.actor.is_signed_in(),
        can_comment: cx.allows(&Action::CommentOnListing),
    })
}

/// Posts a Markdown comment (signed-in users; limited against floods).
#[server(prefix = "/api", endpoint = "comments/post")]
pub async fn post_comment(
    slug: String,
    #[server(default)] body: String,
    #[server(default)] back: String,
) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let user = cx.signed_in()?;
    let p = &cx.p;
    let listing = published(p, &slug).await?;
    cx.require(&Action::CommentOnListing)?;
    server::limit(p, user).await?;
    let id = super::db::post(p, listing.id, user, &body).await?;
    // Oldest first: the new comment is on the last page.
    let total = super::db::count(&p.db, listing.id).await?;
    let page = (total - 1).max(0) / super::model::COMMENTS_PER_PAGE;
    Ok(crate::ui::form::finish(&crate::reviews::model::back_to(
        &listing.slug,
        &back,
        &format!("comments_page={page}&comment_status=posted"),
        &format!("comment-{id}"),
    )))
}

/// The author changes their comment.
#[server(prefix = "/api", endpoint = "comments/edit")]
pub async fn edit_comment(
    slug: String,
    comment: i64,
    #[server(default)] body: String,
    #[server(default)] back: String,
    #[server(default)] page: i64,
) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let user = cx.signed_in()?;
    let p = &cx.p;
    let listing = published(p, &slug).await?;
    let author = super::db::author_of(&p.db, listing.id, comment)
        .await?
        .ok_or(AppError::NotFound)?;
    cx.require(&Action::EditComment { author })?;
    super::db::edit(p, listing.id, comment, user, &body).await?;
    Ok(crate::ui::form::finish(&crate::reviews::model::back_to(
        &listing.slug,
        &back,
        &format!("comments_page={}&comment_status=edited", page.max(0)),
        &format!("comment-{comment}"),
    )))
}

/// Removes a comment: its author, or (audited) an admin of the listing's organisation or a
/// platform admin. It stays in the thread as "comment removed".
#[server(prefix = "/api", endpoint = "comments/remove")]
pub async fn remove_comment(
    slug: String,
    comment: i64,
    #[server(default)] back: String,
    #[server(default)] page: i64,
) -> Result<String, AppError> {
    use crate::auth::{Action, Cx, Decision};
    let cx = Cx::get().await?;
    let user = cx.signed_in()?;
    let p = &cx.p;
    let listing = published(p, &slug).await?;
    let author = super::db::author_of(&p.db, listing.id, comment)
        .await?
        .ok_or(AppError::NotFound)?;
    let decision = cx.require(&Action::RemoveComment {
        org: listing.organisation_id,
        author,
    })?;
    super::db::remove(p, listing.id, comment, user, decision == Decision::AllowAudited).await?;
    Ok(crate::ui::form::finish(&crate::reviews::model::back_to(
        &listing.slug,
        &back,
        &format!("comments_page={}&comment_status=removed", page.max(0)),
        &format!("comment-{comment}"),
    )))
}
