//! `/admin/users`: search users by name or e-mail, filter by country and role, and grant or
//! remove the national-validator role. A plain GET form filters, so it works without
//! JavaScript; role changes are form posts.
use super::api::{SetValidator, list_users};
use super::model::{UserFilter, UserPage, UserRow};
use crate::i18n::{Msg, current_lang, fill, t};
use crate::taxonomy::{COUNTRIES, country_name, sorted_options, user_type_name};
use crate::ui::errors::signed_in_or_redirect;
use crate::ui::form::{FollowSuccess, FormAlert, last_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        UserFilter {
            q: q.get("q").unwrap_or_default(),
            country: q.get("country").unwrap_or_default(),
            role: q.get("role").unwrap_or_default(),
            page: q.get("page").and_then(|p| p.parse().ok()).unwrap_or(0),
        }
    };
    let users = Resource::new(filter, list_users);
    let action = ServerAction::<SetValidator>::new();
    let error = last_error(action.value());
    // Everything, the title included, comes with the admin's data: anyone else gets exactly
    // the 404 page (not this page's heading above it).
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let f = filter();
                signed_in_or_redirect(users.await, move |page| view! {
                    <Title text=t(Msg::AdminUsersTitle) />
                    <section class="wrap page">
                        <h1>{t(Msg::AdminUsersTitle)}</h1>
                        <FormAlert error />
                        <AdminNav />
                        <FilterForm f=f.clone() />
                        <UserTable page f action />
                    </section>
                    <FollowSuccess value=action.value() />
                })
            })}
        </Suspense>
    }
}

