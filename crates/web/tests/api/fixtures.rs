//! A fair with approved employers in it, for the student-side tests (venue, deliveries, chat,
//! resumes seen by employers). Written straight to the store, so each feature's tests set up
//! only what they test.

use fairhall_domain::account::Role;
use fairhall_store::fairs::Fair;

use crate::helpers::{Client, TestApp};

pub const HOUR: i64 = 3_600_000;

pub struct VenueOptions {
    /// The live window, relative to now (ms). Default: tomorrow, 8 hours (before the fair day).
    pub live: (i64, i64),
    pub min_completeness: i64,
    /// How many employers get an approved registration. The first has signed-in clients.
    pub employers: usize,
}

impl Default for VenueOptions {
    fn default() -> Self {
        VenueOptions {
            live: (24 * HOUR, 32 * HOUR),
            min_completeness: 70,
            employers: 1,
        }
    }
}

pub struct VenueEmployer {
    pub employer_id: i64,
    pub registration_id: i64,
    pub name: String,
    /// Position ids chosen in the registration.
    pub positions: Vec<i64>,
}

pub struct Venue {
    pub fair_id: i64,
    pub code: String,
    pub organizer_id: i64,
    /// Organizer staff of the fair's organizer, signed in.
    pub staff: Client,
    pub staff_email: String,
    pub employers: Vec<VenueEmployer>,
    /// The first employer's admin (`hr0@venue.cn`) and interviewer (`iv0@venue.cn`), signed in.
    pub hr: Client,
    pub hr_email: String,
    pub interviewer: Client,
    pub interviewer_email: String,
    pub interviewer_id: i64,
}

async fn scalar(app: &TestApp, sql: &str, binds: &[&dyn ToBind]) -> i64 {
    let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_string()));
    for b in binds {
        q = b.bind_to(q);
    }
    q.fetch_one(app.store.pool()).await.unwrap()
}

type Scalar<'q> = sqlx::query::QueryScalar<'q, sqlx::Any, i64, sqlx::any::AnyArguments>;

pub trait ToBind: Sync {
    fn bind_to<'q>(&self, q: Scalar<'q>) -> Scalar<'q>;
}
impl ToBind for i64 {
    fn bind_to<'q>(&self, q: Scalar<'q>) -> Scalar<'q> {
        q.bind(*self)
    }
}
impl ToBind for &str {
    fn bind_to<'q>(&self, q: Scalar<'q>) -> Scalar<'q> {
        q.bind(self.to_string())
    }
}

const INDUSTRIES: [&str; 3] = ["互联网", "制造业", "金融"];
const CITIES: [&str; 3] = ["天津", "北京", "上海"];
const EDUCATION: [&str; 3] = ["本科", "硕士", "博士"];
const MAJORS: [&str; 3] = ["计算机", "机械", "金融学"];

impl TestApp {
    /// A fair of a new organizer with `employers` approved registrations. Employer `i` has
    /// industry `INDUSTRIES[i % 3]`, city `CITIES[i % 3]` and two positions whose education and
    /// majors follow the same rotation.
    pub async fn venue(&self, opts: VenueOptions) -> Venue {
        let tag = format!("{:06x}", rand::random::<u32>() & 0xff_ffff);
        let staff_email = format!("staff-{tag}@venue.cn");
        let staff = self.signed_in(Role::OrganizerStaff, &staff_email).await;
        let organizer_id = self
            .store
            .credentials_by_email(&staff_email)
            .await
            .unwrap()
            .unwrap()
            .user
            .organizer_id
            .unwrap();
        let now = fairhall_app::now_ms();
        let code = format!("v{tag}");
        let fair_id = self
            .store
            .insert_fair(&Fair {
                id: 0,
                organizer_id,
                title: "2026 秋季视频双选会".into(),
                details: "<p>欢迎参加</p>".into(),
                signup_opens_at: now - 48 * HOUR,
                signup_closes_at: now + 12 * HOUR,
                starts_at: now + opts.live.0,
                ends_at: now + opts.live.1,
                min_completeness: opts.min_completeness,
                employer_limit: None,
                entry_code: code.clone(),
                created_at: now,
            })
            .await
            .unwrap();

        let mut employers = Vec::new();
        let mut hr = None;
        let mut interviewer = None;
        let mut interviewer_id = 0;
        let hr_email = format!("hr0-{tag}@venue.cn");
        let interviewer_email = format!("iv0-{tag}@venue.cn");
        for i in 0..opts.employers {
            let name = format!("测试单位{i:04}");
            let employer_id = if i == 0 {
                let email = hr_email.clone();
                let c = self.signed_in(Role::EmployerAdmin, &email).await;
                hr = Some(c);
                self.store
                    .credentials_by_email(&email)
                    .await
                    .unwrap()
                    .unwrap()
                    .user
                    .employer_id
                    .unwrap()
            } else {
                self.store.insert_employer(&name, now).await.unwrap()
            };
            scalar(
                self,
                "UPDATE employers SET name = $1, industry = $2, city = $3, size = '100-499人', \
                 description = '一家测试单位' WHERE id = $4 RETURNING id",
                &[
                    &name.as_str(),
                    &INDUSTRIES[i % 3],
                    &CITIES[i % 3],
                    &employer_id,
                ],
            )
            .await;
            scalar(
                self,
                "INSERT INTO join_requests (employer_id, organizer_id, status, submitted_at) \
                 VALUES ($1, $2, 'approved', $3) RETURNING id",
                &[&employer_id, &organizer_id, &now],
            )
            .await;
            let mut positions = Vec::new();
            for (k, title) in ["软件工程师", "数据分析师"].iter().enumerate() {
                let j = (i + k) % 3;
                positions.push(
                    scalar(
                        self,
                        "INSERT INTO positions (employer_id, title, headcount, education, majors, \
                         city, salary_min, salary_max, description, created_at, updated_at) \
                         VALUES ($1, $2, 3, $3, $4, $5, 8, 15, '负责产品研发', $6, $6) RETURNING id",
                        &[
                            &employer_id,
                            title,
                            &EDUCATION[j],
                            &MAJORS[j],
                            &CITIES[i % 3],
                            &now,
                        ],
                    )
                    .await,
                );
            }
            let registration_id = scalar(
                self,
                "INSERT INTO registrations (fair_id, employer_id, status, contact_name, \
                 contact_phone, submitted_at, reviewed_at, updated_at) \
                 VALUES ($1, $2, 'approved', '张经理', '022-23456789', $3, $3, $3) RETURNING id",
                &[&fair_id, &employer_id, &now],
            )
            .await;
            for p in &positions {
                scalar(
                    self,
                    "INSERT INTO registration_positions (registration_id, position_id) \
                     VALUES ($1, $2) RETURNING registration_id",
                    &[&registration_id, p],
                )
                .await;
            }
            if i == 0 {
                let email = interviewer_email.clone();
                interviewer_id = self
                    .state
                    .create_password_account(
                        Role::Interviewer,
                        &email,
                        crate::helpers::PASSWORD,
                        "李面试官",
                        None,
                        Some(employer_id),
                    )
                    .await
                    .unwrap()
                    .id;
                scalar(
                    self,
                    "INSERT INTO registration_interviewers (registration_id, user_id) \
                     VALUES ($1, $2) RETURNING registration_id",
                    &[&registration_id, &interviewer_id],
                )
                .await;
                let mut c = self.client();
                c.sign_in(&email, crate::helpers::PASSWORD).await;
                interviewer = Some(c);
            }
            employers.push(VenueEmployer {
                employer_id,
                registration_id,
                name,
                positions,
            });
        }
        Venue {
            fair_id,
            code,
            organizer_id,
            staff,
            staff_email,
            employers,
            hr: hr.expect("at least one employer"),
            hr_email,
            interviewer_email,
            interviewer: interviewer.expect("at least one employer"),
            interviewer_id,
        }
    }

