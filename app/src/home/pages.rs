use crate::courses::{api::list_published_courses, pages::CourseList};
use crate::i18n::{Msg, t};
use crate::ui::errors::or_error_page;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let featured = Resource::new(|| (), |_| list_published_courses(6, 0));
    view! {
        <Title text="" />
        <section class="hero">
            <div class="wrap">
                <h1>{t(Msg::HomeTitle)}</h1>
                <p class="lead">{t(Msg::HomeLead)}</p>
                <p><a class="button" href="/courses">{t(Msg::HomeBrowse)}</a></p>
            </div>
        </section>
        <section class="wrap page" aria-labelledby="featured-heading">
            <h2 id="featured-heading">{t(Msg::HomeFeatured)}</h2>
            <Suspense>
                {move || Suspend::new(async move {
                    or_error_page(featured.await, |list| view! { <CourseList courses=list empty=Msg::HomeNoCourses nested=true /> })
                })}
            </Suspense>
        </section>
    }
}
