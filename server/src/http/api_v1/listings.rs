//! Listings over `/api/v1` (#6, S7, S16): the public catalogue, and an organisation's own
//! listings created, changed and withdrawn with its API token. Validation, slugs, external
//! ids and every query are the catalogue's (`app::catalogue`); this module only maps HTTP
//! to them. A token of another organisation gets exactly the answer a missing listing gets.
use super::auth::Caller;
use super::errors::{ApiError, ApiJson, ApiQuery, Code, ErrorBody};
use super::{PREFIX, Paging, rfc3339};
use crate::http::state::AppState;
use app::api_tokens::db::TokenOwner;
use app::auth::{Action, Actor, require};
use app::catalogue::db::{self as catalogue, ListingError, ListingRow};
use app::catalogue::model::{CatalogueQuery, KINDS, ListingCard, ListingForm};
use app::platform::Platform;
use axum::{
    Json,
    extract::{FromRequestParts, Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, Uri, header, request::Parts},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A listing as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct Listing {
    #[schema(example = "summer-school-on-climate")]
    pub slug: String,
    /// The public page.
    pub url: String,
    /// `course`, `mobility` or `partnership`.
    pub kind: String,
    /// `draft`, `published` or `withdrawn`. Only published listings are public.
    pub status: String,
    /// Published, but past its expiry date (or a partnership's deadline).
    pub expired: bool,
    /// The organisation's slug.
    pub organisation: String,
    pub title: String,
    pub summary: String,
    /// The description as Markdown, as it was sent; to the organisation's own tokens only
    /// (as on the site, where only the edit page has the source).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The description rendered from Markdown and sanitised (an allow-list of tags).
    pub description_html: String,
    /// ISO 639-1.
    pub language: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub place: String,
    /// `online`, `onsite` or `blended`.
    pub mode: String,
    /// `YYYY-MM-DD`.
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub expires_on: Option<String>,
    pub fee: String,
    pub target_audience: String,
    pub mobility_type: String,
    pub host: String,
    pub places: Option<i64>,
    pub project_idea: String,
    pub partners_sought: String,
    pub deadline_on: Option<String>,
    pub subjects: Vec<String>,
    /// The organisation's own id for the listing; shown to its own tokens only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
    pub published_at: Option<String>,
    /// For the listing of an Agora course run: the course's page, where learners enrol.
    /// Such a listing follows its course; writes to it answer `409 follows_course`.
    pub course_url: Option<String>,
}

/// A listing in the catalogue's lists.
#[derive(Serialize, ToSchema)]
pub struct ListingSummary {
    pub slug: String,
    pub url: String,
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub organisation: String,
    pub organisation_name: String,
    pub country: String,
    pub place: String,
    pub mode: String,
    pub language: String,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub deadline_on: Option<String>,
    /// Average stars of the reviews (courses), none without reviews.
    pub rating_avg: Option<f64>,
    pub rating_count: i64,
    /// For the listing of an Agora course run: the course's page.
    pub course_url: Option<String>,
}

/// A page of the public catalogue.
#[derive(Serialize, ToSchema)]
pub struct ListingPage {
    pub items: Vec<ListingSummary>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

/// What a system sends to create or change a listing. Every field is text, as in the
/// catalogue's forms (`places` may also be a JSON number); fields of the other kinds are
/// ignored. Unknown fields are refused (`invalid_json`), so a misspelt one is noticed.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields, default)]
pub struct ListingInput {
    /// `course`, `mobility` or `partnership`; fixed once the listing exists.
    #[schema(example = "course")]
    pub kind: String,
    #[schema(example = "Summer school on climate")]
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub description: String,
    #[schema(example = "en")]
    pub language: String,
    #[schema(example = "DK")]
    pub country: String,
    pub place: String,
    #[schema(example = "onsite")]
    pub mode: String,
    #[schema(example = "2027-07-01")]
    pub starts_on: String,
    pub ends_on: String,
    pub expires_on: String,
    pub fee: String,
    pub target_audience: String,
    pub mobility_type: String,
    pub host: String,
    #[serde(deserialize_with = "text_or_number")]
    #[schema(value_type = String, example = "12")]
    pub places: String,
    pub project_idea: String,
    pub partners_sought: String,
    pub deadline_on: String,
    /// Subject codes.
    pub subjects: Vec<String>,
    /// The organisation's own id for the listing, unique within the organisation.
    pub external_id: String,
    /// Create: publish at once (default: a draft). Update: `true` publishes a draft or a
    /// withdrawn listing, `false` turns a published listing back into a draft; absent keeps
    /// the status.
    pub publish: Option<bool>,
}

fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum TextOrNumber {
        Text(String),
        Number(i64),
    }
    Ok(match TextOrNumber::deserialize(d)? {
        TextOrNumber::Text(s) => s,
        TextOrNumber::Number(n) => n.to_string(),
    })
}

impl ListingInput {
    fn form(self) -> (ListingForm, Option<bool>) {
        (
            ListingForm {
                kind: self.kind,
                title: self.title,
                summary: self.summary,
                description: self.description,
                language: self.language,
                country: self.country,
                place: self.place,
                mode: self.mode,
                starts_on: self.starts_on,
                ends_on: self.ends_on,
                expires_on: self.expires_on,
                fee: self.fee,
                target_audience: self.target_audience,
                mobility_type: self.mobility_type,
                host: self.host,
                places: self.places,
                project_idea: self.project_idea,
                partners_sought: self.partners_sought,
                deadline_on: self.deadline_on,
                subjects: self.subjects,
                external_id: self.external_id,
            },
            self.publish,
        )
    }
}

/// The filters of the public catalogue.
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ListingsQuery {
    /// `course`, `mobility` or `partnership` (required: the catalogue is per kind).
    pub kind: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// ISO 639-1.
    pub language: String,
    /// A subject code.
    pub subject: String,
    /// `online`, `onsite` or `blended`.
    pub mode: String,
    /// An organisation's slug (or part of its name).
    pub organisation: String,
    /// From 1.
    pub page: Option<u32>,
    /// 1 to 100; default 20.
    pub per_page: Option<u32>,
}

/// The token of a write request, or `unauthorized` before anything else is looked at
/// (even the body).
pub struct WriteToken(pub TokenOwner);

impl<S: Send + Sync> FromRequestParts<S> for WriteToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Ok(caller) = Caller::from_request_parts(parts, state).await;
        caller.require_token().map(WriteToken)
    }
}

