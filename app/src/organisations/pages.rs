use super::api::list_organisations;
use crate::i18n::{Msg, t};
use crate::ui::errors::or_error_page;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let orgs = Resource::new(|| (), |_| list_organisations(100, 0));
    view! {
        <Title text=t(Msg::OrgsTitle) />
        <section class="wrap page">
            <h1>{t(Msg::OrgsTitle)}</h1>
            <p class="lead">{t(Msg::OrgsLead)}</p>
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
                                        view! {
                                            <li>
                                                <article class="card">
                                                    <h2 class="card-title">{o.name}</h2>
                                                    <p class="muted">{o.city} ", " {o.country}</p>
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