    /// The user id of the student with this phone.
    pub async fn student_id(&self, phone: &str) -> i64 {
        scalar(
            self,
            "SELECT id FROM users WHERE role = 'student' AND phone = $1",
            &[&phone],
        )
        .await
    }

    /// A signed-in student who has entered the fair (written straight to the store, skipping
    /// the resume gate). Returns the client and the student's id.
    pub async fn entered_student(&self, fair_id: i64, phone: &str) -> (Client, i64) {
        let c = self.student(phone).await;
        let id = self.student_id(phone).await;
        self.store
            .insert_fair_entry(fair_id, id, 80, fairhall_app::now_ms())
            .await
            .unwrap();
        (c, id)
    }
}

/// Fills the signed-in student's resume through the API to 80 %: basics, one education, one
/// internship, skills, an award and a self-evaluation (no photo or attachment).
pub async fn fill_resume(app: &TestApp, c: &Client) {
    use serde_json::json;
    let send = |method: reqwest::Method, path: &str, body: serde_json::Value| {
        let mut req = c.http.request(method, c.url(path)).json(&body);
        if let Some(t) = &c.csrf {
            req = req.header("x-csrf-token", t);
        }
        req.send()
    };
    let steps = [
        (
            reqwest::Method::PUT,
            "/api/v1/resume/basics",
            json!({
                "name": "李明", "gender": "male", "birth_month": "2003-05", "phone": "13812345678",
                "email": "liming@example.com", "school": "天津大学", "college": "智能与计算学部",
                "major": "软件工程", "degree": "本科", "graduation_year": "2026",
                "cities": ["天津", "北京"], "positions": ["软件工程师"], "salary": "8K-12K"
            }),
        ),
        (
            reqwest::Method::POST,
            "/api/v1/resume/education",
            json!({
                "school": "天津大学", "major": "软件工程", "degree": "本科",
                "start": "2022-09", "end": "2026-06"
            }),
        ),
        (
            reqwest::Method::POST,
            "/api/v1/resume/experience",
            json!({
                "organisation": "某科技公司", "role": "开发实习生", "start": "2025-07", "end": "2025-09",
                "description": "参与后台接口开发与测试"
            }),
        ),
        (
            reqwest::Method::PUT,
            "/api/v1/resume/skills",
            json!({"skills": ["CET-6", "Python", "SQL"]}),
        ),
        (
            reqwest::Method::POST,
            "/api/v1/resume/awards",
            json!({"name": "数学建模竞赛一等奖", "date": "2024-11"}),
        ),
        (
            reqwest::Method::PUT,
            "/api/v1/resume/self-evaluation",
            json!({
                "self_evaluation": "踏实认真，乐于学习，有团队合作经验。"
            }),
        ),
    ];
    for (method, path, body) in steps {
        let r = send(method, path, body).await.unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
    }
    let r = c.get("/api/v1/resume").await;
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(
        body["percent"].as_u64() >= Some(80),
        "resume of {} filled",
        app.base
    );
}
