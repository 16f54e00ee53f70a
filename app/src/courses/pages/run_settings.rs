//! `/courses/{slug}/runs/{run}/settings`: a run's title, dates and capacity, changed by the
//! course's teachers after the run was created (with learners in it or not). A plain form:
//! keyboard-operable and working without JavaScript.
use super::{STATUS_NOTES, id_param, param, status_signal};
use crate::courses::api::{UpdateRun, load_run_settings};
use crate::courses::model::RunSettings;
use crate::i18n::{Msg, fill, t};
use crate::ui::errors::signed_in_or_redirect;
use crate::ui::form::StatusNote;
use crate::ui::form::{Field, FollowSuccess, FormAlert, last_error};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn RunSettingsPage() -> impl IntoView {
    let slug = param("slug");
    let run = id_param("run");
    let data = Resource::new(move || (slug(), run()), |(s, r)| load_run_settings(s, r));
    view! {
        <Title text=t(Msg::RunsSettingsTitle) />
        <section class="wrap page">
            <h1>{t(Msg::RunsSettingsTitle)}</h1>
            <StatusNote status=status_signal() notes=STATUS_NOTES />
            <Suspense>
                {move || Suspend::new(async move { signed_in_or_redirect(data.await, |s| view! { <RunSettingsForm s /> }) })}
            </Suspense>
        </section>
    }
}

#[component]
fn RunSettingsForm(s: RunSettings) -> impl IntoView {
    let save = ServerAction::<UpdateRun>::new();
    let error = last_error(save.value());
    let r = s.run;
    let capacity = r.capacity.map(|c| c.to_string()).unwrap_or_default();
    view! {
        <nav aria-label=t(Msg::CoursesBreadcrumb) class="breadcrumb">
            <a href=format!("/courses/{}/edit", s.course_slug)>{s.course_title.clone()}</a> " › " {r.title.clone()}
        </nav>
        <p class="lead">{t(Msg::RunsSettingsLead)}</p>
        <p class="muted">
            {fill(t(Msg::CoursesLearnerCount), &[("n", &r.learners.to_string()), ("waiting", &r.waiting.to_string())])}
        </p>
        <FormAlert error />
        <ActionForm action=save attr:class="form">
            <input type="hidden" name="slug" value=s.course_slug.clone() />
            <input type="hidden" name="run_id" value=r.id.to_string() />
            <Field name="run[title]" field="run_title" label=Msg::CoursesFieldRunTitle required=true maxlength=200 value=r.title.clone() error />
            <Field name="run[enrol_opens]" field="enrol_opens" label=Msg::CoursesFieldEnrolOpens kind="date" value=r.enrol_opens.clone() error />
            <Field name="run[enrol_closes]" field="enrol_closes" label=Msg::CoursesFieldEnrolCloses kind="date" value=r.enrol_closes.clone() error />
            <div class="field">
                <label class="check" for="f-self_paced">
                    <input type="checkbox" id="f-self_paced" name="run[self_paced]" value="on" checked=r.self_paced />
                    {t(Msg::CoursesSelfPaced)}
                </label>
            </div>
            <Field name="run[starts]" field="starts" label=Msg::CoursesFieldStarts kind="date" value=r.starts.clone() error />
            <Field name="run[ends]" field="ends" label=Msg::CoursesFieldEnds kind="date" value=r.ends.clone() error />
            <Field name="run[capacity]" field="capacity" label=Msg::CoursesFieldCapacity hint=Msg::CoursesCapacityHint kind="number" value=capacity error />
            <button type="submit" class="button primary">{t(Msg::RunsSave)}</button>
        </ActionForm>
        <FollowSuccess value=save.value() />
    }
}
