//! Student-side figures on a city-sized fair: the employer list a student pages through with
//! 1 000 approved employers, and a roster import.
//!
//! `cargo bench -p fairhall-app --bench students` (SQLite in a temporary folder). With
//! `FAIRHALL_BENCH_DATABASE_URL=postgres://…` it runs on that PostgreSQL database instead (it
//! must be empty; it is migrated). Prints the median and p95 of each case; the figures are
//! recorded in BENCHMARKS.md.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use fairhall_app::venue::EmployerQuery;
use fairhall_app::{App, Config, now_ms};
use fairhall_domain::account::Role;
use fairhall_domain::fair::OrganizerKind;
use fairhall_realtime::{Bus, Hub, HubConfig, InProcessBus};
use fairhall_store::Store;
use fairhall_store::fairs::Fair;
use fairhall_store::users::{NewUser, User};

const EMPLOYERS: usize = 1_000;
const ROSTER_ROWS: usize = 5_000;
const RUNS: usize = 50;

const CITIES: [&str; 5] = ["天津", "北京", "上海", "深圳", "成都"];
const INDUSTRIES: [&str; 4] = ["互联网", "制造业", "金融", "教育"];
const EDUCATION: [&str; 3] = ["本科", "硕士", "博士"];
const MAJORS: [&str; 4] = ["计算机", "机械", "金融学", "化学工程"];

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let median = times[times.len() / 2];
    let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
    println!(
        "{name:<48} median {:>8.2} ms   p95 {:>8.2} ms   ({} runs)",
        median.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3,
        times.len()
    );
}

