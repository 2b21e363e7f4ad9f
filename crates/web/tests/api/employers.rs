//! Employers: registration (立即注册), profile and files, join requests (入驻) and their review
//! by organizer staff, interviewers (面试官), positions (招聘职位).

use fairhall_domain::account::Role;
use fairhall_domain::credit_code::check_character;
use fairhall_domain::review::JoinStatus;
use fairhall_store::fairs::Fair;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Client, PASSWORD, TestApp, error_code};

/// A real 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
    0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
    0x00, 0x03, 0x01, 0x01, 0x00, 0xc9, 0xfe, 0x92, 0xef, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A minimal PDF.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

/// A valid unified social credit code, different for each `n`.
fn code(n: u32) -> String {
    let body = format!("91120000MA{n:07}");
    format!("{body}{}", check_character(&body).unwrap())
}

fn registration(name: &str, credit_code: &str, email: &str) -> Value {
    json!({
        "name": name,
        "credit_code": credit_code,
        "contact_name": "王老师",
        "contact_phone": "13812345678",
        "email": email,
        "password": PASSWORD,
        "industry": "互联网/IT",
        "size": "100-499",
        "city": "天津",
        "address": "天津市南开区卫津路 92 号",
        "description": "一家软件公司。",
    })
}

/// Registers an employer through the API; returns its signed-in admin and the employer id.
async fn register(app: &TestApp, n: u32, email: &str, fair: Option<&str>) -> (Client, Value) {
    let mut c = app.client();
    let mut body = registration(&format!("测试科技有限公司{n}"), &code(n), email);
    if let Some(f) = fair {
        body["fair"] = json!(f);
    }
    let r = c.post("/api/v1/employers", body).await;
    assert_eq!(r.status(), 201, "registration of {email} failed");
    let v: Value = r.json().await.unwrap();
    c.csrf = Some(v["csrf_token"].as_str().unwrap().to_string());
    (c, v)
}

/// A signed-in staff member of a new organizer, and the organizer's id.
async fn staff(app: &TestApp, email: &str) -> (Client, i64) {
    let c = app.signed_in(Role::OrganizerStaff, email).await;
    let me: Value = c.get("/api/v1/me").await.json().await.unwrap();
    let org = me["user"]["organizer_id"].as_i64().unwrap();
    (c, org)
}

async fn fair(app: &TestApp, organizer_id: i64, code: &str) -> i64 {
    let now = fairhall_app::now_ms();
    let day = 86_400_000;
    app.store
        .insert_fair(&Fair {
            id: 0,
            organizer_id,
            title: "2026 届秋季视频双选会".into(),
            details: "欢迎用人单位报名".into(),
            signup_opens_at: now - day,
            signup_closes_at: now + 5 * day,
            starts_at: now + 7 * day,
            ends_at: now + 7 * day + 8 * 3_600_000,
            min_completeness: 70,
            employer_limit: None,
            entry_code: code.into(),
            created_at: now,
        })
        .await
        .unwrap()
}

async fn put(c: &Client, path: &str, body: Value) -> reqwest::Response {
    let mut req = c.http.put(c.url(path)).json(&body);
    if let Some(t) = &c.csrf {
        req = req.header("x-csrf-token", t);
    }
    req.send().await.unwrap()
}

async fn delete(c: &Client, path: &str) -> reqwest::Response {
    let mut req = c.http.delete(c.url(path));
    if let Some(t) = &c.csrf {
        req = req.header("x-csrf-token", t);
    }
    req.send().await.unwrap()
}

async fn upload(c: &Client, path: &str, form: Form) -> reqwest::Response {
    let mut req = c.http.post(c.url(path)).multipart(form);
    if let Some(t) = &c.csrf {
        req = req.header("x-csrf-token", t);
    }
    req.send().await.unwrap()
}

fn file(bytes: &[u8], name: &str) -> Part {
    Part::bytes(bytes.to_vec()).file_name(name.to_string())
}

async fn error_of(resp: reqwest::Response) -> (u16, String, String) {
    let status = resp.status().as_u16();
    let v: Value = resp.json().await.unwrap_or(Value::Null);
    (
        status,
        v["code"].as_str().unwrap_or_default().to_string(),
        v["field"].as_str().unwrap_or_default().to_string(),
    )
}

/// The pending join request of `employer_id` in the staff member's queue.
async fn pending_request(c: &Client, employer_id: i64) -> Value {
    let queue: Value = c
        .get("/api/v1/staff/join-requests")
        .await
        .json()
        .await
        .unwrap();
    queue
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["employer"]["id"] == employer_id)
        .cloned()
        .expect("the request is in the queue")
}

/// The CSRF token in a page's multipart form action.
fn action_csrf(html: &str) -> String {
    let at = html
        .find("?_csrf=")
        .expect("a multipart form with its token");
    html[at + 7..].split(['"', '&']).next().unwrap().to_string()
}

fn registration_form(name: &str, credit_code: &str, email: &str) -> Form {
    Form::new()
        .text("name", name.to_string())
        .text("credit_code", credit_code.to_string())
        .text("contact_name", "李老师")
        .text("contact_phone", "139 0000 1111")
        .text("email", email.to_string())
        .text("password", PASSWORD)
        .text("industry", "机械/制造")
        .text("size", "lt50")
        .text("city", "天津")
        .text("address", "")
        .text("description", "")
}

