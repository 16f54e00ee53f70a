//! Course files, the course image and lesson embeds over HTTP (issue 7; S5, S19), on
//! SQLite and PostgreSQL, with the local file system and with S3 (the moto server of
//! scripts/services/s3.sh) as the store.

use crate::common::browser::{ORIGIN, call, form, location, page};
use crate::common::courses::{CourseSpec, Person, add_staff, build, inserted_person, ok, organisation_with};
use crate::common::{TestApp, TestDb, body_text};
use agora_server::config::Settings;
use axum::{
    body::Body,
    http::{Request, Response, StatusCode, header},
};
use http_body_util::BodyExt;
use image::{DynamicImage, ImageFormat, RgbImage, RgbaImage};
use sqlx::Row;
use std::io::Cursor;

/// Limits in these tests: images up to 200 KiB, other files up to 400 KiB.
const MAX_IMAGE: u64 = 200 * 1024;
const MAX_FILE: u64 = 400 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Store {
    Local,
    S3,
}

/// `None` when the S3 server is not running (the test is skipped).
async fn settings(db: &TestDb, store: Store) -> Option<Settings> {
    let mut s = db.settings();
    s.max_course_image_bytes = MAX_IMAGE;
    s.max_course_file_bytes = MAX_FILE;
    match store {
        Store::Local => Some(s),
        Store::S3 => Some(crate::common::with_new_bucket(s, &crate::common::s3_endpoint()?).await),
    }
}

async fn run(backend: crate::common::Backend, store: Store, body: fn(&TestApp) -> BoxedTest<'_>) {
    let Some(db) = TestDb::new(backend).await else {
        return;
    };
    if let Some(settings) = settings(&db, store).await {
        let app = TestApp::with_settings(settings).await;
        body(&app).await;
        app.platform.db.pool.close().await;
    }
    db.cleanup(None).await;
}

type BoxedTest<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'a>>;

/// One test per database and store: `name::sqlite_local`, `name::postgres_s3`, …
macro_rules! on_both_databases_and_stores {
    ($name:ident, $body:path) => {
        mod $name {
            use super::*;
            fn body(app: &TestApp) -> BoxedTest<'_> {
                Box::pin($body(app))
            }
            #[tokio::test]
            async fn sqlite_local() {
                run(crate::common::Backend::Sqlite, Store::Local, body).await;
            }
            #[tokio::test]
            async fn postgres_local() {
                run(crate::common::Backend::Postgres, Store::Local, body).await;
            }
            #[tokio::test]
            async fn sqlite_s3() {
                run(crate::common::Backend::Sqlite, Store::S3, body).await;
            }
            #[tokio::test]
            async fn postgres_s3() {
                run(crate::common::Backend::Postgres, Store::S3, body).await;
            }
        }
    };
}

/// One test per database, with the local store.
macro_rules! on_both_databases_local {
    ($name:ident, $body:path) => {
        mod $name {
            use super::*;
            fn body(app: &TestApp) -> BoxedTest<'_> {
                Box::pin($body(app))
            }
            #[tokio::test]
            async fn sqlite() {
                run(crate::common::Backend::Sqlite, Store::Local, body).await;
            }
            #[tokio::test]
            async fn postgres() {
                run(crate::common::Backend::Postgres, Store::Local, body).await;
            }
        }
    };
}

// ---------------------------------------------------------------------------------------
// Test files

fn encode(img: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 4 % 256) as u8, (y * 4 % 256) as u8, 120])
    });
    encode(DynamicImage::ImageRgb8(img), ImageFormat::Png)
}

/// One colour: a large picture in a small file.
fn flat_png(w: u32, h: u32) -> Vec<u8> {
    encode(
        DynamicImage::ImageRgb8(RgbImage::from_pixel(w, h, image::Rgb([30, 90, 160]))),
        ImageFormat::Png,
    )
}

/// Noise compresses badly: a PNG of about 4 bytes per pixel.
fn noisy_png(w: u32, h: u32) -> Vec<u8> {
    let mut state = 0x2545_F491_u32;
    let img = RgbaImage::from_fn(w, h, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        image::Rgba(state.to_le_bytes())
    });
    encode(DynamicImage::ImageRgba8(img), ImageFormat::Png)
}

/// What a payload smuggled after the end of an image would carry.
const PAYLOAD: &[u8] = b"<script>alert('agora-payload')</script>";

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}

