//! Server functions of the course pages (issue 7; S4, S12, S19). Each decides access
//! through the permission module; a refusal answers exactly like a missing thing.
use super::model::{
    Certificate, CopyRunForm, CourseCard, CourseEditor, CourseForm, CoursePage, LearnPage, LessonEditor,
    LessonPage, MyCourse, RunForm, RunSettings, StaffMember, TaughtCourse,
};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use crate::auth::{Action, Cx};
    use crate::courses::db::{self, CourseError, CourseRow, RunRow};
    use crate::error::AppError;
    use crate::platform::Platform;

    impl From<CourseError> for AppError {
        fn from(e: CourseError) -> Self {
            match e {
                CourseError::Invalid(list) => AppError::Invalid(list),
                CourseError::Refused(msg) => AppError::refused(msg),
                CourseError::NotFound => AppError::NotFound,
                CourseError::Db(e) => e.into(),
            }
        }
    }

    /// The course, if the signed-in actor may edit it (its teachers, platform admins).
    pub async fn editable(cx: &Cx, slug: &str) -> Result<(CourseRow, i64), AppError> {
        let user = cx.signed_in()?;
        let course = db::course_by_slug(&cx.p.db, slug)
            .await?
            .ok_or(AppError::NotFound)?;
        cx.require(&Action::EditCourseContent { course: course.id })?;
        Ok((course, user))
    }

    /// A run whose content the signed-in actor may see (S19): its learners, the course's
    /// staff, platform admins. Learners see only published runs of published courses.
    /// Returns the run and whether the actor takes part in it (learner).
    pub async fn visible_run(cx: &Cx, run: i64) -> Result<(RunRow, i64, bool), AppError> {
        let user = cx.signed_in()?;
        let r = db::run(&cx.p.db, run).await?.ok_or(AppError::NotFound)?;
        cx.require(&Action::ViewRunContent {
            course: r.course_id,
            run: r.id,
        })?;
        let learner = cx.allows(&Action::ParticipateInRun {
            course: r.course_id,
            run: r.id,
        });
        let staff = cx.actor.is_admin() || cx.actor.staff_kind(r.course_id).is_some();
        if !staff && (r.status != "published" || r.course_status != "published") {
            return Err(AppError::NotFound);
        }
        Ok((r, user, learner))
    }

    /// Tells a learner promoted from the waiting list, in their language. The place is
    /// theirs whether or not the mail goes out; "My courses" shows it.
    pub async fn tell_promoted(p: &Platform, run: i64, promoted: db::Promoted) {
        use crate::i18n::{Lang, Msg, fill};
        let lang = Lang::from_code(&promoted.locale).unwrap_or_default();
        let link = format!("{}/learn/{run}", p.public_url);
        let mail = crate::platform::mail::Email {
            to: promoted.email,
            subject: fill(
                lang.t(Msg::MailCoursePlaceSubject),
                &[("course", &promoted.course_title)],
            ),
            body: fill(
                lang.t(Msg::MailCoursePlaceBody),
                &[
                    ("name", &promoted.first_name),
                    ("course", &promoted.course_title),
                    ("link", &link),
                ],
            ),
        };
        if let Err(e) = p.mailer.send(&mail, p.clock.now_ms()).await {
            tracing::error!(error = %e, "could not send waiting-list mail");
        }
    }

    pub fn status_path(slug: &str, status: &str) -> String {
        crate::ui::form::finish(&format!("/courses/{slug}/edit?status={status}"))
    }
}

/// Published courses, public to everyone (S7, S18).
#[server(endpoint = "courses/published")]
pub async fn list_published_courses(limit: i64, offset: i64) -> Result<Vec<CourseCard>, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    cx.require(&Action::ViewPublic)?;
    Ok(super::db::published_courses(&cx.p.db, limit.clamp(1, 100), offset.max(0)).await?)
}

