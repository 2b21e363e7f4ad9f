//! Fair sign-up (报名), review, changes by staff with the audit log, 我的报名.

use fairhall_domain::account::Role;
use fairhall_store::fairs::Fair;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Backend, Client, PASSWORD, TestApp, error_code};

const HOUR: i64 = 3_600_000;

/// Everything a sign-up needs: an organizer with staff and a fair open for sign-up, an
/// employer that joined it, with two positions, an interviewer and a brochure.
struct World {
    staff: Client,
    hr: Client,
    fair_id: i64,
    organizer_id: i64,
    employer_id: i64,
    positions: Vec<i64>,
    interviewer_id: i64,
    brochure_id: i64,
}

async fn exec(app: &TestApp, sql: &str, binds: &[i64]) -> i64 {
    let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_string()));
    for b in binds {
        q = q.bind(*b);
    }
    q.fetch_one(app.store.pool()).await.unwrap()
}

async fn fair(app: &TestApp, organizer_id: i64, signup: (i64, i64), limit: Option<i64>) -> i64 {
    let now = fairhall_app::now_ms();
    app.store
        .insert_fair(&Fair {
            id: 0,
            organizer_id,
            title: "2026 秋季视频双选会".into(),
            details: "详情".into(),
            signup_opens_at: signup.0,
            signup_closes_at: signup.1,
            starts_at: now + 48 * HOUR,
            ends_at: now + 56 * HOUR,
            min_completeness: 70,
            employer_limit: limit,
            entry_code: format!("c{:08x}", rand::random::<u32>()),
            created_at: now,
        })
        .await
        .unwrap()
}

/// An employer admin (signed in) whose employer has `join` status at `organizer_id`.
async fn employer(app: &TestApp, email: &str, organizer_id: i64, join: &str) -> (Client, i64) {
    let hr = app.signed_in(Role::EmployerAdmin, email).await;
    let employer_id = app
        .store
        .credentials_by_email(email)
        .await
        .unwrap()
        .unwrap()
        .user
        .employer_id
        .unwrap();
    let now = fairhall_app::now_ms();
    exec(
        app,
        &format!("INSERT INTO join_requests (employer_id, organizer_id, status, submitted_at) VALUES ($1, $2, '{join}', $3) RETURNING id"),
        &[employer_id, organizer_id, now],
    )
    .await;
    (hr, employer_id)
}

async fn position(app: &TestApp, employer_id: i64, title: &str) -> i64 {
    let now = fairhall_app::now_ms();
    sqlx::query_scalar(
        "INSERT INTO positions (employer_id, title, headcount, education, majors, city, created_at, updated_at) \
         VALUES ($1, $2, 2, '本科', '计算机', '天津', $3, $3) RETURNING id",
    )
    .bind(employer_id)
    .bind(title)
    .bind(now)
    .fetch_one(app.store.pool())
    .await
    .unwrap()
}

async fn world(app: &TestApp) -> World {
    let staff = app.signed_in(Role::OrganizerStaff, "staff@tju.cn").await;
    let organizer_id = app
        .store
        .credentials_by_email("staff@tju.cn")
        .await
        .unwrap()
        .unwrap()
        .user
        .organizer_id
        .unwrap();
    let now = fairhall_app::now_ms();
    let fair_id = fair(app, organizer_id, (now - HOUR, now + 24 * HOUR), None).await;
    let (hr, employer_id) = employer(app, "hr@acme.cn", organizer_id, "approved").await;
    let positions = vec![
        position(app, employer_id, "前端工程师").await,
        position(app, employer_id, "测试工程师").await,
    ];
    let interviewer_id = app
        .state
        .create_password_account(
            Role::Interviewer,
            "iv@acme.cn",
            PASSWORD,
            "李面试官",
            None,
            Some(employer_id),
        )
        .await
        .unwrap()
        .id;
    let brochure_id: i64 = sqlx::query_scalar(
        "INSERT INTO brochures (employer_id, title, usage_notes, content, created_at, updated_at) \
         VALUES ($1, '2026 校园招聘简章', '', '欢迎加入', $2, $2) RETURNING id",
    )
    .bind(employer_id)
    .bind(now)
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    World {
        staff,
        hr,
        fair_id,
        organizer_id,
        employer_id,
        positions,
        interviewer_id,
        brochure_id,
    }
}

