//! The one place where "may this actor do this to that" is decided (DESIGN.md, "Who may
//! see what"). Features add variants to [`Action`] and rows to [`decide`]; they never
//! check roles themselves.
//!
//! A refusal is deliberately uninformative: callers answer it exactly like a missing
//! thing, so nobody learns whether a hidden profile, run or file exists.
use super::actor::{Actor, Country, CourseId, OrgId, RunId, StaffKind, UserId};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Public catalogue, course descriptions, organisation pages, articles, reviews (S16, S18).
    ViewPublic,
    /// Registering, signing in, asking for a reset or verification link (S1): anyone.
    UseAccountForms,
    /// The signed-in user's own account: settings, password, e-mail, sessions (S22).
    ManageOwnAccount,
    /// The admin list of users with search and filters.
    ListUsers,
    /// Adding and renaming subject tags (T12): platform admins.
    ManageSubjectTags,
    /// Another user's profile page (S17). `visible` is false for hidden/deactivated
    /// profiles (T7, S14), which nobody but platform admins sees.
    ViewProfile {
        owner: UserId,
        visible: bool,
    },
    /// A user's e-mail address (T8): the user and platform admins only; validators of the
    /// user's country see it to do their job.
    ViewEmail {
        owner: UserId,
        owner_country: Country,
    },
    /// Rectification (S22): a user edits their own profile.
    EditProfile {
        owner: UserId,
    },
    /// Upload, replace or remove a profile photo (S1, S22): only its owner.
    ChangePhoto {
        owner: UserId,
    },
    /// A user's full-size profile photo: part of the profile, so like [`Action::ViewProfile`]
    /// (S17: signed-in users only; T7/S14: hidden profiles for nobody but admins and the owner).
    ViewPhoto {
        owner: UserId,
        visible: bool,
    },
    /// A user's photo thumbnail: public pages show members' thumbnails (S16), so anyone may
    /// see it while the profile is visible; a hidden profile's thumbnail is shown to nobody
    /// but admins and the owner (T7, S14).
    ViewPhotoThumbnail {
        owner: UserId,
        visible: bool,
    },
    /// National validation (T4).
    ValidateUser {
        owner_country: Country,
    },
    /// Grant or remove platform roles.
    ManageRoles,
    /// Organisation private fields: official e-mail, head of school (T1, T8).
    ViewOrgPrivate {
        org: OrgId,
        country: Country,
    },
    /// Editing an organisation's details and managing its members and join requests (S2):
    /// its admins and platform admins.
    EditOrganisation {
        org: OrgId,
    },
    /// Creating an organisation (S2): any signed-in user, who becomes its admin.
    CreateOrganisation,
    /// Asking to join an organisation (S2): any signed-in user.
    AskToJoinOrganisation,
    /// Accepting an invitation link to an organisation (S2): any signed-in user; the
    /// link's secret is the proof.
    AcceptOrganisationInvitation,
    /// Leaving an organisation (S2): its members themselves.
    LeaveOrganisation {
        org: OrgId,
    },
    /// Publishing catalogue listings on behalf of an organisation (S16).
    PublishForOrganisation {
        org: OrgId,
    },
    /// Editing, publishing, unpublishing or withdrawing one catalogue listing (S7, S16): the
    /// organisation's admins and platform admins any of its listings; an ordinary member
    /// only the listings they created (a colleague's work is not theirs to change).
    EditListing {
        org: OrgId,
        created_by: Option<UserId>,
    },
    /// A listing that is not published (draft, withdrawn): the organisation's members and
    /// platform admins; for everyone else it does not exist.
    ViewUnpublishedListing {
        org: OrgId,
    },
    /// An organisation's API tokens (#6): listing, creating, revoking. Its admins and
    /// platform admins.
    ManageApiTokens {
        org: OrgId,
    },
    /// /api/v1 (#6): creating, changing, withdrawing and reading drafts of an
    /// organisation's listings. Only a live token of that very organisation (`token_org`,
    /// `None` without one); who else is signed in, even a platform admin, does not count:
    /// the API never takes a cookie session as authority.
    PublishWithApiToken {
        token_org: Option<OrgId>,
        listing_org: OrgId,
    },
    /// Lessons, forums and files of a course run (S19, T2).
    ViewRunContent {
        course: CourseId,
        run: RunId,
    },
    /// A file or image uploaded for a course's lessons (S19, T2): like the lessons, for the
    /// course's staff, platform admins and the learners of its runs that learners may see
    /// (`open_runs`: the published runs of the course, empty while the course is a draft).
    /// Everybody else gets the 404 of a missing file.
    ViewCourseFile {
        course: CourseId,
        open_runs: Vec<RunId>,
    },
    /// Taking part in a run: answering, submitting, posting.
    ParticipateInRun {
        course: CourseId,
        run: RunId,
    },
    /// One learner's progress and results in a run (S12): the learner and course staff.
    ViewLearnerResults {
        course: CourseId,
        learner: UserId,
    },
    /// Course content, settings, runs and staff: the course's teachers and platform admins.
    EditCourseContent {
        course: CourseId,
    },
    /// Creating a course for an organisation (issue 7): its members; the creator becomes
    /// the course's teacher.
    CreateCourse {
        org: OrgId,
    },
    /// A course's public page (description, syllabus, runs). A draft course is shown only
    /// to its staff and platform admins; for everybody else it does not exist.
    ViewCourse {
        course: CourseId,
        published: bool,
    },
    /// Enrolling in (or leaving) a run (S4): any signed-in user; whether the run is open
    /// and has room is a rule of the run, not a permission.
    EnrolInRun,
    /// S12, T2: creating and deleting a run's groups and placing its learners in them: the
    /// course's staff (teachers and moderators) and platform admins.
    ManageRunGroups {
        course: CourseId,
    },
    /// T2, S19: a group's page (members, description; later its forum): the group's members
    /// while they are learners of the run, the course's staff and platform admins. `member`
    /// is whether the actor is in the group.
    ViewRunGroup {
        course: CourseId,
        run: RunId,
        member: bool,
    },
    /// S12: joining or leaving an open (theme-based) group of a run: the run's learners.
    /// Whether the group is open and has room is a rule of the group.
    JoinRunGroup {
        run: RunId,
    },
    /// A certificate's printable page: its owner and platform admins. (The verification
    /// page `/verify/<code>` is public: [`Action::ViewPublic`].)
    ViewCertificate {
        owner: UserId,
    },
    /// S12: a run's progress dashboard (learners × modules, attendance, charts) and its CSV
    /// exports: the course's staff, teachers and moderators alike ("both see learner
    /// progress"), and platform admins. Other learners, other organisations' members and
    /// the course organisation's other members are refused like a missing run (S19).
    ViewRunProgress {
        course: CourseId,
    },
    /// S12: changing who takes part and what counts as done in a run: marking a learner's
    /// item complete with a reason, inviting people by e-mail address (and withdrawing
    /// invitations), enrolling again a learner who was in the run, removing learners.
    /// The course's staff and platform admins; always `AllowAudited`, the change and its
    /// `audit_log` row are written in one transaction.
    ManageRunLearners {
        course: CourseId,
    },
    /// S4: answering (accepting or declining) an invitation to a run: only the signed-in
    /// account whose confirmed address the staff invited (`addressee`). Nobody answers for
    /// someone else, not even platform admins: accepting enrols the person.
    AnswerRunInvitation {
        addressee: bool,
    },
    Grade {
        course: CourseId,
    },
    ModerateCourse {
        course: CourseId,
    },
    /// Private messages of a user (S15): admins only, and every access is audited.
    ReadPrivateMessages {
        owner: UserId,
    },
    /// Linking technical logs to a user to trace abuse (S10): audited.
    LinkTechnicalLogs,
    /// Aggregate statistics (S11).
    ViewStatistics,
    /// S6: starting a sign-in with another account (Google, Facebook, ...): anyone.
    SignInWithProvider,
    /// S6: finishing a sign-in that a provider answered (completing a new account, proving
    /// ownership of an existing one): only the browser that holds that sign-in's cookie,
    /// whoever else is or is not signed in there.
    ContinueProviderSignIn {
        holds_flow: bool,
    },
    /// S6, S22: listing, linking and unlinking an account's sign-in methods: the account
    /// itself only. Administrators do not act for users here.
    ManageSignInMethods {
        owner: UserId,
    },
    /// S7, S18: reviewing (and editing one's review of) a published course listing: any
    /// signed-in user except members of the organisation that offers it.
    ReviewListing {
        listing_org: OrgId,
    },
    /// Deleting a review: its author only (platform admins remove reviews through
    /// [`Action::ResolveReports`]).
    DeleteReview {
        author: UserId,
    },
    /// The organisation's one public reply to a review of its course: its admins only.
    ReplyToReview {
        org: OrgId,
    },
    /// Reporting a review to the platform admins: any signed-in user.
    ReportContent,
    /// Seeing and resolving reported reviews (keep or remove): platform admins. Every
    /// decision writes an `audit_log` row (`reviews::db::resolve`).
    ResolveReports,
    /// S7, S18: commenting on a published listing: any signed-in user.
    CommentOnListing,
    /// Editing a comment: its author only.
    EditComment {
        author: UserId,
    },
    /// Removing a comment: its author; the admins of the listing's organisation and
    /// platform admins too, audited.
    RemoveComment {
        org: OrgId,
        author: UserId,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Allowed, and the caller must write an audit record before acting (S10, S15).
    AllowAudited,
    Deny,
}