/// The organisation's name, when the signed-in actor may create courses for it.
#[server(prefix = "/api", endpoint = "courses/may-create")]
pub async fn may_create_course(org: String) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    cx.signed_in()?;
    let p = &cx.p;
    let (id, name) = super::db::organisation(&p.db, &org)
        .await?
        .ok_or(AppError::NotFound)?;
    cx.require(&Action::CreateCourse { org: id })?;
    Ok(name)
}

/// Creates a draft course (issue 7): organisation members; the creator becomes its teacher.
#[server(prefix = "/api", endpoint = "courses/create")]
pub async fn create_course(org: String, form: CourseForm) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let user = cx.signed_in()?;
    let p = &cx.p;
    let (id, _) = super::db::organisation(&p.db, &org)
        .await?
        .ok_or(AppError::NotFound)?;
    cx.require(&Action::CreateCourse { org: id })?;
    let slug = super::db::create_course(p, id, user, &form).await?;
    Ok(server::status_path(&slug, "created"))
}

/// The editing page's data: the course's teachers and platform admins.
#[server(prefix = "/api", endpoint = "courses/editor")]
pub async fn course_for_edit(slug: String) -> Result<CourseEditor, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, user) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    let modules = super::db::modules(&p.db, c.id).await?;
    let runs = super::db::runs(&p.db, c.id, Some(user), true, p.clock.now_ms()).await?;
    let staff = super::db::staff(&p.db, c.id).await?;
    let ever_enrolled = super::db::ever_enrolled(&mut *p.db.pool.acquire().await?, c.id).await?;
    Ok(CourseEditor {
        ever_enrolled,
        image: c
            .image_version
            .map(|v| super::model::course_image_url(&c.slug, v)),
        max_image_bytes: crate::auth::config::<crate::courses::files::FileLimits>()?.max_image_bytes,
        slug: c.slug,
        status: c.status,
        version: c.version,
        organisation_name: c.organisation_name,
        form: c.form,
        modules,
        runs,
        staff,
    })
}

/// Organisation members who may be added to the staff.
#[server(prefix = "/api", endpoint = "courses/staff-candidates")]
pub async fn staff_candidates(slug: String) -> Result<Vec<StaffMember>, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, _) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    Ok(super::db::staff_candidates(&p.db, c.id, c.organisation_id).await?)
}

#[server(prefix = "/api", endpoint = "courses/update")]
pub async fn update_course(slug: String, form: CourseForm) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, _) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    super::db::update_course(p, c.id, &form).await?;
    Ok(server::status_path(&c.slug, "saved"))
}

/// Publishes (`status` = `published`) or withdraws a course to draft.
#[server(prefix = "/api", endpoint = "courses/status")]
pub async fn set_course_status(slug: String, status: String) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, _) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    let status = if status == "published" {
        "published"
    } else {
        "draft"
    };
    super::db::set_course_status(p, c.id, status).await?;
    Ok(server::status_path(&c.slug, status))
}

#[server(prefix = "/api", endpoint = "courses/add-module")]
pub async fn add_module(slug: String, module_title: String) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, _) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    super::db::add_module(p, c.id, &module_title).await?;
    Ok(server::status_path(&c.slug, "saved"))
}

#[server(prefix = "/api", endpoint = "courses/add-lesson")]
pub async fn add_lesson(slug: String, module: i64, lesson_title: String) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, _) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    let item = super::db::add_lesson(p, c.id, module, &lesson_title).await?;
    Ok(crate::ui::form::finish(&format!(
        "/courses/{}/lessons/{item}/edit",
        c.slug
    )))
}

/// Moves a module (`what` = `module`) or an item one place `up` or `down`. `version` is the
/// content version the page showed; a stale page is refused and nothing moves.
#[server(prefix = "/api", endpoint = "courses/move")]
pub async fn move_content(
    slug: String,
    what: String,
    id: i64,
    direction: String,
    version: i64,
) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, _) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    let up = direction == "up";
    if what == "module" {
        super::db::move_module(p, c.id, id, up, version).await?;
    } else {
        super::db::move_item(p, c.id, id, up, version).await?;
    }
    Ok(server::status_path(&c.slug, "moved"))
}

