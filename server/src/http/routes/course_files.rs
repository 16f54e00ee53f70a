//! Course files and the course image (issue 7; S5, S19): the multipart uploads from the
//! lesson editor and the course editor, and serving what was stored. The rules are in
//! `app::courses::{upload, files}`.
//!
//! Uploads are plain form posts (they work without JavaScript) answered with a redirect
//! back to the page: `?status=file-uploaded`, or `?error=courses.files.error.…` with
//! nothing stored. Serving answers one bare 404 for a missing file, a wrong name and a
//! refusal alike, so nobody learns whether a course's file exists.
use crate::http::multipart::{self, Problem};
use crate::http::{actor::CurrentActor, actor::actor_for, redirect::see_other, state::AppState};
use app::auth::{Action, Actor, require};
use app::courses::{
    files::{self, CourseRef},
    model::FILE_FIELD,
    upload::{self, UploadProblem},
};
use app::i18n::Msg;
use app::photos::process::in_background;
use axum::{
    Router,
    body::Body,
    extract::{DefaultBodyLimit, Multipart, Path, State, multipart::MultipartRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use tower_http::limit::RequestBodyLimitLayer;

/// The lesson the editor came from, to go back to.
const ITEM_FIELD: &str = "item";

/// Served files may do nothing in a browser that opens them: no scripts, no plugins, no
/// loads, no framing; the sandbox also takes away their origin.
const FILE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'";

/// The routes. An upload reads up to twice the larger limit (a too-large file is read to
/// its end and dropped, so the browser gets our translated answer instead of a cut
/// connection); the others read no body.
pub fn routes(max_file_bytes: u64, max_image_bytes: u64) -> Router<AppState> {
    let uploads = Router::new()
        .route("/courses/{slug}/files", post(upload_file))
        .route("/courses/{slug}/image", post(upload_image).get(serve_image))
        .layer(DefaultBodyLimit::disable())
        .layer(multipart::body_limit(max_file_bytes.max(max_image_bytes)));
    let serving = Router::new()
        .route("/courses/files/{id}/{name}", get(serve_file))
        .layer(RequestBodyLimitLayer::new(16 * 1024));
    uploads.merge(serving)
}

/// Why a request gets no file and stores nothing, and the answer it gets.
enum Refusal {
    /// A missing course or file and a refusal alike: one bare 404, never cached.
    NotFound,
    /// A failure of ours, logged where it happened: 500.
    Internal,
    /// To the page that says what to do: signing in, or the editor with `?error=…`.
    SeeOther(String),
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::NotFound => {
                (StatusCode::NOT_FOUND, [(header::CACHE_CONTROL, "no-store")]).into_response()
            }
            Refusal::Internal => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            Refusal::SeeOther(location) => see_other(&location, &[]),
        }
    }
}

/// Back to the editor at `page`, its section `anchor`, with the reason.
fn back(page: &str, anchor: &str, msg: Msg) -> Refusal {
    Refusal::SeeOther(format!("{page}?error={}#{anchor}", msg.key()))
}

/// The course, if the actor may change its content: anonymous visitors go to sign in,
/// everybody else gets the missing course's 404.
async fn editable(state: &AppState, actor: &Actor, slug: &str) -> Result<CourseRef, Refusal> {
    if !actor.is_signed_in() {
        return Err(Refusal::SeeOther(format!(
            "/sign-in?next={}",
            app::ui::redirect::encode_path(&format!("/courses/{slug}/edit"))
        )));
    }
    let course = files::course_ref(&state.platform.db, slug)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "could not look up a course");
            Refusal::Internal
        })?
        .ok_or(Refusal::NotFound)?;
    require(actor, &Action::EditCourseContent { course: course.id }).map_err(|_| Refusal::NotFound)?;
    Ok(course)
}