/// A refusal. It carries nothing: the caller answers "not found".
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not found")]
pub struct Denied;

pub fn decide(actor: &Actor, action: &Action) -> Decision {
    use Action::*;
    use Decision::*;
    let allow = |yes: bool| if yes { Allow } else { Deny };
    let admin = actor.is_admin();

    match action {
        ViewPublic | UseAccountForms | SignInWithProvider => Allow,
        ManageOwnAccount => allow(actor.is_signed_in()),
        ListUsers => allow(admin),
        ManageSubjectTags => allow(admin),
        ContinueProviderSignIn { holds_flow } => allow(*holds_flow),
        ManageSignInMethods { owner } => allow(actor.is(*owner)),
        ViewProfile { owner, visible } => {
            allow(actor.is(*owner) || admin || (actor.is_signed_in() && *visible))
        }
        ViewEmail { owner, owner_country } => {
            allow(actor.is(*owner) || admin || actor.validates(owner_country))
        }
        EditProfile { owner } => allow(actor.is(*owner) || admin),
        ChangePhoto { owner } => allow(actor.is(*owner)),
        ViewPhoto { owner, visible } => decide(
            actor,
            &ViewProfile {
                owner: *owner,
                visible: *visible,
            },
        ),
        ViewPhotoThumbnail { owner, visible } => allow(*visible || actor.is(*owner) || admin),
        ValidateUser { owner_country } => allow(admin || actor.validates(owner_country)),
        ManageRoles | ViewStatistics => allow(admin),
        ViewOrgPrivate { org: _, country } => allow(admin || actor.validates(country)),
        EditOrganisation { org } => allow(admin || actor.admins_org(*org)),
        CreateOrganisation | AskToJoinOrganisation | AcceptOrganisationInvitation => {
            allow(actor.is_signed_in())
        }
        LeaveOrganisation { org } => allow(actor.member_of_org(*org)),
        PublishForOrganisation { org } | ViewUnpublishedListing { org } => {
            allow(admin || actor.member_of_org(*org))
        }
        EditListing { org, created_by } => allow(
            admin
                || actor.admins_org(*org)
                || (actor.member_of_org(*org) && created_by.is_some_and(|u| actor.is(u))),
        ),
        ManageApiTokens { org } => allow(admin || actor.admins_org(*org)),
        PublishWithApiToken {
            token_org,
            listing_org,
        } => allow(*token_org == Some(*listing_org)),
        ViewRunContent { course, run } => {
            allow(admin || actor.staff_kind(*course).is_some() || actor.learns_in(*run))
        }
        ViewCourseFile { course, open_runs } => allow(
            admin || actor.staff_kind(*course).is_some() || open_runs.iter().any(|r| actor.learns_in(*r)),
        ),
        ParticipateInRun { run, .. } => allow(actor.learns_in(*run)),
        ViewLearnerResults { course, learner } => {
            allow(actor.is(*learner) || admin || actor.staff_kind(*course).is_some())
        }
        EditCourseContent { course } => allow(admin || actor.staff_kind(*course) == Some(StaffKind::Teacher)),
        CreateCourse { org } => allow(admin || actor.member_of_org(*org)),
        ViewCourse { course, published } => allow(*published || admin || actor.staff_kind(*course).is_some()),
        EnrolInRun => allow(actor.is_signed_in()),
        ManageRunGroups { course } => allow(admin || actor.staff_kind(*course).is_some()),
        ViewRunGroup { course, run, member } => {
            allow(admin || actor.staff_kind(*course).is_some() || (*member && actor.learns_in(*run)))
        }
        JoinRunGroup { run } => allow(actor.learns_in(*run)),
        ViewCertificate { owner } => allow(actor.is(*owner) || admin),
        Grade { course } | ModerateCourse { course } | ViewRunProgress { course } => {
            allow(admin || actor.staff_kind(*course).is_some())
        }
        ManageRunLearners { course } => {
            if admin || actor.staff_kind(*course).is_some() {
                AllowAudited
            } else {
                Deny
            }
        }
        AnswerRunInvitation { addressee } => allow(actor.is_signed_in() && *addressee),
        ReadPrivateMessages { owner } => {
            if actor.is(*owner) {
                Allow
            } else if admin {
                AllowAudited
            } else {
                Deny
            }
        }
        LinkTechnicalLogs => {
            if admin {
                AllowAudited
            } else {
                Deny
            }
        }
        ReviewListing { listing_org } => allow(actor.is_signed_in() && !actor.member_of_org(*listing_org)),
        DeleteReview { author } | EditComment { author } => allow(actor.is(*author)),
        ReplyToReview { org } => allow(actor.admins_org(*org)),
        ReportContent | CommentOnListing => allow(actor.is_signed_in()),
        ResolveReports => allow(admin),
        RemoveComment { org, author } => {
            if actor.is(*author) {
                Allow
            } else if admin || actor.admins_org(*org) {
                AllowAudited
            } else {
                Deny
            }
        }
    }
}

