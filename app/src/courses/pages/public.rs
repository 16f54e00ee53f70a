//! `/courses/{slug}`: description, syllabus (titles only) and runs with enrolment (S4, S18).
use super::{STATUS_NOTES, param, status_signal};
use crate::courses::api::{Enrol, Unenrol, get_course};
use crate::courses::model::{CoursePage as Page, RunSummary};
use crate::i18n::{Msg, current_lang, fill, t};
use crate::taxonomy::{language_name, subject_name};
use crate::ui::errors::or_error_page;
use crate::ui::form::StatusNote;
use crate::ui::form::{FollowSuccess, FormAlert, last_error};
use crate::ui::markdown::RichText;
use crate::ui::redirect::encode_path;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CoursePage() -> impl IntoView {
    let slug = param("slug");
    let data = Resource::new(slug, get_course);
    view! {
        <section class="wrap page">
            <StatusNote status=status_signal() notes=STATUS_NOTES />
            <Suspense>
                {move || Suspend::new(async move { or_error_page(data.await, |c| view! { <CourseView c /> }) })}
            </Suspense>
        </section>
    }
}

pub fn level_name(level: &str) -> String {
    match level {
        "introductory" => t(Msg::CoursesLevelIntroductory).to_string(),
        "intermediate" => t(Msg::CoursesLevelIntermediate).to_string(),
        "advanced" => t(Msg::CoursesLevelAdvanced).to_string(),
        other => other.to_string(),
    }
}

#[component]
fn CourseView(c: Page) -> impl IntoView {
    let lang = current_lang();
    let facts = {
        let mut parts = vec![
            format!("{} {}", t(Msg::CourseBy), c.organisation_name),
            format!("{}: {}", t(Msg::CourseLanguage), language_name(lang, &c.language)),
        ];
        if !c.level.is_empty() {
            parts.push(format!("{}: {}", t(Msg::CoursesFieldLevel), level_name(&c.level)));
        }
        if c.estimated_hours > 0 {
            parts.push(format!("{} {}", c.estimated_hours, t(Msg::CourseHours)));
        }
        parts.join(" · ")
    };
    let subjects = c
        .subjects
        .iter()
        .map(|s| subject_name(lang, s))
        .collect::<Vec<_>>()
        .join(", ");
    let edit = c.can_edit.then(|| {
        view! { <p><a class="button" href=format!("/courses/{}/edit", c.slug)>{t(Msg::CoursesEditLink)}</a></p> }
    });
    let draft = (c.status != "published").then(|| view! { <p class="badge">{t(Msg::CoursesDraftBadge)}</p> });
    let signed_in = c.signed_in;
    let staff = c.staff;
    let slug = c.slug.clone();
    view! {
        <Title text=c.title.clone() />
        <article class="course" lang=c.language.clone()>
            <h1>{c.title.clone()}</h1>
            {c.image.clone().map(|src| view! { <img class="course-image" src=src alt="" /> })}
            {draft}
            <p class="lead">{c.summary.clone()}</p>
            <p class="muted" lang=lang.code()>
                <a href=format!("/organisations/{}", c.organisation_slug)>{facts}</a>
            </p>
            {edit}
            <RichText html=c.description_html.clone() />
            <dl class="profile-facts" lang=lang.code()>
                {(!c.target_audience.is_empty()).then(|| view! {
                    <dt>{t(Msg::CoursesFieldTargetAudience)}</dt>
                    <dd>{c.target_audience.clone()}</dd>
                })}
                {(!subjects.is_empty()).then(|| view! {
                    <dt>{t(Msg::CoursesFieldSubjects)}</dt>
                    <dd>{subjects.clone()}</dd>
                })}
                {(c.rating_count > 0).then(|| view! {
                    <dt>{t(Msg::CatalogueFieldRating)}</dt>
                    <dd>{crate::catalogue::pages::rating_text(c.rating_avg, c.rating_count)}</dd>
                })}
            </dl>
            <section aria-labelledby="syllabus-heading">
                <h2 id="syllabus-heading" lang=lang.code()>{t(Msg::CoursesSyllabus)}</h2>
                {if c.syllabus.is_empty() {
                    view! { <p class="empty" lang=lang.code()>{t(Msg::CoursesNoModules)}</p> }.into_any()
                } else {
                    view! {
                        <ol class="syllabus">
                            {c.syllabus.iter().map(|m| view! {
                                <li>
                                    <h3>{m.title.clone()}</h3>
                                    <ol>{m.items.iter().map(|i| view! { <li>{i.clone()}</li> }).collect_view()}</ol>
                                </li>
                            }).collect_view()}
                        </ol>
                    }
                    .into_any()
                }}
            </section>
            <section aria-labelledby="runs-heading" lang=lang.code()>
                <h2 id="runs-heading">{t(Msg::CoursesRuns)}</h2>
                <RunList runs=c.runs.clone() slug signed_in staff />
            </section>
        </article>
    }
}

