//! Groups in a run (S12, T2): the groups part of `/learn/{run}`, a group's members-only page
//! `/learn/{run}/groups/{group}`, and the staff's `/courses/{slug}/runs/{run}/groups`.
//! Plain forms with buttons: keyboard-operable and working without JavaScript.
use super::{STATUS_NOTES, id_param, param, status_signal};
use crate::courses::groups::api::{
    AddGroupMember, CreateGroup, DeleteGroup, JoinGroup, LeaveGroup, RemoveGroupMember, UpdateGroup,
    get_group, load_group_editor, load_groups_editor,
};
use crate::courses::groups::model::{
    GROUP_KINDS, GroupEditor, GroupPage as Page, GroupSummary, GroupsEditor, ManagedGroup, RunGroups,
};
use crate::error::AppError;
use crate::i18n::{Msg, fill, t};
use crate::ui::errors::signed_in_or_redirect;
use crate::ui::form::StatusNote;
use crate::ui::form::{Field, FollowSuccess, FormAlert, Select, TextArea, last_error};
use crate::ui::markdown::RichText;
use leptos::prelude::*;
use leptos_meta::Title;

fn kind_name(kind: &str) -> &'static str {
    t(if kind == "open" {
        Msg::RunsGroupKindOpen
    } else {
        Msg::RunsGroupKindAssigned
    })
}

/// "Open group · Theme: … · 3 of 10 places", as one line of facts.
fn facts(g: &GroupSummary) -> String {
    let mut parts = vec![kind_name(&g.kind).to_string()];
    if !g.theme.is_empty() {
        parts.push(fill(t(Msg::RunsGroupThemeIs), &[("theme", &g.theme)]));
    }
    parts.push(match g.capacity {
        Some(c) => fill(
            t(Msg::RunsGroupPlaces),
            &[("n", &g.members.to_string()), ("capacity", &c.to_string())],
        ),
        None => fill(t(Msg::RunsGroupMembers), &[("n", &g.members.to_string())]),
    });
    parts.join(" · ")
}

/// The groups part of `/learn/{run}`; `data` is created by the page (outside its
/// `Suspense`, so resources hydrate in the server's order).
#[component]
pub fn RunGroupsSection(data: Resource<Result<RunGroups, AppError>>) -> impl IntoView {
    view! {
        <Suspense>
            {move || Suspend::new(async move { data.await.ok().map(|g| view! { <GroupsOfRun g /> }) })}
        </Suspense>
    }
}

