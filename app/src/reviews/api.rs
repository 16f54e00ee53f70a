//! Server functions of reviews (S7, S16, S18). Each decides access through the permission
//! module; drafts, withdrawn, missing and non-course listings all answer "not found".
use super::model::{ListingReviewsPage, OrganisationReviewsPage, ReportedReview};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use crate::error::AppError;
    use crate::i18n::Msg;
    use crate::platform::Platform;
    use crate::reviews::db::{self, ListingRow, ReviewError};

    impl From<ReviewError> for AppError {
        fn from(e: ReviewError) -> Self {
            match e {
                ReviewError::Invalid(list) => AppError::Invalid(list),
                ReviewError::AlreadyReplied => AppError::refused(Msg::ReviewsAlreadyReplied),
                ReviewError::NotFound => AppError::NotFound,
                ReviewError::Db(e) => e.into(),
            }
        }
    }

    /// A published listing of any kind (comments), else `NotFound`.
    pub async fn published(p: &Platform, slug: &str) -> Result<ListingRow, AppError> {
        db::published_listing(&p.db, slug)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// A published course listing (reviews), else `NotFound`.
    pub async fn published_course(p: &Platform, slug: &str) -> Result<ListingRow, AppError> {
        let listing = published(p, slug).await?;
        if listing.kind != "course" {
            return Err(AppError::NotFound);
        }
        Ok(listing)
    }

    /// Tells the platform admins, each in their language, that a review was reported. A
    /// failed send is logged; the report is stored either way.
    pub async fn notify_admins(p: &Platform, listing: &ListingRow) {
        use crate::i18n::{Lang, fill};
        let admins = match db::platform_admins(&p.db).await {
            Ok(a) => a,
            Err(e) => {
                tracing::error!(error = %e, "could not list platform admins");
                return;
            }
        };
        let link = format!("{}/admin/reports", p.public_url);
        for (to, locale) in admins {
            let lang = Lang::from_code(&locale).unwrap_or_default();
            let mail = crate::platform::mail::Email {
                to,
                subject: lang.t(Msg::MailReviewReportSubject).to_string(),
                body: fill(
                    lang.t(Msg::MailReviewReportBody),
                    &[("title", &listing.title), ("link", &link)],
                ),
            };
            if let Err(e) = p.mailer.send(&mail, p.clock.now_ms()).await {
                tracing::error!(error = %e, "could not send mail");
            }
        }
    }
}

/// One page of a published course listing's reviews with its rating and what the viewer
/// may do (S7, S18: public, also to anonymous visitors).
#[server(prefix = "/api", endpoint = "reviews/listing")]
pub async fn get_listing_reviews(slug: String, page: i64) -> Result<ListingReviewsPage, AppError> {
    use super::model::{REVIEWS_PER_PAGE, ReviewViewer};
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    cx.require(&Action::ViewPublic)?;
    let p = &cx.p;
    let listing = server::published_course(p, &slug).await?;
    let page = page.clamp(0, crate::platform::db::MAX_PAGE);
    let rating = super::db::rating(super::db::listing_rating(&p.db, listing.id).await?);
    let reviews =
        super::db::listing_reviews(&p.db, listing.id, REVIEWS_PER_PAGE, page * REVIEWS_PER_PAGE).await?;
    let org = listing.organisation_id;
    let own = match cx.actor.user {
        Some(user) => super::db::own_review(&p.db, listing.id, user).await?,
        None => None,
    };
    let viewer = ReviewViewer {
        signed_in: cx.actor.is_signed_in(),
        user_id: cx.actor.user,
        can_review: cx.allows(&Action::ReviewListing { listing_org: org }),
        own_organisation: cx.actor.member_of_org(org),
        can_reply: cx.allows(&Action::ReplyToReview { org }),
        own,
    };
    Ok(ListingReviewsPage {
        slug: listing.slug,
        title: listing.title,
        rating,
        reviews,
        page,
        per_page: REVIEWS_PER_PAGE,
        viewer,
    })
}

/// Writes the signed-in user's review, or changes it: submitting again edits (one review
/// per user and listing). Members of the offering organisation are refused with a reason.
#[server(prefix = "/api", endpoint = "reviews/save")]
pub async fn save_review(
    slug: String,
    #[server(default)] stars: String,
    #[server(default)] body: String,
    #[server(default)] back: String,
) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let user = cx.signed_in()?;
    let p = &cx.p;
    let listing = server::published_course(p, &slug).await?;
    let action = Action::ReviewListing {
        listing_org: listing.organisation_id,
    };
    if !cx.allows(&action) {
        // The listing is public, so saying why reveals nothing.
        return Err(if cx.actor.member_of_org(listing.organisation_id) {
            AppError::refused(crate::i18n::Msg::ReviewsOwnOrganisation)
        } else {
            AppError::NotFound
        });
    }
    // Not chosen or not a number: refused by the rule on 1 to 5.
    let stars = stars.trim().parse().unwrap_or(0);
    super::db::save_review(p, listing.id, user, stars, &body).await?;
    Ok(crate::ui::form::finish(&super::model::back_to(
        &listing.slug,
        &back,
        "review_status=saved",
        "reviews",
    )))
}

