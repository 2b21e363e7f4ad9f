//! Uploaded files in S3-compatible storage: the same upload and download routes, with the bytes
//! in a bucket of a real S3 server (`TEST_S3_URL`, default http://127.0.0.1:9300;
//! `.ci/run` starts one) and nothing in the local folder.

use fairhall_domain::account::Role;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

use crate::helpers::{Backend, TestApp};

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
    0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xff, 0xff, 0x3f,
    0x00, 0x05, 0xfe, 0x02, 0xfe, 0x0d, 0xef, 0x46, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];

fn s3_url() -> String {
    std::env::var("TEST_S3_URL").unwrap_or_else(|_| "http://127.0.0.1:9300".into())
}

/// A bucket of this test's own.
async fn new_bucket() -> String {
    let bucket = format!("fairhall-test-{:08x}", rand::random::<u32>());
    let r = reqwest::Client::new()
        .put(format!("{}/{bucket}", s3_url()))
        .send()
        .await
        .expect("the S3 server answers (is it running? .ci/run starts one)");
    assert!(r.status().is_success(), "creating bucket: {}", r.status());
    bucket
}

async fn keys_in(bucket: &str) -> String {
    reqwest::get(format!("{}/{bucket}?list-type=2", s3_url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
#[ignore = "needs an S3-compatible server at TEST_S3_URL (run by .ci/run)"]
async fn uploads_go_to_the_bucket_and_come_back_through_the_same_routes() {
    let bucket = new_bucket().await;
    let b = bucket.clone();
    let app = TestApp::spawn_with(Backend::Sqlite, move |c| {
        c.files.bucket = Some(b);
        c.files.endpoint = Some(s3_url());
        c.files.access_key_id = Some("test-key".into());
        c.files.secret_access_key = Some("test-secret".into());
        c.files.prefix = "tj-fair".into();
        c.files.allow_http = true;
    })
    .await;
    let hr = app.signed_in(Role::EmployerAdmin, "s3@example.cn").await;
    let form = Form::new().part(
        "image",
        Part::bytes(PNG.to_vec())
            .file_name("薪资表.png")
            .mime_str("image/png")
            .unwrap(),
    );
    let r = hr
        .http
        .post(hr.url("/api/v1/employer/brochures/images"))
        .header("x-csrf-token", hr.csrf.clone().unwrap())
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let up: Value = r.json().await.unwrap();
    let url = up["url"].as_str().unwrap();
    let key = url.trim_start_matches("/files/");

    // In the bucket, under the prefix; not in the local folder.
    let listing = keys_in(&bucket).await;
    assert!(
        listing.contains(&format!("<Key>tj-fair/{key}</Key>")),
        "{listing}"
    );
    assert!(!app.state.config.data_dir.join("files").exists());

    // Back through the file route, byte for byte.
    let got = app.client().get(url).await;
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-type"], "image/png");
    assert_eq!(got.bytes().await.unwrap().as_ref(), PNG);
    // A key that is not there is a plain 404, not an error page about S3.
    let missing = app.client().get("/files/nothing-here.png").await;
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn s3_settings_are_checked_at_start() {
    let mut c = fairhall_app::Config {
        files: fairhall_app::config::FilesConfig {
            bucket: Some("b".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    assert!(c.validate().unwrap_err().starts_with("s3_access_key_id"));
    c.files.access_key_id = Some("k".into());
    c.files.secret_access_key = Some("s".into());
    c.files.endpoint = Some("http://10.0.0.9:9000".into());
    assert!(c.validate().unwrap_err().contains("s3_allow_http"));
    c.files.allow_http = true;
    assert!(c.validate().is_ok());
    c.files.endpoint = Some("minio:9000".into());
    assert!(c.validate().unwrap_err().starts_with("s3_endpoint"));
}
