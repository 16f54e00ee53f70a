//! Profile photo routes: upload and remove (form posts from `/settings/photo`, or from its
//! script after hydration) and serving the stored images. The rules are in `app::photos`.
//!
//! A plain form post is answered with a redirect back to the settings page
//! (`?status=uploaded`, `?error=photo.error.…`); a request that accepts JSON (the page's
//! script) gets a [`PhotoReply`] with a status code instead.
use crate::http::multipart::{self, Problem};
use crate::http::{actor::CurrentActor, actor::actor_for, redirect::see_other, state::AppState};
use app::auth::{Action, Actor, require};
use app::i18n::Msg;
use app::photos::{
    db::{self, PhotoError},
    model::{FIELD, PAGE_PATH, PhotoReply, PhotoSize, REMOVE_PATH, SIGN_IN_PATH, UPLOAD_PATH},
    process::{PhotoProblem, process_in_background},
};
use axum::{
    Json, Router,
    body::Body,
    extract::{DefaultBodyLimit, Multipart, Path, State, multipart::MultipartRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use tower_http::limit::RequestBodyLimitLayer;

/// The photo routes, each with its own body limit: the upload reads up to twice the photo
/// limit (a too-large file is read to its end and dropped, so the browser gets our
/// translated answer instead of a cut connection), the others read no body.
pub fn routes(max_photo_bytes: u64) -> Router<AppState> {
    let upload = Router::new()
        .route(UPLOAD_PATH, post(upload))
        .layer(DefaultBodyLimit::disable())
        .layer(multipart::body_limit(max_photo_bytes));
    let others = Router::new()
        .route(REMOVE_PATH, post(remove))
        .route("/media/photos/{user}/{size}", get(serve))
        .layer(RequestBodyLimitLayer::new(16 * 1024));
    upload.merge(others)
}

/// How to answer: a redirect for a form, JSON for a script.
#[derive(Clone, Copy)]
enum Reply {
    Redirect,
    Json,
}

impl Reply {
    fn for_request(headers: &HeaderMap) -> Reply {
        let json = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("application/json"));
        if json { Reply::Json } else { Reply::Redirect }
    }

    fn done(self, status: &str, version: Option<i64>) -> Response {
        match self {
            Reply::Redirect => see_other(&format!("{PAGE_PATH}?status={status}"), &[]),
            Reply::Json => Json(PhotoReply {
                ok: true,
                version,
                error: None,
            })
            .into_response(),
        }
    }

    fn refused(self, status: StatusCode, msg: Msg) -> Refusal {
        Refusal::Problem(self, status, msg)
    }
}

/// Why an upload or a removal is not done, and how that is said.
enum Refusal {
    /// Nobody signed in (or the account is gone): to the sign-in page, or 401 for a script.
    SignIn(Reply),
    /// Not the asker's to change: a bare 404.
    NotFound,
    /// The reason, one of the `photo.error.*` keys: back to the settings page with it, or
    /// the status and the key for a script.
    Problem(Reply, StatusCode, Msg),
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::SignIn(Reply::Redirect) => see_other(SIGN_IN_PATH, &[]),
            Refusal::SignIn(Reply::Json) => {
                (StatusCode::UNAUTHORIZED, Json(PhotoReply::default())).into_response()
            }
            Refusal::NotFound => StatusCode::NOT_FOUND.into_response(),
            Refusal::Problem(Reply::Redirect, _, msg) => {
                see_other(&format!("{PAGE_PATH}?error={}", msg.key()), &[])
            }
            Refusal::Problem(Reply::Json, status, msg) => (
                status,
                Json(PhotoReply {
                    ok: false,
                    version: None,
                    error: Some(msg.key().to_string()),
                }),
            )
                .into_response(),
        }
    }
}

/// The signed-in user, if they may change their photo (`ChangePhoto`: only their own).
fn photo_owner(actor: &Actor, reply: Reply) -> Result<i64, Refusal> {
    let user = actor.user.ok_or(Refusal::SignIn(reply))?;
    require(actor, &Action::ChangePhoto { owner: user }).map_err(|_| Refusal::NotFound)?;
    Ok(user)
}

