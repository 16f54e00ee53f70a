#![recursion_limit = "256"]
//! The Agora web application: pages and server functions, compiled into the server with
//! `ssr` and into WebAssembly with `hydrate`.
pub mod accounts;
pub mod admin;
pub mod api_tokens;
pub mod auth;
pub mod catalogue;
pub mod check;
pub mod comments;
pub mod courses;
pub mod dates;
pub mod error;
pub mod home;
pub mod i18n;
pub mod identities;
pub mod layout;
pub mod organisations;
pub mod photos;
#[cfg(feature = "ssr")]
pub mod platform;
pub mod reviews;
pub mod taxonomy;
pub mod ui;

use i18n::{Msg, current_lang, t};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    let lang = current_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code() dir="ltr">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="description" content=lang.t(Msg::SiteTagline) />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
                // Data, not run: the subject tags admins added (T12), read before hydration.
                <script
                    nonce=leptos::nonce::use_nonce()
                    type="application/json"
                    id=taxonomy::subject_tags::ELEMENT_ID
                    inner_html=taxonomy::subject_tags::to_json()
                ></script>
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Pages carry a nonce-based CSP: the hydration script and Leptos' resource scripts get the
/// nonce, WebAssembly may be compiled, and nothing inline from anywhere else runs. Frames
/// only from the embed allow-list (lessons' videos and tools); every page gets the same,
/// because after hydration a lesson may be reached without a new document.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    if let (Some(res), Some(nonce)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        leptos::nonce::use_nonce(),
    ) {
        let frames = use_context::<std::sync::Arc<ui::embed::EmbedPolicy>>()
            .map(|e| e.frame_src())
            .unwrap_or_else(|| "'none'".into());
        let csp = format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
             frame-src {frames}; object-src 'none'; base-uri 'self'; form-action 'self'; \
             frame-ancestors 'none'"
        );
        if let Ok(value) = http::HeaderValue::from_str(&csp) {
            res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="agora-css" href="/agora.css" />
        <Title formatter=title_text />
        <Router>
            <layout::Layout>
                <Routes fallback=ui::errors::NotFound>
                    <Route path=StaticSegment("") view=home::pages::HomePage ssr=SsrMode::Async />
                    <Route path=StaticSegment("courses") view=courses::pages::CoursesPage ssr=SsrMode::Async />
                    <OrganisationRoutes />
                    <CatalogueRoutes />
                    <ReviewRoutes />
                    <CourseRoutes />
                    <AccountRoutes />
                    <Route path=StaticSegment("welcome") view=identities::pages::WelcomePage ssr=SsrMode::Async />
                    <Route
                        path=StaticSegment("link-account")
                        view=identities::pages::LinkAccountPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("settings"), StaticSegment("accounts"))
                        view=identities::pages::SignInMethodsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("auth"), StaticSegment("notice"))
                        view=identities::pages::AuthNoticePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("settings"), StaticSegment("photo"))
                        view=photos::pages::PhotoSettingsPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </layout::Layout>
        </Router>
    }
}

/// Every page's `<title>`: "page · Agora". leptos_meta 0.8 writes the server's `<title>`
/// without escaping, so the server escapes it here (a lesson titled `</title><meta …>`
/// would otherwise add markup to `<head>`); in the browser it is set as text, unescaped.
/// Pages set only the text (`<Title text=…/>`), never a formatter of their own.
fn title_text(page: String) -> String {
    let full = if page.is_empty() {
        t(Msg::SiteName).to_string()
    } else {
        format!("{page} · {}", t(Msg::SiteName))
    };
    #[cfg(feature = "ssr")]
    let full = ui::escape::text(&full);
    full
}

