//! Demo data: one of each role and a fair that is live whenever `fairhall demo` runs.
//! Idempotent: running it again finds what is there and only moves the fair's windows.

use fairhall_domain::account::Role;
use fairhall_store::fairs::Fair;

use crate::{App, AppError, AppResult, now_ms};

pub const DEMO_PASSWORD: &str = "fairhall-demo";
pub const DEMO_FAIR_CODE: &str = "demo2026";
pub const DEMO_STUDENT_PHONE: &str = "13800000001";

#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub role: Role,
    pub login: String,
    pub secret: String,
}

#[derive(Debug, Clone)]
pub struct DemoInfo {
    pub logins: Vec<DemoLogin>,
    pub fair_code: String,
}

const HOUR: i64 = 3_600_000;

impl App {
    pub async fn seed_demo(&self) -> AppResult<DemoInfo> {
        let now = now_ms();
        let organizer_name = "天津大学就业指导中心";
        let organizer_id = match self.store.organizer_by_name(organizer_name).await? {
            Some(o) => o.id,
            None => {
                self.store
                    .insert_organizer(organizer_name, "university", now)
                    .await?
            }
        };
        let employer_id = match self
            .store
            .credentials_by_email("hr@demo-employer.cn")
            .await?
        {
            Some(c) => c.user.employer_id.unwrap_or_default(),
            None => {
                self.store
                    .insert_employer("天津示例科技有限公司", now)
                    .await?
            }
        };
        let accounts = [
            (
                Role::PlatformAdmin,
                "admin@fairhall.demo",
                "平台管理员",
                None,
                None,
            ),
            (
                Role::OrganizerStaff,
                "staff@tju.demo",
                "就业中心 王老师",
                Some(organizer_id),
                None,
            ),
            (
                Role::EmployerAdmin,
                "hr@demo-employer.cn",
                "示例科技 人事部",
                None,
                Some(employer_id),
            ),
            (
                Role::Interviewer,
                "interviewer@demo-employer.cn",
                "示例科技 李面试官",
                None,
                Some(employer_id),
            ),
        ];
        let mut logins = Vec::new();
        for (role, email, name, org, emp) in accounts {
            if self.store.credentials_by_email(email).await?.is_none() {
                match self
                    .create_password_account(role, email, DEMO_PASSWORD, name, org, emp)
                    .await
                {
                    Ok(_) | Err(AppError::Conflict { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
            logins.push(DemoLogin {
                role,
                login: email.into(),
                secret: DEMO_PASSWORD.into(),
            });
        }
        logins.push(DemoLogin {
            role: Role::Student,
            login: DEMO_STUDENT_PHONE.into(),
            secret: "手机验证码（见 /admin/outbox 或 `fairhall outbox`）".into(),
        });

        let signup = (now - 7 * 24 * HOUR, now + 24 * HOUR);
        let live = (now - HOUR, now + 8 * HOUR);
        match self.store.fair_by_code(DEMO_FAIR_CODE).await? {
            Some(f) => self.store.set_fair_windows(f.id, signup, live).await?,
            None => {
                self.store
                    .insert_fair(&Fair {
                        id: 0,
                        organizer_id,
                        title: "2026 届天津大学秋季视频双选会".into(),
                        details: "面向 2026 届毕业生的线上视频双选会。学生扫码进入会场，\
                                  完善简历后投递，并与用人单位进行视频面试。"
                            .into(),
                        signup_opens_at: signup.0,
                        signup_closes_at: signup.1,
                        starts_at: live.0,
                        ends_at: live.1,
                        min_completeness: 70,
                        employer_limit: None,
                        entry_code: DEMO_FAIR_CODE.into(),
                        created_at: now,
                    })
                    .await?;
            }
        }
        Ok(DemoInfo {
            logins,
            fair_code: DEMO_FAIR_CODE.into(),
        })
    }
}
