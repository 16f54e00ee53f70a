//! Server functions of the course staff's pages of a run (issue 7; S4, S12, S19). Every one
//! asks the permission module (`ViewRunProgress`, `ManageRunLearners`); a refusal, a run of
//! another course and a missing run all answer "not found".
use super::model::{LearnerPage, ProgressPage, ProgressQuery};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub mod server {
    use crate::auth::{Action, Actor, Cx, require};
    pub use crate::courses::api::server::tell_promoted;
    use crate::courses::staff::db::{self, Filter, StaffRun};
    use crate::courses::staff::model::*;
    use crate::error::AppError;
    use crate::i18n::Lang;
    use crate::platform::Platform;

    /// The run of the course `slug`, if `actor` may do `action` in that course.
    pub async fn staff_run(
        p: &Platform,
        actor: &Actor,
        slug: &str,
        run: i64,
        manage: bool,
    ) -> Result<StaffRun, AppError> {
        let sr = db::run_of_course(&p.db, slug, run)
            .await?
            .ok_or(AppError::NotFound)?;
        let course = sr.run.course_id;
        require(
            actor,
            &if manage {
                Action::ManageRunLearners { course }
            } else {
                Action::ViewRunProgress { course }
            },
        )?;
        Ok(sr)
    }

    /// The signed-in actor's run (anonymous: `SignInRequired`, the pages send them to sign in).
    pub async fn signed_in_run(
        cx: &Cx,
        slug: &str,
        run: i64,
        manage: bool,
    ) -> Result<(StaffRun, i64), AppError> {
        let user = cx.signed_in()?;
        let sr = staff_run(&cx.p, &cx.actor, slug, run, manage).await?;
        Ok((sr, user))
    }

    /// The module heads and the summary (which the zero-requirement modules need).
    async fn heads(p: &Platform, sr: &StaffRun) -> Result<(Vec<ModuleHead>, Summary), AppError> {
        let (course, run) = (sr.run.course_id, sr.run.id);
        let mut modules = db::modules(&p.db, course, run, 0).await?;
        let total = modules.iter().map(|m| m.required).sum();
        let summary = db::summary(&p.db, run, course, total).await?;
        for m in modules.iter_mut().filter(|m| m.required == 0) {
            m.completed = summary.active;
        }
        Ok((modules, summary))
    }

    /// The dashboard's data: a constant number of queries whatever the number of learners.
    pub async fn progress_page(
        cx: &Cx,
        sr: StaffRun,
        query: ProgressQuery,
    ) -> Result<ProgressPage, AppError> {
        let p = &cx.p;
        let (course, run) = (sr.run.course_id, sr.run.id);
        let (modules, summary) = heads(p, &sr).await?;
        let ids: Vec<i64> = modules.iter().map(|m| m.id).collect();
        let f = Filter {
            query: &query,
            modules: &ids,
            user: None,
        };
        let matching = db::matching(&p.db, run, course, &f).await?;
        let pages = ((matching + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
        let page = query.page().min(pages);
        let rows = db::learners(
            &p.db,
            run,
            course,
            &f,
            &modules,
            Some((PAGE_SIZE, (page - 1) * PAGE_SIZE)),
        )
        .await?;
        let weeks = db::weeks(&p.db, run).await?;
        let invitations = db::staff_list(&p.db, run, p.clock.now_ms()).await?;
        Ok(ProgressPage {
            course_slug: sr.run.course_slug,
            course_title: sr.run.course_title,
            run_id: run,
            run_title: sr.run.title,
            run_published: sr.run.status == "published" && sr.run.course_status == "published",
            capacity: sr.capacity,
            modules,
            rows,
            matching,
            page,
            summary,
            weeks,
            invitations,
            can_edit: cx.allows(&Action::EditCourseContent { course }),
            query,
        })
    }

    /// A CSV export for `GET /courses/{slug}/runs/{run}/{progress|participants}.csv`:
    /// the file name and its text. `progress` is the table as filtered, every page;
    /// `participants` everyone who was ever in the run.
    pub async fn export(
        p: &Platform,
        actor: &Actor,
        slug: &str,
        run: i64,
        what: &str,
        query: ProgressQuery,
        lang: Lang,
    ) -> Result<(String, String), AppError> {
        if !matches!(what, "progress" | "participants") {
            return Err(AppError::NotFound);
        }
        let sr = staff_run(p, actor, slug, run, false).await?;
        let (course, run) = (sr.run.course_id, sr.run.id);
        let (modules, _) = heads(p, &sr).await?;
        let ids: Vec<i64> = modules.iter().map(|m| m.id).collect();
        let query = if what == "participants" {
            ProgressQuery {
                enrolment: "all".into(),
                ..Default::default()
            }
        } else {
            query
        };
        let f = Filter {
            query: &query,
            modules: &ids,
            user: None,
        };
        let rows = db::learners(&p.db, run, course, &f, &modules, None).await?;
        let text = if what == "participants" {
            super::super::csv::participants(lang, &rows)
        } else {
            super::super::csv::progress(lang, &modules, &rows)
        };
        Ok((format!("{}-run-{run}-{what}.csv", sr.run.course_slug), text))
    }

    pub fn learner_path(slug: &str, run: i64, user: i64, status: &str) -> String {
        crate::ui::form::finish(&format!(
            "/courses/{slug}/runs/{run}/learners/{user}?status={status}"
        ))
    }

    /// Tells a learner that staff enrolled them again, in their language (a spawned task,
    /// after the answer).
    pub fn tell_enrolled(p: &Platform, to: db::Account, course_title: &str, run: i64) {
        use crate::i18n::{Msg, fill};
        let lang = Lang::from_code(&to.locale).unwrap_or_default();
        let link = format!("{}/learn/{run}", p.public_url);
        let mail = crate::platform::mail::Email {
            to: to.email,
            subject: fill(
                lang.t(Msg::MailCourseEnrolledSubject),
                &[("course", course_title)],
            ),
            body: fill(
                lang.t(Msg::MailCourseEnrolledBody),
                &[
                    ("name", &to.first_name),
                    ("course", course_title),
                    ("link", &link),
                ],
            ),
        };
        let p = p.clone();
        tokio::spawn(async move {
            if let Err(e) = p.mailer.send(&mail, p.clock.now_ms()).await {
                tracing::error!(error = %e, "could not send the enrolment mail");
            }
        });
    }
}

/// `/courses/{slug}/runs/{run}/progress`: the course's staff and platform admins (S12).
#[server(prefix = "/api", endpoint = "courses/run-progress")]
pub async fn run_progress(
    slug: String,
    run: i64,
    #[server(default)] query: ProgressQuery,
) -> Result<ProgressPage, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (sr, _) = server::signed_in_run(&cx, &slug, run, false).await?;
    query.check()?;
    server::progress_page(&cx, sr, query).await
}

/// `/courses/{slug}/runs/{run}/learners/{user}`: one learner's items, for the staff.
#[server(prefix = "/api", endpoint = "courses/learner-progress")]
pub async fn learner_progress(slug: String, run: i64, user: i64) -> Result<LearnerPage, AppError> {
    use super::db;
    let cx = crate::auth::Cx::get().await?;
    let (sr, _) = server::signed_in_run(&cx, &slug, run, false).await?;
    let p = &cx.p;
    let (course, run) = (sr.run.course_id, sr.run.id);
    let modules = db::modules(&p.db, course, run, 0).await?;
    let row = db::learner(&p.db, run, course, user, &modules)
        .await?
        .ok_or(AppError::NotFound)?;
    let items = db::learner_items(&p.db, course, run, user).await?;
    Ok(LearnerPage {
        course_slug: sr.run.course_slug,
        course_title: sr.run.course_title,
        run_id: run,
        run_title: sr.run.title,
        row,
        items,
    })
}

/// Staff mark an active learner's item complete; the reason is required (S12, audited).
#[server(prefix = "/api", endpoint = "courses/staff-mark")]
pub async fn staff_mark_complete(
    slug: String,
    run: i64,
    user: i64,
    item: i64,
    reason: String,
) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (sr, me) = server::signed_in_run(&cx, &slug, run, true).await?;
    let p = &cx.p;
    let added = super::db::mark_complete(p, &sr.run, user, item, me, &reason).await?;
    Ok(server::learner_path(
        &slug,
        run,
        user,
        if added { "marked" } else { "already-done" },
    ))
}

