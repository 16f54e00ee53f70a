//! Catalogue pages (S7, S16, S18): the overview, one public catalogue per kind with
//! filters in the query string, a listing's page, and the forms to create and edit.
//! Everything works without JavaScript: filters are a GET form, forms post and redirect.
use super::api::{
    CreateListing, NewListingTarget, SetListingStatus, UpdateListing, get_listing, list_catalogue,
    listing_for_edit, new_listing_info,
};
use super::model::{
    CataloguePage, CatalogueQuery, KINDS, ListingCard, ListingForm, ListingPage, MOBILITY_TYPES, MODES,
    kind_segment,
};
use crate::error::AppError;
use crate::i18n::{Lang, Msg, current_lang, fill, t};
use crate::taxonomy::{
    COUNTRIES, LANGUAGES, country_name, language_name, sorted_options, subject_codes, subject_name,
};
use crate::ui::errors::or_error_page;
use crate::ui::errors::signed_in_or_redirect;
use crate::ui::form::StatusNote;
use crate::ui::form::{CheckboxGroup, Field, FollowSuccess, FormAlert, Select, TextArea, last_error};
use crate::ui::markdown::RichText;
use crate::ui::redirect::encode_path;
use crate::ui::slug_param;
use leptos::prelude::*;
use leptos_meta::{Link, Title};
use leptos_router::hooks::use_query_map;

const STATUS_NOTES: &[(&str, Msg)] = &[
    ("published", Msg::CatalogueNotePublished),
    ("saved", Msg::CatalogueNoteSaved),
    ("draft", Msg::CatalogueNoteDraft),
    ("withdrawn", Msg::CatalogueNoteWithdrawn),
];

/// The translation of `<prefix>.<code>`, or the code itself.
pub fn label(lang: Lang, prefix: &str, code: &str) -> String {
    Msg::from_key(&format!("{prefix}.{code}"))
        .map(|m| lang.t(m).to_string())
        .unwrap_or_else(|| code.to_string())
}

