//! Rosters (云就业匹配): organizer staff import student rosters from CSV or XLSX; students sign in by matching them.

use fairhall_domain::account::Role;
use fairhall_domain::roster::{Header, check_char};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Client, TestApp, error_code};

/// A valid ID number (GB 11643 check character computed) from 17 digits, so no test uses a
/// real person's number.
fn id(first17: &str) -> String {
    format!("{first17}{}", check_char(first17).unwrap())
}

/// An ID number whose check character is wrong.
fn bad_id(first17: &str) -> String {
    let good = check_char(first17).unwrap();
    format!("{first17}{}", if good == '0' { '1' } else { '0' })
}

const HEADER: &str = "学号,姓名,身份证号,学校,学院,专业,学历,毕业年份,手机号";

struct Student {
    number: &'static str,
    name: &'static str,
    id: String,
    school: &'static str,
    major: &'static str,
    phone: &'static str,
}

fn students() -> Vec<Student> {
    vec![
        Student {
            number: "2021001",
            name: "李明",
            id: id("11010520030315123"),
            school: "天津大学",
            major: "软件工程",
            phone: "13800000001",
        },
        Student {
            number: "2021002",
            name: "王芳",
            id: id("12010220040101456"),
            school: "天津大学",
            major: "机械工程",
            phone: "",
        },
        Student {
            number: "2021001",
            name: "张伟",
            id: id("44030420021111789"),
            school: "南开大学",
            major: "金融学",
            phone: "",
        },
    ]
}

fn csv_of(rows: &[Student]) -> Vec<u8> {
    let mut s = format!("{HEADER}\r\n");
    for r in rows {
        s.push_str(&format!(
            "{},{},{},{},智能与计算学部,{},本科,2026,{}\r\n",
            r.number, r.name, r.id, r.school, r.major, r.phone
        ));
    }
    s.into_bytes()
}

fn tail(id: &str) -> String {
    id[12..].to_string()
}

async fn upload_to(c: &Client, path: &str, file_name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string());
    let form = reqwest::multipart::Form::new().part("file", part);
    let mut req = c.http.post(c.url(path)).multipart(form);
    if let Some(t) = &c.csrf {
        req = req.header("x-csrf-token", t);
    }
    req.send().await.unwrap()
}

async fn upload(c: &Client, file_name: &str, bytes: Vec<u8>) -> reqwest::Response {
    upload_to(c, "/api/v1/staff/roster", file_name, bytes).await
}