// ---------------------------------------------------------------------------------------
// People, a course and requests

/// The organisation `slug` with `members` (the first is its admin) and a PIC of its own.
async fn organisation(app: &TestApp, slug: &str, members: &[&Person]) {
    organisation_with(app, slug, &format!("9{:08}", members[0].id), members).await;
}

struct Course {
    id: i64,
    slug: String,
    run: i64,
    item: i64,
}

/// A published course with one lesson and one published run, taught by `teacher`.
async fn course(app: &TestApp, teacher: &Person, org: &str, title: &str) -> Course {
    let spec = CourseSpec {
        fields: &[("form[language]", "da")],
        modules: &["Basics"],
        lessons: &["Lesson one"],
        last_optional: false,
        published: true,
        run: Some(&[("run[title]", "Spring"), ("run[self_paced]", "on")]),
    };
    let b = build(app, teacher, org, title, &spec).await;
    Course {
        id: b.course,
        item: b.items[0][0],
        slug: b.slug,
        run: b.run,
    }
}

fn multipart(item: Option<i64>, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = format!("agora{:016x}", rand::random::<u64>());
    let mut body = Vec::new();
    if let Some(item) = item {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"item\"\r\n\r\n{item}\r\n")
                .as_bytes(),
        );
    }
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A plain form upload (no JavaScript).
async fn post_file(
    app: &TestApp,
    who: Option<&Person>,
    path: &str,
    item: Option<i64>,
    file_name: &str,
    bytes: &[u8],
) -> Response<Body> {
    let (content_type, body) = multipart(item, file_name, bytes);
    let mut req = Request::post(path)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ORIGIN, ORIGIN)
        .header(header::HOST, "127.0.0.1:3000");
    if let Some(p) = who {
        req = req.header(header::COOKIE, &p.cookie);
    }
    app.send(req.body(Body::from(body)).unwrap()).await
}

/// Uploads a lesson file as `who`; returns where the browser is sent.
async fn upload(app: &TestApp, who: &Person, c: &Course, file_name: &str, bytes: &[u8]) -> String {
    let res = post_file(
        app,
        Some(who),
        &format!("/courses/{}/files", c.slug),
        Some(c.item),
        file_name,
        bytes,
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", body_text(res).await);
    location(&res)
}

async fn get(app: &TestApp, path: &str, who: Option<&Person>) -> Response<Body> {
    let mut req = Request::get(path);
    if let Some(p) = who {
        req = req.header(header::COOKIE, &p.cookie);
    }
    app.send(req.body(Body::empty()).unwrap()).await
}

async fn bytes(res: Response<Body>) -> Vec<u8> {
    res.into_body().collect().await.unwrap().to_bytes().to_vec()
}

/// What tells one answer from another: status, the headers a browser acts on, the body.
async fn answer(res: Response<Body>) -> (StatusCode, Vec<(String, String)>, Vec<u8>) {
    let status = res.status();
    let mut headers: Vec<(String, String)> = res
        .headers()
        .iter()
        .filter(|(k, _)| *k != header::DATE && k.as_str() != "x-request-id")
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    headers.sort();
    (status, headers, bytes(res).await)
}

/// (id, name, content type, size, key, uploaded_by) of the course's files, oldest first.
async fn files(app: &TestApp, course: i64) -> Vec<(i64, String, String, i64, String, Option<i64>)> {
    sqlx::query(
        "SELECT id, name, content_type, size_bytes, object_key, uploaded_by FROM course_files \
         WHERE course_id = $1 ORDER BY id",
    )
    .bind(course)
    .fetch_all(&app.platform.db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5)))
    .collect()
}

async fn stored(app: &TestApp, prefix: &str) -> Vec<String> {
    app.platform.storage.list(prefix).await.unwrap()
}

async fn orphans(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM storage_orphans")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap()
}

async fn page_text(app: &TestApp, path: &str, who: &Person) -> (StatusCode, String, String) {
    let res = page(app, path, Some(&who.cookie)).await;
    let status = res.status();
    let csp = res
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, body_text(res).await, csp)
}

// ---------------------------------------------------------------------------------------
// Tests