/// A run's dates in words.
pub fn run_dates(r: &RunSummary) -> String {
    let mut parts = Vec::new();
    if r.self_paced {
        parts.push(t(Msg::CoursesSelfPaced).to_string());
    } else if !r.starts.is_empty() || !r.ends.is_empty() {
        parts.push(fill(
            t(Msg::CoursesRunDates),
            &[("start", &r.starts), ("end", &r.ends)],
        ));
    }
    if !r.enrol_opens.is_empty() || !r.enrol_closes.is_empty() {
        parts.push(fill(
            t(Msg::CoursesEnrolDates),
            &[("open", &r.enrol_opens), ("close", &r.enrol_closes)],
        ));
    }
    if let Some(c) = r.capacity {
        parts.push(fill(
            t(Msg::CoursesPlaces),
            &[("taken", &r.learners.to_string()), ("capacity", &c.to_string())],
        ));
    }
    parts.join(" · ")
}

#[component]
fn RunList(runs: Vec<RunSummary>, slug: String, signed_in: bool, staff: bool) -> impl IntoView {
    let enrol = ServerAction::<Enrol>::new();
    let leave = ServerAction::<Unenrol>::new();
    let enrol_error = last_error(enrol.value());
    let leave_error = last_error(leave.value());
    let error = move || enrol_error().or_else(leave_error);
    if runs.is_empty() {
        return view! { <p class="empty">{t(Msg::CoursesNoRuns)}</p> }.into_any();
    }
    let sign_in = format!("/sign-in?next={}", encode_path(&format!("/courses/{slug}")));
    view! {
        <FormAlert error />
        <ul class="run-list">
            {runs
                .into_iter()
                .map(|r| {
                    let id = r.id.to_string();
                    let (mine, enrolment) = (r.mine.clone(), r.enrolment.clone());
                    let action = match (mine.as_str(), enrolment.as_str()) {
                        ("active", _) => view! {
                            <p>
                                {t(Msg::CoursesYouAreEnrolled)} " "
                                <a class="button primary" href=format!("/learn/{}", r.id)>{t(Msg::CoursesGoToCourse)}</a>
                            </p>
                            <ActionForm action=leave attr:class="inline-form">
                                <input type="hidden" name="run" value=id.clone() />
                                <button type="submit" class="button secondary small">{t(Msg::CoursesUnenrol)}</button>
                            </ActionForm>
                        }
                        .into_any(),
                        ("removed", _) => view! { <p>{t(Msg::CourseStaffRemovedNote)}</p> }.into_any(),
                        ("waiting", _) => view! {
                            <p>{fill(t(Msg::CoursesWaitingPosition), &[("n", &r.waiting_position.to_string())])}</p>
                            <ActionForm action=leave attr:class="inline-form">
                                <input type="hidden" name="run" value=id.clone() />
                                <button type="submit" class="button secondary small">{t(Msg::CoursesLeaveWaitingList)}</button>
                            </ActionForm>
                        }
                        .into_any(),
                        (_, state @ ("open" | "full")) if signed_in => {
                            let full = state == "full";
                            view! {
                            {full.then(|| view! { <p>{t(Msg::CoursesRunFull)}</p> })}
                            <ActionForm action=enrol attr:class="inline-form">
                                <input type="hidden" name="run" value=id.clone() />
                                <button type="submit" class="button primary">
                                    {t(if full { Msg::CoursesJoinWaitingList } else { Msg::CoursesEnrol })}
                                </button>
                            </ActionForm>
                            }
                            .into_any()
                        }
                        (_, "open" | "full") => view! {
                            <p><a href=sign_in.clone()>{t(Msg::CoursesSignInToEnrol)}</a></p>
                        }
                        .into_any(),
                        (_, "not_yet") => view! { <p>{t(Msg::CoursesEnrolNotYet)}</p> }.into_any(),
                        _ => view! { <p>{t(Msg::CoursesEnrolClosed)}</p> }.into_any(),
                    };
                    view! {
                        <li class="card">
                            <h3 class="card-title">{r.title.clone()}</h3>
                            <p class="muted">{run_dates(&r)}</p>
                            {action}
                            {r.listing.clone().map(|l| view! {
                                <p>
                                    <a href=format!("/catalogue/{l}#reviews") aria-label=fill(t(Msg::RunsReviewsNamed), &[("title", &r.title)])>
                                        {t(Msg::RunsReviews)}
                                    </a>
                                </p>
                            })}
                            {staff.then(|| view! {
                                <p>
                                    <a href=format!("/courses/{slug}/runs/{}/progress", r.id) aria-label=fill(t(Msg::CourseStaffProgressLinkNamed), &[("title", &r.title)])>
                                        {t(Msg::CourseStaffProgressLink)}
                                    </a>
                                </p>
                            })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <FollowSuccess value=enrol.value() />
        <FollowSuccess value=leave.value() />
    }
    .into_any()
}
