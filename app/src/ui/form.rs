//! Form building blocks shared by every page: labelled fields with their error next to
//! them, a summary alert for whole-form refusals, and what happens after a form succeeds.
//!
//! Forms post to server functions. Without JavaScript the browser posts the form, and the
//! server answers with a redirect: to the next page on success ([`finish`]), or back to the
//! form with the error in the URL, which the page's `ServerAction` reads. With JavaScript,
//! `ActionForm` posts in the background and [`FollowSuccess`] loads the next page.
use crate::error::AppError;
use crate::i18n::{Msg, fill, t};
use leptos::prelude::*;
use leptos::reactive::signal::MappedSignal;

/// Where to go after a successful form. For a plain (no-JavaScript) form post this also
/// answers with a redirect there. Only paths on this site ([`super::redirect`]); anything
/// else goes to the home page.
pub fn finish(path: &str) -> String {
    let path = super::redirect::same_site_path(path).unwrap_or("/");
    #[cfg(feature = "ssr")]
    {
        let plain_form_post = use_context::<http::request::Parts>().is_some_and(|p| {
            p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
        });
        if plain_form_post {
            leptos_axum::redirect(path);
        }
    }
    path.to_string()
}

/// The error of the last submission, if any.
pub fn last_error<T: Clone + Send + Sync + 'static>(
    value: MappedSignal<Option<Result<T, AppError>>>,
) -> impl Fn() -> Option<AppError> + Copy + Send + Sync + 'static {
    move || value.with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned()))
}

/// After a successful submission in the browser, load the page the server named (a full
/// load, so the header and everything else reflect the new state).
#[component]
pub fn FollowSuccess(value: MappedSignal<Option<Result<String, AppError>>>) -> impl IntoView {
    Effect::new(move |_| {
        if let Some(Ok(path)) = value.get() {
            let _ = window().location().assign(&path);
        }
    });
}

/// The message for a whole-form problem, in the reader's language.
pub fn form_message(e: &AppError) -> Option<String> {
    match e {
        AppError::Invalid(_) => Some(t(Msg::FormHasErrors).to_string()),
        AppError::Refused(key) => Msg::from_key(key).map(|m| t(m).to_string()),
        AppError::TooManyAttempts(secs) => Some(fill(t(Msg::FormTooMany), &[("seconds", &secs.to_string())])),
        AppError::SignInRequired => Some(t(Msg::FormSignInRequired).to_string()),
        AppError::NotFound => Some(t(Msg::NotfoundText).to_string()),
        AppError::BadRequest => Some(t(Msg::ErrorBadRequest).to_string()),
        AppError::Internal | AppError::ServerFn(_) => Some(t(Msg::ErrorText).to_string()),
    }
}

/// The alert above a form: why the last submission was refused.
#[component]
pub fn FormAlert(error: impl Fn() -> Option<AppError> + Send + Sync + 'static) -> impl IntoView {
    view! {
        <div class="form-alert-slot" aria-live="assertive">
            {move || {
                error()
                    .and_then(|e| form_message(&e))
                    .map(|m| view! { <p class="form-alert" role="alert">{m}</p> })
            }}
        </div>
    }
}

/// A labelled input with its hint and its error. `name` is the form name (e.g.
/// `form[email]`), `field` the name errors use (e.g. `email`).
#[component]
pub fn Field(
    name: &'static str,
    field: &'static str,
    label: Msg,
    error: impl Fn() -> Option<AppError> + Send + Sync + Copy + 'static,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional)] required: bool,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] hint: Option<Msg>,
    #[prop(optional)] maxlength: Option<u32>,
) -> impl IntoView {
    let id = format!("f-{field}");
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let message = move || error().and_then(|e| e.for_field(field));
    let described = described_by(hint.is_some().then(|| hint_id.clone()), err_id.clone(), message);
    view! {
        <div class="field" class:has-error=move || message().is_some()>
            <label for=id.clone()>
                {t(label)}
                {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{t(h)}</p> })}
            <input
                id=id.clone()
                name=name
                type=kind
                value=value
                required=required
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                maxlength=maxlength
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=described
            />
            <FieldMessage id=err_id message />
        </div>
    }
}

/// What goes between `<textarea>` and `</textarea>` for `text`, as `inner_html`: the
/// renderer writes a textarea's children without escaping, so user text such as
/// `</textarea><script>` would end the element. Escaped, the browser shows it as typed.
pub fn textarea_html(text: &str) -> String {
    super::escape::text(text)
}

