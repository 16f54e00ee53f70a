//! `/settings/photo`: the signed-in user's photo, a file input, upload and remove. Without
//! JavaScript both are plain form posts that come back here with `?status=` or `?error=`;
//! after hydration the upload goes through `XMLHttpRequest`, so its progress can be shown.
use super::api::my_photo;
use super::avatar::UserAvatar;
use super::model::{
    ACCEPT, FIELD, OwnPhoto, PhotoSize, REMOVE_PATH, SIGN_IN_PATH, UPLOAD_PATH, error_from_key, megabytes,
    status_message,
};
use crate::error::AppError;
use crate::i18n::{Msg, fill, t};
use crate::ui::errors::or_error_page;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_query_map};

#[component]
pub fn PhotoSettingsPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| my_photo());
    view! {
        <Title text=t(Msg::PhotoTitle) />
        <section class="wrap page photo-settings">
            <h1>{t(Msg::PhotoTitle)}</h1>
            <p class="lead">{t(Msg::PhotoLead)}</p>
            <Suspense>
                {move || Suspend::new(async move {
                    match me.await {
                        Err(AppError::SignInRequired) => view! { <Redirect path=SIGN_IN_PATH /> }.into_any(),
                        other => or_error_page(other, |me| view! { <PhotoForm me /> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn PhotoForm(me: OwnPhoto) -> impl IntoView {
    let query = use_query_map();
    let (error, set_error) =
        signal(query.with_untracked(|q| q.get("error").and_then(|k| error_from_key(&k))));
    let (status, set_status) =
        signal(query.with_untracked(|q| q.get("status").and_then(|s| status_message(&s))));
    let (version, set_version) = signal(me.version);
    // Some(percent) while an upload is under way.
    let (progress, set_progress) = signal(None::<f64>);
    let size = megabytes(me.max_bytes);
    let hint = fill(t(Msg::PhotoHint), &[("size", &size)]);
    let error_text = move || error.get().map(|m| fill(t(m), &[("size", &size)]));
    let max_bytes = me.max_bytes;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        upload::submit(
            ev,
            max_bytes,
            upload::Signals {
                progress: set_progress,
                error: set_error,
                status: set_status,
                version: set_version,
            },
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, max_bytes, set_progress, set_error, set_status, set_version);
    };
    let (user_id, name) = (me.user_id, me.name);
    view! {
        <div class="photo-current">
            <h2>{t(Msg::PhotoCurrent)}</h2>
            {move || {
                let v = version.get();
                view! {
                    <UserAvatar user_id name=name.clone() has_photo=v.is_some() size=PhotoSize::Full version=v.unwrap_or(0) />
                }
            }}
            {move || version.get().is_none().then(|| view! { <p class="muted">{t(Msg::PhotoNone)}</p> })}
        </div>
        <p class="notice" role="status">{move || status.get().map(t)}</p>
        <form class="photo-form" method="post" action=UPLOAD_PATH enctype="multipart/form-data" on:submit=on_submit>
            <div class="field">
                <label for="photo-file">{t(Msg::PhotoChoose)}</label>
                <input
                    id="photo-file"
                    type="file"
                    name=FIELD
                    accept=ACCEPT
                    required
                    aria-describedby="photo-hint photo-error"
                    aria-invalid=move || error.get().is_some().then_some("true")
                />
                <p id="photo-hint" class="hint">{hint}</p>
                <p id="photo-error" class="field-error" role="alert">{error_text}</p>
            </div>
            <div class="upload-progress" hidden=move || progress.get().is_none()>
                <label for="photo-progress">{t(Msg::PhotoUploading)}</label>
                <progress id="photo-progress" max="100" value=move || progress.get().unwrap_or(0.0).round()>
                    {move || format!("{:.0} %", progress.get().unwrap_or(0.0))}
                </progress>
            </div>
            <button type="submit" class="button" disabled=move || progress.get().is_some()>
                {t(Msg::PhotoUpload)}
            </button>
        </form>
        {move || {
            version
                .get()
                .is_some()
                .then(|| {
                    view! {
                        <form class="photo-remove" method="post" action=REMOVE_PATH>
                            <button type="submit" class="button secondary">{t(Msg::PhotoRemove)}</button>
                        </form>
                    }
                })
        }}
    }
}

/// The upload after hydration: `XMLHttpRequest` reports upload progress (`fetch` does not).
#[cfg(feature = "hydrate")]
mod upload {
    use super::super::model::{PhotoReply, UPLOAD_PATH, error_from_key};
    use crate::i18n::Msg;
    use leptos::prelude::*;
    use leptos::wasm_bindgen::{JsCast, closure::Closure};
    use leptos::web_sys::{
        Event, FormData, HtmlFormElement, HtmlInputElement, ProgressEvent, XmlHttpRequest,
    };

    #[derive(Clone, Copy)]
    pub struct Signals {
        pub progress: WriteSignal<Option<f64>>,
        pub error: WriteSignal<Option<Msg>>,
        pub status: WriteSignal<Option<Msg>>,
        pub version: WriteSignal<Option<i64>>,
    }

    pub fn submit(ev: leptos::ev::SubmitEvent, max_bytes: u64, s: Signals) {
        let Some(form) = ev.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else {
            return;
        };
        let Ok(xhr) = XmlHttpRequest::new() else {
            return; // the browser posts the form itself
        };
        ev.prevent_default();
        let file = form
            .query_selector("input[type=file]")
            .ok()
            .flatten()
            .and_then(|el| el.dyn_into::<HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            s.error.set(Some(Msg::PhotoErrorMissing));
            return;
        };
        // The server enforces the limit too; this only spares the user a long upload.
        if file.size() > max_bytes as f64 {
            s.error.set(Some(Msg::PhotoErrorTooLarge));
            return;
        }
        let Ok(data) = FormData::new_with_form(&form) else {
            s.error.set(Some(Msg::PhotoErrorFailed));
            return;
        };
        if xhr.open_with_async("POST", UPLOAD_PATH, true).is_err()
            || xhr.set_request_header("Accept", "application/json").is_err()
        {
            s.error.set(Some(Msg::PhotoErrorFailed));
            return;
        }
        s.error.set(None);
        s.status.set(None);
        s.progress.set(Some(0.0));

        let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                s.progress.set(Some(100.0 * e.loaded() / e.total()));
            }
        });
        let done = {
            let xhr = xhr.clone();
            let form = form.clone();
            Closure::<dyn FnMut(Event)>::new(move |_: Event| {
                s.progress.set(None);
                let reply: Option<PhotoReply> = xhr
                    .response_text()
                    .ok()
                    .flatten()
                    .and_then(|text| serde_json::from_str(&text).ok());
                match reply {
                    Some(PhotoReply {
                        ok: true,
                        version: Some(v),
                        ..
                    }) => {
                        s.version.set(Some(v));
                        s.status.set(Some(Msg::PhotoUploaded));
                        form.reset();
                    }
                    other => {
                        let key = other.and_then(|r| r.error).unwrap_or_default();
                        s.error
                            .set(Some(error_from_key(&key).unwrap_or(Msg::PhotoErrorFailed)));
                    }
                }
            })
        };
        let failed = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            s.progress.set(None);
            s.error.set(Some(Msg::PhotoErrorFailed));
        });
        if let Ok(upload) = xhr.upload() {
            upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        }
        xhr.set_onload(Some(done.as_ref().unchecked_ref()));
        xhr.set_onerror(Some(failed.as_ref().unchecked_ref()));
        // The handlers live as long as the request, which outlives this function; three
        // small closures per upload are left to the page's lifetime.
        on_progress.forget();
        done.forget();
        failed.forget();
        if xhr.send_with_opt_form_data(Some(&data)).is_err() {
            s.progress.set(None);
            s.error.set(Some(Msg::PhotoErrorFailed));
        }
    }
}
