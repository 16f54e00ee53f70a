//! Profile photos end to end through the HTTP routes, on SQLite and PostgreSQL, with the
//! local file system and with S3 (the moto server of scripts/services/s3.sh) as the store.

use crate::common::{TestApp, TestDb, body_text};
use agora_server::config::Settings;
use app::auth::sessions;
use app::photos::{
    db::{PhotoError, photo_of, replace_photo, sweep_orphans},
    process::process,
};
use app::platform::{Platform, Storage};
use axum::{
    body::Body,
    http::{Request, Response, StatusCode, header},
};
use http_body_util::BodyExt;
use image::{DynamicImage, ImageFormat, RgbImage, RgbaImage};
use std::io::Cursor;

/// Photos up to this size are accepted in these tests.
const MAX_PHOTO: u64 = 300 * 1024;
const ORIGIN: &str = "http://127.0.0.1:3000";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Store {
    Local,
    S3,
}

/// Settings for a test: the database's, the chosen store, a small photo limit. `None`
/// when the S3 server is not running (the test is skipped).
async fn settings(db: &TestDb, store: Store) -> Option<Settings> {
    let mut s = db.settings();
    s.max_photo_bytes = MAX_PHOTO;
    match store {
        Store::Local => Some(s),
        Store::S3 => Some(crate::common::with_new_bucket(s, &crate::common::s3_endpoint()?).await),
    }
}

/// One test per database and store: `name::sqlite_local`, `name::postgres_s3`, …
macro_rules! on_both_databases_and_stores {
    ($name:ident, $body:path) => {
        mod $name {
            use super::*;
            async fn run(backend: crate::common::Backend, store: Store) {
                let Some(db) = TestDb::new(backend).await else {
                    return;
                };
                if let Some(settings) = settings(&db, store).await {
                    let app = TestApp::with_settings(settings).await;
                    $body(&app, store).await;
                    app.platform.db.pool.close().await;
                }
                db.cleanup(None).await;
            }
            #[tokio::test]
            async fn sqlite_local() {
                run(crate::common::Backend::Sqlite, Store::Local).await;
            }
            #[tokio::test]
            async fn postgres_local() {
                run(crate::common::Backend::Postgres, Store::Local).await;
            }
            #[tokio::test]
            async fn sqlite_s3() {
                run(crate::common::Backend::Sqlite, Store::S3).await;
            }
            #[tokio::test]
            async fn postgres_s3() {
                run(crate::common::Backend::Postgres, Store::S3).await;
            }
        }
    };
}

// ---------------------------------------------------------------------------------------
// Test images

fn picture(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 4 % 256) as u8, (y * 4 % 256) as u8, 120])
    })
}

fn encode(img: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    encode(DynamicImage::ImageRgb8(picture(w, h)), ImageFormat::Jpeg)
}

fn png_with_alpha(w: u32, h: u32) -> Vec<u8> {
    let img = RgbaImage::from_fn(w, h, |x, _| {
        image::Rgba([200, 30, 30, if x < w / 2 { 0 } else { 255 }])
    });
    encode(DynamicImage::ImageRgba8(img), ImageFormat::Png)
}

fn webp(w: u32, h: u32) -> Vec<u8> {
    encode(DynamicImage::ImageRgb8(picture(w, h)), ImageFormat::WebP)
}

/// The camera, and the position 55°40'12.34" N that the EXIF block below carries.
const CAMERA: &[u8] = b"AgoraTestCam";
const LATITUDE_SECONDS: [u8; 8] = [0, 0, 0x04, 0xD2, 0, 0, 0, 0x64]; // 1234/100