/// Puts a module (`what` = `module`) at place `index` (0-based) among the modules, or an
/// item at place `index` of `module` (its own or another of the course): dragging, and the
/// "move to module" form (which leaves `index` at the end). `version` as for moves.
#[server(prefix = "/api", endpoint = "courses/place")]
pub async fn place_content(
    slug: String,
    what: String,
    id: i64,
    #[server(default)] module: i64,
    #[server(default)] index: Option<i64>,
    version: i64,
) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, _) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    let index = index.unwrap_or(i64::MAX);
    if what == "module" {
        super::placement::place_module(p, c.id, id, index, version).await?;
    } else {
        super::placement::place_item(p, c.id, id, module, index, version).await?;
    }
    Ok(server::status_path(&c.slug, "moved"))
}

/// Deletes a module with its items (`what` = `module`) or one item.
#[server(prefix = "/api", endpoint = "courses/delete")]
pub async fn delete_content(slug: String, what: String, id: i64) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, _) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    if what == "module" {
        super::db::delete_module(p, c.id, id).await?;
    } else {
        super::db::delete_item(p, c.id, id).await?;
    }
    Ok(server::status_path(&c.slug, "deleted"))
}

/// Deletes the whole course (only one no learner ever enrolled in), after the teacher typed
/// its title; to the course list.
#[server(prefix = "/api", endpoint = "courses/delete-course")]
pub async fn delete_course(slug: String, confirm_title: String) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, user) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    super::db::delete_course(p, c.id, user, &confirm_title).await?;
    Ok(crate::ui::form::finish("/courses?status=course-deleted"))
}

#[server(prefix = "/api", endpoint = "courses/lesson")]
pub async fn lesson_for_edit(slug: String, item: i64) -> Result<LessonEditor, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, _) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    let (title, body, required) = super::db::lesson(&p.db, c.id, item)
        .await?
        .ok_or(AppError::NotFound)?;
    let files = super::files::list(&p.db, c.id).await?;
    let limits = crate::auth::config::<super::files::FileLimits>()?;
    Ok(LessonEditor {
        course_slug: c.slug,
        course_title: c.form.title,
        item,
        title,
        body,
        required,
        files,
        max_image_bytes: limits.max_image_bytes,
        max_file_bytes: limits.max_file_bytes,
        files_quota_bytes: limits.quota_bytes,
        embed_providers: crate::auth::config::<std::sync::Arc<crate::ui::embed::EmbedPolicy>>()?.names(),
    })
}

/// Deletes one of the course's files (S5); back to the lesson the teacher was editing.
/// Uploads are multipart posts to the server's own routes (`server/src/http/routes/course_files.rs`).
#[server(prefix = "/api", endpoint = "courses/delete-file")]
pub async fn delete_file(slug: String, file: i64, item: i64) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, _) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    if !super::files::delete(p, c.id, file).await? {
        return Err(AppError::NotFound);
    }
    Ok(crate::ui::form::finish(&format!(
        "/courses/{}/lessons/{item}/edit?status=file-deleted",
        c.slug
    )))
}

/// Removes the course image.
#[server(prefix = "/api", endpoint = "courses/remove-image")]
pub async fn remove_course_image(slug: String) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, _) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    super::files::remove_image(p, c.id).await?;
    Ok(server::status_path(&c.slug, "image-removed"))
}

#[server(prefix = "/api", endpoint = "courses/update-lesson")]
pub async fn update_lesson(
    slug: String,
    item: i64,
    title: String,
    body: String,
    required: Option<String>,
) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, _) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    super::db::update_lesson(p, c.id, item, &title, &body, required.is_some()).await?;
    Ok(server::status_path(&c.slug, "saved"))
}

