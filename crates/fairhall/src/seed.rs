//! `fairhall seed`: a fair at city scale for load tests and benchmarks (津英就业-sized: 1 000
//! employers, 50 000 students), written in bulk, plus a signed-in session for every account so
//! a load tool can open authenticated WebSockets without signing in 51 000 times.
//!
//! Everything goes through the same tables the product uses: one organizer and its staff, one
//! fair that is live now, employers approved to join the organizer with one admin, two
//! positions and an approved registration each, and students with a resume who entered the
//! fair. The sessions are ordinary session rows, as a sign-in would write them.
//!
//! It writes through the store directly (bulk inserts no user action makes), so it lives here
//! beside the command line rather than behind the application's methods.

use std::io::Write;

use anyhow::Context;
use fairhall_app::{App, now_ms};
use fairhall_domain::account::Role;
use fairhall_domain::fair::OrganizerKind;
use fairhall_domain::review::{JoinStatus, RegistrationStatus};
use fairhall_store::Store;
use fairhall_store::bulk::Cell;
use fairhall_store::fairs::Fair;
use serde_json::json;

#[cfg(test)]
mod tests;

/// The bulk fair is a real fair (employers listed, students entered) and the sessions it writes
/// are real sign-ins, on both databases.
#[cfg(test)]
mod sqlite {
    #[tokio::test]
    async fn a_seeded_fair_lists_its_employers_and_its_sessions_sign_everyone_in() {
        use super::tests::{
            Backend, a_seeded_fair_lists_its_employers_and_its_sessions_sign_everyone_in as run,
        };
        run(Backend::Sqlite).await;
    }
}

#[cfg(test)]
mod postgres {
    #[tokio::test]
    #[ignore = "needs PostgreSQL at 127.0.0.1:5432 (run by .ci/run)"]
    async fn a_seeded_fair_lists_its_employers_and_its_sessions_sign_everyone_in() {
        use super::tests::{
            Backend, a_seeded_fair_lists_its_employers_and_its_sessions_sign_everyone_in as run,
        };
        run(Backend::Postgres).await;
    }
}

/// The password of every seeded employer admin and of the staff account.
pub const SEED_PASSWORD: &str = "fairhall-load-1";

const HOUR: i64 = 3_600_000;
const INDUSTRIES: [&str; 4] = ["互联网", "制造业", "金融", "教育"];
const CITIES: [&str; 4] = ["天津", "北京", "上海", "深圳"];
const EDUCATION: [&str; 3] = ["本科", "硕士", "博士"];
const MAJORS: [&str; 4] = ["计算机科学与技术", "机械工程", "金融学", "汉语言文学"];
const SCHOOLS: [&str; 5] = [
    "天津大学",
    "南开大学",
    "天津理工大学",
    "天津工业大学",
    "天津师范大学",
];

