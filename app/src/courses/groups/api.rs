//! Server functions of groups in a run (S12, T2). Each decides access through the
//! permission module; a refusal answers exactly like a missing group or run (S19).
use super::model::{GroupEditor, GroupForm, GroupPage, GroupsEditor, RunGroups};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod server {
    use crate::auth::{Action, Cx};
    use crate::courses::db::{self, CourseRow, RunRow};
    use crate::error::AppError;

    /// The course and its run, if the signed-in actor manages the run's groups (the
    /// course's staff, platform admins). A run of another course is "not found".
    pub async fn managed(cx: &Cx, slug: &str, run: i64) -> Result<(CourseRow, RunRow, i64), AppError> {
        let user = cx.signed_in()?;
        let course = db::course_by_slug(&cx.p.db, slug)
            .await?
            .ok_or(AppError::NotFound)?;
        cx.require(&Action::ManageRunGroups { course: course.id })?;
        let r = db::run(&cx.p.db, run).await?.ok_or(AppError::NotFound)?;
        if r.course_id != course.id {
            return Err(AppError::NotFound);
        }
        Ok((course, r, user))
    }

    pub fn manage_href(cx: &Cx, r: &RunRow) -> Option<String> {
        cx.allows(&Action::ManageRunGroups { course: r.course_id })
            .then(|| format!("/courses/{}/runs/{}/groups", r.course_slug, r.id))
    }

    pub fn back(slug: &str, run: i64, status: &str) -> String {
        crate::ui::form::finish(&format!("/courses/{slug}/runs/{run}/groups?status={status}"))
    }
}

/// The groups part of `/learn/{run}` (S12): a learner's groups and the open groups they may
/// join; the staff's view of every group. Only for those who see the run (S19).
#[server(prefix = "/api", endpoint = "courses/run-groups")]
pub async fn list_run_groups(run: i64) -> Result<RunGroups, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (r, user, learner) = crate::courses::api::server::visible_run(&cx, run).await?;
    let p = &cx.p;
    let manage_href = server::manage_href(&cx, &r);
    let all = super::db::groups(&p.db, r.id, user).await?;
    let (mine, open) = if manage_href.is_some() {
        (all, Vec::new())
    } else {
        let (mine, others): (Vec<_>, Vec<_>) = all.into_iter().partition(|g| g.mine);
        // Assigned groups are shown only to their members.
        (mine, others.into_iter().filter(|g| g.kind == "open").collect())
    };
    Ok(RunGroups {
        run_id: r.id,
        learner,
        manage_href,
        mine,
        open: if learner { open } else { Vec::new() },
    })
}

/// `/learn/{run}/groups/{group}`: the group's members and description, for its members
/// (while learners of the run) and the course's staff; everyone else gets the 404 of a
/// missing group (T2, S19).
#[server(prefix = "/api", endpoint = "courses/group")]
pub async fn get_group(run: i64, group: i64) -> Result<GroupPage, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let (r, user, learner) = crate::courses::api::server::visible_run(&cx, run).await?;
    let p = &cx.p;
    let g = super::db::group(&p.db, r.id, group, user)
        .await?
        .ok_or(AppError::NotFound)?;
    cx.require(&Action::ViewRunGroup {
        course: r.course_id,
        run: r.id,
        member: g.mine,
    })?;
    let members = super::db::members(&p.db, r.id, Some(g.id))
        .await?
        .into_iter()
        .map(|(_, m)| m)
        .collect();
    Ok(GroupPage {
        run_id: r.id,
        run_title: r.title.clone(),
        course_title: r.course_title.clone(),
        can_leave: learner && g.mine && g.kind == "open",
        manage_href: server::manage_href(&cx, &r),
        group: g,
        members,
    })
}

/// A learner joins an open group of their run while it has room (S12).
#[server(prefix = "/api", endpoint = "courses/group-join")]
pub async fn join_group(run: i64, group: i64) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let (r, user, _) = crate::courses::api::server::visible_run(&cx, run).await?;
    let p = &cx.p;
    cx.require(&Action::JoinRunGroup { run: r.id })?;
    let status = match super::db::join(p, r.id, group, user).await? {
        super::db::Joined::Now => "group-joined",
        super::db::Joined::Already => "group-already",
    };
    Ok(crate::ui::form::finish(&format!(
        "/learn/{run}/groups/{group}?status={status}"
    )))
}

