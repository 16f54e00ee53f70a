//! The certificate as PDF (issue 7, S12), on both databases: its owner (and platform
//! admins) get a landscape A4 PDF whose text, read back through its own ToUnicode maps,
//! is the certificate, names in any European script included; everybody else gets the
//! same 404 as for a code that does not exist. Without its font the PDF answers 503 and
//! the printable page still works.

use crate::common::courses::*;
use crate::common::{TestApp, TestDb};
use agora_server::certificate_pdf::{BOLD_FILE, DEFAULT_FONT_DIR, REGULAR_FILE, read};
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use std::path::PathBuf;

fn font_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("AGORA_CERTIFICATE_FONT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_FONT_DIR));
    if dir.join(REGULAR_FILE).is_file() && dir.join(BOLD_FILE).is_file() {
        return Some(dir);
    }
    if std::env::var_os("AGORA_REQUIRE_SERVICES").is_some() {
        panic!(
            "no DejaVu Sans in {} (scripts/lib.sh setup_runtime installs it)",
            dir.display()
        );
    }
    eprintln!(
        "SKIPPED: no DejaVu Sans in {} (install fonts-dejavu-core)",
        dir.display()
    );
    None
}

async fn get(
    app: &TestApp,
    path: &str,
    who: Option<&Person>,
    lang: &str,
) -> (StatusCode, Response<Body>, Vec<u8>) {
    let mut b = Request::get(path)
        .header(header::ACCEPT_LANGUAGE, lang)
        .header(header::ACCEPT, "text/html,application/xhtml+xml,*/*");
    if let Some(p) = who {
        b = b.header(header::COOKIE, &p.cookie);
    }
    let res = app.send(b.body(Body::empty()).unwrap()).await;
    let status = res.status();
    let (parts, body) = res.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes().to_vec();
    (status, Response::from_parts(parts, Body::empty()), bytes)
}

fn header_of(res: &Response<Body>, name: header::HeaderName) -> String {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// A course with one module of two lessons that `learner` has completed; returns the code.
async fn completed(app: &TestApp, teacher: &Person, learner: &Person) -> (Built, String) {
    let org = organisation(app, "nord", teacher).await;
    let b = build_course(app, teacher, &org, "Geometri på mellemtrinnet", &["Basics"], 2).await;
    enrol(app, &b, learner).await;
    for item in b.items[0].clone() {
        view(app, &b, item, learner).await;
    }
    let code = certificate_code(app, &b, learner).await.expect("a certificate");
    (b, code)
}

async fn owner_gets_the_pdf(db: &TestDb) {
    let Some(fonts) = font_dir() else { return };
    let mut settings = db.settings();
    settings.certificate_font_dir = fonts.clone();
    let app = TestApp::with_settings(settings).await;
    let karen = person(&app, db, "karen@nord.example", "Karen", "Nielsen").await;
    let lukasz = person(&app, db, "lukasz@learner.example", "Łukasz", "Dvořák").await;
    let (_, code) = completed(&app, &karen, &lukasz).await;
    let path = format!("/certificates/{code}/certificate.pdf");

    // The printable page links to it.
    let (status, page) = status_of(&app, &format!("/certificates/{code}"), Some(&lukasz)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("href=\"{path}\"")), "{page}");

    let (status, res, pdf) = get(&app, &path, Some(&lukasz), "en").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header_of(&res, header::CONTENT_TYPE), "application/pdf");
    assert_eq!(header_of(&res, header::CACHE_CONTROL), "private, no-store");
    assert!(header_of(&res, header::CONTENT_DISPOSITION).contains(&format!("certificate-{code}.pdf")));
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(
        pdf.windows(code.len()).any(|w| w == code.as_bytes()),
        "the code in the file"
    );

    // What a PDF reader extracts: every shown string through its font's ToUnicode map.
    let text = read::text(&pdf);
    let issued_at: i64 = sqlx::query_scalar("SELECT issued_at FROM certificates WHERE code = $1")
        .bind(&code)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    let day = app::courses::model::day_of(issued_at);
    let verify = format!("http://127.0.0.1:3000/verify/{code}");
    for line in [
        "Certificate of completion",
        "This certifies that",
        "Łukasz Dvořák",
        "has completed the course",
        "Geometri på mellemtrinnet",
        "Skole nord",
        "12",
        day.as_str(),
        verify.as_str(),
        &format!("Certificate code: {code}"),
    ] {
        assert!(text.iter().any(|l| l == line), "{line:?} not in {text:?}");
    }
    // The glyphs behind the name are DejaVu Sans Bold's own glyphs for those letters.
    let fonts_in_pdf = read::page_fonts(&pdf);
    let original = std::fs::read(fonts.join(BOLD_FILE)).unwrap();
    let original = ttf_parser::Face::parse(&original, 0).unwrap();
    let shown = read::shown(&read::page_content(&pdf).unwrap());
    let name_run = shown
        .iter()
        .find(|s| {
            let f = fonts_in_pdf.iter().find(|f| f.name == s.font).unwrap();
            s.glyphs
                .iter()
                .map(|g| f.to_unicode[g].clone())
                .collect::<String>()
                == "Łukasz Dvořák"
        })
        .expect("the name is shown");
    let bold = fonts_in_pdf.iter().find(|f| f.name == name_run.font).unwrap();
    let subset = ttf_parser::Face::parse(&bold.font_file, 0).expect("the embedded subset parses");
    for (g, ch) in name_run.glyphs.iter().zip("Łukasz Dvořák".chars()) {
        let want = original.glyph_bounding_box(original.glyph_index(ch).unwrap());
        assert_eq!(subset.glyph_bounding_box(ttf_parser::GlyphId(*g)), want, "{ch}");
    }

    // In the reader's language.
    let (_, _, pdf) = get(&app, &path, Some(&lukasz), "da").await;
    let text = read::text(&pdf);
    assert!(text.iter().any(|l| l == "Kursusbevis"), "{text:?}");
    assert!(text.iter().any(|l| l == "Łukasz Dvořák"));

    // Platform admins may, like for the printable page.
    let admin = person(&app, db, "admin@agora.example", "Ada", "Admin").await;
    sqlx::query(
        "INSERT INTO role_grants (user_id, role, country, granted_at) VALUES ($1, 'platform_admin', '', 0)",
    )
    .bind(admin.id)
    .execute(&app.platform.db.pool)
    .await
    .unwrap();
    let (status, _, pdf) = get(&app, &path, Some(&admin), "en").await;
    assert_eq!(status, StatusCode::OK);
    assert!(pdf.starts_with(b"%PDF-"));
    app.platform.db.pool.close().await;
}
on_both_databases!(s12_the_owner_gets_the_certificate_as_pdf, owner_gets_the_pdf);