both_backends! {
    async fn an_employer_registers_through_the_api_and_is_signed_in(app) {
        let (c, v) = register(&app, 1, "hr1@example.cn", None).await;
        assert_eq!(v["user"]["role"], "employer_admin");
        assert_eq!(v["join_request_id"], Value::Null);
        let employer_id = v["employer_id"].as_i64().unwrap();

        let p: Value = c.get("/api/v1/employer/profile").await.json().await.unwrap();
        assert_eq!(p["id"], employer_id);
        assert_eq!(p["name"], "测试科技有限公司1");
        assert_eq!(p["credit_code"], code(1));
        assert_eq!(p["contact_phone"], "13812345678");
        assert_eq!(p["contact_email"], "hr1@example.cn", "the login e-mail is the contact e-mail");
        assert_eq!(p["size"], "100-499");
        assert_eq!(p["credit_code_editable"], true);
        assert_eq!(p["licence_url"], Value::Null);

        // The same account signs in with its password.
        let mut again = app.client();
        let me = again.sign_in("hr1@example.cn", PASSWORD).await;
        assert_eq!(me["user"]["employer_id"], employer_id);

        // Lower case and full-width input are the same code.
        let mut body = registration("另一家公司", &code(1).to_lowercase(), "hr1b@example.cn");
        body["contact_phone"] = json!("+86 138 1234 5678");
        let (status, code_, field) = error_of(app.client().post("/api/v1/employers", body).await).await;
        assert_eq!((status, code_.as_str(), field.as_str()), (409, "credit_code_taken", "credit_code"));
    }

    async fn registering_from_a_fair_asks_its_organizer_to_join(app) {
        let (s, org) = staff(&app, "staff@uni.cn").await;
        fair(&app, org, "TJU2026").await;
        let (c, v) = register(&app, 2, "hr2@example.cn", Some("TJU2026")).await;
        let employer_id = v["employer_id"].as_i64().unwrap();
        assert!(v["join_request_id"].as_i64().is_some());

        let item = pending_request(&s, employer_id).await;
        assert_eq!(item["request"]["status"], "pending");
        assert_eq!(item["request"]["status_label"], "待审核");
        assert_eq!(item["overdue"], false);
        assert_eq!(item["employer"]["credit_code"], code(2));
        let submitted = item["request"]["submitted_at"].as_i64().unwrap();
        assert_eq!(item["request"]["deadline"].as_i64().unwrap(), submitted + 24 * 3_600_000);

        assert_eq!(
            app.store.join_status(employer_id, org).await.unwrap(),
            Some(JoinStatus::Pending)
        );
        let joins: Value = c.get("/api/v1/employer/join-requests").await.json().await.unwrap();
        let mine = joins.as_array().unwrap().iter().find(|o| o["organizer_id"] == org).unwrap();
        assert_eq!(mine["request"]["status"], "pending");

        // Staff learn of it in the app.
        let n: Value = s.get("/api/v1/notifications").await.json().await.unwrap();
        assert!(n["items"].as_array().unwrap().iter().any(|i| i["kind"] == "join_submitted"));

        // An unknown fair code refuses the registration and creates nothing.
        let mut body = registration("某公司", &code(3), "hr3@example.cn");
        body["fair"] = json!("NOPE");
        let (status, c3, field) = error_of(app.client().post("/api/v1/employers", body).await).await;
        assert_eq!((status, c3.as_str(), field.as_str()), (422, "unknown_fair", "fair"));
        assert!(app.store.employer_by_credit_code(&code(3)).await.unwrap().is_none());
    }

    async fn a_wrong_credit_code_is_refused_with_a_clear_message(app) {
        let r = app.client().post(
            "/api/v1/employers",
            registration("某公司", "91350100M000100Y44", "x@example.cn"),
        ).await;
        assert_eq!(r.status(), 422);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["code"], "credit_code_check");
        assert_eq!(v["field"], "credit_code");
        assert_eq!(v["message"], "校验位错误：最后一位应为“3”，请核对后重新输入");

        let (status, c, field) = error_of(app.client().post(
            "/api/v1/employers",
            registration("某公司", "9135010M000100Y43", "x@example.cn"),
        ).await).await;
        assert_eq!((status, c.as_str(), field.as_str()), (422, "credit_code_length", "credit_code"));

        // Other fields are checked too.
        let mut body = registration("某公司", &code(4), "x@example.cn");
        body["contact_phone"] = json!("12345");
        let (status, c, field) = error_of(app.client().post("/api/v1/employers", body).await).await;
        assert_eq!((status, c.as_str(), field.as_str()), (422, "invalid_phone", "contact_phone"));
        assert!(app.store.credentials_by_email("x@example.cn").await.unwrap().is_none());
    }

    async fn a_taken_credit_code_or_email_is_a_conflict_beside_its_field(app) {
        register(&app, 5, "hr5@example.cn", None).await;
        let (status, c, field) = error_of(app.client().post(
            "/api/v1/employers", registration("别的公司", &code(5), "other@example.cn"),
        ).await).await;
        assert_eq!((status, c.as_str(), field.as_str()), (409, "credit_code_taken", "credit_code"));
        let (status, c, field) = error_of(app.client().post(
            "/api/v1/employers", registration("别的公司", &code(6), "HR5@example.cn"),
        ).await).await;
        assert_eq!((status, c.as_str(), field.as_str()), (409, "email_taken", "email"));
        assert!(app.store.employer_by_credit_code(&code(6)).await.unwrap().is_none(),
            "no employer is left behind without an account");

        // On the page the message stands beside the field and what was typed stays.
        let c = app.client();
        let html = c.get("/employers/register").await.text().await.unwrap();
        let token = action_csrf(&html);
        let r = c.http.post(c.url(&format!("/employers/register?_csrf={token}")))
            .multipart(registration_form("别的公司", &code(5), "new@example.cn"))
            .send().await.unwrap();
        assert_eq!(r.status(), 409);
        let page = r.text().await.unwrap();
        assert!(page.contains("该统一社会信用代码已注册"));
        assert!(page.contains("value=\"别的公司\"") && page.contains("value=\"new@example.cn\""));
    }

    async fn the_registration_page_stores_logo_and_licence_and_staff_can_open_the_licence(app) {
        let (s, org) = staff(&app, "staff@uni.cn").await;
        let (other_staff, _) = staff(&app, "staff@other.cn").await;
        fair(&app, org, "FAIR7").await;

        let c = app.client();
        let html = c.get("/employers/register?fair=FAIR7").await.text().await.unwrap();
        assert!(html.contains("2026 届秋季视频双选会"), "the page names the fair");
        assert!(html.contains("立即注册"));
        let token = action_csrf(&html);

        // Without the token the form is refused.
        let r = c.http.post(c.url("/employers/register"))
            .multipart(registration_form("天津页面科技有限公司", &code(7), "page@example.cn"))
            .send().await.unwrap();
        assert_eq!(r.status(), 403);

        let form = registration_form("天津页面科技有限公司", &code(7), "page@example.cn")
            .text("fair", "FAIR7")
            .part("logo", file(PNG, "logo.png"))
            .part("licence", file(PDF, "执照.pdf"));
        let r = c.http.post(c.url(&format!("/employers/register?_csrf={token}")))
            .multipart(form).send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/f/FAIR7");

        let me: Value = c.get("/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["user"]["role"], "employer_admin", "the new admin is signed in");
        let p: Value = c.get("/api/v1/employer/profile").await.json().await.unwrap();
        assert_eq!(p["contact_phone"], "13900001111");
        let logo = p["logo_url"].as_str().unwrap().to_string();
        let licence = p["licence_url"].as_str().unwrap().to_string();

        let r = app.client().get(&logo).await;
        assert_eq!(r.status(), 200, "logos are public");
        assert_eq!(r.headers()["content-type"], "image/png");
        assert_eq!(c.get(&licence).await.status(), 200, "the employer reads its licence");
        let r = s.get(&licence).await;
        assert_eq!(r.status(), 200, "staff of the organizer it asked to join read the licence");
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert_eq!(other_staff.get(&licence).await.status(), 404);
        assert_eq!(app.client().get(&licence).await.status(), 404);

        let employer_id = p["id"].as_i64().unwrap();
        let item = pending_request(&s, employer_id).await;
        assert_eq!(item["employer"]["licence_url"], licence.as_str());
        let detail = s.get(&format!("/staff/join-requests/{}", item["request"]["id"])).await;
        assert_eq!(detail.status(), 200);
        assert!(detail.text().await.unwrap().contains(&licence));
    }

    async fn bad_uploads_are_refused_by_content_and_size(app) {
        // A text file named .png refuses the whole registration.
        let c = app.client();
        let token = action_csrf(&c.get("/employers/register").await.text().await.unwrap());
        let form = registration_form("假图片有限公司", &code(8), "fake@example.cn")
            .part("logo", file(b"just some text, not an image", "logo.png"));
        let r = c.http.post(c.url(&format!("/employers/register?_csrf={token}")))
            .multipart(form).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("请上传 JPG、PNG 或 WebP 图片"));
        assert!(page.contains("value=\"假图片有限公司\""), "what was typed is kept");
        assert!(app.store.credentials_by_email("fake@example.cn").await.unwrap().is_none());

        // Through the API.
        let (e, _) = register(&app, 9, "hr9@example.cn", None).await;
        let path = "/api/v1/employer/profile/files";
        let (status, code_, field) = error_of(upload(&e, path, Form::new()
            .part("logo", file(b"hello", "logo.png"))).await).await;
        assert_eq!((status, code_.as_str(), field.as_str()), (422, "file_type", "logo"));
        let (status, code_, field) = error_of(upload(&e, path, Form::new()
            .part("licence", file(b"<html></html>", "licence.pdf"))).await).await;
        assert_eq!((status, code_.as_str(), field.as_str()), (422, "file_type", "licence"));
        let mut big = PNG.to_vec();
        big.resize(6 << 20, 0);
        let (status, code_, field) = error_of(upload(&e, path, Form::new()
            .part("licence", file(&big, "licence.png"))).await).await;
        assert_eq!((status, code_.as_str(), field.as_str()), (422, "file_too_large", "licence"));
        big.truncate(3 << 20);
        let (status, code_, _) = error_of(upload(&e, path, Form::new()
            .part("logo", file(&big, "logo.png"))).await).await;
        assert_eq!((status, code_.as_str()), (422, "file_too_large"));
        let (status, code_, _) = error_of(upload(&e, path, Form::new().text("x", "y")).await).await;
        assert_eq!((status, code_.as_str()), (422, "file_required"));
        let p: Value = e.get("/api/v1/employer/profile").await.json().await.unwrap();
        assert_eq!(p["logo_url"], Value::Null, "nothing refused was stored");

        let r = upload(&e, path, Form::new()
            .part("logo", file(PNG, "a.png"))
            .part("licence", file(PNG, "b.png"))).await;
        assert_eq!(r.status(), 200);
        let p: Value = r.json().await.unwrap();
        assert!(p["logo_url"].as_str().unwrap().starts_with("/files/"));
        assert!(p["licence_url"].as_str().unwrap().ends_with(".png"));
    }

    async fn staff_approve_and_reject_and_the_employer_is_told(app) {
        let (s, org) = staff(&app, "staff@uni.cn").await;
        fair(&app, org, "F10").await;
        let (a, va) = register(&app, 10, "a@example.cn", Some("F10")).await;
        let (b, vb) = register(&app, 11, "b@example.cn", Some("F10")).await;
        let ra = pending_request(&s, va["employer_id"].as_i64().unwrap()).await["request"]["id"].as_i64().unwrap();
        let rb = pending_request(&s, vb["employer_id"].as_i64().unwrap()).await["request"]["id"].as_i64().unwrap();

        // A reason is required, and must say something.
        let path = format!("/api/v1/staff/join-requests/{rb}/reject");
        let (status, c, field) = error_of(s.post(&path, json!({"reason": "  "})).await).await;
        assert_eq!((status, c.as_str(), field.as_str()), (422, "reason_required", "reason"));
        let (status, c, _) = error_of(s.post(&path, json!({})).await).await;
        assert_eq!((status, c.as_str()), (422, "reason_required"));
        let (status, c, _) = error_of(s.post(&path, json!({"reason": "否"})).await).await;
        assert_eq!((status, c.as_str()), (422, "reason_too_short"));

        let r = s.post(&path, json!({"reason": "营业执照照片不清晰，请重新上传"})).await;
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["status"], "rejected");
        assert_eq!(v["reason"], "营业执照照片不清晰，请重新上传");

        let r = s.post(&format!("/api/v1/staff/join-requests/{ra}/approve"), json!({})).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.json::<Value>().await.unwrap()["status"], "approved");
        // Twice is refused with the status that won.
        let r = s.post(&format!("/api/v1/staff/join-requests/{ra}/approve"), json!({})).await;
        assert_eq!(error_code(r).await, (422, "invalid_transition".to_string()));
        let r = s.post(&path, json!({"reason": "再拒绝一次"})).await;
        assert_eq!(error_code(r).await, (422, "invalid_transition".to_string()));

        // Each employer sees its status and the reason.
        let joins: Value = b.get("/api/v1/employer/join-requests").await.json().await.unwrap();
        let mine = joins.as_array().unwrap().iter().find(|o| o["organizer_id"] == org).unwrap();
        assert_eq!(mine["request"]["status"], "rejected");
        assert_eq!(mine["request"]["status_label"], "已拒绝");
        assert_eq!(mine["request"]["reason"], "营业执照照片不清晰，请重新上传");
        let page = b.get("/employer/organizers").await.text().await.unwrap();
        assert!(page.contains("已拒绝") && page.contains("营业执照照片不清晰"));
        let joins: Value = a.get("/api/v1/employer/join-requests").await.json().await.unwrap();
        let mine = joins.as_array().unwrap().iter().find(|o| o["organizer_id"] == org).unwrap();
        assert_eq!(mine["request"]["status"], "approved");
        assert_eq!(
            app.store.join_status(va["employer_id"].as_i64().unwrap(), org).await.unwrap(),
            Some(JoinStatus::Approved)
        );

        // In the app and by e-mail.
        let n: Value = b.get("/api/v1/notifications").await.json().await.unwrap();
        let rejected = n["items"].as_array().unwrap().iter().find(|i| i["kind"] == "join_rejected").unwrap();
        assert_eq!(rejected["link"], "/employer/organizers");
        assert!(rejected["body"].as_str().unwrap().contains("营业执照照片不清晰"));
        let n: Value = a.get("/api/v1/notifications").await.json().await.unwrap();
        assert!(n["items"].as_array().unwrap().iter().any(|i| i["kind"] == "join_approved"));
        let outbox = app.store.outbox_recent(50).await.unwrap();
        assert!(outbox.iter().any(|m| m.channel.as_str() == "email" && m.recipient == "b@example.cn"
            && m.body.contains("营业执照照片不清晰")));
        assert!(outbox.iter().any(|m| m.channel.as_str() == "email" && m.recipient == "a@example.cn"
            && m.subject.contains("通过")));

        // The processed tabs.
        let done: Value = s.get("/api/v1/staff/join-requests?status=rejected").await.json().await.unwrap();
        assert_eq!(done.as_array().unwrap().len(), 1);
        let done: Value = s.get("/api/v1/staff/join-requests?status=approved").await.json().await.unwrap();
        assert_eq!(done.as_array().unwrap().len(), 1);
        let r = s.get("/api/v1/staff/join-requests?status=done").await;
        assert_eq!(error_code(r).await, (422, "unknown_status".to_string()));
        let pending: Value = s.get("/api/v1/staff/join-requests").await.json().await.unwrap();
        assert!(pending.as_array().unwrap().is_empty());
    }

    async fn a_rejected_employer_resubmits_and_returns_to_the_queue(app) {
        let (s, org) = staff(&app, "staff@uni.cn").await;
        fair(&app, org, "F12").await;
        let (e, v) = register(&app, 12, "e12@example.cn", Some("F12")).await;
        let (other, _) = register(&app, 13, "e13@example.cn", None).await;
        let employer_id = v["employer_id"].as_i64().unwrap();
        let id = v["join_request_id"].as_i64().unwrap();

        let path = format!("/api/v1/employer/join-requests/{id}/resubmit");
        let r = e.post(&path, json!({})).await;
        assert_eq!(error_code(r).await, (422, "invalid_transition".to_string()), "only a rejected request is resubmitted");

        s.post(&format!("/api/v1/staff/join-requests/{id}/reject"), json!({"reason": "单位名称与执照不符"})).await;
        let r = other.post(&path, json!({})).await;
        assert_eq!(r.status(), 404, "another employer's request does not exist for it");

        let r = e.post(&path, json!({})).await;
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["status"], "pending");
        assert_eq!(v["reason"], "单位名称与执照不符", "staff still see what they asked for");
        let item = pending_request(&s, employer_id).await;
        assert_eq!(item["request"]["id"], id);

        // On the pages: the staff page rejects without a reason beside the field.
        let r = s.http.post(s.url(&format!("/staff/join-requests/{id}/reject")))
            .form(&[("_csrf", s.csrf.clone().unwrap()), ("reason", String::new())])
            .send().await.unwrap();
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("请填写拒绝原因"));
        let r = s.http.post(s.url(&format!("/staff/join-requests/{id}/reject")))
            .form(&[("_csrf", s.csrf.clone().unwrap()), ("reason", "仍不符".to_string())])
            .send().await.unwrap();
        assert_eq!(r.status(), 303);
        // And the employer resubmits from its page.
        let r = e.http.post(e.url(&format!("/employer/join-requests/{id}/resubmit")))
            .form(&[("_csrf", e.csrf.clone().unwrap())])
            .send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/employer/organizers?done=resubmitted");
        let r = s.http.post(s.url(&format!("/staff/join-requests/{id}/approve")))
            .form(&[("_csrf", s.csrf.clone().unwrap())])
            .send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(app.store.join_status(employer_id, org).await.unwrap(), Some(JoinStatus::Approved));
    }

    async fn the_queue_puts_overdue_requests_first_and_marks_them(app) {
        let (s, org) = staff(&app, "staff@uni.cn").await;
        fair(&app, org, "F14").await;
        let (_, fresh) = register(&app, 14, "fresh@example.cn", Some("F14")).await;
        let (_, old) = register(&app, 15, "old@example.cn", Some("F14")).await;
        let long_ago = fairhall_app::now_ms() - 25 * 3_600_000;
        sqlx::query("UPDATE join_requests SET submitted_at = $1 WHERE id = $2")
            .bind(long_ago)
            .bind(old["join_request_id"].as_i64().unwrap())
            .execute(app.store.pool()).await.unwrap();

        let queue: Value = s.get("/api/v1/staff/join-requests?status=pending").await.json().await.unwrap();
        let queue = queue.as_array().unwrap();
        assert_eq!(queue.len(), 2);
        assert_eq!(queue[0]["employer"]["id"], old["employer_id"]);
        assert_eq!(queue[0]["overdue"], true);
        assert_eq!(queue[1]["employer"]["id"], fresh["employer_id"]);
        assert_eq!(queue[1]["overdue"], false);

        let page = s.get("/staff/join-requests").await.text().await.unwrap();
        assert!(page.contains("已超时"));
        let first = page.find("测试科技有限公司15").unwrap();
        let second = page.find("测试科技有限公司14").unwrap();
        assert!(first < second, "the overdue one is listed first");
    }

    async fn another_organizers_staff_cannot_see_or_review_a_request(app) {
        let (s, org) = staff(&app, "staff@uni.cn").await;
        let (other, _) = staff(&app, "staff@other.cn").await;
        fair(&app, org, "F16").await;
        let (_, v) = register(&app, 16, "e16@example.cn", Some("F16")).await;
        let id = v["join_request_id"].as_i64().unwrap();

        let r = other.post(&format!("/api/v1/staff/join-requests/{id}/approve"), json!({})).await;
        assert_eq!(r.status(), 404);
        let r = other.post(&format!("/api/v1/staff/join-requests/{id}/reject"), json!({"reason": "不符合要求"})).await;
        assert_eq!(r.status(), 404);
        let queue: Value = other.get("/api/v1/staff/join-requests").await.json().await.unwrap();
        assert!(queue.as_array().unwrap().is_empty());
        assert_eq!(other.get(&format!("/staff/join-requests/{id}")).await.status(), 404);
        let r = other.http.post(other.url(&format!("/staff/join-requests/{id}/approve")))
            .form(&[("_csrf", other.csrf.clone().unwrap())]).send().await.unwrap();
        assert_eq!(r.status(), 404);
        // Still pending for its own organizer.
        assert_eq!(pending_request(&s, v["employer_id"].as_i64().unwrap()).await["request"]["status"], "pending");
    }

    async fn an_employer_applies_to_join_another_organizer(app) {
        let (_, org) = staff(&app, "staff@uni.cn").await;
        let (s2, org2) = staff(&app, "staff@city.cn").await;
        fair(&app, org, "F17").await;
        let (e, v) = register(&app, 17, "e17@example.cn", Some("F17")).await;

        let joins: Value = e.get("/api/v1/employer/join-requests").await.json().await.unwrap();
        let list = joins.as_array().unwrap();
        assert_eq!(list.len(), 2, "every organizer is listed");
        assert!(list.iter().any(|o| o["organizer_id"] == org2 && o["request"].is_null()));

        let r = e.post("/api/v1/employer/join-requests", json!({"organizer_id": org2})).await;
        assert_eq!(r.status(), 201);
        assert_eq!(r.json::<Value>().await.unwrap()["status"], "pending");
        let r = e.post("/api/v1/employer/join-requests", json!({"organizer_id": org2})).await;
        assert_eq!(error_code(r).await, (409, "join_request_exists".to_string()));
        let r = e.post("/api/v1/employer/join-requests", json!({"organizer_id": 999_999})).await;
        assert_eq!(r.status(), 404);
        pending_request(&s2, v["employer_id"].as_i64().unwrap()).await;

        // The page's button does the same.
        let (p, _) = register(&app, 18, "e18@example.cn", None).await;
        let page = p.get("/employer/organizers").await.text().await.unwrap();
        assert!(page.contains("申请入驻") && page.contains("未申请"));
        let r = p.http.post(p.url(&format!("/employer/organizers/{org2}/apply")))
            .form(&[("_csrf", p.csrf.clone().unwrap())]).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let page = p.get("/employer/organizers?done=applied").await.text().await.unwrap();
        assert!(page.contains("待审核"));
        let r = p.http.post(p.url(&format!("/employer/organizers/{org2}/apply")))
            .form(&[("_csrf", p.csrf.clone().unwrap())]).send().await.unwrap();
        assert_eq!(r.status(), 409);
        assert!(r.text().await.unwrap().contains("已向该主办方提交过入驻申请"));
    }

    async fn the_credit_code_freezes_once_an_organizer_approves(app) {
        let (s, org) = staff(&app, "staff@uni.cn").await;
        fair(&app, org, "F19").await;
        let (e, v) = register(&app, 19, "e19@example.cn", Some("F19")).await;
        let mut profile = registration("改名科技有限公司", &code(20), "");
        profile["contact_email"] = json!("contact@example.cn");
        let r = put(&e, "/api/v1/employer/profile", profile.clone()).await;
        assert_eq!(r.status(), 200, "before approval the code may change");
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["credit_code"], code(20));
        assert_eq!(p["contact_email"], "contact@example.cn");

        s.post(&format!("/api/v1/staff/join-requests/{}/approve", v["join_request_id"]), json!({})).await;
        profile["credit_code"] = json!(code(21));
        let (status, c, field) = error_of(put(&e, "/api/v1/employer/profile", profile.clone()).await).await;
        assert_eq!((status, c.as_str(), field.as_str()), (422, "credit_code_locked", "credit_code"));
        profile["credit_code"] = json!(code(20));
        profile["name"] = json!("又改名科技有限公司");
        let r = put(&e, "/api/v1/employer/profile", profile.clone()).await;
        assert_eq!(r.status(), 200);
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["credit_code_editable"], false);
        assert_eq!(p["name"], "又改名科技有限公司");

        // Another employer's code is taken.
        let (other, _) = register(&app, 22, "e22@example.cn", None).await;
        let mut theirs = profile.clone();
        theirs["credit_code"] = json!(code(20));
        let (status, c, field) = error_of(put(&other, "/api/v1/employer/profile", theirs).await).await;
        assert_eq!((status, c.as_str(), field.as_str()), (409, "credit_code_taken", "credit_code"));
        // A missing contact e-mail is reported beside it.
        profile["contact_email"] = json!("");
        let (status, c, field) = error_of(put(&e, "/api/v1/employer/profile", profile).await).await;
        assert_eq!((status, c.as_str(), field.as_str()), (422, "invalid_email", "contact_email"));

        // The page form shows the code read-only with the reason.
        let page = e.get("/employer/profile").await.text().await.unwrap();
        assert!(page.contains("readonly") && page.contains("统一社会信用代码不能再修改"));
    }

    async fn the_profile_page_saves_and_keeps_what_was_typed_on_error(app) {
        let (e, _) = register(&app, 23, "e23@example.cn", None).await;
        let token = e.csrf.clone().unwrap();
        let form = |name: &str, credit_code: &str| Form::new()
            .text("name", name.to_string())
            .text("credit_code", credit_code.to_string())
            .text("contact_name", "赵老师")
            .text("contact_phone", "13700000000")
            .text("contact_email", "zhao@example.cn")
            .text("industry", "教育/培训")
            .text("size", "50-99")
            .text("city", "北京")
            .text("address", "")
            .text("description", "");
        let r = e.http.post(e.url(&format!("/employer/profile?_csrf={token}")))
            .multipart(form("页面改名有限公司", &code(23)).part("licence", file(PDF, "licence.pdf")))
            .send().await.unwrap();
        assert_eq!(r.status(), 303);
        let p: Value = e.get("/api/v1/employer/profile").await.json().await.unwrap();
        assert_eq!(p["name"], "页面改名有限公司");
        assert_eq!(p["city"], "北京");
        assert!(p["licence_url"].is_string());

        let r = e.http.post(e.url(&format!("/employer/profile?_csrf={token}")))
            .multipart(form("", "91350100M000100Y44")).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("请填写单位名称"));
        assert!(page.contains("校验位错误：最后一位应为“3”"));
        assert!(page.contains("value=\"91350100M000100Y44\""), "the wrong code stays for correcting");
        assert!(page.contains("value=\"zhao@example.cn\""));
    }

    async fn the_employer_admin_creates_interviewers(app) {
        let (e, v) = register(&app, 24, "e24@example.cn", None).await;
        let (other, _) = register(&app, 25, "e25@example.cn", None).await;
        let r = e.post("/api/v1/employer/interviewers", json!({
            "name": "张面试官", "phone": "138-0000-2222", "email": "Zhang@Example.cn", "password": PASSWORD,
        })).await;
        assert_eq!(r.status(), 201);
        let i: Value = r.json().await.unwrap();
        assert_eq!(i["name"], "张面试官");
        assert_eq!(i["email"], "zhang@example.cn");
        assert_eq!(i["phone"], "13800002222");

        let list: Value = e.get("/api/v1/employer/interviewers").await.json().await.unwrap();
        assert_eq!(list.as_array().unwrap().len(), 1);
        let theirs: Value = other.get("/api/v1/employer/interviewers").await.json().await.unwrap();
        assert!(theirs.as_array().unwrap().is_empty(), "another employer does not see them");
        assert_eq!(app.store.interviewers_of(v["employer_id"].as_i64().unwrap()).await.unwrap().len(), 1);

        // The interviewer signs in and belongs to the employer.
        let mut c = app.client();
        let me = c.sign_in("zhang@example.cn", PASSWORD).await;
        assert_eq!(me["user"]["role"], "interviewer");
        assert_eq!(me["user"]["employer_id"], v["employer_id"]);
        // An interviewer reads the profile but does not manage the employer.
        assert_eq!(c.get("/api/v1/employer/profile").await.status(), 200);
        let r = c.post("/api/v1/employer/interviewers", json!({"name": "x", "email": "x@example.cn", "password": PASSWORD})).await;
        assert_eq!(r.status(), 403);

        for (body, status, field) in [
            (json!({"name": "", "email": "a@example.cn", "password": PASSWORD}), 422, "name"),
            (json!({"name": "李", "phone": "123", "email": "a@example.cn", "password": PASSWORD}), 422, "phone"),
            (json!({"name": "李", "email": "not-mail", "password": PASSWORD}), 422, "email"),
            (json!({"name": "李", "email": "a@example.cn", "password": "short"}), 422, "password"),
            (json!({"name": "李", "email": "e25@example.cn", "password": PASSWORD}), 409, "email"),
        ] {
            let (s, _, f) = error_of(e.post("/api/v1/employer/interviewers", body.clone()).await).await;
            assert_eq!((s, f.as_str()), (status, field), "{body}");
        }

        // The page form.
        let r = e.http.post(e.url("/employer/interviewers"))
            .form(&[("_csrf", e.csrf.clone().unwrap().as_str()), ("name", "王面试官"), ("phone", ""),
                    ("email", "wang@example.cn"), ("password", "short")])
            .send().await.unwrap();
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("密码至少 8 位") && page.contains("value=\"王面试官\""));
        let r = e.http.post(e.url("/employer/interviewers"))
            .form(&[("_csrf", e.csrf.clone().unwrap().as_str()), ("name", "王面试官"), ("phone", ""),
                    ("email", "wang@example.cn"), ("password", PASSWORD)])
            .send().await.unwrap();
        assert_eq!(r.status(), 303);
        let page = e.get("/employer/interviewers").await.text().await.unwrap();
        assert!(page.contains("王面试官") && page.contains("张面试官"));
    }

    async fn positions_are_created_edited_and_deleted(app) {
        let (e, v) = register(&app, 26, "e26@example.cn", None).await;
        let (other, _) = register(&app, 27, "e27@example.cn", None).await;
        let r = e.post("/api/v1/employer/positions", json!({
            "title": "后端开发工程师", "headcount": 3, "education": "bachelor",
            "majors": "计算机科学与技术、软件工程", "city": "天津",
            "salary_min": 8000, "salary_max": "12000", "description": "负责服务端开发",
        })).await;
        assert_eq!(r.status(), 201);
        let p: Value = r.json().await.unwrap();
        let id = p["id"].as_i64().unwrap();
        assert_eq!(p["headcount"], 3);
        assert_eq!(p["education_label"], "本科");
        assert_eq!(p["majors"], json!(["计算机科学与技术", "软件工程"]));
        assert_eq!(p["salary_label"], "8000–12000 元/月");

        // Validation, field by field.
        for (patch, code_, field) in [
            (json!({"headcount": 0}), "headcount_too_small", "headcount"),
            (json!({"headcount": "若干"}), "invalid_number", "headcount"),
            (json!({"salary_min": 15000}), "salary_range", "salary_max"),
            (json!({"salary_max": null}), "salary_incomplete", "salary_max"),
            (json!({"education": "高中"}), "invalid_education", "education"),
            (json!({"title": ""}), "required", "title"),
        ] {
            let mut body = json!({"title": "会计", "headcount": 1, "education": "any", "city": "天津",
                "salary_min": 5000, "salary_max": 8000});
            for (k, val) in patch.as_object().unwrap() {
                body[k] = val.clone();
            }
            let (s, c, f) = error_of(e.post("/api/v1/employer/positions", body).await).await;
            assert_eq!((s, c.as_str(), f.as_str()), (422, code_, field), "{patch}");
        }

        let path = format!("/api/v1/employer/positions/{id}");
        let r = put(&e, &path, json!({"title": "高级后端开发工程师", "headcount": "5", "education": "master",
            "majors": "", "city": "北京"})).await;
        assert_eq!(r.status(), 200);
        let p: Value = r.json().await.unwrap();
        assert_eq!(p["title"], "高级后端开发工程师");
        assert_eq!(p["salary_label"], "面议");
        assert_eq!(p["majors"], json!([]));
        let (s, c, _) = error_of(put(&e, &path, json!({"title": "x", "headcount": -1, "education": "any", "city": "天津"})).await).await;
        assert_eq!((s, c.as_str()), (422, "headcount_too_small"));

        // Another employer: as if it did not exist.
        assert_eq!(other.get(&path).await.status(), 404);
        assert_eq!(put(&other, &path, json!({"title": "x", "headcount": 1, "education": "any", "city": "天津"})).await.status(), 404);
        assert_eq!(delete(&other, &path).await.status(), 404);
        let theirs: Value = other.get("/api/v1/employer/positions").await.json().await.unwrap();
        assert!(theirs.as_array().unwrap().is_empty());

        let list: Value = e.get("/api/v1/employer/positions").await.json().await.unwrap();
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(delete(&e, &path).await.status(), 204);
        assert_eq!(e.get(&path).await.status(), 404);
        assert_eq!(delete(&e, &path).await.status(), 404);
        let list: Value = e.get("/api/v1/employer/positions").await.json().await.unwrap();
        assert!(list.as_array().unwrap().is_empty());
        // Kept for registrations that chose it.
        let kept = app.store.position(id).await.unwrap().unwrap();
        assert!(kept.deleted_at.is_some());
        assert_eq!(kept.employer_id, v["employer_id"].as_i64().unwrap());
        assert!(app.store.positions_of(kept.employer_id).await.unwrap().is_empty());
    }

    async fn position_pages_keep_what_was_typed_and_confirm_deletion(app) {
        let (e, _) = register(&app, 28, "e28@example.cn", None).await;
        let csrf = e.csrf.clone().unwrap();
        let html = e.get("/employer/positions/new").await.text().await.unwrap();
        assert!(html.contains("不限") && html.contains("博士") && html.contains("元/月"));
        let r = e.http.post(e.url("/employer/positions"))
            .form(&[("_csrf", csrf.as_str()), ("title", "测试工程师"), ("headcount", "0"), ("education", "bachelor"),
                    ("majors", "软件工程"), ("city", ""), ("salary_min", "9000"), ("salary_max", "6000"), ("description", "")])
            .send().await.unwrap();
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("招聘人数至少为 1"));
        assert!(page.contains("请填写工作城市"));
        assert!(page.contains("最高月薪不能低于最低月薪"));
        assert!(page.contains("value=\"测试工程师\"") && page.contains("value=\"软件工程\""));

        let r = e.http.post(e.url("/employer/positions"))
            .form(&[("_csrf", csrf.as_str()), ("title", "测试工程师"), ("headcount", "2"), ("education", "bachelor"),
                    ("majors", "软件工程"), ("city", "天津"), ("salary_min", ""), ("salary_max", ""), ("description", "")])
            .send().await.unwrap();
        assert_eq!(r.status(), 303);
        let list: Value = e.get("/api/v1/employer/positions").await.json().await.unwrap();
        let id = list[0]["id"].as_i64().unwrap();
        let page = e.get("/employer/positions").await.text().await.unwrap();
        assert!(page.contains("测试工程师") && page.contains("面议"));

        let confirm = e.get(&format!("/employer/positions/{id}/delete")).await;
        assert_eq!(confirm.status(), 200);
        assert!(confirm.text().await.unwrap().contains("确定要删除这个职位吗"));
        let r = e.http.post(e.url(&format!("/employer/positions/{id}/delete")))
            .form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(e.get(&format!("/employer/positions/{id}/edit")).await.status(), 404);
    }

    async fn wrong_roles_are_refused_everywhere(app) {
        let (_, org) = staff(&app, "staff@uni.cn").await;
        let staff_c = app.signed_in(Role::OrganizerStaff, "staff2@uni.cn").await;
        let interviewer = app.signed_in(Role::Interviewer, "i@example.cn").await;
        let student = app.student("13800000099").await;
        let admin = app.signed_in(Role::PlatformAdmin, "root@example.cn").await;
        let (employer, _) = register(&app, 29, "e29@example.cn", None).await;

        let position = json!({"title": "会计", "headcount": 1, "education": "any", "city": "天津"});
        let employer_only: Vec<(&str, &str, Value)> = vec![
            ("PUT", "/api/v1/employer/profile", registration("某公司", &code(30), "x@example.cn")),
            ("POST", "/api/v1/employer/join-requests", json!({"organizer_id": org})),
            ("GET", "/api/v1/employer/join-requests", Value::Null),
            ("POST", "/api/v1/employer/join-requests/1/resubmit", json!({})),
            ("GET", "/api/v1/employer/interviewers", Value::Null),
            ("POST", "/api/v1/employer/interviewers", json!({"name": "x", "email": "y@example.cn", "password": PASSWORD})),
            ("GET", "/api/v1/employer/positions", Value::Null),
            ("POST", "/api/v1/employer/positions", position.clone()),
            ("GET", "/api/v1/employer/positions/1", Value::Null),
            ("PUT", "/api/v1/employer/positions/1", position.clone()),
            ("DELETE", "/api/v1/employer/positions/1", Value::Null),
        ];
        let staff_only: Vec<(&str, &str, Value)> = vec![
            ("GET", "/api/v1/staff/join-requests", Value::Null),
            ("POST", "/api/v1/staff/join-requests/1/approve", json!({})),
            ("POST", "/api/v1/staff/join-requests/1/reject", json!({"reason": "不符合要求"})),
        ];
        async fn call(c: &Client, method: &str, path: &str, body: &Value) -> u16 {
            match method {
                "GET" => c.get(path).await.status().as_u16(),
                "POST" => c.post(path, body.clone()).await.status().as_u16(),
                "PUT" => put(c, path, body.clone()).await.status().as_u16(),
                _ => delete(c, path).await.status().as_u16(),
            }
        }
        for (method, path, body) in &employer_only {
            for (who, c) in [("staff", &staff_c), ("interviewer", &interviewer), ("student", &student), ("admin", &admin)] {
                assert_eq!(call(c, method, path, body).await, 403, "{who} {method} {path}");
            }
            assert_eq!(call(&app.client(), method, path, body).await, 401, "anonymous {method} {path}");
        }
        for (method, path, body) in &staff_only {
            for (who, c) in [("employer", &employer), ("interviewer", &interviewer), ("student", &student), ("admin", &admin)] {
                assert_eq!(call(c, method, path, body).await, 403, "{who} {method} {path}");
            }
            assert_eq!(call(&app.client(), method, path, body).await, 401, "anonymous {method} {path}");
        }
        // The profile is read by the employer's own people only.
        for c in [&staff_c, &student, &admin] {
            assert_eq!(c.get("/api/v1/employer/profile").await.status(), 403);
        }
        let r = upload(&student, "/api/v1/employer/profile/files", Form::new().part("logo", file(PNG, "a.png"))).await;
        assert_eq!(r.status(), 403);

        // Pages.
        for path in ["/employer/profile", "/employer/organizers", "/employer/interviewers",
                     "/employer/positions", "/employer/positions/new"] {
            assert_eq!(staff_c.get(path).await.status(), 403, "{path}");
            assert_eq!(interviewer.get(path).await.status(), 403, "{path}");
            let r = app.client().get(path).await;
            assert_eq!(r.status(), 303, "{path} sends visitors to sign in");
        }
        assert_eq!(employer.get("/staff/join-requests").await.status(), 403);
        assert_eq!(student.get("/staff/join-requests/1").await.status(), 403);
        // A signed-in employer admin opening the registration page goes on to its console.
        let r = employer.get("/employers/register").await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/employer/organizers");
    }
}
