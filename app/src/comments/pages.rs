//! Comments in pages: [`ListingComments`] for any published listing's page, and
//! `/catalogue/{slug}/reviews`, which shows a listing's reviews and comments on their own
//! page. Forms post and the server answers with a redirect back (works without JavaScript).
use super::api::{EditComment, PostComment, RemoveComment, get_listing_comments, get_listing_heading};
use super::model::{Comment, CommentsPage, MAX_COMMENT_CHARS};
use crate::error::AppError;
use crate::i18n::{Msg, fill, t};
use crate::reviews::model::{date_of, last_page};
use crate::ui::errors::or_error_page;
use crate::ui::form::StatusNote;
use crate::ui::form::{FollowSuccess, FormAlert, last_error, textarea_html};
use crate::ui::markdown::RichText;
use crate::ui::redirect::encode_path;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

const COMMENT_NOTES: &[(&str, Msg)] = &[
    ("posted", Msg::CommentsStatusPosted),
    ("edited", Msg::CommentsStatusEdited),
    ("removed", Msg::CommentsStatusRemoved),
];

/// The public comments of a published listing (S7, S18), oldest first and paged with
/// `?comments_page=`, with the form to comment for signed-in users and edit and remove
/// buttons where the viewer may use them. Renders nothing for a listing that is not
/// published.
#[component]
pub fn ListingComments(#[prop(into)] listing_slug: String) -> impl IntoView {
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("comments_page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(0i64)
            .max(0)
    };
    let status = Signal::derive(move || query.read().get("comment_status"));
    let slug = listing_slug.clone();
    let data = Resource::new(
        move || (slug.clone(), page()),
        |(slug, page)| get_listing_comments(slug, page),
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <CommentsSection d status /> }.into_any(),
                    Err(AppError::NotFound) => ().into_any(),
                    Err(_) => view! { <p class="form-alert" role="alert">{t(Msg::ErrorText)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CommentsSection(d: CommentsPage, status: Signal<Option<String>>) -> impl IntoView {
    let post = ServerAction::<PostComment>::new();
    let edit = ServerAction::<EditComment>::new();
    let remove = ServerAction::<RemoveComment>::new();
    let post_error = last_error(post.value());
    let edit_error = last_error(edit.value());
    let remove_error = last_error(remove.value());
    let list_error = move || edit_error().or_else(remove_error);
    let path = use_location().pathname.get_untracked();
    let last = last_page(d.total, d.per_page);
    let heading = fill(t(Msg::CommentsHeading), &[("count", &d.total.to_string())]);
    let pager = {
        let path = path.clone();
        let link = move |n: i64| format!("{path}?comments_page={n}#comments");
        (last > 0).then(|| {
            view! {
                <nav class="pager" aria-label=t(Msg::CommentsPages)>
                    {(d.page > 0).then(|| view! { <a href=link(d.page - 1) rel="prev">{t(Msg::ReviewsPrev)}</a> })}
                    {(d.page < last).then(|| view! { <a href=link(d.page + 1) rel="next">{t(Msg::ReviewsNext)}</a> })}
                </nav>
            }
        })
    };
    let list = (!d.comments.is_empty()).then(|| {
        let slug = d.slug.clone();
        let path = path.clone();
        view! {
            <ol class="comment-list">
                {d.comments
                    .into_iter()
                    .map(|c| view! { <li><CommentItem c slug=slug.clone() back=path.clone() page=d.page edit remove /></li> })
                    .collect_view()}
            </ol>
        }
    });
    let form = if d.can_comment {
        let message = move || post_error().and_then(|e| e.for_field("body"));
        view! {
            <FormAlert error=post_error />
            <ActionForm action=post attr:class="form comment-form">
                <input type="hidden" name="slug" value=d.slug.clone() />
                <input type="hidden" name="back" value=path.clone() />
                <div class="field" class:has-error=move || message().is_some()>
                    <label for="comment-body">{t(Msg::CommentsBodyLabel)}</label>
                    <p class="hint" id="comment-body-hint">{t(Msg::CommentsBodyHint)}</p>
                    <textarea
                        id="comment-body"
                        name="body"
                        rows="4"
                        required=true
                        maxlength=MAX_COMMENT_CHARS
                        aria-describedby="comment-body-hint comment-body-error"
                    ></textarea>
                    <p class="field-error" id="comment-body-error">{move || message().map(t)}</p>
                </div>
                <button type="submit" class="button primary">{t(Msg::CommentsPost)}</button>
            </ActionForm>
        }
        .into_any()
    } else if !d.signed_in {
        let next = format!("/sign-in?next={}", encode_path(&path));
        view! { <p class="comment-sign-in"><a href=next>{t(Msg::CommentsSignIn)}</a></p> }.into_any()
    } else {
        ().into_any()
    };
    view! {
        <section id="comments" class="comments" aria-labelledby="comments-heading">
            <h2 id="comments-heading">{heading}</h2>
            <StatusNote status notes=COMMENT_NOTES />
            <FormAlert error=list_error />
            {list}
            {pager}
            {form}
        </section>
        <FollowSuccess value=post.value() />
        <FollowSuccess value=edit.value() />
        <FollowSuccess value=remove.value() />
    }
}

#[component]
fn CommentItem(
    c: Comment,
    slug: String,
    back: String,
    page: i64,
    edit: ServerAction<EditComment>,
    remove: ServerAction<RemoveComment>,
) -> impl IntoView {
    let id = c.id;
    let anchor = format!("comment-{id}");
    if c.removed || c.hidden {
        let msg = if c.removed {
            Msg::CommentsRemoved
        } else {
            Msg::CommentsHidden
        };
        return view! {
            <article class="comment comment-gone" id=anchor>
                <p class="muted">{t(msg)}</p>
            </article>
        }
        .into_any();
    }
    let name = format!("{} {}", c.first_name, c.last_name);
    let author = c.author_id.unwrap_or_default();
    let edited = c
        .edited_at
        .map(|_| view! { " " <span class="muted">{t(Msg::ReviewsEdited)}</span> });
    let (edit_slug, edit_back) = (slug.clone(), back.clone());
    let edit_form = c.can_edit.then(move || {
        let (slug, back) = (edit_slug, edit_back);
        let field = format!("comment-edit-{id}");
        view! {
            <details class="comment-edit">
                <summary>{t(Msg::CommentsEdit)}</summary>
                <ActionForm action=edit attr:class="form">
                    <input type="hidden" name="slug" value=slug.clone() />
                    <input type="hidden" name="comment" value=id />
                    <input type="hidden" name="back" value=back.clone() />
                    <input type="hidden" name="page" value=page />
                    <div class="field">
                        <label for=field.clone()>{t(Msg::CommentsBodyLabel)}</label>
                        <textarea
                            id=field.clone()
                            name="body"
                            rows="4"
                            required=true
                            maxlength=MAX_COMMENT_CHARS
                            inner_html=textarea_html(&c.body.clone().unwrap_or_default())
                        ></textarea>
                    </div>
                    <button type="submit" class="button small">{t(Msg::CommentsSave)}</button>
                </ActionForm>
            </details>
        }
    });
    let remove_form = c.can_remove.then(|| {
        let label = fill(t(Msg::CommentsRemoveLabel), &[("name", &name)]);
        view! {
            <ActionForm action=remove attr:class="inline-form comment-remove">
                <input type="hidden" name="slug" value=slug.clone() />
                <input type="hidden" name="comment" value=id />
                <input type="hidden" name="back" value=back.clone() />
                <input type="hidden" name="page" value=page />
                <button type="submit" class="link-button" aria-label=label>{t(Msg::CommentsRemove)}</button>
            </ActionForm>
        }
    });
    view! {
        <article class="comment" id=anchor.clone() aria-labelledby=format!("{anchor}-author")>
            <p class="comment-meta">
                <a id=format!("{anchor}-author") href=format!("/people/{author}")>{name.clone()}</a>
                " · "
                <time datetime=date_of(c.created_at)>{date_of(c.created_at)}</time>
                {edited}
            </p>
            <RichText html=c.body_html class="comment-body" />
            {edit_form}
            {remove_form}
        </article>
    }
    .into_any()
}

/// `/catalogue/{slug}/reviews`: a published listing's reviews (courses) and comments on a
/// page of their own; drafts, withdrawn and missing listings are the 404 page.
#[component]
pub fn ListingDiscussionPage() -> impl IntoView {
    let slug = crate::ui::slug_param();
    let data = Resource::new(slug, get_listing_heading);
    view! {
        <section class="wrap page">
            <Suspense>
                {move || Suspend::new(async move {
                    or_error_page(data.await, |h| {
                        let title = fill(t(Msg::CommentsPageTitle), &[("title", &h.title)]);
                        view! {
                            <Title text=title.clone() />
                            <h1>{title}</h1>
                            <p><a href=format!("/catalogue/{}", h.slug)>{t(Msg::CommentsBackToListing)}</a></p>
                            {(h.kind == "course").then(|| view! { <crate::reviews::pages::ListingReviews listing_slug=h.slug.clone() /> })}
                            <ListingComments listing_slug=h.slug.clone() />
                        }
                    })
                })}
            </Suspense>
        </section>
    }
}
