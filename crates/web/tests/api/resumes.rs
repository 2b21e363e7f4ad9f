//! Resumes (简历): sections edited on a phone, the completeness score, and entering a fair (报名进入会场) behind the fair's threshold.

use fairhall_domain::account::Role;
use fairhall_domain::resume::{Item, WEIGHTS};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{VenueOptions, fill_resume};
use crate::helpers::{Client, TestApp, error_code};

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
    0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xff, 0xff, 0x3f,
    0x00, 0x05, 0xfe, 0x02, 0xfe, 0x0d, 0xef, 0x46, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];

const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

/// The points the score gives for these items, read from the one table that defines them.
fn points(items: &[Item]) -> u64 {
    WEIGHTS
        .iter()
        .filter(|w| items.contains(&w.item))
        .map(|w| u64::from(w.weight))
        .sum()
}

const BASICS: [Item; 13] = [
    Item::Name,
    Item::Gender,
    Item::BirthMonth,
    Item::Phone,
    Item::Email,
    Item::School,
    Item::College,
    Item::Major,
    Item::Degree,
    Item::GraduationYear,
    Item::IntentionCities,
    Item::IntentionPositions,
    Item::Salary,
];

fn full_basics() -> Value {
    json!({
        "name": "李明", "gender": "male", "birth_month": "2003-05", "phone": "13812345678",
        "email": "liming@example.com", "school": "天津大学", "college": "智能与计算学部",
        "major": "软件工程", "degree": "本科", "graduation_year": "2026",
        "cities": ["天津", "北京"], "positions": ["软件工程师"], "salary": "8K-12K"
    })
}

