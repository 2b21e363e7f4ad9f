use fairhall_domain::account::Role;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Backend, PASSWORD, TestApp, error_code};

both_backends! {
    async fn every_password_role_signs_in_and_gets_a_csrf_token(app) {
        for (role, email) in [
            (Role::PlatformAdmin, "admin@example.cn"),
            (Role::OrganizerStaff, "staff@example.cn"),
            (Role::EmployerAdmin, "hr@example.cn"),
            (Role::Interviewer, "iv@example.cn"),
        ] {
            app.account(role, email).await;
            let mut c = app.client();
            let body = c.sign_in(email, PASSWORD).await;
            assert_eq!(body["user"]["role"], role.as_str());
            assert_eq!(body["csrf_token"].as_str().unwrap().len(), 64);
            let me: Value = c.get("/api/v1/me").await.json().await.unwrap();
            assert_eq!(me["user"]["email"], email);
            assert_eq!(me["csrf_token"], body["csrf_token"]);
        }
    }

    async fn a_wrong_password_is_refused(app) {
        app.account(Role::EmployerAdmin, "hr@example.cn").await;
        let c = app.client();
        let r = c.post("/api/v1/auth/login", json!({"email": "hr@example.cn", "password": "nope-nope-nope"})).await;
        assert_eq!(error_code(r).await, (401, "invalid_credentials".into()));
        assert_eq!(c.get("/api/v1/me").await.status(), 401);
    }

    async fn an_unknown_email_gets_the_same_answer_as_a_wrong_password(app) {
        let c = app.client();
        let r = c.post("/api/v1/auth/login", json!({"email": "ghost@example.cn", "password": PASSWORD})).await;
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "invalid_credentials");
        assert_eq!(body["message"], "邮箱或密码错误");
    }

    async fn password_attempts_per_account_are_rate_limited(app) {
        app.account(Role::EmployerAdmin, "hr@example.cn").await;
        let c = app.client();
        let mut statuses = Vec::new();
        for _ in 0..6 {
            let r = c.post("/api/v1/auth/login", json!({"email": "hr@example.cn", "password": "wrong-password"})).await;
            statuses.push(r.status().as_u16());
        }
        assert_eq!(statuses, [401, 401, 401, 401, 401, 429]);
        // Even the right password waits now.
        let r = c.post("/api/v1/auth/login", json!({"email": "hr@example.cn", "password": PASSWORD})).await;
        assert!(r.headers().get("retry-after").is_some());
        assert_eq!(error_code(r).await, (429, "rate_limited".into()));
    }

    async fn malformed_json_gets_a_json_error(app) {
        let r = app.client().http
            .post(format!("{}/api/v1/auth/login", app.base))
            .header("content-type", "application/json")
            .body("{not json")
            .send().await.unwrap();
        assert_eq!(error_code(r).await, (422, "bad_json".into()));
    }

    async fn a_new_phone_signs_in_by_code_and_creates_a_student_once(app) {
        let c = app.client();
        let r = c.post("/api/v1/auth/code", json!({"phone": "138 0013 8000"})).await;
        assert_eq!(r.status(), 204);
        let code = app.last_code("13800138000").await;
        let r = c.post("/api/v1/auth/code/verify", json!({"phone": "13800138000", "code": code, "accept_privacy": true})).await;
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["user"]["role"], "student");
        assert_eq!(body["user"]["phone"], "138****8000");
        assert_eq!(body["created"], true);

        let again = app.student("13800138000").await;
        let me: Value = again.get("/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["user"]["id"], body["user"]["id"]);
    }

    async fn a_code_signs_in_only_once(app) {
        let c = app.client();
        c.post("/api/v1/auth/code", json!({"phone": "13900000000"})).await;
        let code = app.last_code("13900000000").await;
        let body = json!({"phone": "13900000000", "code": code, "accept_privacy": true});
        assert_eq!(c.post("/api/v1/auth/code/verify", body.clone()).await.status(), 200);
        let other = app.client();
        assert_eq!(error_code(other.post("/api/v1/auth/code/verify", body).await).await, (422, "code_used".into()));
    }

    async fn a_wrong_code_is_refused_and_five_wrong_guesses_burn_the_code(app) {
        let c = app.client();
        c.post("/api/v1/auth/code", json!({"phone": "13900000001"})).await;
        let code = app.last_code("13900000001").await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for _ in 0..5 {
            let r = c.post("/api/v1/auth/code/verify", json!({"phone": "13900000001", "code": wrong, "accept_privacy": true})).await;
            assert_eq!(error_code(r).await, (422, "wrong_code".into()));
        }
        let r = c.post("/api/v1/auth/code/verify", json!({"phone": "13900000001", "code": code, "accept_privacy": true})).await;
        assert_eq!(error_code(r).await, (422, "code_exhausted".into()));
    }

    async fn the_privacy_notice_must_be_accepted(app) {
        let c = app.client();
        c.post("/api/v1/auth/code", json!({"phone": "13900000002"})).await;
        let code = app.last_code("13900000002").await;
        let r = c.post("/api/v1/auth/code/verify", json!({"phone": "13900000002", "code": code})).await;
        let body: Value = r.json().await.unwrap();
        assert_eq!((body["code"].as_str(), body["field"].as_str()), (Some("consent_required"), Some("consent")));
        // The code was not spent on the refused attempt.
        let r = c.post("/api/v1/auth/code/verify", json!({"phone": "13900000002", "code": code, "accept_privacy": true})).await;
        assert_eq!(r.status(), 200);
    }

    async fn a_second_code_within_a_minute_is_refused(app) {
        let c = app.client();
        assert_eq!(c.post("/api/v1/auth/code", json!({"phone": "13900000003"})).await.status(), 204);
        let r = c.post("/api/v1/auth/code", json!({"phone": "13900000003"})).await;
        assert_eq!(error_code(r).await, (422, "code_sent_recently".into()));
    }

    async fn a_bad_phone_number_is_refused_beside_the_field(app) {
        let r = app.client().post("/api/v1/auth/code", json!({"phone": "12345"})).await;
        let body: Value = r.json().await.unwrap();
        assert_eq!((body["code"].as_str(), body["field"].as_str()), (Some("invalid_phone"), Some("phone")));
    }
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.sign_in.otp_ttl_secs = 1).await;
    let c = app.client();
    c.post("/api/v1/auth/code", json!({"phone": "13900000004"}))
        .await;
    let code = app.last_code("13900000004").await;
    // Waiting out the one-second lifetime (whole seconds, so two of them).
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let r = c
        .post(
            "/api/v1/auth/code/verify",
            json!({"phone": "13900000004", "code": code, "accept_privacy": true}),
        )
        .await;
    assert_eq!(error_code(r).await, (422, "code_expired".into()));
}

#[tokio::test]
async fn code_requests_per_client_address_are_rate_limited() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.sign_in.codes_per_ip_per_hour = 3).await;
    let c = app.client();
    let mut statuses = Vec::new();
    for i in 0..4 {
        let r = c
            .post(
                "/api/v1/auth/code",
                json!({"phone": format!("1370000000{i}")}),
            )
            .await;
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses, [204, 204, 204, 429]);
}
