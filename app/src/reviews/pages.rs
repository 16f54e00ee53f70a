//! Reviews in pages: [`ListingReviews`] for a course listing's page, [`OrganisationReviews`]
//! for the organisation page (S16), and `/admin/reports`. Everything works without
//! JavaScript: forms post and the server answers with a redirect back to the listing.
use super::api::{
    DeleteReview, ReplyToReview, ReportReview, ResolveReport, SaveReview, get_listing_reviews,
    get_organisation_reviews, review_reports,
};
use super::model::{
    ListingReviewsPage, MAX_REASON_CHARS, MAX_REVIEW_CHARS, OrganisationReviewsPage, Rating, ReportedReview,
    Review, date_of, format_average, last_page,
};
use crate::error::AppError;
use crate::i18n::{Msg, current_lang, fill, t};
use crate::ui::errors::signed_in_or_redirect;
use crate::ui::form::StatusNote;
use crate::ui::form::{FollowSuccess, FormAlert, last_error, textarea_html};
use crate::ui::markdown::RichText;
use crate::ui::redirect::encode_path;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

const REVIEW_NOTES: &[(&str, Msg)] = &[
    ("saved", Msg::ReviewsStatusSaved),
    ("deleted", Msg::ReviewsStatusDeleted),
    ("replied", Msg::ReviewsStatusReplied),
    ("reported", Msg::ReviewsStatusReported),
    ("already_reported", Msg::ReviewsStatusAlreadyReported),
];

const REPORT_NOTES: &[(&str, Msg)] = &[
    ("kept", Msg::ReportsStatusKept),
    ("removed", Msg::ReportsStatusRemoved),
];

/// "3 stars out of 5" (and "1 star out of 5").
pub fn stars_label(n: i64) -> String {
    let msg = if n == 1 {
        Msg::ReviewsStarOne
    } else {
        Msg::ReviewsStarMany
    };
    fill(t(msg), &[("count", &n.to_string())])
}

fn glyphs(n: i64) -> String {
    let n = n.clamp(0, 5) as usize;
    format!("{}{}", "★".repeat(n), "☆".repeat(5 - n))
}

/// The average as glyphs for the eye and as a sentence for everyone: "Rated 4.5 out of 5
/// from 2 reviews" is both the glyphs' `aria-label` and shown as text.
#[component]
pub fn RatingSummary(rating: Rating, #[prop(into)] id: String) -> impl IntoView {
    let Some(average) = rating.average.filter(|_| rating.count > 0) else {
        return view! { <p class="rating-summary muted" id=id>{t(Msg::ReviewsNone)}</p> }.into_any();
    };
    let avg = format_average(current_lang(), average);
    let msg = if rating.count == 1 {
        Msg::ReviewsRatedOne
    } else {
        Msg::ReviewsRatedMany
    };
    let sentence = fill(t(msg), &[("average", &avg), ("count", &rating.count.to_string())]);
    view! {
        <p class="rating-summary" id=id>
            <span class="stars" role="img" aria-label=sentence.clone()>{glyphs(average.round() as i64)}</span>
            " "
            <span class="rating-text" aria-hidden="true">{sentence}</span>
        </p>
    }
    .into_any()
}

/// A review's own stars, with "4 stars out of 5" for screen readers.
#[component]
fn Stars(stars: i64) -> impl IntoView {
    view! { <span class="stars" role="img" aria-label=stars_label(stars)>{glyphs(stars)}</span> }
}

fn here() -> String {
    use_location().pathname.get_untracked()
}

fn page_param(name: &'static str) -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        query
            .read()
            .get(name)
            .and_then(|p| p.parse().ok())
            .unwrap_or(0i64)
            .max(0)
    }
}

/// Previous/next links within the current page, keeping the anchor.
#[component]
fn Pager(page: i64, last: i64, param: &'static str, anchor: &'static str, label: Msg) -> impl IntoView {
    let path = here();
    let link = move |n: i64| format!("{path}?{param}={n}#{anchor}");
    (last > 0).then(|| {
        view! {
            <nav class="pager" aria-label=t(label)>
                {(page > 0).then(|| view! { <a href=link(page - 1) rel="prev">{t(Msg::ReviewsPrev)}</a> })}
                {(page < last).then(|| view! { <a href=link(page + 1) rel="next">{t(Msg::ReviewsNext)}</a> })}
            </nav>
        }
    })
}