/// `POST /courses/{slug}/files`: an image or document for the course's lessons (S5);
/// teachers of the course and platform admins.
async fn upload_file(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Path(slug): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, Refusal> {
    let course = editable(&state, &actor, &slug).await?;
    let limits = state.areas.course_files;
    let max = limits.max_file_bytes.max(limits.max_image_bytes);
    let form = multipart::read(multipart, FILE_FIELD, max, &[ITEM_FIELD]).await;
    let item = form.text(ITEM_FIELD).and_then(|t| t.trim().parse::<i64>().ok());
    let page = match item {
        Some(item) => format!("/courses/{}/lessons/{item}/edit", course.slug),
        None => format!("/courses/{}/edit", course.slug),
    };
    let refused = |msg: Msg| back(&page, "files", msg);
    let file = form.file.map_err(|problem| {
        refused(match problem {
            Problem::Missing => Msg::CoursesFilesErrorMissing,
            Problem::TooLarge => Msg::CoursesFilesErrorTooLarge,
            Problem::Broken => Msg::CoursesFilesErrorFailed,
        })
    })?;
    // Documents have their own limit; images are checked against theirs by `accept`.
    if !upload::is_image(&file.bytes) && file.bytes.len() as u64 > limits.max_file_bytes {
        return Err(refused(Msg::CoursesFilesErrorTooLarge));
    }
    let max_image = limits.max_image_bytes;
    let accepted = in_background(move || upload::accept(file.bytes, &file.name, max_image))
        .await
        .map_err(|problem| {
            refused(match problem {
                UploadProblem::Missing => Msg::CoursesFilesErrorMissing,
                UploadProblem::TooLarge => Msg::CoursesFilesErrorTooLarge,
                UploadProblem::Type => Msg::CoursesFilesErrorType,
                UploadProblem::Unreadable => Msg::CoursesFilesErrorUnreadable,
                UploadProblem::Pixels => Msg::CoursesFilesErrorPixels,
            })
        })?;
    let user = actor.user.unwrap_or_default();
    match files::add(&state.platform, limits, course.id, user, accepted).await {
        Ok(_) => Ok(see_other(&format!("{page}?status=file-uploaded#files"), &[])),
        Err(files::FileError::NoSuchCourse) => Err(Refusal::NotFound),
        Err(files::FileError::OverQuota) => Err(refused(Msg::CoursesFilesErrorQuota)),
        Err(e) => {
            tracing::error!(error = %e, "could not store a course file");
            Err(refused(Msg::CoursesFilesErrorFailed))
        }
    }
}

/// `POST /courses/{slug}/image`: the course's picture; teachers and platform admins.
async fn upload_image(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Path(slug): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, Refusal> {
    let course = editable(&state, &actor, &slug).await?;
    let page = format!("/courses/{}/edit", course.slug);
    let refused = |msg: Msg| back(&page, "image", msg);
    let max = state.areas.course_files.max_image_bytes;
    let form = multipart::read(multipart, FILE_FIELD, max, &[]).await;
    let file = form.file.map_err(|problem| {
        refused(match problem {
            Problem::Missing => Msg::CoursesFilesErrorMissing,
            Problem::TooLarge => Msg::CoursesImageErrorTooLarge,
            Problem::Broken => Msg::CoursesFilesErrorFailed,
        })
    })?;
    let jpeg = in_background(move || upload::course_image(&file.bytes))
        .await
        .map_err(|problem| {
            refused(match problem {
                UploadProblem::Missing => Msg::CoursesFilesErrorMissing,
                UploadProblem::TooLarge => Msg::CoursesImageErrorTooLarge,
                UploadProblem::Type => Msg::CoursesImageErrorType,
                UploadProblem::Unreadable => Msg::CoursesFilesErrorUnreadable,
                UploadProblem::Pixels => Msg::CoursesFilesErrorPixels,
            })
        })?;
    match files::set_image(&state.platform, course.id, jpeg).await {
        Ok(_) => Ok(see_other(&format!("{page}?status=image-uploaded#image"), &[])),
        Err(files::FileError::NoSuchCourse) => Err(Refusal::NotFound),
        Err(e) => {
            tracing::error!(error = %e, "could not store a course image");
            Err(refused(Msg::CoursesFilesErrorFailed))
        }
    }
}

/// Streams a stored object with the given headers, answering 304 when the browser has it.
async fn send(
    state: &AppState,
    key: &str,
    request: &HeaderMap,
    mut headers: Vec<(header::HeaderName, HeaderValue)>,
) -> Result<Response, Refusal> {
    // Keys are fresh for every upload, so the key identifies the content.
    let tag = key.rsplit('/').next().unwrap_or(key);
    let etag = format!("\"{}\"", tag.trim_end_matches(".jpg"));
    let etag_value = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\""));
    headers.push((header::ETAG, etag_value));
    let unchanged = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut res = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        match state.platform.storage.get(key).await {
            Ok(Some(object)) => {
                let mut res = Body::from_stream(object.stream).into_response();
                res.headers_mut()
                    .insert(header::CONTENT_LENGTH, HeaderValue::from(object.size));
                res
            }
            Ok(None) => {
                tracing::warn!("a course file named in the database is missing from the object store");
                return Err(Refusal::NotFound);
            }
            Err(e) => {
                tracing::error!(error = %e, "could not read a course file");
                return Err(Refusal::Internal);
            }
        }
    };
    for (name, value) in headers {
        res.headers_mut().insert(name, value);
    }
    Ok(res)
}