/// Staff enrol again a learner who left, was removed or waits (from the learner's page).
#[server(prefix = "/api", endpoint = "courses/staff-reenrol")]
pub async fn staff_reenrol(slug: String, run: i64, user: i64) -> Result<String, AppError> {
    use super::db;
    let cx = crate::auth::Cx::get().await?;
    let (sr, me) = server::signed_in_run(&cx, &slug, run, true).await?;
    let p = &cx.p;
    // Only someone who was in this run: staff cannot enrol arbitrary accounts by number.
    let modules = db::modules(&p.db, sr.run.course_id, run, 0).await?;
    db::learner(&p.db, run, sr.run.course_id, user, &modules)
        .await?
        .ok_or(AppError::NotFound)?;
    if db::enrol(p, &sr.run, user, me).await?
        && let Some(account) = db::account_by_id(&p.db, user).await?
    {
        server::tell_enrolled(p, account, &sr.run.course_title, run);
    }
    Ok(server::learner_path(&slug, run, user, "enrolled"))
}

/// Staff remove a learner (or take them off the waiting list): status `removed`, progress
/// kept, the first on the waiting list promoted and told, audited.
#[server(prefix = "/api", endpoint = "courses/staff-remove")]
pub async fn staff_remove(slug: String, run: i64, user: i64) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (sr, me) = server::signed_in_run(&cx, &slug, run, true).await?;
    let p = &cx.p;
    for promoted in super::db::remove(p, &sr.run, user, me).await? {
        server::tell_promoted(p, run, promoted).await;
    }
    Ok(server::learner_path(&slug, run, user, "removed"))
}