/// S5, S19: a teacher uploads an image and a PDF; the image is re-encoded (nothing appended
/// to it survives); both are served to the course's staff and to the learners of its
/// published run, and to nobody else: another course's learner, an outsider, anonymous
/// visitors, a wrong file name and a run taken back to draft all get the 404 of a missing
/// file. The lesson shows the image and a sandboxed video; the page's CSP allows exactly
/// the allow-listed frame sources.
async fn upload_and_serve(app: &TestApp) {
    let karen = inserted_person(app, "karen@nord.example").await;
    let lars = inserted_person(app, "lars@nord.example").await;
    let ida = inserted_person(app, "ida@learner.example").await;
    let ole = inserted_person(app, "ole@learner.example").await;
    let eve = inserted_person(app, "eve@outsider.example").await;
    organisation(app, "nord", &[&karen, &lars]).await;
    let c = course(app, &karen, "nord", "Brøker i 4. klasse").await;
    let other = course(app, &karen, "nord", "Geometri").await;
    add_staff(app, &karen, &c.slug, &lars, "moderator").await;
    ok(app, "courses/enrol", &[("run", &c.run.to_string())], &ida).await;
    ok(app, "courses/enrol", &[("run", &other.run.to_string())], &ole).await;

    // An image with something appended after its end, under a misleading name.
    let mut original = png(300, 200);
    original.extend(PAYLOAD);
    let to = upload(app, &karen, &c, "Plan 4b.png", &original).await;
    assert_eq!(
        to,
        format!(
            "/courses/{}/lessons/{}/edit?status=file-uploaded#files",
            c.slug, c.item
        )
    );
    let pdf_to = upload(app, &karen, &c, "Reading list.pdf", &pdf()).await;
    assert!(pdf_to.contains("status=file-uploaded"), "{pdf_to}");
    let rows = files(app, c.id).await;
    assert_eq!(rows.len(), 2);
    let (image_id, image_name, image_type, image_size, image_key, uploader) = rows[0].clone();
    assert_eq!(
        (image_name.as_str(), image_type.as_str(), uploader),
        ("Plan-4b.png", "image/png", Some(karen.id))
    );
    let (pdf_id, pdf_name, pdf_type, _, pdf_key, _) = rows[1].clone();
    assert_eq!(
        (pdf_name.as_str(), pdf_type.as_str()),
        ("Reading-list.pdf", "application/pdf")
    );
    // Unguessable keys under the course's prefix; nothing left on the orphan list.
    assert!(image_key.starts_with(&format!("courses/{}/", c.id)) && image_key.len() > 40);
    let mut keys = vec![image_key.clone(), pdf_key.clone()];
    keys.sort();
    assert_eq!(stored(app, &format!("courses/{}", c.id)).await, keys);
    assert_eq!(orphans(app).await, 0);
    let kept = app.platform.storage.get_bytes(&image_key).await.unwrap().unwrap();
    assert_eq!(kept.len() as i64, image_size);
    assert!(!contains(&kept, PAYLOAD), "the appended payload was stored");
    assert_eq!(image::guess_format(&kept).unwrap(), ImageFormat::Png);

    let image_url = format!("/courses/files/{image_id}/{image_name}");
    let pdf_url = format!("/courses/files/{pdf_id}/{pdf_name}");
    for who in [&karen, &lars, &ida] {
        let res = get(app, &image_url, Some(who)).await;
        assert_eq!(res.status(), StatusCode::OK);
        let h = res.headers().clone();
        assert_eq!(h[header::CONTENT_TYPE], "image/png");
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(h[header::CACHE_CONTROL], "private, no-cache");
        assert_eq!(h[header::CONTENT_DISPOSITION], "inline; filename=\"Plan-4b.png\"");
        let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("sandbox"),
            "{csp}"
        );
        let body = bytes(res).await;
        assert_eq!(body, kept.to_vec());
        let img = image::load_from_memory(&body).unwrap();
        assert_eq!((img.width(), img.height()), (300, 200));

        let res = get(app, &pdf_url, Some(who)).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CONTENT_TYPE], "application/pdf");
        assert_eq!(
            res.headers()[header::CONTENT_DISPOSITION],
            "attachment; filename=\"Reading-list.pdf\""
        );
        assert_eq!(bytes(res).await, pdf(), "documents are kept as they came");
    }
    // Revalidation answers 304 without the bytes.
    let etag = get(app, &image_url, Some(&ida)).await.headers()[header::ETAG].clone();
    let req = Request::get(&image_url)
        .header(header::COOKIE, &ida.cookie)
        .header(header::IF_NONE_MATCH, etag)
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(req).await.status(), StatusCode::NOT_MODIFIED);

    // S19: everybody else gets exactly the answer of a file that does not exist.
    let missing = answer(get(app, "/courses/files/999999/Plan-4b.png", Some(&ida)).await).await;
    assert_eq!(missing.0, StatusCode::NOT_FOUND);
    for (who, label) in [
        (Some(&ole), "another course's learner"),
        (Some(&eve), "a signed-in outsider"),
        (None, "an anonymous visitor"),
    ] {
        for url in [&image_url, &pdf_url] {
            let refused = answer(get(app, url, who).await).await;
            assert_eq!(refused, missing, "{label}: {url}");
        }
    }
    let wrong_name =
        answer(get(app, &format!("/courses/files/{image_id}/other.png"), Some(&ida)).await).await;
    assert_eq!(wrong_name, missing);
    let not_a_number = answer(get(app, "/courses/files/x1/Plan-4b.png", Some(&ida)).await).await;
    assert_eq!(not_a_number, missing);

    // The lesson shows the image and the video, and the editor lists the Markdown.
    let (_, editor, _) = page_text(
        app,
        &format!("/courses/{}/lessons/{}/edit", c.slug, c.item),
        &karen,
    )
    .await;
    let snippet = format!("![Plan 4b]({image_url})");
    assert!(editor.contains(&snippet), "{editor}");
    assert!(editor.contains(&format!("[Reading-list.pdf]({pdf_url})")));
    ok(
        app,
        "courses/update-lesson",
        &[
            ("slug", &c.slug),
            ("item", &c.item.to_string()),
            ("title", "Lesson one"),
            (
                "body",
                &format!(
                    "{snippet}\n\n::embed[Brøker forklaret](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n\n\
                     ::embed[Evil](https://evil.example/player)\n\n<iframe src=\"https://evil.example\"></iframe>"
                ),
            ),
            ("required", "on"),
        ],
        &karen,
    )
    .await;
    let lesson = format!("/learn/{}/items/{}", c.run, c.item);
    let (status, html, csp) = page_text(app, &lesson, &ida).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("<img src=\"{image_url}\"")), "{html}");
    assert!(
        html.contains(
            "<iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\" title=\"Brøker forklaret\" \
             sandbox=\"allow-scripts allow-same-origin allow-presentation\""
        ),
        "{html}"
    );
    assert_eq!(html.matches("<iframe").count(), 1, "only the allowed embed");
    assert!(html.contains("href=\"https://evil.example/player\""));
    assert!(
        csp.contains(
            "frame-src https://www.youtube-nocookie.com https://player.vimeo.com https://padlet.com https://h5p.org https://*.h5p.com;"
        ),
        "{csp}"
    );

    // The run taken back to draft: its learners no longer see the files, staff still do.
    ok(
        app,
        "courses/run-status",
        &[
            ("slug", &c.slug),
            ("run", &c.run.to_string()),
            ("status", "draft"),
        ],
        &karen,
    )
    .await;
    assert_eq!(answer(get(app, &image_url, Some(&ida)).await).await, missing);
    assert_eq!(get(app, &image_url, Some(&lars)).await.status(), StatusCode::OK);
}
on_both_databases_and_stores!(s5_s19_files_served_to_learners_and_staff_only, upload_and_serve);

