//! Organisation pages: the public list and page (S16), creating and editing (S2, T1), and
//! membership (S2).
use super::api::{
    AcceptInvitation, AnswerJoinRequest, AskToJoin, CreateOrganisation, InviteMember, LeaveOrganisation,
    RemoveMember, SetMemberRole, UpdateOrganisation, WithdrawInvitation, get_invitation, get_organisation,
    list_organisations, may_create_organisation, organisation_for_edit,
};
use super::model::{
    ORG_TYPES, OrganisationAdmin, OrganisationForm, OrganisationMember, OrganisationPage, org_type_name,
};
use crate::error::AppError;
use crate::i18n::{Msg, current_lang, t};
use crate::taxonomy::{COUNTRIES, country_name, sorted_options};
use crate::ui::errors::or_error_page;
use crate::ui::errors::signed_in_or_redirect;
use crate::ui::form::StatusNote;
use crate::ui::form::{Field, FollowSuccess, FormAlert, Select, TextArea, last_error};
use crate::ui::redirect::encode_path;
use crate::ui::slug_param;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

const STATUS_NOTES: &[(&str, Msg)] = &[
    ("created", Msg::OrgStatusCreated),
    ("requested", Msg::OrgStatusRequested),
    ("left", Msg::OrgStatusLeft),
    ("saved", Msg::OrgStatusSaved),
    ("approved", Msg::OrgStatusApproved),
    ("declined", Msg::OrgStatusDeclined),
    ("removed", Msg::OrgStatusRemoved),
    ("invited", Msg::OrgStatusInvited),
    ("withdrawn", Msg::OrgStatusWithdrawn),
    ("joined", Msg::OrgStatusJoined),
];

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let orgs = Resource::new(|| (), |_| list_organisations(100, 0));
    view! {
        <Title text=t(Msg::OrgsTitle) />
        <section class="wrap page">
            <h1>{t(Msg::OrgsTitle)}</h1>
            <p class="lead">{t(Msg::OrgsLead)}</p>
            <p><a href="/organisations/new" class="button">{t(Msg::OrgNewLink)}</a></p>
            <Suspense>
                {move || Suspend::new(async move {
                    or_error_page(orgs.await, |list| {
                        if list.is_empty() {
                            return view! { <p class="empty">{t(Msg::OrgsEmpty)}</p> }.into_any();
                        }
                        view! {
                            <ul class="card-grid">
                                {list
                                    .into_iter()
                                    .map(|o| {
                                        let href = format!("/organisations/{}", o.slug);
                                        view! {
                                            <li>
                                                <article class="card">
                                                    <h2 class="card-title"><a href=href>{o.name}</a></h2>
                                                    <p class="muted">{o.city} ", " {country_name(current_lang(), &o.country)}</p>
                                                    <p>{o.course_count} " " {t(if o.course_count == 1 { Msg::OrgsCourseOne } else { Msg::OrgsCourseMany })}</p>
                                                </article>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                        .into_any()
                    })
                })}
            </Suspense>
        </section>
    }
}

/// `/organisations/{slug}`: public (S16).
#[component]
pub fn OrganisationPage() -> impl IntoView {
    let slug = slug_param();
    let data = Resource::new(slug, get_organisation);
    let query = use_query_map();
    let status = Signal::derive(move || query.read().get("status"));
    view! {
        <section class="wrap page">
            <StatusNote status notes=STATUS_NOTES />
            <Suspense>
                {move || Suspend::new(async move { or_error_page(data.await, |o| view! { <OrganisationView o /> }) })}
            </Suspense>
            // S16: the rating and reviews of the organisation's courses; created outside the
            // page's `Suspend` so that hydration finds its resource in the same order.
            <crate::reviews::pages::OrganisationReviews org_slug=slug() />
        </section>
    }
}

fn link_row(label: Msg, url: String) -> Option<impl IntoView> {
    (!url.is_empty()).then(|| {
        view! {
            <dt>{t(label)}</dt>
            <dd><a href=url.clone() rel="nofollow ugc noopener">{url.clone()}</a></dd>
        }
    })
}

#[component]
fn OrganisationView(o: OrganisationPage) -> impl IntoView {
    let lang = current_lang();
    let place = [
        o.address.clone(),
        format!("{} {}", o.postcode, o.city),
        o.region.clone(),
        country_name(lang, &o.country),
    ]
    .into_iter()
    .filter(|s| !s.trim().is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    let private = o.private.clone().map(|p| {
        view! {
            <section aria-labelledby="school-heading" class="org-private">
                <h2 id="school-heading">{t(Msg::OrgSchoolFields)}</h2>
                <p class="hint">{t(Msg::OrgSchoolFieldsHint)}</p>
                <dl class="profile-facts">
                    <dt>{t(Msg::OrgFieldOfficialEmail)}</dt>
                    <dd>{p.official_email}</dd>
                    <dt>{t(Msg::OrgFieldHeadName)}</dt>
                    <dd>{p.head_name}</dd>
                    <dt>{t(Msg::OrgFieldHeadEmail)}</dt>
                    <dd>{p.head_email}</dd>
                </dl>
            </section>
        }
    });
    view! {
        <Title text=o.name.clone() />
        // Data for search engines, not run (type application/ld+json); `json_ld` escapes
        // `<`, `>` and `&`, so user text cannot end the element.
        <script type="application/ld+json" inner_html=o.json_ld.clone()></script>
        <article class="organisation">
            <h1>{o.name.clone()}</h1>
            <p class="muted">{org_type_name(lang, &o.org_type)} " · " {o.city.clone()} ", " {country_name(lang, &o.country)}</p>
            <Membership slug=o.slug.clone() viewer=o.viewer.clone() />
            <dl class="profile-facts">
                <dt>{t(Msg::OrgFieldAddress)}</dt>
                <dd>{place}</dd>
                {link_row(Msg::OrgFieldWebsite, o.website.clone())}
                {link_row(Msg::OrgFieldFacebook, o.facebook_url.clone())}
                {link_row(Msg::OrgFieldLinkedin, o.linkedin_url.clone())}
            </dl>
            {(!o.description.is_empty()).then(|| view! { <p class="profile-description">{o.description.clone()}</p> })}
            {private}
            <OrganisationListings
                slug=o.slug.clone()
                listings=o.listings.clone()
                can_publish=o.viewer.can_publish
                can_create_course=o.viewer.can_create_course
            />
            <section aria-labelledby="members-heading">
                <h2 id="members-heading">{t(Msg::OrgMembers)}</h2>
                <MemberList members=o.members.clone() />
            </section>
        </article>
    }
}

/// The organisation's catalogue listings (S16) by kind; for its members also a link to
/// publish and their listings that are not public.
#[component]
fn OrganisationListings(
    slug: String,
    listings: Vec<crate::catalogue::model::ListingCard>,
    can_publish: bool,
    can_create_course: bool,
) -> impl IntoView {
    use crate::catalogue::model::KINDS;
    use crate::catalogue::pages::{CardList, label};
    let lang = current_lang();
    let (public, hidden): (Vec<_>, Vec<_>) = listings
        .into_iter()
        .partition(|c| c.status == "published" && !c.expired);
    let groups = KINDS
        .iter()
        .filter_map(|k| {
            let cards: Vec<_> = public.iter().filter(|c| c.kind == *k).cloned().collect();
            (!cards.is_empty()).then(|| {
                view! {
                    <h3>{label(lang, "catalogue.kinds", k)}</h3>
                    <CardList cards heading_level=4 />
                }
            })
        })
        .collect_view();
    view! {
        <section aria-labelledby="listings-heading" class="org-listings">
            <h2 id="listings-heading">{t(Msg::CatalogueOrgHeading)}</h2>
            {(can_publish || can_create_course).then(|| view! {
                <p class="actions">
                    {can_create_course.then(|| view! {
                        <a class="button" href=format!("/organisations/{slug}/courses/new")>{t(Msg::CoursesCreateOnAgora)}</a>
                    })}
                    " "
                    {can_publish.then(|| view! {
                        <a class="button" href=format!("/organisations/{slug}/listings/new")>{t(Msg::CatalogueOrgNew)}</a>
                    })}
                </p>
            })}
            {public.is_empty().then(|| view! { <p class="empty">{t(Msg::CatalogueOrgNone)}</p> })}
            {groups}
            {(!hidden.is_empty()).then(|| view! {
                <h3>{t(Msg::CatalogueOrgUnpublished)}</h3>
                <CardList cards=hidden heading_level=4 />
            })}
        </section>
    }
}

/// The viewer's part: ask to join, pending, leave, edit.
#[component]
fn Membership(slug: String, viewer: super::model::Viewer) -> impl IntoView {
    let join = ServerAction::<AskToJoin>::new();
    let leave = ServerAction::<LeaveOrganisation>::new();
    let join_error = last_error(join.value());
    let leave_error = last_error(leave.value());
    let error = move || leave_error().or_else(join_error);
    let edit = viewer
        .can_edit
        .then(|| view! { <p><a class="button" href=format!("/organisations/{slug}/edit")>{t(Msg::OrgEditLink)}</a></p> });
    let body = if !viewer.signed_in {
        let next = format!("/sign-in?next={}", encode_path(&format!("/organisations/{slug}")));
        view! { <p><a href=next>{t(Msg::OrgSignInToJoin)}</a></p> }.into_any()
    } else {
        match viewer.membership.as_str() {
            "" => view! {
                <ActionForm action=join attr:class="inline-form">
                    <input type="hidden" name="slug" value=slug.clone() />
                    <button type="submit" class="button primary">{t(Msg::OrgJoin)}</button>
                </ActionForm>
            }
            .into_any(),
            "pending" => view! { <p class="form-note">{t(Msg::OrgJoinPending)}</p> }.into_any(),
            role => view! {
                <p>{t(if role == "admin" { Msg::OrgYouAreAdmin } else { Msg::OrgYouAreMember })}</p>
                <ActionForm action=leave attr:class="inline-form">
                    <input type="hidden" name="slug" value=slug.clone() />
                    <button type="submit" class="button secondary small">{t(Msg::OrgLeave)}</button>
                </ActionForm>
            }
            .into_any(),
        }
    };
    view! {
        <div class="org-membership">
            <FormAlert error />
            {body}
            {edit}
        </div>
        <FollowSuccess value=join.value() />
        <FollowSuccess value=leave.value() />
    }
}

fn member_name(m: &OrganisationMember) -> String {
    format!("{} {}", m.first_name, m.last_name)
}

#[component]
fn MemberList(members: Vec<OrganisationMember>) -> impl IntoView {
    let lang = current_lang();
    if members.is_empty() {
        return view! { <p class="empty">{t(Msg::OrgNoMembers)}</p> }.into_any();
    }
    view! {
        <ul class="member-list">
            {members
                .into_iter()
                .map(|m| {
                    let name = member_name(&m);
                    view! {
                        <li>
                            <crate::photos::avatar::UserAvatar
                                user_id=m.user_id
                                name=name.clone()
                                has_photo=m.photo_version.is_some()
                                version=m.photo_version.unwrap_or(0)
                                decorative=true
                            />
                            <a href=format!("/people/{}", m.user_id)>{name}</a>
                            {(m.role == "admin").then(|| view! { <span class="badge">{t(Msg::OrgAdminBadge)}</span> })}
                            <span class="muted">" · " {country_name(lang, &m.country)}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// The fields of the create and edit forms.
#[component]
fn OrganisationFields(
    f: OrganisationForm,
    error: impl Fn() -> Option<AppError> + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let lang = current_lang();
    let types: Vec<_> = ORG_TYPES.iter().map(|c| (*c, org_type_name(lang, c))).collect();
    view! {
        <Field name="form[name]" field="name" label=Msg::OrgFieldName value=f.name required=true maxlength=200 error />
        <Select name="form[org_type]" field="org_type" label=Msg::OrgFieldType options=types selected=f.org_type required=true error />
        <Field name="form[address]" field="address" label=Msg::OrgFieldAddress value=f.address required=true maxlength=300 error />
        <Field name="form[postcode]" field="postcode" label=Msg::OrgFieldPostcode value=f.postcode required=true maxlength=20 error />
        <Field name="form[city]" field="city" label=Msg::OrgFieldCity value=f.city required=true maxlength=100 error />
        <Field name="form[region]" field="region" label=Msg::OrgFieldRegion value=f.region maxlength=100 error />
        <Select
            name="form[country]"
            field="country"
            label=Msg::FieldCountry
            options=sorted_options(lang, COUNTRIES, country_name)
            selected=f.country
            required=true
            error
        />
        <Field name="form[pic]" field="pic" label=Msg::OrgFieldPic hint=Msg::OrgFieldPicHint value=f.pic required=true maxlength=9 error />
        <TextArea name="form[description]" field="description" label=Msg::OrgFieldDescription value=f.description error />
        <Field name="form[website]" field="website" label=Msg::OrgFieldWebsite kind="url" value=f.website error />
        <Field name="form[facebook_url]" field="facebook_url" label=Msg::OrgFieldFacebook kind="url" value=f.facebook_url error />
        <Field name="form[linkedin_url]" field="linkedin_url" label=Msg::OrgFieldLinkedin kind="url" value=f.linkedin_url error />
        <fieldset class="field-group">
            <legend>{t(Msg::OrgSchoolFields)}</legend>
            <p class="hint">{t(Msg::OrgSchoolFieldsHint)}</p>
            <Field name="form[official_email]" field="official_email" label=Msg::OrgFieldOfficialEmail kind="email" value=f.official_email error />
            <Field name="form[head_name]" field="head_name" label=Msg::OrgFieldHeadName value=f.head_name maxlength=200 error />
            <Field name="form[head_email]" field="head_email" label=Msg::OrgFieldHeadEmail kind="email" value=f.head_email error />
        </fieldset>
    }
}

/// `/organisations/new`: signed-in users (S2).
#[component]
pub fn NewOrganisationPage() -> impl IntoView {
    let allowed = Resource::new(|| (), |_| may_create_organisation());
    view! {
        <Title text=t(Msg::OrgNewTitle) />
        <section class="wrap page narrow">
            <h1>{t(Msg::OrgNewTitle)}</h1>
            <p class="lead">{t(Msg::OrgNewLead)}</p>
            <Suspense>
                {move || Suspend::new(async move { signed_in_or_redirect(allowed.await, |_| view! { <NewOrganisationForm /> }) })}
            </Suspense>
        </section>
    }
}

#[component]
fn NewOrganisationForm() -> impl IntoView {
    let action = ServerAction::<CreateOrganisation>::new();
    let error = last_error(action.value());
    view! {
        <FormAlert error />
        <ActionForm action attr:class="form">
            <OrganisationFields f=OrganisationForm::default() error />
            <button type="submit" class="button primary">{t(Msg::OrgCreate)}</button>
        </ActionForm>
        <FollowSuccess value=action.value() />
    }
}

/// `/organisations/{slug}/edit`: the organisation's admins and platform admins; also
/// where join requests are answered and members made admin.
#[component]
pub fn EditOrganisationPage() -> impl IntoView {
    let slug = slug_param();
    let data = Resource::new(slug, organisation_for_edit);
    let query = use_query_map();
    let status = Signal::derive(move || query.read().get("status"));
    view! {
        <Title text=t(Msg::OrgEditTitle) />
        <section class="wrap page narrow">
            <h1>{t(Msg::OrgEditTitle)}</h1>
            <StatusNote status notes=STATUS_NOTES />
            <Suspense>
                {move || Suspend::new(async move { signed_in_or_redirect(data.await, |a| view! { <EditOrganisation a /> }) })}
            </Suspense>
        </section>
    }
}

#[component]
fn EditOrganisation(a: OrganisationAdmin) -> impl IntoView {
    let lang = current_lang();
    let update = ServerAction::<UpdateOrganisation>::new();
    let answer = ServerAction::<AnswerJoinRequest>::new();
    let role = ServerAction::<SetMemberRole>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let invite = ServerAction::<InviteMember>::new();
    let withdraw = ServerAction::<WithdrawInvitation>::new();
    let error = last_error(update.value());
    let answer_error = last_error(answer.value());
    let role_error = last_error(role.value());
    let remove_error = last_error(remove.value());
    let invite_error = last_error(invite.value());
    let withdraw_error = last_error(withdraw.value());
    let members_error = move || role_error().or_else(answer_error).or_else(remove_error);
    let invite_errors = move || invite_error().or_else(withdraw_error);
    let viewer = a.viewer;
    let slug = a.slug.clone();
    let requests = if a.requests.is_empty() {
        view! { <p class="empty">{t(Msg::OrgNoRequests)}</p> }.into_any()
    } else {
        view! {
            <ul class="member-list">
                {a.requests
                    .iter()
                    .map(|m| {
                        let name = member_name(m);
                        let user = m.user_id.to_string();
                        let slug = slug.clone();
                        view! {
                            <li>
                                <a href=format!("/people/{}", m.user_id)>{name}</a>
                                <span class="muted">" · " {country_name(lang, &m.country)}</span>
                                <ActionForm action=answer attr:class="inline-form">
                                    <input type="hidden" name="slug" value=slug.clone() />
                                    <input type="hidden" name="user" value=user.clone() />
                                    <button type="submit" name="decision" value="approve" class="button primary small">{t(Msg::OrgApprove)}</button>
                                    <button type="submit" name="decision" value="decline" class="button secondary small">{t(Msg::OrgDecline)}</button>
                                </ActionForm>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let members = a
        .members
        .iter()
        .map(|m| {
            let name = member_name(m);
            let user = m.user_id.to_string();
            let slug = slug.clone();
            let (new_role, label) = if m.role == "admin" {
                ("member", Msg::OrgMakeMember)
            } else {
                ("admin", Msg::OrgMakeAdmin)
            };
            let (remove_slug, remove_user) = (slug.clone(), user.clone());
            let remove_form = (m.user_id != viewer).then(move || {
                view! {
                    <ActionForm action=remove attr:class="inline-form">
                        <input type="hidden" name="slug" value=remove_slug />
                        <input type="hidden" name="user" value=remove_user />
                        <button type="submit" class="button secondary small">{t(Msg::OrgRemove)}</button>
                    </ActionForm>
                }
            });
            view! {
                <li>
                    <a href=format!("/people/{}", m.user_id)>{name}</a>
                    {(m.role == "admin").then(|| view! { <span class="badge">{t(Msg::OrgAdminBadge)}</span> })}
                    <ActionForm action=role attr:class="inline-form">
                        <input type="hidden" name="slug" value=slug.clone() />
                        <input type="hidden" name="user" value=user.clone() />
                        <input type="hidden" name="role" value=new_role />
                        <button type="submit" class="button secondary small">{t(label)}</button>
                    </ActionForm>
                    {remove_form}
                </li>
            }
        })
        .collect_view();
    let invitations = if a.invitations.is_empty() {
        view! { <p class="empty">{t(Msg::OrgNoInvitations)}</p> }.into_any()
    } else {
        let items = a
            .invitations
            .iter()
            .cloned()
            .map(|i| {
                        let slug = slug.clone();
                        view! {
                            <li>
                                {i.email}
                                <ActionForm action=withdraw attr:class="inline-form">
                                    <input type="hidden" name="slug" value=slug.clone() />
                                    <input type="hidden" name="id" value=i.id />
                                    <button type="submit" class="button secondary small">{t(Msg::OrgWithdraw)}</button>
                                </ActionForm>
                            </li>
                        }
                    })
            .collect_view();
        view! { <ul class="member-list">{items}</ul> }.into_any()
    };
    let invite_slug = a.slug.clone();
    view! {
        <p><a href=format!("/organisations/{}", a.slug)>{t(Msg::OrgViewLink)}</a></p>
        <p><a href=format!("/organisations/{}/api-tokens", a.slug)>{t(Msg::ApiTokensEditLink)}</a></p>
        <FormAlert error />
        <ActionForm action=update attr:class="form">
            <input type="hidden" name="slug" value=a.slug.clone() />
            <OrganisationFields f=a.form error />
            <button type="submit" class="button primary">{t(Msg::FormSave)}</button>
        </ActionForm>
        <section aria-labelledby="requests-heading">
            <h2 id="requests-heading">{t(Msg::OrgRequests)}</h2>
            <FormAlert error=members_error />
            {requests}
        </section>
        <section aria-labelledby="members-heading">
            <h2 id="members-heading">{t(Msg::OrgMembers)}</h2>
            <ul class="member-list">{members}</ul>
        </section>
        <section aria-labelledby="invite-heading">
            <h2 id="invite-heading">{t(Msg::OrgInviteHeading)}</h2>
            <p class="hint">{t(Msg::OrgInviteHint)}</p>
            <FormAlert error=invite_errors />
            <ActionForm action=invite attr:class="form">
                <input type="hidden" name="slug" value=invite_slug />
                <Field name="email" field="email" label=Msg::OrgInviteEmail kind="email" value=String::new() required=true error=invite_error />
                <button type="submit" class="button primary">{t(Msg::OrgInviteSend)}</button>
            </ActionForm>
            <h3>{t(Msg::OrgInvitations)}</h3>
            {invitations}
        </section>
        <FollowSuccess value=update.value() />
        <FollowSuccess value=remove.value() />
        <FollowSuccess value=invite.value() />
        <FollowSuccess value=withdraw.value() />
        <FollowSuccess value=answer.value() />
        <FollowSuccess value=role.value() />
    }
}

/// `/organisations/invitations/{secret}`: signed-in users (others are sent to sign in and
/// come back); an unknown, used or expired link says so.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let secret = move || params.read().get("secret").unwrap_or_default();
    let data = Resource::new(secret, get_invitation);
    view! {
        <Title text=t(Msg::OrgInvitationTitle) />
        <section class="wrap page narrow">
            <h1>{t(Msg::OrgInvitationTitle)}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    signed_in_or_redirect(data.await, move |found| match found {
                        Some(i) => view! { <AcceptInvitationForm i secret=secret() /> }.into_any(),
                        None => view! { <p class="form-note" role="alert">{t(Msg::OrgInvitationInvalid)}</p> }.into_any(),
                    })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AcceptInvitationForm(i: super::model::InvitationPage, secret: String) -> impl IntoView {
    let accept = ServerAction::<AcceptInvitation>::new();
    let error = last_error(accept.value());
    view! {
        <p class="lead">{t(Msg::OrgInvitationLead)}</p>
        <h2><a href=format!("/organisations/{}", i.slug)>{i.name}</a></h2>
        <p class="muted">{i.city} ", " {country_name(current_lang(), &i.country)}</p>
        <FormAlert error />
        <ActionForm action=accept attr:class="inline-form">
            <input type="hidden" name="secret" value=secret />
            <button type="submit" class="button primary">{t(Msg::OrgAccept)}</button>
        </ActionForm>
        <FollowSuccess value=accept.value() />
    }
}