fn listing_error(e: ListingError) -> ApiError {
    match e {
        ListingError::Invalid(fields) => ApiError::invalid(fields),
        ListingError::ExternalIdTaken => ApiError::new(Code::ExternalIdTaken),
        ListingError::NotFound => ApiError::not_found(),
        ListingError::FollowsCourse => ApiError::new(Code::FollowsCourse),
        ListingError::Db(e) => ApiError::internal(e),
    }
}

fn listing_url(p: &Platform, slug: &str) -> String {
    format!("{}/catalogue/{slug}", p.public_url)
}

fn optional(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

async fn view(p: &Platform, row: ListingRow, own: bool) -> Result<Listing, ApiError> {
    let today = p.clock.today();
    let organisation = app::organisations::db::slug_by_id(&p.db, row.organisation_id)
        .await?
        .unwrap_or_default();
    let expired = row.expired(&today);
    let f = row.form;
    Ok(Listing {
        url: listing_url(p, &row.slug),
        slug: row.slug,
        kind: row.kind,
        status: row.status,
        expired,
        organisation,
        title: f.title,
        summary: f.summary,
        description_html: app::ui::markdown::to_safe_html(&f.description),
        description: own.then_some(f.description),
        language: f.language,
        country: f.country,
        place: f.place,
        mode: f.mode,
        starts_on: optional(f.starts_on),
        ends_on: optional(f.ends_on),
        expires_on: optional(f.expires_on),
        fee: f.fee,
        target_audience: f.target_audience,
        mobility_type: f.mobility_type,
        host: f.host,
        places: f.places.parse().ok(),
        project_idea: f.project_idea,
        partners_sought: f.partners_sought,
        deadline_on: optional(f.deadline_on),
        subjects: f.subjects,
        external_id: if own { optional(f.external_id) } else { None },
        created_at: rfc3339(row.created_at),
        updated_at: rfc3339(row.updated_at),
        published_at: row.published_at.map(rfc3339),
        course_url: row.course_slug.map(|c| course_url(p, &c)),
    })
}

fn summary(p: &Platform, c: ListingCard) -> ListingSummary {
    ListingSummary {
        url: listing_url(p, &c.slug),
        slug: c.slug,
        kind: c.kind,
        title: c.title,
        summary: c.summary,
        organisation: c.organisation_slug,
        organisation_name: c.organisation_name,
        country: c.country,
        place: c.place,
        mode: c.mode,
        language: c.language,
        starts_on: c.starts_on,
        ends_on: c.ends_on,
        deadline_on: c.deadline_on,
        rating_avg: c.rating_avg,
        rating_count: c.rating_count,
        course_url: c.course_slug.map(|s| course_url(p, &s)),
    }
}

fn course_url(p: &Platform, slug: &str) -> String {
    format!("{}/courses/{slug}", p.public_url)
}

/// The listing, if this token may change it: a missing listing and another
/// organisation's are the same `not_found`.
async fn own_listing(p: &Platform, token: TokenOwner, slug: &str) -> Result<ListingRow, ApiError> {
    let row = catalogue::by_slug(&p.db, slug)
        .await?
        .ok_or_else(ApiError::not_found)?;
    allowed(token, row.organisation_id)?;
    Ok(row)
}

fn allowed(token: TokenOwner, listing_org: i64) -> Result<(), ApiError> {
    require(
        &Actor::anonymous(),
        &Action::PublishWithApiToken {
            token_org: Some(token.organisation_id),
            listing_org,
        },
    )?;
    Ok(())
}

/// The status a write leaves: `publish` true publishes (a draft, or a withdrawn listing
/// again, as the listing's edit page can), false makes a published listing a draft again,
/// absent keeps the status.
async fn apply_publish(p: &Platform, row: &ListingRow, publish: Option<bool>) -> Result<(), ApiError> {
    let target = match (publish, row.status.as_str()) {
        (Some(true), "draft" | "withdrawn") => "published",
        (Some(false), "published") => "draft",
        _ => return Ok(()),
    };
    catalogue::set_status(&p.db, row.id, target, p.clock.now_ms())
        .await
        .map_err(listing_error)
}

async fn reload(p: &Platform, id: i64) -> Result<ListingRow, ApiError> {
    catalogue::by_id(&p.db, id).await?.ok_or_else(ApiError::not_found)
}

/// The public catalogue: published listings that have not expired, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/listings",
    tag = "listings",
    params(ListingsQuery),
    responses(
        (status = 200, description = "A page of listings; `Link` names the next and previous pages", body = ListingPage),
        (status = 400, description = "`invalid_parameter`", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ListingsQuery>,
    uri: Uri,
) -> Result<Response, ApiError> {
    require(&Actor::anonymous(), &Action::ViewPublic)?;
    let p = &state.platform;
    let kind = q.kind.trim();
    if !KINDS.contains(&kind) {
        return Err(ApiError::with_detail(
            Code::InvalidParameter,
            "kind must be one of: course, mobility, partnership",
        ));
    }
    let paging = Paging::new(q.page, q.per_page);
    let query = CatalogueQuery {
        kind: kind.to_string(),
        country: q.country,
        language: q.language,
        subject: q.subject,
        mode: q.mode,
        org: q.organisation,
        page: i64::from(paging.page),
        ..Default::default()
    };
    if query.check().is_err() {
        return Err(ApiError::with_detail(
            Code::InvalidParameter,
            "filters may have at most 200 characters",
        ));
    }
    let page = catalogue::catalogue_sized(&p.db, &query, &p.clock.today(), paging.limit()).await?;
    let mut headers = HeaderMap::new();
    if let Some(link) = paging.link_header(
        &p.public_url,
        &format!("{PREFIX}/listings"),
        uri.query(),
        page.total,
    ) {
        headers.insert(header::LINK, link);
    }
    let body = ListingPage {
        items: page.cards.into_iter().map(|c| summary(p, c)).collect(),
        page: paging.page,
        per_page: paging.per_page,
        total: page.total,
    };
    Ok((headers, Json(body)).into_response())
}

/// One listing. Published ones are public; a draft or withdrawn one only with a token of
/// its own organisation (otherwise `not_found`, as for a missing one).
#[utoipa::path(
    get,
    path = "/api/v1/listings/{slug}",
    tag = "listings",
    params(("slug" = String, Path, description = "The listing's address name")),
    security((), ("token" = [])),
    responses(
        (status = 200, body = Listing),
        (status = 401, description = "`unauthorized`: a token was sent but is not valid", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> Result<Json<Listing>, ApiError> {
    let p = &state.platform;
    let row = catalogue::by_slug(&p.db, &slug)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let own = caller
        .token
        .is_some_and(|t| allowed(t, row.organisation_id).is_ok());
    if row.status != "published" && !own {
        return Err(ApiError::not_found());
    }
    Ok(Json(view(p, row, own).await?))
}

/// Creates a listing of the token's organisation: a draft, or published at once with
/// `"publish": true`.
#[utoipa::path(
    post,
    path = "/api/v1/listings",
    tag = "listings",
    request_body = ListingInput,
    security(("token" = [])),
    responses(
        (status = 201, description = "Created; `Location` is its API address", body = Listing),
        (status = 400, description = "`invalid_json`", body = ErrorBody),
        (status = 401, description = "`unauthorized`", body = ErrorBody),
        (status = 409, description = "`external_id_taken`", body = ErrorBody),
        (status = 422, description = "`validation_failed`, with the fields", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    WriteToken(token): WriteToken,
    ApiJson(input): ApiJson<ListingInput>,
) -> Result<Response, ApiError> {
    let p = &state.platform;
    allowed(token, token.organisation_id)?;
    let (form, publish) = input.form();
    let row = catalogue::create(
        &p.db,
        token.organisation_id,
        None,
        &form,
        publish.unwrap_or(false),
        p.clock.now_ms(),
    )
    .await
    .map_err(listing_error)?;
    let listing = view(p, row, true).await?;
    Ok(created_at(p, listing))
}

fn created_at(p: &Platform, listing: Listing) -> Response {
    let location = format!("{}{PREFIX}/listings/{}", p.public_url, listing.slug);
    let mut res = (StatusCode::CREATED, Json(listing)).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// Replaces a listing's fields (the kind stays). `publish` as in [`ListingInput`].
#[utoipa::path(
    put,
    path = "/api/v1/listings/{slug}",
    tag = "listings",
    params(("slug" = String, Path, description = "The listing's address name")),
    request_body = ListingInput,
    security(("token" = [])),
    responses(
        (status = 200, body = Listing),
        (status = 400, description = "`invalid_json`", body = ErrorBody),
        (status = 401, description = "`unauthorized`", body = ErrorBody),
        (status = 404, description = "`not_found`: no such listing, or not this token's organisation's", body = ErrorBody),
        (status = 409, description = "`external_id_taken`; `follows_course` for the listing of an Agora course run", body = ErrorBody),
        (status = 422, description = "`validation_failed`, with the fields", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    WriteToken(token): WriteToken,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<ListingInput>,
) -> Result<Json<Listing>, ApiError> {
    let p = &state.platform;
    let row = own_listing(p, token, &slug).await?;
    Ok(Json(save(p, row, input).await?))
}

async fn save(p: &Platform, row: ListingRow, input: ListingInput) -> Result<Listing, ApiError> {
    let (form, publish) = input.form();
    let updated = catalogue::update(&p.db, row.id, &form, p.clock.now_ms())
        .await
        .map_err(listing_error)?;
    apply_publish(p, &updated, publish).await?;
    view(p, reload(p, row.id).await?, true).await
}

/// Withdraws a listing: it leaves the catalogue and its public page (a later update with
/// `"publish": true` brings it back).
#[utoipa::path(
    post,
    path = "/api/v1/listings/{slug}/withdraw",
    tag = "listings",
    params(("slug" = String, Path, description = "The listing's address name")),
    security(("token" = [])),
    responses(
        (status = 200, description = "Withdrawn (also when it already was)", body = Listing),
        (status = 401, description = "`unauthorized`", body = ErrorBody),
        (status = 404, description = "`not_found`: no such listing, or not this token's organisation's", body = ErrorBody),
        (status = 409, description = "`follows_course`: the listing of an Agora course run", body = ErrorBody),
    )
)]
pub async fn withdraw(
    State(state): State<AppState>,
    WriteToken(token): WriteToken,
    Path(slug): Path<String>,
) -> Result<Json<Listing>, ApiError> {
    let p = &state.platform;
    let row = own_listing(p, token, &slug).await?;
    if row.status != "withdrawn" {
        catalogue::set_status(&p.db, row.id, "withdrawn", p.clock.now_ms())
            .await
            .map_err(listing_error)?;
    }
    Ok(Json(view(p, reload(p, row.id).await?, true).await?))
}

/// Creates or replaces the organisation's listing with this external id: the easy way to
/// keep a catalogue in step with another system.
#[utoipa::path(
    put,
    path = "/api/v1/organisations/{org}/listings/by-external-id/{external_id}",
    tag = "listings",
    params(
        ("org" = String, Path, description = "The organisation's slug"),
        ("external_id" = String, Path, description = "The organisation's own id for the listing"),
    ),
    request_body = ListingInput,
    security(("token" = [])),
    responses(
        (status = 200, description = "Replaced", body = Listing),
        (status = 201, description = "Created", body = Listing),
        (status = 400, description = "`invalid_json`", body = ErrorBody),
        (status = 401, description = "`unauthorized`", body = ErrorBody),
        (status = 404, description = "`not_found`: no such organisation, or not this token's", body = ErrorBody),
        (status = 409, description = "`external_id_taken`", body = ErrorBody),
        (status = 422, description = "`validation_failed`, with the fields", body = ErrorBody),
    )
)]
pub async fn upsert_by_external_id(
    State(state): State<AppState>,
    WriteToken(token): WriteToken,
    Path((org, external_id)): Path<(String, String)>,
    ApiJson(mut input): ApiJson<ListingInput>,
) -> Result<Response, ApiError> {
    let p = &state.platform;
    let org = app::organisations::db::by_slug(&p.db, &org)
        .await?
        .ok_or_else(ApiError::not_found)?;
    allowed(token, org.id)?;
    input.external_id = external_id.clone();
    match catalogue::by_external_id(&p.db, org.id, external_id.trim()).await? {
        Some(row) => Ok(Json(save(p, row, input).await?).into_response()),
        None => {
            let (form, publish) = input.form();
            let row = catalogue::create(
                &p.db,
                org.id,
                None,
                &form,
                publish.unwrap_or(false),
                p.clock.now_ms(),
            )
            .await
            .map_err(listing_error)?;
            Ok(created_at(p, view(p, row, true).await?))
        }
    }
}