/// Too large, a disallowed type, a program named like an image, an empty file: each comes
/// back to the editor with its translated message, and nothing is stored. Only the
/// course's teachers upload; others get the missing course's 404, anonymous visitors the
/// sign-in page.
async fn refusals(app: &TestApp) {
    let karen = inserted_person(app, "karen@nord.example").await;
    let lars = inserted_person(app, "lars@nord.example").await;
    let ida = inserted_person(app, "ida@learner.example").await;
    let eve = inserted_person(app, "eve@outsider.example").await;
    organisation(app, "nord", &[&karen, &lars]).await;
    let c = course(app, &karen, "nord", "Brøker").await;
    add_staff(app, &karen, &c.slug, &lars, "moderator").await;
    ok(app, "courses/enrol", &[("run", &c.run.to_string())], &ida).await;

    let big_image = noisy_png(300, 300);
    assert!(big_image.len() as u64 > MAX_IMAGE && (big_image.len() as u64) < MAX_FILE);
    let mut big_pdf = pdf();
    big_pdf.resize(MAX_FILE as usize + 1, b' ');
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00This program cannot be run in DOS mode".to_vec();
    let zip = b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0".to_vec();
    let html = b"<!DOCTYPE html><html><script>alert(1)</script></html>".to_vec();
    let editor = format!("/courses/{}/lessons/{}/edit", c.slug, c.item);
    for (name, body, error, text) in [
        (
            "huge.pdf",
            &big_pdf,
            "courses.files.error.too_large",
            "The file is too large. Images may be at most 0.2 MB, other files at most 0.4 MB.",
        ),
        (
            "photo.png",
            &big_image,
            "courses.files.error.too_large",
            "The file is too large.",
        ),
        (
            "plan.png",
            &exe,
            "courses.files.error.type",
            "This type of file cannot be uploaded.",
        ),
        (
            "material.zip",
            &zip,
            "courses.files.error.type",
            "This type of file cannot be uploaded.",
        ),
        (
            "page.html",
            &html,
            "courses.files.error.type",
            "This type of file cannot be uploaded.",
        ),
        (
            "empty.pdf",
            &Vec::new(),
            "courses.files.error.missing",
            "Choose a file to upload.",
        ),
    ] {
        let to = upload(app, &karen, &c, name, body).await;
        assert_eq!(to, format!("{editor}?error={error}#files"), "{name}");
        let (status, page, _) = page_text(app, &to, &karen).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains(text), "{name}: {text}");
    }
    assert!(files(app, c.id).await.is_empty());
    assert!(stored(app, "courses").await.is_empty());
    assert_eq!(orphans(app).await, 0);
    // Only our messages come from the query string.
    let (_, page, _) = page_text(app, &format!("{editor}?error=%3Cscript%3E"), &karen).await;
    assert!(!page.contains("<script>") && !page.contains("cannot be uploaded"));

    // The moderator, a learner and an outsider get the answer of a missing course.
    let path = format!("/courses/{}/files", c.slug);
    let missing = post_file(
        app,
        Some(&karen),
        "/courses/nowhere/files",
        Some(1),
        "a.pdf",
        &pdf(),
    )
    .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let missing = answer(missing).await;
    for who in [&lars, &ida, &eve] {
        let res = post_file(app, Some(who), &path, Some(c.item), "a.pdf", &pdf()).await;
        assert_eq!(answer(res).await, missing);
        let res = post_file(
            app,
            Some(who),
            &format!("/courses/{}/image", c.slug),
            None,
            "a.png",
            &png(10, 10),
        )
        .await;
        assert_eq!(answer(res).await, missing);
    }
    let res = post_file(app, None, &path, Some(c.item), "a.pdf", &pdf()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/sign-in?next="), "{}", location(&res));
    // A cross-site form cannot upload with the teacher's cookie.
    let (ct, body) = multipart(Some(c.item), "a.pdf", &pdf());
    let forged = Request::post(&path)
        .header(header::CONTENT_TYPE, ct)
        .header(header::ORIGIN, "https://evil.example")
        .header(header::COOKIE, &karen.cookie)
        .body(Body::from(body))
        .unwrap();
    assert_eq!(app.send(forged).await.status(), StatusCode::FORBIDDEN);
    assert!(files(app, c.id).await.is_empty());
    assert!(stored(app, "courses").await.is_empty());
}
on_both_databases_local!(refused_uploads_store_nothing, refusals);