/// Organisations: the list, creating, the public page, editing (S2, S16).
#[component(transparent)]
fn OrganisationRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use organisations::pages::*;
    view! {
        <Route path=StaticSegment("organisations") view=OrganisationsPage ssr=SsrMode::Async />
        <Route path=(StaticSegment("organisations"), StaticSegment("new")) view=NewOrganisationPage ssr=SsrMode::Async />
        <Route path=(StaticSegment("organisations"), ParamSegment("slug")) view=OrganisationPage ssr=SsrMode::Async />
        <Route
            path=(StaticSegment("organisations"), StaticSegment("invitations"), ParamSegment("secret"))
            view=InvitationPage
            ssr=SsrMode::Async
        />
        <Route
            path=(StaticSegment("organisations"), ParamSegment("slug"), StaticSegment("edit"))
            view=EditOrganisationPage
            ssr=SsrMode::Async
        />
        <Route
            path=(StaticSegment("organisations"), ParamSegment("slug"), StaticSegment("api-tokens"))
            view=crate::api_tokens::pages::ApiTokensPage
            ssr=SsrMode::Async
        />
    }
    .into_inner()
}

/// The catalogue (S7, S16, S18): the kinds' pages come before `{slug}` (slugs never take
/// their names).
#[component(transparent)]
fn CatalogueRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use catalogue::pages::*;
    view! {
        <Route path=StaticSegment("catalogue") view=CatalogueOverviewPage ssr=SsrMode::Async />
        <Route path=(StaticSegment("catalogue"), StaticSegment("courses")) view=CourseCataloguePage ssr=SsrMode::Async />
        <Route path=(StaticSegment("catalogue"), StaticSegment("mobility")) view=MobilityCataloguePage ssr=SsrMode::Async />
        <Route path=(StaticSegment("catalogue"), StaticSegment("partnerships")) view=PartnershipCataloguePage ssr=SsrMode::Async />
        <Route path=(StaticSegment("catalogue"), ParamSegment("slug")) view=ListingDetailPage ssr=SsrMode::Async />
        <Route path=(StaticSegment("catalogue"), ParamSegment("slug"), StaticSegment("edit")) view=EditListingPage ssr=SsrMode::Async />
        <Route
            path=(StaticSegment("organisations"), ParamSegment("slug"), StaticSegment("listings"), StaticSegment("new"))
            view=NewListingPage
            ssr=SsrMode::Async
        />
    }
    .into_inner()
}

/// A listing's reviews and comments on their own page, and reported reviews for platform
/// admins (S7, S18).
#[component(transparent)]
fn ReviewRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route
            path=(StaticSegment("catalogue"), ParamSegment("slug"), StaticSegment("reviews"))
            view=comments::pages::ListingDiscussionPage
            ssr=SsrMode::Async
        />
        <Route path=(StaticSegment("admin"), StaticSegment("reports")) view=reviews::pages::AdminReportsPage ssr=SsrMode::Async />
    }
    .into_inner()
}