/// `decide`, as a `Result` for `?`. Returns whether an audit record is owed.
/// A refusal crosses the wire as "not found": refusals look like absence.
impl From<Denied> for crate::error::AppError {
    fn from(_: Denied) -> Self {
        crate::error::AppError::NotFound
    }
}

pub fn require(actor: &Actor, action: &Action) -> Result<Decision, Denied> {
    match decide(actor, action) {
        Decision::Deny => Err(Denied),
        d => Ok(d),
    }
}

#[cfg(test)]
mod tests {
    use super::Action::*;
    use super::Decision::*;
    use super::*;
    use crate::auth::actor::Role;

    fn anon() -> Actor {
        Actor::anonymous()
    }
    fn user(id: UserId) -> Actor {
        Actor::user(id, "DK", vec![])
    }
    fn with(id: UserId, roles: Vec<Role>) -> Actor {
        Actor::user(id, "DK", roles)
    }
    fn admin() -> Actor {
        with(1, vec![Role::PlatformAdmin])
    }

    #[test]
    fn s1_account_forms_are_open_to_anyone_and_own_account_needs_sign_in() {
        assert_eq!(decide(&anon(), &UseAccountForms), Allow);
        assert_eq!(decide(&user(5), &UseAccountForms), Allow);
        assert_eq!(decide(&anon(), &ManageOwnAccount), Deny);
        assert_eq!(decide(&user(5), &ManageOwnAccount), Allow);
    }

    #[test]
    fn only_platform_admins_list_users_and_manage_roles() {
        assert_eq!(decide(&admin(), &ListUsers), Allow);
        assert_eq!(decide(&admin(), &ManageRoles), Allow);
        let validator = with(2, vec![Role::NationalValidator { country: "DK".into() }]);
        for a in [anon(), user(5), validator] {
            assert_eq!(decide(&a, &ListUsers), Deny);
            assert_eq!(decide(&a, &ManageRoles), Deny);
        }
    }

