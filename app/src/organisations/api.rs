//! Server functions of the organisation pages (S2, S16, T1, T8). Each decides access through
//! the permission module; a refusal answers "not found".
use super::model::{InvitationPage, OrganisationAdmin, OrganisationCard, OrganisationForm, OrganisationPage};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod server {
    use crate::auth::{Action, Cx};
    use crate::error::AppError;
    use crate::i18n::Msg;
    use crate::organisations::db::{self, OrgError, OrgRow};
    use crate::platform::{AuditEntry, Platform};

    impl From<OrgError> for AppError {
        fn from(e: OrgError) -> Self {
            match e {
                OrgError::Invalid(list) => AppError::Invalid(list),
                OrgError::PicTaken => AppError::field("pic", Msg::OrgPicTaken),
                OrgError::LastAdmin => AppError::refused(Msg::OrgLastAdmin),
                OrgError::NotFound => AppError::NotFound,
                OrgError::Db(e) => e.into(),
            }
        }
    }

    /// The organisation, if it exists.
    pub async fn find(p: &Platform, slug: &str) -> Result<OrgRow, AppError> {
        db::by_slug(&p.db, slug).await?.ok_or(AppError::NotFound)
    }

    /// Someone allowed to edit an organisation, and the organisation.
    pub struct Editor {
        pub org: OrgRow,
        pub user: i64,
        /// A platform admin who is not one of the organisation's admins: what they change
        /// there is audited.
        pub outsider: bool,
    }

    impl Editor {
        /// The audit record of a change, when the editor is an outsider.
        pub fn audit_entry(
            &self,
            p: &Platform,
            action: &'static str,
            detail: String,
        ) -> Option<AuditEntry<'static>> {
            self.outsider.then(|| AuditEntry {
                at: p.clock.now_ms(),
                actor: Some(self.user),
                action,
                subject: format!("organisation:{}", self.org.id),
                detail,
            })
        }

        /// Records a change that already happened (see [`Editor::audit_entry`]).
        pub async fn audit(
            &self,
            p: &Platform,
            action: &'static str,
            detail: String,
        ) -> Result<(), AppError> {
            if let Some(entry) = self.audit_entry(p, action, detail) {
                crate::platform::audit(&p.db.pool, &entry).await?;
            }
            Ok(())
        }
    }

    /// The organisation, if the signed-in actor may edit it.
    pub async fn editable(cx: &Cx, slug: &str) -> Result<Editor, AppError> {
        let user = cx.signed_in()?;
        let org = find(&cx.p, slug).await?;
        cx.require(&Action::EditOrganisation { org: org.id })?;
        let outsider = !cx.actor.admins_org(org.id);
        Ok(Editor { org, user, outsider })
    }
}

/// Organisations are public (S16).
#[server(prefix = "/api", endpoint = "organisations/list")]
pub async fn list_organisations(limit: i64, offset: i64) -> Result<Vec<OrganisationCard>, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    cx.require(&Action::ViewPublic)?;
    Ok(super::db::organisations(&cx.p.db, limit.clamp(1, 100), offset.max(0)).await?)
}

/// The public page (S16): anyone; the school fields only for platform admins and
/// validators of the organisation's country (T8); members without e-mail addresses.
#[server(prefix = "/api", endpoint = "organisations/page")]
pub async fn get_organisation(slug: String) -> Result<OrganisationPage, AppError> {
    use super::model::Viewer;
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    cx.require(&Action::ViewPublic)?;
    let p = &cx.p;
    let org = server::find(p, &slug).await?;
    let private_allowed = cx.allows(&Action::ViewOrgPrivate {
        org: org.id,
        country: org.form.country.clone(),
    });
    let private = private_allowed.then(|| org.private());
    let members = super::db::members(&p.db, org.id).await?;
    let membership = match cx.actor.user {
        Some(user) => super::db::membership(&p.db, org.id, user).await?,
        None => String::new(),
    };
    let viewer = Viewer {
        signed_in: cx.actor.is_signed_in(),
        membership,
        can_edit: cx.allows(&Action::EditOrganisation { org: org.id }),
        can_publish: cx.allows(&Action::PublishForOrganisation { org: org.id }),
        can_create_course: cx.allows(&Action::CreateCourse { org: org.id }),
    };
    let with_unpublished = cx.allows(&Action::ViewUnpublishedListing { org: org.id });
    let listings =
        crate::catalogue::db::for_organisation(&p.db, org.id, with_unpublished, &p.clock.today()).await?;
    let f = org.form;
    let mut page = OrganisationPage {
        slug: org.slug,
        name: f.name,
        org_type: f.org_type,
        address: f.address,
        city: f.city,
        postcode: f.postcode,
        country: f.country,
        region: f.region,
        description: f.description,
        website: f.website,
        facebook_url: f.facebook_url,
        linkedin_url: f.linkedin_url,
        private,
        members,
        listings,
        viewer,
        rating: crate::reviews::db::rating(crate::reviews::db::organisation_rating(&p.db, org.id).await?),
        json_ld: String::new(),
    };
    page.json_ld = super::model::json_ld(&page, &p.public_url);
    Ok(page)
}

