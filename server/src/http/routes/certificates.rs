//! `GET /certificates/{code}/certificate.pdf`: a certificate as PDF (S12), for its owner
//! and platform admins (`ViewCertificate`, like the printable page). Everyone else, signed
//! in or not, gets the same 404 as for a code that does not exist.
use crate::certificate_pdf::{CertificateText, Fonts, certificate_pdf};
use crate::http::{actor::actor_for, middleware::errors, state::AppState};
use app::auth::{Action, require};
use app::i18n::{Lang, Msg, from_headers};
use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};

pub const PATH: &str = "/certificates/{code}/certificate.pdf";

pub fn routes() -> Router<AppState> {
    Router::new().route(PATH, get(pdf))
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// The one answer for a missing certificate and for a refusal.
fn not_found(lang: Lang) -> Response {
    html(
        StatusCode::NOT_FOUND,
        errors::page(
            lang,
            lang.t(Msg::NotfoundTitle),
            Some(lang.t(Msg::NotfoundText)),
            &[("/", lang.t(Msg::NotfoundHome))],
        ),
    )
}

pub async fn pdf(State(state): State<AppState>, Path(code): Path<String>, headers: HeaderMap) -> Response {
    let lang = from_headers(&headers);
    let actor = actor_for(&headers, &state).await;
    let p = &state.platform;
    let (owner, cert) = match app::courses::db::certificate(&p.db, &code).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(lang),
        Err(e) => {
            tracing::error!(error = %e, "could not look up a certificate");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if require(&actor, &Action::ViewCertificate { owner }).is_err() {
        return not_found(lang);
    }

    let dir = state.settings.certificate_font_dir.clone();
    let verify_url = format!("{}/verify/{}", p.public_url, cert.code);
    let built = tokio::task::spawn_blocking(move || {
        let fonts = Fonts::load(&dir).map_err(|e| e.to_string())?;
        let hours = cert.hours.to_string();
        let text = CertificateText {
            lang: lang.code(),
            heading: lang.t(Msg::CoursesCertTitle),
            certifies: lang.t(Msg::CoursesCertPdfCertifies),
            learner: &cert.learner_name,
            completed: lang.t(Msg::CoursesCertPdfCompleted),
            course: &cert.course_title,
            organisation_label: lang.t(Msg::CoursesCertOrganisation),
            organisation: &cert.organisation_name,
            hours_label: lang.t(Msg::CoursesCertHours),
            hours: &hours,
            date_label: lang.t(Msg::CoursesCertDate),
            date: &cert.issued_on,
            verify_label: lang.t(Msg::CoursesCertVerifyAt),
            verify_url: &verify_url,
            code_label: lang.t(Msg::CoursesCertCode),
            code: &cert.code,
        };
        certificate_pdf(&fonts, &text).map_err(|e| e.to_string())
    })
    .await;
    let bytes = match built {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(why)) => {
            tracing::error!(
                error = %why,
                "certificate PDF unavailable (install fonts-dejavu-core or set AGORA_CERTIFICATE_FONT_DIR)"
            );
            let page = errors::page(
                lang,
                lang.t(Msg::CoursesCertPdfUnavailableTitle),
                Some(lang.t(Msg::CoursesCertPdfUnavailable)),
                &[(
                    &format!("/certificates/{code}"),
                    lang.t(Msg::CoursesOpenCertificate),
                )],
            );
            return html(StatusCode::SERVICE_UNAVAILABLE, page);
        }
        Err(e) => {
            tracing::error!(error = %e, "the certificate PDF task failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let disposition = format!("inline; filename=\"certificate-{code}.pdf\"");
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    // Personal data: never kept by shared caches, and checked again on every use.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::VARY, HeaderValue::from_static("Cookie"));
    res
}