/// Deletes the signed-in user's own review of the listing.
#[server(prefix = "/api", endpoint = "reviews/delete")]
pub async fn delete_review(slug: String, #[server(default)] back: String) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let user = cx.signed_in()?;
    let p = &cx.p;
    let listing = server::published_course(p, &slug).await?;
    cx.require(&Action::DeleteReview { author: user })?;
    super::db::delete_review(&p.db, listing.id, user).await?;
    Ok(crate::ui::form::finish(&super::model::back_to(
        &listing.slug,
        &back,
        "review_status=deleted",
        "reviews",
    )))
}

/// The organisation's one public reply to a review of its course: its admins only; a
/// second reply is refused.
#[server(prefix = "/api", endpoint = "reviews/reply")]
pub async fn reply_to_review(
    slug: String,
    review: i64,
    #[server(default)] reply: String,
    #[server(default)] back: String,
) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let user = cx.signed_in()?;
    let p = &cx.p;
    let listing = server::published_course(p, &slug).await?;
    cx.require(&Action::ReplyToReview {
        org: listing.organisation_id,
    })?;
    super::db::reply(p, listing.id, review, user, &reply).await?;
    Ok(crate::ui::form::finish(&super::model::back_to(
        &listing.slug,
        &back,
        "review_status=replied",
        &format!("review-{review}"),
    )))
}

/// Reports a review to the platform admins, who are told by e-mail. Reporting the same
/// review again changes nothing and says so.
#[server(prefix = "/api", endpoint = "reviews/report")]
pub async fn report_review(
    slug: String,
    review: i64,
    #[server(default)] reason: String,
    #[server(default)] back: String,
) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let user = cx.signed_in()?;
    let p = &cx.p;
    let listing = server::published_course(p, &slug).await?;
    cx.require(&Action::ReportContent)?;
    let new = super::db::report(p, listing.id, review, user, &reason).await?;
    if new {
        server::notify_admins(p, &listing).await;
    }
    let status = if new {
        "review_status=reported"
    } else {
        "review_status=already_reported"
    };
    Ok(crate::ui::form::finish(&super::model::back_to(
        &listing.slug,
        &back,
        status,
        "reviews",
    )))
}

/// S16: the rating and one page of the reviews of an organisation's published courses.
#[server(prefix = "/api", endpoint = "reviews/organisation")]
pub async fn get_organisation_reviews(slug: String, page: i64) -> Result<OrganisationReviewsPage, AppError> {
    use super::model::REVIEWS_PER_PAGE;
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    cx.require(&Action::ViewPublic)?;
    let p = &cx.p;
    let org = super::db::organisation_id(&p.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = page.clamp(0, crate::platform::db::MAX_PAGE);
    Ok(OrganisationReviewsPage {
        rating: super::db::rating(super::db::organisation_rating(&p.db, org).await?),
        reviews: super::db::organisation_reviews(&p.db, org, REVIEWS_PER_PAGE, page * REVIEWS_PER_PAGE)
            .await?,
        page,
        per_page: REVIEWS_PER_PAGE,
    })
}

/// `/admin/reports`: reviews with open reports, for platform admins only.
#[server(prefix = "/api", endpoint = "reviews/reports")]
pub async fn review_reports() -> Result<Vec<ReportedReview>, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    cx.require_signed_in(&Action::ResolveReports)?;
    let p = &cx.p;
    Ok(super::db::open_reports(&p.db).await?)
}

/// A platform admin keeps (`decision` = `keep`) or removes (`remove`) a reported review;
/// both are audited.
#[server(prefix = "/api", endpoint = "reviews/resolve")]
pub async fn resolve_report(review: i64, decision: String) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let user = cx.require_signed_in(&Action::ResolveReports)?;
    let remove = match decision.as_str() {
        "keep" => false,
        "remove" => true,
        _ => return Err(AppError::field("decision", crate::i18n::Msg::FieldInvalidChoice)),
    };
    let p = &cx.p;
    super::db::resolve(p, review, user, remove).await?;
    let status = if remove { "removed" } else { "kept" };
    Ok(crate::ui::form::finish(&format!(
        "/admin/reports?status={status}"
    )))
}
