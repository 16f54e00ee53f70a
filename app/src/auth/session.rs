//! The actor behind the current request: the signed-in user of a live session cookie, with
//! their roles, or anonymous.
use super::Actor;
use super::sessions;
use super::{Role, StaffKind};
use crate::i18n::cookie_value;
use crate::platform::Platform;
use leptos::prelude::*;
use sqlx::Row;

/// The session secret the browser presented, if any.
pub fn presented_secret() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| cookie_value(c, sessions::COOKIE).map(str::to_string))
        .filter(|s| !s.is_empty())
}

pub async fn current_actor() -> Actor {
    if let Some(actor) = use_context::<Actor>() {
        return actor;
    }
    let actor = resolve().await.unwrap_or_default();
    provide_context(actor.clone());
    actor
}

async fn resolve() -> Option<Actor> {
    let secret = presented_secret()?;
    let p = crate::platform::platform().ok()?;
    let user = sessions::user_for(&p.db, &secret, p.clock.now_ms())
        .await
        .ok()??;
    load_actor(&p, user).await.ok()
}

/// The actor for a signed-in user: their country and every scoped role, in one query.
pub async fn load_actor(p: &Platform, user: i64) -> Result<Actor, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT 'grant' AS src, role AS kind, country AS country, 0 AS a, 0 AS b FROM role_grants WHERE user_id = $1 \
         UNION ALL SELECT 'org', role, '', organisation_id, 0 FROM organisation_members WHERE user_id = $1 \
         UNION ALL SELECT 'staff', kind, '', course_id, 0 FROM course_staff WHERE user_id = $1 \
         UNION ALL SELECT 'learner', '', '', r.course_id, e.run_id FROM enrolments e \
             JOIN course_runs r ON r.id = e.run_id WHERE e.user_id = $1 AND e.status = 'active' \
         UNION ALL SELECT 'user', '', country, 0, 0 FROM users WHERE id = $1",
    )
    .bind(user)
    .fetch_all(&p.db.pool)
    .await?;
    let mut actor = Actor {
        user: Some(user),
        country: None,
        roles: Vec::new(),
    };
    for r in rows {
        let (src, kind, country, a, b): (String, String, String, i64, i64) =
            (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
        let role = match (src.as_str(), kind.as_str()) {
            ("user", _) => {
                actor.country = Some(country);
                continue;
            }
            ("grant", "platform_admin") => Role::PlatformAdmin,
            ("grant", "national_validator") => Role::NationalValidator { country },
            ("org", "admin") => Role::OrgAdmin { org: a },
            ("org", _) => Role::OrgMember { org: a },
            ("staff", "teacher") => Role::CourseStaff {
                course: a,
                kind: StaffKind::Teacher,
            },
            ("staff", _) => Role::CourseStaff {
                course: a,
                kind: StaffKind::Moderator,
            },
            ("learner", _) => Role::Learner { course: a, run: b },
            _ => continue,
        };
        actor.roles.push(role);
    }
    Ok(actor)
}