    #[test]
    fn t12_only_platform_admins_manage_subject_tags() {
        assert_eq!(decide(&admin(), &ManageSubjectTags), Allow);
        let validator = with(2, vec![Role::NationalValidator { country: "DK".into() }]);
        for a in [anon(), user(5), validator] {
            assert_eq!(decide(&a, &ManageSubjectTags), Deny);
        }
    }

    #[test]
    fn anyone_sees_public_pages() {
        assert_eq!(decide(&anon(), &ViewPublic), Allow);
    }

    #[test]
    fn s17_profiles_only_for_signed_in_users() {
        let a = ViewProfile {
            owner: 7,
            visible: true,
        };
        assert_eq!(decide(&anon(), &a), Deny);
        assert_eq!(decide(&user(8), &a), Allow);
    }

    #[test]
    fn t7_hidden_profiles_only_for_admins_and_owner() {
        let a = ViewProfile {
            owner: 7,
            visible: false,
        };
        assert_eq!(decide(&user(8), &a), Deny);
        assert_eq!(
            decide(
                &with(8, vec![Role::NationalValidator { country: "DK".into() }]),
                &a
            ),
            Deny
        );
        assert_eq!(decide(&admin(), &a), Allow);
        assert_eq!(decide(&user(7), &a), Allow);
    }

    #[test]
    fn t8_email_never_shown_to_other_users() {
        let a = ViewEmail {
            owner: 7,
            owner_country: "SE".into(),
        };
        assert_eq!(decide(&user(8), &a), Deny);
        assert_eq!(decide(&anon(), &a), Deny);
        assert_eq!(decide(&with(8, vec![Role::OrgAdmin { org: 1 }]), &a), Deny);
        assert_eq!(decide(&user(7), &a), Allow);
        assert_eq!(decide(&admin(), &a), Allow);
    }

    #[test]
    fn t4_validators_manage_only_their_own_country() {
        let dk = with(5, vec![Role::NationalValidator { country: "DK".into() }]);
        assert_eq!(
            decide(
                &dk,
                &ValidateUser {
                    owner_country: "DK".into()
                }
            ),
            Allow
        );
        assert_eq!(
            decide(
                &dk,
                &ValidateUser {
                    owner_country: "SE".into()
                }
            ),
            Deny
        );
        assert_eq!(
            decide(
                &dk,
                &ViewEmail {
                    owner: 9,
                    owner_country: "SE".into()
                }
            ),
            Deny
        );
        assert_eq!(
            decide(
                &dk,
                &ViewEmail {
                    owner: 9,
                    owner_country: "DK".into()
                }
            ),
            Allow
        );
        assert_eq!(
            decide(
                &user(5),
                &ValidateUser {
                    owner_country: "DK".into()
                }
            ),
            Deny
        );
    }

    #[test]
    fn s22_users_edit_only_their_own_profile() {
        assert_eq!(decide(&user(3), &EditProfile { owner: 3 }), Allow);
        assert_eq!(decide(&user(3), &EditProfile { owner: 4 }), Deny);
        assert_eq!(decide(&anon(), &EditProfile { owner: 4 }), Deny);
    }

    #[test]
    fn s1_s22_only_the_owner_changes_a_photo() {
        assert_eq!(decide(&user(3), &ChangePhoto { owner: 3 }), Allow);
        assert_eq!(decide(&user(3), &ChangePhoto { owner: 4 }), Deny);
        assert_eq!(decide(&anon(), &ChangePhoto { owner: 4 }), Deny);
        // Not even an admin puts a face on someone else's profile.
        assert_eq!(decide(&admin(), &ChangePhoto { owner: 4 }), Deny);
    }

    #[test]
    fn s17_full_photo_only_for_signed_in_users() {
        let a = ViewPhoto {
            owner: 7,
            visible: true,
        };
        assert_eq!(decide(&anon(), &a), Deny);
        assert_eq!(decide(&user(8), &a), Allow);
        assert_eq!(decide(&user(7), &a), Allow);
    }

    #[test]
    fn s16_thumbnails_are_public_while_the_profile_is_visible() {
        let a = ViewPhotoThumbnail {
            owner: 7,
            visible: true,
        };
        assert_eq!(decide(&anon(), &a), Allow);
        assert_eq!(decide(&user(8), &a), Allow);
    }

    #[test]
    fn t7_s14_hidden_profiles_photos_for_nobody_but_admins_and_owner() {
        for a in [
            ViewPhoto {
                owner: 7,
                visible: false,
            },
            ViewPhotoThumbnail {
                owner: 7,
                visible: false,
            },
        ] {
            assert_eq!(decide(&anon(), &a), Deny, "{a:?}");
            assert_eq!(decide(&user(8), &a), Deny, "{a:?}");
            assert_eq!(
                decide(
                    &with(8, vec![Role::NationalValidator { country: "DK".into() }]),
                    &a
                ),
                Deny,
                "{a:?}"
            );
            assert_eq!(decide(&admin(), &a), Allow, "{a:?}");
            assert_eq!(decide(&user(7), &a), Allow, "{a:?}");
        }
    }

    #[test]
    fn t1_school_private_fields_for_admins_and_validators_of_that_country() {
        let a = ViewOrgPrivate {
            org: 2,
            country: "SE".into(),
        };
        assert_eq!(decide(&with(3, vec![Role::OrgMember { org: 2 }]), &a), Deny);
        assert_eq!(
            decide(
                &with(3, vec![Role::NationalValidator { country: "DK".into() }]),
                &a
            ),
            Deny
        );
        assert_eq!(
            decide(
                &with(3, vec![Role::NationalValidator { country: "SE".into() }]),
                &a
            ),
            Allow
        );
        assert_eq!(decide(&admin(), &a), Allow);
    }