/// An EXIF APP1 segment (big-endian TIFF) with the camera make, orientation 6 (turn 90°
/// clockwise to view) and a GPS IFD with latitude 55°40'12.34" N.
fn exif_app1() -> Vec<u8> {
    let mut t = Vec::new();
    t.extend(b"MM\x00\x2A");
    t.extend(8u32.to_be_bytes());
    // IFD0 at 8: three entries, then the next-IFD offset; 42 bytes, so data starts at 50.
    let entry = |t: &mut Vec<u8>, tag: u16, typ: u16, count: u32, value: [u8; 4]| {
        t.extend(tag.to_be_bytes());
        t.extend(typ.to_be_bytes());
        t.extend(count.to_be_bytes());
        t.extend(value);
    };
    t.extend(3u16.to_be_bytes());
    let make_len = CAMERA.len() as u32 + 1;
    entry(&mut t, 0x010F, 2, make_len, 50u32.to_be_bytes()); // Make, ASCII at 50
    entry(&mut t, 0x0112, 3, 1, [0, 6, 0, 0]); // Orientation = 6
    entry(&mut t, 0x8825, 4, 1, 64u32.to_be_bytes()); // GPS IFD at 64
    t.extend(0u32.to_be_bytes());
    assert_eq!(t.len(), 50);
    t.extend(CAMERA);
    t.push(0);
    t.resize(64, 0);
    // GPS IFD at 64: two entries; 30 bytes, so the rationals start at 94.
    t.extend(2u16.to_be_bytes());
    entry(&mut t, 0x0001, 2, 2, *b"N\0\0\0"); // GPSLatitudeRef
    entry(&mut t, 0x0002, 5, 3, 94u32.to_be_bytes()); // GPSLatitude, 3 rationals at 94
    t.extend(0u32.to_be_bytes());
    assert_eq!(t.len(), 94);
    for (num, den) in [(55u32, 1u32), (40, 1)] {
        t.extend(num.to_be_bytes());
        t.extend(den.to_be_bytes());
    }
    t.extend(LATITUDE_SECONDS);
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend(t);
    let mut seg = vec![0xFF, 0xE1];
    seg.extend((payload.len() as u16 + 2).to_be_bytes());
    seg.extend(payload);
    seg
}

/// A JPEG with the EXIF block right after its start-of-image marker.
fn jpeg_with_gps(w: u32, h: u32) -> Vec<u8> {
    let plain = jpeg(w, h);
    let mut out = plain[..2].to_vec();
    out.extend(exif_app1());
    out.extend(&plain[2..]);
    out
}

/// The markers of a JPEG's segments up to the start of scan.
fn jpeg_markers(bytes: &[u8]) -> Vec<u8> {
    assert_eq!(&bytes[..2], [0xFF, 0xD8], "not a JPEG");
    let mut markers = Vec::new();
    let mut i = 2;
    while i + 4 <= bytes.len() {
        assert_eq!(bytes[i], 0xFF, "segment at {i}");
        let marker = bytes[i + 1];
        markers.push(marker);
        if marker == 0xDA {
            break;
        }
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        i += 2 + len;
    }
    markers
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// ---------------------------------------------------------------------------------------
// Users, sessions and requests

struct User {
    id: i64,
    cookie: String,
}

async fn user(p: &Platform, email: &str) -> User {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, first_name, last_name, user_type, country, created_at, email_verified_at) \
         VALUES ($1, 'Sofia', 'Andersson', 'teacher', 'SE', $2, $2) RETURNING id",
    )
    .bind(email)
    .bind(p.clock.now_ms())
    .fetch_one(&p.db.pool)
    .await
    .unwrap();
    let secret = sessions::create(&p.db, id, None, p.clock.now_ms()).await.unwrap();
    User {
        id,
        cookie: format!("{}={secret}", sessions::COOKIE),
    }
}

fn multipart(file_name: &str, content_type: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = format!("agora{:016x}", rand::random::<u64>());
    let mut body = Vec::new();
    // Another field first: the route skips what is not the photo.
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n").as_bytes(),
    );
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"{file_name}\"\r\n\
             Content-Type: {content_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload_as(
    app: &TestApp,
    cookie: Option<&str>,
    json: bool,
    name: &str,
    ct: &str,
    bytes: &[u8],
) -> Response<Body> {
    let (content_type, body) = multipart(name, ct, bytes);
    let mut req = Request::post("/settings/photo/upload")
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ORIGIN, ORIGIN);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    if json {
        req = req.header(header::ACCEPT, "application/json");
    }
    app.send(req.body(Body::from(body)).unwrap()).await
}

/// A plain form upload (no JavaScript); returns where it redirects to.
async fn upload(app: &TestApp, u: &User, name: &str, ct: &str, bytes: &[u8]) -> String {
    let res = upload_as(app, Some(&u.cookie), false, name, ct, bytes).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", body_text(res).await);
    res.headers()[header::LOCATION].to_str().unwrap().to_string()
}