fn common_headers(cache: &'static str) -> Vec<(header::HeaderName, HeaderValue)> {
    vec![
        (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(FILE_CSP),
        ),
        (header::VARY, HeaderValue::from_static("Cookie")),
        (
            header::HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("same-origin"),
        ),
    ]
}

/// `GET /courses/files/{id}/{name}` (S19): for the course's staff, platform admins and the
/// learners of its published runs while it is published. Images are shown inline, every
/// other file is a download. Everything is checked on each use (`no-cache`), so a learner
/// who leaves, or a file that is deleted, stops being served at once.
async fn serve_file(
    State(state): State<AppState>,
    Path((id, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let id = id.parse::<i64>().map_err(|_| Refusal::NotFound)?;
    let file = files::stored(&state.platform.db, id)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "could not look up a course file");
            Refusal::Internal
        })?
        .filter(|f| f.name == name)
        .ok_or(Refusal::NotFound)?;
    let action = Action::ViewCourseFile {
        course: file.course_id,
        open_runs: file.open_runs,
    };
    if require(&actor_for(&headers, &state).await, &action).is_err() {
        return Err(Refusal::NotFound);
    }
    let image = file.content_type.starts_with("image/");
    let disposition = format!(
        "{}; filename=\"{}\"",
        if image { "inline" } else { "attachment" },
        file.name
    );
    let mut out = common_headers("private, no-cache");
    let (Ok(ct), Ok(cd)) = (
        HeaderValue::from_str(&file.content_type),
        HeaderValue::from_str(&disposition),
    ) else {
        return Err(Refusal::Internal);
    };
    out.push((header::CONTENT_TYPE, ct));
    out.push((header::CONTENT_DISPOSITION, cd));
    send(&state, &file.key, &headers, out).await
}

/// `GET /courses/{slug}/image`: public for a published course (S18), else only for its
/// staff and platform admins (`ViewCourse`), like the course page.
async fn serve_image(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let course = files::course_ref(&state.platform.db, &slug)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "could not look up a course");
            Refusal::Internal
        })?
        .ok_or(Refusal::NotFound)?;
    let action = Action::ViewCourse {
        course: course.id,
        published: course.published,
    };
    // The session is looked up only when the answer depends on who asks.
    let public = require(&Actor::anonymous(), &action).is_ok();
    if !public && require(&actor_for(&headers, &state).await, &action).is_err() {
        return Err(Refusal::NotFound);
    }
    let key = course.image_key.ok_or(Refusal::NotFound)?;
    let mut out = common_headers(if public {
        "public, max-age=300"
    } else {
        "private, no-cache"
    });
    out.push((header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg")));
    out.push((header::CONTENT_DISPOSITION, HeaderValue::from_static("inline")));
    send(&state, &key, &headers, out).await
}