    #[test]
    fn organisation_admins_edit_their_organisation_and_members_publish() {
        let org_admin = with(3, vec![Role::OrgAdmin { org: 2 }]);
        let member = with(4, vec![Role::OrgMember { org: 2 }]);
        assert_eq!(decide(&org_admin, &EditOrganisation { org: 2 }), Allow);
        assert_eq!(decide(&org_admin, &EditOrganisation { org: 3 }), Deny);
        assert_eq!(decide(&member, &EditOrganisation { org: 2 }), Deny);
        assert_eq!(decide(&member, &PublishForOrganisation { org: 2 }), Allow);
        assert_eq!(decide(&org_admin, &PublishForOrganisation { org: 2 }), Allow);
        assert_eq!(decide(&member, &PublishForOrganisation { org: 9 }), Deny);
    }

    #[test]
    fn s7_listings_edited_by_their_author_and_org_admins_seen_unpublished_by_members() {
        let org_admin = with(3, vec![Role::OrgAdmin { org: 2 }]);
        let author = with(4, vec![Role::OrgMember { org: 2 }]);
        let colleague = with(5, vec![Role::OrgMember { org: 2 }]);
        let outsider = with(6, vec![Role::OrgAdmin { org: 9 }]);
        let own = EditListing {
            org: 2,
            created_by: Some(4),
        };
        let by_api = EditListing {
            org: 2,
            created_by: None,
        };
        assert_eq!(decide(&author, &own), Allow);
        assert_eq!(decide(&org_admin, &own), Allow);
        assert_eq!(decide(&admin(), &own), Allow);
        assert_eq!(decide(&org_admin, &by_api), Allow);
        assert_eq!(decide(&colleague, &own), Deny);
        assert_eq!(decide(&colleague, &by_api), Deny);
        assert_eq!(decide(&outsider, &own), Deny);
        assert_eq!(decide(&anon(), &own), Deny);
        // An author who left the organisation no longer edits its listings.
        assert_eq!(decide(&with(4, vec![]), &own), Deny);
        let view = ViewUnpublishedListing { org: 2 };
        for a in [&org_admin, &author, &colleague, &admin()] {
            assert_eq!(decide(a, &view), Allow);
        }
        for a in [&outsider, &user(7), &anon()] {
            assert_eq!(decide(a, &view), Deny);
        }
    }

    #[test]
    fn s19_run_content_only_for_its_learners_and_staff() {
        let a = ViewRunContent { course: 10, run: 100 };
        let learner = with(3, vec![Role::Learner { course: 10, run: 100 }]);
        let other_run = with(4, vec![Role::Learner { course: 10, run: 101 }]);
        let staff = with(
            5,
            vec![Role::CourseStaff {
                course: 10,
                kind: StaffKind::Moderator,
            }],
        );
        let other_staff = with(
            6,
            vec![Role::CourseStaff {
                course: 11,
                kind: StaffKind::Teacher,
            }],
        );
        assert_eq!(decide(&learner, &a), Allow);
        assert_eq!(decide(&other_run, &a), Deny);
        assert_eq!(decide(&staff, &a), Allow);
        assert_eq!(decide(&other_staff, &a), Deny);
        assert_eq!(decide(&anon(), &a), Deny);
        assert_eq!(decide(&user(7), &a), Deny);
    }

    #[test]
    fn s19_course_files_only_for_learners_of_open_runs_and_staff() {
        let learner = |run| with(4, vec![Role::Learner { course: 10, run }]);
        let a = |open_runs: Vec<RunId>| ViewCourseFile {
            course: 10,
            open_runs,
        };
        assert_eq!(decide(&learner(100), &a(vec![100, 101])), Allow);
        // A learner of a run taken back to draft, or of a draft course, sees nothing.
        assert_eq!(decide(&learner(102), &a(vec![100, 101])), Deny);
        assert_eq!(decide(&learner(100), &a(vec![])), Deny);
        // Another course's learner, an outsider, anonymous.
        let other = with(5, vec![Role::Learner { course: 11, run: 100 }]);
        assert_eq!(
            decide(
                &other,
                &ViewCourseFile {
                    course: 10,
                    open_runs: vec![]
                }
            ),
            Deny
        );
        assert_eq!(decide(&user(6), &a(vec![100])), Deny);
        assert_eq!(decide(&anon(), &a(vec![100])), Deny);
        // Staff of either kind, even while the course is a draft; platform admins.
        for kind in [StaffKind::Teacher, StaffKind::Moderator] {
            let staff = with(7, vec![Role::CourseStaff { course: 10, kind }]);
            assert_eq!(decide(&staff, &a(vec![])), Allow);
        }
        let other_staff = with(
            8,
            vec![Role::CourseStaff {
                course: 11,
                kind: StaffKind::Teacher,
            }],
        );
        assert_eq!(decide(&other_staff, &a(vec![100])), Deny);
        assert_eq!(decide(&admin(), &a(vec![])), Allow);
    }

    #[test]
    fn only_learners_participate_staff_observe() {
        let a = ParticipateInRun { course: 10, run: 100 };
        let staff = with(
            5,
            vec![Role::CourseStaff {
                course: 10,
                kind: StaffKind::Teacher,
            }],
        );
        assert_eq!(
            decide(&with(3, vec![Role::Learner { course: 10, run: 100 }]), &a),
            Allow
        );
        assert_eq!(decide(&staff, &a), Deny);
    }

