//! The course staff's pages of a run (S12): the progress dashboard (learners × modules,
//! attendance, charts, CSV exports, inviting by e-mail and the open invitations) and one
//! learner's page (items, marking complete with a reason, removing, enrolling again).
//! Teachers, moderators and platform admins; for everyone else they are the 404 of a
//! missing run (S19).
use super::{id_param, param, status_signal};
use crate::courses::invitations::api::{StaffInvite, StaffWithdrawInvitation};
use crate::courses::staff::api::{
    StaffMarkComplete, StaffReenrol, StaffRemove, learner_progress, run_progress,
};
use crate::courses::staff::chart;
use crate::courses::staff::model::*;
use crate::i18n::{Msg, current_lang, fill, t};
use crate::ui::errors::signed_in_or_redirect;
use crate::ui::form::StatusNote;
use crate::ui::form::{Field, FollowSuccess, FormAlert, last_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const NOTES: &[(&str, Msg)] = &[
    ("invited", Msg::CourseStaffStatusInvited),
    ("invitation-withdrawn", Msg::CourseStaffStatusInvitationWithdrawn),
    ("marked", Msg::CourseStaffStatusMarked),
    ("already-done", Msg::CourseStaffStatusAlreadyDone),
    ("removed", Msg::CourseStaffStatusRemovedNote),
    ("enrolled", Msg::CourseStaffStatusEnrolled),
];

fn status_name(status: &str) -> &'static str {
    t(match status {
        "active" => Msg::CourseStaffStatusActive,
        "waiting" => Msg::CourseStaffStatusWaiting,
        "removed" => Msg::CourseStaffStatusRemoved,
        _ => Msg::CourseStaffStatusLeft,
    })
}

fn state_name(state: &str) -> &'static str {
    t(match state {
        "completed" => Msg::CourseStaffStateCompleted,
        "in_progress" => Msg::CourseStaffStateInProgress,
        _ => Msg::CourseStaffStateNotStarted,
    })
}

fn progress_path(slug: &str, run: i64) -> String {
    format!("/courses/{slug}/runs/{run}/progress")
}

/// `/courses/{slug}/runs/{run}/progress`.
#[component]
pub fn RunProgressPage() -> impl IntoView {
    let slug = param("slug");
    let run = id_param("run");
    let query_map = use_query_map();
    let query = move || {
        let q = query_map.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        ProgressQuery {
            q: get("q"),
            state: get("state"),
            module: get("module"),
            enrolment: get("enrolment"),
            sort: get("sort"),
            page: get("page").parse().unwrap_or(1),
        }
    };
    let data = Resource::new(
        move || (slug(), run(), query()),
        |(s, r, q)| run_progress(s, r, q),
    );
    view! {
        <section class="wrap page staff-progress">
            <Suspense>
                {move || Suspend::new(async move { signed_in_or_redirect(data.await, |p| view! { <Dashboard p /> }) })}
            </Suspense>
        </section>
    }
}