/// Whether the visitor may create an organisation (the page asks, to send anonymous
/// visitors to sign in).
#[server(prefix = "/api", endpoint = "organisations/may-create")]
pub async fn may_create_organisation() -> Result<(), AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    cx.require_signed_in(&Action::CreateOrganisation)?;
    Ok(())
}

/// Creates an organisation (S2); the creator becomes its admin and contact person.
#[server(prefix = "/api", endpoint = "organisations/create")]
pub async fn create_organisation(form: OrganisationForm) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let user = cx.require_signed_in(&Action::CreateOrganisation)?;
    let p = &cx.p;
    let slug = super::db::create(p, user, &form).await?;
    Ok(crate::ui::form::finish(&format!(
        "/organisations/{slug}?status=created"
    )))
}

/// The edit page's data: only for the organisation's admins and platform admins.
#[server(prefix = "/api", endpoint = "organisations/admin")]
pub async fn organisation_for_edit(slug: String) -> Result<OrganisationAdmin, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let server::Editor {
        org, user: viewer, ..
    } = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    let members = super::db::members(&p.db, org.id).await?;
    let requests = super::db::requests(&p.db, org.id).await?;
    let invitations = super::db::invitations(p, org.id).await?;
    Ok(OrganisationAdmin {
        slug: org.slug,
        form: org.form,
        members,
        requests,
        invitations,
        viewer,
    })
}

#[server(prefix = "/api", endpoint = "organisations/update")]
pub async fn update_organisation(slug: String, form: OrganisationForm) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let editor = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    let audit = editor.audit_entry(p, "edit_organisation", String::new());
    super::db::update(p, editor.org.id, &form, audit.as_ref()).await?;
    Ok(crate::ui::form::finish(&format!(
        "/organisations/{}/edit?status=saved",
        editor.org.slug
    )))
}

/// Asks to join (S2); the organisation's admins answer on the edit page.
#[server(prefix = "/api", endpoint = "organisations/join")]
pub async fn ask_to_join(slug: String) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let user = cx.require_signed_in(&Action::AskToJoinOrganisation)?;
    let p = &cx.p;
    let org = server::find(p, &slug).await?;
    super::db::request_to_join(p, org.id, user).await?;
    Ok(crate::ui::form::finish(&format!(
        "/organisations/{}?status=requested",
        org.slug
    )))
}

/// Approves (`decision` = `approve`) or declines a join request.
#[server(prefix = "/api", endpoint = "organisations/answer")]
pub async fn answer_join_request(slug: String, user: i64, decision: String) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let editor = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    let org = &editor.org;
    let approve = decision == "approve";
    super::db::answer_request(p, org.id, user, approve).await?;
    let status = if approve { "approved" } else { "declined" };
    editor
        .audit(p, "answer_join_request", format!("user:{user} {status}"))
        .await?;
    Ok(crate::ui::form::finish(&format!(
        "/organisations/{}/edit?status={status}",
        org.slug
    )))
}

/// Makes a member admin (`role` = `admin`) or an ordinary member again; the last admin
/// stays.
#[server(prefix = "/api", endpoint = "organisations/role")]
pub async fn set_member_role(slug: String, user: i64, role: String) -> Result<String, AppError> {
    use crate::error::FieldError;
    let cx = crate::auth::Cx::get().await?;
    let editor = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    let org = &editor.org;
    if role != "admin" && role != "member" {
        return Err(AppError::Invalid(vec![FieldError::new(
            "role",
            crate::i18n::Msg::FieldInvalidChoice,
        )]));
    }
    super::db::change_member(p, org.id, user, Some(&role)).await?;
    editor
        .audit(p, "set_member_role", format!("user:{user} {role}"))
        .await?;
    Ok(crate::ui::form::finish(&format!(
        "/organisations/{}/edit?status=saved",
        org.slug
    )))
}

/// Leaves an organisation (S2). The last admin cannot leave.
#[server(prefix = "/api", endpoint = "organisations/leave")]
pub async fn leave_organisation(slug: String) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let user = cx.signed_in()?;
    let p = &cx.p;
    let org = server::find(p, &slug).await?;
    cx.require(&Action::LeaveOrganisation { org: org.id })?;
    super::db::change_member(p, org.id, user, None).await?;
    Ok(crate::ui::form::finish(&format!(
        "/organisations/{}?status=left",
        org.slug
    )))
}