    #[test]
    fn s12_results_shared_with_staff_not_with_peers() {
        let a = ViewLearnerResults {
            course: 10,
            learner: 3,
        };
        assert_eq!(decide(&user(3), &a), Allow);
        assert_eq!(
            decide(&with(4, vec![Role::Learner { course: 10, run: 100 }]), &a),
            Deny
        );
        assert_eq!(
            decide(
                &with(
                    5,
                    vec![Role::CourseStaff {
                        course: 10,
                        kind: StaffKind::Moderator
                    }]
                ),
                &a
            ),
            Allow
        );
    }

    #[test]
    fn teachers_edit_content_moderators_do_not() {
        let teacher = with(
            5,
            vec![Role::CourseStaff {
                course: 10,
                kind: StaffKind::Teacher,
            }],
        );
        let moderator = with(
            6,
            vec![Role::CourseStaff {
                course: 10,
                kind: StaffKind::Moderator,
            }],
        );
        assert_eq!(decide(&teacher, &EditCourseContent { course: 10 }), Allow);
        assert_eq!(decide(&moderator, &EditCourseContent { course: 10 }), Deny);
        assert_eq!(decide(&moderator, &Grade { course: 10 }), Allow);
        assert_eq!(decide(&moderator, &ModerateCourse { course: 10 }), Allow);
        assert_eq!(decide(&teacher, &Grade { course: 11 }), Deny);
    }

    #[test]
    fn s12_run_progress_for_teachers_moderators_and_admins_changes_audited() {
        let teacher = with(
            5,
            vec![Role::CourseStaff {
                course: 10,
                kind: StaffKind::Teacher,
            }],
        );
        let moderator = with(
            6,
            vec![Role::CourseStaff {
                course: 10,
                kind: StaffKind::Moderator,
            }],
        );
        let learner = with(3, vec![Role::Learner { course: 10, run: 100 }]);
        let other_staff = with(
            7,
            vec![Role::CourseStaff {
                course: 11,
                kind: StaffKind::Teacher,
            }],
        );
        // The organisation's admin is not the course's staff.
        let org_admin = with(8, vec![Role::OrgAdmin { org: 2 }, Role::OrgMember { org: 2 }]);
        let view = ViewRunProgress { course: 10 };
        let manage = ManageRunLearners { course: 10 };
        for a in [&teacher, &moderator, &admin()] {
            assert_eq!(decide(a, &view), Allow);
            assert_eq!(decide(a, &manage), AllowAudited);
        }
        for a in [&learner, &other_staff, &org_admin, &user(9), &anon()] {
            assert_eq!(decide(a, &view), Deny);
            assert_eq!(decide(a, &manage), Deny);
        }
    }

    #[test]
    fn s4_run_invitations_answered_only_by_their_addressee() {
        let yes = AnswerRunInvitation { addressee: true };
        let no = AnswerRunInvitation { addressee: false };
        assert_eq!(decide(&user(3), &yes), Allow);
        assert_eq!(decide(&anon(), &yes), Deny);
        for a in [
            user(3),
            admin(),
            with(
                5,
                vec![Role::CourseStaff {
                    course: 10,
                    kind: StaffKind::Teacher,
                }],
            ),
        ] {
            assert_eq!(decide(&a, &no), Deny, "not even admins or the course's staff");
        }
    }

    #[test]
    fn courses_created_by_organisation_members() {
        let member = with(4, vec![Role::OrgMember { org: 2 }]);
        let org_admin = with(3, vec![Role::OrgAdmin { org: 2 }]);
        assert_eq!(decide(&member, &CreateCourse { org: 2 }), Allow);
        assert_eq!(decide(&org_admin, &CreateCourse { org: 2 }), Allow);
        assert_eq!(decide(&member, &CreateCourse { org: 3 }), Deny);
        assert_eq!(decide(&user(5), &CreateCourse { org: 2 }), Deny);
        assert_eq!(decide(&anon(), &CreateCourse { org: 2 }), Deny);
        assert_eq!(decide(&admin(), &CreateCourse { org: 2 }), Allow);
    }

    #[test]
    fn draft_courses_only_for_their_staff_and_admins() {
        let draft = ViewCourse {
            course: 10,
            published: false,
        };
        let published = ViewCourse {
            course: 10,
            published: true,
        };
        let moderator = with(
            5,
            vec![Role::CourseStaff {
                course: 10,
                kind: StaffKind::Moderator,
            }],
        );
        let other_staff = with(
            6,
            vec![Role::CourseStaff {
                course: 11,
                kind: StaffKind::Teacher,
            }],
        );
        assert_eq!(decide(&anon(), &published), Allow);
        assert_eq!(decide(&anon(), &draft), Deny);
        assert_eq!(decide(&user(7), &draft), Deny);
        assert_eq!(decide(&other_staff, &draft), Deny);
        assert_eq!(
            decide(&with(3, vec![Role::Learner { course: 10, run: 100 }]), &draft),
            Deny
        );
        assert_eq!(decide(&moderator, &draft), Allow);
        assert_eq!(decide(&admin(), &draft), Allow);
    }

