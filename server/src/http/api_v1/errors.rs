//! The errors of `/api/v1`: always JSON,
//! `{"error": {"code": "...", "message": "...", "fields": [{"field", "code", "message"}]}}`.
//! `code` is stable (clients branch on it); `message` is for people, in the language of
//! `Accept-Language` (English by default). Refusals look exactly like missing things.
use app::error::FieldError;
use app::i18n::{Lang, Msg, from_headers};
use axum::{
    extract::{FromRequest, FromRequestParts, Query, Request},
    http::{HeaderValue, StatusCode, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde::{Serialize, de::DeserializeOwned};
use utoipa::ToSchema;

/// The stable error codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    Unauthorized,
    NotFound,
    InvalidJson,
    InvalidParameter,
    ValidationFailed,
    ExternalIdTaken,
    /// A write to the listing of an Agora course run, which follows its course.
    FollowsCourse,
    RateLimited,
    PayloadTooLarge,
    MethodNotAllowed,
    Internal,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Unauthorized => "unauthorized",
            Code::NotFound => "not_found",
            Code::InvalidJson => "invalid_json",
            Code::InvalidParameter => "invalid_parameter",
            Code::ValidationFailed => "validation_failed",
            Code::ExternalIdTaken => "external_id_taken",
            Code::FollowsCourse => "follows_course",
            Code::RateLimited => "rate_limited",
            Code::PayloadTooLarge => "payload_too_large",
            Code::MethodNotAllowed => "method_not_allowed",
            Code::Internal => "internal",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            Code::Unauthorized => StatusCode::UNAUTHORIZED,
            Code::NotFound => StatusCode::NOT_FOUND,
            Code::InvalidJson | Code::InvalidParameter => StatusCode::BAD_REQUEST,
            Code::ValidationFailed => StatusCode::UNPROCESSABLE_ENTITY,
            Code::ExternalIdTaken | Code::FollowsCourse => StatusCode::CONFLICT,
            Code::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Code::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Code::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message(self) -> Msg {
        match self {
            Code::Unauthorized => Msg::ApiErrorUnauthorized,
            Code::NotFound => Msg::ApiErrorNotFound,
            Code::InvalidJson => Msg::ApiErrorInvalidJson,
            Code::InvalidParameter => Msg::ApiErrorInvalidParameter,
            Code::ValidationFailed => Msg::ApiErrorValidationFailed,
            Code::ExternalIdTaken => Msg::ApiErrorExternalIdTaken,
            Code::FollowsCourse => Msg::ApiErrorFollowsCourse,
            Code::RateLimited => Msg::ApiErrorRateLimited,
            Code::PayloadTooLarge => Msg::ApiErrorPayloadTooLarge,
            Code::MethodNotAllowed => Msg::ApiErrorMethodNotAllowed,
            Code::Internal => Msg::ApiErrorInternal,
        }
    }
}

/// An error answer. Rendered in English by `into_response`, and again in the request's
/// language by [`localise`].
#[derive(Clone, Debug)]
pub struct ApiError {
    pub code: Code,
    pub fields: Vec<FieldError>,
    /// What the parser said about malformed JSON or a bad parameter (English).
    pub detail: Option<String>,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(code: Code) -> Self {
        ApiError {
            code,
            fields: Vec::new(),
            detail: None,
            retry_after: None,
        }
    }

    pub fn not_found() -> Self {
        Self::new(Code::NotFound)
    }

    pub fn unauthorized() -> Self {
        Self::new(Code::Unauthorized)
    }

    pub fn invalid(fields: Vec<FieldError>) -> Self {
        ApiError {
            fields,
            ..Self::new(Code::ValidationFailed)
        }
    }

    pub fn with_detail(code: Code, detail: impl Into<String>) -> Self {
        ApiError {
            detail: Some(detail.into()),
            ..Self::new(code)
        }
    }

    pub fn rate_limited(secs: u64) -> Self {
        ApiError {
            retry_after: Some(secs),
            ..Self::new(Code::RateLimited)
        }
    }

    /// A server-side failure: logged here, nothing of it in the answer.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "api request failed");
        Self::new(Code::Internal)
    }

    fn body(&self, lang: Lang) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code.as_str().into(),
                message: lang.t(self.code.message()).into(),
                detail: self.detail.clone(),
                fields: self
                    .fields
                    .iter()
                    .map(|f| FieldProblem {
                        field: f.field.clone(),
                        code: f.message.clone(),
                        message: Msg::from_key(&f.message)
                            .map(|m| lang.t(m).to_string())
                            .unwrap_or_else(|| f.message.clone()),
                    })
                    .collect(),
            },
        }
    }

    fn render(&self, lang: Lang) -> Response {
        let mut res = (self.code.status(), axum::Json(self.body(lang))).into_response();
        let h = res.headers_mut();
        if let Some(secs) = self.retry_after {
            h.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.code == Code::Unauthorized {
            h.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"agora\""),
            );
        }
        res.extensions_mut().insert(self.clone());
        res
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.render(Lang::default())
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::internal(e)
    }
}

impl From<app::auth::Denied> for ApiError {
    fn from(_: app::auth::Denied) -> Self {
        ApiError::not_found()
    }
}

/// Every error answer of the API, in the request's language.
pub async fn localise(req: Request, next: Next) -> Response {
    let lang = from_headers(req.headers());
    let res = next.run(req).await;
    match res.extensions().get::<ApiError>() {
        Some(e) if lang != Lang::default() => e.clone().render(lang),
        _ => res,
    }
}

pub async fn not_found() -> ApiError {
    ApiError::not_found()
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::new(Code::MethodNotAllowed)
}

/// The error document.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable: `unauthorized`, `not_found`, `invalid_json`, `invalid_parameter`,
    /// `validation_failed`, `external_id_taken`, `rate_limited`, `payload_too_large`,
    /// `method_not_allowed`, `internal`.
    #[schema(example = "validation_failed")]
    pub code: String,
    /// For people, in the language of `Accept-Language`.
    pub message: String,
    /// What the JSON or parameter parser said, for `invalid_json` and `invalid_parameter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For `validation_failed`: the fields and what is wrong with each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldProblem>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldProblem {
    #[schema(example = "title")]
    pub field: String,
    /// Stable code of the problem.
    #[schema(example = "field.required")]
    pub code: String,
    pub message: String,
}

/// A JSON request body: `Content-Type: application/json`, at most the configured size,
/// parsed into `T`; anything else is `invalid_json` (or `payload_too_large`), before any
/// handler code runs.
pub struct ApiJson<T>(pub T);

/// The body limit of the API, set by the router as a request extension.
#[derive(Clone, Copy)]
pub struct BodyLimit(pub usize);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|m| {
                let m = m.trim().to_ascii_lowercase();
                m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
            });
        if !is_json {
            return Err(ApiError::with_detail(
                Code::InvalidJson,
                "Content-Type must be application/json",
            ));
        }
        let limit = req.extensions().get::<BodyLimit>().map_or(64 * 1024, |l| l.0);
        let bytes = axum::body::to_bytes(req.into_body(), limit)
            .await
            .map_err(|_| ApiError::new(Code::PayloadTooLarge))?;
        serde_json::from_slice(&bytes)
            .map(ApiJson)
            .map_err(|e| ApiError::with_detail(Code::InvalidJson, e.to_string()))
    }
}

/// Query parameters parsed into `T`; a malformed one is `invalid_parameter`.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        Query::<T>::try_from_uri(&parts.uri)
            .map(|Query(q)| ApiQuery(q))
            .map_err(|e| ApiError::with_detail(Code::InvalidParameter, e.body_text()))
    }
}
