//! Errors answer in the visitor's language: Chinese without the `fairhall_lang` cookie, English
//! with `fairhall_lang=en`, the same `code` and `field` either way.

use fairhall_domain::account::Role;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::Client;

/// The client reads English from now on, as after the page's language switch.
fn english(c: &Client) {
    let url = reqwest::Url::parse(&c.base).unwrap();
    c.jar.add_cookie_str("fairhall_lang=en; Path=/", &url);
}

async fn body_of(r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

fn form_csrf(html: &str) -> String {
    let at = html
        .find("name=\"_csrf\" value=\"")
        .expect("a CSRF field in the form");
    html[at + 20..].split('"').next().unwrap().to_string()
}

both_backends! {
    async fn a_domain_error_answers_in_the_visitors_language(app) {
        let bad = json!({"phone": "12345"});
        let zh = app.client();
        let (status, body) = body_of(zh.post("/api/v1/auth/code", bad.clone()).await).await;
        assert_eq!(status, 422);
        assert_eq!(body["code"], "invalid_phone");
        assert_eq!(body["field"], "phone");
        assert_eq!(body["message"], "请输入 11 位中国大陆手机号");

        let en = app.client();
        english(&en);
        let (status, body) = body_of(en.post("/api/v1/auth/code", bad).await).await;
        assert_eq!(status, 422);
        assert_eq!(body["code"], "invalid_phone");
        assert_eq!(body["field"], "phone");
        assert_eq!(body["message"], "Please enter an 11-digit mainland China mobile number.");
    }

    async fn an_application_error_answers_in_the_visitors_language(app) {
        app.account(Role::EmployerAdmin, "hr@example.cn").await;
        let wrong = json!({"email": "hr@example.cn", "password": "wrong-password"});
        let (status, body) = body_of(app.client().post("/api/v1/auth/login", wrong.clone()).await).await;
        assert_eq!((status, body["code"].as_str()), (401, Some("invalid_credentials")));
        assert_eq!(body["message"], "邮箱或密码错误");

        let en = app.client();
        english(&en);
        let (status, body) = body_of(en.post("/api/v1/auth/login", wrong).await).await;
        assert_eq!((status, body["code"].as_str()), (401, Some("invalid_credentials")));
        assert_eq!(body["message"], "The email address or password is wrong.");
        assert!(body.get("field").is_none());
    }

    async fn a_rate_limit_says_how_long_to_wait_in_the_visitors_language(app) {
        app.account(Role::EmployerAdmin, "hr@example.cn").await;
        let zh = app.client();
        let en = app.client();
        english(&en);
        let wrong = json!({"email": "hr@example.cn", "password": "wrong-password"});
        for _ in 0..5 {
            assert_eq!(zh.post("/api/v1/auth/login", wrong.clone()).await.status(), 401);
        }
        // The limit is per account: both clients are refused now.
        for (c, lang) in [(&zh, "zh"), (&en, "en")] {
            let r = c.post("/api/v1/auth/login", wrong.clone()).await;
            assert_eq!(r.status(), 429, "{lang}");
            let secs: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
            let body: Value = r.json().await.unwrap();
            assert_eq!(body["code"], "rate_limited");
            let want = match lang {
                "zh" => format!("操作过于频繁，请 {secs} 秒后再试"),
                _ => format!("Too many attempts. Please try again in {secs} seconds."),
            };
            assert_eq!(body["message"], want.as_str(), "{lang}");
        }
    }

    async fn errors_outside_the_handlers_answer_in_the_visitors_language_too(app) {
        // A body that does not parse (the extractor's rejection).
        let en = app.client();
        english(&en);
        let r = en.http.post(en.url("/api/v1/auth/login"))
            .header("content-type", "application/json")
            .body("{not json")
            .send().await.unwrap();
        let (status, body) = body_of(r).await;
        assert_eq!((status, body["code"].as_str(), body["field"].as_str()), (422, Some("bad_json"), Some("body")));
        assert!(body["message"].as_str().unwrap().starts_with("The request is not well-formed: "), "{body}");

        // The CSRF check, a middleware of its own.
        let mut c = app.signed_in(Role::EmployerAdmin, "hr2@example.cn").await;
        english(&c);
        c.csrf = None;
        let (status, body) = body_of(c.post("/api/v1/employer/positions", json!({})).await).await;
        assert_eq!((status, body["code"].as_str()), (403, Some("csrf")));
        assert_eq!(body["message"], "The page has expired. Please refresh it and try again.");
    }

    async fn a_form_shows_its_field_errors_in_the_visitors_language(app) {
        let e = app.signed_in(Role::EmployerAdmin, "hr@example.cn").await;
        let csrf = e.csrf.clone().unwrap();
        let bad = [("_csrf", csrf.as_str()), ("title", "Test engineer"), ("headcount", "0"), ("education", "bachelor"),
                   ("majors", ""), ("city", ""), ("salary_min", "9000"), ("salary_max", "6000"), ("description", "")];
        let r = e.http.post(e.url("/employer/positions")).form(&bad).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("招聘人数至少为 1") && page.contains("请填写工作城市"));

        english(&e);
        let r = e.http.post(e.url("/employer/positions")).form(&bad).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("<html lang=\"en\">"));
        assert!(page.contains("There must be at least 1 opening."), "{page}");
        assert!(page.contains("Please enter the work city."));
        assert!(page.contains("The maximum monthly salary cannot be lower than the minimum."));
        assert!(!page.contains("招聘人数") && !page.contains("工作城市"), "no Chinese error is left");
        assert!(page.contains("value=\"Test engineer\""), "what was typed is kept");
    }

    async fn the_sign_in_page_shows_its_refusal_in_the_visitors_language(app) {
        app.account(Role::OrganizerStaff, "staff@example.cn").await;
        let c = app.client();
        english(&c);
        let token = form_csrf(&c.get("/login?tab=password").await.text().await.unwrap());
        let r = c.http.post(c.url("/login"))
            .form(&[("email", "staff@example.cn"), ("password", "wrong-password"), ("_csrf", &token)])
            .send().await.unwrap();
        assert_eq!(r.status(), 401);
        let page = r.text().await.unwrap();
        assert!(page.contains("The email address or password is wrong."), "{page}");
        assert!(!page.contains("邮箱或密码错误"));
    }
}
