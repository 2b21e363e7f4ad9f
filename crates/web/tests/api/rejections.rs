//! Requests the API cannot even read are refused like any other error: JSON
//! `{code, message, field?}` in the visitor's language, never axum's plain text.

use fairhall_domain::account::Role;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::Client;

/// The client reads English from now on, as after the page's language switch.
fn english(c: &Client) {
    let url = reqwest::Url::parse(&c.base).unwrap();
    c.jar.add_cookie_str("fairhall_lang=en; Path=/", &url);
}

/// Status and JSON body of an answer that must be a JSON error.
async fn refusal(r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    let kind = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    assert_eq!(
        kind.as_deref(),
        Some("application/json"),
        "a {status} answer is JSON"
    );
    let body: Value = r.json().await.unwrap();
    assert!(
        body["code"].is_string() && body["message"].is_string(),
        "{body}"
    );
    (status, body)
}

fn post(c: &Client, path: &str) -> reqwest::RequestBuilder {
    with_token(c, c.http.post(c.url(path)))
}

fn put(c: &Client, path: &str) -> reqwest::RequestBuilder {
    with_token(c, c.http.put(c.url(path)))
}

fn with_token(c: &Client, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    match &c.csrf {
        Some(t) => req.header("x-csrf-token", t),
        None => req,
    }
}

