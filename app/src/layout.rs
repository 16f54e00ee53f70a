use crate::i18n::{Lang, Msg, current_lang, t};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The frame of every page: skip link, header with navigation and language switcher,
/// the main landmark, and the footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main" on:click=focus_main>{t(Msg::SkipToContent)}</a>
        <Header />
        <main id="main" tabindex="-1">{children()}</main>
        <Footer />
    }
}

/// Moves focus to the main landmark. Without JavaScript the browser does this for the link to
/// `#main`; once hydrated the router would take the click over and only scroll, leaving focus
/// on the skip link, so the link does it itself.
fn focus_main(ev: leptos::ev::MouseEvent) {
    use leptos::wasm_bindgen::JsCast;
    let main = document()
        .get_element_by_id("main")
        .and_then(|el| el.dyn_into::<leptos::web_sys::HtmlElement>().ok());
    if let Some(main) = main {
        ev.prevent_default();
        let _ = main.focus();
    }
}

#[component]
fn Header() -> impl IntoView {
    let (open, set_open) = signal(false);
    view! {
        <header class="site-header">
            <div class="wrap header-row">
                <a class="brand" href="/">
                    <img src="/favicon.svg" alt="" width="32" height="32" />
                    <span>{t(Msg::SiteName)}</span>
                </a>
                <button
                    type="button"
                    class="menu-toggle"
                    aria-controls="site-nav"
                    aria-expanded=move || if open.get() { "true" } else { "false" }
                    on:click=move |_| set_open.update(|o| *o = !*o)
                >
                    {t(Msg::NavMenu)}
                </button>
                <nav id="site-nav" class="site-nav" aria-label=t(Msg::NavLabel) data-open=move || open.get().to_string()>
                    <NavLinks />
                    <AccountMenu />
                    <LanguageSwitcher />
                </nav>
            </div>
        </header>
    }
}

#[component]
fn NavLinks() -> impl IntoView {
    let location = use_location();
    let current = move |href: &'static str| {
        let path = location.pathname.get();
        let here = if href == "/" {
            path == "/"
        } else {
            path == href || path.starts_with(&format!("{href}/"))
        };
        here.then_some("page")
    };
    view! {
        <ul class="nav-links">
            <li><a href="/" aria-current=move || current("/")>{t(Msg::NavHome)}</a></li>
            <li><a href="/courses" aria-current=move || current("/courses")>{t(Msg::NavCourses)}</a></li>
            <li><a href="/catalogue" aria-current=move || current("/catalogue")>{t(Msg::NavCatalogue)}</a></li>
            <li>
                <a href="/organisations" aria-current=move || current("/organisations")>
                    {t(Msg::NavOrganisations)}
                </a>
            </li>
        </ul>
    }
}

/// Sign-in and registration links, or the signed-in user's name, settings and sign-out.
/// Sign-out is a plain form post, so it works before hydration too.
#[component]
fn AccountMenu() -> impl IntoView {
    use crate::accounts::api::whoami;
    let me = Resource::new(|| (), |_| whoami());
    let location = use_location();
    let my_courses = move || {
        let path = location.pathname.get();
        (path == "/my/courses").then_some("page")
    };
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match me.await.ok().flatten() {
                    Some(me) => view! {
                        <ul class="account-menu" aria-label=t(Msg::NavAccount)>
                            <li><a href="/my/courses" aria-current=my_courses>{t(Msg::NavMyCourses)}</a></li>
                            {me.is_admin.then(|| view! { <li><a href="/admin/users">{t(Msg::NavAdminUsers)}</a></li> })}
                            <li><a href=format!("/people/{}", me.id)>{format!("{} {}", me.first_name, me.last_name)}</a></li>
                            <li><a href="/settings">{t(Msg::NavSettings)}</a></li>
                            <li>
                                <form method="post" action="/api/accounts/sign-out" class="inline-form">
                                    <button type="submit" class="link-button">{t(Msg::NavSignOut)}</button>
                                </form>
                            </li>
                        </ul>
                    }
                    .into_any(),
                    None => view! {
                        <ul class="account-menu" aria-label=t(Msg::NavAccount)>
                            <li><a href="/sign-in">{t(Msg::NavSignIn)}</a></li>
                            <li><a href="/register" class="button small">{t(Msg::NavRegister)}</a></li>
                        </ul>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// Plain links to `/lang/<code>`, which set the language cookie and come back here. They
/// work without JavaScript and always load a fully re-rendered page.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    let active = current_lang();
    let location = use_location();
    view! {
        <ul class="lang-switcher" aria-label=t(Msg::LangLabel)>
            {Lang::ALL
                .iter()
                .map(|&lang| {
                    let href = move || {
                        let next = location.pathname.get();
                        format!("/lang/{}?next={}", lang.code(), crate::ui::redirect::encode_path(&next))
                    };
                    view! {
                        <li>
                            <a
                                href=href
                                rel="external"
                                hreflang=lang.code()
                                lang=lang.code()
                                aria-current=(lang == active).then_some("true")
                            >
                                {lang.t(Msg::LangName)}
                            </a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="wrap">
                <nav aria-label=t(Msg::FooterLabel)>
                    <ul class="footer-links">
                        <li><a href="/">{t(Msg::NavHome)}</a></li>
                        <li><a href="/courses">{t(Msg::NavCourses)}</a></li>
                        <li><a href="/organisations">{t(Msg::NavOrganisations)}</a></li>
                    </ul>
                </nav>
                <p>{t(Msg::FooterAbout)}</p>
                <p class="muted">{t(Msg::FooterLicence)}</p>
            </div>
        </footer>
    }
}