/// Courses: the course page, authoring, the staff's run pages, learning, "My courses",
/// certificates (issue 7).
#[component(transparent)]
fn CourseRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use courses::pages::*;
    view! {
        <Route path=(StaticSegment("courses"), ParamSegment("slug")) view=CoursePage ssr=SsrMode::Async />
        <Route path=(StaticSegment("courses"), ParamSegment("slug"), StaticSegment("edit")) view=EditCoursePage ssr=SsrMode::Async />
        <Route
            path=(StaticSegment("courses"), ParamSegment("slug"), StaticSegment("lessons"), ParamSegment("item"), StaticSegment("edit"))
            view=EditLessonPage
            ssr=SsrMode::Async
        />
        <Route
            path=(StaticSegment("organisations"), ParamSegment("slug"), StaticSegment("courses"), StaticSegment("new"))
            view=NewCoursePage
            ssr=SsrMode::Async
        />
        <Route
            path=(StaticSegment("courses"), ParamSegment("slug"), StaticSegment("runs"), ParamSegment("run"), StaticSegment("progress"))
            view=RunProgressPage
            ssr=SsrMode::Async
        />
        <Route
            path=(StaticSegment("courses"), ParamSegment("slug"), StaticSegment("runs"), ParamSegment("run"), StaticSegment("settings"))
            view=RunSettingsPage
            ssr=SsrMode::Async
        />
        <Route
            path=(StaticSegment("courses"), ParamSegment("slug"), StaticSegment("runs"), ParamSegment("run"), StaticSegment("learners"), ParamSegment("user"))
            view=LearnerProgressPage
            ssr=SsrMode::Async
        />
        <Route path=(StaticSegment("learn"), ParamSegment("run")) view=LearnPage ssr=SsrMode::Async />
        <Route
            path=(StaticSegment("learn"), StaticSegment("invitations"), ParamSegment("secret"))
            view=RunInvitationPage
            ssr=SsrMode::Async
        />
        <Route path=(StaticSegment("learn"), ParamSegment("run"), StaticSegment("items"), ParamSegment("item")) view=LessonPage ssr=SsrMode::Async />
        <Route path=(StaticSegment("learn"), ParamSegment("run"), StaticSegment("groups"), ParamSegment("group")) view=GroupPage ssr=SsrMode::Async />
        <Route
            path=(StaticSegment("courses"), ParamSegment("slug"), StaticSegment("runs"), ParamSegment("run"), StaticSegment("groups"))
            view=RunGroupsEditorPage
            ssr=SsrMode::Async
        />
        <Route
            path=(StaticSegment("courses"), ParamSegment("slug"), StaticSegment("runs"), ParamSegment("run"), StaticSegment("groups"), ParamSegment("group"), StaticSegment("edit"))
            view=GroupEditPage
            ssr=SsrMode::Async
        />
        <Route path=(StaticSegment("my"), StaticSegment("courses")) view=MyCoursesPage ssr=SsrMode::Async />
        <Route path=(StaticSegment("certificates"), ParamSegment("code")) view=CertificatePage ssr=SsrMode::Async />
        <Route path=(StaticSegment("verify"), ParamSegment("code")) view=VerifyPage ssr=SsrMode::Async />
    }
    .into_inner()
}

/// Sign-in, registration, one-time links, settings and profiles (S1, S6, S17, S22).
#[component(transparent)]
fn AccountRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use accounts::pages::*;
    view! {
        <Route path=StaticSegment("sign-in") view=identities::sign_in::SignInPage ssr=SsrMode::Async />
        <Route path=StaticSegment("register") view=RegisterPage ssr=SsrMode::Async />
        <Route path=(StaticSegment("register"), StaticSegment("sent")) view=RegisterSentPage ssr=SsrMode::Async />
        <Route path=StaticSegment("forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async />
        <Route path=(StaticSegment("reset-password"), ParamSegment("secret")) view=ResetPasswordPage ssr=SsrMode::Async />
        <Route path=(StaticSegment("verify-email"), ParamSegment("secret")) view=VerifyEmailPage ssr=SsrMode::Async />
        <Route path=(StaticSegment("confirm-email"), ParamSegment("secret")) view=ConfirmEmailPage ssr=SsrMode::Async />
        <Route path=StaticSegment("settings") view=SettingsPage ssr=SsrMode::Async />
        <Route path=(StaticSegment("settings"), StaticSegment("profile")) view=EditProfilePage ssr=SsrMode::Async />
        <Route path=(StaticSegment("people"), ParamSegment("id")) view=ProfilePage ssr=SsrMode::Async />
        <Route path=(StaticSegment("admin"), StaticSegment("users")) view=crate::admin::pages::AdminUsersPage ssr=SsrMode::Async />
        <Route path=(StaticSegment("admin"), StaticSegment("subjects")) view=crate::admin::subjects::AdminSubjectsPage ssr=SsrMode::Async />
    }
    .into_inner()
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    taxonomy::subject_tags::install_from_page();
    leptos::mount::hydrate_body(App);
}