#[derive(Debug, Clone)]
pub struct SeedSpec {
    pub employers: usize,
    pub students: usize,
    /// How long the sessions stay valid.
    pub session_secs: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedReport {
    pub fair_id: i64,
    pub entry_code: String,
    pub staff_email: String,
    pub employers: usize,
    pub students: usize,
}

fn row(cells: impl IntoIterator<Item = Cell>) -> Vec<Cell> {
    cells.into_iter().collect()
}

/// Writes the fair and its people into `store` (the one `app` runs on), and one JSON line per
/// account to `out`: `{"kind":"fair",…}` first, then `staff`, `employer` and `student` lines
/// with `user_id`, `cookie` (the `fairhall_session` value) and `csrf`.
pub async fn seed_fair(
    app: &App,
    store: &Store,
    spec: &SeedSpec,
    out: &mut impl Write,
) -> anyhow::Result<SeedReport> {
    let now = now_ms();
    let now_secs = now / 1000;
    let tag = format!("{:06x}", rand::random::<u32>() & 0xff_ffff);
    let hash = app.passwords.hash(SEED_PASSWORD).await?;

    let organizer_id = store
        .insert_organizer(&format!("压力测试就业中心-{tag}"), OrganizerKind::City, now)
        .await?;
    let staff_email = format!("staff-{tag}@load.fairhall.test");
    let staff_ids = store
        .bulk_insert_ids(
            "users",
            &[
                "role",
                "email",
                "password_hash",
                "display_name",
                "organizer_id",
                "created_at",
            ],
            "email",
            &[row([
                Role::OrganizerStaff.as_str().into(),
                staff_email.as_str().into(),
                hash.as_str().into(),
                "就业中心老师".into(),
                organizer_id.into(),
                now.into(),
            ])],
        )
        .await?;
    let entry_code = format!("ld{tag}");
    let fair_id = store
        .insert_fair(&Fair {
            id: 0,
            organizer_id,
            title: format!("津英就业 城市视频双选会（压力测试 {tag}）"),
            details: "<p>1 000 家单位、50 000 名学生规模的压力测试场次。</p>".into(),
            signup_opens_at: now - 48 * HOUR,
            signup_closes_at: now + 12 * HOUR,
            starts_at: now - HOUR,
            ends_at: now + 24 * HOUR,
            min_completeness: 60,
            employer_limit: None,
            entry_code: entry_code.clone(),
            created_at: now,
        })
        .await?;

    // Employers, approved to join the organizer, each with an admin account.
    let employer_rows: Vec<Vec<Cell>> = (0..spec.employers)
        .map(|i| {
            row([
                format!("压力测试单位{i:04}-{tag}有限公司").into(),
                INDUSTRIES[i % INDUSTRIES.len()].into(),
                CITIES[i % CITIES.len()].into(),
                "100-499人".into(),
                "一家参加压力测试的单位，招聘研发、数据与设计岗位。".into(),
                "张经理".into(),
                "022-23456789".into(),
                now.into(),
                now.into(),
            ])
        })
        .collect();
    let employer_ids = store
        .bulk_insert_ids(
            "employers",
            &[
                "name",
                "industry",
                "city",
                "size",
                "description",
                "contact_name",
                "contact_phone",
                "created_at",
                "updated_at",
            ],
            "name",
            &employer_rows,
        )
        .await?;
    let rows: Vec<Vec<Cell>> = employer_ids
        .iter()
        .map(|&e| {
            row([
                e.into(),
                organizer_id.into(),
                JoinStatus::Approved.as_str().into(),
                now.into(),
                now.into(),
                staff_ids[0].into(),
            ])
        })
        .collect();
    store
        .bulk_insert(
            "join_requests",
            &[
                "employer_id",
                "organizer_id",
                "status",
                "submitted_at",
                "reviewed_at",
                "reviewed_by",
            ],
            &rows,
        )
        .await?;
    let rows: Vec<Vec<Cell>> = employer_ids
        .iter()
        .enumerate()
        .map(|(i, &e)| {
            row([
                Role::EmployerAdmin.as_str().into(),
                format!("hr{i}-{tag}@load.fairhall.test").into(),
                hash.as_str().into(),
                format!("HR{i:04}").into(),
                e.into(),
                now.into(),
            ])
        })
        .collect();
    let admin_ids = store
        .bulk_insert_ids(
            "users",
            &[
                "role",
                "email",
                "password_hash",
                "display_name",
                "employer_id",
                "created_at",
            ],
            "email",
            &rows,
        )
        .await?;

    // Two positions per employer, and an approved registration choosing both.
    let rows: Vec<Vec<Cell>> = employer_ids
        .iter()
        .enumerate()
        .flat_map(|(i, &e)| {
            [("软件工程师", 0usize), ("数据分析师", 1)].map(|(title, k)| {
                row([
                    e.into(),
                    format!("{title}-{i}-{tag}").into(),
                    3.into(),
                    EDUCATION[(i + k) % EDUCATION.len()].into(),
                    MAJORS[(i + k) % MAJORS.len()].into(),
                    CITIES[i % CITIES.len()].into(),
                    8.into(),
                    15.into(),
                    "负责产品研发与数据分析。".into(),
                    now.into(),
                    now.into(),
                ])
            })
        })
        .collect();
    let position_ids = store
        .bulk_insert_ids(
            "positions",
            &[
                "employer_id",
                "title",
                "headcount",
                "education",
                "majors",
                "city",
                "salary_min",
                "salary_max",
                "description",
                "created_at",
                "updated_at",
            ],
            "title",
            &rows,
        )
        .await?;
    let rows: Vec<Vec<Cell>> = employer_ids
        .iter()
        .map(|&e| {
            row([
                fair_id.into(),
                e.into(),
                RegistrationStatus::Approved.as_str().into(),
                "张经理".into(),
                "022-23456789".into(),
                now.into(),
                now.into(),
                staff_ids[0].into(),
                now.into(),
            ])
        })
        .collect();
    store
        .bulk_insert(
            "registrations",
            &[
                "fair_id",
                "employer_id",
                "status",
                "contact_name",
                "contact_phone",
                "submitted_at",
                "reviewed_at",
                "reviewed_by",
                "updated_at",
            ],
            &rows,
        )
        .await?;
    let registrations: std::collections::HashMap<i64, i64> = store
        .registration_ids_of_fair(fair_id)
        .await?
        .into_iter()
        .map(|(r, e)| (e, r))
        .collect();
    let registration_of = |employer_id: i64| {
        registrations
            .get(&employer_id)
            .copied()
            .context("a seeded employer has no registration")
    };
    let mut rows = Vec::with_capacity(position_ids.len());
    for (i, &e) in employer_ids.iter().enumerate() {
        let r = registration_of(e)?;
        for p in &position_ids[2 * i..2 * i + 2] {
            rows.push(row([r.into(), (*p).into()]));
        }
    }
    store
        .bulk_insert(
            "registration_positions",
            &["registration_id", "position_id"],
            &rows,
        )
        .await?;

    // Students with a resume, entered in the fair. Phone numbers continue after the last
    // seeded ones, so seeding twice into one database works.
    let first_phone = match store.max_student_phone_with_prefix("190").await? {
        Some(p) => p.parse::<i64>().context("a seeded phone number")? + 1,
        None => 19_000_000_000,
    };
    let rows: Vec<Vec<Cell>> = (0..spec.students)
        .map(|i| {
            row([
                Role::Student.as_str().into(),
                (first_phone + i as i64).to_string().into(),
                format!("学生{i:05}").into(),
                now.into(),
                now.into(),
            ])
        })
        .collect();
    let student_ids = store
        .bulk_insert_ids(
            "users",
            &["role", "phone", "display_name", "created_at", "verified_at"],
            "phone",
            &rows,
        )
        .await?;
    let rows: Vec<Vec<Cell>> = student_ids
        .iter()
        .enumerate()
        .map(|(i, &u)| {
            row([
                u.into(),
                format!("学生{i:05}").into(),
                if i % 2 == 0 { "男" } else { "女" }.into(),
                "2003-05".into(),
                (first_phone + i as i64).to_string().into(),
                SCHOOLS[i % SCHOOLS.len()].into(),
                "信息学院".into(),
                MAJORS[i % MAJORS.len()].into(),
                EDUCATION[i % EDUCATION.len()].into(),
                (2026 + (i % 2) as i64).into(),
                CITIES[i % CITIES.len()].into(),
                "软件工程师".into(),
                "Rust、SQL、数据分析".into(),
                "认真负责，乐于学习。".into(),
                80.into(),
                now.into(),
            ])
        })
        .collect();
    store
        .bulk_insert(
            "resumes",
            &[
                "user_id",
                "name",
                "gender",
                "birth_month",
                "phone",
                "school",
                "college",
                "major",
                "degree",
                "graduation_year",
                "cities",
                "intended_positions",
                "skills",
                "self_evaluation",
                "completeness",
                "updated_at",
            ],
            &rows,
        )
        .await?;
    let rows: Vec<Vec<Cell>> = student_ids
        .iter()
        .map(|&u| row([fair_id.into(), u.into(), 80.into(), now.into()]))
        .collect();
    store
        .bulk_insert(
            "fair_entries",
            &["fair_id", "student_id", "completeness", "entered_at"],
            &rows,
        )
        .await?;

    // A session for everyone, written as sign-in writes them, and the lines for the load tool.
    let expires = now + spec.session_secs * 1000;
    let mut sessions = Vec::with_capacity(1 + admin_ids.len() + student_ids.len());
    writeln!(
        out,
        "{}",
        json!({"kind": "fair", "fair_id": fair_id, "entry_code": entry_code, "organizer_id": organizer_id})
    )?;
    let mut line = |kind: &str, user_id: i64, extra: serde_json::Value| -> anyhow::Result<()> {
        let fairhall_web::SeededSession { id, data, csrf } =
            fairhall_web::seeded_session(user_id, now_secs);
        let mut v = json!({"kind": kind, "user_id": user_id, "cookie": id, "csrf": csrf});
        if let (Some(v), serde_json::Value::Object(extra)) = (v.as_object_mut(), extra) {
            v.extend(extra);
        }
        writeln!(out, "{v}")?;
        sessions.push(row([id.into(), data.into(), expires.into()]));
        Ok(())
    };
    line("staff", staff_ids[0], json!({"email": staff_email}))?;
    for (i, (&u, &e)) in admin_ids.iter().zip(&employer_ids).enumerate() {
        line(
            "employer",
            u,
            json!({"employer_id": e, "registration_id": registration_of(e)?, "email": format!("hr{i}-{tag}@load.fairhall.test")}),
        )?;
    }
    for &u in &student_ids {
        line("student", u, json!({}))?;
    }
    out.flush()?;
    store
        .bulk_insert("sessions", &["id", "data", "expires_at"], &sessions)
        .await?;

    Ok(SeedReport {
        fair_id,
        entry_code,
        staff_email,
        employers: employer_ids.len(),
        students: student_ids.len(),
    })
}