fn input(w: &World) -> Value {
    json!({
        "position_ids": w.positions,
        "interviewer_ids": [w.interviewer_id],
        "contact_name": "王经理",
        "contact_phone": "022-12345678",
        "brochure_id": w.brochure_id,
    })
}

async fn sign_up(w: &World) -> i64 {
    let r =
        w.hr.post(
            &format!("/api/v1/employer/fairs/{}/registrations", w.fair_id),
            input(w),
        )
        .await;
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn mine(c: &Client) -> Vec<Value> {
    c.get("/api/v1/employer/registrations")
        .await
        .json()
        .await
        .unwrap()
}

both_backends! {
    async fn an_employer_signs_up_and_the_organizer_approves(app) {
        let w = world(&app).await;
        let list: Vec<Value> = w.hr.get("/api/v1/employer/fairs").await.json().await.unwrap();
        let f = list.iter().find(|f| f["id"] == w.fair_id).expect("the fair is listed");
        assert_eq!((f["join_status"].as_str(), f["can_sign_up"].as_bool()), (Some("approved"), Some(true)));

        let id = sign_up(&w).await;
        assert_eq!(mine(&w.hr).await[0]["status"], "submitted");
        let queue: Vec<Value> = w.staff.get("/api/v1/staff/registrations?status=submitted").await.json().await.unwrap();
        assert_eq!(queue.len(), 1);
        let detail: Value = w.staff.get(&format!("/api/v1/staff/registrations/{id}")).await.json().await.unwrap();
        assert_eq!(detail["positions"].as_array().unwrap().len(), 2);
        assert_eq!(detail["interviewers"][0]["name"], "李面试官");
        assert_eq!(detail["brochure"], "2026 校园招聘简章");

        let r = w.staff.post(&format!("/api/v1/staff/registrations/{id}/approve"), json!({})).await;
        assert_eq!(r.status(), 204);
        assert_eq!(mine(&w.hr).await[0]["status"], "approved");
        let n: Value = w.hr.get("/api/v1/notifications").await.json().await.unwrap();
        assert_eq!(n["items"][0]["kind"], "registration_approved");
        let outbox = app.store.outbox_recent(10).await.unwrap();
        assert!(outbox.iter().any(|m| m.channel.as_str() == "email" && m.recipient == "hr@acme.cn" && m.subject.contains("通过")));
        // Approving twice is an illegal transition.
        let r = w.staff.post(&format!("/api/v1/staff/registrations/{id}/approve"), json!({})).await;
        assert_eq!(error_code(r).await, (422, "invalid_transition".into()));
        // The interviewer sees it in 我的报名 too.
        let mut iv = app.client();
        iv.sign_in("iv@acme.cn", PASSWORD).await;
        assert_eq!(mine(&iv).await.len(), 1);
    }

    async fn an_employer_that_has_not_joined_cannot_sign_up(app) {
        let w = world(&app).await;
        let (pending, _) = employer(&app, "hr@pending.cn", w.organizer_id, "pending").await;
        let r = pending.post(&format!("/api/v1/employer/fairs/{}/registrations", w.fair_id), input(&w)).await;
        assert_eq!(error_code(r).await, (409, "not_joined".into()));
        let (rejected, _) = employer(&app, "hr@rejected.cn", w.organizer_id, "rejected").await;
        let r = rejected.post(&format!("/api/v1/employer/fairs/{}/registrations", w.fair_id), input(&w)).await;
        assert_eq!(error_code(r).await, (409, "not_joined".into()));
        let never = app.signed_in(Role::EmployerAdmin, "hr@never.cn").await;
        let r = never.post(&format!("/api/v1/employer/fairs/{}/registrations", w.fair_id), input(&w)).await;
        assert_eq!(error_code(r).await, (409, "not_joined".into()));
    }

    async fn sign_up_outside_the_window_is_refused(app) {
        let mut w = world(&app).await;
        let now = fairhall_app::now_ms();
        w.fair_id = fair(&app, w.organizer_id, (now + HOUR, now + 2 * HOUR), None).await;
        let r = w.hr.post(&format!("/api/v1/employer/fairs/{}/registrations", w.fair_id), input(&w)).await;
        assert_eq!(error_code(r).await, (422, "signup_not_open".into()));
        w.fair_id = fair(&app, w.organizer_id, (now - 2 * HOUR, now - HOUR), None).await;
        let r = w.hr.post(&format!("/api/v1/employer/fairs/{}/registrations", w.fair_id), input(&w)).await;
        assert_eq!(error_code(r).await, (422, "signup_closed".into()));
    }

    async fn bad_choices_are_refused_beside_their_field(app) {
        let w = world(&app).await;
        let url = format!("/api/v1/employer/fairs/{}/registrations", w.fair_id);
        let mut body = input(&w);
        body["position_ids"] = json!([]);
        let r: Value = w.hr.post(&url, body).await.json().await.unwrap();
        assert_eq!((r["code"].as_str(), r["field"].as_str()), (Some("positions_required"), Some("position_ids")));

        // Another employer's position and interviewer are not choosable.
        let (_, other) = employer(&app, "hr@other.cn", w.organizer_id, "approved").await;
        let foreign = position(&app, other, "别人的职位").await;
        let mut body = input(&w);
        body["position_ids"] = json!([foreign]);
        assert_eq!(error_code(w.hr.post(&url, body).await).await, (422, "unknown_position".into()));
        let other_admin = app.store.employer_admin_ids(other).await.unwrap()[0];
        let mut body = input(&w);
        body["interviewer_ids"] = json!([other_admin]);
        assert_eq!(error_code(w.hr.post(&url, body).await).await, (422, "unknown_interviewer".into()));
        let mut body = input(&w);
        body["contact_phone"] = json!("12");
        let r: Value = w.hr.post(&url, body).await.json().await.unwrap();
        assert_eq!(r["field"], "contact_phone");
        assert!(mine(&w.hr).await.is_empty(), "nothing was saved");
    }

    async fn an_approved_registration_is_locked_for_the_employer(app) {
        let w = world(&app).await;
        let id = sign_up(&w).await;
        let mut body = input(&w);
        body["position_ids"] = json!([w.positions[0]]);
        let r = w.hr.http.put(w.hr.url(&format!("/api/v1/employer/registrations/{id}")))
            .header("x-csrf-token", w.hr.csrf.clone().unwrap()).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 204, "editable while pending");
        w.staff.post(&format!("/api/v1/staff/registrations/{id}/approve"), json!({})).await;
        let r = w.hr.http.put(w.hr.url(&format!("/api/v1/employer/registrations/{id}")))
            .header("x-csrf-token", w.hr.csrf.clone().unwrap()).json(&input(&w)).send().await.unwrap();
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "registration_locked");
        assert!(body["message"].as_str().unwrap().contains("联系双选会主办方"));
        // Signing up again for the same fair is the same refusal.
        let r = w.hr.post(&format!("/api/v1/employer/fairs/{}/registrations", w.fair_id), input(&w)).await;
        assert_eq!(error_code(r).await, (422, "registration_locked".into()));
    }

    async fn a_rejection_needs_a_reason_and_the_employer_can_resubmit(app) {
        let w = world(&app).await;
        let id = sign_up(&w).await;
        let r = w.staff.post(&format!("/api/v1/staff/registrations/{id}/reject"), json!({"reason": " "})).await;
        assert_eq!(error_code(r).await, (422, "reason_required".into()));
        let r = w.staff.post(&format!("/api/v1/staff/registrations/{id}/reject"), json!({"reason": "请补充招聘职位的薪资"})).await;
        assert_eq!(r.status(), 204);
        let listed = mine(&w.hr).await;
        assert_eq!((listed[0]["status"].as_str(), listed[0]["reason"].as_str()), (Some("rejected"), Some("请补充招聘职位的薪资")));
        let n: Value = w.hr.get("/api/v1/notifications").await.json().await.unwrap();
        assert_eq!(n["items"][0]["kind"], "registration_rejected");
        assert_eq!(sign_up(&w).await, id, "resubmitting reuses the registration");
        let listed = mine(&w.hr).await;
        assert_eq!(listed[0]["status"], "submitted");
        assert!(listed[0]["reason"].is_null());
    }

    async fn a_rejected_registration_cannot_be_resubmitted_after_sign_up_closes(app) {
        let w = world(&app).await;
        let id = sign_up(&w).await;
        w.staff.post(&format!("/api/v1/staff/registrations/{id}/reject"), json!({"reason": "请补充职位信息"})).await;
        let now = fairhall_app::now_ms();
        sqlx::query("UPDATE fairs SET signup_closes_at = $1 WHERE id = $2")
            .bind(now - 1000)
            .bind(w.fair_id)
            .execute(app.store.pool())
            .await
            .unwrap();
        let r = w.hr.http.put(w.hr.url(&format!("/api/v1/employer/registrations/{id}")))
            .header("x-csrf-token", w.hr.csrf.clone().unwrap()).json(&input(&w)).send().await.unwrap();
        assert_eq!(error_code(r).await, (422, "signup_closed".into()));
        assert_eq!(mine(&w.hr).await[0]["status"], "rejected");
    }

    async fn a_fair_full_of_employers_refuses_another_approval(app) {
        let mut w = world(&app).await;
        let now = fairhall_app::now_ms();
        w.fair_id = fair(&app, w.organizer_id, (now - HOUR, now + HOUR), Some(1)).await;
        let first = sign_up(&w).await;
        let (hr2, e2) = employer(&app, "hr@second.cn", w.organizer_id, "approved").await;
        let p2 = position(&app, e2, "产品经理").await;
        let admin2 = app.store.employer_admin_ids(e2).await.unwrap()[0];
        let r = hr2.post(&format!("/api/v1/employer/fairs/{}/registrations", w.fair_id), json!({
            "position_ids": [p2], "interviewer_ids": [admin2], "contact_name": "赵", "contact_phone": "13900000000"
        })).await;
        let second = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        assert_eq!(w.staff.post(&format!("/api/v1/staff/registrations/{first}/approve"), json!({})).await.status(), 204);
        let r = w.staff.post(&format!("/api/v1/staff/registrations/{second}/approve"), json!({})).await;
        assert_eq!(error_code(r).await, (422, "fair_full".into()));
    }

    async fn a_fair_limit_cannot_drop_below_the_employers_already_approved(app) {
        let w = world(&app).await;
        let first = sign_up(&w).await;
        let (hr2, e2) = employer(&app, "hr@second.cn", w.organizer_id, "approved").await;
        let p2 = position(&app, e2, "产品经理").await;
        let admin2 = app.store.employer_admin_ids(e2).await.unwrap()[0];
        let r = hr2.post(&format!("/api/v1/employer/fairs/{}/registrations", w.fair_id), json!({
            "position_ids": [p2], "interviewer_ids": [admin2], "contact_name": "赵", "contact_phone": "13900000000"
        })).await;
        let second = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        for id in [first, second] {
            w.staff.post(&format!("/api/v1/staff/registrations/{id}/approve"), json!({})).await;
        }
        let f = app.store.fair_for_signup(w.fair_id).await.unwrap().unwrap();
        let body = |limit: i64| json!({
            "title": f.title, "details": "详情",
            "signup_opens_at": f.signup_opens_at, "signup_closes_at": f.signup_closes_at,
            "starts_at": f.starts_at, "ends_at": f.ends_at, "min_completeness": 70,
            "employer_limit": limit,
        });
        let put = |b: Value| {
            w.staff.http.put(w.staff.url(&format!("/api/v1/staff/fairs/{}", w.fair_id)))
                .header("x-csrf-token", w.staff.csrf.clone().unwrap()).json(&b).send()
        };
        let r: Value = put(body(1)).await.unwrap().json().await.unwrap();
        assert_eq!((r["code"].as_str(), r["field"].as_str()), (Some("limit_below_approved"), Some("employer_limit")));
        assert_eq!(put(body(2)).await.unwrap().status(), 200, "equal to the approved count is fine");
    }

    async fn staff_changes_to_an_approved_registration_are_logged(app) {
        let w = world(&app).await;
        let id = sign_up(&w).await;
        let url = format!("/api/v1/staff/registrations/{id}");
        let put = |body: Value| {
            w.staff.http.put(w.staff.url(&url)).header("x-csrf-token", w.staff.csrf.clone().unwrap()).json(&body).send()
        };
        let mut body = input(&w);
        body["note"] = json!("单位来电");
        assert_eq!(error_code(put(body.clone()).await.unwrap()).await, (422, "invalid_transition".into()), "pending ones are reviewed, not edited");
        w.staff.post(&format!("/api/v1/staff/registrations/{id}/approve"), json!({})).await;
        assert_eq!(error_code(put(body.clone()).await.unwrap()).await, (422, "nothing_changed".into()));
        body["position_ids"] = json!([w.positions[1]]);
        body["contact_name"] = json!("刘经理");
        assert_eq!(put(body).await.unwrap().status(), 204);
        let d: Value = w.staff.get(&url).await.json().await.unwrap();
        assert_eq!(d["status"], "approved");
        assert_eq!(d["contact_name"], "刘经理");
        let change = d["changes"].as_array().unwrap().iter().find(|c| c["action"] == "staff_edit").expect("logged");
        assert_eq!(change["before"]["positions"], json!(["前端工程师", "测试工程师"]));
        assert_eq!(change["after"]["positions"], json!(["测试工程师"]));
        assert_eq!(change["before"]["contact_name"], "王经理");
        assert_eq!(change["note"], "单位来电");
        assert_eq!(change["actor"], "测试用户");
        let n: Value = w.hr.get("/api/v1/notifications").await.json().await.unwrap();
        assert_eq!(n["items"][0]["kind"], "registration_changed");
    }

    async fn other_tenants_and_roles_are_kept_out(app) {
        let w = world(&app).await;
        let id = sign_up(&w).await;
        let other_staff = app.signed_in(Role::OrganizerStaff, "staff@other.cn").await;
        assert_eq!(other_staff.get(&format!("/api/v1/staff/registrations/{id}")).await.status(), 404);
        assert_eq!(other_staff.post(&format!("/api/v1/staff/registrations/{id}/approve"), json!({})).await.status(), 404);
        assert_eq!(other_staff.post(&format!("/api/v1/staff/registrations/{id}/reject"), json!({"reason": "不合适的原因"})).await.status(), 404);
        let queue: Vec<Value> = other_staff.get("/api/v1/staff/registrations").await.json().await.unwrap();
        assert!(queue.is_empty());

        let other_hr = app.signed_in(Role::EmployerAdmin, "hr@stranger.cn").await;
        let r = other_hr.http.put(other_hr.url(&format!("/api/v1/employer/registrations/{id}")))
            .header("x-csrf-token", other_hr.csrf.clone().unwrap()).json(&input(&w)).send().await.unwrap();
        assert_eq!(r.status(), 404);
        assert!(mine(&other_hr).await.is_empty());

        let student = app.student("13800000123").await;
        assert_eq!(student.get("/api/v1/employer/fairs").await.status(), 403);
        assert_eq!(student.get("/api/v1/staff/registrations").await.status(), 403);
        assert_eq!(student.get("/api/v1/employer/registrations").await.status(), 403);
        assert_eq!(w.hr.get("/api/v1/staff/registrations").await.status(), 403);
        assert_eq!(w.hr.post(&format!("/api/v1/staff/registrations/{id}/approve"), json!({})).await.status(), 403);
        assert_eq!(w.staff.post(&format!("/api/v1/employer/fairs/{}/registrations", w.fair_id), input(&w)).await.status(), 403);
        let mut iv = app.client();
        iv.sign_in("iv@acme.cn", PASSWORD).await;
        assert_eq!(iv.post(&format!("/api/v1/employer/fairs/{}/registrations", w.fair_id), input(&w)).await.status(), 403);
        assert_eq!(app.client().get("/api/v1/employer/registrations").await.status(), 401);
    }

    async fn the_edit_pages_keep_input_on_errors_and_log_staff_changes(app) {
        let w = world(&app).await;
        let id = sign_up(&w).await;
        let token = w.hr.csrf.clone().unwrap();
        let form = w.hr.get(&format!("/employer/registrations/{id}/edit")).await.text().await.unwrap();
        assert!(form.contains(&format!("value=\"{}\" checked", w.positions[0])));
        let p1 = w.positions[1].to_string();
        let iv = w.interviewer_id.to_string();
        let r = w.hr.http.post(w.hr.url(&format!("/employer/registrations/{id}/edit")))
            .form(&[("_csrf", token.as_str()), ("position_ids", &p1), ("interviewer_ids", &iv), ("contact_name", "王经理"), ("contact_phone", "1")])
            .send().await.unwrap();
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("座机") && page.contains("value=\"王经理\""));
        let r = w.hr.http.post(w.hr.url(&format!("/employer/registrations/{id}/edit")))
            .form(&[("_csrf", token.as_str()), ("position_ids", &p1), ("interviewer_ids", &iv), ("contact_name", "王经理"), ("contact_phone", "13800000000")])
            .send().await.unwrap();
        assert_eq!(r.headers()["location"], "/employer/registrations?submitted=1");

        w.staff.post(&format!("/api/v1/staff/registrations/{id}/approve"), json!({})).await;
        let locked = w.hr.get(&format!("/employer/registrations/{id}/edit")).await.text().await.unwrap();
        assert!(locked.contains("请联系双选会主办方工作人员"));
        let staff_token = w.staff.csrf.clone().unwrap();
        let r = w.staff.http.post(w.staff.url(&format!("/staff/registrations/{id}/edit")))
            .form(&[("_csrf", staff_token.as_str()), ("position_ids", &p1), ("interviewer_ids", &iv), ("contact_name", "刘经理"), ("contact_phone", "13800000000"), ("note", "单位来电")])
            .send().await.unwrap();
        assert_eq!(r.headers()["location"], format!("/staff/registrations/{id}"));
        let log = w.staff.get(&format!("/staff/registrations/{id}")).await.text().await.unwrap();
        assert!(log.contains("主办方修改") && log.contains("刘经理") && log.contains("单位来电"));
    }

    async fn the_pages_walk_from_the_entry_link_to_my_registrations(app) {
        let w = world(&app).await;
        let code = app.store.fair_for_signup(w.fair_id).await.unwrap().unwrap().entry_code;
        // A visitor's 去报名 leads to sign-in and back.
        let r = app.client().get(&format!("/f/{code}/signup")).await;
        assert_eq!(r.headers()["location"], format!("/login?tab=password&next=/f/{code}/signup"));
        let r = w.hr.get(&format!("/f/{code}/signup")).await;
        assert_eq!(r.headers()["location"], format!("/employer/fairs/{}/signup", w.fair_id));
        let form = w.hr.get(&format!("/employer/fairs/{}/signup", w.fair_id)).await.text().await.unwrap();
        assert!(form.contains("前端工程师") && form.contains("李面试官") && form.contains("2026 校园招聘简章"));

        let token = w.hr.csrf.clone().unwrap();
        let p0 = w.positions[0].to_string();
        let iv = w.interviewer_id.to_string();
        // Missing contact: the form comes back with the choices kept.
        let r = w.hr.http.post(w.hr.url(&format!("/employer/fairs/{}/signup", w.fair_id)))
            .form(&[("_csrf", token.as_str()), ("position_ids", &p0), ("interviewer_ids", &iv), ("contact_name", ""), ("contact_phone", "13800000000")])
            .send().await.unwrap();
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("请填写联系人"));
        assert!(page.contains(&format!("value=\"{p0}\" checked")), "the chosen position stays checked");

        let r = w.hr.http.post(w.hr.url(&format!("/employer/fairs/{}/signup", w.fair_id)))
            .form(&[("_csrf", token.as_str()), ("position_ids", &p0), ("interviewer_ids", &iv), ("contact_name", "王经理"), ("contact_phone", "13800000000"), ("brochure_id", "0")])
            .send().await.unwrap();
        assert_eq!(r.status(), 303);
        let id = mine(&w.hr).await[0]["id"].as_i64().unwrap();

        let staff_token = w.staff.csrf.clone().unwrap();
        let r = w.staff.http.post(w.staff.url(&format!("/staff/registrations/{id}/approve")))
            .form(&[("_csrf", staff_token.as_str())]).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let page = w.hr.get("/employer/registrations").await.text().await.unwrap();
        assert!(page.contains("data-status=\"approved\"") && page.contains("进入视频面试大厅"));
        let hall = w.hr.get(&format!("/employer/registrations/{id}/hall")).await;
        assert_eq!(hall.status(), 200);
        let log = w.staff.get(&format!("/staff/registrations/{id}")).await.text().await.unwrap();
        assert!(log.contains("审核通过"));
    }
}