/// A fair with `EMPLOYERS` approved registrations, three positions each, written in one
/// transaction straight to the store.
async fn seed_fair(store: &Store, organizer_id: i64) -> i64 {
    let now = now_ms();
    let fair_id = store
        .insert_fair(&Fair {
            id: 0,
            organizer_id,
            title: "津英就业 城市视频双选会".into(),
            details: "<p>bench</p>".into(),
            signup_opens_at: now - 86_400_000,
            signup_closes_at: now + 86_400_000,
            starts_at: now + 86_400_000,
            ends_at: now + 2 * 86_400_000,
            min_completeness: 70,
            employer_limit: None,
            entry_code: format!("bench{}", rand::random::<u32>()),
            created_at: now,
        })
        .await
        .unwrap();
    let mut tx = store.pool().begin().await.unwrap();
    for i in 0..EMPLOYERS {
        let name = format!("城市测试单位{i:04}有限公司");
        let employer_id: i64 = sqlx::query_scalar(
            "INSERT INTO employers (name, industry, city, size, description, created_at) \
             VALUES ($1, $2, $3, '100-499人', '一家测试单位', $4) RETURNING id",
        )
        .bind(&name)
        .bind(INDUSTRIES[i % INDUSTRIES.len()])
        .bind(CITIES[i % CITIES.len()])
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        let registration_id: i64 = sqlx::query_scalar(
            "INSERT INTO registrations (fair_id, employer_id, status, contact_name, contact_phone, \
             submitted_at, reviewed_at, updated_at) \
             VALUES ($1, $2, 'approved', '张经理', '022-23456789', $3, $3, $3) RETURNING id",
        )
        .bind(fair_id)
        .bind(employer_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        for k in 0..3 {
            let j = i + k;
            let position_id: i64 = sqlx::query_scalar(
                "INSERT INTO positions (employer_id, title, headcount, education, majors, city, \
                 salary_min, salary_max, description, created_at, updated_at) \
                 VALUES ($1, $2, 3, $3, $4, $5, 8, 15, '负责产品研发', $6, $6) RETURNING id",
            )
            .bind(employer_id)
            .bind(["软件工程师", "数据分析师", "机械设计师"][k])
            .bind(EDUCATION[j % EDUCATION.len()])
            .bind(MAJORS[j % MAJORS.len()])
            .bind(CITIES[i % CITIES.len()])
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
            sqlx::query(
                "INSERT INTO registration_positions (registration_id, position_id) VALUES ($1, $2)",
            )
            .bind(registration_id)
            .bind(position_id)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();
    fair_id
}

fn roster_csv(rows: usize, major: &str) -> Vec<u8> {
    let mut out = String::from("学号,姓名,身份证号,学校,学院,专业,学历,毕业年份,手机号\n");
    for i in 0..rows {
        // Born 2003-01-01 + i / 1000 days, sequence i % 1000: every number differs.
        let first17 = format!("1101052003010{}{:03}", 1 + i / 1000, i % 1000);
        let check = fairhall_domain::roster::check_char(&first17).unwrap();
        out.push_str(&format!(
            "2022{i:06},学生{i},{first17}{check},天津大学,智能与计算学部,{major},本科,2026,\n"
        ));
    }
    out.into_bytes()
}

async fn time<F, Fut, T>(runs: usize, mut f: F) -> Vec<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(f().await);
        times.push(t.elapsed());
    }
    times
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    let (store, backend) = match std::env::var("FAIRHALL_BENCH_DATABASE_URL") {
        Ok(url) => (Store::connect(&url).await?, "PostgreSQL"),
        Err(_) => (Store::open_sqlite(dir.path()).await?, "SQLite"),
    };
    store.migrate().await?;
    let bus: Arc<dyn Bus> = Arc::new(InProcessBus::default());
    let hub = Hub::start(HubConfig::default(), bus);
    // The app reads through its own read cache, as a server's does; the bench arranges its data
    // through the plain handle.
    let cached = store
        .clone()
        .with_read_cache(Duration::from_millis(config.database.read_cache_ms.into()));
    let app = App::new(config, cached, hub).await?;
    println!("backend: {backend}");

    let now = now_ms();
    let organizer_id = store
        .insert_organizer(
            &format!("津英就业{}", rand::random::<u32>()),
            OrganizerKind::City,
            now,
        )
        .await?;
    let t = Instant::now();
    let fair_id = seed_fair(&store, organizer_id).await;
    println!(
        "seeded {EMPLOYERS} employers with 3 positions each in {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let student_id = store
        .insert_user(&NewUser {
            role: Role::Student,
            email: None,
            phone: Some("13700000000"),
            password_hash: None,
            display_name: "bench",
            organizer_id: None,
            employer_id: None,
            now,
        })
        .await?;
    store
        .insert_fair_entry(fair_id, student_id, 80, now)
        .await?;
    let student: User = store.user(student_id).await?;

    let query = |q: &str, city: &str, education: &str, page: i64| EmployerQuery {
        q: q.into(),
        city: city.into(),
        education: education.into(),
        page,
        ..EmployerQuery::default()
    };
    let cases = [
        ("employer list, page 1, no filter", query("", "", "", 1)),
        (
            "employer list, page 50 (the last), no filter",
            query("", "", "", 50),
        ),
        (
            "employer list, keyword 数据分析",
            query("数据分析", "", "", 1),
        ),
        (
            "employer list, city 天津 + education 硕士",
            query("", "天津", "硕士", 1),
        ),
        (
            "employer list, keyword matching nothing",
            query("不存在的单位", "", "", 1),
        ),
    ];
    for (name, q) in &cases {
        let list = app.venue_employers(&student, fair_id, q).await?;
        assert!(
            q.q == "不存在的单位" || !list.listed.employers.is_empty(),
            "{name} found nothing"
        );
        let times = time(RUNS, || app.venue_employers(&student, fair_id, q)).await;
        report(name, times);
    }
    let times = time(RUNS, || app.venue_filters(&student, fair_id)).await;
    report("filter values (cities, industries, …)", times);

    // Roster import: first as new rows, then the same students again as updates.
    let staff = app
        .create_password_account(
            Role::OrganizerStaff,
            &format!("bench{}@staff.cn", rand::random::<u32>()),
            "bench-password-1",
            "bench",
            Some(organizer_id),
            None,
        )
        .await?;
    let first = roster_csv(ROSTER_ROWS, "软件工程");
    let t = Instant::now();
    let r = app.import_roster(&staff, "bench.csv", first).await?;
    let insert = t.elapsed();
    assert!(r.imported, "{:?}", r.problems.first());
    let second = roster_csv(ROSTER_ROWS, "计算机科学与技术");
    let t = Instant::now();
    let again = app.import_roster(&staff, "bench.csv", second).await?;
    let update = t.elapsed();
    assert_eq!(again.updated as usize, ROSTER_ROWS);
    println!(
        "roster import, {} new rows: {:.2} s; the same rows again as updates: {:.2} s",
        r.inserted,
        insert.as_secs_f64(),
        update.as_secs_f64(),
    );
    Ok(())
}
