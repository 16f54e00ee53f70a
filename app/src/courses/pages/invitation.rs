//! `/learn/invitations/{secret}` (S4): the person the course staff invited sees the course
//! and the run and accepts (then they are a learner) or declines. Only the signed-in
//! account the invitation was sent to sees it; for everyone else, and for an unknown,
//! answered, withdrawn or expired link, the page says the same neutral thing. Anonymous
//! visitors are sent to sign in and come back.
use super::param;
use crate::courses::invitations::api::{AnswerRunInvitation, get_run_invitation};
use crate::courses::invitations::model::InvitationView;
use crate::i18n::{Msg, fill, t};
use crate::ui::errors::signed_in_or_redirect;
use crate::ui::form::{FollowSuccess, FormAlert, last_error};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn RunInvitationPage() -> impl IntoView {
    let secret = param("secret");
    let data = Resource::new(secret, get_run_invitation);
    view! {
        <section class="wrap page narrow">
            <Suspense>
                {move || Suspend::new(async move {
                    signed_in_or_redirect(data.await, move |found| match found {
                        Some(i) => view! { <Answer i secret=secret() /> }.into_any(),
                        None => view! {
                            <Title text=t(Msg::CourseInvitationTitle) />
                            <h1>{t(Msg::CourseInvitationTitle)}</h1>
                            <p class="form-note" role="alert">{t(Msg::CourseInvitationInvalid)}</p>
                        }
                        .into_any(),
                    })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Answer(i: InvitationView, secret: String) -> impl IntoView {
    let answer = ServerAction::<AnswerRunInvitation>::new();
    let error = last_error(answer.value());
    let form = move |value: &'static str, note: Msg, label: Msg, class: &'static str| {
        let secret = secret.clone();
        view! {
            <p>{t(note)}</p>
            <ActionForm action=answer attr:class="form">
                <input type="hidden" name="secret" value=secret />
                <input type="hidden" name="answer" value=value />
                <button type="submit" class=class>{t(label)}</button>
            </ActionForm>
        }
    };
    view! {
        <Title text=fill(t(Msg::CourseInvitationPageTitle), &[("course", &i.course_title)]) />
        <h1>{t(Msg::CourseInvitationTitle)}</h1>
        <p class="lead">{t(Msg::CourseInvitationLead)}</p>
        <h2><a href=format!("/courses/{}", i.course_slug)>{i.course_title.clone()}</a></h2>
        <dl class="stat-list">
            <div><dt>{t(Msg::CourseInvitationRun)}</dt><dd>{i.run_title.clone()}</dd></div>
            <div><dt>{t(Msg::CourseInvitationOrganisation)}</dt><dd>{i.organisation.clone()}</dd></div>
        </dl>
        <FormAlert error />
        {form("accept", Msg::CourseInvitationAcceptNote, Msg::CourseInvitationAccept, "button primary")}
        {form("decline", Msg::CourseInvitationDeclineNote, Msg::CourseInvitationDecline, "button secondary")}
        <FollowSuccess value=answer.value() />
    }
}