fn options(lang: Lang, prefix: &str, codes: &[&'static str]) -> Vec<(&'static str, String)> {
    codes.iter().map(|c| (*c, label(lang, prefix, c))).collect()
}

fn kinds_msg(kind: &str) -> (Msg, Msg) {
    match kind {
        "course" => (Msg::CatalogueKindsCourse, Msg::CatalogueKindsLeadCourse),
        "mobility" => (Msg::CatalogueKindsMobility, Msg::CatalogueKindsLeadMobility),
        _ => (Msg::CatalogueKindsPartnership, Msg::CatalogueKindsLeadPartnership),
    }
}

/// `/catalogue`: the three catalogues.
#[component]
pub fn CatalogueOverviewPage() -> impl IntoView {
    view! {
        <Title text=t(Msg::CatalogueTitle) />
        <section class="wrap page">
            <h1>{t(Msg::CatalogueTitle)}</h1>
            <p class="lead">{t(Msg::CatalogueLead)}</p>
            <ul class="card-grid">
                {KINDS
                    .iter()
                    .map(|k| {
                        let (name, lead) = kinds_msg(k);
                        view! {
                            <li>
                                <article class="card">
                                    <h2 class="card-title"><a href=format!("/catalogue/{}", kind_segment(k))>{t(name)}</a></h2>
                                    <p>{t(lead)}</p>
                                </article>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn CourseCataloguePage() -> impl IntoView {
    view! { <KindCatalogue kind="course" /> }
}

#[component]
pub fn MobilityCataloguePage() -> impl IntoView {
    view! { <KindCatalogue kind="mobility" /> }
}

#[component]
pub fn PartnershipCataloguePage() -> impl IntoView {
    view! { <KindCatalogue kind="partnership" /> }
}

const FILTER_KEYS: &[&str] = &[
    "country", "language", "subject", "from", "until", "mode", "org", "sort",
];

/// One kind's public catalogue: the filter form (GET), the count, the cards, the pages.
#[component]
fn KindCatalogue(kind: &'static str) -> impl IntoView {
    let query_map = use_query_map();
    let query = move || {
        let q = query_map.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        CatalogueQuery {
            kind: kind.to_string(),
            country: get("country"),
            language: get("language"),
            subject: get("subject"),
            from: get("from"),
            until: get("until"),
            mode: get("mode"),
            org: get("org"),
            sort: get("sort"),
            page: get("page").parse().unwrap_or(1),
        }
    };
    let data = Resource::new(query, list_catalogue);
    let (name, lead) = kinds_msg(kind);
    view! {
        <Title text=t(name) />
        <section class="wrap page catalogue">
            <h1>{t(name)}</h1>
            <p class="lead">{t(lead)}</p>
            <Filters kind q=query() />
            <Suspense>
                {move || Suspend::new(async move {
                    let q = query();
                    or_error_page(data.await, move |page| view! { <Results kind q page /> })
                })}
            </Suspense>
        </section>
    }
}

/// A labelled `<select>` of a GET form with an "any" choice.
fn filter_select(
    id: &'static str,
    label: Msg,
    options: Vec<(&'static str, String)>,
    selected: String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=format!("filter-{id}")>{t(label)}</label>
            <select id=format!("filter-{id}") name=id>
                <option value="" selected=selected.is_empty()>{t(Msg::CatalogueFilterAny)}</option>
                {options
                    .into_iter()
                    .map(|(code, label)| view! { <option value=code selected=code == selected>{label}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}

fn filter_input(
    id: &'static str,
    kind: &'static str,
    label: Msg,
    hint: Option<Msg>,
    value: String,
) -> impl IntoView {
    let hint_id = format!("filter-{id}-hint");
    view! {
        <div class="field">
            <label for=format!("filter-{id}")>{t(label)}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{t(h)}</p> })}
            <input id=format!("filter-{id}") name=id type=kind value=value aria-describedby=hint.map(|_| hint_id.clone()) />
        </div>
    }
}

#[component]
fn Filters(kind: &'static str, q: CatalogueQuery) -> impl IntoView {
    let lang = current_lang();
    let partnership = kind == "partnership";
    let (from_label, until_label, soonest) = if partnership {
        (
            Msg::CatalogueFilterDeadlineFrom,
            Msg::CatalogueFilterDeadlineUntil,
            Msg::CatalogueSortDeadline,
        )
    } else {
        (
            Msg::CatalogueFilterFrom,
            Msg::CatalogueFilterUntil,
            Msg::CatalogueSortStarts,
        )
    };
    let mut sorts = vec![
        ("newest", t(Msg::CatalogueSortNewest).to_string()),
        ("starts", t(soonest).to_string()),
        ("title", t(Msg::CatalogueSortTitle).to_string()),
    ];
    if kind == "course" {
        sorts.push(("rating", t(Msg::CatalogueSortRating).to_string()));
    }
    let sort = if q.sort.is_empty() {
        "newest".to_string()
    } else {
        q.sort.clone()
    };
    let action = format!("/catalogue/{}", kind_segment(kind));
    let reset = action.clone();
    view! {
        <form method="get" action=action class="filters" role="search" aria-labelledby="filters-heading">
            <h2 id="filters-heading" class="filters-heading">{t(Msg::CatalogueFilterHeading)}</h2>
            <div class="filter-grid">
                {filter_select("country", Msg::CatalogueFilterCountry, sorted_options(lang, COUNTRIES, country_name), q.country)}
                {filter_select("language", Msg::CatalogueFilterLanguage, sorted_options(lang, LANGUAGES, language_name), q.language)}
                {filter_select("subject", Msg::CatalogueFilterSubject, sorted_options(lang, &subject_codes(), subject_name), q.subject)}
                {(!partnership).then(|| filter_select("mode", Msg::CatalogueFilterMode, options(lang, "catalogue.mode", MODES), q.mode.clone()))}
                {filter_input("from", "date", from_label, None, q.from)}
                {filter_input("until", "date", until_label, None, q.until)}
                {filter_input("org", "search", Msg::CatalogueFilterOrg, Some(Msg::CatalogueFilterOrgHint), q.org)}
                <div class="field">
                    <label for="filter-sort">{t(Msg::CatalogueFilterSort)}</label>
                    <select id="filter-sort" name="sort">
                        {sorts
                            .into_iter()
                            .map(|(code, label)| view! { <option value=code selected=code == sort>{label}</option> })
                            .collect_view()}
                    </select>
                </div>
            </div>
            <p class="form-actions">
                <button type="submit" class="button primary">{t(Msg::CatalogueFilterApply)}</button>
                " "
                <a href=reset>{t(Msg::CatalogueFilterReset)}</a>
            </p>
        </form>
    }
}

/// The query string of a catalogue page with the same filters and another page number.
fn page_href(kind: &str, q: &CatalogueQuery, page: i64) -> String {
    let values = [
        &q.country,
        &q.language,
        &q.subject,
        &q.from,
        &q.until,
        &q.mode,
        &q.org,
        &q.sort,
    ];
    let mut parts: Vec<String> = FILTER_KEYS
        .iter()
        .zip(values)
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode_path(v)))
        .collect();
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    let base = format!("/catalogue/{}", kind_segment(kind));
    if parts.is_empty() {
        base
    } else {
        format!("{base}?{}", parts.join("&"))
    }
}

#[component]
fn Results(kind: &'static str, q: CatalogueQuery, page: CataloguePage) -> impl IntoView {
    let count = if page.total == 1 {
        t(Msg::CatalogueResultsOne).to_string()
    } else {
        fill(
            t(Msg::CatalogueResultsMany),
            &[("count", &page.total.to_string())],
        )
    };
    let pages = ((page.total + page.page_size - 1) / page.page_size).max(1);
    let current = page.page;
    let nav = (pages > 1).then(|| {
        let link = |n: i64, text: String, rel: Option<&'static str>| {
            view! { <li><a href=page_href(kind, &q, n) rel=rel aria-current=(n == current).then_some("page")>{text}</a></li> }
        };
        let shown: Vec<i64> = (1..=pages)
            .filter(|n| *n == 1 || *n == pages || (*n - current).abs() <= 2)
            .collect();
        view! {
            <nav class="pagination" aria-label=t(Msg::CataloguePagination)>
                <ul>
                    {(current > 1).then(|| link(current - 1, t(Msg::CataloguePrev).to_string(), Some("prev")))}
                    {shown
                        .into_iter()
                        .map(|n| {
                            let label = fill(t(Msg::CataloguePageN), &[("n", &n.to_string())]);
                            view! {
                                <li>
                                    <a href=page_href(kind, &q, n) aria-current=(n == current).then_some("page") aria-label=label>
                                        {n}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                    {(current < pages).then(|| link(current + 1, t(Msg::CatalogueNext).to_string(), Some("next")))}
                </ul>
            </nav>
        }
    });
    view! {
        <p class="result-count" role="status">{count}</p>
        {if page.cards.is_empty() {
            view! { <p class="empty">{t(Msg::CatalogueEmpty)}</p> }.into_any()
        } else {
            view! { <CardList cards=page.cards heading_level=2 /> }.into_any()
        }}
        {nav}
    }
}

fn dates(c: &ListingCard) -> Option<String> {
    if c.kind == "partnership" {
        return c
            .deadline_on
            .clone()
            .map(|d| format!("{}: {d}", t(Msg::CatalogueFieldDeadlineOn)));
    }
    match (&c.starts_on, &c.ends_on) {
        (Some(s), Some(e)) if s != e => Some(format!("{s} – {e}")),
        (Some(s), _) => Some(s.clone()),
        _ => None,
    }
}

pub fn rating_text(avg: Option<f64>, count: i64) -> String {
    match avg {
        Some(a) if count > 0 => fill(
            t(Msg::CatalogueRating),
            &[("avg", &format!("{a:.1}")), ("count", &count.to_string())],
        ),
        _ => t(Msg::CatalogueNoRating).to_string(),
    }
}

/// Listing cards; `heading_level` is that of the card titles (2, 3 or 4).
#[component]
pub fn CardList(cards: Vec<ListingCard>, heading_level: u8) -> impl IntoView {
    let lang = current_lang();
    view! {
        <ul class="card-grid listing-cards">
            {cards
                .into_iter()
                .map(|c| {
                    let href = format!("/catalogue/{}", c.slug);
                    let title = view! { <a href=href>{c.title.clone()}</a> };
                    let heading = match heading_level {
                        4 => view! { <h4 class="card-title">{title}</h4> }.into_any(),
                        3 => view! { <h3 class="card-title">{title}</h3> }.into_any(),
                        _ => view! { <h2 class="card-title">{title}</h2> }.into_any(),
                    };
                    let status = if c.expired {
                        Some(t(Msg::CatalogueStatusExpired).to_string())
                    } else if c.status != "published" {
                        Some(label(lang, "catalogue.status", &c.status))
                    } else {
                        None
                    };
                    let place = [c.place.clone(), country_name(lang, &c.country)]
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(", ");
                    let facts = [
                        Some(place),
                        (c.kind != "partnership").then(|| label(lang, "catalogue.mode", &c.mode)),
                        Some(language_name(lang, &c.language)),
                        dates(&c),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · ");
                    view! {
                        <li>
                            <article class="card listing-card">
                                {heading}
                                {status.map(|s| view! { <p><span class="badge">{s}</span></p> })}
                                <p class="muted">
                                    <a href=format!("/organisations/{}", c.organisation_slug)>{c.organisation_name.clone()}</a>
                                </p>
                                <p class="muted">{facts}</p>
                                {(!c.summary.is_empty()).then(|| view! { <p>{c.summary.clone()}</p> })}
                                {(c.kind == "course" && c.rating_count > 0).then(|| view! { <p class="rating">{rating_text(c.rating_avg, c.rating_count)}</p> })}
                                {c.course_slug.clone().map(|course| {
                                    let name = fill(t(Msg::CatalogueGoToCourseNamed), &[("title", &c.title)]);
                                    view! { <p><a href=format!("/courses/{course}") aria-label=name>{t(Msg::CatalogueGoToCourse)}</a></p> }
                                })}
                            </article>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// `/catalogue/{slug}`: a listing (S7, S18).
#[component]
pub fn ListingDetailPage() -> impl IntoView {
    let slug = slug_param();
    let data = Resource::new(slug, get_listing);
    let query = use_query_map();
    let status = Signal::derive(move || query.read().get("status"));
    view! {
        <section class="wrap page">
            <StatusNote status notes=STATUS_NOTES />
            <Suspense>
                {move || Suspend::new(async move { or_error_page(data.await, |l| view! { <ListingView l /> }) })}
            </Suspense>
            // S7, S18: reviews (courses) and comments of a published listing; both render
            // nothing otherwise. Created here, not inside the listing's `Suspend`, so their
            // resources exist in the same order on the server and in the browser (hydration).
            <crate::reviews::pages::ListingReviews listing_slug=slug() />
            <crate::comments::pages::ListingComments listing_slug=slug() />
        </section>
    }
}

fn fact(label: Msg, value: String) -> Option<impl IntoView> {
    (!value.trim().is_empty()).then(|| view! { <dt>{t(label)}</dt><dd>{value}</dd> })
}

#[component]
fn ListingView(l: ListingPage) -> impl IntoView {
    let lang = current_lang();
    let f = l.form.clone();
    let notice = if l.status == "draft" {
        Some(Msg::CatalogueNoticeDraft)
    } else if l.status == "withdrawn" {
        Some(Msg::CatalogueNoticeWithdrawn)
    } else if l.expired {
        Some(Msg::CatalogueNoticeExpired)
    } else {
        None
    };
    let when = match (f.starts_on.as_str(), f.ends_on.as_str()) {
        ("", _) => String::new(),
        (s, "") => s.to_string(),
        (s, e) if s == e => s.to_string(),
        (s, e) => format!("{s} – {e}"),
    };
    let subjects = f
        .subjects
        .iter()
        .map(|s| subject_name(lang, s))
        .collect::<Vec<_>>()
        .join(", ");
    let kind_facts = match f.kind.as_str() {
        "course" => view! {
            {fact(Msg::CatalogueFieldFee, f.fee.clone())}
            {fact(Msg::CatalogueFieldTargetAudience, f.target_audience.clone())}
        }
        .into_any(),
        "mobility" => view! {
            {fact(Msg::CatalogueFieldMobilityType, label(lang, "catalogue.mobility_type", &f.mobility_type))}
            {fact(Msg::CatalogueFieldHost, f.host.clone())}
            {fact(Msg::CatalogueFieldPlaces, f.places.clone())}
        }
        .into_any(),
        _ => view! { {fact(Msg::CatalogueFieldDeadlineOn, f.deadline_on.clone())} }.into_any(),
    };
    let partnership_text = (f.kind == "partnership").then(|| {
        view! {
            <h2>{t(Msg::CatalogueFieldProjectIdea)}</h2>
            <p class="profile-description">{f.project_idea.clone()}</p>
            <h2>{t(Msg::CatalogueFieldPartnersSought)}</h2>
            <p class="profile-description">{f.partners_sought.clone()}</p>
        }
    });
    let place = [f.place.clone(), country_name(lang, &f.country)]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <Title text=f.title.clone() />
        <Link rel="canonical" href=l.canonical_url.clone() />
        // Data for search engines, not run; `course_json_ld` escapes `<`, `>` and `&`.
        {l.json_ld.clone().map(|j| view! { <script type="application/ld+json" inner_html=j></script> })}
        <article class="listing">
            <p class="muted">{label(lang, "catalogue.kind", &f.kind)}</p>
            <h1>{f.title.clone()}</h1>
            {notice.map(|m| view! { <p class="form-note">{t(m)}</p> })}
            {l.can_edit.then(|| view! { <p><a class="button" href=format!("/catalogue/{}/edit", l.slug)>{t(Msg::CatalogueEditLink)}</a></p> })}
            {l.course_slug.clone().map(|course| view! {
                <p>{t(Msg::CatalogueAgoraCourse)} " " <a class="button primary" href=format!("/courses/{course}")>{t(Msg::CatalogueGoToCourse)}</a></p>
            })}
            {(!f.summary.is_empty()).then(|| view! { <p class="lead">{f.summary.clone()}</p> })}
            <dl class="profile-facts">
                <dt>{t(Msg::CatalogueFieldOrganisation)}</dt>
                <dd><a href=format!("/organisations/{}", l.organisation_slug)>{l.organisation_name.clone()}</a></dd>
                {fact(Msg::CatalogueFieldDates, when)}
                {fact(Msg::CatalogueFieldPlace, place)}
                {(f.kind != "partnership").then(|| fact(Msg::CatalogueFieldMode, label(lang, "catalogue.mode", &f.mode)))}
                {fact(Msg::CatalogueFieldLanguage, language_name(lang, &f.language))}
                {kind_facts}
                {fact(Msg::CatalogueFieldSubjects, subjects)}
                {(f.kind == "course").then(|| fact(Msg::CatalogueFieldRating, rating_text(l.rating_avg, l.rating_count)))}
            </dl>
            {partnership_text}
            {(!l.description_html.is_empty()).then(|| view! {
                <h2>{t(Msg::CatalogueFieldDescription)}</h2>
                <RichText html=l.description_html.clone() />
            })}
        </article>
    }
}

/// The fields of a listing form: the common ones, then those of `kind`.
#[component]
fn ListingFields(
    f: ListingForm,
    kind: String,
    error: impl Fn() -> Option<AppError> + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let lang = current_lang();
    let specific = match kind.as_str() {
        "course" => view! {
            <Field name="form[fee]" field="fee" label=Msg::CatalogueFieldFee value=f.fee.clone() maxlength=100 error />
            <Field name="form[target_audience]" field="target_audience" label=Msg::CatalogueFieldTargetAudience value=f.target_audience.clone() maxlength=300 error />
        }
        .into_any(),
        "mobility" => view! {
            <Select name="form[mobility_type]" field="mobility_type" label=Msg::CatalogueFieldMobilityType options=options(lang, "catalogue.mobility_type", MOBILITY_TYPES) selected=f.mobility_type.clone() required=true error />
            <Field name="form[host]" field="host" label=Msg::CatalogueFieldHost value=f.host.clone() required=true maxlength=200 error />
            <Field name="form[places]" field="places" label=Msg::CatalogueFieldPlaces kind="number" value=f.places.clone() error />
        }
        .into_any(),
        _ => view! {
            <TextArea name="form[project_idea]" field="project_idea" label=Msg::CatalogueFieldProjectIdea value=f.project_idea.clone() error />
            <TextArea name="form[partners_sought]" field="partners_sought" label=Msg::CatalogueFieldPartnersSought value=f.partners_sought.clone() error />
            <Field name="form[deadline_on]" field="deadline_on" label=Msg::CatalogueFieldDeadlineOn hint=Msg::CatalogueFieldDeadlineHint kind="date" value=f.deadline_on.clone() required=true error />
        }
        .into_any(),
    };
    let dated = kind != "partnership";
    view! {
        <input type="hidden" name="form[kind]" value=kind.clone() />
        <Field name="form[title]" field="title" label=Msg::CatalogueFieldTitle value=f.title required=true maxlength=200 error />
        <Field name="form[summary]" field="summary" label=Msg::CatalogueFieldSummary hint=Msg::CatalogueFieldSummaryHint value=f.summary maxlength=500 error />
        <TextArea name="form[description]" field="description" label=Msg::CatalogueFieldDescription hint=Msg::CatalogueFieldDescriptionHint value=f.description error />
        {specific}
        <Select name="form[language]" field="language" label=Msg::CatalogueFieldLanguage options=sorted_options(lang, LANGUAGES, language_name) selected=f.language required=true error />
        <Select name="form[country]" field="country" label=Msg::CatalogueFieldCountry options=sorted_options(lang, COUNTRIES, country_name) selected=f.country required=true error />
        <Select name="form[mode]" field="mode" label=Msg::CatalogueFieldMode options=options(lang, "catalogue.mode", MODES) selected=if f.mode.is_empty() { "onsite".to_string() } else { f.mode } required=true error />
        <Field name="form[place]" field="place" label=Msg::CatalogueFieldPlace hint=Msg::CatalogueFieldPlaceHint value=f.place maxlength=200 error />
        <Field name="form[starts_on]" field="starts_on" label=Msg::CatalogueFieldStartsOn kind="date" value=f.starts_on required=dated error />
        <Field name="form[ends_on]" field="ends_on" label=Msg::CatalogueFieldEndsOn kind="date" value=f.ends_on error />
        <Field name="form[expires_on]" field="expires_on" label=Msg::CatalogueFieldExpiresOn hint=Msg::CatalogueFieldExpiresOnHint kind="date" value=f.expires_on error />
        <CheckboxGroup name="form[subjects][]" field="subjects" legend=Msg::CatalogueFieldSubjects options=sorted_options(lang, &subject_codes(), subject_name) checked=f.subjects error />
        <Field name="form[external_id]" field="external_id" label=Msg::CatalogueFieldExternalId hint=Msg::CatalogueFieldExternalIdHint value=f.external_id maxlength=100 error />
    }
}

/// `/organisations/{slug}/listings/new?kind=…`: the organisation's members (S16).
#[component]
pub fn NewListingPage() -> impl IntoView {
    let slug = slug_param();
    let data = Resource::new(slug, new_listing_info);
    let query = use_query_map();
    let kind = move || query.read().get("kind").filter(|k| KINDS.contains(&k.as_str()));
    view! {
        <Title text=t(Msg::CatalogueNewTitle) />
        <section class="wrap page narrow">
            <h1>{t(Msg::CatalogueNewTitle)}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    let kind = kind();
                    signed_in_or_redirect(data.await, move |info| view! { <NewListing info kind /> })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn NewListing(info: NewListingTarget, kind: Option<String>) -> impl IntoView {
    let lang = current_lang();
    let lead = fill(t(Msg::CatalogueNewLead), &[("org", &info.organisation_name)]);
    let Some(kind) = kind else {
        return view! {
            <p class="lead">{lead}</p>
            <h2>{t(Msg::CatalogueNewChooseKind)}</h2>
            <ul class="kind-choice">
                {KINDS
                    .iter()
                    .map(|k| {
                        let href = format!("/organisations/{}/listings/new?kind={k}", info.organisation_slug);
                        view! { <li><a class="button" href=href>{label(lang, "catalogue.kind", k)}</a></li> }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any();
    };
    let action = ServerAction::<CreateListing>::new();
    let error = last_error(action.value());
    view! {
        <p class="lead">{lead}</p>
        <h2>{label(lang, "catalogue.kind", &kind)}</h2>
        <p class="hint">{t(Msg::FormRequiredNote)}</p>
        <FormAlert error />
        <ActionForm action attr:class="form">
            <input type="hidden" name="org" value=info.organisation_slug.clone() />
            <ListingFields f=ListingForm::default() kind error />
            <p class="form-actions">
                <button type="submit" name="publish" value="1" class="button primary">{t(Msg::CataloguePublish)}</button>
                " "
                <button type="submit" name="publish" value="0" class="button secondary">{t(Msg::CatalogueSaveDraft)}</button>
            </p>
        </ActionForm>
        <FollowSuccess value=action.value() />
    }
    .into_any()
}

/// `/catalogue/{slug}/edit`: those who may edit the listing.
#[component]
pub fn EditListingPage() -> impl IntoView {
    let slug = slug_param();
    let data = Resource::new(slug, listing_for_edit);
    let query = use_query_map();
    let status = Signal::derive(move || query.read().get("status"));
    view! {
        <Title text=t(Msg::CatalogueEditTitle) />
        <section class="wrap page narrow">
            <h1>{t(Msg::CatalogueEditTitle)}</h1>
            <StatusNote status notes=STATUS_NOTES />
            <Suspense>
                {move || Suspend::new(async move { signed_in_or_redirect(data.await, |l| view! { <EditListing l /> }) })}
            </Suspense>
        </section>
    }
}

#[component]
fn EditListing(l: ListingPage) -> impl IntoView {
    let lang = current_lang();
    let update = ServerAction::<UpdateListing>::new();
    let set_status = ServerAction::<SetListingStatus>::new();
    let error = last_error(update.value());
    let status_error = last_error(set_status.value());
    let now = if l.expired {
        t(Msg::CatalogueStatusExpired).to_string()
    } else {
        label(lang, "catalogue.status", &l.status)
    };
    let buttons: Vec<(&str, Msg)> = [
        ("published", Msg::CataloguePublish),
        ("draft", Msg::CatalogueUnpublish),
        ("withdrawn", Msg::CatalogueWithdraw),
    ]
    .into_iter()
    .filter(|(s, _)| *s != l.status)
    .collect();
    let slug = l.slug.clone();
    let status_slug = l.slug.clone();
    let view_href = format!("/catalogue/{}", l.slug);
    view! {
        <p><a href=view_href>{t(Msg::CatalogueEditView)}</a></p>
        <section aria-labelledby="status-heading">
            <h2 id="status-heading">{t(Msg::CatalogueEditStatusHeading)}</h2>
            <p>{fill(t(Msg::CatalogueEditStatusNow), &[("status", &now)])}</p>
            <FormAlert error=status_error />
            <ActionForm action=set_status attr:class="inline-form">
                <input type="hidden" name="slug" value=status_slug />
                {buttons
                    .into_iter()
                    .map(|(s, m)| view! { <button type="submit" name="status" value=s class="button secondary">{t(m)}</button> " " })
                    .collect_view()}
            </ActionForm>
        </section>
        <h2>{label(lang, "catalogue.kind", &l.form.kind)}</h2>
        <p class="hint">{t(Msg::FormRequiredNote)}</p>
        <FormAlert error />
        <ActionForm action=update attr:class="form">
            <input type="hidden" name="slug" value=slug />
            <ListingFields kind=l.form.kind.clone() f=l.form error />
            <p class="form-actions">
                <button type="submit" class="button primary">{t(Msg::CatalogueSave)}</button>
            </p>
        </ActionForm>
        <FollowSuccess value=update.value() />
        <FollowSuccess value=set_status.value() />
    }
}
