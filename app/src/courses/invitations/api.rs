//! Server functions of invitations to a run (S4, S19). The staff's side asks
//! `ManageRunLearners` (through `courses::staff::api::server::signed_in_run`), the invited
//! person's side `AnswerRunInvitation`; a refusal answers exactly like a missing run or a
//! missing invitation.
use super::model::InvitationView;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod server {
    use crate::auth::{Action, Cx};
    use crate::courses::db::RunRow;
    use crate::courses::invitations::db::{self, Found};
    use crate::courses::staff::db::Account;
    use crate::error::AppError;
    use crate::i18n::Msg;
    use crate::platform::Platform;

    /// The invitation `secret` if the actor may answer it: only the account whose confirmed
    /// address it was sent to. Anyone else, like an unknown, answered, withdrawn or expired
    /// link, gets `None`.
    pub async fn answerable(cx: &Cx, user: i64, secret: &str) -> Result<Option<Found>, AppError> {
        let found = db::find(&cx.p, secret, user).await?;
        Ok(found.filter(|f| {
            cx.allows(&Action::AnswerRunInvitation {
                addressee: f.addressee,
            })
        }))
    }

    /// The one refusal of an invitation that cannot be answered, whatever the reason.
    pub fn invalid() -> AppError {
        AppError::refused(Msg::CourseInvitationInvalid)
    }

    /// Mails the invitation in the recipient's language, after the answer (a spawned task),
    /// so an address with an account does not make the staff's answer slower than one
    /// without.
    pub fn tell_invited(p: &Platform, to: Account, r: &RunRow, inviter: i64, secret: String) {
        use crate::i18n::{Lang, fill};
        let lang = Lang::from_code(&to.locale).unwrap_or_default();
        let link = format!("{}/learn/invitations/{secret}", p.public_url);
        let (course, run) = (r.course_title.clone(), r.title.clone());
        let p = p.clone();
        tokio::spawn(async move {
            let inviter = match crate::courses::invitations::db::inviter_name(&p.db, inviter).await {
                Ok(name) => name,
                Err(e) => {
                    tracing::error!(error = %e, "could not send the run invitation");
                    return;
                }
            };
            let days = super::super::model::LIFETIME_DAYS.to_string();
            let mail = crate::platform::mail::Email {
                to: to.email,
                subject: fill(lang.t(Msg::MailRunInviteSubject), &[("course", &course)]),
                body: fill(
                    lang.t(Msg::MailRunInviteBody),
                    &[
                        ("name", &to.first_name),
                        ("inviter", &inviter),
                        ("course", &course),
                        ("run", &run),
                        ("days", &days),
                        ("link", &link),
                    ],
                ),
            };
            if let Err(e) = p.mailer.send(&mail, p.clock.now_ms()).await {
                tracing::error!(error = %e, "could not send the run invitation");
            }
        });
    }
}

/// Staff invite someone by e-mail address. The answer is the same whether or not the
/// address belongs to an account (staff learn nothing about who has one): the invitation
/// is recorded for every valid address and listed to the staff as "invited"; the link is
/// mailed only to an active account with that confirmed address (not already a learner of
/// the run). Limited to 60 addresses an hour per staff member.
#[server(prefix = "/api", endpoint = "courses/staff-invite")]
pub async fn staff_invite(slug: String, run: i64, email: String) -> Result<String, AppError> {
    use crate::check::{email_is_valid, normalise_email};
    use crate::courses::staff::api::server::signed_in_run;
    use crate::i18n::Msg;
    use crate::platform::rate_limit::Rule;
    let cx = crate::auth::Cx::get().await?;
    let (sr, me) = signed_in_run(&cx, &slug, run, true).await?;
    let p = &cx.p;
    let email = normalise_email(&email);
    if email.is_empty() {
        return Err(AppError::field("email", Msg::FieldRequired));
    }
    if !email_is_valid(&email) {
        return Err(AppError::field("email", Msg::FieldEmailInvalid));
    }
    if sr.run.status != "published" || sr.run.course_status != "published" {
        return Err(AppError::refused(Msg::CourseStaffRunNotPublished));
    }
    // Every address counts, known or not: a slower pace for anyone trying addresses.
    p.limits
        .hit(
            &format!("staff-enrol:{me}"),
            Rule::per_minutes(60, 60),
            p.clock.now_ms(),
        )
        .await?;
    let secret = super::db::invite(p, &sr.run, me, &email).await?;
    // Looked up for every address, so that known and unknown ones cost the same.
    let to = super::db::recipient(&p.db, sr.run.id, &email).await?;
    if let (Some(secret), Some(to)) = (secret, to) {
        server::tell_invited(p, to, &sr.run, me, secret);
    }
    Ok(crate::ui::form::finish(&format!(
        "/courses/{slug}/runs/{run}/progress?status=invited"
    )))
}

/// Staff withdraw an invitation of the run (waiting or declined); its link stops working.
#[server(prefix = "/api", endpoint = "courses/staff-withdraw-invitation")]
pub async fn staff_withdraw_invitation(slug: String, run: i64, invitation: i64) -> Result<String, AppError> {
    use crate::courses::staff::api::server::signed_in_run;
    let cx = crate::auth::Cx::get().await?;
    let (sr, me) = signed_in_run(&cx, &slug, run, true).await?;
    let p = &cx.p;
    if !super::db::withdraw(p, sr.run.id, invitation, me).await? {
        return Err(AppError::NotFound);
    }
    Ok(crate::ui::form::finish(&format!(
        "/courses/{slug}/runs/{run}/progress?status=invitation-withdrawn"
    )))
}

/// `/learn/invitations/{secret}`: the course and run an invitation is for, shown only to
/// the signed-in account it was sent to. `None` for everyone and everything else (an
/// unknown, answered, withdrawn or expired link, another account): one neutral answer.
#[server(prefix = "/api", endpoint = "courses/invitation")]
pub async fn get_run_invitation(secret: String) -> Result<Option<InvitationView>, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let user = cx.signed_in()?;
    Ok(server::answerable(&cx, user, &secret).await?.map(|f| f.view))
}

/// The invited person answers: `accept` enrols them in the run at once (the link is used
/// up), `decline` closes the invitation. Any link they may not answer gets one refusal.
#[server(prefix = "/api", endpoint = "courses/invitation-answer")]
pub async fn answer_run_invitation(secret: String, answer: String) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let user = cx.signed_in()?;
    let p = &cx.p;
    let found = server::answerable(&cx, user, &secret)
        .await?
        .ok_or_else(server::invalid)?;
    let r = &found.run;
    let done = match answer.as_str() {
        "accept" => super::db::accept(p, r, &secret, user).await?,
        "decline" => super::db::decline(p, r, &secret, user).await?,
        _ => false,
    };
    if !done {
        return Err(server::invalid());
    }
    Ok(crate::ui::form::finish(&if answer == "accept" {
        format!("/learn/{}?status=enrolled", r.id)
    } else {
        format!("/courses/{}?status=invitation-declined", r.course_slug)
    }))
}
