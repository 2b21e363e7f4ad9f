//! Text chat between a student and an employer in a fair: persisted, pushed live, with unread counts.

use fairhall_domain::account::Role;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{Venue, VenueOptions};
use crate::helpers::{Client, TestApp, error_code};
use crate::ws::{connect, next_of};

fn student_path(v: &Venue, employer: usize) -> String {
    format!(
        "/api/v1/fairs/{}/employers/{}/messages",
        v.fair_id, v.employers[employer].registration_id
    )
}

async fn send(c: &Client, path: &str, text: &str) -> Value {
    let r = c.post(path, json!({ "text": text })).await;
    assert_eq!(r.status(), 201, "sending {text:?} to {path}");
    r.json().await.unwrap()
}

async fn get_json(c: &Client, path: &str) -> Value {
    let r = c.get(path).await;
    assert_eq!(r.status(), 200, "GET {path}");
    r.json().await.unwrap()
}

async fn total_unread(c: &Client) -> i64 {
    get_json(c, "/api/v1/chats/unread").await["total"]
        .as_i64()
        .unwrap()
}

fn bodies(thread: &Value) -> Vec<String> {
    thread["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap().to_string())
        .collect()
}

async fn exec(app: &TestApp, sql: &str, id: i64) {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(id)
        .execute(app.store.pool())
        .await
        .unwrap();
}

both_backends! {
    async fn a_student_writes_and_an_interviewer_of_the_employer_replies(app) {
        let v = app.venue(VenueOptions::default()).await;
        let (student, student_id) = app.entered_student(v.fair_id, "13800000001").await;

        // Before the first message there is no conversation, and nothing to list.
        let empty = get_json(&student, &student_path(&v, 0)).await;
        assert_eq!(empty["conversation_id"], Value::Null);
        assert_eq!(empty["employer_name"], v.employers[0].name.as_str());
        assert!(get_json(&student, "/api/v1/chats").await["items"].as_array().unwrap().is_empty());

        let sent = send(&student, &student_path(&v, 0), "  您好，请问软件工程师岗位还招人吗？\n").await;
        let cid = sent["conversation_id"].as_i64().unwrap();
        assert_eq!(sent["message"]["body"], "您好，请问软件工程师岗位还招人吗？");
        assert_eq!(sent["message"]["side"], "student");

        // The employer's admin and its interviewer both see it in their inbox.
        for c in [&v.hr, &v.interviewer] {
            let inbox = get_json(c, "/api/v1/chats").await;
            assert_eq!(inbox["side"], "employer");
            let items = inbox["items"].as_array().unwrap();
            assert_eq!(items.len(), 1);
            assert_eq!(items[0]["id"], cid);
            assert_eq!(items[0]["student_id"], student_id);
            assert_eq!(items[0]["last_body"], "您好，请问软件工程师岗位还招人吗？");
            assert_eq!(items[0]["path"], format!("/employer/chats/{cid}"));
        }

        let reply = send(&v.interviewer, &format!("/api/v1/chats/{cid}/messages"), "还招的，欢迎投递简历。").await;
        assert_eq!(reply["message"]["side"], "employer");
        assert_eq!(reply["message"]["sender_name"], "李面试官");

        let thread = get_json(&student, &student_path(&v, 0)).await;
        assert_eq!(thread["conversation_id"], cid);
        assert_eq!(thread["my_side"], "student");
        assert_eq!(bodies(&thread), ["您好，请问软件工程师岗位还招人吗？", "还招的，欢迎投递简历。"]);
        // The same conversation through its id, and the student's list links to the venue page.
        let same = get_json(&student, &format!("/api/v1/chats/{cid}/messages")).await;
        assert_eq!(bodies(&same), bodies(&thread));
        let mine = get_json(&student, "/api/v1/chats").await;
        assert_eq!(mine["items"][0]["path"], format!("/f/{}/employers/{}/chat", v.code, v.employers[0].registration_id));

        // The student writes again: still one conversation.
        let again = send(&student, &format!("/api/v1/chats/{cid}/messages"), "好的，谢谢！").await;
        assert_eq!(again["conversation_id"], cid);
        let again = send(&student, &student_path(&v, 0), "已投递。").await;
        assert_eq!(again["conversation_id"], cid);
        assert_eq!(get_json(&v.hr, "/api/v1/chats").await["items"].as_array().unwrap().len(), 1);
    }

    async fn unread_counters_stay_true_while_both_sides_write_and_read_at_once(app) {
        let v = app.venue(VenueOptions::default()).await;
        let (student, _) = app.entered_student(v.fair_id, "13800000002").await;
        let first = send(&student, &student_path(&v, 0), "开始").await;
        let cid = first["conversation_id"].as_i64().unwrap();
        let path = format!("/api/v1/chats/{cid}/messages");
        let mut tasks = Vec::new();
        for i in 0..8 {
            let (s, hr, iv) = (student.clone(), v.hr.clone(), v.interviewer.clone());
            let (p, sp) = (path.clone(), student_path(&v, 0));
            tasks.push(tokio::spawn(async move {
                send(&s, &sp, &format!("学生{i}")).await;
                send(&hr, &p, &format!("单位{i}")).await;
                assert_eq!(iv.post(&format!("/api/v1/chats/{cid}/read"), json!({})).await.status(), 204);
                assert_eq!(s.get(&p).await.status(), 200, "reading marks read");
                send(&s, &sp, &format!("学生{i}补充")).await;
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        // Each side's counter agrees with the messages past its read pointer.
        for (side, other, client) in [("student", "employer", &student), ("employer", "student", &v.hr)] {
            let counted: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id \
                 WHERE c.id = $1 AND m.sender_side = '{other}' AND m.id > c.{side}_read_id")))
                .bind(cid)
                .fetch_one(app.store.pool())
                .await
                .unwrap();
            assert_eq!(total_unread(client).await, counted, "{side}");
        }
        assert!(total_unread(&v.hr).await > 0, "the students' last messages are unread");
    }

    async fn unread_counts_change_on_both_sides_and_reset_on_read(app) {
        let v = app.venue(VenueOptions::default()).await;
        let (student, _) = app.entered_student(v.fair_id, "13800000002").await;
        let sent = send(&student, &student_path(&v, 0), "第一条").await;
        let cid = sent["conversation_id"].as_i64().unwrap();
        send(&student, &student_path(&v, 0), "第二条").await;

        // The sender has nothing unread; every user of the employer sees 2.
        assert_eq!(total_unread(&student).await, 0);
        assert_eq!(total_unread(&v.hr).await, 2);
        assert_eq!(total_unread(&v.interviewer).await, 2);
        let u = get_json(&v.hr, "/api/v1/chats/unread").await;
        assert_eq!(u["conversations"], json!([{"conversation_id": cid, "unread": 2}]));
        assert_eq!(get_json(&v.hr, "/api/v1/chats").await["items"][0]["unread"], 2);

        // One interviewer opening the conversation reads it for the whole employer side.
        get_json(&v.interviewer, &format!("/api/v1/chats/{cid}/messages")).await;
        assert_eq!(total_unread(&v.hr).await, 0);
        assert_eq!(get_json(&v.hr, "/api/v1/chats").await["items"][0]["unread"], 0);

        send(&v.hr, &format!("/api/v1/chats/{cid}/messages"), "收到").await;
        send(&v.hr, &format!("/api/v1/chats/{cid}/messages"), "请问您哪年毕业？").await;
        assert_eq!(total_unread(&student).await, 2);
        assert_eq!(get_json(&student, "/api/v1/chats").await["items"][0]["unread"], 2);
        assert_eq!(total_unread(&v.hr).await, 0);

        // An explicit read.
        let r = student.post(&format!("/api/v1/chats/{cid}/read"), json!({})).await;
        assert_eq!(r.status(), 204);
        assert_eq!(total_unread(&student).await, 0);
        // Reading again changes nothing.
        let r = student.post(&format!("/api/v1/chats/{cid}/read"), json!({})).await;
        assert_eq!(r.status(), 204);
        assert_eq!(total_unread(&student).await, 0);

        // A new message from the student makes the employer side count again, from 1.
        send(&student, &student_path(&v, 0), "2027 届").await;
        assert_eq!(total_unread(&v.interviewer).await, 1);
    }

    async fn chatting_with_an_employer_not_approved_in_the_fair_is_refused(app) {
        let v = app.venue(VenueOptions { employers: 2, ..VenueOptions::default() }).await;
        let other = app.venue(VenueOptions::default()).await;
        let (student, _) = app.entered_student(v.fair_id, "13800000003").await;

        // A rejected registration in this fair.
        exec(&app, "UPDATE registrations SET status = 'rejected' WHERE id = $1", v.employers[1].registration_id).await;
        let rejected = student_path(&v, 1);
        assert_eq!(error_code(student.post(&rejected, json!({"text": "你好"})).await).await, (404, "not_found".into()));
        assert_eq!(error_code(student.get(&rejected).await).await.0, 404);

        // An approved registration, but of another fair.
        let elsewhere = format!("/api/v1/fairs/{}/employers/{}/messages", v.fair_id, other.employers[0].registration_id);
        assert_eq!(error_code(student.post(&elsewhere, json!({"text": "你好"})).await).await.0, 404);
        // No such registration.
        let absent = format!("/api/v1/fairs/{}/employers/999999/messages", v.fair_id);
        assert_eq!(error_code(student.post(&absent, json!({"text": "你好"})).await).await.0, 404);

        // Nothing was written.
        assert_eq!(total_unread(&other.hr).await, 0);
        assert!(get_json(&student, "/api/v1/chats").await["items"].as_array().unwrap().is_empty());
    }

    async fn a_student_who_has_not_entered_the_fair_is_refused(app) {
        let v = app.venue(VenueOptions::default()).await;
        let student = app.student("13800000004").await;
        let path = student_path(&v, 0);
        assert_eq!(error_code(student.post(&path, json!({"text": "你好"})).await).await.0, 403);
        assert_eq!(error_code(student.get(&path).await).await.0, 403);
        assert_eq!(total_unread(&v.hr).await, 0);

        // The page sends them to the fair's entry page (报名进入会场) instead.
        let page = format!("/f/{}/employers/{}/chat", v.code, v.employers[0].registration_id);
        let r = student.get(&page).await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], format!("/f/{}", v.code).as_str());

        // Employers and staff do not use the student's side.
        assert_eq!(error_code(v.hr.post(&path, json!({"text": "你好"})).await).await.0, 403);
        assert_eq!(error_code(v.staff.get("/api/v1/chats").await).await.0, 403);
        assert_eq!(error_code(v.staff.get("/api/v1/chats/unread").await).await.0, 403);
        assert_eq!(error_code(app.client().get("/api/v1/chats").await).await.0, 401);
    }

    async fn another_student_cannot_read_or_write_the_conversation(app) {
        let v = app.venue(VenueOptions::default()).await;
        let (student, _) = app.entered_student(v.fair_id, "13800000005").await;
        let (nosy, _) = app.entered_student(v.fair_id, "13800000006").await;
        let cid = send(&student, &student_path(&v, 0), "我的私信").await["conversation_id"].as_i64().unwrap();

        assert_eq!(error_code(nosy.get(&format!("/api/v1/chats/{cid}/messages")).await).await, (404, "not_found".into()));
        assert_eq!(error_code(nosy.post(&format!("/api/v1/chats/{cid}/messages"), json!({"text": "偷看"})).await).await.0, 404);
        assert_eq!(error_code(nosy.post(&format!("/api/v1/chats/{cid}/read"), json!({})).await).await.0, 404);
        assert!(get_json(&nosy, "/api/v1/chats").await["items"].as_array().unwrap().is_empty());
        // Their own conversation with the same employer is a different, empty one.
        let theirs = get_json(&nosy, &student_path(&v, 0)).await;
        assert_eq!(theirs["conversation_id"], Value::Null);
        assert!(bodies(&theirs).is_empty());
        let r = nosy.get(&format!("/employer/chats/{cid}")).await;
        assert_eq!(r.status(), 403);

        let thread = get_json(&student, &format!("/api/v1/chats/{cid}/messages")).await;
        assert_eq!(bodies(&thread), ["我的私信"]);
    }

    async fn another_employer_cannot_read_or_write_the_conversation(app) {
        let v = app.venue(VenueOptions { employers: 2, ..VenueOptions::default() }).await;
        let (student, _) = app.entered_student(v.fair_id, "13800000007").await;
        let cid = send(&student, &student_path(&v, 0), "给第一家单位").await["conversation_id"].as_i64().unwrap();
        // An admin of another employer, approved in the same fair.
        let other = app.signed_in(Role::EmployerAdmin, "other-hr@example.cn").await;
        let other_employer = app.store.credentials_by_email("other-hr@example.cn").await.unwrap().unwrap().user.employer_id.unwrap();
        exec(&app, "UPDATE registrations SET employer_id = $1 WHERE id = (SELECT MAX(id) FROM registrations)", other_employer).await;

        for path in [format!("/api/v1/chats/{cid}/messages"), format!("/employer/chats/{cid}")] {
            assert_eq!(other.get(&path).await.status(), 404, "{path}");
        }
        assert_eq!(error_code(other.post(&format!("/api/v1/chats/{cid}/messages"), json!({"text": "你好"})).await).await.0, 404);
        assert_eq!(error_code(other.post(&format!("/api/v1/chats/{cid}/read"), json!({})).await).await.0, 404);
        assert!(get_json(&other, "/api/v1/chats").await["items"].as_array().unwrap().is_empty());
        assert_eq!(total_unread(&other).await, 0);
        // The message is still unread for the employer it was sent to.
        assert_eq!(total_unread(&v.hr).await, 1);
        // Organizer staff have no chats.
        assert_eq!(error_code(v.staff.get(&format!("/api/v1/chats/{cid}/messages")).await).await.0, 403);
    }

    async fn blank_and_too_long_messages_are_refused(app) {
        let v = app.venue(VenueOptions::default()).await;
        let (student, _) = app.entered_student(v.fair_id, "13800000008").await;
        let path = student_path(&v, 0);
        for (text, code) in [
            ("", "message_required"),
            ("  \n\t ", "message_required"),
            (&"长".repeat(1001)[..], "message_too_long"),
            ("bell\u{7}", "invalid_characters"),
        ] {
            let r = student.post(&path, json!({ "text": text })).await;
            assert_eq!(r.status(), 422);
            let body: Value = r.json().await.unwrap();
            assert_eq!((body["code"].as_str(), body["field"].as_str()), (Some(code), Some("text")));
        }
        assert_eq!(get_json(&student, &path).await["conversation_id"], Value::Null);

        let cid = send(&student, &path, &"长".repeat(1000)).await["conversation_id"].as_i64().unwrap();
        let r = v.hr.post(&format!("/api/v1/chats/{cid}/messages"), json!({"text": " "})).await;
        assert_eq!(error_code(r).await, (422, "message_required".into()));
        let r = v.hr.post(&format!("/api/v1/chats/{cid}/messages"), json!({"words": "x"})).await;
        assert_eq!(error_code(r).await, (422, "bad_json".into()));
    }

    async fn sending_too_fast_is_rate_limited(app) {
        let v = app.venue(VenueOptions::default()).await;
        let (student, _) = app.entered_student(v.fair_id, "13800000009").await;
        let path = student_path(&v, 0);
        for i in 0..fairhall_domain::chat::DEFAULT_MAX_PER_MINUTE {
            send(&student, &path, &format!("消息 {i}")).await;
        }
        let r = student.post(&path, json!({"text": "再来一条"})).await;
        assert_eq!(r.status(), 429);
        let wait: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "rate_limited");
        assert!(body["message"].as_str().unwrap().contains(&format!("{wait} 秒")), "{body}");
        // The refused message was not stored.
        let thread = get_json(&v.hr, "/api/v1/chats").await;
        assert_eq!(thread["items"][0]["last_body"], "消息 19");
        // The limit is the sender's: the employer can still answer.
        let cid = thread["items"][0]["id"].as_i64().unwrap();
        send(&v.hr, &format!("/api/v1/chats/{cid}/messages"), "请慢一点").await;
    }

    async fn html_in_a_message_is_kept_as_text_and_escaped_on_the_pages(app) {
        let v = app.venue(VenueOptions::default()).await;
        let (student, _) = app.entered_student(v.fair_id, "13800000010").await;
        let evil = "<script>alert(1)</script><b>粗体</b> & \"引号\"";
        let sent = send(&student, &student_path(&v, 0), evil).await;
        assert_eq!(sent["message"]["body"], evil);
        let cid = sent["conversation_id"].as_i64().unwrap();
        let thread = get_json(&v.hr, &format!("/api/v1/chats/{cid}/messages")).await;
        assert_eq!(bodies(&thread), [evil]);

        let student_page = format!("/f/{}/employers/{}/chat", v.code, v.employers[0].registration_id);
        for (c, page) in [(&student, student_page.as_str()), (&v.hr, &format!("/employer/chats/{cid}")), (&v.hr, "/employer/chats"), (&student, "/student/chats")] {
            let r = c.get(page).await;
            assert_eq!(r.status(), 200, "{page}");
            let html = r.text().await.unwrap();
            // Escaped, whichever entity form the template engine writes (`&lt;` or `&#60;`).
            let named = html.replace("&#60;", "&lt;").replace("&#62;", "&gt;").replace("&#38;", "&amp;");
            assert!(named.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;粗体&lt;/b&gt; &amp;"), "{page}");
            assert!(!html.contains("<script>alert(1)"), "{page}");
            assert!(!html.contains("<b>粗体"), "{page}");
        }
    }

    async fn history_after_an_id_returns_only_newer_messages(app) {
        let v = app.venue(VenueOptions::default()).await;
        let (student, _) = app.entered_student(v.fair_id, "13800000011").await;
        let first = send(&student, &student_path(&v, 0), "一").await;
        let cid = first["conversation_id"].as_i64().unwrap();
        let first_id = first["message"]["id"].as_i64().unwrap();
        send(&v.hr, &format!("/api/v1/chats/{cid}/messages"), "二").await;
        send(&student, &student_path(&v, 0), "三").await;

        let newer = get_json(&v.hr, &format!("/api/v1/chats/{cid}/messages?after={first_id}")).await;
        assert_eq!(bodies(&newer), ["二", "三"]);
        assert_eq!(newer["has_more"], false);
        let last_id = newer["messages"][1]["id"].as_i64().unwrap();
        let none = get_json(&student, &format!("{}?after={last_id}", student_path(&v, 0))).await;
        assert!(bodies(&none).is_empty());
        let all = get_json(&student, &format!("{}?after=0", student_path(&v, 0))).await;
        assert_eq!(bodies(&all), ["一", "二", "三"]);
        // Ids only grow, in the order sent.
        let ids: Vec<i64> = all["messages"].as_array().unwrap().iter().map(|m| m["id"].as_i64().unwrap()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    }

    async fn the_pages_show_the_conversation_and_the_plain_form_sends(app) {
        let v = app.venue(VenueOptions::default()).await;
        let (student, _) = app.entered_student(v.fair_id, "13800000012").await;
        let page = format!("/f/{}/employers/{}/chat", v.code, v.employers[0].registration_id);
        let html = student.get(&page).await.text().await.unwrap();
        assert!(html.contains(&v.employers[0].name));
        assert!(html.contains("/static/js/chat.js"));

        // Without script: a form post, then back to the conversation.
        let csrf = student.csrf.clone().unwrap();
        let r = student.http.post(student.url(&page)).form(&[("_csrf", csrf.as_str()), ("text", "表单发来的消息")]).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let html = student.get(&page).await.text().await.unwrap();
        assert!(html.contains("表单发来的消息"));

        // A blank message: the page again, with the error beside the field.
        let r = student.http.post(student.url(&page)).form(&[("_csrf", csrf.as_str()), ("text", "   ")]).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("请输入消息内容"));
        // A too-long one keeps what was typed.
        let long = "长".repeat(1001);
        let r = student.http.post(student.url(&page)).form(&[("_csrf", csrf.as_str()), ("text", long.as_str())]).send().await.unwrap();
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains(&long));

        // The employer's inbox and conversation page; the interviewer answers through the form.
        let inbox = v.hr.get("/employer/chats").await.text().await.unwrap();
        assert!(inbox.contains("表单发来的消息"));
        let cid = get_json(&v.hr, "/api/v1/chats").await["items"][0]["id"].as_i64().unwrap();
        let iv_csrf = v.interviewer.csrf.clone().unwrap();
        let r = v.interviewer.http.post(v.interviewer.url(&format!("/employer/chats/{cid}"))).form(&[("_csrf", iv_csrf.as_str()), ("text", "面试官的回复")]).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let list = student.get("/student/chats").await.text().await.unwrap();
        assert!(list.contains("面试官的回复"));
        assert!(list.contains(&v.employers[0].name));

        // Signed out: sign in first, then back here.
        let r = app.client().get(&page).await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], format!("/login?next={page}").as_str());
        // A student on the employer's pages, an employer on the student's.
        assert_eq!(student.get("/employer/chats").await.status(), 403);
        assert_eq!(v.hr.get("/student/chats").await.status(), 403);
    }

    async fn a_message_arrives_live_and_the_unread_count_changes(app) {
        let v = app.venue(VenueOptions::default()).await;
        let (student, student_id) = app.entered_student(v.fair_id, "13800000013").await;
        let mut hr_ws = connect(&app, Some(&v.hr), &app.base).await.unwrap();
        let mut iv_ws = connect(&app, Some(&v.interviewer), &app.base).await.unwrap();
        let mut st_ws = connect(&app, Some(&student), &app.base).await.unwrap();
        // Each socket is registered once its hello arrives.
        next_of(&mut hr_ws, "hello").await;
        next_of(&mut iv_ws, "hello").await;
        next_of(&mut st_ws, "hello").await;

        let sent = send(&student, &student_path(&v, 0), "<i>在线吗？</i>").await;
        let cid = sent["conversation_id"].as_i64().unwrap();

        for ws in [&mut hr_ws, &mut iv_ws] {
            let m = next_of(ws, "chat_message").await;
            assert_eq!(m["v"], 1);
            assert_eq!(m["conversation_id"], cid);
            assert_eq!(m["fair_id"], v.fair_id);
            assert_eq!(m["registration_id"], v.employers[0].registration_id);
            assert_eq!(m["message"]["id"], sent["message"]["id"]);
            assert_eq!(m["message"]["body"], "<i>在线吗？</i>");
            assert_eq!(m["message"]["side"], "student");
            let u = next_of(ws, "chat_unread").await;
            assert_eq!((u["conversation_id"].as_i64(), u["unread"].as_i64(), u["total_unread"].as_i64()), (Some(cid), Some(1), Some(1)));
        }
        // The sender's other pages get the message too, and a count of 0.
        let echo = next_of(&mut st_ws, "chat_message").await;
        assert_eq!(echo["message"]["id"], sent["message"]["id"]);
        let u = next_of(&mut st_ws, "chat_unread").await;
        assert_eq!(u["unread"], 0);

        // The employer reads: its pages see 0; the reply reaches the student live with 1.
        assert_eq!(v.hr.post(&format!("/api/v1/chats/{cid}/read"), json!({})).await.status(), 204);
        let u = next_of(&mut iv_ws, "chat_unread").await;
        assert_eq!((u["unread"].as_i64(), u["total_unread"].as_i64()), (Some(0), Some(0)));

        send(&v.interviewer, &format!("/api/v1/chats/{cid}/messages"), "在的").await;
        let m = next_of(&mut st_ws, "chat_message").await;
        assert_eq!((m["message"]["body"].as_str(), m["message"]["side"].as_str()), (Some("在的"), Some("employer")));
        let u = next_of(&mut st_ws, "chat_unread").await;
        assert_eq!((u["conversation_id"].as_i64(), u["unread"].as_i64(), u["total_unread"].as_i64()), (Some(cid), Some(1), Some(1)));
        assert_eq!(student_id, get_json(&v.hr, "/api/v1/chats").await["items"][0]["student_id"].as_i64().unwrap());
    }
}