fn education() -> Value {
    json!({"school": "天津大学", "major": "软件工程", "degree": "bachelor", "start": "2022-09", "end": "2026-06"})
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

/// A multipart upload, the token in the header (API) or in the query (pages).
async fn upload(
    c: &Client,
    path: &str,
    field: &str,
    bytes: &[u8],
    name: &str,
    page: bool,
) -> reqwest::Response {
    let form = Form::new().part(
        field.to_string(),
        Part::bytes(bytes.to_vec()).file_name(name.to_string()),
    );
    let token = c.csrf.clone().unwrap_or_default();
    let req = if page {
        c.http.post(c.url(&format!("{path}?_csrf={token}")))
    } else {
        c.http.post(c.url(path)).header("x-csrf-token", token)
    };
    req.multipart(form).send().await.unwrap()
}

/// Posts a page form with the client's CSRF token.
async fn form(c: &Client, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let token = c.csrf.clone().unwrap();
    let mut all = vec![("_csrf", token.as_str())];
    all.extend_from_slice(fields);
    c.http.post(c.url(path)).form(&all).send().await.unwrap()
}

async fn resume(c: &Client) -> Value {
    let r = c.get("/api/v1/resume").await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

async fn stored_completeness(app: &TestApp, student_id: i64) -> i64 {
    sqlx::query_scalar("SELECT completeness FROM resumes WHERE user_id = $1")
        .bind(student_id)
        .fetch_one(app.store.pool())
        .await
        .unwrap()
}

async fn page_text(r: reqwest::Response) -> String {
    r.text()
        .await
        .unwrap()
        .replace("&#x2f;", "/")
        .replace("&#47;", "/")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
}

async fn json_of(r: reqwest::Response) -> Value {
    r.json().await.unwrap()
}

both_backends! {
    async fn each_section_saves_and_bad_input_keeps_what_was_saved(app) {
        let c = app.student("13800000101").await;
        let me = app.student_id("13800000101").await;
        let r = resume(&c).await;
        assert_eq!(r["percent"], 0);
        assert_eq!(r["sections"].as_array().unwrap().len(), 9);

        // Basics.
        let r = put(&c, "/api/v1/resume/basics", full_basics()).await;
        assert_eq!(r.status(), 200);
        assert_eq!(json_of(r).await["percent"], points(&BASICS));
        let mut bad = full_basics();
        bad["name"] = json!("王五");
        bad["email"] = json!("not-an-email");
        assert_eq!(error_code(put(&c, "/api/v1/resume/basics", bad).await).await, (422, "invalid_email".into()));
        let r = resume(&c).await;
        assert_eq!(r["basics"]["name"], "李明", "nothing of a refused save is kept");
        assert_eq!(r["basics"]["email"], "liming@example.com");
        assert_eq!(r["basics"]["degree"], "bachelor");
        assert_eq!(r["basics"]["salary"], "8-12");
        assert_eq!(r["basics"]["cities"], json!(["天津", "北京"]));
        // Emptying a field is allowed: it is then missing from the score.
        let mut partial = full_basics();
        partial["salary"] = json!("");
        let r = put(&c, "/api/v1/resume/basics", partial).await;
        assert_eq!(json_of(r).await["percent"], points(&BASICS) - points(&[Item::Salary]));
        put(&c, "/api/v1/resume/basics", full_basics()).await;

        // Education: add, refuse a bad edit, edit.
        let r = c.post("/api/v1/resume/education", education()).await;
        assert_eq!(r.status(), 201);
        let created = json_of(r).await;
        let edu = created["id"].as_i64().unwrap();
        assert_eq!(created["percent"], points(&BASICS) + points(&[Item::Education]));
        let mut wrong = education();
        wrong["end"] = json!("2021-06");
        let r = c.post("/api/v1/resume/education", wrong.clone()).await;
        let body = json_of(r).await;
        assert_eq!((body["code"].as_str(), body["field"].as_str()), (Some("period_order"), Some("end")));
        let r = put(&c, &format!("/api/v1/resume/education/{edu}"), wrong).await;
        assert_eq!(r.status(), 422);
        let r = resume(&c).await;
        assert_eq!(r["education"].as_array().unwrap().len(), 1);
        assert_eq!(r["education"][0]["end"], "2026-06", "a refused edit keeps the entry");
        let mut changed = education();
        changed["major"] = json!("计算机科学与技术");
        assert_eq!(put(&c, &format!("/api/v1/resume/education/{edu}"), changed).await.status(), 200);
        assert_eq!(resume(&c).await["education"][0]["major"], "计算机科学与技术");
        assert_eq!(error_code(c.post("/api/v1/resume/hobbies", education()).await).await.0, 404);

        // Experience, projects, awards.
        let r = c.post("/api/v1/resume/experience", json!({
            "organisation": "某科技公司", "role": "实习生", "start": "2025-07", "end": "",
            "description": "负责接口测试"})).await;
        assert_eq!(r.status(), 201);
        let r = c.post("/api/v1/resume/projects", json!({"name": "校园二手平台", "start": "2024-03"})).await;
        assert_eq!(r.status(), 201);
        let r = c.post("/api/v1/resume/awards", json!({"name": "数学建模竞赛一等奖", "date": "2024-11"})).await;
        assert_eq!(r.status(), 201);
        let r = c.post("/api/v1/resume/awards", json!({"name": "", "date": "去年"})).await;
        assert_eq!(error_code(r).await, (422, "required".into()));
        let r = resume(&c).await;
        assert_eq!(r["experience"][0]["end"], Value::Null, "至今");
        assert_eq!(r["awards"].as_array().unwrap().len(), 1);

        // Skills and self-evaluation.
        let r = put(&c, "/api/v1/resume/skills", json!({"skills": ["CET-6", " Python ", "CET-6"]})).await;
        assert_eq!(r.status(), 200);
        let many: Vec<String> = (0..31).map(|i| format!("技能{i}")).collect();
        assert_eq!(error_code(put(&c, "/api/v1/resume/skills", json!({"skills": many})).await).await, (422, "too_many".into()));
        assert_eq!(resume(&c).await["skills"], json!(["CET-6", "Python"]));
        assert_eq!(put(&c, "/api/v1/resume/self-evaluation", json!({"self_evaluation": "踏实肯干"})).await.status(), 200);
        let long = "好".repeat(501);
        let r = put(&c, "/api/v1/resume/self-evaluation", json!({"self_evaluation": long})).await;
        assert_eq!(error_code(r).await, (422, "too_long".into()));
        let r = resume(&c).await;
        assert_eq!(r["self_evaluation"], "踏实肯干");

        // The score, and the stored column, follow every save.
        let all: Vec<Item> = BASICS.iter().copied().chain([Item::Education, Item::Experience,
            Item::Projects, Item::Awards, Item::Skills, Item::SelfEvaluation]).collect();
        assert_eq!(r["percent"], points(&all));
        assert_eq!(stored_completeness(&app, me).await as u64, points(&all));
        let r = delete(&c, &format!("/api/v1/resume/education/{edu}")).await;
        assert_eq!(json_of(r).await["percent"], points(&all) - points(&[Item::Education]));
        assert_eq!(stored_completeness(&app, me).await as u64, points(&all) - points(&[Item::Education]));
        assert_eq!(delete(&c, &format!("/api/v1/resume/education/{edu}")).await.status(), 404);
        let r = resume(&c).await;
        let sections = r["sections"].as_array().unwrap();
        let edu_score = sections.iter().find(|s| s["section"] == "education").unwrap();
        assert_eq!(edu_score["earned"], 0);
        assert_eq!(edu_score["missing"], json!(["添加教育经历"]));
    }

    async fn the_pages_save_each_section_and_keep_what_was_typed_on_errors(app) {
        let c = app.student("13800000102").await;
        let page = page_text(c.get("/student/resume").await).await;
        assert!(page.contains("我的简历") && page.contains("0%"));
        assert!(page.contains("/student/resume/basics"));

        // Basics: a bad e-mail keeps what was saved, shows the message beside the field, and
        // keeps every typed value.
        put(&c, "/api/v1/resume/basics", full_basics()).await;
        let r = form(&c, "/student/resume/basics", &[("name", "王小五"), ("email", "bad@"),
            ("cities", "上海，深圳"), ("degree", "master")]).await;
        assert_eq!(r.status(), 422);
        let page = page_text(r).await;
        assert!(page.contains("value=\"王小五\""), "the typed name is kept");
        assert!(page.contains("value=\"bad@\""));
        assert!(page.contains("value=\"上海，深圳\""));
        assert!(page.contains("<option value=\"master\" selected>"));
        assert!(page.contains("field-error"));
        assert_eq!(resume(&c).await["basics"]["name"], "李明", "nothing was saved");
        let r = form(&c, "/student/resume/basics", &[("name", "王小五"), ("phone", "13812345678"),
            ("cities", "上海，深圳"), ("degree", "master"), ("gender", "female")]).await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/student/resume?saved=1#basics");
        let saved = resume(&c).await;
        assert_eq!(saved["basics"]["name"], "王小五");
        assert_eq!(saved["basics"]["cities"], json!(["上海", "深圳"]));
        assert_eq!(saved["basics"]["school"], Value::Null);
        let page = page_text(c.get("/student/resume/basics").await).await;
        assert!(page.contains("value=\"王小五\""), "the form shows what is stored");

        // Education: an error beside the field, then saved, edited, deleted with confirmation.
        let r = form(&c, "/student/resume/education/new", &[("school", "天津大学"), ("major", "软件工程"),
            ("degree", "bachelor"), ("start", "2022-09"), ("end", "2020-06")]).await;
        assert_eq!(r.status(), 422);
        let page = page_text(r).await;
        assert!(page.contains("结束时间不能早于开始时间"));
        assert!(page.contains("value=\"天津大学\""));
        assert_eq!(resume(&c).await["education"], json!([]));
        let r = form(&c, "/student/resume/education/new", &[("school", "天津大学"), ("major", "软件工程"),
            ("degree", "bachelor"), ("start", "2022-09"), ("end", "2026-06")]).await;
        assert_eq!(r.status(), 303);
        let id = resume(&c).await["education"][0]["id"].as_i64().unwrap();
        let page = page_text(c.get(&format!("/student/resume/education/{id}")).await).await;
        assert!(page.contains("value=\"2026-06\""));
        assert!(page.contains(&format!("/student/resume/education/{id}/delete")));
        let r = form(&c, &format!("/student/resume/education/{id}"), &[("school", ""), ("major", "软件工程"),
            ("degree", "bachelor"), ("start", "2022-09"), ("end", "2026-06")]).await;
        assert_eq!(r.status(), 422);
        assert!(page_text(r).await.contains("请填写学校"));
        assert_eq!(resume(&c).await["education"][0]["school"], "天津大学");
        let confirm = page_text(c.get(&format!("/student/resume/education/{id}/delete")).await).await;
        assert!(confirm.contains("确定删除") && confirm.contains("天津大学"));
        assert_eq!(resume(&c).await["education"].as_array().unwrap().len(), 1, "asking deletes nothing");
        let r = form(&c, &format!("/student/resume/education/{id}/delete"), &[]).await;
        assert_eq!(r.status(), 303);
        assert_eq!(resume(&c).await["education"], json!([]));

        // Skills and self-evaluation.
        let r = form(&c, "/student/resume/skills", &[("skills", "CET-6\nPython、Rust")]).await;
        assert_eq!(r.status(), 303);
        assert_eq!(resume(&c).await["skills"], json!(["CET-6", "Python", "Rust"]));
        let long = "好".repeat(501);
        let r = form(&c, "/student/resume/self-evaluation", &[("self_evaluation", &long)]).await;
        assert_eq!(r.status(), 422);
        assert!(page_text(r).await.contains("自我评价最多 500 个字"));
        let r = form(&c, "/student/resume/self-evaluation", &[("self_evaluation", "认真负责")]).await;
        assert_eq!(r.status(), 303);

        // An unknown section, and a guest sent to sign in and back.
        assert_eq!(c.get("/student/resume/hobbies/new").await.status(), 404);
        let r = app.client().get("/student/resume/skills").await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/login?next=/student/resume/skills");
    }

    async fn entry_is_refused_below_the_threshold_and_accepted_exactly_at_it(app) {
        let threshold = points(&BASICS) + points(&[Item::Education]);
        let venue = app.venue(VenueOptions { min_completeness: threshold as i64, ..Default::default() }).await;
        let higher = app.venue(VenueOptions { min_completeness: threshold as i64 + 1, ..Default::default() }).await;
        let c = app.student("13800000103").await;
        let me = app.student_id("13800000103").await;
        put(&c, "/api/v1/resume/basics", full_basics()).await;

        let entry = format!("/api/v1/fairs/{}/entry", venue.fair_id);
        let r = c.post(&entry, json!({})).await;
        assert_eq!(r.status(), 422);
        let body = json_of(r).await;
        assert_eq!(body["code"], "below_threshold");
        assert_eq!(body["percent"], points(&BASICS));
        assert_eq!(body["threshold"], threshold);
        assert_eq!(body["missing"][0]["item"], "education", "the cheapest way to the threshold");
        assert!(body["message"].as_str().unwrap().contains("添加教育经历"));
        assert!(app.store.fair_entry(venue.fair_id, me).await.unwrap().is_none());
        let status = json_of(c.get(&entry).await).await;
        assert_eq!((status["entered"].as_bool(), status["percent"].as_u64()), (Some(false), Some(points(&BASICS))));

        c.post("/api/v1/resume/education", education()).await;
        // Exactly at the threshold: in.
        let r = c.post(&entry, json!({})).await;
        assert_eq!(r.status(), 200);
        let body = json_of(r).await;
        assert_eq!(body["first_time"], true);
        assert_eq!(body["completeness"], threshold);
        assert_eq!(body["venue_path"], format!("/f/{}/employers", venue.code));
        // One point short: out, with what is missing.
        let r = c.post(&format!("/api/v1/fairs/{}/entry", higher.fair_id), json!({})).await;
        let body = json_of(r).await;
        assert_eq!((body["code"].as_str(), body["percent"].as_u64(), body["threshold"].as_u64()),
            (Some("below_threshold"), Some(threshold), Some(threshold + 1)));
        assert!(!body["missing"].as_array().unwrap().is_empty());

        // Entering again is harmless, even after the resume shrank.
        let edu = resume(&c).await["education"][0]["id"].as_i64().unwrap();
        delete(&c, &format!("/api/v1/resume/education/{edu}")).await;
        let r = c.post(&entry, json!({})).await;
        assert_eq!(r.status(), 200);
        assert_eq!(json_of(r).await["first_time"], false);
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM fair_entries WHERE student_id = $1")
            .bind(me).fetch_one(app.store.pool()).await.unwrap();
        assert_eq!(n, 1);
        let status = json_of(c.get(&entry).await).await;
        assert_eq!(status["entered"], true);

        assert_eq!(error_code(c.post("/api/v1/fairs/999999/entry", json!({})).await).await.0, 404);
        assert_eq!(error_code(venue.hr.post(&entry, json!({})).await).await, (403, "forbidden".into()));
        assert_eq!(error_code(app.client().post(&entry, json!({})).await).await.0, 401);
    }

    async fn the_entry_page_offers_one_button_and_explains_a_refusal(app) {
        let venue = app.venue(VenueOptions::default()).await;
        let path = format!("/f/{}", venue.code);
        let guest = page_text(app.client().get(&path).await).await;
        assert!(guest.contains(&format!("/login?next=/f/{}\"", venue.code)), "guests sign in and come back");
        assert!(!guest.contains("/enter\""));

        let c = app.student("13800000104").await;
        let page = page_text(c.get(&path).await).await;
        assert!(page.contains("报名进入会场"));
        assert!(page.contains(&format!("action=\"{path}/enter\"")));
        assert!(page.contains("name=\"_csrf\""));

        let r = form(&c, &format!("{path}/enter"), &[]).await;
        assert_eq!(r.status(), 422);
        let page = page_text(r).await;
        assert!(page.contains("你的简历完整度为"));
        assert!(page.contains("<strong>0%</strong>"));
        assert!(page.contains("添加教育经历"));
        assert!(page.contains(&format!("/student/resume?fair={}", venue.code)));

        // The resume page lists the fair the student came from, with what to add.
        let overview = page_text(c.get("/student/resume").await).await;
        assert!(overview.contains("2026 秋季视频双选会"));
        assert!(overview.contains("还差"));

        fill_resume(&app, &c).await;
        let overview = page_text(c.get("/student/resume").await).await;
        assert!(overview.contains(&format!("action=\"{path}/enter\"")), "reachable now: the button shows");
        let r = form(&c, &format!("{path}/enter"), &[]).await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], format!("{path}/employers"));
        let page = page_text(c.get(&path).await).await;
        assert!(page.contains("进入会场"));
        assert!(page.contains(&format!("href=\"{path}/employers\"")));
        assert!(!page.contains(&format!("action=\"{path}/enter\"")), "entered: no second sign-up");

        let staff_page = page_text(venue.staff.get(&path).await).await;
        assert!(!staff_page.contains("/enter\""));
        let r = form(&venue.staff, &format!("{path}/enter"), &[]).await;
        assert_eq!(r.status(), 403);
    }

    async fn a_student_cannot_read_or_change_another_students_resume(app) {
        let a = app.student("13800000105").await;
        let b = app.student("13800000106").await;
        put(&a, "/api/v1/resume/basics", full_basics()).await;
        let id = json_of(a.post("/api/v1/resume/education", education()).await).await["id"].as_i64().unwrap();

        assert_eq!(put(&b, &format!("/api/v1/resume/education/{id}"), education()).await.status(), 404);
        assert_eq!(delete(&b, &format!("/api/v1/resume/education/{id}")).await.status(), 404);
        assert_eq!(b.get(&format!("/student/resume/education/{id}")).await.status(), 404);
        assert_eq!(b.get(&format!("/student/resume/education/{id}/delete")).await.status(), 404);
        assert_eq!(form(&b, &format!("/student/resume/education/{id}/delete"), &[]).await.status(), 404);
        assert_eq!(put(&a, &format!("/api/v1/resume/projects/{id}"), json!({"name": "x", "start": "2024-01"})).await.status(), 404,
            "an entry is edited only in its own section");
        let mine = resume(&b).await;
        assert_eq!(mine["basics"]["name"], Value::Null);
        assert_eq!(mine["education"], json!([]));
        assert_eq!(resume(&a).await["education"].as_array().unwrap().len(), 1);

        // Other roles have no resume; visitors must sign in.
        let hr = app.signed_in(Role::EmployerAdmin, "hr@other.cn").await;
        assert_eq!(error_code(hr.get("/api/v1/resume").await).await, (403, "forbidden".into()));
        assert_eq!(put(&hr, "/api/v1/resume/basics", full_basics()).await.status(), 403);
        assert_eq!(hr.get("/student/resume").await.status(), 403);
        assert_eq!(error_code(app.client().get("/api/v1/resume").await).await.0, 401);
    }

    async fn employers_read_a_resume_only_in_a_fair_the_student_entered(app) {
        let venue = app.venue(VenueOptions::default()).await;
        let other = app.venue(VenueOptions::default()).await;
        let c = app.student("13800000107").await;
        let sid = app.student_id("13800000107").await;
        fill_resume(&app, &c).await;
        let photo = upload(&c, "/api/v1/resume/photo", "photo", PNG, "me.png", false).await;
        assert_eq!(photo.status(), 201);
        let photo_url = json_of(photo).await["url"].as_str().unwrap().to_string();
        let api = format!("/api/v1/employer/fairs/{}/students/{sid}/resume", venue.fair_id);
        let page = format!("/employer/fairs/{}/students/{sid}", venue.fair_id);

        // Not entered yet: nobody sees it.
        assert_eq!(error_code(venue.hr.get(&api).await).await, (404, "not_found".into()));
        assert_eq!(venue.hr.get(&page).await.status(), 404);
        assert_eq!(venue.hr.get(&photo_url).await.status(), 404);

        let r = c.post(&format!("/api/v1/fairs/{}/entry", venue.fair_id), json!({})).await;
        assert_eq!(r.status(), 200);
        let seen = json_of(venue.hr.get(&api).await).await;
        assert_eq!(seen["basics"]["name"], "李明");
        assert_eq!(seen["student_id"], sid);
        assert_eq!(seen["photo_url"], photo_url.as_str());
        assert_eq!(json_of(venue.interviewer.get(&api).await).await["basics"]["name"], "李明");
        let html = page_text(venue.hr.get(&page).await).await;
        assert!(html.contains("李明") && html.contains("天津大学") && html.contains(&photo_url));
        assert_eq!(venue.hr.get(&photo_url).await.status(), 200, "the photo reaches the employer");
        // A replaced photo is no longer the employer's to read; the new one is.
        let replaced = upload(&c, "/api/v1/resume/photo", "photo", PNG, "new.png", false).await;
        assert_eq!(replaced.status(), 201);
        let new_url = json_of(replaced).await["url"].as_str().unwrap().to_string();
        assert_eq!(venue.hr.get(&photo_url).await.status(), 404, "the old photo is gone");
        assert_eq!(venue.hr.get(&new_url).await.status(), 200);
        let photo_url = new_url;

        // Another fair's employer, the same employer through another fair, other roles.
        assert_eq!(error_code(other.hr.get(&api).await).await.0, 404);
        assert_eq!(other.hr.get(&page).await.status(), 404);
        assert_eq!(other.hr.get(&photo_url).await.status(), 404);
        let elsewhere = format!("/api/v1/employer/fairs/{}/students/{sid}/resume", other.fair_id);
        assert_eq!(error_code(venue.hr.get(&elsewhere).await).await.0, 404);
        assert_eq!(error_code(venue.staff.get(&api).await).await.0, 403);
        assert_eq!(error_code(c.get(&api).await).await.0, 403);
        assert_eq!(error_code(app.client().get(&api).await).await.0, 401);

        // An employer whose registration in this fair is not approved sees nothing.
        let pending = app.signed_in(Role::EmployerAdmin, "hr@pending.cn").await;
        let pending_id = app.store.credentials_by_email("hr@pending.cn").await.unwrap().unwrap().user.employer_id.unwrap();
        sqlx::query("INSERT INTO registrations (fair_id, employer_id, status, contact_name, contact_phone, submitted_at, updated_at) \
                     VALUES ($1, $2, 'submitted', '王经理', '022-1234567', 1, 1)")
            .bind(venue.fair_id).bind(pending_id).execute(app.store.pool()).await.unwrap();
        assert_eq!(error_code(pending.get(&api).await).await.0, 404);
    }

    async fn the_photo_and_the_attachment_are_checked_by_content(app) {
        let c = app.student("13800000108").await;
        let r = upload(&c, "/api/v1/resume/photo", "photo", PDF, "me.png", false).await;
        assert_eq!(error_code(r).await, (422, "file_type".into()));
        let r = upload(&c, "/api/v1/resume/attachment", "attachment", PNG, "cv.pdf", false).await;
        assert_eq!(error_code(r).await, (422, "file_type".into()));
        let r = upload(&c, "/api/v1/resume/attachment", "wrong_field", PDF, "cv.pdf", false).await;
        assert_eq!(error_code(r).await, (422, "file_required".into()));
        assert_eq!(resume(&c).await["percent"], 0);

        let r = upload(&c, "/api/v1/resume/photo", "photo", PNG, "me.png", false).await;
        assert_eq!(r.status(), 201);
        assert_eq!(json_of(r).await["percent"], points(&[Item::Photo]));
        let r = upload(&c, "/api/v1/resume/attachment", "attachment", PDF, "李明-简历.pdf", false).await;
        assert_eq!(r.status(), 201);
        let url = json_of(r).await["url"].as_str().unwrap().to_string();
        let got = resume(&c).await;
        assert_eq!(got["percent"], points(&[Item::Photo, Item::Attachment]));
        assert_eq!(got["attachment_name"], "李明-简历.pdf");
        assert_eq!(c.get(&url).await.status(), 200, "the owner reads it");
        assert_eq!(app.student("13800000109").await.get(&url).await.status(), 404, "another student does not");

        // A refused replacement keeps the file before it.
        let r = upload(&c, "/student/resume/attachment", "attachment", PNG, "x.png", true).await;
        assert_eq!(r.status(), 422);
        assert!(page_text(r).await.contains("请上传 PDF 文件"));
        let r = upload(&c, "/student/resume/photo", "photo", PDF, "x.pdf", true).await;
        assert_eq!(r.status(), 422);
        assert!(page_text(r).await.contains("请上传 JPG、PNG 或 WebP 图片"));
        assert_eq!(resume(&c).await["attachment_url"], url.as_str());

        let r = upload(&c, "/student/resume/photo", "photo", PNG, "new.png", true).await;
        assert_eq!(r.status(), 303);
        assert!(page_text(c.get("/student/resume/attachment/delete").await).await.contains("李明-简历.pdf"));
        let r = form(&c, "/student/resume/attachment/delete", &[]).await;
        assert_eq!(r.status(), 303);
        let r = delete(&c, "/api/v1/resume/photo").await;
        assert_eq!(json_of(r).await["percent"], 0);
        let got = resume(&c).await;
        assert_eq!((got["photo_url"].clone(), got["attachment_url"].clone()), (Value::Null, Value::Null));
    }
}
