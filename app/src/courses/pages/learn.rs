//! Learning: a run's content with progress, lesson pages, and "My courses" (S12, S19).
use super::{BadgeIcon, ProgressBar, STATUS_NOTES, id_param, status_signal};
use crate::courses::api::{MarkComplete, get_lesson, learn, my_courses, teaching_courses};
use crate::courses::model::{LearnPage as Page, LessonPage as Lesson, MyCourse, TaughtCourse};
use crate::i18n::{Msg, fill, t};
use crate::ui::errors::signed_in_or_redirect;
use crate::ui::form::StatusNote;
use crate::ui::form::{FollowSuccess, FormAlert, last_error};
use crate::ui::markdown::RichText;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/learn/{run}`.
#[component]
pub fn LearnPage() -> impl IntoView {
    let run = id_param("run");
    let data = Resource::new(run, learn);
    // Created here, outside the run's `Suspense`, so both resources hydrate in the
    // server's order.
    let groups = Resource::new(run, crate::courses::groups::api::list_run_groups);
    view! {
        <section class="wrap page">
            <StatusNote status=status_signal() notes=STATUS_NOTES />
            <Suspense>
                {move || Suspend::new(async move { signed_in_or_redirect(data.await, |p| view! { <RunView p /> }) })}
            </Suspense>
            <super::groups::RunGroupsSection data=groups />
        </section>
    }
}

#[component]
fn RunView(p: Page) -> impl IntoView {
    let run = p.run_id;
    let progress_label = fill(t(Msg::CoursesProgressOf), &[("course", &p.course_title)]);
    view! {
        <Title text=p.course_title.clone() />
        <h1>{p.course_title.clone()}</h1>
        <p class="muted">
            {p.run_title.clone()} " · "
            <a href=format!("/courses/{}", p.course_slug)>{t(Msg::CoursesAboutCourse)}</a>
        </p>
        {(!p.learner).then(|| view! { <p class="form-note">{t(Msg::CoursesPreviewNote)}</p> })}
        {p.learner.then(|| view! { <ProgressBar percent=p.percent label=progress_label.clone() /> })}
        {p.certificate.clone().map(|code| view! {
            <p class="form-note" role="status">
                {t(Msg::CoursesCompleted)} " "
                <a class="button primary" href=format!("/certificates/{code}")>{t(Msg::CoursesOpenCertificate)}</a>
            </p>
        })}
        {p.resume.filter(|_| p.learner && p.certificate.is_none()).map(|item| view! {
            <p><a class="button primary" href=format!("/learn/{run}/items/{item}")>{t(Msg::CoursesResume)}</a></p>
        })}
        {p.modules
            .into_iter()
            .enumerate()
            .map(|(n, m)| {
                let heading = format!("module-{n}");
                let heading_ref = heading.clone();
                view! {
                    <section aria-labelledby=heading_ref class="learn-module">
                        <h2 id=heading>
                            {m.title.clone()}
                            {(p.learner && m.done && !m.items.is_empty()).then(|| view! { " " <span class="badge">{t(Msg::CoursesDone)}</span> })}
                        </h2>
                        {m.badge.clone().map(|name| {
                            let earned = p.learner && m.badge_earned;
                            view! {
                                <p class="module-badge">
                                    <BadgeIcon />
                                    {fill(t(if earned { Msg::CoursesBadgeEarned } else { Msg::CoursesBadgeToEarn }), &[("badge", &name)])}
                                </p>
                            }
                        })}
                        <ol>
                            {m.items
                                .into_iter()
                                .map(|i| view! {
                                    <li>
                                        <a href=format!("/learn/{run}/items/{}", i.id)>{i.title}</a>
                                        {(p.learner && i.done).then(|| view! { " " <span class="badge">{t(Msg::CoursesDone)}</span> })}
                                        {(!i.required).then(|| view! { " " <span class="muted">{t(Msg::CoursesOptional)}</span> })}
                                    </li>
                                })
                                .collect_view()}
                        </ol>
                    </section>
                }
            })
            .collect_view()}
    }
}

/// `/learn/{run}/items/{item}`.
#[component]
pub fn LessonPage() -> impl IntoView {
    let run = id_param("run");
    let item = id_param("item");
    let data = Resource::new(move || (run(), item()), |(r, i)| get_lesson(r, i));
    view! {
        <section class="wrap page narrow">
            <Suspense>
                {move || Suspend::new(async move { signed_in_or_redirect(data.await, |l| view! { <LessonView l /> }) })}
            </Suspense>
        </section>
    }
}

#[component]
fn LessonView(l: Lesson) -> impl IntoView {
    let mark = ServerAction::<MarkComplete>::new();
    let error = last_error(mark.value());
    let run = l.run_id;
    view! {
        <Title text=l.title.clone() />
        <nav aria-label=t(Msg::CoursesBreadcrumb) class="breadcrumb">
            <a href=format!("/learn/{run}")>{l.course_title.clone()}</a> " › " {l.module_title.clone()}
        </nav>
        <article class="lesson">
            <h1>{l.title.clone()}</h1>
            <RichText html=l.body_html.clone() />
        </article>
        {(l.learner && l.done).then(|| view! { <p class="form-note" role="status">{t(Msg::CoursesLessonDone)}</p> })}
        {(l.mark_button && !l.done).then(|| view! {
            <FormAlert error />
            <ActionForm action=mark attr:class="inline-form">
                <input type="hidden" name="run" value=run.to_string() />
                <input type="hidden" name="item" value=l.item_id.to_string() />
                <button type="submit" class="button primary">{t(Msg::CoursesMarkComplete)}</button>
            </ActionForm>
        })}
        {l.certificate.clone().map(|code| view! {
            <p class="form-note" role="status">
                {t(Msg::CoursesCompleted)} " "
                <a href=format!("/certificates/{code}")>{t(Msg::CoursesOpenCertificate)}</a>
            </p>
        })}
        <nav aria-label=t(Msg::CoursesLessonNav) class="lesson-nav">
            {l.previous.map(|i| view! { <a class="button secondary" rel="prev" href=format!("/learn/{run}/items/{i}")>{t(Msg::CoursesPrevious)}</a> })}
            <a class="button secondary" href=format!("/learn/{run}")>{t(Msg::CoursesOverview)}</a>
            {l.next.map(|i| view! { <a class="button primary" rel="next" href=format!("/learn/{run}/items/{i}")>{t(Msg::CoursesNext)}</a> })}
        </nav>
        <FollowSuccess value=mark.value() />
    }
}

/// `/my/courses`.
#[component]
pub fn MyCoursesPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| my_courses());
    let teaching = Resource::new(|| (), |_| teaching_courses());
    view! {
        <Title text=t(Msg::CoursesMineTitle) />
        <section class="wrap page">
            <h1>{t(Msg::CoursesMineTitle)}</h1>
            <Suspense>
                {move || Suspend::new(async move { teaching.await.ok().map(|list| view! { <Teaching list /> }) })}
            </Suspense>
            <Suspense>
                {move || Suspend::new(async move { signed_in_or_redirect(data.await, |list| view! { <MyList list /> }) })}
            </Suspense>
        </section>
    }
}

/// The courses the user is on the staff of: teachers go to the editor, moderators to the
/// course page (its runs' progress links are there for them).
#[component]
fn Teaching(list: Vec<TaughtCourse>) -> impl IntoView {
    if list.is_empty() {
        return ().into_any();
    }
    view! {
        <section aria-labelledby="teaching-heading" class="teaching">
            <h2 id="teaching-heading">{t(Msg::CoursesTeachingHeading)}</h2>
            <ul class="plain-list">
                {list
                    .into_iter()
                    .map(|c| {
                        let teacher = c.kind == "teacher";
                        let href = if teacher { format!("/courses/{}/edit", c.slug) } else { format!("/courses/{}", c.slug) };
                        view! {
                            <li>
                                <a href=href>{c.title.clone()}</a>
                                <span class="muted">
                                    " · " {c.organisation_name.clone()} " · "
                                    {t(if teacher { Msg::CoursesStaffTeacher } else { Msg::CoursesStaffModerator })} " · "
                                    {t(if c.status == "published" { Msg::CoursesStatePublished } else { Msg::CoursesStateDraft })}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

#[component]
fn MyList(list: Vec<MyCourse>) -> impl IntoView {
    if list.is_empty() {
        return view! {
            <p class="empty">{t(Msg::CoursesMineEmpty)}</p>
            <p><a class="button" href="/courses">{t(Msg::HomeBrowse)}</a></p>
        }
        .into_any();
    }
    view! {
        <ul class="card-grid">
            {list
                .into_iter()
                .map(|c| {
                    let percent = if c.total == 0 { 0 } else { c.done * 100 / c.total };
                    let label = fill(t(Msg::CoursesProgressOf), &[("course", &c.course_title)]);
                    let run = c.run_id;
                    let body = if c.status == "waiting" {
                        view! { <p>{t(Msg::CoursesOnWaitingList)}</p> }.into_any()
                    } else {
                        let resume = match c.resume {
                            Some(i) => format!("/learn/{run}/items/{i}"),
                            None => format!("/learn/{run}"),
                        };
                        view! {
                            <ProgressBar percent label />
                            <p>
                                <a class="button primary" href=resume aria-label=fill(t(Msg::CoursesResumeNamed), &[("course", &c.course_title)])>
                                    {t(Msg::CoursesResume)}
                                </a>
                                {c.certificate.clone().map(|code| view! {
                                    " " <a href=format!("/certificates/{code}")>{t(Msg::CoursesOpenCertificate)}</a>
                                })}
                            </p>
                        }
                        .into_any()
                    };
                    view! {
                        <li>
                            <article class="card">
                                <h2 class="card-title"><a href=format!("/learn/{run}")>{c.course_title.clone()}</a></h2>
                                <p class="muted">{c.run_title.clone()}</p>
                                {body}
                            </article>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
