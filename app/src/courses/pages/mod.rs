//! Course pages: the public list and course page, authoring, the staff's run pages,
//! learning, certificates.
mod certificate;
mod delete;
mod edit;
mod groups;
mod invitation;
mod learn;
mod media;
mod public;
mod run_settings;
mod staff;

pub use certificate::{CertificatePage, VerifyPage};
pub use edit::{EditCoursePage, EditLessonPage, NewCoursePage};
pub use groups::{GroupEditPage, GroupPage, RunGroupsEditorPage};
pub use invitation::RunInvitationPage;
pub use learn::{LearnPage, LessonPage, MyCoursesPage};
pub use public::CoursePage;
pub use run_settings::RunSettingsPage;
pub use staff::{LearnerProgressPage, RunProgressPage};

use super::{api::list_published_courses, model::CourseCard};
use crate::i18n::{Lang, Msg, t};
use crate::ui::errors::or_error_page;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CoursesPage() -> impl IntoView {
    let courses = Resource::new(|| (), |_| list_published_courses(100, 0));
    view! {
        <Title text=t(Msg::CoursesTitle) />
        <section class="wrap page">
            <h1>{t(Msg::CoursesTitle)}</h1>
            <crate::ui::form::StatusNote status=status_signal() notes=STATUS_NOTES />
            <p class="lead">{t(Msg::CoursesLead)}</p>
            <Suspense>
                {move || Suspend::new(async move {
                    or_error_page(courses.await, |list| view! { <CourseList courses=list empty=Msg::CoursesEmpty /> })
                })}
            </Suspense>
        </section>
    }
}

/// `nested` when the list sits under a section heading (cards then use `<h3>`).
#[component]
pub fn CourseList(courses: Vec<CourseCard>, empty: Msg, #[prop(optional)] nested: bool) -> impl IntoView {
    if courses.is_empty() {
        return view! { <p class="empty">{t(empty)}</p> }.into_any();
    }
    view! {
        <ul class="card-grid">
            {courses.into_iter().map(|c| view! { <li><CourseCardView course=c nested /></li> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn CourseCardView(course: CourseCard, nested: bool) -> impl IntoView {
    let language = Lang::from_code(&course.language)
        .map(|l| l.t(Msg::LangName).to_string())
        .unwrap_or_else(|| course.language.clone());
    let image = course.image_updated_at.map(|v| {
        let src = super::model::course_image_url(&course.slug, v);
        view! { <img class="card-image" src=src alt="" loading="lazy" /> }
    });
    view! {
        <article class="card" lang=course.language.clone()>
            {image}
            {if nested {
                view! { <h3 class="card-title"><a href=format!("/courses/{}", course.slug)>{course.title.clone()}</a></h3> }.into_any()
            } else {
                view! { <h2 class="card-title"><a href=format!("/courses/{}", course.slug)>{course.title.clone()}</a></h2> }.into_any()
            }}
            <p>{course.summary}</p>
            <p class="muted" lang=crate::i18n::current_lang().code()>
                {t(Msg::CourseBy)} " " {course.organisation_name} " · "
                {t(Msg::CourseLanguage)} ": " {language}
                " · " {course.estimated_hours} " " {t(Msg::CourseHours)}
            </p>
        </article>
    }
}

const STATUS_NOTES: &[(&str, Msg)] = &[
    ("created", Msg::CoursesStatusCreated),
    ("saved", Msg::CoursesStatusSaved),
    ("moved", Msg::CoursesStatusSaved),
    ("deleted", Msg::CoursesStatusDeleted),
    ("published", Msg::CoursesStatusPublished),
    ("draft", Msg::CoursesStatusDraft),
    ("run-created", Msg::CoursesStatusRunCreated),
    ("course-deleted", Msg::CoursesStatusCourseDeleted),
    ("run-copied", Msg::RunsStatusCopied),
    ("run-saved", Msg::RunsStatusSaved),
    ("group-created", Msg::RunsStatusGroupCreated),
    ("group-deleted", Msg::RunsStatusGroupDeleted),
    ("group-saved", Msg::RunsStatusGroupSaved),
    ("group-updated", Msg::RunsStatusGroupUpdated),
    ("group-joined", Msg::RunsStatusGroupJoined),
    ("group-already", Msg::RunsStatusGroupAlready),
    ("group-left", Msg::RunsStatusGroupLeft),
    ("enrolled", Msg::CoursesStatusEnrolled),
    ("invitation-declined", Msg::CoursesStatusInvitationDeclined),
    ("already-enrolled", Msg::CoursesStatusAlreadyEnrolled),
    ("waiting", Msg::CoursesStatusWaiting),
    ("left", Msg::CoursesStatusLeft),
    ("file-uploaded", Msg::CoursesFilesStatusUploaded),
    ("file-deleted", Msg::CoursesFilesStatusDeleted),
    ("image-uploaded", Msg::CoursesImageStatusUploaded),
    ("image-removed", Msg::CoursesImageStatusRemoved),
];

fn param(name: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || params.read().get(name).unwrap_or_default()
}

fn id_param(name: &'static str) -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let p = param(name);
    move || p().parse().unwrap_or(-1)
}

fn status_signal() -> Signal<Option<String>> {
    let query = leptos_router::hooks::use_query_map();
    Signal::derive(move || query.read().get("status"))
}

/// A labelled progress bar (S12).
#[component]
fn ProgressBar(percent: i64, label: String) -> impl IntoView {
    view! {
        <div class="course-progress">
            <progress max="100" value=percent.to_string() aria-label=label.clone()>{format!("{percent} %")}</progress>
            <span>{format!("{percent} %")}</span>
        </div>
    }
}

/// A module badge, drawn inline (no image from elsewhere). Decorative: the badge's name is
/// always written next to it.
#[component]
pub fn BadgeIcon() -> impl IntoView {
    view! {
        <svg class="badge-icon" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true" focusable="false">
            <path d="M9 2h6l3 9h-6zM17 2h6l-3 9h-6z" fill="#8a2f10" />
            <circle cx="16" cy="19" r="11" fill="#b3461b" />
            <circle cx="16" cy="19" r="8.5" fill="none" stroke="#ffd9a8" stroke-width="1.2" />
            <path d="M16 12.5L17.6 16.8L22.2 17L18.6 19.8L19.8 24.3L16 21.7L12.2 24.3L13.4 19.8L9.8 17L14.4 16.8Z" fill="#fff" />
        </svg>
    }
}