async fn others_get_the_missing_codes_404(db: &TestDb) {
    let app = TestApp::new(db).await;
    let karen = person(&app, db, "karen@nord.example", "Karen", "Nielsen").await;
    let ida = person(&app, db, "ida@learner.example", "Ida", "Holm").await;
    let eve = person(&app, db, "eve@outsider.example", "Eve", "Outsider").await;
    let (_, code) = completed(&app, &karen, &ida).await;
    let path = format!("/certificates/{code}/certificate.pdf");

    let (status, missing_res, missing) = get(
        &app,
        "/certificates/00000000000000000000/certificate.pdf",
        Some(&eve),
        "en",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let missing_type = header_of(&missing_res, header::CONTENT_TYPE);
    assert!(missing_type.starts_with("text/html"));
    // Another learner, the course's own teacher, and an anonymous visitor.
    for who in [Some(&eve), Some(&karen), None] {
        let (status, res, body) = get(&app, &path, who, "en").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{:?}", who.map(|p| &p.email));
        assert_eq!(body, missing, "the same page as for a missing code");
        assert_eq!(header_of(&res, header::CONTENT_TYPE), missing_type);
        assert!(!String::from_utf8_lossy(&body).contains(&code));
    }
    let (status, _, _) = get(
        &app,
        "/certificates/00000000000000000000/certificate.pdf",
        None,
        "en",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.platform.db.pool.close().await;
}
on_both_databases!(
    s12_pdf_refusals_are_the_404_of_a_missing_code,
    others_get_the_missing_codes_404
);

async fn missing_font(db: &TestDb) {
    let mut settings = db.settings();
    settings.certificate_font_dir = db.dir.0.join("no-fonts-here");
    let app = TestApp::with_settings(settings).await;
    let karen = person(&app, db, "karen@nord.example", "Karen", "Nielsen").await;
    let ida = person(&app, db, "ida@learner.example", "Ida", "Holm").await;
    let (_, code) = completed(&app, &karen, &ida).await;

    let (status, res, body) = get(
        &app,
        &format!("/certificates/{code}/certificate.pdf"),
        Some(&ida),
        "en",
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(header_of(&res, header::CONTENT_TYPE).starts_with("text/html"));
    let body = String::from_utf8(body).unwrap();
    assert!(body.contains("The PDF is not available"), "{body}");
    assert!(body.contains(&format!("href=\"/certificates/{code}\"")), "{body}");
    // Still only for the owner: others get the 404, not the 503.
    let (status, _, _) = get(&app, &format!("/certificates/{code}/certificate.pdf"), None, "en").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The printable page does not need the font.
    let (status, page) = status_of(&app, &format!("/certificates/{code}"), Some(&ida)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Ida Holm"));
    app.platform.db.pool.close().await;
}
on_both_databases!(
    without_its_font_the_pdf_answers_503_and_the_page_still_works,
    missing_font
);