/// Deleting a file: its teachers only; the row and the object go, and the address answers
/// 404 at once.
async fn delete(app: &TestApp) {
    let karen = inserted_person(app, "karen@nord.example").await;
    let lars = inserted_person(app, "lars@nord.example").await;
    let eve = inserted_person(app, "eve@outsider.example").await;
    organisation(app, "nord", &[&karen, &lars]).await;
    let c = course(app, &karen, "nord", "Brøker").await;
    let other = course(app, &karen, "nord", "Geometri").await;
    add_staff(app, &karen, &c.slug, &lars, "moderator").await;
    upload(app, &karen, &c, "plan.pdf", &pdf()).await;
    upload(app, &karen, &other, "other.pdf", &pdf()).await;
    let (id, name, ..) = files(app, c.id).await.remove(0);
    let (other_id, ..) = files(app, other.id).await.remove(0);
    let url = format!("/courses/files/{id}/{name}");
    let fields = |file: i64| {
        vec![
            ("slug".to_string(), c.slug.clone()),
            ("file".to_string(), file.to_string()),
            ("item".to_string(), c.item.to_string()),
        ]
    };
    let post = |who: &Person, file: i64| {
        let body = form(
            &fields(file)
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
        );
        let cookie = who.cookie.clone();
        async move { call(app, "courses/delete-file", &body, Some(&cookie), false).await }
    };
    for who in [&lars, &eve] {
        assert_eq!(post(who, id).await.status(), StatusCode::NOT_FOUND);
    }
    // Another course's file through this course: not found, and it stays.
    assert_eq!(post(&karen, other_id).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(files(app, c.id).await.len(), 1);
    assert_eq!(files(app, other.id).await.len(), 1);

    let res = post(&karen, id).await;
    assert_eq!(res.status(), StatusCode::OK, "{}", body_text(res).await);
    assert!(files(app, c.id).await.is_empty());
    assert!(stored(app, &format!("courses/{}", c.id)).await.is_empty());
    assert_eq!(orphans(app).await, 0);
    assert_eq!(get(app, &url, Some(&karen)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(post(&karen, id).await.status(), StatusCode::NOT_FOUND);
    // Without JavaScript the form comes back to the lesson with a note.
    upload(app, &karen, &c, "again.pdf", &pdf()).await;
    let (again, ..) = files(app, c.id).await.remove(0);
    let body = form(&[
        ("slug", &c.slug),
        ("file", &again.to_string()),
        ("item", &c.item.to_string()),
    ]);
    let res = call(app, "courses/delete-file", &body, Some(&karen.cookie), true).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(
        location(&res),
        format!("/courses/{}/lessons/{}/edit?status=file-deleted", c.slug, c.item)
    );
}
on_both_databases_local!(files_deleted_by_teachers_only, delete);

/// The course image: teachers upload and remove it; it shows on /courses and the course
/// page; it is public while the course is published and hidden with a draft course.
async fn course_image(app: &TestApp) {
    let karen = inserted_person(app, "karen@nord.example").await;
    let eve = inserted_person(app, "eve@outsider.example").await;
    organisation(app, "nord", &[&karen]).await;
    let c = course(app, &karen, "nord", "Brøker").await;
    let image_path = format!("/courses/{}/image", c.slug);

    // Not an image: refused, nothing stored.
    let res = post_file(app, Some(&karen), &image_path, None, "cover.png", &pdf()).await;
    assert_eq!(
        location(&res),
        format!("/courses/{}/edit?error=courses.image.error.type#image", c.slug)
    );
    let (_, edit_page, _) = page_text(app, &location(&res), &karen).await;
    assert!(edit_page.contains("This file is not a JPEG, PNG or WebP image."));
    assert!(stored(app, "courses").await.is_empty());

    let res = post_file(
        app,
        Some(&karen),
        &image_path,
        None,
        "cover.png",
        &flat_png(2000, 1000),
    )
    .await;
    assert_eq!(
        location(&res),
        format!("/courses/{}/edit?status=image-uploaded#image", c.slug)
    );
    let (key, version): (String, i64) =
        sqlx::query_as("SELECT image_key, image_updated_at FROM courses WHERE id = $1")
            .bind(c.id)
            .fetch_one(&app.platform.db.pool)
            .await
            .unwrap();
    let src = format!("/courses/{}/image?v={version}", c.slug);
    let list = body_text(page(app, "/courses", None).await).await;
    assert!(list.contains(&src), "{list}");
    let course_page = body_text(page(app, &format!("/courses/{}", c.slug), None).await).await;
    assert!(course_page.contains(&src));
    let res = get(app, &src, None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(res.headers()[header::CACHE_CONTROL], "public, max-age=300");
    let img = image::load_from_memory(&bytes(res).await).unwrap();
    assert_eq!((img.width(), img.height()), (1600, 800), "scaled into 1600 px");

    // A new image replaces the old object.
    post_file(app, Some(&karen), &image_path, None, "cover.webp", &png(50, 50)).await;
    let keys = stored(app, &format!("courses/{}", c.id)).await;
    assert_eq!(keys.len(), 1);
    assert_ne!(keys[0], key);

    // A draft course's image is the course's staff's only.
    ok(
        app,
        "courses/status",
        &[("slug", &c.slug), ("status", "draft")],
        &karen,
    )
    .await;
    let missing = answer(get(app, "/courses/nowhere/image", None).await).await;
    assert_eq!(missing.0, StatusCode::NOT_FOUND);
    assert_eq!(answer(get(app, &image_path, None).await).await, missing);
    assert_eq!(answer(get(app, &image_path, Some(&eve)).await).await, missing);
    assert_eq!(get(app, &image_path, Some(&karen)).await.status(), StatusCode::OK);

    // Removing it: an outsider cannot, the teacher can; the object goes.
    let res = call(
        app,
        "courses/remove-image",
        &form(&[("slug", &c.slug)]),
        Some(&eve.cookie),
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    ok(app, "courses/remove-image", &[("slug", &c.slug)], &karen).await;
    assert!(stored(app, "courses").await.is_empty());
    assert_eq!(orphans(app).await, 0);
    assert_eq!(
        get(app, &image_path, Some(&karen)).await.status(),
        StatusCode::NOT_FOUND
    );
}
on_both_databases_and_stores!(course_image_public_with_the_course, course_image);

/// `AGORA_EMBED_PROVIDERS` decides what is embedded and what the CSP allows; a wrong entry
/// stops the start with its name.
#[tokio::test]
async fn embed_allow_list_is_configuration() {
    let db = TestDb::new(crate::common::Backend::Sqlite).await.unwrap();
    let mut s = db.settings();
    s.embed_providers = "vimeo, https://h5p.skole.example".into();
    let app = TestApp::with_settings(s.clone()).await;
    let res = page(&app, "/courses", None).await;
    let csp = res.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("frame-src https://player.vimeo.com https://h5p.skole.example;"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"));
    app.platform.db.pool.close().await;
    s.embed_providers = "none".into();
    let app = TestApp::with_settings(s.clone()).await;
    let csp = page(&app, "/", None).await.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("frame-src 'none'"), "{csp}");
    app.platform.db.pool.close().await;
    s.embed_providers = "youtube,facebook".into();
    let err = agora_server::startup::open_platform(&s)
        .await
        .err()
        .expect("refused");
    assert!(err.to_string().contains("\"facebook\""), "{err}");
    db.cleanup(None).await;
}

/// A course's files together stay under its quota (`AGORA_COURSE_FILES_QUOTA_BYTES`): the
/// upload that would pass it is refused with the reason, nothing of it is stored, and
/// deleting a file makes room again. The lesson editor shows how much is used.
async fn quota(db: &TestDb) {
    const QUOTA: u64 = 500 * 1024;
    let mut s = settings(db, Store::Local).await.unwrap();
    s.course_files_quota_bytes = QUOTA;
    let app = TestApp::with_settings(s).await;
    let app = &app;
    let karen = inserted_person(app, "karen@nord.example").await;
    organisation(app, "nord", &[&karen]).await;
    let c = course(app, &karen, "nord", "Brøker").await;
    let other = course(app, &karen, "nord", "Geometri").await;
    let mut doc = pdf();
    doc.resize(300 * 1024, b' ');
    let editor = format!("/courses/{}/lessons/{}/edit", c.slug, c.item);

    let to = upload(app, &karen, &c, "one.pdf", &doc).await;
    assert!(to.contains("status=file-uploaded"), "{to}");
    let (_, page, _) = page_text(app, &editor, &karen).await;
    assert!(page.contains("files take 300 KB of 500 KB."), "usage shown");
    let to = upload(app, &karen, &c, "two.pdf", &doc).await;
    assert!(to.contains("error=courses.files.error.quota"), "{to}");
    let (_, page, _) = page_text(app, to.trim_end_matches("#files"), &karen).await;
    assert!(
        page.contains("may take 500 KB in all"),
        "the reason, with the quota"
    );
    assert_eq!(files(app, c.id).await.len(), 1);
    assert_eq!(
        stored(app, &format!("courses/{}/", c.id)).await.len(),
        1,
        "nothing of it stored"
    );
    assert_eq!(orphans(app).await, 0);
    // Another course has its own quota.
    let to = upload(app, &karen, &other, "two.pdf", &doc).await;
    assert!(to.contains("status=file-uploaded"), "{to}");
    // Deleting a file makes room.
    let id = files(app, c.id).await[0].0;
    ok(
        app,
        "courses/delete-file",
        &[
            ("slug", &c.slug),
            ("file", &id.to_string()),
            ("item", &c.item.to_string()),
        ],
        &karen,
    )
    .await;
    let to = upload(app, &karen, &c, "two.pdf", &doc).await;
    assert!(to.contains("status=file-uploaded"), "{to}");
    app.platform.db.pool.close().await;
}
on_both_databases!(s5_course_files_stay_under_the_course_quota, quota);