/// A Chinese and an English client for one new account of `role`.
async fn both(
    app: &crate::helpers::TestApp,
    role: Role,
    email: &str,
) -> [(&'static str, Client); 2] {
    app.account(role, email).await;
    let mut zh = app.client();
    zh.sign_in(email, crate::helpers::PASSWORD).await;
    let mut en = app.client();
    en.sign_in(email, crate::helpers::PASSWORD).await;
    english(&en);
    [("zh", zh), ("en", en)]
}

/// Two clients of one student, Chinese and English.
async fn students(app: &crate::helpers::TestApp) -> [(&'static str, Client); 2] {
    let zh = app.student("13800000011").await;
    let en = app.student("13800000012").await;
    english(&en);
    [("zh", zh), ("en", en)]
}

fn said(lang: &str, zh: &str, en: &str) -> String {
    if lang == "zh" { zh.into() } else { en.into() }
}

both_backends! {
    async fn a_path_parameter_of_the_wrong_type_is_a_json_422_naming_it(app) {
        for (lang, c) in both(&app, Role::EmployerAdmin, "hr@example.cn").await {
            let (status, body) = refusal(c.get("/api/v1/tickets/abc/events").await).await;
            assert_eq!((status, body["code"].as_str(), body["field"].as_str()), (422, Some("bad_path"), Some("id")), "{lang}");
            assert_eq!(body["message"], said(lang, "地址中的 id 格式不正确", "The id in the address is not valid."));
            // Of two parameters, the one that is wrong.
            let (status, body) = refusal(c.get("/api/v1/employer/fairs/1/students/x/resume").await).await;
            assert_eq!((status, body["code"].as_str(), body["field"].as_str()), (422, Some("bad_path"), Some("student_id")), "{lang}");
            let r = put(&c, "/api/v1/employer/positions/1.5").json(&json!({})).send().await.unwrap();
            let (status, body) = refusal(r).await;
            assert_eq!((status, body["code"].as_str()), (422, Some("bad_path")), "{lang}: before the body is read");
        }
    }

    async fn a_query_that_does_not_parse_is_a_json_422(app) {
        for (lang, c) in both(&app, Role::OrganizerStaff, "staff@example.cn").await {
            let (status, body) = refusal(c.get("/api/v1/employer/deliveries?fair_id=x").await).await;
            assert_eq!((status, body["code"].as_str(), body["field"].as_str()), (422, Some("bad_query"), Some("query")), "{lang}");
            let message = body["message"].as_str().unwrap();
            let prefix = said(lang, "查询参数不正确：", "The query parameters are not valid: ");
            assert!(message.starts_with(&prefix), "{lang}: {message}");
        }
        for (lang, s) in students(&app).await {
            let (status, body) = refusal(s.get("/api/v1/fairs/1/employers?page=x").await).await;
            assert_eq!((status, body["code"].as_str()), (422, Some("bad_query")), "{lang}");
        }
    }

    async fn a_body_of_the_wrong_type_is_a_json_415(app) {
        for (lang, s) in students(&app).await {
            let r = put(&s, "/api/v1/resume/skills").header("content-type", "text/plain").body("CET-6").send().await.unwrap();
            let (status, body) = refusal(r).await;
            assert_eq!((status, body["code"].as_str()), (415, Some("unsupported_media_type")), "{lang}");
            assert_eq!(body["message"], said(lang, "请求正文须为 application/json 格式",
                "The request body must be sent as application/json."));
            // An upload sent as JSON.
            let r = post(&s, "/api/v1/resume/photo").json(&json!({"photo": "x"})).send().await.unwrap();
            let (status, body) = refusal(r).await;
            assert_eq!((status, body["code"].as_str()), (415, Some("unsupported_media_type")), "{lang}");
            assert_eq!(body["message"], said(lang, "请求正文须为 multipart/form-data 格式",
                "The request body must be sent as multipart/form-data."));
        }
    }

    async fn a_multipart_body_that_does_not_parse_is_a_json_422(app) {
        for (lang, s) in students(&app).await {
            // No boundary.
            let r = post(&s, "/api/v1/resume/photo").header("content-type", "multipart/form-data").body("x").send().await.unwrap();
            let (status, body) = refusal(r).await;
            assert_eq!((status, body["code"].as_str(), body["field"].as_str()), (422, Some("bad_upload"), Some("file")), "{lang}");
            assert_eq!(body["message"], said(lang, "上传的表单不完整，请重试", "The uploaded form is incomplete. Please try again."));
            // A boundary, and a body cut short.
            let r = post(&s, "/api/v1/resume/photo").header("content-type", "multipart/form-data; boundary=XyZ")
                .body("--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.png\"\r\n\r\nabc").send().await.unwrap();
            let (status, body) = refusal(r).await;
            assert_eq!((status, body["code"].as_str()), (422, Some("bad_upload")), "{lang}");
        }
    }

    async fn a_body_larger_than_the_server_reads_is_a_json_413(app) {
        let big = vec![b' '; 17 << 20];
        for (lang, s) in students(&app).await {
            let r = put(&s, "/api/v1/resume/skills").header("content-type", "application/json").body(big.clone()).send().await.unwrap();
            let (status, body) = refusal(r).await;
            assert_eq!((status, body["code"].as_str()), (413, Some("too_large")), "{lang}");
            assert_eq!(body["message"], said(lang, "提交的内容过大", "What you submitted is too large."));
            let form = Form::new().part("photo", Part::bytes(big.clone()).file_name("big.png"));
            let (status, body) = refusal(post(&s, "/api/v1/resume/photo").multipart(form).send().await.unwrap()).await;
            assert_eq!((status, body["code"].as_str()), (413, Some("too_large")), "{lang}");
        }
    }

    async fn an_unknown_api_path_is_a_json_404_and_a_wrong_method_a_json_405(app) {
        let zh = app.client();
        let en = app.client();
        english(&en);
        for (lang, c) in [("zh", &zh), ("en", &en)] {
            for path in ["/api/v1/nothing-here", "/api/v1/tickets/abc", "/api/v1/tickets/1/nothing", "/api/v2/fairs"] {
                let (status, body) = refusal(c.get(path).await).await;
                assert_eq!((status, body["code"].as_str()), (404, Some("not_found")), "{lang} {path}");
                assert_eq!(body["message"], said(lang, "内容不存在或已删除", "This does not exist or has been deleted."));
            }
            let r = c.http.delete(c.url("/api/v1/me")).send().await.unwrap();
            assert_eq!(r.headers()["allow"], "GET,HEAD");
            let (status, body) = refusal(r).await;
            assert_eq!((status, body["code"].as_str()), (405, Some("method_not_allowed")), "{lang}");
            assert_eq!(body["message"], said(lang, "该地址不接受 DELETE 请求", "This address does not accept DELETE requests."));
            let (status, _) = refusal(c.http.post(c.url("/api/openapi.json")).send().await.unwrap()).await;
            assert_eq!(status, 405);
        }
        // Pages keep their own 404 and 405.
        let r = zh.get("/no/such/page").await;
        assert_eq!(r.status(), 404);
        assert!(r.text().await.unwrap().contains("页面不存在"));
        assert_eq!(zh.http.delete(zh.url("/login")).send().await.unwrap().status(), 405);
    }
}