/// A multi-line text field.
#[component]
pub fn TextArea(
    name: &'static str,
    field: &'static str,
    label: Msg,
    error: impl Fn() -> Option<AppError> + Send + Sync + Copy + 'static,
    #[prop(optional, into)] value: String,
    #[prop(optional)] hint: Option<Msg>,
) -> impl IntoView {
    let id = format!("f-{field}");
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let message = move || error().and_then(|e| e.for_field(field));
    let described = described_by(hint.is_some().then(|| hint_id.clone()), err_id.clone(), message);
    view! {
        <div class="field" class:has-error=move || message().is_some()>
            <label for=id.clone()>{t(label)}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{t(h)}</p> })}
            <textarea
                id=id.clone()
                name=name
                rows="5"
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=described
                inner_html=textarea_html(&value)
            ></textarea>
            <FieldMessage id=err_id message />
        </div>
    }
}

/// A `<select>` over `(code, label)` options.
#[component]
pub fn Select(
    name: &'static str,
    field: &'static str,
    label: Msg,
    error: impl Fn() -> Option<AppError> + Send + Sync + Copy + 'static,
    options: Vec<(&'static str, String)>,
    #[prop(optional, into)] selected: String,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let id = format!("f-{field}");
    let err_id = format!("{id}-error");
    let message = move || error().and_then(|e| e.for_field(field));
    let described = {
        let err_id = err_id.clone();
        move || message().is_some().then(|| err_id.clone())
    };
    view! {
        <div class="field" class:has-error=move || message().is_some()>
            <label for=id.clone()>
                {t(label)}
                {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            <select
                id=id.clone()
                name=name
                required=required
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=described
            >
                <option value="" selected=selected.is_empty()>{t(Msg::FormChoose)}</option>
                {options
                    .into_iter()
                    .map(|(code, label)| {
                        view! { <option value=code selected=code == selected>{label}</option> }
                    })
                    .collect_view()}
            </select>
            <FieldMessage id=err_id message />
        </div>
    }
}

/// A group of checkboxes sending `name[]` for each ticked code.
#[component]
pub fn CheckboxGroup(
    name: &'static str,
    field: &'static str,
    legend: Msg,
    error: impl Fn() -> Option<AppError> + Send + Sync + Copy + 'static,
    options: Vec<(&'static str, String)>,
    #[prop(optional)] checked: Vec<String>,
) -> impl IntoView {
    let err_id = format!("f-{field}-error");
    let message = move || error().and_then(|e| e.for_field(field));
    view! {
        <fieldset class="field checkbox-group" class:has-error=move || message().is_some()>
            <legend>{t(legend)}</legend>
            <div class="checkbox-grid">
                {options
                    .into_iter()
                    .map(|(code, label)| {
                        let id = format!("f-{field}-{code}");
                        view! {
                            <label class="check" for=id.clone()>
                                <input
                                    type="checkbox"
                                    id=id.clone()
                                    name=name
                                    value=code
                                    checked=checked.iter().any(|c| c == code)
                                />
                                {label}
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
            <FieldMessage id=err_id message />
        </fieldset>
    }
}

/// `aria-describedby` of a field: its hint, and its error while there is one.
fn described_by(
    hint_id: Option<String>,
    err_id: String,
    message: impl Fn() -> Option<Msg> + Send + Sync + 'static,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || {
        let ids: Vec<&str> = hint_id
            .as_deref()
            .into_iter()
            .chain(message().is_some().then_some(err_id.as_str()))
            .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

#[component]
fn FieldMessage(id: String, message: impl Fn() -> Option<Msg> + Send + Sync + 'static) -> impl IntoView {
    view! {
        <p class="field-error" id=id>
            {move || message().map(t)}
        </p>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn textarea_text_cannot_end_its_element() {
        assert_eq!(
            super::textarea_html("a & b </textarea><script>"),
            "a &amp; b &lt;/textarea&gt;&lt;script&gt;"
        );
    }
}

/// A status note from the query string (`?status=...`) after a redirect.
#[component]
pub fn StatusNote(
    #[prop(into)] status: Signal<Option<String>>,
    notes: &'static [(&'static str, crate::i18n::Msg)],
) -> impl IntoView {
    move || {
        let s = status.get()?;
        let msg = notes.iter().find(|(k, _)| *k == s)?.1;
        Some(view! { <p class="form-note" role="status">{crate::i18n::t(msg)}</p> })
    }
}