/// Removes another member (S2); admins leave through the public page instead. The last
/// admin stays.
#[server(prefix = "/api", endpoint = "organisations/remove")]
pub async fn remove_member(slug: String, user: i64) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let editor = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    let org = &editor.org;
    if user == editor.user {
        return Err(AppError::NotFound);
    }
    super::db::change_member(p, org.id, user, None).await?;
    editor.audit(p, "remove_member", format!("user:{user}")).await?;
    Ok(crate::ui::form::finish(&format!(
        "/organisations/{}/edit?status=removed",
        org.slug
    )))
}

/// Invites someone by e-mail (S2): a single-use link, valid for seven days, mailed in the
/// admin's language. Whoever accepts it becomes a member.
#[server(prefix = "/api", endpoint = "organisations/invite")]
pub async fn invite_member(slug: String, email: String) -> Result<String, AppError> {
    use crate::check::{email_is_valid, normalise_email};
    use crate::i18n::{Msg, current_lang, fill};
    let cx = crate::auth::Cx::get().await?;
    let editor = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    let (org, me) = (&editor.org, editor.user);
    let email = normalise_email(&email);
    if email.is_empty() {
        return Err(AppError::field("email", Msg::FieldRequired));
    }
    if !email_is_valid(&email) {
        return Err(AppError::field("email", Msg::FieldEmailInvalid));
    }
    let secret = super::db::invite(p, org.id, me, &email).await?;
    let inviter = super::db::user_name(&p.db, me).await?;
    let lang = current_lang();
    let link = format!("{}/organisations/invitations/{secret}", p.public_url);
    let mail = crate::platform::mail::Email {
        to: email,
        subject: fill(lang.t(Msg::MailOrgInviteSubject), &[("org", &org.form.name)]),
        body: fill(
            lang.t(Msg::MailOrgInviteBody),
            &[("inviter", &inviter), ("org", &org.form.name), ("link", &link)],
        ),
    };
    if let Err(e) = p.mailer.send(&mail, p.clock.now_ms()).await {
        // Not listed as pending when it never went out; the admin may try again.
        tracing::error!(error = %e, "could not send mail");
        let id = crate::auth::sessions::hash_secret(&secret);
        let _ = super::db::withdraw_invitation(&p.db, org.id, &id).await;
        return Err(AppError::Internal);
    }
    // The address stays out of the audit log (it is personal data of a non-user).
    editor.audit(p, "invite_member", String::new()).await?;
    Ok(crate::ui::form::finish(&format!(
        "/organisations/{}/edit?status=invited",
        org.slug
    )))
}

/// Withdraws a pending invitation.
#[server(prefix = "/api", endpoint = "organisations/withdraw")]
pub async fn withdraw_invitation(slug: String, id: String) -> Result<String, AppError> {
    let cx = crate::auth::Cx::get().await?;
    let editor = server::editable(&cx, &slug).await?;
    let p = &cx.p;
    let org = &editor.org;
    super::db::withdraw_invitation(&p.db, org.id, &id).await?;
    editor.audit(p, "withdraw_invitation", String::new()).await?;
    Ok(crate::ui::form::finish(&format!(
        "/organisations/{}/edit?status=withdrawn",
        org.slug
    )))
}

/// What an invitation link leads to: `None` when it is unknown, used or expired. Only for
/// signed-in users (the page sends others to sign in first).
#[server(prefix = "/api", endpoint = "organisations/invitation")]
pub async fn get_invitation(secret: String) -> Result<Option<InvitationPage>, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    cx.require_signed_in(&Action::AcceptOrganisationInvitation)?;
    let p = &cx.p;
    Ok(super::db::invitation(p, &secret).await?)
}

/// Accepts an invitation: the signed-in user becomes a member (the link is the proof) and
/// the link is used up.
#[server(prefix = "/api", endpoint = "organisations/accept")]
pub async fn accept_invitation(secret: String) -> Result<String, AppError> {
    use crate::auth::{Action, Cx};
    let cx = Cx::get().await?;
    let user = cx.require_signed_in(&Action::AcceptOrganisationInvitation)?;
    let p = &cx.p;
    let slug = super::db::accept_invitation(p, &secret, user)
        .await?
        .ok_or(AppError::refused(crate::i18n::Msg::OrgInvitationInvalid))?;
    Ok(crate::ui::form::finish(&format!(
        "/organisations/{slug}?status=joined"
    )))
}