#[component]
fn FilterForm(f: UserFilter) -> impl IntoView {
    let lang = current_lang();
    let roles = [
        ("", t(Msg::AdminRoleAny)),
        ("platform_admin", t(Msg::AdminRolePlatformAdmin)),
        ("national_validator", t(Msg::AdminRoleValidator)),
    ];
    view! {
        <form method="get" action="/admin/users" class="filter-form" role="search">
            <div class="field">
                <label for="f-q">{t(Msg::AdminSearch)}</label>
                <input id="f-q" name="q" type="search" value=f.q.clone() />
            </div>
            <div class="field">
                <label for="f-country">{t(Msg::FieldCountry)}</label>
                <select id="f-country" name="country">
                    <option value="" selected=f.country.is_empty()>{t(Msg::AdminCountryAny)}</option>
                    {sorted_options(lang, COUNTRIES, country_name)
                        .into_iter()
                        .map(|(c, l)| view! { <option value=c selected=c == f.country>{l}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-role">{t(Msg::AdminRole)}</label>
                <select id="f-role" name="role">
                    {roles
                        .into_iter()
                        .map(|(c, l)| view! { <option value=c selected=c == f.role>{l}</option> })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{t(Msg::AdminFilter)}</button>
        </form>
    }
}

#[component]
fn UserTable(page: UserPage, f: UserFilter, action: ServerAction<SetValidator>) -> impl IntoView {
    let count = fill(t(Msg::AdminUsersCount), &[("count", &page.total.to_string())]);
    let last_page = (page.total.max(1) - 1) / page.per_page;
    let link = move |n: i64| {
        let enc = crate::ui::redirect::encode_path;
        format!(
            "/admin/users?q={}&country={}&role={}&page={n}",
            enc(&f.q),
            enc(&f.country),
            enc(&f.role)
        )
    };
    if page.rows.is_empty() {
        return view! { <p class="empty">{t(Msg::AdminNoUsers)}</p> }.into_any();
    }
    view! {
        <p role="status">{count}</p>
        <div class="table-scroll">
            <table class="data-table">
                <caption class="visually-hidden">{t(Msg::AdminUsersTitle)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(Msg::AdminName)}</th>
                        <th scope="col">{t(Msg::FieldEmail)}</th>
                        <th scope="col">{t(Msg::FieldCountry)}</th>
                        <th scope="col">{t(Msg::FieldUserType)}</th>
                        <th scope="col">{t(Msg::AdminRoles)}</th>
                    </tr>
                </thead>
                <tbody>
                    {page.rows.into_iter().map(|u| view! { <UserRowView u action /> }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label=t(Msg::AdminPages)>
            {(page.page > 0).then(|| view! { <a href=link(page.page - 1) rel="prev">{t(Msg::AdminPrev)}</a> })}
            {(page.page < last_page).then(|| view! { <a href=link(page.page + 1) rel="next">{t(Msg::AdminNext)}</a> })}
        </nav>
    }
    .into_any()
}

#[component]
fn UserRowView(u: UserRow, action: ServerAction<SetValidator>) -> impl IntoView {
    let lang = current_lang();
    let here = use_location();
    let back = move || {
        format!("{}{}", here.pathname.get(), {
            let s = here.search.get();
            if s.is_empty() {
                String::new()
            } else {
                format!("?{s}")
            }
        })
    };
    let name = format!("{} {}", u.first_name, u.last_name);
    let select_id = format!("grant-country-{}", u.id);
    view! {
        <tr>
            <th scope="row"><a href=format!("/people/{}", u.id)>{name.clone()}</a>
                {(u.status != "active").then(|| view! { " " <span class="badge">{u.status.clone()}</span> })}
            </th>
            <td>{u.email.clone()}</td>
            <td>{country_name(lang, &u.country)}</td>
            <td>{user_type_name(lang, &u.user_type)}</td>
            <td>
                <ul class="role-list">
                    {u.roles.clone().into_iter().map(|(role, country)| {
                        if role == "national_validator" {
                            let label = fill(t(Msg::AdminValidatorFor), &[("country", &country_name(lang, &country))]);
                            let remove_label = fill(t(Msg::AdminRemoveValidatorFor), &[("name", &name), ("country", &country_name(lang, &country))]);
                            view! {
                                <li>
                                    {label}
                                    <ActionForm action attr:class="inline-form">
                                        <input type="hidden" name="user" value=u.id />
                                        <input type="hidden" name="country" value=country.clone() />
                                        <input type="hidden" name="grant" value="0" />
                                        <input type="hidden" name="back" value=back />
                                        <button type="submit" class="link-button" aria-label=remove_label>{t(Msg::AdminRemove)}</button>
                                    </ActionForm>
                                </li>
                            }.into_any()
                        } else {
                            view! { <li>{t(Msg::AdminRolePlatformAdmin)}</li> }.into_any()
                        }
                    }).collect_view()}
                </ul>
                <ActionForm action attr:class="inline-form grant-form">
                    <input type="hidden" name="user" value=u.id />
                    <input type="hidden" name="grant" value="1" />
                    <input type="hidden" name="back" value=back />
                    <label for=select_id.clone() class="visually-hidden">
                        {fill(t(Msg::AdminGrantCountryFor), &[("name", &name)])}
                    </label>
                    <select id=select_id name="country">
                        {sorted_options(lang, COUNTRIES, country_name)
                            .into_iter()
                            .map(|(c, l)| view! { <option value=c selected=c == u.country>{l}</option> })
                            .collect_view()}
                    </select>
                    <button type="submit" class="button small">{t(Msg::AdminGrantValidator)}</button>
                </ActionForm>
            </td>
        </tr>
    }
}

/// Links between the platform admin pages.
#[component]
pub fn AdminNav() -> impl IntoView {
    let location = use_location();
    let current = move |href: &'static str| (location.pathname.get() == href).then_some("page");
    view! {
        <nav class="admin-nav" aria-label=t(Msg::AdminNav)>
            <ul>
                <li><a href="/admin/users" aria-current=move || current("/admin/users")>{t(Msg::AdminUsersTitle)}</a></li>
                <li><a href="/admin/reports" aria-current=move || current("/admin/reports")>{t(Msg::ReportsTitle)}</a></li>
                <li><a href="/admin/subjects" aria-current=move || current("/admin/subjects")>{t(Msg::SubjectsTitle)}</a></li>
            </ul>
        </nav>
    }
}
