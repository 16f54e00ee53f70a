//! `GET /api/v1/organisations` and `GET /api/v1/organisations/{slug}`: public (S16), the
//! same facts as the public organisation pages and never the private school fields (T8).
use super::errors::{ApiError, ApiQuery, ErrorBody};
use super::{PREFIX, Paging};
use crate::http::state::AppState;
use app::auth::{Action, Actor, require};
use app::organisations::db as orgs;
use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, Uri, header},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// An organisation in a list.
#[derive(Serialize, ToSchema)]
pub struct OrganisationSummary {
    #[schema(example = "noerre-skole")]
    pub slug: String,
    pub name: String,
    /// `school`, `higher_education`, `training_provider`, `public_authority`, `ngo`,
    /// `company` or `other`.
    pub org_type: String,
    pub city: String,
    /// ISO 3166-1 alpha-2.
    #[schema(example = "DK")]
    pub country: String,
    /// The organisation's public page.
    pub url: String,
}

/// One organisation: what its public page shows.
#[derive(Serialize, ToSchema)]
pub struct Organisation {
    pub slug: String,
    pub name: String,
    pub org_type: String,
    pub address: String,
    pub postcode: String,
    pub city: String,
    pub region: String,
    pub country: String,
    pub description: String,
    pub website: String,
    pub facebook_url: String,
    pub linkedin_url: String,
    pub url: String,
}

/// A page of organisations, by name.
#[derive(Serialize, ToSchema)]
pub struct OrganisationPage {
    pub items: Vec<OrganisationSummary>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// From 1.
    pub page: Option<u32>,
    /// 1 to 100; default 20.
    pub per_page: Option<u32>,
}

/// Organisations, by name.
#[utoipa::path(
    get,
    path = "/api/v1/organisations",
    tag = "organisations",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of organisations; `Link` names the next and previous pages", body = OrganisationPage),
        (status = 400, description = "`invalid_parameter`", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PageQuery>,
    uri: Uri,
) -> Result<Response, ApiError> {
    require(&Actor::anonymous(), &Action::ViewPublic)?;
    let p = &state.platform;
    let paging = Paging::new(q.page, q.per_page);
    let total = orgs::count(&p.db).await?;
    let items = orgs::organisations(&p.db, paging.limit(), paging.offset())
        .await?
        .into_iter()
        .map(|o| OrganisationSummary {
            url: format!("{}/organisations/{}", p.public_url, o.slug),
            slug: o.slug,
            name: o.name,
            org_type: o.org_type,
            city: o.city,
            country: o.country,
        })
        .collect();
    let mut headers = HeaderMap::new();
    if let Some(link) = paging.link_header(
        &p.public_url,
        &format!("{PREFIX}/organisations"),
        uri.query(),
        total,
    ) {
        headers.insert(header::LINK, link);
    }
    let body = OrganisationPage {
        items,
        page: paging.page,
        per_page: paging.per_page,
        total,
    };
    Ok((headers, Json(body)).into_response())
}

/// One organisation.
#[utoipa::path(
    get,
    path = "/api/v1/organisations/{slug}",
    tag = "organisations",
    params(("slug" = String, Path, description = "The organisation's address name")),
    responses(
        (status = 200, body = Organisation),
        (status = 404, description = "`not_found`", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<Organisation>, ApiError> {
    require(&Actor::anonymous(), &Action::ViewPublic)?;
    let p = &state.platform;
    let org = orgs::by_slug(&p.db, &slug)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let f = org.form;
    Ok(Json(Organisation {
        url: format!("{}/organisations/{}", p.public_url, org.slug),
        slug: org.slug,
        name: f.name,
        org_type: f.org_type,
        address: f.address,
        postcode: f.postcode,
        city: f.city,
        region: f.region,
        country: f.country,
        description: f.description,
        website: f.website,
        facebook_url: f.facebook_url,
        linkedin_url: f.linkedin_url,
    }))
}