/// Switches a module's badge on (`badge` present) or off and names it (empty: the
/// module's title). The course's teachers and platform admins (`EditCourseContent`).
#[server(prefix = "/api", endpoint = "courses/module-badge")]
pub async fn set_module_badge(
    slug: String,
    module: i64,
    badge: Option<String>,
    badge_name: String,
) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, _) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    super::db::set_module_badge(&p.db, c.id, module, badge.is_some(), &badge_name).await?;
    Ok(server::status_path(&c.slug, "saved"))
}

/// Adds an organisation member to the staff as `teacher` or `moderator`.
#[server(prefix = "/api", endpoint = "courses/add-staff")]
pub async fn add_staff(slug: String, user: i64, kind: String) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, _) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    super::db::add_staff(&p.db, c.id, c.organisation_id, user, &kind).await?;
    Ok(server::status_path(&c.slug, "saved"))
}

#[server(prefix = "/api", endpoint = "courses/remove-staff")]
pub async fn remove_staff(slug: String, user: i64) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, _) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    super::db::remove_staff(p, c.id, user).await?;
    Ok(server::status_path(&c.slug, "saved"))
}

#[server(prefix = "/api", endpoint = "courses/create-run")]
pub async fn create_run(slug: String, run: RunForm) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, _) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    super::db::create_run(p, c.id, &run).await?;
    Ok(server::status_path(&c.slug, "run-created"))
}

/// Changes a run's settings; learners a larger capacity takes off the waiting list are told.
#[server(prefix = "/api", endpoint = "courses/update-run")]
pub async fn update_run(slug: String, run_id: i64, run: RunForm) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, _) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    for promoted in super::db::update_run(p, c.id, run_id, &run).await? {
        server::tell_promoted(p, run_id, promoted).await;
    }
    Ok(server::status_path(&c.slug, "run-saved"))
}

/// The settings form of one of the course's runs, for its staff.
#[server(prefix = "/api", endpoint = "courses/run-settings")]
pub async fn load_run_settings(slug: String, run_id: i64) -> Result<RunSettings, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, _) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    let now = p.clock.now_ms();
    let run = super::db::runs(&p.db, c.id, None, true, now)
        .await?
        .into_iter()
        .find(|r| r.id == run_id)
        .ok_or(AppError::NotFound)?;
    Ok(RunSettings {
        course_slug: c.slug,
        course_title: c.form.title,
        run,
    })
}

/// Publishes (`status` = `published`) a run or takes it back to draft.
#[server(prefix = "/api", endpoint = "courses/run-status")]
pub async fn set_run_status(slug: String, run: i64, status: String) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, _) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    let status = if status == "published" {
        "published"
    } else {
        "draft"
    };
    super::db::set_run_status(p, c.id, run, status).await?;
    Ok(server::status_path(&c.slug, status))
}

/// The course page: public when published (S18); a draft is "not found" for all but its
/// staff and platform admins. The syllabus shows titles only; the content is in the runs.
#[server(prefix = "/api", endpoint = "courses/page")]
pub async fn get_course(slug: String) -> Result<CoursePage, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let p = &cx.p;
    let c = super::db::course_by_slug(&p.db, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    cx.require(&Action::ViewCourse {
        course: c.id,
        published: c.published(),
    })?;
    let can_edit = cx.allows(&Action::EditCourseContent { course: c.id });
    let staff = cx.allows(&Action::ViewRunProgress { course: c.id });
    let syllabus = super::db::modules(&p.db, c.id)
        .await?
        .into_iter()
        .map(|m| super::model::SyllabusModule {
            title: m.title,
            items: m.items.into_iter().map(|i| i.title).collect(),
        })
        .collect();
    let runs = super::db::runs(&p.db, c.id, cx.actor.user, false, p.clock.now_ms()).await?;
    let (rating_avg, rating_count) = super::db::course_rating(&p.db, c.id).await?;
    Ok(CoursePage {
        image: c
            .image_version
            .map(|v| super::model::course_image_url(&c.slug, v)),
        description_html: crate::ui::markdown::to_safe_html(&c.form.description),
        slug: c.slug,
        title: c.form.title,
        summary: c.form.summary,
        language: c.form.language,
        level: c.form.level,
        estimated_hours: c.hours,
        target_audience: c.form.target_audience,
        subjects: c.form.subjects,
        status: c.status,
        organisation_name: c.organisation_name,
        organisation_slug: c.organisation_slug,
        syllabus,
        runs,
        signed_in: cx.actor.is_signed_in(),
        can_edit,
        rating_avg,
        rating_count,
        staff,
    })
}

