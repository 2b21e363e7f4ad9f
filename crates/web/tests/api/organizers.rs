//! Organizers and their staff (platform admin), fairs with entry codes and QR codes
//! (organizer staff): API and pages, on both backends.

use fairhall_domain::account::Role;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Client, PASSWORD, TestApp, error_code};

const HOUR: i64 = 3_600_000;
/// 2020-11-26 08:00 Beijing time: fairs at T0 are long over.
const T0: i64 = 1_606_348_800_000;

/// A valid fair body: sign-up for a day, the fair two days later for eight hours.
fn fair_body(title: &str) -> Value {
    json!({
        "title": title,
        "details": "<p>面向 2026 届毕业生。</p><script>alert(1)</script>",
        "signup_opens_at": T0,
        "signup_closes_at": T0 + 24 * HOUR,
        "starts_at": T0 + 48 * HOUR,
        "ends_at": T0 + 56 * HOUR,
    })
}

fn form_csrf(html: &str) -> String {
    let at = html
        .find("name=\"_csrf\" value=\"")
        .expect("a CSRF field in the form");
    html[at + 20..].split('"').next().unwrap().to_string()
}

async fn put(c: &Client, path: &str, body: Value) -> reqwest::Response {
    let mut req = c.http.put(c.url(path)).json(&body);
    if let Some(t) = &c.csrf {
        req = req.header("x-csrf-token", t);
    }
    req.send().await.unwrap()
}