    #[test]
    fn s12_t2_groups_managed_by_staff_seen_by_their_members_joined_by_learners() {
        let teacher = with(
            2,
            vec![Role::CourseStaff {
                course: 10,
                kind: StaffKind::Teacher,
            }],
        );
        let moderator = with(
            3,
            vec![Role::CourseStaff {
                course: 10,
                kind: StaffKind::Moderator,
            }],
        );
        let learner = with(4, vec![Role::Learner { course: 10, run: 100 }]);
        let other_run = with(5, vec![Role::Learner { course: 10, run: 101 }]);
        let other_staff = with(
            6,
            vec![Role::CourseStaff {
                course: 11,
                kind: StaffKind::Teacher,
            }],
        );
        let manage = ManageRunGroups { course: 10 };
        for a in [&admin(), &teacher, &moderator] {
            assert_eq!(decide(a, &manage), Allow);
        }
        for a in [&anon(), &user(9), &learner, &other_staff] {
            assert_eq!(decide(a, &manage), Deny);
        }
        let view = |member| ViewRunGroup {
            course: 10,
            run: 100,
            member,
        };
        assert_eq!(
            decide(&learner, &view(true)),
            Allow,
            "a member who learns in the run"
        );
        assert_eq!(
            decide(&learner, &view(false)),
            Deny,
            "a learner of the run outside the group"
        );
        // In the group but no longer (or never) a learner of this run.
        for a in [&other_run, &user(9), &anon(), &other_staff] {
            assert_eq!(decide(a, &view(true)), Deny);
        }
        for a in [&admin(), &teacher, &moderator] {
            assert_eq!(decide(a, &view(false)), Allow);
        }
        let join = JoinRunGroup { run: 100 };
        assert_eq!(decide(&learner, &join), Allow);
        for a in [&other_run, &teacher, &admin(), &user(9), &anon()] {
            assert_eq!(decide(a, &join), Deny, "only the run's learners join groups");
        }
    }

    #[test]
    fn s4_signed_in_users_enrol() {
        assert_eq!(decide(&anon(), &EnrolInRun), Deny);
        assert_eq!(decide(&user(3), &EnrolInRun), Allow);
    }

    #[test]
    fn certificates_printed_by_their_owner() {
        let a = ViewCertificate { owner: 3 };
        assert_eq!(decide(&user(3), &a), Allow);
        assert_eq!(decide(&user(4), &a), Deny);
        assert_eq!(decide(&anon(), &a), Deny);
        assert_eq!(decide(&admin(), &a), Allow);
        let teacher = with(
            5,
            vec![Role::CourseStaff {
                course: 10,
                kind: StaffKind::Teacher,
            }],
        );
        assert_eq!(decide(&teacher, &a), Deny);
    }

    #[test]
    fn s15_admin_reading_messages_is_audited() {
        assert_eq!(decide(&admin(), &ReadPrivateMessages { owner: 9 }), AllowAudited);
        assert_eq!(decide(&user(9), &ReadPrivateMessages { owner: 9 }), Allow);
        assert_eq!(decide(&user(8), &ReadPrivateMessages { owner: 9 }), Deny);
    }

    #[test]
    fn s10_linking_logs_is_admin_only_and_audited() {
        assert_eq!(decide(&admin(), &LinkTechnicalLogs), AllowAudited);
        assert_eq!(
            decide(
                &with(2, vec![Role::NationalValidator { country: "DK".into() }]),
                &LinkTechnicalLogs
            ),
            Deny
        );
    }

    #[test]
    fn admin_only_actions() {
        for a in [ManageRoles, ViewStatistics] {
            assert_eq!(decide(&admin(), &a), Allow);
            assert_eq!(decide(&user(2), &a), Deny);
            assert_eq!(decide(&anon(), &a), Deny);
        }
    }

    #[test]
    fn s6_anyone_starts_a_provider_sign_in_only_its_browser_finishes_it() {
        for a in [anon(), user(3), admin()] {
            assert_eq!(decide(&a, &SignInWithProvider), Allow);
            assert_eq!(decide(&a, &ContinueProviderSignIn { holds_flow: true }), Allow);
            assert_eq!(decide(&a, &ContinueProviderSignIn { holds_flow: false }), Deny);
        }
    }

    #[test]
    fn s6_sign_in_methods_only_for_the_account_itself() {
        let a = ManageSignInMethods { owner: 3 };
        assert_eq!(decide(&user(3), &a), Allow);
        assert_eq!(decide(&user(4), &a), Deny);
        assert_eq!(decide(&anon(), &a), Deny);
        assert_eq!(decide(&admin(), &a), Deny, "not even administrators");
        assert_eq!(
            decide(
                &with(5, vec![Role::NationalValidator { country: "DK".into() }]),
                &a
            ),
            Deny
        );
    }

    #[test]
    fn s2_organisations_created_by_signed_in_users_edited_by_their_admins() {
        for a in [
            CreateOrganisation,
            AskToJoinOrganisation,
            AcceptOrganisationInvitation,
        ] {
            assert_eq!(decide(&anon(), &a), Deny);
            assert_eq!(decide(&user(4), &a), Allow);
        }
        let org_admin = with(3, vec![Role::OrgAdmin { org: 2 }]);
        let member = with(4, vec![Role::OrgMember { org: 2 }]);
        let validator = with(5, vec![Role::NationalValidator { country: "DK".into() }]);
        assert_eq!(decide(&org_admin, &EditOrganisation { org: 2 }), Allow);
        assert_eq!(decide(&org_admin, &EditOrganisation { org: 3 }), Deny);
        assert_eq!(decide(&member, &EditOrganisation { org: 2 }), Deny);
        assert_eq!(decide(&validator, &EditOrganisation { org: 2 }), Deny);
        assert_eq!(decide(&anon(), &EditOrganisation { org: 2 }), Deny);
        assert_eq!(decide(&admin(), &EditOrganisation { org: 2 }), Allow);
        assert_eq!(decide(&member, &LeaveOrganisation { org: 2 }), Allow);
        assert_eq!(decide(&org_admin, &LeaveOrganisation { org: 2 }), Allow);
        assert_eq!(decide(&member, &LeaveOrganisation { org: 3 }), Deny);
        assert_eq!(decide(&anon(), &LeaveOrganisation { org: 2 }), Deny);
    }

