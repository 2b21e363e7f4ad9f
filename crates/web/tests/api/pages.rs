use fairhall_domain::account::Role;
use serde_json::Value;

use crate::both_backends;
use crate::helpers::{Backend, PASSWORD, TestApp};

fn form_csrf(html: &str) -> String {
    let at = html
        .find("name=\"_csrf\" value=\"")
        .expect("a CSRF field in the form");
    html[at + 20..].split('"').next().unwrap().to_string()
}

both_backends! {
    async fn the_sign_in_form_works_with_its_csrf_field_and_fails_without(app) {
        app.account(Role::OrganizerStaff, "staff@example.cn").await;
        let c = app.client();
        let html = c.get("/login?tab=password").await.text().await.unwrap();
        let token = form_csrf(&html);
        assert_eq!(token.len(), 64);

        let r = c.http.post(c.url("/login"))
            .form(&[("email", "staff@example.cn"), ("password", PASSWORD), ("next", "/")])
            .send().await.unwrap();
        assert_eq!(r.status(), 403, "a form without the token is refused");

        let r = c.http.post(c.url("/login"))
            .form(&[("email", "staff@example.cn"), ("password", "wrong-password"), ("_csrf", &token)])
            .send().await.unwrap();
        assert_eq!(r.status(), 401);
        let page = r.text().await.unwrap();
        assert!(page.contains("邮箱或密码错误"), "the error shows on the page");
        assert!(page.contains("value=\"staff@example.cn\""), "the e-mail typed is kept");

        let r = c.http.post(c.url("/login"))
            .form(&[("email", "staff@example.cn"), ("password", PASSWORD), ("_csrf", &token), ("next", "/f/x")])
            .send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/f/x");
        let home = c.get("/").await.text().await.unwrap();
        assert!(home.contains("主办方工作人员"), "the role-aware home shows");
    }

    async fn page_guards_send_visitors_to_sign_in_and_back_and_refuse_other_roles_in_their_language(app) {
        // A page: to sign in, then back to the page with its query.
        let r = app.client().get("/employer/positions?done=saved").await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/login?next=/employer/positions%3Fdone%3Dsaved");

        // A form sent by a visitor (their session ended): back to the page the form was on,
        // never to another site.
        let c = app.client();
        let token = form_csrf(&c.get("/login").await.text().await.unwrap());
        let post = |referer: String| {
            c.http.post(c.url("/employer/positions"))
                .header("referer", referer)
                .form(&[("_csrf", token.as_str()), ("title", "Java 开发")])
                .send()
        };
        let r = post(c.url("/employer/positions/new")).await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/login?next=/employer/positions/new");
        let r = post("https://evil.example/employer/positions/new".into()).await.unwrap();
        assert_eq!(r.headers()["location"], "/login");

        // Another role: the error page, in the visitor's language.
        let student = app.student("13800000991").await;
        let zh = student.get("/employer/positions").await;
        assert_eq!(zh.status(), 403);
        assert!(zh.text().await.unwrap().contains("没有权限进行此操作"));
        let url = reqwest::Url::parse(&student.base).unwrap();
        student.jar.add_cookie_str("fairhall_lang=en; Path=/", &url);
        let en = student.get("/employer/positions").await;
        assert_eq!(en.status(), 403);
        let html = en.text().await.unwrap();
        assert!(html.contains("<html lang=\"en\">") && html.contains("You do not have permission to do this."));
    }

    async fn the_next_parameter_never_leaves_the_site(app) {
        app.account(Role::OrganizerStaff, "staff@example.cn").await;
        let c = app.client();
        let token = form_csrf(&c.get("/login").await.text().await.unwrap());
        let r = c.http.post(c.url("/login"))
            .form(&[("email", "staff@example.cn"), ("password", PASSWORD), ("_csrf", &token), ("next", "//evil.example/")])
            .send().await.unwrap();
        assert_eq!(r.headers()["location"], "/");
        // A tab is dropped by browsers, turning `/\t/evil` into `//evil`.
        let r = c.get("/lang/en?next=/%09/evil.example/").await;
        assert_eq!(r.headers()["location"], "/");
    }

    async fn a_student_signs_in_with_the_phone_form(app) {
        let c = app.client();
        let token = form_csrf(&c.get("/login").await.text().await.unwrap());
        let r = c.http.post(c.url("/login/code/request"))
            .form(&[("phone", "13800000077"), ("_csrf", &token)])
            .send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert!(r.text().await.unwrap().contains("验证码已发送"));
        let code = app.last_code("13800000077").await;
        let r = c.http.post(c.url("/login/code"))
            .form(&[("phone", "13800000077"), ("code", &code), ("_csrf", &token)])
            .send().await.unwrap();
        assert_eq!(r.status(), 422, "no consent, no sign-in");
        assert!(r.text().await.unwrap().contains("请阅读并同意隐私政策"));
        let r = c.http.post(c.url("/login/code"))
            .form(&[("phone", "13800000077"), ("code", &code), ("consent", "1"), ("_csrf", &token)])
            .send().await.unwrap();
        assert_eq!(r.status(), 303);
        let home = c.get("/").await.text().await.unwrap();
        assert!(home.contains("layout-phone"), "students get the phone layout");
    }

    async fn every_role_has_its_own_home(app) {
        for (role, email, marker) in [
            (Role::PlatformAdmin, "a@example.cn", "/admin/outbox"),
            (Role::OrganizerStaff, "s@example.cn", "本单位的双选会"),
            (Role::EmployerAdmin, "e@example.cn", "我的报名"),
            (Role::Interviewer, "i@example.cn", "面试间"),
        ] {
            let c = app.signed_in(role, email).await;
            let html = c.get("/").await.text().await.unwrap();
            assert!(html.contains(marker), "{email} home lacks {marker}");
            assert!(html.contains("layout-console"));
        }
    }

    async fn pages_carry_the_security_headers(app) {
        let r = app.client().get("/login").await;
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
        assert_eq!(h["x-content-type-options"], "nosniff");
        let pp = h["permissions-policy"].to_str().unwrap();
        assert!(pp.contains("camera=(self)") && pp.contains("microphone=(self)"));
    }

    async fn health_and_readiness_answer(app) {
        let c = app.client();
        let h: Value = c.get("/healthz").await.json().await.unwrap();
        assert_eq!(h["status"], "ok");
        let r = c.get("/readyz").await;
        assert_eq!(r.status(), 200);
    }

    async fn an_unknown_page_is_a_plain_404_page(app) {
        let r = app.client().get("/no/such/page").await;
        assert_eq!(r.status(), 404);
        let html = r.text().await.unwrap();
        assert!(html.contains("页面不存在"));
        assert!(!html.contains("sqlx") && !html.contains("/work/"));
    }

    async fn the_english_switch_translates_the_page(app) {
        let c = app.client();
        let r = c.get("/lang/en").await;
        assert_eq!(r.status(), 303);
        let html = c.get("/login").await.text().await.unwrap();
        assert!(html.contains("<html lang=\"en\">") && html.contains("Send code"));
    }

    async fn the_demo_is_idempotent_and_its_fair_is_live_now(app) {
        let first = app.state.seed_demo().await.unwrap();
        let again = app.state.seed_demo().await.unwrap();
        assert_eq!(first.logins.len(), 8);
        assert_eq!(again.logins.len(), 8);
        let admins = app.store.users_by_role(Role::PlatformAdmin).await.unwrap();
        assert_eq!(admins.len(), 1);
        let c = app.client();
        let fair: Value = c.get(&format!("/api/v1/fairs/by-code/{}", first.fair_code)).await.json().await.unwrap();
        let now = fairhall_app::now_ms();
        assert!(fair["starts_at"].as_i64().unwrap() <= now && now < fair["ends_at"].as_i64().unwrap());
        for l in first.logins.iter().filter(|l| l.role != Role::Student) {
            let mut c = app.client();
            c.sign_in(&l.login, &l.secret).await;
        }
        // Part 1 is populated: an approved registration, positions, a brochure, and a second
        // employer waiting for review.
        let mut hr = app.client();
        hr.sign_in("hr@demo-employer.cn", fairhall_app::demo::DEMO_PASSWORD).await;
        let mine: Vec<Value> = hr.get("/api/v1/employer/registrations").await.json().await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0]["status"], "approved");
        let positions: Vec<Value> = hr.get("/api/v1/employer/positions").await.json().await.unwrap();
        assert_eq!(positions.len(), 2);
        let brochures: Vec<Value> = hr.get("/api/v1/employer/brochures").await.json().await.unwrap();
        assert_eq!(brochures.len(), 1);
        let mut staff = app.client();
        staff.sign_in("staff@tju.demo", fairhall_app::demo::DEMO_PASSWORD).await;
        let pending: Vec<Value> = staff.get("/api/v1/staff/join-requests?status=pending").await.json().await.unwrap();
        assert_eq!(pending.len(), 1);
        // Part 3 is populated: a roster to match against, and a student who entered the fair,
        // delivered to the demo employer and wrote to it.
        let roster: Value = staff.get("/api/v1/staff/roster").await.json().await.unwrap();
        assert_eq!(roster["entries"], 2, "{roster}");
        let received: Vec<Value> = hr.get("/api/v1/employer/deliveries").await.json().await.unwrap();
        assert_eq!(received.len(), 1);
        let chats: Value = hr.get("/api/v1/chats").await.json().await.unwrap();
        assert_eq!(chats["items"].as_array().map(Vec::len), Some(1), "{chats}");
        let student = app.student(fairhall_app::demo::DEMO_ENTERED_STUDENT_PHONE).await;
        let mine: Vec<Value> = student.get("/api/v1/deliveries").await.json().await.unwrap();
        assert_eq!(mine.len(), 1);
        let page = c.get(&format!("/f/{}", first.fair_code)).await.text().await.unwrap();
        assert!(page.contains("2026 届天津大学秋季视频双选会"));
        assert_eq!(c.get("/api/v1/fairs/by-code/nope").await.status(), 404);
    }
}

#[test]
fn the_openapi_document_matches_its_snapshot() {
    let doc = serde_json::to_value(fairhall_web::openapi_document()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    insta::assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn the_openapi_document_is_served() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let doc: Value = app
        .client()
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    assert!(doc["paths"]["/api/v1/auth/login"]["post"].is_object());
}