/// `POST /settings/photo/upload`: the signed-in user's new photo.
async fn upload(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, Refusal> {
    let reply = Reply::for_request(&headers);
    let user = photo_owner(&actor, reply)?;
    let form = multipart::read(multipart, FIELD, state.areas.photo.0, &[]).await;
    let file = form.file.map_err(|problem| match problem {
        Problem::Missing => reply.refused(StatusCode::BAD_REQUEST, Msg::PhotoErrorMissing),
        Problem::TooLarge => reply.refused(StatusCode::PAYLOAD_TOO_LARGE, Msg::PhotoErrorTooLarge),
        Problem::Broken => reply.refused(StatusCode::BAD_REQUEST, Msg::PhotoErrorFailed),
    })?;
    let images = process_in_background(file.bytes)
        .await
        .map_err(|problem| match problem {
            PhotoProblem::NotAPhoto => reply.refused(StatusCode::UNSUPPORTED_MEDIA_TYPE, Msg::PhotoErrorType),
            PhotoProblem::Unreadable => {
                reply.refused(StatusCode::UNPROCESSABLE_ENTITY, Msg::PhotoErrorUnreadable)
            }
            PhotoProblem::TooManyPixels => {
                reply.refused(StatusCode::UNPROCESSABLE_ENTITY, Msg::PhotoErrorPixels)
            }
        })?;
    match db::replace_photo(&state.platform, user, images).await {
        Ok(version) => Ok(reply.done("uploaded", Some(version))),
        Err(PhotoError::NoSuchUser) => Err(Refusal::SignIn(reply)),
        Err(e) => {
            tracing::error!(error = %e, "could not store a photo");
            Err(reply.refused(StatusCode::INTERNAL_SERVER_ERROR, Msg::PhotoErrorFailed))
        }
    }
}

/// `POST /settings/photo/remove`: removes the signed-in user's photo.
async fn remove(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let reply = Reply::for_request(&headers);
    let user = photo_owner(&actor, reply)?;
    match db::remove_photo(&state.platform, user).await {
        Ok(_) => Ok(reply.done("removed", None)),
        Err(PhotoError::NoSuchUser) => Err(Refusal::SignIn(reply)),
        Err(e) => {
            tracing::error!(error = %e, "could not remove a photo");
            Err(reply.refused(StatusCode::INTERNAL_SERVER_ERROR, Msg::PhotoErrorFailed))
        }
    }
}

/// Why no image is served: one 404 for missing, unknown and refused (never cached), or a
/// failure of ours (logged where it happened).
enum NotServed {
    NotFound,
    Internal,
}

impl IntoResponse for NotServed {
    fn into_response(self) -> Response {
        match self {
            NotServed::NotFound => {
                (StatusCode::NOT_FOUND, [(header::CACHE_CONTROL, "no-store")]).into_response()
            }
            NotServed::Internal => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    }
}

/// `GET /media/photos/{user}/{thumb|full}`: the image, if the asker may see it. A missing
/// photo, an unknown user and a refusal all answer 404 alike.
async fn serve(
    State(state): State<AppState>,
    Path((user, size)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, NotServed> {
    let (Ok(user), Some(size)) = (user.parse::<i64>(), PhotoSize::from_segment(&size)) else {
        return Err(NotServed::NotFound);
    };
    let p = &state.platform;
    let photo = db::photo_of(&p.db, user)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "could not look up a photo");
            NotServed::Internal
        })?
        .ok_or(NotServed::NotFound)?;
    let (key, action) = match size {
        PhotoSize::Thumb => (
            photo.thumb_key,
            Action::ViewPhotoThumbnail {
                owner: user,
                visible: photo.visible,
            },
        ),
        PhotoSize::Full => (
            photo.main_key,
            Action::ViewPhoto {
                owner: user,
                visible: photo.visible,
            },
        ),
    };
    let key = key.ok_or(NotServed::NotFound)?;
    // The session is looked up only when the answer depends on who asks.
    let public = require(&Actor::anonymous(), &action).is_ok();
    if !public && require(&actor_for(&headers, &state).await, &action).is_err() {
        return Err(NotServed::NotFound);
    }
    // Keys are fresh for every upload, so the file name identifies the content.
    let etag = format!(
        "\"{}\"",
        key.rsplit('/').next().unwrap_or(&key).trim_end_matches(".jpg")
    );
    // Public thumbnails may be cached for a few minutes; anything else is checked on every
    // use, so a removed photo or a hidden profile stops showing at once.
    let cache = if public {
        "public, max-age=300"
    } else {
        "private, no-cache"
    };
    let common = [
        (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (header::VARY, HeaderValue::from_static("Cookie")),
        (
            header::HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("same-origin"),
        ),
    ];
    let etag_value = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\""));
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if unchanged {
        let mut res = (StatusCode::NOT_MODIFIED, common).into_response();
        res.headers_mut().insert(header::ETAG, etag_value);
        return Ok(res);
    }
    let object = match p.storage.get(&key).await {
        Ok(Some(o)) => o,
        Ok(None) => {
            tracing::warn!(
                user,
                "a photo named in the database is missing from the object store"
            );
            return Err(NotServed::NotFound);
        }
        Err(e) => {
            tracing::error!(error = %e, "could not read a photo");
            return Err(NotServed::Internal);
        }
    };
    let mut res = (common, Body::from_stream(object.stream)).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(object.size));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("inline"));
    h.insert(header::ETAG, etag_value);
    Ok(res)
}
