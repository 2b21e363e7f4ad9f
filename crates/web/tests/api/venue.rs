//! The venue for students: the employer list of a fair, employer and position details, and deliveries (投递简历) with the employer's received-resume pages.

use fairhall_domain::account::Role;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{HOUR, Venue, VenueOptions};
use crate::helpers::{Client, TestApp, error_code};

async fn exec(app: &TestApp, sql: &str, binds: &[i64]) -> i64 {
    let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_string()));
    for b in binds {
        q = q.bind(*b);
    }
    q.fetch_one(app.store.pool()).await.unwrap()
}

/// A registration of a new employer in the fair with `status`, one position chosen.
async fn other_registration(app: &TestApp, fair_id: i64, name: &str, status: &str) -> (i64, i64) {
    let now = fairhall_app::now_ms();
    let employer = app.store.insert_employer(name, now).await.unwrap();
    let position = exec(
        app,
        "INSERT INTO positions (employer_id, title, headcount, education, majors, city, \
         created_at, updated_at) VALUES ($1, '软件工程师', 1, 'bachelor', '计算机', '天津', $2, $2) \
         RETURNING id",
        &[employer, now],
    )
    .await;
    let registration = exec(
        app,
        &format!(
            "INSERT INTO registrations (fair_id, employer_id, status, contact_name, contact_phone, \
             submitted_at, updated_at) VALUES ($1, $2, '{status}', '王', '022-12345678', $3, $3) \
             RETURNING id"
        ),
        &[fair_id, employer, now],
    )
    .await;
    exec(
        app,
        "INSERT INTO registration_positions (registration_id, position_id) VALUES ($1, $2) \
         RETURNING registration_id",
        &[registration, position],
    )
    .await;
    (registration, position)
}

async fn json_of(c: &Client, path: &str) -> Value {
    let r = c.get(path).await;
    assert_eq!(r.status(), 200, "GET {path}");
    r.json().await.unwrap()
}

fn list_path(v: &Venue, query: &str) -> String {
    format!("/api/v1/fairs/{}/employers{query}", v.fair_id)
}

fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

async fn deliver(
    c: &Client,
    v: &Venue,
    registration_id: i64,
    position: Option<i64>,
) -> reqwest::Response {
    c.post(
        "/api/v1/deliveries",
        json!({"fair_id": v.fair_id, "registration_id": registration_id, "position_id": position}),
    )
    .await
}

/// A form POST from a page, with the session's CSRF token.
async fn form(c: &Client, path: &str, fields: &[(&str, String)]) -> reqwest::Response {
    let mut all = vec![("_csrf", c.csrf.clone().unwrap())];
    all.extend(fields.iter().map(|(k, v)| (*k, v.clone())));
    c.http.post(c.url(path)).form(&all).send().await.unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_string()
}

/// `YYYY-MM-DD HH:MM` in Beijing time, as pages show times.
fn beijing(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .unwrap()
        .to_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap());
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