#[component]
fn Dashboard(p: ProgressPage) -> impl IntoView {
    let base = progress_path(&p.course_slug, p.run_id);
    let s = &p.summary;
    let capacity = p
        .capacity
        .map(|c| fill(t(Msg::CourseStaffOfCapacity), &[("capacity", &c.to_string())]));
    let facts = vec![
        (
            t(Msg::CourseStaffSumActive),
            format!(
                "{}{}",
                s.active,
                capacity.map(|c| format!(" {c}")).unwrap_or_default()
            ),
        ),
        (t(Msg::CourseStaffSumWaiting), s.waiting.to_string()),
        (t(Msg::CourseStaffSumEnded), s.ended.to_string()),
        (t(Msg::CourseStaffStateCompleted), s.completed.to_string()),
        (t(Msg::CourseStaffStateInProgress), s.in_progress.to_string()),
        (t(Msg::CourseStaffStateNotStarted), s.not_started.to_string()),
        (t(Msg::CourseStaffSumAverage), format!("{} %", s.average_percent)),
    ];
    view! {
        <Title text=fill(t(Msg::CourseStaffPageTitle), &[("course", &p.course_title)]) />
        <h1>{t(Msg::CourseStaffTitle)}</h1>
        <StatusNote status=status_signal() notes=NOTES />
        <p class="lead">
            <a href=format!("/courses/{}", p.course_slug)>{p.course_title.clone()}</a>
            " · " {p.run_title.clone()}
            {p.can_edit.then(|| view! { " · " <a href=format!("/courses/{}/edit", p.course_slug)>{t(Msg::CoursesEditLink)}</a> })}
        </p>
        {(!p.run_published).then(|| view! { <p class="form-note">{t(Msg::CourseStaffRunDraftNote)}</p> })}
        <section aria-labelledby="summary-heading">
            <h2 id="summary-heading">{t(Msg::CourseStaffSummary)}</h2>
            <dl class="stat-list">
                {facts.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
            </dl>
        </section>
        <Charts p=p.clone() />
        <LearnerTable p=p.clone() base=base.clone() />
        <InviteSection p=p.clone() />
    }
}

#[component]
fn Charts(p: ProgressPage) -> impl IntoView {
    let active = p.summary.active;
    let bars: Vec<(String, i64)> = p
        .modules
        .iter()
        .enumerate()
        .map(|(n, m)| (format!("{}. {}", n + 1, m.title), m.completed))
        .collect();
    let of = move |n: i64| {
        fill(
            t(Msg::CourseStaffNOfM),
            &[("n", &n.to_string()), ("m", &active.to_string())],
        )
    };
    let funnel_desc = fill(t(Msg::CourseStaffFunnelDesc), &[("active", &active.to_string())]);
    let funnel = chart::funnel(
        "funnel",
        t(Msg::CourseStaffFunnelTitle),
        &funnel_desc,
        &bars,
        active,
        of,
    );
    let weeks: Vec<(String, i64)> = p
        .weeks
        .iter()
        .map(|w| (chart::short_day(&w.week), w.active))
        .collect();
    let weekly = chart::columns(
        "weekly",
        t(Msg::CourseStaffWeeklyTitle),
        t(Msg::CourseStaffWeeklyDesc),
        &weeks,
    );
    view! {
        <section aria-labelledby="charts-heading">
            <h2 id="charts-heading">{t(Msg::CourseStaffCharts)}</h2>
            <figure class="chart">
                <figcaption>{t(Msg::CourseStaffFunnelTitle)}</figcaption>
                {if p.modules.is_empty() {
                    view! { <p class="empty">{t(Msg::CoursesNoModules)}</p> }.into_any()
                } else {
                    view! { <div class="chart-image" inner_html=funnel></div> }.into_any()
                }}
                <details>
                    <summary>{t(Msg::CourseStaffChartTable)}</summary>
                    <table class="data-table">
                        <thead><tr><th scope="col">{t(Msg::CoursesFieldModule)}</th><th scope="col">{t(Msg::CourseStaffColCompletedBy)}</th></tr></thead>
                        <tbody>
                            {bars.iter().map(|(label, n)| view! { <tr><th scope="row">{label.clone()}</th><td>{of(*n)}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                </details>
            </figure>
            <figure class="chart">
                <figcaption>{t(Msg::CourseStaffWeeklyTitle)}</figcaption>
                {if p.weeks.is_empty() {
                    view! { <p class="empty">{t(Msg::CourseStaffNoActivity)}</p> }.into_any()
                } else {
                    view! { <div class="chart-image" inner_html=weekly></div> }.into_any()
                }}
                <details>
                    <summary>{t(Msg::CourseStaffChartTable)}</summary>
                    <table class="data-table">
                        <thead><tr><th scope="col">{t(Msg::CourseStaffColWeekOf)}</th><th scope="col">{t(Msg::CourseStaffColActiveLearners)}</th></tr></thead>
                        <tbody>
                            {p.weeks.iter().map(|w| view! { <tr><th scope="row">{w.week.clone()}</th><td>{w.active}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                </details>
            </figure>
        </section>
    }
}

fn select(
    id: &'static str,
    label: Msg,
    any: Option<Msg>,
    options: Vec<(String, String)>,
    selected: String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=format!("filter-{id}")>{t(label)}</label>
            <select id=format!("filter-{id}") name=id>
                {any.map(|m| view! { <option value="" selected=selected.is_empty()>{t(m)}</option> })}
                {options
                    .into_iter()
                    .map(|(code, label)| {
                        let on = code == selected;
                        view! { <option value=code selected=on>{label}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[component]
fn LearnerTable(p: ProgressPage, base: String) -> impl IntoView {
    let q = p.query.clone();
    let states: Vec<(String, String)> = STATES
        .iter()
        .map(|s| (s.to_string(), state_name(s).to_string()))
        .collect();
    let enrolments: Vec<(String, String)> = ENROLMENTS
        .iter()
        .map(|e| {
            let m = match *e {
                "active" => Msg::CourseStaffStatusActive,
                "waiting" => Msg::CourseStaffStatusWaiting,
                "ended" => Msg::CourseStaffEnrolmentEnded,
                _ => Msg::CourseStaffEnrolmentAll,
            };
            (e.to_string(), t(m).to_string())
        })
        .collect();
    let sorts: Vec<(String, String)> = vec![
        ("name".into(), t(Msg::CourseStaffSortName).into()),
        ("progress".into(), t(Msg::CourseStaffSortProgress).into()),
        ("progress_asc".into(), t(Msg::CourseStaffSortProgressAsc).into()),
    ];
    let modules: Vec<(String, String)> = p
        .modules
        .iter()
        .enumerate()
        .map(|(n, m)| (m.id.to_string(), format!("{}. {}", n + 1, m.title)))
        .collect();
    let filters = q.to_query();
    let with = |page: i64| {
        let mut parts: Vec<String> = (!filters.is_empty())
            .then(|| filters.clone())
            .into_iter()
            .collect();
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        if parts.is_empty() {
            base.clone()
        } else {
            format!("{base}?{}", parts.join("&"))
        }
    };
    let csv = if filters.is_empty() {
        format!("{base}.csv")
    } else {
        format!("{base}.csv?{filters}")
    };
    let participants = format!("/courses/{}/runs/{}/participants.csv", p.course_slug, p.run_id);
    let count = if p.matching == 1 {
        t(Msg::CourseStaffMatchingOne).to_string()
    } else {
        fill(t(Msg::CourseStaffMatchingMany), &[("n", &p.matching.to_string())])
    };
    let pages = ((p.matching + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let current = p.page;
    let nav = (pages > 1).then(|| {
        let shown: Vec<i64> = (1..=pages).filter(|n| *n == 1 || *n == pages || (*n - current).abs() <= 2).collect();
        view! {
            <nav class="pagination" aria-label=t(Msg::CourseStaffPagination)>
                <ul>
                    {(current > 1).then(|| view! { <li><a href=with(current - 1) rel="prev">{t(Msg::CataloguePrev)}</a></li> })}
                    {shown
                        .into_iter()
                        .map(|n| {
                            let label = fill(t(Msg::CataloguePageN), &[("n", &n.to_string())]);
                            view! { <li><a href=with(n) aria-current=(n == current).then_some("page") aria-label=label>{n}</a></li> }
                        })
                        .collect_view()}
                    {(current < pages).then(|| view! { <li><a href=with(current + 1) rel="next">{t(Msg::CatalogueNext)}</a></li> })}
                </ul>
            </nav>
        }
    });
    let slug = p.course_slug.clone();
    let run = p.run_id;
    let heads = p.modules.clone();
    view! {
        <section aria-labelledby="learners-heading">
            <h2 id="learners-heading">{t(Msg::CourseStaffLearners)}</h2>
            <form method="get" action=base.clone() class="filters" role="search" aria-labelledby="filters-heading">
                <h3 id="filters-heading" class="filters-heading">{t(Msg::CourseStaffFilterHeading)}</h3>
                <div class="filter-grid">
                    <div class="field">
                        <label for="filter-q">{t(Msg::CourseStaffFilterName)}</label>
                        <input id="filter-q" name="q" type="search" value=q.q.clone() />
                    </div>
                    {select("state", Msg::CourseStaffFilterState, Some(Msg::CatalogueFilterAny), states, q.state().unwrap_or("").to_string())}
                    {select("module", Msg::CourseStaffFilterModule, Some(Msg::CatalogueFilterAny), modules, q.module().map(|m| m.to_string()).unwrap_or_default())}
                    {select("enrolment", Msg::CourseStaffFilterEnrolment, None, enrolments, q.enrolment().to_string())}
                    {select("sort", Msg::CatalogueFilterSort, None, sorts, q.sort().to_string())}
                </div>
                <p class="form-actions">
                    <button type="submit" class="button primary">{t(Msg::CatalogueFilterApply)}</button>
                    " "
                    <a href=base.clone()>{t(Msg::CatalogueFilterReset)}</a>
                </p>
            </form>
            <p class="result-count" role="status">{count}</p>
            <p class="downloads">
                <a href=csv download="">{t(Msg::CourseStaffDownloadTable)}</a>
                " · "
                <a href=participants download="">{t(Msg::CourseStaffDownloadParticipants)}</a>
            </p>
            {if p.rows.is_empty() {
                view! { <p class="empty">{t(Msg::CourseStaffNoLearners)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" role="region" aria-labelledby="table-caption" tabindex="0">
                        <table class="data-table progress-table">
                            <caption id="table-caption">{t(Msg::CourseStaffTableCaption)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{t(Msg::CourseStaffColName)}</th>
                                    {heads.iter().enumerate().map(|(n, m)| view! {
                                        <th scope="col">{format!("{}. {}", n + 1, m.title)}</th>
                                    }).collect_view()}
                                    <th scope="col">{t(Msg::CourseStaffColPercent)}</th>
                                    <th scope="col">{t(Msg::CourseStaffColLastActive)}</th>
                                    <th scope="col">{t(Msg::CourseStaffColDays)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {p.rows.into_iter().map(|r| view! { <Row r heads=heads.clone() slug=slug.clone() run /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
            {nav}
        </section>
    }
}

#[component]
fn Row(r: LearnerRow, heads: Vec<ModuleHead>, slug: String, run: i64) -> impl IntoView {
    let href = format!("/courses/{slug}/runs/{run}/learners/{}", r.user_id);
    let percent = r.percent();
    let overall = fill(
        t(Msg::CourseStaffOverall),
        &[
            ("percent", &percent.to_string()),
            ("done", &r.done.to_string()),
            ("total", &r.total.to_string()),
        ],
    );
    view! {
        <tr>
            <th scope="row">
                <a href=href>{r.label(current_lang())}</a>
                {(r.status != "active").then(|| view! { " " <span class="badge">{status_name(&r.status)}</span> })}
            </th>
            {r.modules
                .iter()
                .zip(&heads)
                .map(|(c, m)| {
                    let state = module_state(c.done, m.required);
                    let word = t(match state {
                        "done" => Msg::CourseStaffCellDone,
                        "partly" => Msg::CourseStaffCellPartly,
                        "none" => Msg::CourseStaffCellNone,
                        _ => Msg::CourseStaffCellNotStarted,
                    });
                    let staff = (c.by_staff > 0)
                        .then(|| fill(t(Msg::CourseStaffCellByStaff), &[("n", &c.by_staff.to_string())]));
                    view! {
                        <td class=format!("cell cell-{state}")>
                            <span class="cell-count">{format!("{}/{}", c.done, m.required)}</span>
                            " " <span class="cell-state">{word}</span>
                            {staff.map(|s| view! { " " <span class="cell-staff">{s}</span> })}
                        </td>
                    }
                })
                .collect_view()}
            <td>
                {overall}
                {(r.by_staff > 0).then(|| view! { " " <span class="cell-staff">{fill(t(Msg::CourseStaffCellByStaff), &[("n", &r.by_staff.to_string())])}</span> })}
                {r.certificate.then(|| view! { " " <span class="badge">{t(Msg::CourseStaffCertificate)}</span> })}
            </td>
            <td>{if r.last_active.is_empty() { t(Msg::CourseStaffNever).to_string() } else { r.last_active.clone() }}</td>
            <td>{r.days}</td>
        </tr>
    }
}

/// S4: inviting by e-mail address, and the open invitations: the address the staff typed
/// and "invited" or "declined", never a name and never whether an account has it.
#[component]
fn InviteSection(p: ProgressPage) -> impl IntoView {
    let invite = ServerAction::<StaffInvite>::new();
    let withdraw = ServerAction::<StaffWithdrawInvitation>::new();
    let error = last_error(invite.value());
    let withdraw_error = last_error(withdraw.value());
    let (slug, run) = (p.course_slug.clone(), p.run_id.to_string());
    let form = if p.run_published {
        let (slug, run) = (slug.clone(), run.clone());
        view! {
            <FormAlert error />
            <ActionForm action=invite attr:class="form">
                <input type="hidden" name="slug" value=slug />
                <input type="hidden" name="run" value=run />
                <Field name="email" field="email" label=Msg::CourseStaffFieldEmail kind="email" required=true error />
                <button type="submit" class="button primary">{t(Msg::CourseStaffInviteButton)}</button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! { <p class="empty">{t(Msg::CourseStaffRunNotPublished)}</p> }.into_any()
    };
    let list = if p.invitations.is_empty() {
        view! { <p class="empty">{t(Msg::CourseStaffNoInvitations)}</p> }.into_any()
    } else {
        let items = p
            .invitations
            .into_iter()
            .map(|i| {
                let address = format!("invitation-{}", i.id);
                let (slug, run, id) = (slug.clone(), run.clone(), i.id.to_string());
                let (state, button) = if i.declined {
                    (Msg::CourseStaffInvitationDeclined, Msg::CourseStaffInvitationRemove)
                } else {
                    (Msg::CourseStaffInvitationInvited, Msg::CourseStaffInvitationWithdraw)
                };
                view! {
                    <li>
                        <span class="invitee" id=address.clone()>{i.email}</span>
                        <span class="badge">{t(state)}</span>
                        <span class="muted">{fill(t(Msg::CourseStaffInvitationUntil), &[("date", &i.expires_on)])}</span>
                        <ActionForm action=withdraw attr:class="inline-form">
                            <input type="hidden" name="slug" value=slug />
                            <input type="hidden" name="run" value=run />
                            <input type="hidden" name="invitation" value=id />
                            <button type="submit" class="button secondary small" aria-describedby=address>{t(button)}</button>
                        </ActionForm>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="member-list invitation-list">{items}</ul> }.into_any()
    };
    view! {
        <section aria-labelledby="invite-heading" id="invitations">
            <h2 id="invite-heading">{t(Msg::CourseStaffInviteHeading)}</h2>
            <p>{t(Msg::CourseStaffInviteLead)}</p>
            {form}
            <h3>{t(Msg::CourseStaffInvitations)}</h3>
            <FormAlert error=withdraw_error />
            {list}
        </section>
        <FollowSuccess value=invite.value() />
        <FollowSuccess value=withdraw.value() />
    }
}

/// `/courses/{slug}/runs/{run}/learners/{user}`.
#[component]
pub fn LearnerProgressPage() -> impl IntoView {
    let slug = param("slug");
    let run = id_param("run");
    let user = id_param("user");
    let data = Resource::new(
        move || (slug(), run(), user()),
        |(s, r, u)| learner_progress(s, r, u),
    );
    view! {
        <section class="wrap page">
            <Suspense>
                {move || Suspend::new(async move { signed_in_or_redirect(data.await, |l| view! { <Learner l /> }) })}
            </Suspense>
        </section>
    }
}

#[component]
fn Learner(l: LearnerPage) -> impl IntoView {
    let mark = ServerAction::<StaffMarkComplete>::new();
    let remove = ServerAction::<StaffRemove>::new();
    let again = ServerAction::<StaffReenrol>::new();
    let mark_error = last_error(mark.value());
    let remove_error = last_error(remove.value());
    let again_error = last_error(again.value());
    let r = l.row.clone();
    let back = progress_path(&l.course_slug, l.run_id);
    let active = r.status == "active";
    let open: Vec<(String, String)> = l
        .items
        .iter()
        .filter(|i| i.done_on.is_empty())
        .map(|i| (i.id.to_string(), format!("{} › {}", i.module_title, i.title)))
        .collect();
    let overall = fill(
        t(Msg::CourseStaffOverall),
        &[
            ("percent", &r.percent().to_string()),
            ("done", &r.done.to_string()),
            ("total", &r.total.to_string()),
        ],
    );
    let facts = vec![
        (
            t(Msg::CourseStaffColEnrolment),
            status_name(&r.status).to_string(),
        ),
        (t(Msg::CourseStaffColEnrolledOn), r.enrolled_on.clone()),
        (
            t(Msg::CourseStaffColEndedOn),
            if r.ended_on.is_empty() {
                "–".into()
            } else {
                r.ended_on.clone()
            },
        ),
        (t(Msg::CourseStaffColPercent), overall),
        (t(Msg::CourseStaffColState), state_name(r.state()).to_string()),
        (
            t(Msg::CourseStaffColLastActive),
            if r.last_active.is_empty() {
                t(Msg::CourseStaffNever).to_string()
            } else {
                r.last_active.clone()
            },
        ),
        (t(Msg::CourseStaffColDays), r.days.to_string()),
        (
            t(Msg::CourseStaffColCertificate),
            t(if r.certificate {
                Msg::CourseStaffYes
            } else {
                Msg::CourseStaffNo
            })
            .to_string(),
        ),
    ];
    let (slug, run, user) = (l.course_slug.clone(), l.run_id.to_string(), r.user_id.to_string());
    let (slug2, run2, user2) = (slug.clone(), run.clone(), user.clone());
    // T7: a deactivated learner is shown under a neutral label, never by name.
    let name = r.label(current_lang());
    let leave_label = fill(t(Msg::CourseStaffRemoveNamed), &[("name", &name)]);
    view! {
        <Title text=name.clone() />
        <h1>{name}</h1>
        <p class="lead">
            <a href=back>{fill(t(Msg::CourseStaffBack), &[("course", &l.course_title), ("run", &l.run_title)])}</a>
        </p>
        <StatusNote status=status_signal() notes=NOTES />
        <dl class="stat-list">
            {facts.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
        </dl>
        <section aria-labelledby="items-heading">
            <h2 id="items-heading">{t(Msg::CourseStaffItems)}</h2>
            // The scrolling region is named by the table's caption: the section around it is
            // already the landmark named "Items" (axe landmark-unique).
            <div class="table-scroll" role="region" aria-labelledby="items-caption" tabindex="0">
                <table class="data-table">
                    <caption id="items-caption">{t(Msg::CourseStaffItemsCaption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t(Msg::CoursesFieldModule)}</th>
                            <th scope="col">{t(Msg::CourseStaffColItem)}</th>
                            <th scope="col">{t(Msg::CourseStaffColItemState)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {l.items.iter().map(|i| {
                            let state = if i.done_on.is_empty() {
                                t(Msg::CourseStaffItemOpen).to_string()
                            } else if i.by_staff {
                                fill(t(Msg::CourseStaffItemByStaff), &[("date", &i.done_on), ("reason", &i.reason)])
                            } else {
                                fill(t(Msg::CourseStaffItemDone), &[("date", &i.done_on)])
                            };
                            view! {
                                <tr>
                                    <td>{i.module_title.clone()}</td>
                                    <th scope="row">
                                        {i.title.clone()}
                                        {(!i.required).then(|| view! { " " <span class="muted">{t(Msg::CoursesOptional)}</span> })}
                                    </th>
                                    <td>{state}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        {(active && !open.is_empty()).then(|| view! {
            <section aria-labelledby="mark-heading">
                <h2 id="mark-heading">{t(Msg::CourseStaffMarkHeading)}</h2>
                <p>{t(Msg::CourseStaffMarkLead)}</p>
                <FormAlert error=mark_error />
                <ActionForm action=mark attr:class="form">
                    <input type="hidden" name="slug" value=slug.clone() />
                    <input type="hidden" name="run" value=run.clone() />
                    <input type="hidden" name="user" value=user.clone() />
                    <div class="field">
                        <label for="f-item">{t(Msg::CourseStaffColItem)}</label>
                        <select id="f-item" name="item" required=true>
                            {open.into_iter().map(|(id, title)| view! { <option value=id>{title}</option> }).collect_view()}
                        </select>
                    </div>
                    <Field name="reason" field="reason" label=Msg::CourseStaffFieldReason hint=Msg::CourseStaffReasonHint required=true maxlength=500 error=mark_error />
                    <button type="submit" class="button primary">{t(Msg::CoursesMarkComplete)}</button>
                </ActionForm>
            </section>
        })}
        <section aria-labelledby="enrolment-heading">
            <h2 id="enrolment-heading">{t(Msg::CourseStaffColEnrolment)}</h2>
            {if matches!(r.status.as_str(), "active" | "waiting") {
                view! {
                    <p>{t(Msg::CourseStaffRemoveLead)}</p>
                    <FormAlert error=remove_error />
                    <ActionForm action=remove attr:class="inline-form">
                        <input type="hidden" name="slug" value=slug2 />
                        <input type="hidden" name="run" value=run2 />
                        <input type="hidden" name="user" value=user2 />
                        <button type="submit" class="button secondary">{leave_label}</button>
                    </ActionForm>
                }
                .into_any()
            } else {
                view! {
                    <FormAlert error=again_error />
                    <ActionForm action=again attr:class="inline-form">
                        <input type="hidden" name="slug" value=slug2 />
                        <input type="hidden" name="run" value=run2 />
                        <input type="hidden" name="user" value=user2 />
                        <button type="submit" class="button secondary">{t(Msg::CourseStaffEnrolAgain)}</button>
                    </ActionForm>
                }
                .into_any()
            }}
        </section>
        <FollowSuccess value=mark.value() />
        <FollowSuccess value=remove.value() />
        <FollowSuccess value=again.value() />
    }
}
