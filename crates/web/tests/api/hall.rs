//! The interview pages: 视频面试大厅 (面试间 tabs), 求职者大厅 (talent filters and paging), the
//! student's 面试 page, follow-up notices, and the venue's 申请面试 button.

use fairhall_domain::account::Role;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{HOUR, Venue, VenueOptions};
use crate::helpers::{Client, TestApp, error_code};
use crate::ws::{connect, next_of};

fn live() -> VenueOptions {
    VenueOptions {
        live: (-HOUR, 8 * HOUR),
        ..VenueOptions::default()
    }
}

fn hall_path(v: &Venue) -> String {
    format!(
        "/employer/registrations/{}/hall",
        v.employers[0].registration_id
    )
}

fn talents_path(v: &Venue) -> String {
    format!(
        "/employer/registrations/{}/talents",
        v.employers[0].registration_id
    )
}

async fn page(c: &Client, path: &str) -> String {
    let r = c.get(path).await;
    assert_eq!(r.status(), 200, "GET {path}");
    r.text().await.unwrap()
}

async fn post_json(c: &Client, path: &str, body: Value, status: u16) -> Value {
    let r = c.post(path, body).await;
    assert_eq!(r.status(), status, "POST {path}");
    r.json().await.unwrap()
}

/// The student applies; answers the ticket id.
async fn apply(c: &Client, v: &Venue) -> i64 {
    let t = post_json(
        c,
        &format!(
            "/api/v1/fairs/{}/employers/{}/tickets",
            v.fair_id, v.employers[0].registration_id
        ),
        json!({}),
        201,
    )
    .await;
    t["id"].as_i64().unwrap()
}

/// Finishes a ticket as the calls feature would: done, with a verdict and notes.
async fn finish(app: &TestApp, ticket_id: i64, verdict: &str, notes: &str) {
    sqlx::query(
        "UPDATE tickets SET status = 'done', verdict = $1, notes = $2, ended_at = $3 WHERE id = $4",
    )
    .bind(verdict.to_string())
    .bind(notes.to_string())
    .bind(fairhall_app::now_ms())
    .bind(ticket_id)
    .execute(app.store.pool())
    .await
    .unwrap();
}

/// A resume written straight to the store.
async fn resume(
    app: &TestApp,
    student_id: i64,
    name: &str,
    school: &str,
    major: &str,
    degree: &str,
    year: i64,
) {
    sqlx::query(
        "INSERT INTO resumes (user_id, name, school, major, degree, graduation_year, skills, completeness, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'Rust\nSQL', 80, $7)",
    )
    .bind(student_id)
    .bind(name.to_string())
    .bind(school.to_string())
    .bind(major.to_string())
    .bind(degree.to_string())
    .bind(year)
    .bind(fairhall_app::now_ms())
    .execute(app.store.pool())
    .await
    .unwrap();
}