/// A learner leaves an open group of their run.
#[server(prefix = "/api", endpoint = "courses/group-leave")]
pub async fn leave_group(run: i64, group: i64) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let (r, user, _) = crate::courses::api::server::visible_run(&cx, run).await?;
    let p = &cx.p;
    cx.require(&Action::JoinRunGroup { run: r.id })?;
    super::db::leave(&p.db, r.id, group, user).await?;
    Ok(crate::ui::form::finish(&format!(
        "/learn/{run}?status=group-left"
    )))
}

/// `/courses/{slug}/runs/{run}/groups`: the run's groups with their members and the run's
/// learners to place in them (the course's staff, platform admins).
#[server(prefix = "/api", endpoint = "courses/groups-editor")]
pub async fn load_groups_editor(slug: String, run: i64) -> Result<GroupsEditor, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, r, user) = server::managed(&cx, &slug, run).await?;
    let p = &cx.p;
    let groups = super::db::groups(&p.db, r.id, user).await?;
    let mut members = super::db::members(&p.db, r.id, None).await?;
    let groups = groups
        .into_iter()
        .map(|g| {
            let (these, rest): (Vec<_>, Vec<_>) = members.drain(..).partition(|(id, _)| *id == g.id);
            members = rest;
            super::model::ManagedGroup {
                group: g,
                members: these.into_iter().map(|(_, m)| m).collect(),
            }
        })
        .collect();
    Ok(GroupsEditor {
        course_slug: c.slug,
        course_title: c.form.title,
        run_id: r.id,
        run_title: r.title,
        groups,
        learners: super::db::learners(&p.db, r.id).await?,
    })
}

/// Creates a group in a run: assigned, or open to learners (optionally themed, with a
/// capacity).
#[server(prefix = "/api", endpoint = "courses/group-create")]
pub async fn create_group(slug: String, run: i64, group: GroupForm) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, r, user) = server::managed(&cx, &slug, run).await?;
    let p = &cx.p;
    super::db::create(p, r.id, user, &group).await?;
    Ok(server::back(&c.slug, r.id, "group-created"))
}

/// A group of the run as stored, for its edit page.
#[server(prefix = "/api", endpoint = "courses/group-for-edit")]
pub async fn load_group_editor(slug: String, run: i64, group: i64) -> Result<GroupEditor, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, r, _) = server::managed(&cx, &slug, run).await?;
    let p = &cx.p;
    let form = super::db::form(&p.db, r.id, group)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(GroupEditor {
        course_slug: c.slug,
        course_title: c.form.title,
        run_id: r.id,
        run_title: r.title,
        group_id: group,
        form,
    })
}

/// Changes a group's settings; back to the run's groups.
#[server(prefix = "/api", endpoint = "courses/group-update")]
pub async fn update_group(
    slug: String,
    run: i64,
    group_id: i64,
    group: GroupForm,
) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, r, _) = server::managed(&cx, &slug, run).await?;
    let p = &cx.p;
    super::db::update(&p.db, r.id, group_id, &group).await?;
    // Not `group-saved`: that note speaks of the group's members.
    Ok(server::back(&c.slug, r.id, "group-updated"))
}

#[server(prefix = "/api", endpoint = "courses/group-delete")]
pub async fn delete_group(slug: String, run: i64, group: i64) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, r, _) = server::managed(&cx, &slug, run).await?;
    let p = &cx.p;
    super::db::delete(&p.db, r.id, group).await?;
    Ok(server::back(&c.slug, r.id, "group-deleted"))
}

/// Places a learner of the run in a group.
#[server(prefix = "/api", endpoint = "courses/group-add")]
pub async fn add_group_member(slug: String, run: i64, group: i64, member: i64) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, r, user) = server::managed(&cx, &slug, run).await?;
    let p = &cx.p;
    super::db::add_member(p, r.id, group, member, user).await?;
    Ok(server::back(&c.slug, r.id, "group-saved"))
}

#[server(prefix = "/api", endpoint = "courses/group-remove")]
pub async fn remove_group_member(
    slug: String,
    run: i64,
    group: i64,
    member: i64,
) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, r, _) = server::managed(&cx, &slug, run).await?;
    let p = &cx.p;
    super::db::remove_member(&p.db, r.id, group, member).await?;
    Ok(server::back(&c.slug, r.id, "group-saved"))
}