/// The reviews of a published course listing: the average, the list (paged with
/// `?reviews_page=`), the viewer's form to write, edit or delete their review, report
/// buttons, and the reply form for the organisation's admins. Mounted on the listing page
/// (`/catalogue/{slug}`); renders nothing for listings that are not published courses.
#[component]
pub fn ListingReviews(#[prop(into)] listing_slug: String) -> impl IntoView {
    let page = page_param("reviews_page");
    let slug = listing_slug.clone();
    let data = Resource::new(
        move || (slug.clone(), page()),
        |(slug, page)| get_listing_reviews(slug, page),
    );
    let query = use_query_map();
    let status = Signal::derive(move || query.read().get("review_status"));
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <ReviewsSection d status /> }.into_any(),
                    Err(AppError::NotFound) => ().into_any(),
                    Err(_) => view! { <p class="form-alert" role="alert">{t(Msg::ErrorText)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReviewsSection(d: ListingReviewsPage, status: Signal<Option<String>>) -> impl IntoView {
    let reply = ServerAction::<ReplyToReview>::new();
    let report = ServerAction::<ReportReview>::new();
    let reply_error = last_error(reply.value());
    let report_error = last_error(report.value());
    let list_error = move || reply_error().or_else(report_error);
    let last = last_page(d.rating.count, d.per_page);
    let slug = d.slug.clone();
    let viewer = d.viewer.clone();
    let items = if d.reviews.is_empty() {
        None
    } else {
        Some(view! {
            <ol class="review-list">
                {d.reviews
                    .into_iter()
                    .map(|r| {
                        let own = viewer.user_id == Some(r.author_id);
                        view! {
                            <li>
                                <ReviewItem
                                    r
                                    slug=slug.clone()
                                    can_reply=viewer.can_reply
                                    can_report=viewer.signed_in && !own
                                    reply
                                    report
                                />
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        })
    };
    view! {
        <section id="reviews" class="reviews" aria-labelledby="reviews-heading">
            <h2 id="reviews-heading">{t(Msg::ReviewsHeading)}</h2>
            <RatingSummary rating=d.rating id="reviews-rating" />
            <StatusNote status notes=REVIEW_NOTES />
            <ReviewForm slug=d.slug.clone() viewer=d.viewer.clone() />
            <FormAlert error=list_error />
            {items}
            <Pager page=d.page last param="reviews_page" anchor="reviews" label=Msg::ReviewsPages />
        </section>
        <FollowSuccess value=reply.value() />
        <FollowSuccess value=report.value() />
    }
}

/// One review with the organisation's reply, and the reply and report forms where allowed.
#[component]
fn ReviewItem(
    r: Review,
    slug: String,
    can_reply: bool,
    can_report: bool,
    reply: ServerAction<ReplyToReview>,
    report: ServerAction<ReportReview>,
) -> impl IntoView {
    let id = r.id;
    let name = format!("{} {}", r.first_name, r.last_name);
    let edited = (r.updated_at > r.created_at)
        .then(|| view! { " " <span class="muted">{t(Msg::ReviewsEdited)}</span> });
    let reply_view = r.reply_html.clone().map(|html| {
        view! {
            <div class="review-reply" id=format!("review-{id}-reply")>
                <p class="review-reply-title">
                    <strong>{t(Msg::ReviewsReplyTitle)}</strong>
                    {r.replied_at.map(|at| view! { " " <time datetime=date_of(at)>{date_of(at)}</time> })}
                </p>
                <RichText html />
            </div>
        }
    });
    let back = here();
    let (reply_slug, reply_back) = (slug.clone(), back.clone());
    let reply_form = (can_reply && r.reply_html.is_none()).then(move || {
        let (slug, back) = (reply_slug, reply_back);
        let field = format!("reply-{id}");
        view! {
            <ActionForm action=reply attr:class="form review-reply-form">
                <input type="hidden" name="slug" value=slug.clone() />
                <input type="hidden" name="review" value=id />
                <input type="hidden" name="back" value=back />
                <div class="field">
                    <label for=field.clone()>{t(Msg::ReviewsReplyLabel)}</label>
                    <p class="hint" id=format!("{field}-hint")>{t(Msg::ReviewsReplyHint)}</p>
                    <textarea
                        id=field.clone()
                        name="reply"
                        rows="3"
                        required=true
                        maxlength=MAX_REVIEW_CHARS
                        aria-describedby=format!("{field}-hint")
                    ></textarea>
                </div>
                <button type="submit" class="button small">{t(Msg::ReviewsReplySubmit)}</button>
            </ActionForm>
        }
    });
    let report_form = can_report.then(|| {
        let field = format!("report-{id}");
        view! {
            <details class="review-report">
                <summary>{t(Msg::ReviewsReport)}</summary>
                <ActionForm action=report attr:class="form">
                    <input type="hidden" name="slug" value=slug.clone() />
                    <input type="hidden" name="review" value=id />
                    <input type="hidden" name="back" value=back.clone() />
                    <div class="field">
                        <label for=field.clone()>{t(Msg::ReviewsReportReason)}</label>
                        <textarea id=field.clone() name="reason" rows="2" required=true maxlength=MAX_REASON_CHARS></textarea>
                    </div>
                    <button type="submit" class="button small secondary">{t(Msg::ReviewsReportSubmit)}</button>
                </ActionForm>
            </details>
        }
    });
    view! {
        <article class="review" id=format!("review-{id}") aria-labelledby=format!("review-{id}-author")>
            <p class="review-meta">
                <Stars stars=r.stars />
                " "
                <a id=format!("review-{id}-author") href=format!("/people/{}", r.author_id)>{name}</a>
                " · "
                <time datetime=date_of(r.created_at)>{date_of(r.created_at)}</time>
                {edited}
            </p>
            <RichText html=r.body_html class="review-body" />
            {reply_view}
            {reply_form}
            {report_form}
        </article>
    }
}

/// The viewer's part: sign in first, "not your own organisation's course", or the form to
/// write or change their review, and to delete it.
#[component]
fn ReviewForm(slug: String, viewer: super::model::ReviewViewer) -> impl IntoView {
    let save = ServerAction::<SaveReview>::new();
    let delete = ServerAction::<DeleteReview>::new();
    let save_error = last_error(save.value());
    let delete_error = last_error(delete.value());
    let error = move || save_error().or_else(delete_error);
    let back = here();
    if !viewer.signed_in {
        let next = format!("/sign-in?next={}", encode_path(&back));
        return view! { <p class="review-sign-in"><a href=next>{t(Msg::ReviewsSignIn)}</a></p> }.into_any();
    }
    if viewer.own_organisation {
        return view! { <p class="form-note review-own-org">{t(Msg::ReviewsOwnOrganisation)}</p> }.into_any();
    }
    if !viewer.can_review {
        return ().into_any();
    }
    let own = viewer.own.clone();
    let current = own.as_ref().map(|o| o.stars).unwrap_or(0);
    let body = own.as_ref().map(|o| o.body.clone()).unwrap_or_default();
    let stars_message = move || error().and_then(|e| e.for_field("stars"));
    let body_message = move || error().and_then(|e| e.for_field("body"));
    let (delete_slug, delete_back) = (slug.clone(), back.clone());
    let delete_form = own.is_some().then(move || {
        let (slug, back) = (delete_slug, delete_back);
        view! {
            <ActionForm action=delete attr:class="inline-form review-delete">
                <input type="hidden" name="slug" value=slug.clone() />
                <input type="hidden" name="back" value=back.clone() />
                <button type="submit" class="button small danger">{t(Msg::ReviewsDelete)}</button>
            </ActionForm>
        }
    });
    let (heading, submit) = if own.is_some() {
        (Msg::ReviewsEditHeading, Msg::ReviewsSaveChanges)
    } else {
        (Msg::ReviewsWriteHeading, Msg::ReviewsPublish)
    };
    view! {
        <div class="review-own">
            <h3 id="review-form-heading">{t(heading)}</h3>
            <FormAlert error />
            <ActionForm action=save attr:class="form review-form" attr:aria-labelledby="review-form-heading">
                <input type="hidden" name="slug" value=slug.clone() />
                <input type="hidden" name="back" value=back.clone() />
                <fieldset
                    class="field star-input"
                    class:has-error=move || stars_message().is_some()
                    aria-describedby=move || stars_message().is_some().then_some("review-stars-error")
                >
                    <legend>{t(Msg::ReviewsYourRating)}</legend>
                    {(1..=5)
                        .map(|n| {
                            let id = format!("review-stars-{n}");
                            view! {
                                <span class="star-option">
                                    <input type="radio" id=id.clone() name="stars" value=n checked=n == current required=true />
                                    <label for=id>
                                        <span aria-hidden="true">{glyphs(n)}</span>
                                        <span class="star-option-text">{stars_label(n)}</span>
                                    </label>
                                </span>
                            }
                        })
                        .collect_view()}
                    <p class="field-error" id="review-stars-error">{move || stars_message().map(t)}</p>
                </fieldset>
                <div class="field" class:has-error=move || body_message().is_some()>
                    <label for="review-body">{t(Msg::ReviewsBodyLabel)}</label>
                    <p class="hint" id="review-body-hint">{t(Msg::ReviewsBodyHint)}</p>
                    <textarea id="review-body" name="body" rows="5" maxlength=MAX_REVIEW_CHARS aria-describedby="review-body-hint review-body-error" inner_html=textarea_html(&body)></textarea>
                    <p class="field-error" id="review-body-error">{move || body_message().map(t)}</p>
                </div>
                <button type="submit" class="button primary">{t(submit)}</button>
            </ActionForm>
            {delete_form}
        </div>
        <FollowSuccess value=save.value() />
        <FollowSuccess value=delete.value() />
    }
    .into_any()
}

/// S16: the average rating of the organisation's courses and their reviews (paged with
/// `?reviews_page=`), for the organisation page.
#[component]
pub fn OrganisationReviews(#[prop(into)] org_slug: String) -> impl IntoView {
    let page = page_param("reviews_page");
    let data = Resource::new(
        move || (org_slug.clone(), page()),
        |(slug, page)| get_organisation_reviews(slug, page),
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                data.await.ok().map(|d| view! { <OrganisationReviewList d /> })
            })}
        </Suspense>
    }
}

#[component]
fn OrganisationReviewList(d: OrganisationReviewsPage) -> impl IntoView {
    let last = last_page(d.rating.count, d.per_page);
    view! {
        <section id="reviews" class="reviews" aria-labelledby="org-reviews-heading">
            <h2 id="org-reviews-heading">{t(Msg::ReviewsOrgHeading)}</h2>
            <RatingSummary rating=d.rating id="org-rating" />
            <ol class="review-list">
                {d.reviews
                    .into_iter()
                    .map(|o| {
                        let r = o.review;
                        let id = r.id;
                        let name = format!("{} {}", r.first_name, r.last_name);
                        view! {
                            <li>
                                <article class="review" id=format!("review-{id}") aria-labelledby=format!("review-{id}-course")>
                                    <h3 class="review-course" id=format!("review-{id}-course")>
                                        <a href=format!("/catalogue/{}", o.listing_slug)>{o.listing_title}</a>
                                    </h3>
                                    <p class="review-meta">
                                        <Stars stars=r.stars />
                                        " "
                                        <a href=format!("/people/{}", r.author_id)>{name}</a>
                                        " · "
                                        <time datetime=date_of(r.created_at)>{date_of(r.created_at)}</time>
                                    </p>
                                    <RichText html=r.body_html class="review-body" />
                                    {r.reply_html.map(|html| view! {
                                        <div class="review-reply">
                                            <p class="review-reply-title"><strong>{t(Msg::ReviewsReplyTitle)}</strong></p>
                                            <RichText html />
                                        </div>
                                    })}
                                </article>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <Pager page=d.page last param="reviews_page" anchor="reviews" label=Msg::ReviewsPages />
        </section>
    }
}

/// `/admin/reports`: reported reviews for platform admins, who keep or remove each one.
/// Others get the 404 page, anonymous visitors are sent to sign in.
#[component]
pub fn AdminReportsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| review_reports());
    let resolve = ServerAction::<ResolveReport>::new();
    let error = last_error(resolve.value());
    let query = use_query_map();
    let status = Signal::derive(move || query.read().get("status"));
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                signed_in_or_redirect(data.await, move |reports| view! {
                    <Title text=t(Msg::ReportsTitle) />
                    <section class="wrap page">
                        <h1>{t(Msg::ReportsTitle)}</h1>
                        <crate::admin::pages::AdminNav />
                        <StatusNote status notes=REPORT_NOTES />
                        <FormAlert error />
                        <ReportList reports resolve />
                    </section>
                })
            })}
        </Suspense>
        <FollowSuccess value=resolve.value() />
    }
}

#[component]
fn ReportList(reports: Vec<ReportedReview>, resolve: ServerAction<ResolveReport>) -> impl IntoView {
    if reports.is_empty() {
        return view! { <p class="empty">{t(Msg::ReportsEmpty)}</p> }.into_any();
    }
    view! {
        <ol class="review-list report-list">
            {reports
                .into_iter()
                .map(|rep| {
                    let r = rep.review;
                    let id = r.id;
                    let name = format!("{} {}", r.first_name, r.last_name);
                    view! {
                        <li>
                            <article class="review" id=format!("report-{id}") aria-labelledby=format!("report-{id}-course")>
                                <h2 class="review-course" id=format!("report-{id}-course")>
                                    <a href=format!("/catalogue/{}", rep.listing_slug)>{rep.listing_title}</a>
                                </h2>
                                <p class="review-meta">
                                    <Stars stars=r.stars />
                                    " "
                                    <a href=format!("/people/{}", r.author_id)>{name}</a>
                                    " · "
                                    <time datetime=date_of(r.created_at)>{date_of(r.created_at)}</time>
                                </p>
                                <RichText html=r.body_html class="review-body" />
                                <h3>{t(Msg::ReportsReasons)}</h3>
                                <ul class="report-reasons">
                                    {rep.reasons.into_iter().map(|reason| view! { <li>{reason}</li> }).collect_view()}
                                </ul>
                                <ActionForm action=resolve attr:class="inline-form">
                                    <input type="hidden" name="review" value=id />
                                    <button type="submit" name="decision" value="keep" class="button small secondary">
                                        {t(Msg::ReportsKeep)}
                                    </button>
                                    <button type="submit" name="decision" value="remove" class="button small danger">
                                        {t(Msg::ReportsRemove)}
                                    </button>
                                </ActionForm>
                            </article>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}