#[tokio::test]
async fn the_sign_up_list_finds_fairs_by_title_or_organizer() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let w = world(&app).await;
    let found: Vec<Value> =
        w.hr.get("/api/v1/employer/fairs?q=秋季")
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(found.len(), 1);
    let none: Vec<Value> =
        w.hr.get("/api/v1/employer/fairs?q=春季")
            .await
            .json()
            .await
            .unwrap();
    assert!(none.is_empty());
    let by_org: Vec<Value> =
        w.hr.get("/api/v1/employer/fairs?q=staff@tju")
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(by_org.len(), 1);
    let _ = w.employer_id;
}

#[tokio::test]
async fn the_employer_hears_the_review_live_over_the_websocket() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let w = world(&app).await;
    let id = sign_up(&w).await;
    let mut socket = crate::ws::connect(&app, Some(&w.hr), &app.base)
        .await
        .unwrap();
    crate::ws::next_of(&mut socket, "hello").await;
    w.staff
        .post(
            &format!("/api/v1/staff/registrations/{id}/approve"),
            json!({}),
        )
        .await;
    let pushed = crate::ws::next_of(&mut socket, "notification").await;
    assert_eq!(pushed["kind"], "registration_approved");
    assert!(pushed["title"].as_str().unwrap().contains("通过"));
}