#[component]
fn GroupsOfRun(g: RunGroups) -> impl IntoView {
    let join = ServerAction::<JoinGroup>::new();
    let error = last_error(join.value());
    let staff = g.manage_href.is_some();
    if !staff && g.mine.is_empty() && g.open.is_empty() {
        return ().into_any();
    }
    let run = g.run_id;
    let link = move |gr: &GroupSummary| {
        view! { <a href=format!("/learn/{run}/groups/{}", gr.id)>{gr.name.clone()}</a> }
    };
    let mine = if g.mine.is_empty() {
        view! { <p class="empty">{t(if staff { Msg::RunsNoGroups } else { Msg::RunsNoGroupsMine })}</p> }
            .into_any()
    } else {
        view! {
            <ul class="group-list">
                {g.mine.iter().map(|gr| view! { <li>{link(gr)} <span class="muted">" · " {facts(gr)}</span></li> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let open_groups = g.open.clone();
    let open = (!open_groups.is_empty()).then(move || {
        view! {
            <h3>{t(Msg::RunsOpenGroups)}</h3>
            <FormAlert error />
            <ul class="run-list">
                {open_groups
                    .into_iter()
                    .map(|gr| {
                        let full = gr.full();
                        view! {
                            <li class="card">
                                <h4 class="card-title">{gr.name.clone()}</h4>
                                <p class="muted">{facts(&gr)}</p>
                                <RichText html=gr.description_html.clone() />
                                {if full {
                                    view! { <p>{t(Msg::RunsGroupFull)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ActionForm action=join attr:class="inline-form">
                                            <input type="hidden" name="run" value=run.to_string() />
                                            <input type="hidden" name="group" value=gr.id.to_string() />
                                            <button type="submit" class="button primary small" aria-label=fill(t(Msg::RunsJoinNamed), &[("name", &gr.name)])>
                                                {t(Msg::RunsJoin)}
                                            </button>
                                        </ActionForm>
                                    }
                                    .into_any()
                                }}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    });
    view! {
        <section aria-labelledby="groups-heading" class="run-groups">
            <h2 id="groups-heading">{t(Msg::RunsGroupsHeading)}</h2>
            {g.manage_href.clone().map(|href| view! { <p><a class="button" href=href>{t(Msg::RunsManageGroups)}</a></p> })}
            {(!staff).then(|| view! { <h3>{t(Msg::RunsYourGroups)}</h3> })}
            {mine}
            {open}
        </section>
        <FollowSuccess value=join.value() />
    }
    .into_any()
}

/// `/learn/{run}/groups/{group}`: members only (and the course's staff).
#[component]
pub fn GroupPage() -> impl IntoView {
    let run = id_param("run");
    let group = id_param("group");
    let data = Resource::new(move || (run(), group()), |(r, g)| get_group(r, g));
    view! {
        <section class="wrap page narrow">
            <StatusNote status=status_signal() notes=STATUS_NOTES />
            <Suspense>
                {move || Suspend::new(async move { signed_in_or_redirect(data.await, |p| view! { <GroupView p /> }) })}
            </Suspense>
        </section>
    }
}

#[component]
fn GroupView(p: Page) -> impl IntoView {
    let leave = ServerAction::<LeaveGroup>::new();
    let error = last_error(leave.value());
    let run = p.run_id;
    let g = p.group.clone();
    view! {
        <Title text=g.name.clone() />
        <nav aria-label=t(Msg::CoursesBreadcrumb) class="breadcrumb">
            <a href=format!("/learn/{run}")>{p.course_title.clone()}</a> " › " {p.run_title.clone()}
        </nav>
        <h1>{g.name.clone()}</h1>
        <p class="muted">{facts(&g)}</p>
        {p.manage_href.clone().map(|href| view! { <p><a class="button" href=href>{t(Msg::RunsManageGroups)}</a></p> })}
        <RichText html=g.description_html.clone() />
        <section aria-labelledby="members-heading">
            <h2 id="members-heading">{t(Msg::RunsGroupMembersHeading)}</h2>
            {if p.members.is_empty() {
                view! { <p class="empty">{t(Msg::RunsGroupNoMembers)}</p> }.into_any()
            } else {
                view! {
                    <ul class="member-list">
                        {p.members.iter().map(|m| view! { <li><a href=format!("/people/{}", m.user_id)>{m.name.clone()}</a></li> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
        {p.can_leave.then(|| view! {
            <FormAlert error />
            <ActionForm action=leave attr:class="inline-form">
                <input type="hidden" name="run" value=run.to_string() />
                <input type="hidden" name="group" value=g.id.to_string() />
                <button type="submit" class="button secondary">{t(Msg::RunsLeaveGroup)}</button>
            </ActionForm>
        })}
        <FollowSuccess value=leave.value() />
    }
}

/// `/courses/{slug}/runs/{run}/groups`: the course's staff.
#[component]
pub fn RunGroupsEditorPage() -> impl IntoView {
    let slug = param("slug");
    let run = id_param("run");
    let data = Resource::new(move || (slug(), run()), |(s, r)| load_groups_editor(s, r));
    view! {
        <Title text=t(Msg::RunsGroupsEditorTitle) />
        <section class="wrap page">
            <h1>{t(Msg::RunsGroupsEditorTitle)}</h1>
            <StatusNote status=status_signal() notes=STATUS_NOTES />
            <Suspense>
                {move || Suspend::new(async move { signed_in_or_redirect(data.await, |e| view! { <GroupsEditorView e /> }) })}
            </Suspense>
        </section>
    }
}

#[component]
fn GroupsEditorView(e: GroupsEditor) -> impl IntoView {
    let create = ServerAction::<CreateGroup>::new();
    let delete = ServerAction::<DeleteGroup>::new();
    let add = ServerAction::<AddGroupMember>::new();
    let remove = ServerAction::<RemoveGroupMember>::new();
    let create_error = last_error(create.value());
    let delete_error = last_error(delete.value());
    let add_error = last_error(add.value());
    let remove_error = last_error(remove.value());
    let error = move || delete_error().or_else(add_error).or_else(remove_error);
    let (slug, run) = (e.course_slug.clone(), e.run_id);
    let kinds: Vec<(&'static str, String)> = GROUP_KINDS
        .iter()
        .map(|k| (*k, kind_name(k).to_string()))
        .collect();
    let groups = if e.groups.is_empty() {
        view! { <p class="empty">{t(Msg::RunsNoGroups)}</p> }.into_any()
    } else {
        view! {
            <ul class="run-list">
                {e.groups
                    .iter()
                    .map(|mg| view! { <ManagedGroupView mg=mg.clone() slug=slug.clone() run learners=e.learners.clone() delete add remove /> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <p class="lead">
            <a href=format!("/courses/{}/edit", e.course_slug)>{e.course_title.clone()}</a> " · " {e.run_title.clone()} " · "
            <a href=format!("/learn/{run}")>{t(Msg::CoursesPreview)}</a>
        </p>
        <section aria-labelledby="groups-heading">
            <h2 id="groups-heading">{t(Msg::RunsGroupsHeading)}</h2>
            <FormAlert error />
            {groups}
        </section>
        <section aria-labelledby="new-group-heading">
            <h2 id="new-group-heading">{t(Msg::RunsNewGroup)}</h2>
            <p class="hint">{t(Msg::RunsNewGroupLead)}</p>
            <FormAlert error=create_error />
            <ActionForm action=create attr:class="form">
                <input type="hidden" name="slug" value=e.course_slug.clone() />
                <input type="hidden" name="run" value=run.to_string() />
                <Field name="group[name]" field="group_name" label=Msg::RunsGroupName required=true maxlength=100 error=create_error />
                <Select name="group[kind]" field="group_kind" label=Msg::RunsGroupKind options=kinds selected="assigned" required=true error=create_error />
                <Field name="group[theme]" field="theme" label=Msg::RunsGroupTheme hint=Msg::RunsGroupThemeHint maxlength=100 error=create_error />
                <TextArea name="group[description]" field="group_description" label=Msg::RunsGroupDescription hint=Msg::CoursesMarkdownHint error=create_error />
                <Field name="group[capacity]" field="group_capacity" label=Msg::RunsGroupCapacity hint=Msg::RunsGroupCapacityHint kind="number" error=create_error />
                <button type="submit" class="button primary">{t(Msg::RunsCreateGroup)}</button>
            </ActionForm>
        </section>
        <FollowSuccess value=create.value() />
        <FollowSuccess value=delete.value() />
        <FollowSuccess value=add.value() />
        <FollowSuccess value=remove.value() />
    }
}

#[component]
fn ManagedGroupView(
    mg: ManagedGroup,
    slug: String,
    run: i64,
    learners: Vec<crate::courses::groups::model::GroupPerson>,
    delete: ServerAction<DeleteGroup>,
    add: ServerAction<AddGroupMember>,
    remove: ServerAction<RemoveGroupMember>,
) -> impl IntoView {
    let g = mg.group.clone();
    let (run_s, group_s) = (run.to_string(), g.id.to_string());
    let candidates: Vec<_> = learners
        .into_iter()
        .filter(|l| !mg.members.iter().any(|m| m.user_id == l.user_id))
        .collect();
    let select_id = format!("f-member-{}", g.id);
    let ids = (slug, run_s, group_s);
    let (ids_add, ids_delete) = (ids.clone(), ids.clone());
    let (g_name, g_name2) = (g.name.clone(), g.name.clone());
    let members = mg.members.clone();
    view! {
        <li class="card">
            <h3 class="card-title"><a href=format!("/learn/{run}/groups/{}", g.id)>{g.name.clone()}</a></h3>
            <p class="muted">{facts(&g)}</p>
            {if mg.members.is_empty() {
                view! { <p class="empty">{t(Msg::RunsGroupNoMembers)}</p> }.into_any()
            } else {
                view! {
                    <ul class="member-list">
                        {members
                            .into_iter()
                            .map(|m| {
                                let label = fill(t(Msg::RunsRemoveMemberNamed), &[("name", &m.name), ("group", &g_name)]);
                                let ids = ids.clone();
                                view! {
                                    <li>
                                        {m.name.clone()}
                                        <ActionForm action=remove attr:class="inline-form">
                                            {hidden_fields(&ids)}
                                            <input type="hidden" name="member" value=m.user_id.to_string() />
                                            <button type="submit" class="button secondary small" aria-label=label>{t(Msg::RunsRemoveMember)}</button>
                                        </ActionForm>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
            {(!candidates.is_empty()).then(move || view! {
                <ActionForm action=add attr:class="inline-form">
                    {hidden_fields(&ids_add)}
                    <label for=select_id.clone()>{fill(t(Msg::RunsAddMemberTo), &[("group", &g_name2)])}</label> " "
                    <select id=select_id.clone() name="member" required=true>
                        {candidates.iter().map(|l| view! { <option value=l.user_id.to_string()>{l.name.clone()}</option> }).collect_view()}
                    </select> " "
                    <button type="submit" class="button secondary small" aria-label=fill(t(Msg::RunsAddMemberNamed), &[("group", &g_name2)])>
                        {t(Msg::RunsAddMember)}
                    </button>
                </ActionForm>
            })}
            <p>
                <a href=format!("/courses/{}/runs/{run}/groups/{}/edit", ids_delete.0, g.id) aria-label=fill(t(Msg::RunsEditGroupNamed), &[("name", &g.name)])>
                    {t(Msg::RunsEditGroup)}
                </a>
            </p>
            <ActionForm action=delete attr:class="inline-form">
                {hidden_fields(&ids_delete)}
                <button type="submit" class="button secondary small" aria-label=fill(t(Msg::RunsDeleteGroupNamed), &[("name", &g.name)])>
                    {t(Msg::RunsDeleteGroup)}
                </button>
            </ActionForm>
        </li>
    }
}

/// `/courses/{slug}/runs/{run}/groups/{group}/edit`: the course's staff.
#[component]
pub fn GroupEditPage() -> impl IntoView {
    let slug = param("slug");
    let run = id_param("run");
    let group = id_param("group");
    let data = Resource::new(
        move || (slug(), run(), group()),
        |(s, r, g)| load_group_editor(s, r, g),
    );
    view! {
        <Title text=t(Msg::RunsEditGroupTitle) />
        <section class="wrap page">
            <h1>{t(Msg::RunsEditGroupTitle)}</h1>
            <Suspense>
                {move || Suspend::new(async move { signed_in_or_redirect(data.await, |e| view! { <GroupEditForm e /> }) })}
            </Suspense>
        </section>
    }
}

#[component]
fn GroupEditForm(e: GroupEditor) -> impl IntoView {
    let save = ServerAction::<UpdateGroup>::new();
    let error = last_error(save.value());
    let kinds: Vec<(&'static str, String)> = GROUP_KINDS
        .iter()
        .map(|k| (*k, kind_name(k).to_string()))
        .collect();
    let f = e.form;
    let groups_href = format!("/courses/{}/runs/{}/groups", e.course_slug, e.run_id);
    view! {
        <nav aria-label=t(Msg::CoursesBreadcrumb) class="breadcrumb">
            <a href=format!("/courses/{}/edit", e.course_slug)>{e.course_title.clone()}</a> " › "
            <a href=groups_href>{fill(t(Msg::RunsGroupsOfNamed), &[("title", &e.run_title)])}</a> " › " {f.name.clone()}
        </nav>
        <p class="lead">{t(Msg::RunsEditGroupLead)}</p>
        <FormAlert error />
        <ActionForm action=save attr:class="form">
            <input type="hidden" name="slug" value=e.course_slug.clone() />
            <input type="hidden" name="run" value=e.run_id.to_string() />
            <input type="hidden" name="group_id" value=e.group_id.to_string() />
            <Field name="group[name]" field="group_name" label=Msg::RunsGroupName required=true maxlength=100 value=f.name.clone() error />
            <Select name="group[kind]" field="group_kind" label=Msg::RunsGroupKind options=kinds selected=f.kind.clone() required=true error />
            <Field name="group[theme]" field="theme" label=Msg::RunsGroupTheme hint=Msg::RunsGroupThemeHint maxlength=100 value=f.theme.clone() error />
            <TextArea name="group[description]" field="group_description" label=Msg::RunsGroupDescription hint=Msg::CoursesMarkdownHint value=f.description.clone() error />
            <Field name="group[capacity]" field="group_capacity" label=Msg::RunsGroupCapacity hint=Msg::RunsGroupCapacityHint kind="number" value=f.capacity.clone() error />
            <button type="submit" class="button primary">{t(Msg::RunsSaveGroup)}</button>
        </ActionForm>
        <FollowSuccess value=save.value() />
    }
}

/// The slug, run and group of a form on the staff's page.
fn hidden_fields((slug, run, group): &(String, String, String)) -> impl IntoView + use<> {
    let (slug, run, group) = (slug.clone(), run.clone(), group.clone());
    view! {
        <input type="hidden" name="slug" value=slug />
        <input type="hidden" name="run" value=run />
        <input type="hidden" name="group" value=group />
    }
}