/// S4: one click, no further data. A full run puts the user on its waiting list; enrolling
/// twice changes nothing; a closed run refuses; a draft course or run does not exist.
#[server(prefix = "/api", endpoint = "courses/enrol")]
pub async fn enrol(run: i64) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    use crate::courses::db::Enrolled;
    let cx = Cx::get().await?;
    let user = cx.require_signed_in(&Action::EnrolInRun)?;
    let p = &cx.p;
    let r = super::db::run(&p.db, run).await?.ok_or(AppError::NotFound)?;
    let outcome = super::db::enrol(p, run, user).await?;
    let status = match outcome {
        Enrolled::Now => "enrolled",
        Enrolled::Already => "already-enrolled",
        Enrolled::Waiting => "waiting",
    };
    let path = if outcome == Enrolled::Waiting {
        format!("/courses/{}?status={status}", r.course_slug)
    } else {
        format!("/learn/{run}?status={status}")
    };
    Ok(crate::ui::form::finish(&path))
}

/// Leaves a run or its waiting list; the first on the waiting list gets the place and an
/// e-mail in their language.
#[server(prefix = "/api", endpoint = "courses/unenrol")]
pub async fn unenrol(run: i64) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let user = cx.require_signed_in(&Action::EnrolInRun)?;
    let p = &cx.p;
    let r = super::db::run(&p.db, run).await?.ok_or(AppError::NotFound)?;
    for promoted in super::db::unenrol(p, run, user).await? {
        server::tell_promoted(p, run, promoted).await;
    }
    Ok(crate::ui::form::finish(&format!(
        "/courses/{}?status=left",
        r.course_slug
    )))
}

/// `/learn/{run}`: the run's modules with the viewer's progress (S12, S19).
#[server(prefix = "/api", endpoint = "courses/learn")]
pub async fn learn(run: i64) -> Result<LearnPage, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (r, user, learner) = server::visible_run(&cx, run).await?;
    let p = &cx.p;
    if learner {
        super::db::record_day(p, r.id, user).await?;
    }
    let modules = super::db::progress(&p.db, r.course_id, r.id, if learner { user } else { -1 }).await?;
    let resume = modules
        .iter()
        .flat_map(|m| &m.items)
        .find(|i| !i.done)
        .map(|i| i.id);
    let certificate = if learner {
        super::db::certificate_code(&p.db, r.id, user).await?
    } else {
        None
    };
    Ok(LearnPage {
        run_id: r.id,
        run_title: r.title,
        course_title: r.course_title,
        course_slug: r.course_slug,
        percent: if learner { super::db::percent(&modules) } else { 0 },
        modules,
        learner,
        resume,
        certificate,
    })
}