both_backends! {
    async fn the_hall_has_three_tabs_with_empty_states_and_links(app) {
        let v = app.venue(live()).await;
        let html = page(&v.hr, &hall_path(&v)).await;
        assert!(html.contains("视频面试大厅") && html.contains("面试间"));
        assert!(html.contains("待处理") && html.contains("待面试") && html.contains("已面试"));
        assert!(html.contains("暂无待处理的面试申请"));
        assert!(html.contains(&format!("href=\"{}\"", talents_path(&v))));
        assert!(html.contains("求职者大厅") && html.contains("邀约人才"));
        assert!(html.contains("href=\"/devices\"") && html.contains("测试设备"));
        assert!(html.contains("/static/js/hall.js"));
        let html = page(&v.hr, &format!("{}?tab=queued", hall_path(&v))).await;
        assert!(html.contains("暂无待面试的学生"));
        let html = page(&v.interviewer, &format!("{}?tab=done", hall_path(&v))).await;
        assert!(html.contains("还没有已结束的面试"));
        // 我的报名 leads here.
        let mine = page(&v.hr, "/employer/registrations").await;
        assert!(mine.contains(&format!("href=\"{}\"", hall_path(&v))));
    }

    async fn pending_shows_the_resume_then_queued_shows_start_then_done_shows_the_verdict(app) {
        let v = app.venue(live()).await;
        let (s, sid) = app.entered_student(v.fair_id, "13900000001").await;
        resume(&app, sid, "王小明", "天津大学", "软件工程", "bachelor", 2026).await;
        let t = apply(&s, &v).await;
        let html = page(&v.hr, &hall_path(&v)).await;
        assert!(html.contains(&format!("data-ticket-id=\"{t}\" data-status=\"pending\"")));
        assert!(html.contains("王小明") && html.contains("天津大学"));
        assert!(html.contains("resume-view"), "the resume beside the list");
        assert!(html.contains("data-action=\"accept\"") && html.contains("data-action=\"reject\""));
        // Several hosts share one pending list.
        let html = page(&v.interviewer, &hall_path(&v)).await;
        assert!(html.contains(&format!("data-ticket-id=\"{t}\"")));

        post_json(&v.hr, &format!("/api/v1/tickets/{t}/accept"), json!({}), 200).await;
        let html = page(&v.hr, &format!("{}?tab=queued", hall_path(&v))).await;
        assert!(html.contains(&format!("href=\"/interviews/{t}/call?start=1\" aria-disabled=\"true\" data-start-call data-user=\"{sid}\"")));
        assert!(html.contains(&format!("data-presence-user=\"{sid}\"")));
        assert!(html.contains("开始面试"));

        finish(&app, t, "suitable", "基础扎实").await;
        let html = page(&v.hr, &format!("{}?tab=done", hall_path(&v))).await;
        assert!(html.contains("data-verdict=\"suitable\"") && html.contains("合适"));
        assert!(html.contains("基础扎实"));
        assert!(html.contains(&format!("data-notice-for=\"{t}\"")));
        assert!(html.contains("data-notify-all") && html.contains("发送给所有合适的学生"));
    }

    async fn the_hall_and_talents_refuse_the_wrong_users(app) {
        let v = app.venue(live()).await;
        let other = app.venue(live()).await;
        let (s, _) = app.entered_student(v.fair_id, "13900000002").await;
        for path in [hall_path(&v), talents_path(&v)] {
            assert_eq!(s.get(&path).await.status(), 403, "student on {path}");
            assert_eq!(other.hr.get(&path).await.status(), 404, "another employer on {path}");
            assert_eq!(other.interviewer.get(&path).await.status(), 404, "another interviewer on {path}");
            assert_eq!(v.staff.get(&path).await.status(), 403, "staff on {path}");
            let anon = app.client().get(&path).await;
            assert!(anon.status().is_redirection() || anon.status() == 401 || anon.url().path() == "/login", "visitor on {path}");
        }
        // An interviewer of the same employer not chosen for the registration is refused.
        let email = "iv-other@venue.cn";
        app.state
            .create_password_account(Role::Interviewer, email, crate::helpers::PASSWORD, "王面试官", None, Some(v.employers[0].employer_id))
            .await
            .unwrap();
        let mut iv2 = app.client();
        iv2.sign_in(email, crate::helpers::PASSWORD).await;
        assert_eq!(iv2.get(&hall_path(&v)).await.status(), 403);
        assert_eq!(iv2.get(&talents_path(&v)).await.status(), 403);
        // The student page is for students only.
        assert_eq!(v.hr.get("/student/interviews").await.status(), 403);
        assert_eq!(v.staff.get("/student/interviews").await.status(), 403);
    }

    async fn the_talent_hall_lists_filters_and_pages_in_sql(app) {
        let v = app.venue(live()).await;
        let (_, a) = app.entered_student(v.fair_id, "13900000011").await;
        let (_, b) = app.entered_student(v.fair_id, "13900000012").await;
        let (_, c) = app.entered_student(v.fair_id, "13900000013").await;
        resume(&app, a, "张三", "天津大学", "软件工程", "bachelor", 2026).await;
        resume(&app, b, "李四", "南开大学", "金融学", "master", 2025).await;
        resume(&app, c, "赵五", "天津大学", "机械工程", "master", 2026).await;
        // Not in this fair: never listed.
        let (_, d) = app.student_for_other_fair(&v, "13900000014").await;
        resume(&app, d, "钱六", "天津大学", "软件工程", "bachelor", 2026).await;

        let html = page(&v.hr, &talents_path(&v)).await;
        assert!(html.contains("张三") && html.contains("李四") && html.contains("赵五"));
        assert!(!html.contains("钱六"));
        assert!(html.contains("共 3 名学生"));
        assert!(html.contains(&format!("href=\"/employer/fairs/{}/students/{a}\"", v.fair_id)));
        assert!(html.contains(&format!("data-action=\"invite\" data-student-id=\"{a}\"")));
        let names = |html: &str| ["张三", "李四", "赵五"].iter().filter(|n| html.contains(*n)).map(|n| n.to_string()).collect::<Vec<_>>();
        let base = talents_path(&v);
        assert_eq!(names(&page(&v.hr, &format!("{base}?school=天津")).await), ["张三", "赵五"]);
        assert_eq!(names(&page(&v.hr, &format!("{base}?major=金融")).await), ["李四"]);
        assert_eq!(names(&page(&v.hr, &format!("{base}?degree=master")).await), ["李四", "赵五"]);
        assert_eq!(names(&page(&v.hr, &format!("{base}?year=2026&degree=master")).await), ["赵五"]);
        assert_eq!(names(&page(&v.hr, &format!("{base}?q=软件")).await), ["张三"]);
        assert_eq!(names(&page(&v.hr, &format!("{base}?q=rust")).await), ["张三", "李四", "赵五"]);
        let html = page(&v.hr, &format!("{base}?q=%25")).await;
        assert!(html.contains("没有符合条件的学生"), "a typed % matches literally");
        // A bad year is ignored rather than an error.
        assert_eq!(page(&v.hr, &format!("{base}?year=abc")).await.matches("talent-card").count(), 3);

        // Invited: the card says so.
        post_json(&v.hr, &format!("/api/v1/employer/registrations/{}/invitations", v.employers[0].registration_id), json!({"student_id": a}), 201).await;
        let html = page(&v.interviewer, &format!("{base}?q=张三")).await;
        assert!(html.contains("data-state=\"pending\"") && html.contains("已邀约"));
        assert!(!html.contains(&format!("data-action=\"invite\" data-student-id=\"{a}\"")));

        // 20 a page.
        let now = fairhall_app::now_ms();
        for i in 0..22 {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (role, phone, display_name, created_at) VALUES ('student', $1, $2, $3) RETURNING id",
            )
            .bind(format!("1370000{i:04}"))
            .bind(format!("批量学生{i:02}"))
            .bind(now)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
            app.store.insert_fair_entry(v.fair_id, id, 70, now - 1000 - i).await.unwrap();
        }
        let html = page(&v.hr, &base).await;
        assert_eq!(html.matches("class=\"talent-card\"").count(), 20);
        assert!(html.contains("共 25 名学生") && html.contains("1 / 2"));
        let html = page(&v.hr, &format!("{base}?page=2")).await;
        assert_eq!(html.matches("class=\"talent-card\"").count(), 5);
        let html = page(&v.hr, &format!("{base}?page=999999999999")).await;
        assert!(html.contains("没有符合条件的学生"));
    }

    async fn the_talent_hall_answers_json_with_the_same_filters_and_rights(app) {
        let v = app.venue(live()).await;
        let other = app.venue(live()).await;
        let (s, a) = app.entered_student(v.fair_id, "13900000031").await;
        let (_, b) = app.entered_student(v.fair_id, "13900000032").await;
        resume(&app, a, "张三", "天津大学", "软件工程", "bachelor", 2026).await;
        resume(&app, b, "李四", "南开大学", "金融学", "master", 2025).await;
        let rid = v.employers[0].registration_id;
        let path = format!("/api/v1/employer/registrations/{rid}/talents");
        let list = |c: &Client, q: &str| {
            let (c, url) = (c.clone(), format!("{path}{q}"));
            async move {
                let r = c.get(&url).await;
                assert_eq!(r.status(), 200, "GET {url}");
                r.json::<Value>().await.unwrap()
            }
        };
        let names = |v: &Value| v["items"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap().to_string()).collect::<Vec<_>>();
        let all = list(&v.hr, "").await;
        assert_eq!((all["total"].as_i64(), all["pages"].as_i64(), all["page_size"].as_i64()), (Some(2), Some(1), Some(20)));
        assert_eq!(all["fair_id"], v.fair_id);
        let mut got = names(&all);
        got.sort();
        assert_eq!(got, ["张三", "李四"]);
        assert_eq!(names(&list(&v.hr, "?degree=master").await), ["李四"]);
        assert_eq!(names(&list(&v.hr, "?degree=%E7%A1%95%E5%A3%AB").await), ["李四"], "硕士, as the label");
        assert_eq!(names(&list(&v.hr, "?school=%E5%A4%A9%E6%B4%A5&graduation_year=2026").await), ["张三"]);
        assert_eq!(list(&v.hr, "?q=%E8%BD%AF%E4%BB%B6").await["items"][0]["student_id"], a);
        // Bad queries are refused with a reason.
        assert_eq!(error_code(v.hr.get(&format!("{path}?degree=phd")).await).await, (422, "bad_query".into()));
        assert_eq!(error_code(v.hr.get(&format!("{path}?graduation_year=abc")).await).await, (422, "bad_query".into()));
        // An invitation shows on the student's card, for every host of the registration.
        post_json(&v.hr, &format!("/api/v1/employer/registrations/{rid}/invitations"), json!({"student_id": a}), 201).await;
        let card = list(&v.interviewer, "?q=%E5%BC%A0%E4%B8%89").await["items"][0].clone();
        assert_eq!((card["student_id"].as_i64(), card["ticket_status"].as_str()), (Some(a), Some("pending")));
        assert!(card["ticket_id"].as_i64().is_some());
        // The wrong users.
        assert_eq!(s.get(&path).await.status(), 403, "a student");
        assert_eq!(v.staff.get(&path).await.status(), 403, "staff");
        assert_eq!(other.hr.get(&path).await.status(), 404, "another employer");
        assert_eq!(other.interviewer.get(&path).await.status(), 404, "another employer's interviewer");
        assert_eq!(app.client().get(&path).await.status(), 401, "a visitor");
    }

    async fn a_notice_goes_to_one_done_student_and_only_from_a_host(app) {
        let v = app.venue(live()).await;
        let other = app.venue(live()).await;
        let (s, _) = app.entered_student(v.fair_id, "13900000021").await;
        let (s2, _) = app.entered_student(v.fair_id, "13900000022").await;
        let t = apply(&s, &v).await;
        let path = format!("/api/v1/tickets/{t}/notices");
        // Not done yet.
        assert_eq!(error_code(v.hr.post(&path, json!({"body": "请等待"})).await).await, (409, "ticket_not_done".into()));
        post_json(&v.hr, &format!("/api/v1/tickets/{t}/accept"), json!({}), 200).await;
        finish(&app, t, "unsuitable", "").await;
        // Bad bodies.
        assert_eq!(error_code(v.hr.post(&path, json!({"body": "  "})).await).await, (422, "notice_required".into()));
        assert_eq!(error_code(v.hr.post(&path, json!({"body": "好".repeat(501)})).await).await, (422, "notice_too_long".into()));
        // The wrong users.
        assert_eq!(s.post(&path, json!({"body": "x"})).await.status(), 403);
        assert_eq!(s2.post(&path, json!({"body": "x"})).await.status(), 403);
        assert_eq!(other.hr.post(&path, json!({"body": "x"})).await.status(), 404);
        assert_eq!(other.interviewer.post(&path, json!({"body": "x"})).await.status(), 404);
        assert_eq!(v.staff.post(&path, json!({"body": "x"})).await.status(), 403);
        // The host sends it.
        let n = post_json(&v.interviewer, &path, json!({"body": "感谢参加，期待下次合作"}), 201).await;
        assert_eq!(n["ticket_id"], t);
        let mine = s.get("/api/v1/ticket-notices").await.json::<Value>().await.unwrap();
        assert_eq!(mine["items"].as_array().unwrap().len(), 1);
        assert_eq!(mine["items"][0]["body"], "感谢参加，期待下次合作");
        // Another student sees nothing; employers may not list.
        let theirs = s2.get("/api/v1/ticket-notices").await.json::<Value>().await.unwrap();
        assert!(theirs["items"].as_array().unwrap().is_empty());
        assert_eq!(v.hr.get("/api/v1/ticket-notices").await.status(), 403);
        // An in-app notification, with the link to 面试.
        let list = s.get("/api/v1/notifications").await.json::<Value>().await.unwrap();
        assert!(list.to_string().contains("感谢参加，期待下次合作"));
        // The student's page shows it; the hall shows it was sent.
        let html = page(&s, "/student/interviews").await;
        assert!(html.contains("感谢参加，期待下次合作"));
        assert!(!html.contains("等待企业通知"));
        let html = page(&v.hr, &format!("{}?tab=done", hall_path(&v))).await;
        assert!(html.contains("感谢参加，期待下次合作"));
    }


    async fn a_notice_reaches_an_online_student_live(app) {
        let v = app.venue(live()).await;
        let (s, _) = app.entered_student(v.fair_id, "13900000061").await;
        let t = apply(&s, &v).await;
        post_json(&v.hr, &format!("/api/v1/tickets/{t}/accept"), json!({}), 200).await;
        finish(&app, t, "suitable", "").await;
        let mut ws = connect(&app, Some(&s), &app.base).await.unwrap();
        next_of(&mut ws, "hello").await;
        post_json(&v.hr, &format!("/api/v1/employer/registrations/{}/notices", v.employers[0].registration_id), json!({"body": "恭喜通过初面"}), 201).await;
        let pushed = next_of(&mut ws, "notification").await;
        assert_eq!(pushed["kind"], "ticket_notice");
        assert_eq!(pushed["body"], "恭喜通过初面");
        assert!(pushed["title"].as_str().unwrap().contains(&v.employers[0].name));
    }

    async fn one_notice_goes_to_everyone_marked_suitable(app) {
        let v = app.venue(live()).await;
        let other = app.venue(live()).await;
        let reg = v.employers[0].registration_id;
        let path = format!("/api/v1/employer/registrations/{reg}/notices");
        assert_eq!(error_code(v.hr.post(&path, json!({"body": "二面通知"})).await).await, (409, "no_suitable".into()));
        let mut students = Vec::new();
        for (i, verdict) in ["suitable", "suitable", "unsuitable"].iter().enumerate() {
            let (s, _) = app.entered_student(v.fair_id, &format!("1390000003{i}")).await;
            let t = apply(&s, &v).await;
            post_json(&v.hr, &format!("/api/v1/tickets/{t}/accept"), json!({}), 200).await;
            finish(&app, t, verdict, "").await;
            students.push(s);
        }
        assert_eq!(students[0].post(&path, json!({"body": "x"})).await.status(), 403);
        assert_eq!(other.hr.post(&path, json!({"body": "x"})).await.status(), 404);
        assert_eq!(error_code(v.hr.post(&path, json!({"body": ""})).await).await, (422, "notice_required".into()));
        let sent = post_json(&v.hr, &path, json!({"body": "请于周五参加二面"}), 201).await;
        assert_eq!(sent["sent"], 2);
        for (i, s) in students.iter().enumerate() {
            let mine = s.get("/api/v1/ticket-notices").await.json::<Value>().await.unwrap();
            assert_eq!(mine["items"].as_array().unwrap().len(), usize::from(i < 2), "student {i}");
        }
        let html = page(&students[2], "/student/interviews").await;
        assert!(html.contains("等待企业通知"));
    }

    async fn the_student_page_lists_invitations_applications_queue_and_finished(app) {
        let v = app.venue(live()).await;
        let (s, sid) = app.entered_student(v.fair_id, "13900000041").await;
        let (s2, _) = app.entered_student(v.fair_id, "13900000042").await;
        let html = page(&s, "/student/interviews").await;
        assert!(html.contains("还没有面试"));
        assert!(html.contains("href=\"/student/interviews\" class=\"active\""), "the tab bar's 面试 is on");
        // An invitation.
        let reg = v.employers[0].registration_id;
        let t = post_json(&v.hr, &format!("/api/v1/employer/registrations/{reg}/invitations"), json!({"student_id": sid}), 201).await["id"].as_i64().unwrap();
        let html = page(&s, "/student/interviews").await;
        assert!(html.contains("面试邀约") && html.contains("data-action=\"accept-invitation\"") && html.contains("婉拒"));
        assert!(html.contains(&v.employers[0].name));
        // Another student sees none of it.
        let other = page(&s2, "/student/interviews").await;
        assert!(!other.contains(&format!("data-ticket-id=\"{t}\"")));
        // Accepted: 待面试 with the employer's presence, 开始面试 and 测试设备.
        post_json(&s, &format!("/api/v1/tickets/{t}/accept"), json!({}), 200).await;
        let html = page(&s, "/student/interviews").await;
        let hosts = format!("data-presence-users=\"{}\"", {
            let mut h = [v.interviewer_id, app.store.employer_admin_ids(v.employers[0].employer_id).await.unwrap()[0]];
            h.sort_unstable();
            h.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        });
        assert!(html.contains(&hosts), "{hosts}");
        assert!(html.contains(&format!("href=\"/interviews/{t}/call?start=1\" aria-disabled=\"true\" data-start-call")));
        assert!(html.contains("href=\"/devices\""));
        assert!(html.contains("data-action=\"cancel\""));
        // Finished without a notice yet.
        finish(&app, t, "suitable", "内部备注").await;
        let html = page(&s, "/student/interviews").await;
        assert!(html.contains("等待企业通知"));
        assert!(!html.contains("内部备注"), "the notes are the employer's");
        // A pending application, then a rejection.
        let v2 = app.venue(live()).await;
        app.store.insert_fair_entry(v2.fair_id, sid, 80, fairhall_app::now_ms()).await.unwrap();
        let t2 = apply(&s, &v2).await;
        let html = page(&s, "/student/interviews").await;
        assert!(html.contains("我的申请") && html.contains("等待企业处理"));
        post_json(&v2.hr, &format!("/api/v1/tickets/{t2}/reject"), json!({"reason": "岗位已招满"}), 200).await;
        let html = page(&s, "/student/interviews").await;
        assert!(html.contains("未通过") && html.contains("岗位已招满"));
    }

    async fn the_video_button_applies_then_shows_the_ticket_and_a_rejection_is_final(app) {
        let before = app.venue(VenueOptions::default()).await;
        let (s0, _) = app.entered_student(before.fair_id, "13900000051").await;
        let html = page(&s0, &format!("/f/{}/employers/{}", before.code, before.employers[0].registration_id)).await;
        assert!(html.contains("disabled data-video-button data-state=\"opens_at\""));
        assert!(!html.contains("data-apply"));

        let v = app.venue(live()).await;
        let (s, _) = app.entered_student(v.fair_id, "13900000052").await;
        let reg = v.employers[0].registration_id;
        let employer = format!("/f/{}/employers/{reg}", v.code);
        let position = format!("/f/{}/positions/{}", v.code, v.employers[0].positions[0]);
        for path in [&employer, &position, &format!("/f/{}/employers", v.code)] {
            let html = page(&s, path).await;
            assert!(html.contains("data-state=\"apply\""), "{path}");
            assert!(html.contains("data-apply") && html.contains("申请面试"), "{path}");
            assert!(html.contains("/static/js/interviews.js"), "{path}");
        }
        let t = apply(&s, &v).await;
        let html = page(&s, &employer).await;
        assert!(html.contains("disabled data-video-button data-state=\"pending\"") && html.contains("已申请，等待处理"));
        post_json(&v.hr, &format!("/api/v1/tickets/{t}/accept"), json!({}), 200).await;
        assert!(page(&s, &position).await.contains("disabled data-video-button data-state=\"queued\""));
        // Cancelled: may apply again.
        post_json(&s, &format!("/api/v1/tickets/{t}/cancel"), json!({"reason": "时间冲突"}), 200).await;
        assert!(page(&s, &employer).await.contains("data-state=\"apply\""));
        let t = apply(&s, &v).await;
        post_json(&v.hr, &format!("/api/v1/tickets/{t}/reject"), json!({}), 200).await;
        for path in [&employer, &position, &format!("/f/{}/employers", v.code)] {
            let html = page(&s, path).await;
            assert!(html.contains("disabled data-video-button data-state=\"rejected\""), "{path}");
            assert!(html.contains("已被拒绝，不能再申请"), "{path}");
        }
    }
}

impl TestApp {
    /// A student who entered another fair than `v`'s.
    async fn student_for_other_fair(&self, _v: &Venue, phone: &str) -> (Client, i64) {
        let other = self.venue(VenueOptions::default()).await;
        self.entered_student(other.fair_id, phone).await
    }
}
