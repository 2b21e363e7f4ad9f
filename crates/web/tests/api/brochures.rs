//! Recruitment brochures (招聘简章): the API and the employer's pages.

use fairhall_domain::account::Role;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Client, PASSWORD, TestApp, error_code};

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
    0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xff, 0xff, 0x3f,
    0x00, 0x05, 0xfe, 0x02, 0xfe, 0x0d, 0xef, 0x46, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];

const WORD_PASTE: &str = r#"<html xmlns:o="urn:schemas-microsoft-com:office:office">
<head><style>p.MsoNormal{mso-style-unhide:no;font-family:等线;}</style></head>
<body><!--StartFragment-->
<p class=MsoNormal style='text-indent:2em;mso-char-indent-count:2.0'><span
style='font-family:宋体'>　　某某科技有限公司成立于</span><span lang=EN-US>2008</span><span
style='font-family:宋体'>年。</span><o:p></o:p></p>
<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>
<table class=MsoTableGrid><tr><td>岗位</td><td>人数</td></tr><tr><td>会计</td><td>2</td></tr></table>
<p class=MsoNormal><img src="file:///C:/Users/hr/AppData/Local/Temp/clip_image002.png">联系人：张老师</p>
<!--EndFragment--></body></html>"#;

/// An employer admin of a new employer, signed in; and the employer's id.
async fn employer(app: &TestApp, email: &str) -> (Client, i64) {
    app.account(Role::EmployerAdmin, email).await;
    let mut c = app.client();
    let me = c.sign_in(email, PASSWORD).await;
    let employer_id = me["user"]["employer_id"].as_i64().expect("an employer");
    (c, employer_id)
}