async fn imported(c: &Client, file_name: &str, bytes: Vec<u8>) -> Value {
    let r = upload(c, file_name, bytes).await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

async fn overview(c: &Client) -> Value {
    let r = c.get("/api/v1/staff/roster").await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

async fn roster_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM roster_entries")
        .fetch_one(app.store.pool())
        .await
        .unwrap()
}

async fn match_as(
    c: &Client,
    school: &str,
    number: &str,
    name: &str,
    tail: &str,
) -> reqwest::Response {
    c.post(
        "/api/v1/auth/roster-match",
        json!({"school": school, "student_number": number, "name": name,
               "id_tail": tail, "accept_privacy": true}),
    )
    .await
}

/// Matches as the first student of `students()` with a fresh client; returns it signed in and
/// the session answer.
async fn matched(app: &TestApp) -> (Client, Value) {
    let s = &students()[0];
    let mut c = app.client();
    let r = match_as(&c, s.school, s.number, s.name, &tail(&s.id)).await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    c.csrf = Some(body["csrf_token"].as_str().unwrap().to_string());
    (c, body)
}

fn form_csrf(html: &str) -> String {
    let start = html.find("name=\"_csrf\" value=\"").unwrap() + 20;
    html[start..].split('"').next().unwrap().to_string()
}

fn xlsx_of(rows: &[Student]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, h) in HEADER.split(',').enumerate() {
        sheet.write_string(0, col as u16, h).unwrap();
    }
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        // As registrars' spreadsheets have them: numbers as numbers, the ID number as text.
        sheet
            .write_number(row, 0, r.number.parse::<f64>().unwrap())
            .unwrap();
        sheet.write_string(row, 1, r.name).unwrap();
        sheet.write_string(row, 2, &r.id).unwrap();
        sheet.write_string(row, 3, r.school).unwrap();
        sheet.write_string(row, 5, r.major).unwrap();
        sheet.write_string(row, 6, "硕士").unwrap();
        sheet.write_number(row, 7, 2026.0).unwrap();
        if !r.phone.is_empty() {
            sheet
                .write_number(row, 8, r.phone.parse::<f64>().unwrap())
                .unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

both_backends! {
    async fn a_csv_roster_is_imported_row_by_row(app) {
        let staff = app.signed_in(Role::OrganizerStaff, "staff@tju.edu.cn").await;
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(csv_of(&students()));
        let report = imported(&staff, "2026届名单.csv", bytes).await;
        assert_eq!(report["imported"], true);
        assert_eq!((report["rows_total"].as_i64(), report["inserted"].as_i64(), report["updated"].as_i64()),
                   (Some(3), Some(3), Some(0)));
        let lines: Vec<i64> = report["accepted"].as_array().unwrap().iter()
            .map(|a| a["line"].as_i64().unwrap()).collect();
        assert_eq!(lines, vec![2, 3, 4]);
        assert_eq!(report["accepted"][0]["action"], "inserted");
        let masked = report["accepted"][0]["id_masked"].as_str().unwrap();
        assert!(masked.contains("***") && !masked.contains(&students()[0].id[3..14]));

        let o = overview(&staff).await;
        assert_eq!(o["entries"], 3);
        assert_eq!(o["matched"], 0);
        assert_eq!(o["imports"][0]["file_name"], "2026届名单.csv");
        assert_eq!(o["imports"][0]["rows_inserted"], 3);
        assert_eq!(o["imports"][0]["uploaded_by"], "测试用户");
    }

    async fn an_xlsx_roster_is_imported(app) {
        let staff = app.signed_in(Role::OrganizerStaff, "staff@tju.edu.cn").await;
        let report = imported(&staff, "名单.xlsx", xlsx_of(&students())).await;
        assert_eq!(report["imported"], true);
        assert_eq!(report["inserted"], 3);
        assert_eq!(report["accepted"][0]["student_number"], "2021001");
        let (number, degree, year, phone): (String, Option<String>, Option<i64>, Option<String>) =
            sqlx::query_as("SELECT student_number, degree, graduation_year, phone FROM roster_entries \
                            WHERE name = '李明'")
                .fetch_one(app.store.pool()).await.unwrap();
        assert_eq!((number.as_str(), degree.as_deref(), year, phone.as_deref()),
                   ("2021001", Some("master"), Some(2026), Some("13800000001")));
    }

    async fn a_roster_with_bad_rows_imports_nothing_and_reports_each_line(app) {
        let staff = app.signed_in(Role::OrganizerStaff, "staff@tju.edu.cn").await;
        imported(&staff, "first.csv", csv_of(&students()[..1])).await;

        let csv = format!(
            "{HEADER}\n\
             2021010,赵磊,{},天津大学,,,,,\n\
             2021011,钱进,{},天津大学,,,,,\n\
             2021012,,{},天津大学,,,,,\n\
             2021010,孙丽,{},天津大学,,,,,\n",
            id("11010520030315001"), bad_id("11010520030315002"),
            id("11010520030315003"), id("11010520030315004"),
        );
        let r = upload(&staff, "bad.csv", csv.into_bytes()).await;
        assert_eq!(r.status(), 422);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["code"], "invalid_rows");
        assert!(body["message"].as_str().unwrap().contains("未导入"));
        let report = &body["report"];
        assert_eq!(report["imported"], false);
        assert_eq!(report["problems_total"], 3);
        let problems: Vec<(i64, String, String)> = report["problems"].as_array().unwrap().iter()
            .map(|p| (p["line"].as_i64().unwrap(), p["field"].as_str().unwrap().to_string(),
                      p["code"].as_str().unwrap().to_string()))
            .collect();
        assert_eq!(problems, vec![
            (3, "id_number".to_string(), "invalid_id_check".to_string()),
            (4, "name".to_string(), "required".to_string()),
            (5, "student_number".to_string(), "duplicate_student".to_string()),
        ]);
        assert_eq!(report["problems"][0]["message"], "第 3 行：身份证号校验位不正确，请核对");
        assert!(report["problems"][2]["message"].as_str().unwrap().contains("第 2 行"));
        assert_eq!(report["accepted"][0]["action"], "checked");

        assert_eq!(roster_count(&app).await, 1, "nothing of the bad file was written");
        assert_eq!(overview(&staff).await["imports"].as_array().unwrap().len(), 1);
    }

    async fn a_malformed_csv_or_xlsx_gets_a_clear_error_and_imports_nothing(app) {
        let staff = app.signed_in(Role::OrganizerStaff, "staff@tju.edu.cn").await;
        let garbage: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        let mut zip_garbage = b"PK\x03\x04".to_vec();
        zip_garbage.extend(&garbage);
        for (name, bytes, code) in [
            ("roster.csv", garbage.clone(), "invalid_csv"),
            ("roster.xlsx", garbage.clone(), "invalid_xlsx"),
            ("roster.xlsx", zip_garbage, "invalid_xlsx"),
            ("roster.csv", "姓名,专业\n李明,软件工程\n".as_bytes().to_vec(), "missing_columns"),
            ("roster.csv", format!("{HEADER}\n").into_bytes(), "no_rows"),
            // Excel's "Unicode text" is UTF-16: not a CSV this reads.
            ("roster.csv", format!("{HEADER}\n").encode_utf16().flat_map(u16::to_le_bytes).collect(),
             "invalid_csv"),
        ] {
            let r = upload(&staff, name, bytes).await;
            assert_eq!(r.status(), 422, "{code}");
            let body: Value = r.json().await.unwrap();
            assert_eq!(body["code"], code);
            assert_eq!(body["field"], "file");
            assert!(!body["message"].as_str().unwrap().is_empty());
        }
        let r = staff.http.post(staff.url("/api/v1/staff/roster"))
            .header("x-csrf-token", staff.csrf.clone().unwrap())
            .multipart(reqwest::multipart::Form::new().text("note", "x"))
            .send().await.unwrap();
        assert_eq!(error_code(r).await, (422, "file_required".to_string()));

        assert_eq!(roster_count(&app).await, 0);
        let o = overview(&staff).await;
        assert_eq!(o["entries"], 0);
        assert!(o["imports"].as_array().unwrap().is_empty());
    }

    async fn a_gbk_csv_from_excel_is_read(app) {
        let staff = app.signed_in(Role::OrganizerStaff, "staff@tju.edu.cn").await;
        let text = String::from_utf8(csv_of(&students())).unwrap();
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let report = imported(&staff, "名单.csv", gbk.into_owned()).await;
        assert_eq!(report["accepted"][0]["name"], "李明");
        assert_eq!(report["accepted"][0]["school"], "天津大学");
    }

    async fn re_importing_updates_without_duplicates_and_keeps_the_student_link(app) {
        let staff = app.signed_in(Role::OrganizerStaff, "staff@tju.edu.cn").await;
        imported(&staff, "v1.csv", csv_of(&students())).await;
        let (_, first) = matched(&app).await;
        let user_id = first["user"]["id"].as_i64().unwrap();

        let mut changed = students();
        changed[0].major = "人工智能";
        changed[1].name = "王 芳";
        // The same school spelled with a space in it is the same school.
        let mut csv = String::from_utf8(csv_of(&changed)).unwrap();
        csv = csv.replace("南开大学", "南开 大学");
        let report = imported(&staff, "v2.csv", csv.into_bytes()).await;
        assert_eq!((report["inserted"].as_i64(), report["updated"].as_i64()), (Some(0), Some(3)));
        assert_eq!(report["accepted"][0]["action"], "updated");
        assert_eq!(roster_count(&app).await, 3);

        let (major, linked): (Option<String>, Option<i64>) =
            sqlx::query_as("SELECT major, user_id FROM roster_entries WHERE name = '李明'")
                .fetch_one(app.store.pool()).await.unwrap();
        assert_eq!(major.as_deref(), Some("人工智能"));
        assert_eq!(linked, Some(user_id));
        let o = overview(&staff).await;
        assert_eq!((o["entries"].as_i64(), o["matched"].as_i64()), (Some(3), Some(1)));
        assert_eq!(o["imports"].as_array().unwrap().len(), 2);
        assert_eq!(o["imports"][0]["file_name"], "v2.csv");

        let (_, again) = matched(&app).await;
        assert_eq!(again["user"]["id"].as_i64(), Some(user_id));
        assert_eq!(again["created"], false);
    }

    async fn a_new_id_number_for_a_student_number_unlinks_the_old_student(app) {
        let staff = app.signed_in(Role::OrganizerStaff, "staff@tju.edu.cn").await;
        imported(&staff, "v1.csv", csv_of(&students())).await;
        matched(&app).await;
        let mut changed = students();
        changed[0].id = id("11010520030315999");
        imported(&staff, "v2.csv", csv_of(&changed)).await;
        let linked: Option<i64> =
            sqlx::query_scalar("SELECT user_id FROM roster_entries WHERE name = '李明'")
                .fetch_one(app.store.pool()).await.unwrap();
        assert_eq!(linked, None, "another person's ID: the old link must not carry over");
    }

    async fn an_exact_match_signs_in_verifies_and_fills_the_resume(app) {
        let staff = app.signed_in(Role::OrganizerStaff, "staff@tju.edu.cn").await;
        imported(&staff, "v1.csv", csv_of(&students())).await;
        let s = &students()[1];
        let mut c = app.client();
        // Spaces, full-width characters and a lower-case x do not matter.
        let r = match_as(&c, " 天津大学 ", "２０２１００２", "王　芳", &tail(&s.id).to_lowercase()).await;
        assert_eq!(r.status(), 200);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["created"], true);
        assert_eq!(body["user"]["role"], "student");
        assert_eq!(body["user"]["display_name"], "王芳");
        let user_id = body["user"]["id"].as_i64().unwrap();
        c.csrf = Some(body["csrf_token"].as_str().unwrap().to_string());
        let me: Value = c.get("/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["user"]["id"].as_i64(), Some(user_id));

        let (verified, consent): (Option<i64>, Option<String>) =
            sqlx::query_as("SELECT verified_at, consent_version FROM users WHERE id = $1")
                .bind(user_id).fetch_one(app.store.pool()).await.unwrap();
        assert!(verified.is_some());
        assert!(consent.is_some());
        let (texts, year): (String, Option<i64>) = sqlx::query_as(
            "SELECT name || '|' || school || '|' || college || '|' || major || '|' || degree, \
             graduation_year FROM resumes WHERE user_id = $1")
            .bind(user_id).fetch_one(app.store.pool()).await.unwrap();
        assert_eq!(texts, "王芳|天津大学|智能与计算学部|机械工程|bachelor");
        assert_eq!(year, Some(2026));
        let score: i64 = sqlx::query_scalar("SELECT completeness FROM resumes WHERE user_id = $1")
            .bind(user_id).fetch_one(app.store.pool()).await.unwrap();
        assert!(score > 0, "the stored score counts the filled basics");

        let again = match_as(&app.client(), s.school, s.number, s.name, &tail(&s.id)).await;
        let again: Value = again.json().await.unwrap();
        assert_eq!(again["user"]["id"].as_i64(), Some(user_id));
        assert_eq!(again["created"], false);
        let students_n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'student'")
            .fetch_one(app.store.pool()).await.unwrap();
        assert_eq!(students_n, 1, "a second match creates no second student");
    }

    async fn a_match_never_takes_over_the_account_that_signs_in_with_the_roster_phone(app) {
        // The phone column comes from a file nobody verified: a wrong or forged row must not
        // open someone else's account.
        let staff = app.signed_in(Role::OrganizerStaff, "staff@tju.edu.cn").await;
        imported(&staff, "v1.csv", csv_of(&students())).await;
        app.student("13800000001").await;
        let existing: i64 = sqlx::query_scalar("SELECT id FROM users WHERE phone = '13800000001'")
            .fetch_one(app.store.pool()).await.unwrap();
        sqlx::query("INSERT INTO resumes (user_id, name, major, updated_at) VALUES ($1, '李小明', '', 1)")
            .bind(existing).execute(app.store.pool()).await.unwrap();

        let (_, body) = matched(&app).await;
        let new_id = body["user"]["id"].as_i64().unwrap();
        assert_ne!(new_id, existing);
        assert_eq!(body["created"], true);
        let login_phone: Option<String> = sqlx::query_scalar("SELECT phone FROM users WHERE id = $1")
            .bind(new_id).fetch_one(app.store.pool()).await.unwrap();
        assert_eq!(login_phone, None, "the roster's phone is not a login");
        let (name, major): (Option<String>, Option<String>) =
            sqlx::query_as("SELECT name, major FROM resumes WHERE user_id = $1")
                .bind(existing).fetch_one(app.store.pool()).await.unwrap();
        assert_eq!(name.as_deref(), Some("李小明"), "the phone account's resume is untouched");
        assert_eq!(major.as_deref(), Some(""));
        let (phone, school): (Option<String>, Option<String>) =
            sqlx::query_as("SELECT phone, school FROM resumes WHERE user_id = $1")
                .bind(new_id).fetch_one(app.store.pool()).await.unwrap();
        assert_eq!(phone.as_deref(), Some("13800000001"), "the roster phone fills the resume");
        assert_eq!(school.as_deref(), Some("天津大学"));
    }

    async fn a_wrong_name_id_tail_or_school_is_refused(app) {
        let staff = app.signed_in(Role::OrganizerStaff, "staff@tju.edu.cn").await;
        imported(&staff, "v1.csv", csv_of(&students())).await;
        let s = &students()[0];
        let other = &students()[2];
        let good_tail = tail(&s.id);
        let first = if good_tail.starts_with('0') { '1' } else { '0' };
        let wrong_tail = format!("{first}{}", &good_tail[1..]);
        let mut messages = Vec::new();
        for (school, number, name, t) in [
            (s.school, s.number, "李敏", good_tail.as_str()),
            (s.school, s.number, s.name, wrong_tail.as_str()),
            // 南开大学 has a 2021001 too, but it is another student.
            (other.school, s.number, s.name, good_tail.as_str()),
            ("北京大学", s.number, s.name, good_tail.as_str()),
        ] {
            let c = app.client();
            let r = match_as(&c, school, number, name, t).await;
            assert_eq!(r.status(), 422, "{school} {name} {t}");
            let body: Value = r.json().await.unwrap();
            assert_eq!(body["code"], "roster_no_match");
            messages.push(body["message"].as_str().unwrap().to_string());
            assert_eq!(c.get("/api/v1/me").await.status(), 401);
        }
        messages.dedup();
        assert_eq!(messages.len(), 1, "every failure reads the same");
        assert!(messages[0].contains("手机号"));

        let c = app.client();
        let r = c.post("/api/v1/auth/roster-match",
            json!({"school": s.school, "student_number": s.number, "name": s.name, "id_tail": good_tail})).await;
        assert_eq!(error_code(r).await, (422, "consent_required".to_string()));
        let r = match_as(&c, s.school, s.number, s.name, "12AB").await;
        assert_eq!(error_code(r).await, (422, "invalid_id_tail".to_string()));
        let r = match_as(&c, "", s.number, s.name, &good_tail).await;
        assert_eq!(error_code(r).await, (422, "required".to_string()));
        let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'student'")
            .fetch_one(app.store.pool()).await.unwrap();
        assert_eq!(users, 0);
    }

    async fn matching_is_rate_limited_per_student_and_per_address(app) {
        let staff = app.signed_in(Role::OrganizerStaff, "staff@tju.edu.cn").await;
        imported(&staff, "v1.csv", csv_of(&students())).await;
        let s = &students()[0];
        let c = app.client();
        let mut statuses = Vec::new();
        for _ in 0..6 {
            statuses.push(match_as(&c, s.school, s.number, s.name, "000000").await.status().as_u16());
        }
        assert_eq!(&statuses[..5], &[422; 5]);
        assert_eq!(statuses[5], 429);
        // Even the right answer waits now: guessing the tail is what the limit stops.
        let r = match_as(&c, s.school, s.number, s.name, &tail(&s.id)).await;
        assert_eq!(r.status(), 429);
        assert!(r.headers().get("retry-after").is_some());
        assert_eq!(r.json::<Value>().await.unwrap()["code"], "rate_limited");

        // One address trying many student numbers is stopped too.
        let mut limited = false;
        for n in 0..60 {
            let r = match_as(&c, "天津大学", &format!("99{n:04}"), "某某", "123456").await;
            if r.status() == 429 {
                limited = true;
                break;
            }
            assert_eq!(r.status(), 422);
        }
        assert!(limited);
    }

    async fn only_organizer_staff_import_and_read_rosters(app) {
        let employer = app.signed_in(Role::EmployerAdmin, "hr@example.cn").await;
        let interviewer = app.signed_in(Role::Interviewer, "iv@example.cn").await;
        let student = app.student("13900000009").await;
        for c in [&employer, &interviewer, &student] {
            let r = upload(c, "r.csv", csv_of(&students())).await;
            assert_eq!(error_code(r).await, (403, "forbidden".to_string()));
            let r = c.get("/api/v1/staff/roster").await;
            assert_eq!(r.status(), 403);
            assert_eq!(c.get("/staff/roster").await.status(), 403);
        }
        let anon = app.client();
        assert_eq!(upload(&anon, "r.csv", csv_of(&students())).await.status(), 401);
        assert_eq!(anon.get("/api/v1/staff/roster").await.status(), 401);
        assert_eq!(roster_count(&app).await, 0);
    }

    async fn another_organizers_staff_see_only_their_own_roster(app) {
        let a = app.signed_in(Role::OrganizerStaff, "a@tju.edu.cn").await;
        let b = app.signed_in(Role::OrganizerStaff, "b@nankai.edu.cn").await;
        imported(&a, "a.csv", csv_of(&students())).await;
        let o = overview(&b).await;
        assert_eq!(o["entries"], 0);
        assert!(o["imports"].as_array().unwrap().is_empty());
        let page = b.get("/staff/roster").await.text().await.unwrap();
        assert!(!page.contains("a.csv"));

        // The same students on B's roster are B's rows; A's stay as they were.
        let report = imported(&b, "b.csv", csv_of(&students()[..1])).await;
        assert_eq!(report["inserted"], 1);
        assert_eq!(overview(&a).await["entries"], 3);
        assert_eq!(overview(&b).await["entries"], 1);
        // On both rosters, a student is still one student.
        let (_, first) = matched(&app).await;
        let linked: Vec<Option<i64>> =
            sqlx::query_scalar("SELECT user_id FROM roster_entries WHERE name = '李明' ORDER BY id")
                .fetch_all(app.store.pool()).await.unwrap();
        assert_eq!(linked, vec![first["user"]["id"].as_i64(); 2]);
    }

    async fn the_database_never_holds_the_raw_id_number(app) {
        let staff = app.signed_in(Role::OrganizerStaff, "staff@tju.edu.cn").await;
        imported(&staff, "v1.csv", csv_of(&students())).await;
        imported(&staff, "v2.xlsx", xlsx_of(&students())).await;
        matched(&app).await;
        // Every text column of every row.
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT id_hash, id_tail_hash, school || '|' || school_key || '|' || student_number || '|' \
             || name || '|' || id_salt || '|' || COALESCE(college, '') || '|' || COALESCE(major, '') \
             || '|' || COALESCE(degree, '') || '|' || COALESCE(phone, '') FROM roster_entries")
            .fetch_all(app.store.pool()).await.unwrap();
        assert_eq!(rows.len(), 3);
        let imports: Vec<String> = sqlx::query_scalar("SELECT file_name FROM roster_imports")
            .fetch_all(app.store.pool()).await.unwrap();
        let resumes: Vec<(Option<String>, Option<String>)> =
            sqlx::query_as("SELECT name, phone FROM resumes")
                .fetch_all(app.store.pool()).await.unwrap();
        let mut text: Vec<String> = imports;
        for (id_hash, tail_hash, rest) in rows {
            assert_eq!(id_hash.len(), 64, "an HMAC-SHA256, hex");
            assert_ne!(id_hash, tail_hash);
            text.extend([id_hash, tail_hash, rest]);
        }
        for (n, p) in resumes {
            text.extend(n.into_iter().chain(p));
        }
        for s in students() {
            let id_upper = s.id.to_uppercase();
            for t in &text {
                assert!(!t.to_uppercase().contains(&id_upper), "raw ID number stored");
                assert!(!t.contains(&s.id[..14]), "ID number prefix stored");
            }
        }
        // Salts are per row.
        let salts: Vec<String> = sqlx::query_scalar("SELECT DISTINCT id_salt FROM roster_entries")
            .fetch_all(app.store.pool()).await.unwrap();
        assert_eq!(salts.len(), 3);
    }

    async fn the_staff_page_imports_a_file_and_shows_the_report(app) {
        let staff = app.signed_in(Role::OrganizerStaff, "staff@tju.edu.cn").await;
        let page = staff.get("/staff/roster").await.text().await.unwrap();
        assert!(page.contains("enctype=\"multipart/form-data\"") && page.contains("name=\"file\""));
        assert!(page.contains("/staff/roster/template.csv"));
        let csrf = staff.csrf.clone().unwrap();
        let action = format!("/staff/roster?_csrf={csrf}");

        let r = upload_to(&staff, &action, "名单.csv", csv_of(&students())).await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.unwrap();
        assert!(html.contains("导入成功") && html.contains("李明") && html.contains("名单.csv"));
        assert!(!html.contains(&students()[0].id));

        let bad = format!("{HEADER}\n2021001,,{},天津大学\n", students()[0].id);
        let r = upload_to(&staff, &action, "bad.csv", bad.into_bytes()).await;
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("没有导入任何数据") && html.contains("第 2 行：姓名不能为空"));

        let r = upload_to(&staff, &action, "bad.xlsx", b"nope".to_vec()).await;
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("不是有效的 Excel"));
        assert_eq!(overview(&staff).await["entries"], 3);

        let r = staff.get("/staff/roster/template.csv").await;
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let template = r.bytes().await.unwrap();
        assert!(template.starts_with(b"\xEF\xBB\xBF"), "a BOM, so Excel reads it as UTF-8");
        let template = std::str::from_utf8(&template[3..]).unwrap();
        let cells: Vec<String> = template.trim().split(',').map(str::to_string).collect();
        assert!(cells.contains(&"学号".to_string()) && cells.contains(&"身份证号".to_string()));
        assert!(Header::parse(&cells).is_ok(), "the template's header is one the import reads");
        assert_eq!(app.client().get("/staff/roster/template.csv").await.status(), 303);
    }

    async fn the_match_page_signs_in_and_returns_to_next(app) {
        let staff = app.signed_in(Role::OrganizerStaff, "staff@tju.edu.cn").await;
        imported(&staff, "v1.csv", csv_of(&students())).await;
        let login = app.client().get("/login?next=/f/ABC123").await.text().await.unwrap();
        assert!(login.contains("/roster-match?next=/f/ABC123"), "the login page links here, keeping next");

        let c = app.client();
        let page = c.get("/roster-match?next=/f/ABC123").await.text().await.unwrap();
        assert!(page.contains("name=\"consent\"") && page.contains("value=\"/f/ABC123\""));
        let csrf = form_csrf(&page);
        let s = &students()[0];
        let form = |name: &str, consent: bool| {
            let mut f = vec![("_csrf", csrf.clone()), ("next", "/f/ABC123".to_string()),
                ("school", s.school.to_string()), ("student_number", s.number.to_string()),
                ("name", name.to_string()), ("id_tail", tail(&s.id))];
            if consent { f.push(("consent", "1".to_string())); }
            f
        };
        let r = c.http.post(c.url("/roster-match")).form(&form("李敏", true)).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("未能匹配") && html.contains("/login?tab=phone&amp;next=/f/ABC123"));
        assert!(html.contains("value=\"李敏\""), "what was typed is kept");

        let r = c.http.post(c.url("/roster-match")).form(&form(s.name, false)).send().await.unwrap();
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("请阅读并同意隐私政策"));

        let r = c.http.post(c.url("/roster-match")).form(&form(s.name, true)).send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/f/ABC123");
        let me: Value = c.get("/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["user"]["role"], "student");
        let again = c.get("/roster-match?next=/student/resume").await;
        assert_eq!(again.status(), 303, "a signed-in student goes straight on");
    }
}
