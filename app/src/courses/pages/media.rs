//! The course's files on the lesson editor, and the course image on the course editor
//! (issue 7, S5). Uploads are plain multipart form posts to the server's routes
//! (`server/src/http/routes/course_files.rs`), which come back here with `?status=` or `?error=`;
//! deleting is a server function.
use crate::courses::api::{DeleteFile, RemoveCourseImage};
use crate::courses::model::{
    CourseFile, FILE_ACCEPT, FILE_FIELD, IMAGE_ACCEPT, files_upload_path, human_size, image_path,
    upload_error,
};
use crate::i18n::{Msg, fill, t};
use crate::photos::model::megabytes;
use crate::ui::form::{FollowSuccess, FormAlert, last_error};
use leptos::prelude::*;

/// The upload refusal named by `?error=`, if it is one of ours.
fn query_error() -> Signal<Option<Msg>> {
    let query = leptos_router::hooks::use_query_map();
    Signal::derive(move || query.read().get("error").and_then(|k| upload_error(&k)))
}

/// The hint under the lesson text: how to embed a video or tool, and from where.
#[component]
pub fn EmbedHint(providers: Vec<String>) -> impl IntoView {
    let text = if providers.is_empty() {
        t(Msg::CoursesEmbedOff).to_string()
    } else {
        fill(t(Msg::CoursesEmbedHint), &[("providers", &providers.join(", "))])
    };
    view! { <p class="hint" id="embed-hint">{text}</p> }
}

/// The course's files with their Markdown, the upload form and delete buttons.
#[component]
pub fn FilesSection(
    slug: String,
    item: i64,
    files: Vec<CourseFile>,
    max_image_bytes: u64,
    max_file_bytes: u64,
    quota_bytes: u64,
) -> impl IntoView {
    let delete = ServerAction::<DeleteFile>::new();
    let used = files.iter().map(|f| f.size).sum::<i64>();
    let quota = human_size(quota_bytes as i64);
    let usage = fill(
        t(Msg::CoursesFilesUsage),
        &[("used", &human_size(used)), ("quota", &quota)],
    );
    let delete_error = last_error(delete.value());
    let (image_mb, file_mb) = (megabytes(max_image_bytes), megabytes(max_file_bytes));
    let hint = fill(
        t(Msg::CoursesFilesHint),
        &[("image", &image_mb), ("file", &file_mb)],
    );
    let error = query_error();
    let error_text = move || {
        error.get().map(|m| {
            fill(
                t(m),
                &[
                    ("image", &image_mb),
                    ("file", &file_mb),
                    ("size", &image_mb),
                    ("quota", &quota),
                ],
            )
        })
    };
    let upload_path = files_upload_path(&slug);
    let list = if files.is_empty() {
        view! { <p class="empty">{t(Msg::CoursesFilesNone)}</p> }.into_any()
    } else {
        view! {
            <ul class="file-list">
                {files
                    .into_iter()
                    .map(|f| {
                        let slug = slug.clone();
                        let snippet_id = format!("snippet-{}", f.id);
                        let url = f.url();
                        let delete_label = fill(t(Msg::CoursesFilesDeleteNamed), &[("name", &f.name)]);
                        view! {
                            <li class="file-item">
                                {f.image().then(|| view! { <img class="file-thumb" src=url.clone() alt="" loading="lazy" /> })}
                                <div class="file-facts">
                                    <a href=url.clone()>{f.name.clone()}</a>
                                    " " <span class="muted">{human_size(f.size)}</span>
                                    <div class="field snippet">
                                        <label for=snippet_id.clone()>
                                            {fill(t(Msg::CoursesFilesSnippet), &[("name", &f.name)])}
                                        </label>
                                        <input id=snippet_id type="text" readonly value=f.snippet() />
                                    </div>
                                </div>
                                <ActionForm action=delete attr:class="inline-form">
                                    <input type="hidden" name="slug" value=slug.clone() />
                                    <input type="hidden" name="file" value=f.id.to_string() />
                                    <input type="hidden" name="item" value=item.to_string() />
                                    <button type="submit" class="button secondary small" aria-label=delete_label>
                                        {t(Msg::CoursesDelete)}
                                    </button>
                                </ActionForm>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section id="files" aria-labelledby="files-heading">
            <h2 id="files-heading">{t(Msg::CoursesFilesHeading)}</h2>
            <p>{t(Msg::CoursesFilesLead)}</p>
            <form class="form" method="post" action=upload_path enctype="multipart/form-data">
                <input type="hidden" name="item" value=item.to_string() />
                <div class="field" class:has-error=move || error.get().is_some()>
                    <label for="course-file">{t(Msg::CoursesFilesChoose)}</label>
                    <input
                        id="course-file"
                        type="file"
                        name=FILE_FIELD
                        accept=FILE_ACCEPT
                        required
                        aria-describedby="course-file-hint course-file-error"
                        aria-invalid=move || error.get().is_some().then_some("true")
                    />
                    <p id="course-file-hint" class="hint">{hint}</p>
                    <p id="course-file-error" class="field-error" role="alert">{error_text}</p>
                </div>
                <button type="submit" class="button">{t(Msg::CoursesFilesUpload)}</button>
            </form>
            <h3>{t(Msg::CoursesFilesList)}</h3>
            <p class="muted">{usage}</p>
            <FormAlert error=delete_error />
            {list}
        </section>
        <FollowSuccess value=delete.value() />
    }
}

/// The course image: the current one, a new one, remove.
#[component]
pub fn CourseImageSection(slug: String, image: Option<String>, max_image_bytes: u64) -> impl IntoView {
    let remove = ServerAction::<RemoveCourseImage>::new();
    let remove_error = last_error(remove.value());
    let size = megabytes(max_image_bytes);
    let hint = fill(t(Msg::CoursesImageHint), &[("size", &size)]);
    let error = query_error();
    let error_text = move || {
        error
            .get()
            .map(|m| fill(t(m), &[("size", &size), ("image", &size), ("file", &size)]))
    };
    let has_image = image.is_some();
    view! {
        <section id="image" aria-labelledby="image-heading">
            <h2 id="image-heading">{t(Msg::CoursesImageHeading)}</h2>
            {match image {
                Some(src) => view! { <img class="course-image" src=src alt=t(Msg::CoursesImageCurrent) /> }.into_any(),
                None => view! { <p class="empty">{t(Msg::CoursesImageNone)}</p> }.into_any(),
            }}
            <form class="form" method="post" action=image_path(&slug) enctype="multipart/form-data">
                <div class="field" class:has-error=move || error.get().is_some()>
                    <label for="course-image-file">{t(Msg::CoursesImageChoose)}</label>
                    <input
                        id="course-image-file"
                        type="file"
                        name=FILE_FIELD
                        accept=IMAGE_ACCEPT
                        required
                        aria-describedby="course-image-hint course-image-error"
                        aria-invalid=move || error.get().is_some().then_some("true")
                    />
                    <p id="course-image-hint" class="hint">{hint}</p>
                    <p id="course-image-error" class="field-error" role="alert">{error_text}</p>
                </div>
                <button type="submit" class="button">{t(Msg::CoursesImageUpload)}</button>
            </form>
            <FormAlert error=remove_error />
            {has_image.then(|| view! {
                <ActionForm action=remove attr:class="inline-form">
                    <input type="hidden" name="slug" value=slug.clone() />
                    <button type="submit" class="button secondary">{t(Msg::CoursesImageRemove)}</button>
                </ActionForm>
            })}
        </section>
        <FollowSuccess value=remove.value() />
    }
}
