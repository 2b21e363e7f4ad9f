use fairhall_domain::account::Role;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Backend, PASSWORD, TestApp, error_code};

both_backends! {
    async fn requests_without_a_session_are_refused(app) {
        let c = app.client();
        assert_eq!(error_code(c.get("/api/v1/me").await).await, (401, "not_signed_in".into()));
        assert_eq!(c.get("/api/v1/admin/outbox").await.status(), 401);
        assert_eq!(c.post("/api/v1/auth/logout", json!({})).await.status(), 401);
    }

    async fn the_outbox_is_for_the_platform_admin_only(app) {
        app.student("13800000009").await;
        for (role, email) in [
            (Role::OrganizerStaff, "staff@example.cn"),
            (Role::EmployerAdmin, "hr@example.cn"),
            (Role::Interviewer, "iv@example.cn"),
        ] {
            let c = app.signed_in(role, email).await;
            assert_eq!(error_code(c.get("/api/v1/admin/outbox").await).await, (403, "forbidden".into()), "{email}");
        }
        let student = app.student("13800000010").await;
        assert_eq!(student.get("/api/v1/admin/outbox").await.status(), 403);

        let admin = app.signed_in(Role::PlatformAdmin, "admin@example.cn").await;
        let items: Vec<Value> = admin.get("/api/v1/admin/outbox").await.json().await.unwrap();
        assert!(items.iter().any(|m| m["recipient"] == "13800000009" && m["channel"] == "sms"));
    }

    async fn a_state_change_without_the_csrf_token_is_refused(app) {
        let mut c = app.signed_in(Role::EmployerAdmin, "hr@example.cn").await;
        let token = c.csrf.take();
        assert_eq!(error_code(c.post("/api/v1/auth/logout", json!({})).await).await, (403, "csrf".into()));
        c.csrf = Some("0".repeat(64));
        assert_eq!(error_code(c.post("/api/v1/auth/logout", json!({})).await).await, (403, "csrf".into()));
        // Still signed in: nothing happened.
        assert_eq!(c.get("/api/v1/me").await.status(), 200);
        c.csrf = token;
        assert_eq!(c.post("/api/v1/auth/logout", json!({})).await.status(), 204);
        assert_eq!(c.get("/api/v1/me").await.status(), 401);
    }

    async fn a_request_from_another_site_is_refused(app) {
        app.account(Role::EmployerAdmin, "hr@example.cn").await;
        let r = app.client().http
            .post(format!("{}/api/v1/auth/login", app.base))
            .header("origin", "http://evil.example")
            .json(&json!({"email": "hr@example.cn", "password": PASSWORD}))
            .send().await.unwrap();
        assert_eq!(error_code(r).await, (403, "bad_origin".into()));
        let r = app.client().http
            .post(format!("{}/api/v1/auth/login", app.base))
            .header("origin", app.base.clone())
            .json(&json!({"email": "hr@example.cn", "password": PASSWORD}))
            .send().await.unwrap();
        assert_eq!(r.status(), 200);
    }

    async fn signing_in_rotates_the_session_id(app) {
        app.account(Role::EmployerAdmin, "hr@example.cn").await;
        let mut c = app.client();
        // Visiting the sign-in form starts an anonymous session (for its CSRF token).
        let html = c.get("/login").await.text().await.unwrap();
        let marker = "name=\"csrf-token\" content=\"";
        let at = html.find(marker).unwrap() + marker.len();
        c.csrf = html[at..].split('"').next().map(str::to_string);
        let before = c.cookie_header().expect("a session before sign-in");
        c.sign_in("hr@example.cn", PASSWORD).await;
        let after = c.cookie_header().expect("a session after sign-in");
        assert!(before.contains("fairhall_session=") && after.contains("fairhall_session="));
        assert_ne!(before, after);
    }

    async fn a_late_save_never_brings_back_a_deleted_session(app) {
        let store = &app.store;
        let far = fairhall_app::now_ms() + 3_600_000;
        assert!(store.session_save("s-late", "{}", far, true).await.unwrap());
        // Signed out (on this node or another) while a request still held the session …
        store.session_delete("s-late").await.unwrap();
        // … whose save comes afterwards: it changes nothing.
        assert!(!store.session_save("s-late", "{\"uid\":1}", far, false).await.unwrap());
        assert_eq!(store.session_load("s-late", fairhall_app::now_ms()).await.unwrap(), None);
    }

    async fn session_cookies_are_http_only_and_same_site_lax(app) {
        app.account(Role::EmployerAdmin, "hr@example.cn").await;
        let r = app.client().post("/api/v1/auth/login", json!({"email": "hr@example.cn", "password": PASSWORD})).await;
        let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().to_lowercase();
        assert!(cookie.contains("httponly"), "{cookie}");
        assert!(cookie.contains("samesite=lax"), "{cookie}");
    }
}

#[tokio::test]
async fn an_idle_session_ends() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.http.session_idle_secs = 1).await;
    let c = app.signed_in(Role::EmployerAdmin, "hr@example.cn").await;
    assert_eq!(c.get("/api/v1/me").await.status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(c.get("/api/v1/me").await.status(), 401);
}

#[tokio::test]
async fn a_session_ends_after_its_absolute_lifetime_even_when_busy() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.http.session_absolute_secs = 2).await;
    let c = app.signed_in(Role::EmployerAdmin, "hr@example.cn").await;
    for _ in 0..3 {
        assert_eq!(c.get("/api/v1/me").await.status(), 200);
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(1600)).await;
    assert_eq!(c.get("/api/v1/me").await.status(), 401);
}