#[tokio::test]
async fn an_oversized_registration_upload_keeps_the_fair_it_came_from() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let w = world(&app).await;
    let code = app
        .store
        .fair_for_signup(w.fair_id)
        .await
        .unwrap()
        .unwrap()
        .entry_code;
    let c = app.client();
    let html = c
        .get(&format!("/employers/register?fair={code}"))
        .await
        .text()
        .await
        .unwrap();
    let marker = "name=\"csrf-token\" content=\"";
    let at = html.find(marker).unwrap() + marker.len();
    let token = html[at..].split('"').next().unwrap().to_string();
    assert!(
        html.contains(&format!("fair={code}")),
        "the action carries the fair"
    );
    let big = reqwest::multipart::Part::bytes(vec![0u8; 17 << 20]).file_name("licence.png");
    let form = reqwest::multipart::Form::new()
        .text("name", "某公司")
        .part("licence", big);
    let r = c
        .http
        .post(c.url(&format!("/employers/register?_csrf={token}&fair={code}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error());
    let page = r.text().await.unwrap();
    assert!(
        page.contains(&format!("name=\"fair\" value=\"{code}\"")),
        "the fair survives the refused upload"
    );
}

#[tokio::test]
async fn the_shared_profile_fields_keep_what_was_typed_on_both_employer_forms() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let c = app.client();
    let html = c.get("/employers/register").await.text().await.unwrap();
    let marker = "name=\"csrf-token\" content=\"";
    let at = html.find(marker).unwrap() + marker.len();
    let token = html[at..].split('"').next().unwrap().to_string();
    let form = reqwest::multipart::Form::new()
        .text("name", "某公司")
        .text("credit_code", "not-a-code")
        .text("industry", "机械/制造")
        .text("city", "滨海新区")
        .text("address", "黄海路 1 号");
    let r = c
        .http
        .post(c.url(&format!("/employers/register?_csrf={token}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    for typed in ["机械/制造", "滨海新区", "黄海路 1 号"] {
        assert!(page.contains(&format!("value=\"{typed}\"")), "{typed} kept");
    }
    let w = world(&app).await;
    sqlx::query("UPDATE employers SET city = '河西区' WHERE id = $1")
        .bind(w.employer_id)
        .execute(app.store.pool())
        .await
        .unwrap();
    let profile = w.hr.get("/employer/profile").await.text().await.unwrap();
    assert!(profile.contains("value=\"河西区\""));
}