/// An interviewer of `employer_id`, signed in.
async fn interviewer_of(app: &TestApp, employer_id: i64, email: &str) -> Client {
    app.state
        .create_password_account(
            Role::Interviewer,
            email,
            PASSWORD,
            "面试官",
            None,
            Some(employer_id),
        )
        .await
        .unwrap();
    let mut c = app.client();
    c.sign_in(email, PASSWORD).await;
    c
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

/// Sends a multipart form; with `csrf_in_query` the token rides in the query like the pages'
/// forms do, otherwise in the header like the editor script.
async fn multipart(c: &Client, path: &str, form: Form, csrf_in_query: bool) -> reqwest::Response {
    let token = c.csrf.clone().unwrap_or_default();
    if csrf_in_query {
        let sep = if path.contains('?') { '&' } else { '?' };
        c.http
            .post(c.url(&format!("{path}{sep}_csrf={token}")))
            .multipart(form)
            .send()
            .await
            .unwrap()
    } else {
        c.http
            .post(c.url(path))
            .header("x-csrf-token", token)
            .multipart(form)
            .send()
            .await
            .unwrap()
    }
}

fn image_part(bytes: &[u8], name: &str) -> Part {
    Part::bytes(bytes.to_vec()).file_name(name.to_string())
}

fn text_form(title: &str, usage_notes: &str, content: &str) -> Form {
    Form::new()
        .text("title", title.to_string())
        .text("usage_notes", usage_notes.to_string())
        .text("content", content.to_string())
}

/// Creates a brochure through the API; answers the saved brochure.
async fn create(c: &Client, title: &str, content: &str) -> Value {
    let r = c
        .post(
            "/api/v1/employer/brochures",
            json!({"title": title, "usage_notes": "用于秋季双选会", "content": content}),
        )
        .await;
    assert_eq!(r.status(), 201);
    r.json().await.unwrap()
}

/// The page's text with the template engine's numeric escapes written as named ones, so the
/// assertions read naturally whichever form the engine picks.
async fn page_text(r: reqwest::Response) -> String {
    r.text()
        .await
        .unwrap()
        .replace("&#60;", "&lt;")
        .replace("&#62;", "&gt;")
        .replace("&#38;", "&amp;")
        .replace("&#34;", "&quot;")
        .replace("&#x2f;", "/")
}

async fn json_of(r: reqwest::Response) -> Value {
    r.json().await.unwrap()
}

both_backends! {
    async fn an_employer_creates_lists_edits_and_deletes_brochures(app) {
        let (c, employer_id) = employer(&app, "hr@example.cn").await;
        let list = json_of(c.get("/api/v1/employer/brochures").await).await;
        assert_eq!(list, json!([]));

        let saved = create(&c, "2026 届校园招聘", "公司简介\n\n岗位要求").await;
        let b = &saved["brochure"];
        let id = b["id"].as_i64().unwrap();
        assert_eq!(b["title"], "2026 届校园招聘");
        assert_eq!(b["usage_notes"], "用于秋季双选会");
        assert_eq!(b["content"], "公司简介\n\n岗位要求");
        assert_eq!(b["blocks"], json!([
            {"kind": "text", "value": "公司简介"},
            {"kind": "text", "value": "岗位要求"},
        ]));
        assert_eq!(saved["content_changed"], false);
        assert_eq!(saved["flattened_table"], false);
        assert_eq!(saved["dropped_images"], 0);
        let second = create(&c, "实习生招聘", "实习岗位").await["brochure"]["id"].as_i64().unwrap();

        let list = json_of(c.get("/api/v1/employer/brochures").await).await;
        let ids: Vec<i64> = list.as_array().unwrap().iter().map(|x| x["id"].as_i64().unwrap()).collect();
        assert_eq!(ids, vec![second, id], "most recently changed first");
        let stored = app.store.brochures_of(employer_id).await.unwrap();
        assert_eq!(stored.len(), 2);

        let r = put(&c, &format!("/api/v1/employer/brochures/{id}"),
            json!({"title": "2026 届校园招聘（更新）", "usage_notes": "", "content": "新的正文"})).await;
        assert_eq!(r.status(), 200);
        let updated = json_of(r).await;
        assert_eq!(updated["brochure"]["title"], "2026 届校园招聘（更新）");
        assert_eq!(updated["brochure"]["usage_notes"], "");
        let got = json_of(c.get(&format!("/api/v1/employer/brochures/{id}")).await).await;
        assert_eq!(got["content"], "新的正文");
        assert_eq!(got["blocks"], json!([{"kind": "text", "value": "新的正文"}]));
        let list = json_of(c.get("/api/v1/employer/brochures").await).await;
        assert_eq!(list[0]["id"].as_i64(), Some(id), "the edited one moves to the top");

        let r = delete(&c, &format!("/api/v1/employer/brochures/{id}")).await;
        assert_eq!(r.status(), 204);
        assert_eq!(error_code(c.get(&format!("/api/v1/employer/brochures/{id}")).await).await, (404, "not_found".into()));
        assert_eq!(error_code(delete(&c, &format!("/api/v1/employer/brochures/{id}")).await).await, (404, "not_found".into()));
        assert_eq!(error_code(put(&c, &format!("/api/v1/employer/brochures/{id}"),
            json!({"title": "t", "content": "c"})).await).await, (404, "not_found".into()));
        let list = json_of(c.get("/api/v1/employer/brochures").await).await;
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert!(app.store.brochure(id).await.is_err(), "Store::brochure skips deleted ones");
    }

    async fn pasted_indents_and_blank_line_runs_are_stored_normalised(app) {
        let (c, _) = employer(&app, "hr@example.cn").await;
        let saved = create(&c, "  校园招聘\n简章 ",
            "\r\n　　我公司成立于2001年。\r\n\r\n\r\n\r\n　　现招聘以下岗位：  \n\t\n    软件工程师\n\n\n").await;
        assert_eq!(saved["content_changed"], true);
        let b = &saved["brochure"];
        assert_eq!(b["title"], "校园招聘 简章");
        let expected = "我公司成立于2001年。\n\n现招聘以下岗位：\n\n软件工程师";
        assert_eq!(b["content"], expected);
        let id = b["id"].as_i64().unwrap();
        let stored = app.store.brochure(id).await.unwrap();
        assert_eq!(stored.content, expected, "stored normalised, not just shown so");
        assert_eq!(b["blocks"].as_array().unwrap().len(), 3);

        // Saving normalised content again changes nothing and says so.
        let again = put(&c, &format!("/api/v1/employer/brochures/{id}"),
            json!({"title": "校园招聘 简章", "content": expected})).await;
        assert_eq!(json_of(again).await["content_changed"], false);
    }

    async fn a_word_html_paste_is_reduced_to_paragraphs(app) {
        let (c, _) = employer(&app, "hr@example.cn").await;
        let saved = create(&c, "Word 粘贴", WORD_PASTE).await;
        let content = saved["brochure"]["content"].as_str().unwrap();
        assert_eq!(content, "某某科技有限公司成立于2008年。\n\n岗位 人数\n\n会计 2\n\n联系人：张老师");
        assert!(!content.contains('<') && !content.contains("mso"), "no markup is kept");
        assert_eq!(saved["flattened_table"], true, "the table is reported");
        assert_eq!(saved["dropped_images"], 1, "the local Word image is reported");
        assert_eq!(saved["content_changed"], true);
    }

    async fn bad_input_is_refused_per_field_and_changes_nothing(app) {
        let (c, _) = employer(&app, "hr@example.cn").await;
        let cases = [
            (json!({"title": "  ", "content": "正文"}), "title", "title_required"),
            (json!({"title": "字".repeat(61), "content": "正文"}), "title", "title_too_long"),
            (json!({"title": "标题", "usage_notes": "字".repeat(501), "content": "正文"}), "usage_notes", "usage_notes_too_long"),
            (json!({"title": "标题", "content": "<p>&nbsp;</p>\n\n　　"}), "content", "content_required"),
            (json!({"title": "标题", "content": "字".repeat(20_001)}), "content", "content_too_long"),
            (json!({"title": "标题", "content": "正文\n[[image:https://evil.example/x.png]]"}), "content", "foreign_image"),
            (json!({"title": "标题", "content": "正文\n[[image:/files/0000000000.png]]"}), "content", "image_missing"),
        ];
        for (body, field, code) in &cases {
            let r = c.post("/api/v1/employer/brochures", body.clone()).await;
            assert_eq!(r.status(), 422, "{code}");
            let e = json_of(r).await;
            assert_eq!((e["field"].as_str(), e["code"].as_str()), (Some(*field), Some(*code)));
            assert!(!e["message"].as_str().unwrap().is_empty());
        }
        let r = c.post("/api/v1/employer/brochures", json!({"title": "缺正文"})).await;
        assert_eq!(error_code(r).await, (422, "bad_json".into()));
        assert_eq!(json_of(c.get("/api/v1/employer/brochures").await).await, json!([]), "nothing was saved");

        let saved = create(&c, "原标题", "原正文").await;
        let id = saved["brochure"]["id"].as_i64().unwrap();
        let before = app.store.brochure(id).await.unwrap();
        for (body, field, code) in &cases {
            let r = put(&c, &format!("/api/v1/employer/brochures/{id}"), body.clone()).await;
            let e = json_of(r).await;
            assert_eq!((e["field"].as_str(), e["code"].as_str()), (Some(*field), Some(*code)));
        }
        let after = app.store.brochure(id).await.unwrap();
        assert_eq!(after, before, "a refused edit leaves the brochure as it was");
    }

    async fn images_are_uploaded_and_inserted_as_markers(app) {
        let (c, _) = employer(&app, "hr@example.cn").await;

        // The editor script's upload.
        let r = multipart(&c, "/api/v1/employer/brochures/images",
            Form::new().part("image", image_part(PNG, "薪资表.png")), false).await;
        assert_eq!(r.status(), 201);
        let up = json_of(r).await;
        let url = up["url"].as_str().unwrap().to_string();
        assert!(url.starts_with("/files/") && url.ends_with(".png"), "{url}");
        assert_eq!(up["marker"], format!("[[image:{url}]]"));
        let img = c.get(&url).await;
        assert_eq!(img.status(), 200);
        assert_eq!(img.headers()["content-type"], "image/png");
        assert_eq!(app.client().get(&url).await.status(), 200, "brochure images are public");

        let saved = create(&c, "带图片", &format!("薪资如下：\n{}\n以上。", up["marker"].as_str().unwrap())).await;
        assert_eq!(saved["brochure"]["blocks"][1], json!({"kind": "image", "value": url}));

        // Not an image, by content, whatever the name says.
        let r = multipart(&c, "/api/v1/employer/brochures/images",
            Form::new().part("image", image_part(b"<html><script>alert(1)</script></html>", "x.png")), false).await;
        assert_eq!(error_code(r).await, (422, "file_type".into()));
        let r = multipart(&c, "/api/v1/employer/brochures/images", Form::new().text("x", "y"), false).await;
        assert_eq!(error_code(r).await, (422, "image_required".into()));
        // A logo is an upload here too, but not a brochure image.
        let owner = app.store.credentials_by_email("hr@example.cn").await.unwrap().unwrap().user.id;
        let logo = app.state.store_upload(owner, fairhall_app::files::FileKind::Logo, PNG.to_vec(), "logo.png", "logo").await.unwrap();
        let r = c.post("/api/v1/employer/brochures",
            json!({"title": "t", "content": format!("[[image:{}]]", logo.url())})).await;
        assert_eq!(error_code(r).await, (422, "image_missing".into()));

        // The no-script upload on the edit page: image and typed text in one form.
        let id = saved["brochure"]["id"].as_i64().unwrap();
        let form = text_form("带图片", "", "　　改过的正文\n\n\n第二段")
            .part("image", image_part(PNG, "表格.png"));
        let r = multipart(&c, &format!("/employer/brochures/{id}/images"), form, true).await;
        assert_eq!(r.status(), 303);
        let to = r.headers()["location"].to_str().unwrap().to_string();
        assert!(to.starts_with(&format!("/employer/brochures/{id}/edit?saved=1")) && to.contains("image=1"), "{to}");
        let stored = app.store.brochure(id).await.unwrap();
        let (text, marker) = stored.content.rsplit_once("\n\n").unwrap();
        assert_eq!(text, "改过的正文\n\n第二段");
        assert!(marker.starts_with("[[image:/files/") && marker.ends_with(".png]]"), "{marker}");
        let page = c.get(&to).await.text().await.unwrap();
        assert!(page.contains("图片已上传并插入到正文末尾"));

        // A bare upload form (no text fields) appends to what is stored.
        let r = multipart(&c, &format!("/employer/brochures/{id}/images"),
            Form::new().part("image", image_part(PNG, "第二张.png")), true).await;
        assert_eq!(r.status(), 303);
        let after = app.store.brochure(id).await.unwrap();
        assert!(after.content.starts_with(&stored.content));
        assert_eq!(after.content.matches("[[image:").count(), 2);

        // A non-image through the page: refused beside the field, typed text kept, nothing saved.
        let form = text_form("带图片", "", "这段没保存")
            .part("image", image_part(b"%PDF-1.7\n", "简章.pdf"));
        let r = multipart(&c, &format!("/employer/brochures/{id}/images"), form, true).await;
        assert_eq!(r.status(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("请上传 JPG、PNG 或 WebP 图片"));
        assert!(page.contains("这段没保存"));
        assert_eq!(app.store.brochure(id).await.unwrap(), after);
        // The upload button with no file chosen.
        let r = multipart(&c, &format!("/employer/brochures/{id}/images"), text_form("带图片", "", "x"), true).await;
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("请选择要上传的图片"));
    }

    async fn another_employers_brochure_is_not_found(app) {
        let (a, _) = employer(&app, "a@example.cn").await;
        let (b, b_employer) = employer(&app, "b@example.cn").await;
        let id = create(&a, "A 的简章", "A 的正文").await["brochure"]["id"].as_i64().unwrap();
        let before = app.store.brochure(id).await.unwrap();
        let path = format!("/api/v1/employer/brochures/{id}");

        assert_eq!(error_code(b.get(&path).await).await, (404, "not_found".into()));
        assert_eq!(error_code(put(&b, &path, json!({"title": "抢", "content": "抢"})).await).await, (404, "not_found".into()));
        assert_eq!(error_code(delete(&b, &path).await).await, (404, "not_found".into()));
        assert_eq!(json_of(b.get("/api/v1/employer/brochures").await).await, json!([]));
        for page in ["edit", "preview", "delete"] {
            let r = b.get(&format!("/employer/brochures/{id}/{page}")).await;
            assert_eq!(r.status(), 404, "{page}");
        }
        let r = multipart(&b, &format!("/employer/brochures/{id}/edit"), text_form("抢", "", "抢"), true).await;
        assert_eq!(r.status(), 404);
        let r = b.http.post(b.url(&format!("/employer/brochures/{id}/delete")))
            .form(&[("_csrf", b.csrf.clone().unwrap())]).send().await.unwrap();
        assert_eq!(r.status(), 404);

        // An interviewer of the other employer sees nothing either.
        let i = interviewer_of(&app, b_employer, "i@b.example.cn").await;
        assert_eq!(error_code(i.get(&path).await).await, (404, "not_found".into()));
        assert_eq!(i.get(&format!("/employer/brochures/{id}/preview")).await.status(), 404);
        assert_eq!(app.store.brochure(id).await.unwrap(), before, "untouched");
        let user = app.store.credentials_by_email("b@example.cn").await.unwrap().unwrap().user;
        assert!(matches!(app.state.brochure_for_employer(&user, id).await, Err(fairhall_app::AppError::NotFound)));
    }

    async fn wrong_roles_are_refused(app) {
        let (c, employer_id) = employer(&app, "hr@example.cn").await;
        let id = create(&c, "简章", "正文").await["brochure"]["id"].as_i64().unwrap();
        let path = format!("/api/v1/employer/brochures/{id}");
        let body = json!({"title": "改", "content": "改"});

        // Interviewers of the employer may read, not write.
        let i = interviewer_of(&app, employer_id, "interviewer@example.cn").await;
        assert_eq!(i.get("/api/v1/employer/brochures").await.status(), 200);
        assert_eq!(i.get(&path).await.status(), 200);
        assert_eq!(i.get(&format!("/employer/brochures/{id}/preview")).await.status(), 200);
        let list = i.get("/employer/brochures").await.text().await.unwrap();
        assert!(list.contains("简章") && !list.contains("/edit") && !list.contains("/delete"));

        let student = app.student("13800000001").await;
        let staff = app.signed_in(Role::OrganizerStaff, "staff@example.cn").await;
        let admin = app.signed_in(Role::PlatformAdmin, "admin@example.cn").await;
        for (who, client) in [("interviewer", &i), ("student", &student), ("staff", &staff), ("admin", &admin)] {
            let r = client.post("/api/v1/employer/brochures", body.clone()).await;
            assert_eq!(error_code(r).await, (403, "forbidden".into()), "{who} creates");
            assert_eq!(error_code(put(client, &path, body.clone()).await).await, (403, "forbidden".into()), "{who} edits");
            assert_eq!(error_code(delete(client, &path).await).await, (403, "forbidden".into()), "{who} deletes");
            let r = multipart(client, "/api/v1/employer/brochures/images",
                Form::new().part("image", image_part(PNG, "a.png")), false).await;
            assert_eq!(error_code(r).await, (403, "forbidden".into()), "{who} uploads");
            for page in ["/employer/brochures/new".to_string(), format!("/employer/brochures/{id}/edit"), format!("/employer/brochures/{id}/delete")] {
                assert_eq!(client.get(&page).await.status(), 403, "{who} opens {page}");
            }
            let r = multipart(client, &format!("/employer/brochures/{id}/images"),
                text_form("改", "", "改").part("image", image_part(PNG, "a.png")), true).await;
            assert_eq!(r.status(), 403, "{who} uploads through the page");
        }
        for (who, client) in [("student", &student), ("staff", &staff), ("admin", &admin)] {
            assert_eq!(error_code(client.get("/api/v1/employer/brochures").await).await, (403, "forbidden".into()), "{who} lists");
            assert_eq!(error_code(client.get(&path).await).await, (403, "forbidden".into()), "{who} reads");
            assert_eq!(client.get(&format!("/employer/brochures/{id}/preview")).await.status(), 403, "{who} previews");
        }
        assert_eq!(error_code(app.client().get("/api/v1/employer/brochures").await).await, (401, "not_signed_in".into()));
        let r = app.client().get("/employer/brochures").await;
        assert_eq!((r.status().as_u16(), r.headers()["location"].to_str().unwrap()), (303, "/login?next=/employer/brochures"));
        let stored = app.store.brochure(id).await.unwrap();
        assert_eq!((stored.title.as_str(), stored.content.as_str()), ("简章", "正文"));
    }

    async fn the_preview_shows_content_escaped_in_a_phone_frame(app) {
        let (c, employer_id) = employer(&app, "hr@example.cn").await;
        let pasted = "薪资<8000元，学历 <本科>\n<script>alert('pasted')</script>\n\
                      &lt;script&gt;alert('entity')&lt;/script&gt;\n<img src=x onerror=alert('img')>结束";
        let saved = create(&c, "<b>标题</b> & \"引号\"", pasted).await;
        let id = saved["brochure"]["id"].as_i64().unwrap();
        let page = c.get(&format!("/employer/brochures/{id}/preview")).await;
        assert_eq!(page.status(), 200);
        let html = page_text(page).await;
        assert!(html.contains("phone-frame") && html.contains("class=\"brochure\""));
        assert!(html.contains("薪资&lt;8000元，学历 &lt;本科&gt;"), "text keeps its angle brackets, escaped");
        assert!(html.contains("&lt;b&gt;标题&lt;/b&gt; &amp; &quot;引号&quot;"), "the title is escaped too");
        for bad in ["<script>alert", "alert('pasted')", "onerror=", "<b>标题"] {
            assert!(!html.contains(bad), "{bad} must not reach the page");
        }

        // Even content that never went through the normaliser (older rows, a bug) is escaped.
        let raw = app.store.insert_brochure(employer_id, fairhall_store::brochures::BrochureFields {
            title: "旧数据",
            usage_notes: "",
            content: "<script>alert('raw')</script>\n\n[[image:/files/a.png\" onerror=\"alert('attr')]]\n\n[[image:/files/ok.png]]",
        }, fairhall_app::now_ms()).await.unwrap();
        let html = page_text(c.get(&format!("/employer/brochures/{raw}/preview")).await).await;
        assert!(!html.contains("<script>alert('raw')"));
        assert!(html.contains("&lt;script&gt;alert("));
        assert!(!html.contains("onerror=\"alert"), "a crafted marker stays text");
        assert!(html.contains("<img src=\"/files/ok.png\""));
        assert!(html.contains("loading=\"lazy\""));
        let api = json_of(c.get(&format!("/api/v1/employer/brochures/{raw}")).await).await;
        assert_eq!(api["blocks"][1]["kind"], "text");
        assert_eq!(api["blocks"][2], json!({"kind": "image", "value": "/files/ok.png"}));
    }

    async fn the_pages_create_edit_and_delete_with_confirmation(app) {
        let (c, _) = employer(&app, "hr@example.cn").await;
        let list = c.get("/employer/brochures").await;
        assert_eq!(list.status(), 200);
        let html = list.text().await.unwrap();
        assert!(html.contains("还没有招聘简章") && html.contains("href=\"/employer/brochures/new\""), "the empty state offers 新增");

        let html = c.get("/employer/brochures/new").await.text().await.unwrap();
        for rule in ["字号 16px、行距 1.75", "不要直接从 Word 中复制粘贴", "段首不要空两个字", "最后一段后面不要空行", "长表格需要截多张"] {
            assert!(html.contains(rule), "the editing rules show: {rule}");
        }
        assert!(html.contains("enctype=\"multipart/form-data\""));

        // Without the token in the query, the form is refused.
        let r = c.http.post(c.url("/employer/brochures/new")).multipart(text_form("t", "", "c")).send().await.unwrap();
        assert_eq!(r.status(), 403);

        // A validation error keeps everything typed and names the field.
        let typed = "　　第一段\n\n\n</textarea><script>alert(1)</script>";
        let r = multipart(&c, "/employer/brochures/new", text_form("", "我的说明", typed), true).await;
        assert_eq!(r.status(), 422);
        let html = page_text(r).await;
        assert!(html.contains("请填写简章标题"));
        assert!(html.contains("我的说明"));
        assert!(html.contains("　　第一段") && html.contains("&lt;/textarea&gt;&lt;script&gt;"), "typed content kept, escaped");
        assert!(!html.contains("<script>alert(1)"));
        assert_eq!(json_of(c.get("/api/v1/employer/brochures").await).await, json!([]));
        // Every bad field is marked at once.
        let r = multipart(&c, "/employer/brochures/new", text_form("", &"字".repeat(501), ""), true).await;
        let html = r.text().await.unwrap();
        for msg in ["请填写简章标题", "使用说明最多 500 个字", "请填写简章正文"] {
            assert!(html.contains(msg), "{msg}");
        }

        // Indented paste with a table: saved normalised, and the edit page says what happened.
        let r = multipart(&c, "/employer/brochures/new",
            text_form("秋季招聘", "", "　　公司简介。\r\n\r\n\r\n<table><tr><td>岗位</td><td>人数</td></tr></table>"), true).await;
        assert_eq!(r.status(), 303);
        let to = r.headers()["location"].to_str().unwrap().to_string();
        assert!(to.contains("saved=1") && to.contains("tidied=1") && to.contains("table=1"), "{to}");
        let id: i64 = to.trim_start_matches("/employer/brochures/").split('/').next().unwrap().parse().unwrap();
        let html = c.get(&to).await.text().await.unwrap();
        assert!(html.contains("简章已保存"));
        assert!(html.contains("正文已按编辑规范自动整理"));
        assert!(html.contains("检测到表格，请将表格截图后以图片上传"));
        assert!(html.contains(">公司简介。\n\n岗位 人数</textarea>"), "the cleaned content is what the form shows");

        // A bad edit re-renders with the typed text and leaves the stored brochure alone.
        let before = app.store.brochure(id).await.unwrap();
        let r = multipart(&c, &format!("/employer/brochures/{id}/edit"), text_form("", "", "改了一半的正文"), true).await;
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("请填写简章标题") && html.contains("改了一半的正文"));
        assert_eq!(app.store.brochure(id).await.unwrap(), before);
        // A good edit.
        let r = multipart(&c, &format!("/employer/brochures/{id}/edit"), text_form("秋季招聘（新）", "", "新正文"), true).await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], format!("/employer/brochures/{id}/edit?saved=1"));
        let html = c.get("/employer/brochures").await.text().await.unwrap();
        assert!(html.contains("秋季招聘（新）"));
        for action in ["edit", "preview", "delete"] {
            assert!(html.contains(&format!("/employer/brochures/{id}/{action}")), "{action}");
        }

        // Deleting asks first; the POST needs the token.
        let html = c.get(&format!("/employer/brochures/{id}/delete")).await.text().await.unwrap();
        assert!(html.contains("确定要删除这份招聘简章吗") && html.contains("秋季招聘（新）"));
        assert!(app.store.brochure(id).await.is_ok(), "opening the confirmation deletes nothing");
        let r = c.http.post(c.url(&format!("/employer/brochures/{id}/delete"))).form(&[("x", "y")]).send().await.unwrap();
        assert_eq!(r.status(), 403);
        let r = c.http.post(c.url(&format!("/employer/brochures/{id}/delete")))
            .form(&[("_csrf", c.csrf.clone().unwrap())]).send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/employer/brochures?deleted=1");
        let html = c.get("/employer/brochures?deleted=1").await.text().await.unwrap();
        assert!(html.contains("简章已删除") && html.contains("还没有招聘简章"));
    }
}