/// `/learn/{run}/items/{item}`: a lesson (S19: "not found" for everyone who is not the run's
/// learner, the course's staff or a platform admin, exactly as for a missing lesson).
/// A learner's visit records the day (attendance) and, when the course's rule is
/// `viewed`, completes the lesson.
#[server(prefix = "/api", endpoint = "courses/item")]
pub async fn get_lesson(run: i64, item: i64) -> Result<LessonPage, AppError> {
    let embeds = crate::auth::config::<std::sync::Arc<crate::ui::embed::EmbedPolicy>>()?;
    let cx = crate::auth::Cx::get().await?;
    let (r, user, learner) = server::visible_run(&cx, run).await?;
    let p = &cx.p;
    let (title, body, _) = super::db::lesson(&p.db, r.course_id, item)
        .await?
        .ok_or(AppError::NotFound)?;
    if learner {
        super::db::record_day(p, r.id, user).await?;
        if r.completion_rule == "viewed" {
            super::db::complete(p, &r, user, item).await?;
        }
    }
    let modules = super::db::progress(&p.db, r.course_id, r.id, if learner { user } else { -1 }).await?;
    let order: Vec<(i64, &str, bool)> = modules
        .iter()
        .flat_map(|m| m.items.iter().map(move |i| (i.id, m.title.as_str(), i.done)))
        .collect();
    let at = order
        .iter()
        .position(|(id, ..)| *id == item)
        .ok_or(AppError::NotFound)?;
    let certificate = if learner {
        super::db::certificate_code(&p.db, r.id, user).await?
    } else {
        None
    };
    Ok(LessonPage {
        run_id: r.id,
        item_id: item,
        course_title: r.course_title.clone(),
        module_title: order[at].1.to_string(),
        title,
        body_html: crate::ui::markdown::to_lesson_html(&body, &embeds),
        learner,
        done: order[at].2,
        mark_button: learner && r.completion_rule == "marked",
        previous: at.checked_sub(1).map(|i| order[i].0),
        next: order.get(at + 1).map(|x| x.0),
        certificate,
    })
}

/// Marks a lesson done (courses whose rule is `marked`); only the run's learners.
#[server(prefix = "/api", endpoint = "courses/complete")]
pub async fn mark_complete(run: i64, item: i64) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let (r, user, _) = server::visible_run(&cx, run).await?;
    let p = &cx.p;
    cx.require(&Action::ParticipateInRun {
        course: r.course_id,
        run: r.id,
    })?;
    super::db::complete(p, &r, user, item).await?;
    Ok(crate::ui::form::finish(&format!("/learn/{run}/items/{item}")))
}

/// "My courses": the signed-in user's runs with progress.
#[server(prefix = "/api", endpoint = "courses/mine")]
pub async fn my_courses() -> Result<Vec<MyCourse>, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let user = cx.require_signed_in(&Action::ManageOwnAccount)?;
    let p = &cx.p;
    Ok(super::db::my_courses(&p.db, user).await?)
}

/// "My courses": the courses the signed-in user teaches or moderates.
#[server(prefix = "/api", endpoint = "courses/teaching")]
pub async fn teaching_courses() -> Result<Vec<TaughtCourse>, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let user = cx.require_signed_in(&Action::ManageOwnAccount)?;
    let p = &cx.p;
    Ok(super::db::taught_courses(&p.db, user).await?)
}

/// A certificate's printable page: its owner (and platform admins).
#[server(prefix = "/api", endpoint = "courses/certificate")]
pub async fn get_certificate(code: String) -> Result<Certificate, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    cx.signed_in()?;
    let p = &cx.p;
    let (owner, cert) = super::db::certificate(&p.db, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    cx.require(&Action::ViewCertificate { owner })?;
    Ok(cert)
}

/// `/verify/{code}`: anyone; only what the certificate prints.
#[server(prefix = "/api", endpoint = "courses/verify")]
pub async fn verify_certificate(code: String) -> Result<Certificate, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    cx.require(&Action::ViewPublic)?;
    let p = &cx.p;
    let (_, cert) = super::db::certificate(&p.db, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(cert)
}

/// Copies a run into a new draft run with its settings and dates moved to a new start
/// (teachers and platform admins; audited).
#[server(prefix = "/api", endpoint = "courses/copy-run")]
pub async fn copy_run(slug: String, copy: CopyRunForm) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let (c, user) = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    super::db::copy_run(p, c.id, user, &copy).await?;
    Ok(server::status_path(&c.slug, "run-copied"))
}