async fn get(app: &TestApp, path: &str, cookie: Option<&str>) -> Response<Body> {
    let mut req = Request::get(path);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    app.send(req.body(Body::empty()).unwrap()).await
}

async fn bytes(res: Response<Body>) -> Vec<u8> {
    res.into_body().collect().await.unwrap().to_bytes().to_vec()
}

async fn keys(app: &TestApp, u: &User) -> (Option<String>, Option<String>) {
    let photo = photo_of(&app.platform.db, u.id).await.unwrap().unwrap();
    (photo.main_key, photo.thumb_key)
}

async fn stored(app: &TestApp, u: &User) -> Vec<String> {
    app.platform
        .storage
        .list(&format!("photos/{}", u.id))
        .await
        .unwrap()
}

async fn orphans(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM storage_orphans")
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap()
}

// ---------------------------------------------------------------------------------------
// Tests

/// S17, S16, privacy: EXIF (GPS, camera) is gone from what is stored and served; the
/// picture is turned upright first; the thumbnail is a 96 px square; the full photo is for
/// signed-in users, the thumbnail for anyone.
async fn jpeg_metadata_is_stripped(app: &TestApp, _: Store) {
    let sofia = user(&app.platform, "sofia@skola.example").await;
    let original = jpeg_with_gps(64, 32);
    assert!(contains(&original, CAMERA) && contains(&original, &LATITUDE_SECONDS));
    // The name and declared type are ignored: the bytes decide.
    let to = upload(app, &sofia, "holiday.png", "application/octet-stream", &original).await;
    assert_eq!(to, "/settings/photo?status=uploaded");

    let (Some(main), Some(thumb)) = keys(app, &sofia).await else {
        panic!("no photo recorded")
    };
    assert!(main.starts_with(&format!("photos/{}/", sofia.id)) && main.ends_with(".jpg"));
    let stored_main = app.platform.storage.get_bytes(&main).await.unwrap().unwrap();
    for img in [
        &stored_main[..],
        &app.platform.storage.get_bytes(&thumb).await.unwrap().unwrap()[..],
    ] {
        assert!(!contains(img, b"Exif"), "EXIF left in the stored image");
        assert!(!contains(img, CAMERA), "camera make left in the stored image");
        assert!(
            !contains(img, &LATITUDE_SECONDS),
            "GPS position left in the stored image"
        );
        let markers = jpeg_markers(img);
        assert!(
            markers
                .iter()
                .all(|m| *m == 0xE0 || !(0xE1..=0xEF).contains(m) && *m != 0xFE),
            "only JFIF, no other APPn or comment segments: {markers:x?}"
        );
    }
    // Orientation 6 was applied before the metadata went: 64×32 became 32×64.
    let upright = image::load_from_memory(&stored_main).unwrap();
    assert_eq!((upright.width(), upright.height()), (32, 64));

    // Signed in: the full photo, exactly what is stored.
    let res = get(
        app,
        &format!("/media/photos/{}/full", sofia.id),
        Some(&sofia.cookie),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(res.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(res.headers()[header::CACHE_CONTROL], "private, no-cache");
    let etag = res.headers()[header::ETAG].clone();
    assert_eq!(bytes(res).await, stored_main);
    // Revalidation answers 304 without the bytes.
    let req = Request::get(format!("/media/photos/{}/full", sofia.id))
        .header(header::COOKIE, &sofia.cookie)
        .header(header::IF_NONE_MATCH, etag)
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(req).await.status(), StatusCode::NOT_MODIFIED);

    // Anonymous: no full photo (S17), but the thumbnail (S16), 96 px square.
    assert_eq!(
        get(app, &format!("/media/photos/{}/full", sofia.id), None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let res = get(app, &format!("/media/photos/{}/thumb", sofia.id), None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CACHE_CONTROL], "public, max-age=300");
    let thumb = image::load_from_memory(&bytes(res).await).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (96, 96));
    // Another signed-in user sees the full photo (profiles are for signed-in users).
    let other = user(&app.platform, "johan@skola.example").await;
    assert_eq!(
        get(
            app,
            &format!("/media/photos/{}/full", sofia.id),
            Some(&other.cookie)
        )
        .await
        .status(),
        StatusCode::OK
    );
    assert_eq!(orphans(app).await, 0);
}
on_both_databases_and_stores!(jpeg_metadata, jpeg_metadata_is_stripped);

/// PNG (transparency on white) and WebP are accepted; each upload replaces the previous
/// photo, whose objects are deleted.
async fn png_and_webp_replace_the_photo(app: &TestApp, _: Store) {
    let u = user(&app.platform, "karen@skole.example").await;
    assert_eq!(
        upload(app, &u, "a.png", "image/png", &png_with_alpha(700, 300)).await,
        "/settings/photo?status=uploaded"
    );
    let first = keys(app, &u).await;
    let main = app
        .platform
        .storage
        .get_bytes(first.0.as_deref().unwrap())
        .await
        .unwrap()
        .unwrap();
    let main = image::load_from_memory(&main).unwrap().to_rgb8();
    // Bounded to 512 px, proportions kept; the transparent half is white.
    assert_eq!(main.dimensions(), (512, 219));
    assert!(
        main.get_pixel(10, 100).0.iter().all(|c| *c > 240),
        "{:?}",
        main.get_pixel(10, 100)
    );

    // JSON for the page's script: the new version comes back.
    let res = upload_as(app, Some(&u.cookie), true, "b.webp", "image/webp", &webp(80, 120)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let reply: serde_json::Value = serde_json::from_str(&body_text(res).await).unwrap();
    assert_eq!(reply["ok"], true);
    assert!(reply["version"].as_i64().unwrap() > 0);
    let second = keys(app, &u).await;
    assert_ne!(first, second);
    let mut expected = vec![second.0.unwrap(), second.1.unwrap()];
    expected.sort();
    assert_eq!(
        stored(app, &u).await,
        expected,
        "the first photo's objects are deleted"
    );
    assert_eq!(orphans(app).await, 0);
}
on_both_databases_and_stores!(png_and_webp, png_and_webp_replace_the_photo);

/// Refused uploads store nothing and leave the current photo exactly as it was.
async fn refused_uploads_keep_the_old_photo(app: &TestApp, _: Store) {
    let u = user(&app.platform, "mikkel@skole.example").await;
    upload(app, &u, "me.jpg", "image/jpeg", &jpeg(40, 40)).await;
    let before = keys(app, &u).await;
    let objects = stored(app, &u).await;
    let served = bytes(get(app, &format!("/media/photos/{}/full", u.id), Some(&u.cookie)).await).await;

    // Too large: a JPEG signature followed by more than the limit.
    let mut big = jpeg(16, 16);
    big.resize(MAX_PHOTO as usize + 1, 0);
    assert_eq!(
        upload(app, &u, "big.jpg", "image/jpeg", &big).await,
        "/settings/photo?error=photo.error.too_large"
    );
    let res = upload_as(app, Some(&u.cookie), true, "big.jpg", "image/jpeg", &big).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        body_text(res)
            .await
            .contains("\"error\":\"photo.error.too_large\"")
    );

    // HTML named .jpg and declared as a JPEG.
    let html = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>";
    assert_eq!(
        upload(app, &u, "cat.jpg", "image/jpeg", html).await,
        "/settings/photo?error=photo.error.type"
    );
    // Plain text.
    assert_eq!(
        upload(app, &u, "notes.jpg", "image/jpeg", b"just some text").await,
        "/settings/photo?error=photo.error.type"
    );
    // Truncated images.
    let jpg = jpeg(64, 64);
    assert_eq!(
        upload(app, &u, "cut.jpg", "image/jpeg", &jpg[..jpg.len() / 2]).await,
        "/settings/photo?error=photo.error.unreadable"
    );
    let png = png_with_alpha(64, 64);
    assert_eq!(
        upload(app, &u, "cut.png", "image/png", &png[..png.len() / 2]).await,
        "/settings/photo?error=photo.error.unreadable"
    );
    // No file chosen.
    assert_eq!(
        upload(app, &u, "", "application/octet-stream", b"").await,
        "/settings/photo?error=photo.error.missing"
    );

    assert_eq!(keys(app, &u).await, before);
    assert_eq!(stored(app, &u).await, objects);
    assert_eq!(
        bytes(get(app, &format!("/media/photos/{}/full", u.id), Some(&u.cookie)).await).await,
        served
    );
    assert_eq!(orphans(app).await, 0);

    // The page shows the error in the user's language; other query text is never shown.
    let req = Request::get("/settings/photo?error=photo.error.too_large")
        .header(header::COOKIE, &u.cookie)
        .header(header::ACCEPT_LANGUAGE, "da")
        .body(Body::empty())
        .unwrap();
    let html = body_text(app.send(req).await).await;
    assert!(
        html.contains("Filen er for stor. Vælg et billede på højst 0.3 MB."),
        "{html}"
    );
    let html = body_text(get(app, "/settings/photo?error=%3Cb%3Ehi", Some(&u.cookie)).await).await;
    assert!(!html.contains("<b>hi") && !html.contains("&lt;b&gt;hi"));
}
on_both_databases_and_stores!(refused_uploads, refused_uploads_keep_the_old_photo);

/// When the store fails, the row keeps the old photo and nothing is left behind; what a
/// crash between storing and committing would leave is deleted by the sweep, once it is
/// old enough not to belong to an upload in progress.
async fn a_failing_store_keeps_the_old_photo(app: &TestApp, store: Store) {
    let u = user(&app.platform, "maria@scuola.example").await;
    upload(app, &u, "me.jpg", "image/jpeg", &jpeg(40, 40)).await;
    let before = keys(app, &u).await;
    let objects = stored(app, &u).await;

    if store == Store::S3 {
        // The same database with a bucket that does not exist: every write fails.
        let mut s3 = app.settings.clone();
        s3.object_store_url = Some("s3://agora-test-no-such-bucket".into());
        let broken = Platform {
            storage: Storage::open(s3.object_store_url.as_deref(), &s3.data_dir, &s3.s3_options()).unwrap(),
            ..app.platform.clone()
        };
        let err = replace_photo(&broken, u.id, process(&jpeg(50, 50)).unwrap())
            .await
            .unwrap_err();
        assert!(matches!(err, PhotoError::Storage(_)), "{err:?}");
        assert_eq!(keys(app, &u).await, before);
        assert_eq!(stored(app, &u).await, objects);
        assert_eq!(orphans(app).await, 0);
    }

    // A crash after storing a new photo but before the row named it.
    let crashed = format!("photos/{}/crashed.jpg", u.id);
    app.platform
        .storage
        .put(&crashed, jpeg(8, 8).into())
        .await
        .unwrap();
    sqlx::query("INSERT INTO storage_orphans (object_key, since) VALUES ($1, $2)")
        .bind(&crashed)
        .bind(app.platform.clock.now_ms())
        .execute(&app.platform.db.pool)
        .await
        .unwrap();
    assert_eq!(
        sweep_orphans(&app.platform, 60_000).await.unwrap(),
        0,
        "too young"
    );
    assert!(app.platform.storage.exists(&crashed).await.unwrap());
    app.platform.clock.advance(std::time::Duration::from_secs(120));
    assert_eq!(sweep_orphans(&app.platform, 60_000).await.unwrap(), 1);
    assert!(!app.platform.storage.exists(&crashed).await.unwrap());
    assert_eq!(orphans(app).await, 0);
    assert_eq!(stored(app, &u).await, objects, "the current photo is never swept");
}
on_both_databases_and_stores!(failing_store, a_failing_store_keeps_the_old_photo);

async fn removing_deletes_the_photo(app: &TestApp, _: Store) {
    let u = user(&app.platform, "lars@skole.example").await;
    upload(app, &u, "me.jpg", "image/jpeg", &jpeg(40, 40)).await;
    let req = Request::post("/settings/photo/remove")
        .header(header::COOKIE, &u.cookie)
        .header(header::ORIGIN, ORIGIN)
        .body(Body::empty())
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], "/settings/photo?status=removed");
    assert_eq!(keys(app, &u).await, (None, None));
    assert!(stored(app, &u).await.is_empty(), "objects deleted");
    assert_eq!(
        get(app, &format!("/media/photos/{}/thumb", u.id), None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let html = body_text(get(app, "/settings/photo?status=removed", Some(&u.cookie)).await).await;
    assert!(
        html.contains("Your photo has been removed.") && html.contains("You have not added a photo yet.")
    );
    assert!(
        !html.contains("/settings/photo/remove"),
        "no remove button without a photo"
    );
    assert_eq!(orphans(app).await, 0);
}
on_both_databases_and_stores!(remove, removing_deletes_the_photo);

/// Anonymous visitors are sent to sign in and change nothing; a user's requests only ever
/// touch their own photo; cross-site posts are refused.
async fn only_the_owner_changes_a_photo(app: &TestApp, _: Store) {
    let a = user(&app.platform, "a@skola.example").await;
    let b = user(&app.platform, "b@skola.example").await;
    upload(app, &a, "a.jpg", "image/jpeg", &jpeg(40, 40)).await;
    let a_before = keys(app, &a).await;
    let a_objects = stored(app, &a).await;

    let res = upload_as(app, None, false, "x.jpg", "image/jpeg", &jpeg(30, 30)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], "/sign-in?next=/settings/photo");
    let res = upload_as(app, None, true, "x.jpg", "image/jpeg", &jpeg(30, 30)).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = app
        .send(
            Request::post("/settings/photo/remove")
                .header(header::ORIGIN, ORIGIN)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(res.headers()[header::LOCATION], "/sign-in?next=/settings/photo");
    // The page itself sends anonymous visitors (browsers, which accept HTML) to sign in.
    let req = Request::get("/settings/photo")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .body(Body::empty())
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(res.headers()[header::LOCATION], "/sign-in?next=/settings/photo");

    // B's upload and removal change B's photo only: there is no way to name another user.
    upload(app, &b, "b.jpg", "image/jpeg", &jpeg(30, 30)).await;
    let req = Request::post("/settings/photo/remove?user=".to_string() + &a.id.to_string())
        .header(header::COOKIE, &b.cookie)
        .header(header::ORIGIN, ORIGIN)
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(req).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(keys(app, &b).await, (None, None));
    assert_eq!(keys(app, &a).await, a_before);
    assert_eq!(stored(app, &a).await, a_objects);

    // A signed-in request from another site is refused before it is read.
    let (ct, body) = multipart("x.jpg", "image/jpeg", &jpeg(30, 30));
    let req = Request::post("/settings/photo/upload")
        .header(header::CONTENT_TYPE, ct)
        .header(header::COOKIE, &a.cookie)
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(app.send(req).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(keys(app, &a).await, a_before);
}
on_both_databases_and_stores!(owner_only, only_the_owner_changes_a_photo);

/// T7/S14: a deactivated or anonymised user's photos are not served to anyone but
/// platform admins; missing, forbidden and unknown look alike.
async fn hidden_profiles_show_no_photo(app: &TestApp, _: Store) {
    let u = user(&app.platform, "hidden@skola.example").await;
    let viewer = user(&app.platform, "viewer@skola.example").await;
    let admin = user(&app.platform, "admin@agora.example").await;
    sqlx::query(
        "INSERT INTO role_grants (user_id, role, country, granted_at) VALUES ($1, 'platform_admin', '', 0)",
    )
    .bind(admin.id)
    .execute(&app.platform.db.pool)
    .await
    .unwrap();
    upload(app, &u, "me.jpg", "image/jpeg", &jpeg(40, 40)).await;
    let thumb = format!("/media/photos/{}/thumb", u.id);
    let full = format!("/media/photos/{}/full", u.id);
    assert_eq!(get(app, &thumb, None).await.status(), StatusCode::OK);

    for status in ["deactivated", "anonymised"] {
        sqlx::query("UPDATE users SET status = $1 WHERE id = $2")
            .bind(status)
            .bind(u.id)
            .execute(&app.platform.db.pool)
            .await
            .unwrap();
        for (path, cookie) in [
            (&thumb, None),
            (&thumb, Some(viewer.cookie.as_str())),
            (&full, None),
            (&full, Some(viewer.cookie.as_str())),
        ] {
            let res = get(app, path, cookie).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{status} {path} {cookie:?}");
            assert!(bytes(res).await.is_empty());
        }
        let res = get(app, &thumb, Some(&admin.cookie)).await;
        assert_eq!(res.status(), StatusCode::OK, "admins see hidden profiles");
        assert_eq!(res.headers()[header::CACHE_CONTROL], "private, no-cache");
    }
    // Unknown users, sizes and users without a photo answer the same.
    for path in [
        "/media/photos/999999/thumb".to_string(),
        format!("/media/photos/{}/thumb", viewer.id),
        format!("/media/photos/{}/original", viewer.id),
        "/media/photos/x/thumb".to_string(),
    ] {
        assert_eq!(
            get(app, &path, Some(&viewer.cookie)).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}
on_both_databases_and_stores!(hidden_profiles, hidden_profiles_show_no_photo);

/// The page without JavaScript: the current photo, a labelled file input that offers the
/// three types, upload and remove forms.
async fn the_settings_page_works_without_javascript(app: &TestApp, _: Store) {
    let u = user(&app.platform, "page@skola.example").await;
    let html = body_text(get(app, "/settings/photo", Some(&u.cookie)).await).await;
    assert!(html.contains("<h1>Profile photo</h1>"), "{html}");
    assert!(html.contains("You have not added a photo yet."));
    assert!(
        html.contains(r#"action="/settings/photo/upload""#)
            && html.contains(r#"enctype="multipart/form-data""#)
    );
    assert!(html.contains(r#"<label for="photo-file">Choose a photo</label>"#));
    assert!(html.contains(r#"accept="image/jpeg,image/png,image/webp""#));
    assert!(
        html.contains(r#"role="img" aria-label="Photo of Sofia Andersson""#) && html.contains(">SA</span>")
    );

    upload(app, &u, "me.jpg", "image/jpeg", &jpeg(40, 40)).await;
    let req = Request::get("/settings/photo?status=uploaded")
        .header(header::COOKIE, &u.cookie)
        .header(header::ACCEPT_LANGUAGE, "sv")
        .body(Body::empty())
        .unwrap();
    let html = body_text(app.send(req).await).await;
    assert!(html.contains("Din nya bild har sparats."), "{html}");
    let version: i64 = sqlx::query_scalar("SELECT photo_updated_at FROM users WHERE id = $1")
        .bind(u.id)
        .fetch_one(&app.platform.db.pool)
        .await
        .unwrap();
    assert!(html.contains(&format!(r#"src="/media/photos/{}/full?v={version}""#, u.id)));
    assert!(html.contains(r#"alt="Bild av Sofia Andersson""#));
    assert!(html.contains(r#"action="/settings/photo/remove""#) && html.contains("Ta bort bild"));
}
on_both_databases_and_stores!(settings_page, the_settings_page_works_without_javascript);

/// The storage module itself: a streamed multipart put of more than one part, a streamed
/// get, exists and delete.
async fn storage_streams_large_objects(app: &TestApp, _: Store) {
    let s = &app.platform.storage;
    let size = app::platform::storage::PART_SIZE + 1024 * 1024 + 17;
    let data: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
    let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = data
        .chunks(256 * 1024)
        .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
        .collect();
    let key = "test/large.bin";
    assert_eq!(
        s.put_stream(key, futures::stream::iter(chunks)).await.unwrap(),
        size as u64
    );
    assert!(s.exists(key).await.unwrap());
    let object = s.get(key).await.unwrap().unwrap();
    assert_eq!(object.size, size as u64);
    use futures::TryStreamExt;
    let back: Vec<bytes::Bytes> = object.stream.try_collect().await.unwrap();
    assert_eq!(back.concat(), data);

    // A stream that fails stores nothing.
    let failing = futures::stream::iter(vec![
        Ok(bytes::Bytes::from(vec![1u8; 1024])),
        Err(std::io::Error::other("client went away")),
    ]);
    assert!(s.put_stream("test/broken.bin", failing).await.is_err());
    assert!(!s.exists("test/broken.bin").await.unwrap());

    s.delete(key).await.unwrap();
    s.delete(key).await.unwrap(); // deleting twice is fine
    assert!(s.get(key).await.unwrap().is_none());
}
on_both_databases_and_stores!(storage, storage_streams_large_objects);