    #[test]
    fn s7_s18_reviews_by_signed_in_outsiders_replies_by_the_organisations_admins() {
        let org_admin = with(3, vec![Role::OrgAdmin { org: 2 }]);
        let member = with(4, vec![Role::OrgMember { org: 2 }]);
        let outsider = with(5, vec![Role::OrgMember { org: 9 }]);
        let review = ReviewListing { listing_org: 2 };
        assert_eq!(decide(&anon(), &review), Deny);
        assert_eq!(
            decide(&org_admin, &review),
            Deny,
            "not one's own organisation's course"
        );
        assert_eq!(
            decide(&member, &review),
            Deny,
            "not one's own organisation's course"
        );
        assert_eq!(decide(&outsider, &review), Allow);
        assert_eq!(decide(&admin(), &review), Allow);
        assert_eq!(decide(&user(5), &DeleteReview { author: 5 }), Allow);
        assert_eq!(decide(&user(6), &DeleteReview { author: 5 }), Deny);
        assert_eq!(
            decide(&admin(), &DeleteReview { author: 5 }),
            Deny,
            "admins remove through reports"
        );
        let reply = ReplyToReview { org: 2 };
        assert_eq!(decide(&org_admin, &reply), Allow);
        assert_eq!(decide(&member, &reply), Deny);
        assert_eq!(decide(&outsider, &reply), Deny);
        assert_eq!(
            decide(&admin(), &reply),
            Deny,
            "a reply speaks for the organisation"
        );
        assert_eq!(decide(&anon(), &reply), Deny);
    }

    #[test]
    fn reports_by_signed_in_users_resolved_by_platform_admins() {
        assert_eq!(decide(&anon(), &ReportContent), Deny);
        assert_eq!(decide(&user(5), &ReportContent), Allow);
        assert_eq!(decide(&admin(), &ResolveReports), Allow);
        for a in [
            anon(),
            user(5),
            with(3, vec![Role::OrgAdmin { org: 2 }]),
            with(2, vec![Role::NationalValidator { country: "DK".into() }]),
        ] {
            assert_eq!(decide(&a, &ResolveReports), Deny);
        }
    }

    #[test]
    fn s2_api_tokens_are_managed_by_the_organisations_admins() {
        let org_admin = with(3, vec![Role::OrgAdmin { org: 2 }]);
        let member = with(4, vec![Role::OrgMember { org: 2 }]);
        let a = ManageApiTokens { org: 2 };
        assert_eq!(decide(&org_admin, &a), Allow);
        assert_eq!(decide(&admin(), &a), Allow);
        assert_eq!(decide(&org_admin, &ManageApiTokens { org: 3 }), Deny);
        assert_eq!(decide(&member, &a), Deny);
        assert_eq!(decide(&user(5), &a), Deny);
        assert_eq!(decide(&anon(), &a), Deny);
    }

    #[test]
    fn api_writes_need_a_token_of_the_listings_own_organisation() {
        let own = PublishWithApiToken {
            token_org: Some(2),
            listing_org: 2,
        };
        let other = PublishWithApiToken {
            token_org: Some(3),
            listing_org: 2,
        };
        let none = PublishWithApiToken {
            token_org: None,
            listing_org: 2,
        };
        assert_eq!(decide(&anon(), &own), Allow);
        assert_eq!(decide(&anon(), &other), Deny);
        assert_eq!(decide(&anon(), &none), Deny);
        // A session, even an admin's or the organisation's own admin's, is no token.
        let org_admin = with(3, vec![Role::OrgAdmin { org: 2 }]);
        for a in [admin(), org_admin] {
            assert_eq!(decide(&a, &none), Deny);
            assert_eq!(decide(&a, &other), Deny);
        }
    }

    #[test]
    fn s7_s18_comments_by_signed_in_users_removed_by_author_org_admins_and_admins() {
        assert_eq!(decide(&anon(), &CommentOnListing), Deny);
        assert_eq!(decide(&user(5), &CommentOnListing), Allow);
        assert_eq!(decide(&user(5), &EditComment { author: 5 }), Allow);
        assert_eq!(decide(&user(6), &EditComment { author: 5 }), Deny);
        assert_eq!(
            decide(&admin(), &EditComment { author: 5 }),
            Deny,
            "nobody puts words in others' mouths"
        );
        let remove = RemoveComment { org: 2, author: 5 };
        assert_eq!(decide(&user(5), &remove), Allow);
        assert_eq!(
            decide(&with(3, vec![Role::OrgAdmin { org: 2 }]), &remove),
            AllowAudited
        );
        assert_eq!(decide(&admin(), &remove), AllowAudited);
        assert_eq!(decide(&with(4, vec![Role::OrgMember { org: 2 }]), &remove), Deny);
        assert_eq!(decide(&with(3, vec![Role::OrgAdmin { org: 9 }]), &remove), Deny);
        assert_eq!(decide(&user(6), &remove), Deny);
        assert_eq!(decide(&anon(), &remove), Deny);
    }

    #[test]
    fn require_maps_deny_to_an_opaque_error() {
        assert_eq!(require(&anon(), &ManageRoles), Err(Denied));
        assert_eq!(Denied.to_string(), "not found");
        assert_eq!(require(&admin(), &LinkTechnicalLogs), Ok(AllowAudited));
    }
}