both_backends! {
    async fn the_list_shows_only_approved_employers(app) {
        let v = app.venue(VenueOptions { employers: 3, ..Default::default() }).await;
        other_registration(&app, v.fair_id, "待审核单位", "submitted").await;
        other_registration(&app, v.fair_id, "被拒绝单位", "rejected").await;
        let (s, _) = app.entered_student(v.fair_id, "13800000001").await;

        let list = json_of(&s, &list_path(&v, "")).await;
        assert_eq!(list["total"], 3);
        assert_eq!(names(&list), ["测试单位0000", "测试单位0001", "测试单位0002"]);
        let first = &list["items"][0];
        assert_eq!(first["industry"], "互联网");
        assert_eq!(first["city"], "天津");
        assert_eq!(first["positions"].as_array().unwrap().len(), 2);
        assert_eq!(first["positions"][0]["title"], "软件工程师");
        assert_eq!(first["positions"][0]["education"], "bachelor");
        assert_eq!(first["video"], Value::Null, "the button is per fair, not per card");
        assert_eq!(list["video"]["state"], "opens_at");
        assert_eq!(list["video"]["enabled"], false);
        // Searching for the unapproved ones finds nothing.
        let list = json_of(&s, &list_path(&v, "?q=%E5%AE%A1%E6%A0%B8")).await;
        assert_eq!(list["total"], 0);
    }

    async fn search_and_each_filter_narrow_the_list(app) {
        let v = app.venue(VenueOptions { employers: 45, ..Default::default() }).await;
        let now = fairhall_app::now_ms();
        // One employer also offers an embedded position, in another city.
        let e = &v.employers[9];
        let p = exec(&app,
            "INSERT INTO positions (employer_id, title, headcount, education, majors, city, created_at, updated_at) \
             VALUES ($1, '嵌入式工程师', 1, 'doctor', '电子信息、自动化', '深圳', $2, $2) RETURNING id",
            &[e.employer_id, now]).await;
        exec(&app, "INSERT INTO registration_positions (registration_id, position_id) VALUES ($1, $2) RETURNING position_id",
            &[e.registration_id, p]).await;
        let (s, _) = app.entered_student(v.fair_id, "13800000002").await;
        let total = |q: &'static str| {
            let s = s.clone();
            let path = list_path(&v, q);
            async move { json_of(&s, &path).await["total"].as_i64().unwrap() }
        };

        assert_eq!(total("").await, 45);
        // Keyword: the employer's name, or a position's title, case-insensitive.
        assert_eq!(total("?q=%E6%B5%8B%E8%AF%95%E5%8D%95%E4%BD%8D0012").await, 1);
        assert_eq!(total("?q=%E5%B5%8C%E5%85%A5%E5%BC%8F").await, 1); // 嵌入式
        assert_eq!(total("?q=%25").await, 0, "a typed % is a character, not a wildcard");
        // City: the employer's (one in three), or a position's (深圳).
        assert_eq!(total("?city=%E5%A4%A9%E6%B4%A5").await, 15); // 天津
        assert_eq!(total("?city=%E6%B7%B1%E5%9C%B3").await, 1); // 深圳
        // Industry.
        assert_eq!(total("?industry=%E9%87%91%E8%9E%8D").await, 15); // 金融
        // Education, either spelling: 本科 is offered by two employers in three.
        assert_eq!(total("?education=bachelor").await, 30);
        assert_eq!(total("?education=%E6%9C%AC%E7%A7%91").await, 30);
        assert_eq!(total("?education=doctor").await, 31);
        assert_eq!(total("?education=nonsense").await, 0);
        // Major: part of the majors.
        assert_eq!(total("?major=%E8%AE%A1%E7%AE%97%E6%9C%BA").await, 30); // 计算机
        assert_eq!(total("?major=%E8%87%AA%E5%8A%A8%E5%8C%96").await, 1); // 自动化
        // Education and major must fit one position: 本科 goes with 计算机, never with 机械.
        assert_eq!(total("?education=bachelor&major=%E8%AE%A1%E7%AE%97%E6%9C%BA").await, 30);
        assert_eq!(total("?education=bachelor&major=%E6%9C%BA%E6%A2%B0").await, 0);
        // Filters combine.
        assert_eq!(total("?city=%E5%A4%A9%E6%B4%A5&industry=%E4%BA%92%E8%81%94%E7%BD%91").await, 15);
        assert_eq!(total("?city=%E5%A4%A9%E6%B4%A5&industry=%E9%87%91%E8%9E%8D").await, 0);

        let f = json_of(&s, &format!("/api/v1/fairs/{}/employers/filters", v.fair_id)).await;
        let mut cities = vec!["上海", "北京", "天津", "深圳"];
        cities.sort();
        assert_eq!(f["cities"], json!(cities));
        assert_eq!(f["industries"].as_array().unwrap().len(), 3);
        let edu: Vec<&str> = f["educations"].as_array().unwrap().iter().map(|e| e["value"].as_str().unwrap()).collect();
        assert_eq!(edu, ["bachelor", "master", "doctor"]);
        let majors: Vec<&str> = f["majors"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect();
        for m in ["计算机", "机械", "金融学", "电子信息", "自动化"] {
            assert!(majors.contains(&m), "{m} in {majors:?}");
        }
    }

    async fn the_list_is_paged_by_twenty_in_name_order(app) {
        let v = app.venue(VenueOptions { employers: 45, ..Default::default() }).await;
        let (s, _) = app.entered_student(v.fair_id, "13800000003").await;
        let p1 = json_of(&s, &list_path(&v, "")).await;
        assert_eq!((p1["total"].as_i64(), p1["pages"].as_i64(), p1["page"].as_i64()), (Some(45), Some(3), Some(1)));
        assert_eq!(p1["page_size"], 20);
        let n1 = names(&p1);
        assert_eq!(n1.len(), 20);
        assert_eq!(n1[0], "测试单位0000");
        assert_eq!(n1[19], "测试单位0019");
        let p2 = names(&json_of(&s, &list_path(&v, "?page=2")).await);
        assert_eq!((p2.len(), p2[0].as_str()), (20, "测试单位0020"));
        let p3 = names(&json_of(&s, &list_path(&v, "?page=3")).await);
        assert_eq!(p3.len(), 5);
        assert_eq!(p3[4], "测试单位0044");
        // Past the end: an empty page, still counted.
        let p9 = json_of(&s, &list_path(&v, "?page=9")).await;
        assert_eq!((p9["items"].as_array().unwrap().len(), p9["total"].as_i64()), (0, Some(45)));
        // Paging a filtered list: 30 with 本科, so two pages.
        let f2 = json_of(&s, &list_path(&v, "?education=bachelor&page=2")).await;
        assert_eq!((f2["pages"].as_i64(), f2["items"].as_array().unwrap().len()), (Some(2), 10));
        let r = s.get(&list_path(&v, "?page=x")).await;
        assert_eq!(error_code(r).await, (422, "bad_query".into()));
    }

    async fn an_employer_shows_its_profile_brochure_and_positions(app) {
        let v = app.venue(VenueOptions::default()).await;
        let e = &v.employers[0];
        let now = fairhall_app::now_ms();
        let brochure: i64 = sqlx::query_scalar(
            "INSERT INTO brochures (employer_id, title, usage_notes, content, created_at, updated_at) \
             VALUES ($1, '2026 校园招聘简章', '', $2, $3, $3) RETURNING id",
        )
        .bind(e.employer_id)
        .bind("欢迎加入我们\n\n<b>待遇优厚</b>")
        .bind(now)
        .fetch_one(app.store.pool())
        .await
        .unwrap();
        exec(&app, "UPDATE registrations SET brochure_id = $1 WHERE id = $2 RETURNING id", &[brochure, e.registration_id]).await;
        let (s, _) = app.entered_student(v.fair_id, "13800000004").await;

        let d = json_of(&s, &format!("/api/v1/fairs/{}/employers/{}", v.fair_id, e.registration_id)).await;
        assert_eq!(d["name"], e.name.as_str());
        assert_eq!(d["description"], "一家测试单位");
        assert_eq!(d["brochure"]["title"], "2026 校园招聘简章");
        assert_eq!(d["brochure"]["blocks"][0]["value"], "欢迎加入我们");
        assert_eq!(d["positions"].as_array().unwrap().len(), 2);
        assert_eq!(d["delivered"], false);
        assert_eq!(d["chat_path"], format!("/f/{}/employers/{}/chat", v.code, e.registration_id));

        // The page renders the brochure escaped, and the positions.
        let html = s.get(&format!("/f/{}/employers/{}", v.code, e.registration_id)).await.text().await.unwrap();
        assert!(html.contains("欢迎加入我们"));
        assert!(html.contains("&lt;b&gt;待遇优厚&lt;/b&gt;") || html.contains("&#60;b&#62;"), "escaped, never HTML");
        assert!(!html.contains("<b>待遇优厚</b>"));
        assert!(html.contains("软件工程师") && html.contains("数据分析师"));
        assert!(html.contains(&format!("/f/{}/employers/{}/chat", v.code, e.registration_id)));

        // A registration that is not approved, or of another fair, is not found.
        let (submitted, _) = other_registration(&app, v.fair_id, "待审核单位", "submitted").await;
        let r = s.get(&format!("/api/v1/fairs/{}/employers/{submitted}", v.fair_id)).await;
        assert_eq!(error_code(r).await, (404, "not_found".into()));
        let other = app.venue(VenueOptions::default()).await;
        let r = s.get(&format!("/api/v1/fairs/{}/employers/{}", v.fair_id, other.employers[0].registration_id)).await;
        assert_eq!(r.status(), 404);
    }

    async fn a_position_is_shown_only_where_it_is_offered(app) {
        let v = app.venue(VenueOptions::default()).await;
        let e = &v.employers[0];
        let (s, _) = app.entered_student(v.fair_id, "13800000005").await;
        let p = json_of(&s, &format!("/api/v1/fairs/{}/positions/{}", v.fair_id, e.positions[0])).await;
        assert_eq!(p["title"], "软件工程师");
        assert_eq!(p["headcount"], 3);
        assert_eq!(p["majors"], json!(["计算机"]));
        assert_eq!(p["employer"]["registration_id"], e.registration_id);
        assert_eq!(p["video"]["state"], "opens_at");
        let html = s.get(&format!("/f/{}/positions/{}", v.code, e.positions[0])).await.text().await.unwrap();
        assert!(html.contains("软件工程师") && html.contains("负责产品研发"));
        assert!(html.contains("data-video-button") && html.contains(" disabled"));

        // The employer's position not chosen for this fair, a deleted one, one of a submitted
        // registration, and one of another fair: all not found.
        let now = fairhall_app::now_ms();
        let unchosen = exec(&app,
            "INSERT INTO positions (employer_id, title, headcount, education, majors, city, created_at, updated_at) \
             VALUES ($1, '未参会职位', 1, 'bachelor', '', '天津', $2, $2) RETURNING id", &[e.employer_id, now]).await;
        exec(&app, "UPDATE positions SET deleted_at = $1 WHERE id = $2 RETURNING id", &[now, e.positions[1]]).await;
        let (_, pending) = other_registration(&app, v.fair_id, "待审核单位", "submitted").await;
        let other = app.venue(VenueOptions::default()).await;
        for id in [unchosen, e.positions[1], pending, other.employers[0].positions[0]] {
            let r = s.get(&format!("/api/v1/fairs/{}/positions/{id}", v.fair_id)).await;
            assert_eq!(error_code(r).await, (404, "not_found".into()), "position {id}");
            let r = s.get(&format!("/f/{}/positions/{id}", v.code)).await;
            assert_eq!(r.status(), 404);
        }
        // A deleted position leaves the employer's list too.
        let d = json_of(&s, &format!("/api/v1/fairs/{}/employers/{}", v.fair_id, e.registration_id)).await;
        assert_eq!(d["positions"].as_array().unwrap().len(), 1);
    }

    async fn a_student_who_has_not_entered_is_refused(app) {
        let v = app.venue(VenueOptions::default()).await;
        let e = &v.employers[0];
        let s = app.student("13800000006").await;
        for path in [
            list_path(&v, ""),
            format!("/api/v1/fairs/{}/employers/filters", v.fair_id),
            format!("/api/v1/fairs/{}/employers/{}", v.fair_id, e.registration_id),
            format!("/api/v1/fairs/{}/positions/{}", v.fair_id, e.positions[0]),
        ] {
            let r = s.get(&path).await;
            assert_eq!(error_code(r).await, (403, "not_entered".into()), "{path}");
        }
        let r = deliver(&s, &v, e.registration_id, None).await;
        assert_eq!(error_code(r).await, (403, "not_entered".into()));
        // Pages send the student to the fair's entry page, with its 报名进入会场 button.
        for path in [
            format!("/f/{}/employers", v.code),
            format!("/f/{}/employers/{}", v.code, e.registration_id),
            format!("/f/{}/positions/{}", v.code, e.positions[0]),
        ] {
            let r = s.get(&path).await;
            assert_eq!(r.status(), 303, "{path}");
            assert_eq!(location(&r), format!("/f/{}", v.code));
        }
        let r = form(&s, &format!("/f/{}/deliver", v.code), &[("registration_id", e.registration_id.to_string())]).await;
        assert_eq!((r.status().as_u16(), location(&r)), (303, format!("/f/{}", v.code)));
        // Entering another fair does not open this one.
        let other = app.venue(VenueOptions::default()).await;
        let sid = app.student_id("13800000006").await;
        app.store.insert_fair_entry(other.fair_id, sid, 90, fairhall_app::now_ms()).await.unwrap();
        assert_eq!(error_code(s.get(&list_path(&v, "")).await).await, (403, "not_entered".into()));
        // No session: sign in first, then come back to the list.
        let r = app.client().get(&format!("/f/{}/employers", v.code)).await;
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), format!("/login?next=/f/{}/employers", v.code));
        let r = app.client().get(&list_path(&v, "")).await;
        assert_eq!(r.status(), 401);
        // Other roles are not students.
        let r = v.hr.get(&list_path(&v, "")).await;
        assert_eq!(error_code(r).await, (403, "forbidden".into()));
        let r = deliver(&v.hr, &v, e.registration_id, None).await;
        assert_eq!(error_code(r).await, (403, "forbidden".into()));
        let r = v.hr.get(&format!("/f/{}/employers", v.code)).await;
        assert_eq!(r.status(), 403);
    }

    async fn a_resume_is_delivered_once_per_employer_and_position(app) {
        let v = app.venue(VenueOptions { employers: 2, ..Default::default() }).await;
        let e = &v.employers[0];
        let (s, _) = app.entered_student(v.fair_id, "13800000007").await;

        let r = deliver(&s, &v, e.registration_id, Some(e.positions[0])).await;
        assert_eq!(r.status(), 201);
        let first: Value = r.json().await.unwrap();
        assert_eq!(first["registration_id"], e.registration_id);
        let r = deliver(&s, &v, e.registration_id, Some(e.positions[0])).await;
        assert_eq!(r.status(), 409);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "already_delivered");
        assert!(body["message"].as_str().unwrap().contains("已"), "{body}");
        // The employer as a whole, and another position: both new.
        assert_eq!(deliver(&s, &v, e.registration_id, None).await.status(), 201);
        assert_eq!(error_code(deliver(&s, &v, e.registration_id, None).await).await, (409, "already_delivered".into()));
        assert_eq!(deliver(&s, &v, e.registration_id, Some(e.positions[1])).await.status(), 201);
        // Another employer's position through this employer, or an employer not approved.
        let r = deliver(&s, &v, e.registration_id, Some(v.employers[1].positions[0])).await;
        assert_eq!(error_code(r).await, (422, "unknown_position".into()));
        let (pending, _) = other_registration(&app, v.fair_id, "待审核单位", "submitted").await;
        assert_eq!(error_code(deliver(&s, &v, pending, None).await).await, (404, "not_found".into()));

        let mine: Vec<Value> = json_of(&s, "/api/v1/deliveries").await.as_array().unwrap().clone();
        assert_eq!(mine.len(), 3);
        assert!(mine.iter().all(|d| d["viewed"] == false && d["employer"] == e.name.as_str()));
        let detail = json_of(&s, &format!("/api/v1/fairs/{}/employers/{}", v.fair_id, e.registration_id)).await;
        assert_eq!(detail["delivered"], true);
        assert_eq!(detail["delivered_position_ids"], json!(e.positions));

        // The page form: new, then already delivered, back to the page it came from.
        let e1 = &v.employers[1];
        let path = format!("/f/{}/deliver", v.code);
        let fields = [
            ("registration_id", e1.registration_id.to_string()),
            ("position_id", e1.positions[0].to_string()),
            ("from", "position".to_string()),
        ];
        let r = form(&s, &path, &fields).await;
        assert_eq!(location(&r), format!("/f/{}/positions/{}?delivered=ok", v.code, e1.positions[0]));
        let r = form(&s, &path, &fields).await;
        assert_eq!(location(&r), format!("/f/{}/positions/{}?delivered=already", v.code, e1.positions[0]));
        let html = s.get(&location(&r)).await.text().await.unwrap();
        assert!(html.contains("无需重复投递"));
        let r = form(&s, &path, &[("registration_id", e1.registration_id.to_string())]).await;
        assert_eq!(location(&r), format!("/f/{}/employers/{}?delivered=ok", v.code, e1.registration_id));
        let html = s.get(&format!("/f/{}/employers/{}", v.code, e1.registration_id)).await.text().await.unwrap();
        assert!(html.contains("已投递"));
        // Without the CSRF token the form is refused.
        let r = s.http.post(s.url(&path)).form(&[("registration_id", e1.registration_id.to_string())]).send().await.unwrap();
        assert_eq!(r.status(), 403);
    }

    async fn nothing_is_delivered_after_the_fair(app) {
        let v = app.venue(VenueOptions { live: (-10 * HOUR, -2 * HOUR), ..Default::default() }).await;
        let (s, _) = app.entered_student(v.fair_id, "13800000008").await;
        let r = deliver(&s, &v, v.employers[0].registration_id, None).await;
        assert_eq!(error_code(r).await, (422, "fair_ended".into()));
        let list = json_of(&s, &list_path(&v, "")).await;
        assert_eq!(list["video"]["state"], "ended");
    }

    async fn the_employer_opens_a_delivery_and_the_student_sees_it_viewed(app) {
        let v = app.venue(VenueOptions { employers: 2, ..Default::default() }).await;
        let e = &v.employers[0];
        let (s, sid) = app.entered_student(v.fair_id, "13800000009").await;
        let id = deliver(&s, &v, e.registration_id, Some(e.positions[0])).await.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let mine = json_of(&s, "/api/v1/deliveries").await;
        assert_eq!((mine[0]["id"].as_i64(), mine[0]["viewed"].as_bool()), (Some(id), Some(false)));

        // The admin and the interviewer both see it, unviewed.
        for c in [&v.hr, &v.interviewer] {
            let got = json_of(c, "/api/v1/employer/deliveries").await;
            assert_eq!(got.as_array().unwrap().len(), 1);
            assert_eq!(got[0]["student_id"], sid);
            assert_eq!(got[0]["position"], "软件工程师");
            assert_eq!(got[0]["viewed"], false);
        }
        let by_fair = json_of(&v.hr, &format!("/api/v1/employer/deliveries?fair_id={}", v.fair_id)).await;
        assert_eq!(by_fair.as_array().unwrap().len(), 1);
        let other_fair = app.venue(VenueOptions::default()).await;
        let none = json_of(&v.hr, &format!("/api/v1/employer/deliveries?fair_id={}", other_fair.fair_id)).await;
        assert_eq!(none.as_array().unwrap().len(), 0);

        // The interviewer opens the page: viewed, and on to the resume.
        let r = v.interviewer.get(&format!("/employer/deliveries/{id}")).await;
        assert_eq!(r.status(), 303);
        assert_eq!(location(&r), format!("/employer/fairs/{}/students/{sid}", v.fair_id));
        let mine = json_of(&s, "/api/v1/deliveries").await;
        assert_eq!(mine[0]["viewed"], true);
        let viewed_at = mine[0]["viewed_at"].as_i64().unwrap();
        let got = json_of(&v.hr, "/api/v1/employer/deliveries").await;
        assert_eq!(got[0]["viewed_by"], "李面试官");
        // Opening again keeps who viewed it first, and when.
        let again = json_of(&v.hr, &format!("/api/v1/employer/deliveries/{id}")).await;
        assert_eq!(again["viewed_at"].as_i64(), Some(viewed_at));
        assert_eq!(again["viewed_by"], v.interviewer_id);
        assert_eq!(again["resume_path"], format!("/employer/fairs/{}/students/{sid}", v.fair_id));

        // The pages: the student's list and the employer's.
        let html = s.get("/student/deliveries").await.text().await.unwrap();
        assert!(html.contains(&e.name) && html.contains("已查看"));
        let html = v.hr.get(&format!("/employer/deliveries?fair={}", v.fair_id)).await.text().await.unwrap();
        assert!(html.contains("软件工程师") && html.contains(&format!("/employer/deliveries/{id}")));
        assert!(html.contains("李面试官"));
    }

    async fn deliveries_stay_with_their_student_and_employer(app) {
        let v = app.venue(VenueOptions::default()).await;
        let e = &v.employers[0];
        let (s, _) = app.entered_student(v.fair_id, "13800000010").await;
        let id = deliver(&s, &v, e.registration_id, None).await.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

        // Another employer (even one in the same fair) sees nothing and cannot open it.
        let other = app.signed_in(Role::EmployerAdmin, "hr@other.cn").await;
        let second = app.venue(VenueOptions::default()).await;
        for c in [&other, &second.hr, &second.interviewer] {
            let got = json_of(c, "/api/v1/employer/deliveries").await;
            assert!(got.as_array().unwrap().is_empty());
            let r = c.get(&format!("/api/v1/employer/deliveries/{id}")).await;
            assert_eq!(error_code(r).await, (404, "not_found".into()));
            let r = c.get(&format!("/employer/deliveries/{id}")).await;
            assert_eq!(r.status(), 404);
        }
        // The employer side is not a student.
        assert_eq!(v.hr.get("/api/v1/deliveries").await.status(), 403);
        // The opening did not happen: still unviewed.
        let mine = json_of(&s, "/api/v1/deliveries").await;
        assert_eq!(mine[0]["viewed"], false);

        // Another student sees none of it, and cannot use the employer side.
        let (t, _) = app.entered_student(v.fair_id, "13800000011").await;
        assert!(json_of(&t, "/api/v1/deliveries").await.as_array().unwrap().is_empty());
        let r = t.get(&format!("/api/v1/employer/deliveries/{id}")).await;
        assert_eq!(error_code(r).await, (403, "forbidden".into()));
        assert_eq!(t.get("/api/v1/employer/deliveries").await.status(), 403);
        let html = t.get("/student/deliveries").await.text().await.unwrap();
        assert!(!html.contains(&e.name));
        // Staff are neither side.
        assert_eq!(v.staff.get("/api/v1/deliveries").await.status(), 403);
        assert_eq!(v.staff.get("/api/v1/employer/deliveries").await.status(), 403);
    }

    async fn the_list_page_renders_names_filters_and_a_disabled_video_button(app) {
        let v = app.venue(VenueOptions { employers: 45, ..Default::default() }).await;
        let fair = app.store.fair(v.fair_id).await.unwrap();
        let (s, _) = app.entered_student(v.fair_id, "13800000012").await;
        let r = s.get(&format!("/f/{}/employers", v.code)).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.unwrap();
        assert!(html.contains("测试单位0000") && html.contains("测试单位0019"));
        assert!(!html.contains("测试单位0020"), "20 a page");
        assert!(html.contains("软件工程师"));
        assert!(html.contains("data-total=\"45\""));
        // Before the fair: visible, disabled, with the time it opens.
        let opens = format!("视频面试 {} 开放", beijing(fair.starts_at));
        assert!(html.contains(&opens), "{opens}");
        assert!(html.contains("disabled data-video-button data-state=\"opens_at\""));
        assert!(!html.contains("data-video-button data-state=\"live\""));
        // The filters are a GET form; paging keeps what was chosen.
        assert!(html.contains(&format!("<form method=\"get\" action=\"/f/{}/employers\"", v.code)));
        assert!(html.contains(&format!("href=\"/f/{}/employers?page=2\"", v.code)));
        let html = s.get(&format!("/f/{}/employers?education=bachelor&city=", v.code)).await.text().await.unwrap();
        assert!(html.contains("data-total=\"30\""));
        assert!(html.contains(&format!("href=\"/f/{}/employers?education=bachelor&#38;page=2\"", v.code)));
        assert!(html.contains("<option value=\"bachelor\" selected>"));
        // A malformed page number shows the first page.
        let r = s.get(&format!("/f/{}/employers?page=x", v.code)).await;
        assert_eq!(r.status(), 200);
    }

    async fn during_the_fair_the_video_button_applies_for_an_interview(app) {
        let v = app.venue(VenueOptions { live: (-HOUR, 7 * HOUR), ..Default::default() }).await;
        let (s, _) = app.entered_student(v.fair_id, "13800000013").await;
        let html = s.get(&format!("/f/{}/employers", v.code)).await.text().await.unwrap();
        assert!(html.contains("class=\"secondary video-button\" data-video-button data-state=\"apply\""));
        assert!(html.contains("申请面试"));
        let list = json_of(&s, &list_path(&v, "")).await;
        assert_eq!((list["video"]["state"].as_str(), list["video"]["enabled"].as_bool()), (Some("live"), Some(true)));
        // Delivering is open during the fair.
        assert_eq!(deliver(&s, &v, v.employers[0].registration_id, None).await.status(), 201);
    }
}