/// An organizer created through the admin API, and a signed-in staff client of it.
async fn organizer_with_staff(
    app: &TestApp,
    admin: &Client,
    name: &str,
    email: &str,
) -> (i64, Client) {
    let r = admin
        .post(
            "/api/v1/admin/organizers",
            json!({"name": name, "kind": "university", "contact_name": "王老师",
                   "contact_phone": "022-27401234"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = admin
        .post(
            &format!("/api/v1/admin/organizers/{id}/staff"),
            json!({"name": "工作人员", "email": email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let mut c = app.client();
    c.sign_in(email, PASSWORD).await;
    (id, c)
}

async fn create_fair(c: &Client, title: &str) -> Value {
    let r = c.post("/api/v1/staff/fairs", fair_body(title)).await;
    assert_eq!(r.status(), 201);
    r.json().await.unwrap()
}

/// Decodes a PNG to 8-bit greyscale: (width, height, pixels).
fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

both_backends! {
    async fn the_admin_creates_an_organizer_and_its_staff_who_then_sign_in(app) {
        let admin = app.signed_in(Role::PlatformAdmin, "admin@example.cn").await;
        let r = admin.post("/api/v1/admin/organizers", json!({
            "name": " 天津大学就业指导中心 ", "kind": "university", "contact_name": "王老师",
            "contact_phone": "022-27401234", "contact_email": "Job@TJU.edu.cn"
        })).await;
        assert_eq!(r.status(), 201);
        let o: Value = r.json().await.unwrap();
        assert_eq!(o["name"], "天津大学就业指导中心");
        assert_eq!(o["kind"], "university");
        assert_eq!(o["kind_label"], "高校");
        assert_eq!(o["contact_email"], "job@tju.edu.cn");
        let id = o["id"].as_i64().unwrap();

        let r = admin.post(&format!("/api/v1/admin/organizers/{id}/staff"),
            json!({"name": "就业中心 王老师", "email": "wang@tju.edu.cn", "password": PASSWORD})).await;
        assert_eq!(r.status(), 201);
        let s: Value = r.json().await.unwrap();
        assert_eq!(s["email"], "wang@tju.edu.cn");

        let d: Value = admin.get(&format!("/api/v1/admin/organizers/{id}")).await.json().await.unwrap();
        assert_eq!(d["organizer"]["contact_phone"], "022-27401234");
        assert_eq!(d["staff"].as_array().unwrap().len(), 1);
        assert_eq!(d["staff"][0]["name"], "就业中心 王老师");

        let list: Value = admin.get("/api/v1/admin/organizers").await.json().await.unwrap();
        let row = list.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap();
        assert_eq!(row["staff_count"], 1);
        assert_eq!(row["fair_count"], 0);
        assert_eq!(row["name"], "天津大学就业指导中心");

        let mut staff = app.client();
        let me = staff.sign_in("wang@tju.edu.cn", PASSWORD).await;
        assert_eq!(me["user"]["role"], "organizer_staff", "{me}");
        let me: Value = staff.get("/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["organizer_id"].as_i64().or(me["user"]["organizer_id"].as_i64()), Some(id), "{me}");

        // The e-mail is taken now.
        let r = admin.post(&format!("/api/v1/admin/organizers/{id}/staff"),
            json!({"name": "又一位", "email": "WANG@tju.edu.cn", "password": PASSWORD})).await;
        let (status, code) = error_code(r).await;
        assert_eq!((status, code.as_str()), (409, "email_taken"));
        // Unknown organizer.
        let r = admin.post("/api/v1/admin/organizers/999999/staff",
            json!({"name": "某人", "email": "x@tju.edu.cn", "password": PASSWORD})).await;
        assert_eq!(r.status(), 404);
        assert_eq!(admin.get("/api/v1/admin/organizers/999999").await.status(), 404);
    }

    async fn a_duplicate_organizer_name_is_a_conflict_on_the_name(app) {
        let admin = app.signed_in(Role::PlatformAdmin, "admin@example.cn").await;
        let body = json!({"name": "天津市就业服务平台", "kind": "city", "contact_name": "李",
                          "contact_phone": "13812345678"});
        assert_eq!(admin.post("/api/v1/admin/organizers", body.clone()).await.status(), 201);
        let r = admin.post("/api/v1/admin/organizers", body).await;
        assert_eq!(r.status(), 409);
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["code"], "organizer_name_taken");
        assert_eq!(e["field"], "name");
        assert!(e["message"].as_str().unwrap().contains("同名"));
    }

    async fn each_invalid_organizer_field_is_refused_by_name(app) {
        let admin = app.signed_in(Role::PlatformAdmin, "admin@example.cn").await;
        let good = json!({"name": "某高校", "kind": "university", "contact_name": "王",
                          "contact_phone": "13812345678", "contact_email": "a@b.cn"});
        for (field, value) in [
            ("name", json!("")),
            ("kind", json!("company")),
            ("contact_name", json!(" ")),
            ("contact_phone", json!("12")),
            ("contact_email", json!("not-an-email")),
        ] {
            let mut body = good.clone();
            body[field] = value;
            let r = admin.post("/api/v1/admin/organizers", body).await;
            assert_eq!(r.status(), 422, "{field}");
            let e: Value = r.json().await.unwrap();
            assert_eq!(e["field"], field, "{e}");
        }
        let r = admin.post("/api/v1/admin/organizers/1/staff", json!({"name": "x", "email": "x@y.cn", "password": "short"})).await;
        assert!(matches!(r.status().as_u16(), 404 | 422));
    }

    async fn only_the_platform_admin_manages_organizers(app) {
        let admin = app.signed_in(Role::PlatformAdmin, "admin@example.cn").await;
        let (org, _) = organizer_with_staff(&app, &admin, "某大学", "s0@example.cn").await;
        let body = json!({"name": "别的主办方", "kind": "city", "contact_name": "李",
                          "contact_phone": "13812345678"});
        for (role, email) in [
            (Role::OrganizerStaff, "s@example.cn"),
            (Role::EmployerAdmin, "e@example.cn"),
            (Role::Interviewer, "i@example.cn"),
        ] {
            let c = app.signed_in(role, email).await;
            assert_eq!(c.get("/api/v1/admin/organizers").await.status(), 403, "{email}");
            assert_eq!(c.post("/api/v1/admin/organizers", body.clone()).await.status(), 403, "{email}");
            assert_eq!(c.get(&format!("/api/v1/admin/organizers/{org}")).await.status(), 403);
            let r = c.post(&format!("/api/v1/admin/organizers/{org}/staff"),
                json!({"name": "x", "email": "new@example.cn", "password": PASSWORD})).await;
            assert_eq!(r.status(), 403);
            assert_eq!(c.get("/admin/organizers").await.status(), 403);
        }
        let student = app.student("13800000011").await;
        assert_eq!(student.get("/api/v1/admin/organizers").await.status(), 403);
        assert_eq!(student.post("/api/v1/admin/organizers", body.clone()).await.status(), 403);
        let visitor = app.client();
        assert_eq!(visitor.get("/api/v1/admin/organizers").await.status(), 401);
        assert_eq!(visitor.post("/api/v1/admin/organizers", body).await.status(), 401);
        assert!(app.store.organizer_by_name("别的主办方").await.unwrap().is_none());
    }

    async fn staff_create_list_read_and_edit_their_fairs(app) {
        let admin = app.signed_in(Role::PlatformAdmin, "admin@example.cn").await;
        let (org, staff) = organizer_with_staff(&app, &admin, "天津大学", "s@tju.edu.cn").await;
        let f = create_fair(&staff, "2026 届秋季视频双选会").await;
        let id = f["id"].as_i64().unwrap();
        assert_eq!(f["organizer_id"], org);
        assert_eq!(f["min_completeness"], 70, "the default threshold");
        assert_eq!(f["employer_limit"], Value::Null);
        assert_eq!(f["details"], "<p>面向 2026 届毕业生。</p>", "sanitised on save");
        let code = f["entry_code"].as_str().unwrap().to_string();
        assert_eq!(code.len(), 8);
        assert!(code.bytes().all(|b| b"abcdefghijkmnpqrstuvwxyz23456789".contains(&b)), "{code}");
        assert_eq!(f["entry_url"], format!("{}/f/{code}", app.base), "absolute, on the request's host");
        assert_eq!(f["qr_png_url"], format!("/staff/fairs/{id}/qr.png"));
        assert_eq!(f["status"], "ended");
        assert_eq!(f["status_label"], "已结束");

        // A second fair gets another code.
        let g = create_fair(&staff, "春季双选会").await;
        assert_ne!(g["entry_code"], f["entry_code"]);

        let list: Value = staff.get("/api/v1/staff/fairs").await.json().await.unwrap();
        assert_eq!(list.as_array().unwrap().len(), 2);

        let now = fairhall_app::now_ms();
        let mut body = fair_body("2026 届秋季视频双选会（延期）");
        body["signup_opens_at"] = json!(now - HOUR);
        body["signup_closes_at"] = json!(now + 24 * HOUR);
        body["starts_at"] = json!(now + 48 * HOUR);
        body["ends_at"] = json!(now + 56 * HOUR);
        body["min_completeness"] = json!(80);
        body["employer_limit"] = json!(50);
        let r = put(&staff, &format!("/api/v1/staff/fairs/{id}"), body).await;
        assert_eq!(r.status(), 200);
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["title"], "2026 届秋季视频双选会（延期）");
        assert_eq!(e["min_completeness"], 80);
        assert_eq!(e["employer_limit"], 50);
        assert_eq!(e["entry_code"], code.as_str(), "the entry code never changes");
        assert_eq!(e["status"], "signup_open");

        let read: Value = staff.get(&format!("/api/v1/staff/fairs/{id}")).await.json().await.unwrap();
        assert_eq!(read["title"], "2026 届秋季视频双选会（延期）");
        let stored = app.store.fair(id).await.unwrap();
        assert_eq!(stored.min_completeness, 80);
        assert_eq!(stored.entry_code, code);

        // The public entry page finds it by code.
        assert_eq!(app.client().get(&format!("/f/{code}")).await.status(), 200);

        // Open for sign-up: listed for the employer's 云校招 list, and found by search.
        let open = app.store.fairs_open_for_signup(&[org], now, None).await.unwrap();
        assert_eq!(open.iter().map(|f| f.id).collect::<Vec<_>>(), vec![id]);
        let found = app.store.fairs_open_for_signup(&[org, 424242], now, Some("延期")).await.unwrap();
        assert_eq!(found.len(), 1);
        let found = app.store.fairs_open_for_signup(&[org], now, Some("天津大学")).await.unwrap();
        assert_eq!(found.len(), 1, "the organizer's name matches too");
        let none = app.store.fairs_open_for_signup(&[org], now, Some("100%_")).await.unwrap();
        assert!(none.is_empty());
        assert!(app.store.fairs_open_for_signup(&[], now, None).await.unwrap().is_empty());
        assert!(app.store.fairs_open_for_signup(&[org], now + 25 * HOUR, None).await.unwrap().is_empty());
    }

    async fn each_invalid_fair_field_is_refused_with_its_name(app) {
        let staff = app.signed_in(Role::OrganizerStaff, "s@example.cn").await;
        let cases: Vec<(&str, &str, Value)> = vec![
            ("title", "title", json!("")),
            ("title", "title", json!("名".repeat(81))),
            ("signup_opens_at", "signup_opens_at", Value::Null),
            ("signup_closes_at", "signup_closes_at", json!(T0)),
            ("signup_closes_at", "signup_closes_at", json!(T0 + 57 * HOUR)),
            ("starts_at", "starts_at", Value::Null),
            ("ends_at", "ends_at", json!(T0 + 48 * HOUR)),
            ("ends_at", "ends_at", Value::Null),
            ("min_completeness", "min_completeness", json!(101)),
            ("min_completeness", "min_completeness", json!(-1)),
            ("employer_limit", "employer_limit", json!(0)),
        ];
        for (key, field, value) in cases {
            let mut body = fair_body("秋季双选会");
            body[key] = value.clone();
            let r = staff.post("/api/v1/staff/fairs", body).await;
            assert_eq!(r.status(), 422, "{key} = {value}");
            let e: Value = r.json().await.unwrap();
            assert_eq!(e["field"], field, "{key} = {value}: {e}");
            assert!(!e["message"].as_str().unwrap().is_empty());
        }
        let r = staff.post("/api/v1/staff/fairs", json!({"title": 5})).await;
        assert_eq!(r.status(), 422);
        let list: Value = staff.get("/api/v1/staff/fairs").await.json().await.unwrap();
        assert!(list.as_array().unwrap().is_empty(), "nothing was saved");

        // The same rules on edit, and the fair is unchanged after a refusal.
        let f = create_fair(&staff, "秋季双选会").await;
        let id = f["id"].as_i64().unwrap();
        let mut body = fair_body("改名");
        body["employer_limit"] = json!(0);
        let r = put(&staff, &format!("/api/v1/staff/fairs/{id}"), body).await;
        assert_eq!(r.status(), 422);
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["field"], "employer_limit");
        let read: Value = staff.get(&format!("/api/v1/staff/fairs/{id}")).await.json().await.unwrap();
        assert_eq!(read["title"], "秋季双选会");
    }

    async fn another_organizers_staff_get_not_found_and_other_roles_are_refused(app) {
        let admin = app.signed_in(Role::PlatformAdmin, "admin@example.cn").await;
        let (_, x) = organizer_with_staff(&app, &admin, "甲大学", "x@example.cn").await;
        let (_, y) = organizer_with_staff(&app, &admin, "乙大学", "y@example.cn").await;
        let f = create_fair(&x, "甲大学双选会").await;
        let id = f["id"].as_i64().unwrap();

        assert_eq!(y.get(&format!("/api/v1/staff/fairs/{id}")).await.status(), 404);
        let r = put(&y, &format!("/api/v1/staff/fairs/{id}"), fair_body("被改了")).await;
        assert_eq!(r.status(), 404);
        assert_eq!(y.get(&format!("/staff/fairs/{id}/qr.svg")).await.status(), 404);
        assert_eq!(y.get(&format!("/staff/fairs/{id}/qr.png")).await.status(), 404);
        assert_eq!(y.get(&format!("/staff/fairs/{id}")).await.status(), 404);
        assert_eq!(y.get(&format!("/staff/fairs/{id}/edit")).await.status(), 404);
        let html = y.get("/staff/fairs/new").await.text().await.unwrap();
        let token = form_csrf(&html);
        let r = y.http.post(y.url(&format!("/staff/fairs/{id}/edit")))
            .form(&[("_csrf", token.as_str()), ("title", "被改了")])
            .send().await.unwrap();
        assert_eq!(r.status(), 404);
        let list: Value = y.get("/api/v1/staff/fairs").await.json().await.unwrap();
        assert!(list.as_array().unwrap().is_empty(), "Y does not see X's fairs");
        assert_eq!(app.store.fair(id).await.unwrap().title, "甲大学双选会");
        assert_eq!(y.get("/api/v1/staff/fairs/999999").await.status(), 404);

        for role in [Role::PlatformAdmin, Role::EmployerAdmin, Role::Interviewer] {
            let c = if role == Role::PlatformAdmin { admin.clone() } else {
                app.signed_in(role, &format!("{}@example.cn", role.as_str())).await
            };
            assert_eq!(c.get("/api/v1/staff/fairs").await.status(), 403, "{role:?}");
            assert_eq!(c.get(&format!("/api/v1/staff/fairs/{id}")).await.status(), 403);
            assert_eq!(c.post("/api/v1/staff/fairs", fair_body("x")).await.status(), 403);
            assert_eq!(put(&c, &format!("/api/v1/staff/fairs/{id}"), fair_body("x")).await.status(), 403);
            assert_eq!(c.get(&format!("/staff/fairs/{id}/qr.png")).await.status(), 403);
            assert_eq!(c.get("/staff/fairs").await.status(), 403);
        }
        let student = app.student("13800000012").await;
        assert_eq!(student.get("/api/v1/staff/fairs").await.status(), 403);
        assert_eq!(student.post("/api/v1/staff/fairs", fair_body("x")).await.status(), 403);
        let visitor = app.client();
        assert_eq!(visitor.get("/api/v1/staff/fairs").await.status(), 401);
        assert_eq!(visitor.get(&format!("/staff/fairs/{id}/qr.svg")).await.status(), 303);
    }

    async fn qr_codes_download_as_svg_and_a_poster_sized_png(app) {
        let staff = app.signed_in(Role::OrganizerStaff, "s@example.cn").await;
        let f = create_fair(&staff, "秋季双选会").await;
        let id = f["id"].as_i64().unwrap();
        let code = f["entry_code"].as_str().unwrap();

        let r = staff.get(&format!("/staff/fairs/{id}/qr.svg")).await;
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("image/svg+xml"));
        let cd = r.headers()["content-disposition"].to_str().unwrap().to_string();
        assert!(cd.starts_with("attachment;"), "{cd}");
        assert!(cd.contains(&format!("filename=\"fair-{code}-qr.svg\"")), "{cd}");
        let svg = r.text().await.unwrap();
        assert!(svg.starts_with("<?xml") || svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("<svg") && svg.trim_end().ends_with("</svg>"));

        let r = staff.get(&format!("/staff/fairs/{id}/qr.png")).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "image/png");
        let cd = r.headers()["content-disposition"].to_str().unwrap().to_string();
        assert!(cd.contains(&format!("filename=\"fair-{code}-qr.png\"")), "{cd}");
        assert!(cd.contains("filename*=UTF-8''"), "{cd}");
        let bytes = r.bytes().await.unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let (w, h, px) = decode_png(&bytes);
        assert_eq!(w, h, "square");
        assert!(w >= 1200, "poster-sized: {w}px");
        // The quiet zone: the first dark pixel on the diagonal is 4 modules in.
        let at = |x: u32, y: u32| px[(y * w + x) as usize];
        let first_dark = (0..w).find(|&i| at(i, i) == 0).expect("a dark module");
        assert_eq!(first_dark % 4, 0);
        let scale = first_dark / 4;
        assert!(scale >= 2, "whole pixels per module: {scale}");
        assert_eq!(w % scale, 0, "the image is a whole number of modules");
        let modules = w / scale - 8;
        assert!(modules >= 21 && (modules - 21) % 4 == 0, "a QR code is 21 + 4k modules: {modules}");
        for i in 0..w {
            assert_eq!(at(i, 0), 255, "top quiet zone white");
            assert_eq!(at(0, i), 255, "left quiet zone white");
            assert_eq!(at(i, w - 1), 255, "bottom quiet zone white");
        }
        // The finder pattern: 7 dark modules across the top-left corner.
        for m in 0..7 {
            assert_eq!(at(first_dark + m * scale + scale / 2, first_dark + scale / 2), 0);
        }
        assert_eq!(at(first_dark + 7 * scale + scale / 2, first_dark + scale / 2), 255);
    }

    async fn the_admin_pages_create_an_organizer_and_staff_and_keep_what_was_typed(app) {
        let admin = app.signed_in(Role::PlatformAdmin, "admin@example.cn").await;
        let html = admin.get("/admin/organizers").await.text().await.unwrap();
        assert!(html.contains("新建主办方"));
        let token = form_csrf(&html);

        let r = admin.http.post(admin.url("/admin/organizers"))
            .form(&[("name", "南开大学"), ("kind", "university"), ("contact_name", "张老师"), ("contact_phone", "13812345678")])
            .send().await.unwrap();
        assert_eq!(r.status(), 403, "no CSRF field, refused");

        let r = admin.http.post(admin.url("/admin/organizers"))
            .form(&[("_csrf", token.as_str()), ("name", "南开大学"), ("kind", "university"),
                    ("contact_name", "张老师"), ("contact_phone", "13812345678"), ("contact_email", "")])
            .send().await.unwrap();
        assert_eq!(r.status(), 303);
        let location = r.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/admin/organizers/"), "{location}");
        let page = admin.get(&location).await.text().await.unwrap();
        assert!(page.contains("南开大学") && page.contains("主办方已创建"));

        // The same name again: the message beside the name, everything typed kept.
        let r = admin.http.post(admin.url("/admin/organizers"))
            .form(&[("_csrf", token.as_str()), ("name", "南开大学"), ("kind", "city"),
                    ("contact_name", "李老师"), ("contact_phone", "022-23508888"), ("contact_email", "li@nankai.edu.cn")])
            .send().await.unwrap();
        assert_eq!(r.status(), 409);
        let page = r.text().await.unwrap();
        assert!(page.contains("已有同名的主办方"));
        assert!(page.contains("value=\"李老师\""));
        assert!(page.contains("value=\"022-23508888\""));
        assert!(page.contains("value=\"li@nankai.edu.cn\""));
        assert!(page.contains("value=\"city\" checked"));

        // Add a staff account; a bad e-mail keeps the name typed.
        let staff_path = format!("{location}/staff").replace("?created=1", "");
        let r = admin.http.post(admin.url(&staff_path))
            .form(&[("_csrf", token.as_str()), ("name", "张老师"), ("email", "zhang"), ("password", PASSWORD)])
            .send().await.unwrap();
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("邮箱格式不正确"));
        assert!(page.contains("value=\"张老师\""));
        assert!(page.contains("value=\"zhang\""));
        let r = admin.http.post(admin.url(&staff_path))
            .form(&[("_csrf", token.as_str()), ("name", "张老师"), ("email", "zhang@nankai.edu.cn"), ("password", PASSWORD)])
            .send().await.unwrap();
        assert_eq!(r.status(), 303);
        let page = admin.get(r.headers()["location"].to_str().unwrap()).await.text().await.unwrap();
        assert!(page.contains("zhang@nankai.edu.cn"));
        let mut staff = app.client();
        staff.sign_in("zhang@nankai.edu.cn", PASSWORD).await;
        assert_eq!(staff.get("/staff/fairs").await.status(), 200);
    }

    async fn the_fair_pages_create_show_and_edit_a_fair_and_keep_what_was_typed(app) {
        let staff = app.signed_in(Role::OrganizerStaff, "s@example.cn").await;
        let html = staff.get("/staff/fairs/new").await.text().await.unwrap();
        assert!(html.contains("type=\"datetime-local\""));
        assert!(html.contains("value=\"70\""), "the default threshold is filled in");
        let token = form_csrf(&html);

        let typed = [
            ("_csrf", token.as_str()),
            ("title", "2026 届秋季视频双选会"),
            ("details", "面向 2026 届毕业生。\n\n上午 9:00 开始。"),
            ("signup_opens_at", "2020-11-20T09:00"),
            ("signup_closes_at", "2020-11-30T09:00"),
            ("starts_at", "2020-11-28T09:00"),
            ("ends_at", "2020-11-28T17:00"),
            ("min_completeness", "75"),
            ("employer_limit", ""),
        ];
        // Sign-up closes after the fair ends: refused beside that field, all kept.
        let r = staff.http.post(staff.url("/staff/fairs")).form(&typed).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("单位报名截止时间不能晚于双选会结束时间"), "{page}");
        for kept in ["value=\"2026 届秋季视频双选会\"", "上午 9:00 开始。", "value=\"2020-11-30T09:00\"",
                     "value=\"2020-11-28T17:00\"", "value=\"75\""] {
            assert!(page.contains(kept), "{kept} kept");
        }
        let r = staff.http.post(staff.url("/staff/fairs"))
            .form(&[("title", "无令牌")]).send().await.unwrap();
        assert_eq!(r.status(), 403);

        let mut fixed = typed;
        fixed[4] = ("signup_closes_at", "2020-11-27T18:00");
        let r = staff.http.post(staff.url("/staff/fairs")).form(&fixed).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let location = r.headers()["location"].to_str().unwrap().to_string();
        let id: i64 = location.trim_start_matches("/staff/fairs/").split('?').next().unwrap().parse().unwrap();
        let f = app.store.fair(id).await.unwrap();
        // 2020-11-28 09:00 Beijing is 01:00 UTC.
        assert_eq!(f.starts_at, T0 + 49 * HOUR);
        assert_eq!(f.min_completeness, 75);
        assert_eq!(f.details, "<p>面向 2026 届毕业生。</p><p>上午 9:00 开始。</p>");

        let page = staff.get(&location).await.text().await.unwrap();
        assert!(page.contains(&format!("{}/f/{}", app.base, f.entry_code)), "the absolute entry URL");
        assert!(page.contains(&format!("/staff/fairs/{id}/qr.svg")));
        assert!(page.contains(&format!("/staff/fairs/{id}/qr.png")));
        assert!(page.contains("<p>上午 9:00 开始。</p>"), "sanitised details shown as HTML");

        let list = staff.get("/staff/fairs").await.text().await.unwrap();
        assert!(list.contains("2026 届秋季视频双选会") && list.contains("已结束"));

        let edit = staff.get(&format!("/staff/fairs/{id}/edit")).await.text().await.unwrap();
        assert!(edit.contains("value=\"2020-11-28T09:00\""), "times shown in Beijing time");
        let r = staff.http.post(staff.url(&format!("/staff/fairs/{id}/edit")))
            .form(&[("_csrf", token.as_str()), ("title", "改过的名称"), ("details", "<p>新介绍</p><img src=x onerror=alert(1)>"),
                    ("signup_opens_at", "2020-11-20T09:00"), ("signup_closes_at", "2020-11-27T18:00"),
                    ("starts_at", "2020-11-28T09:00"), ("ends_at", "2020-11-28T17:00"),
                    ("min_completeness", "abc"), ("employer_limit", "30")])
            .send().await.unwrap();
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("请填写整数"));
        assert!(page.contains("value=\"改过的名称\"") && page.contains("value=\"abc\"") && page.contains("value=\"30\""));
        let r = staff.http.post(staff.url(&format!("/staff/fairs/{id}/edit")))
            .form(&[("_csrf", token.as_str()), ("title", "改过的名称"), ("details", "<p>新介绍</p><img src=x onerror=alert(1)>"),
                    ("signup_opens_at", "2020-11-20T09:00"), ("signup_closes_at", "2020-11-27T18:00"),
                    ("starts_at", "2020-11-28T09:00"), ("ends_at", "2020-11-28T17:00"),
                    ("min_completeness", "60"), ("employer_limit", "30")])
            .send().await.unwrap();
        assert_eq!(r.status(), 303);
        let f = app.store.fair(id).await.unwrap();
        assert_eq!((f.title.as_str(), f.details.as_str(), f.min_completeness, f.employer_limit),
                   ("改过的名称", "<p>新介绍</p>", 60, Some(30)));
        let page = staff.get(&format!("/staff/fairs/{id}?saved=1")).await.text().await.unwrap();
        assert!(page.contains("修改已保存") && !page.contains("onerror"));
    }
}

/// Configuration only, the same on either backend.
#[tokio::test]
async fn the_entry_url_uses_the_configured_public_url() {
    let app = TestApp::spawn_with(crate::helpers::Backend::Sqlite, |c| {
        c.http.public_url = Some("https://fair.example.edu.cn/".into());
    })
    .await;
    let staff = app.signed_in(Role::OrganizerStaff, "s@example.cn").await;
    let f = create_fair(&staff, "秋季双选会").await;
    let code = f["entry_code"].as_str().unwrap();
    assert_eq!(
        f["entry_url"],
        format!("https://fair.example.edu.cn/f/{code}")
    );
    assert_eq!(
        app.state.entry_url(Some("evil.example"), "abc"),
        "https://fair.example.edu.cn/f/abc"
    );
}
