//! Demo data: one of each role, a fair that is live whenever `fairhall demo` runs, and an
//! employer taken through the seed guide's part 1 — registered from the fair, joined, with
//! positions, an interviewer, a brochure and an approved registration — plus a second employer
//! waiting in the join queue. Everything goes through the same actions users take.
//! Idempotent: running it again finds what is there and only moves the fair's windows.

use std::net::{IpAddr, Ipv4Addr};

use fairhall_domain::account::Role;
use fairhall_domain::employer::{PositionInput, ProfileInput, RegistrationInput};
use fairhall_domain::fair::OrganizerKind;
use fairhall_domain::registration::RegistrationDraft;
use fairhall_domain::review::JoinStatus;
use fairhall_store::fairs::Fair;
use fairhall_store::users::User;

use fairhall_domain::resume::{BasicsInput, EducationInput, ExperienceInput};

use crate::brochures::BrochureInput;
use crate::employers::EmployerFiles;
use crate::resumes::EntryInput;
use crate::{App, AppError, AppResult, now_ms};

pub const DEMO_PASSWORD: &str = "fairhall-demo";
pub const DEMO_FAIR_CODE: &str = "demo2026";
pub const DEMO_STUDENT_PHONE: &str = "13800000001";
/// A student with a finished resume who entered the demo fair, delivered and wrote a message.
pub const DEMO_ENTERED_STUDENT_PHONE: &str = "13800000002";
/// What to type on 云就业匹配 for the demo roster's student.
pub const DEMO_ROSTER_MATCH: &str = "天津大学 / 2022000001 / 赵雨桐 / 31002X";

/// The demo organizer's roster (云就业匹配), as staff would upload it.
const DEMO_ROSTER_CSV: &str = "学号,姓名,身份证号,学校,学院,专业,学历,毕业年份,手机号\n\
    2022000001,赵雨桐,11010519491231002X,天津大学,智能与计算学部,软件工程,本科,2026,\n\
    2022000002,孙浩然,110105199003071239,天津大学,化工学院,化学工程与工艺,硕士,2026,\n";

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
const LOCAL: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

fn login(role: Role, email: &str) -> DemoLogin {
    DemoLogin {
        role,
        login: email.into(),
        secret: DEMO_PASSWORD.into(),
    }
}

fn profile(name: &str, code: &str, contact: &str, phone: &str, size: &str) -> ProfileInput {
    ProfileInput {
        name: name.into(),
        credit_code: code.into(),
        contact_name: contact.into(),
        contact_phone: phone.into(),
        contact_email: String::new(),
        industry: "信息技术".into(),
        size: size.into(),
        city: "天津".into(),
        address: "天津市南开区卫津路 92 号".into(),
        description: "专注于工业软件与数据智能，长期招聘优秀应届毕业生。".into(),
    }
}

impl App {
    async fn demo_account(
        &self,
        role: Role,
        email: &str,
        name: &str,
        organizer: Option<i64>,
    ) -> AppResult<User> {
        if let Some(c) = self.store.credentials_by_email(email).await? {
            return Ok(c.user);
        }
        self.create_password_account(role, email, DEMO_PASSWORD, name, organizer, None)
            .await
    }

    /// Registers an employer from the demo fair's entry page, unless its admin exists.
    async fn demo_employer(&self, email: &str, input: ProfileInput) -> AppResult<User> {
        if let Some(c) = self.store.credentials_by_email(email).await? {
            return Ok(c.user);
        }
        let registered = self
            .register_employer(
                &RegistrationInput {
                    profile: input,
                    email: email.into(),
                    password: DEMO_PASSWORD.into(),
                },
                Some(DEMO_FAIR_CODE),
                EmployerFiles::default(),
                LOCAL,
            )
            .await?;
        Ok(registered.user)
    }

    pub async fn seed_demo(&self) -> AppResult<DemoInfo> {
        let now = now_ms();
        let organizer_name = "天津大学就业指导中心";
        let organizer_id = match self.store.organizer_by_name(organizer_name).await? {
            Some(o) => o.id,
            None => {
                self.store
                    .insert_organizer(organizer_name, OrganizerKind::University, now)
                    .await?
            }
        };
        self.demo_account(
            Role::PlatformAdmin,
            "admin@fairhall.demo",
            "平台管理员",
            None,
        )
        .await?;
        let staff = self
            .demo_account(
                Role::OrganizerStaff,
                "staff@tju.demo",
                "就业中心 王老师",
                Some(organizer_id),
            )
            .await?;

        let signup = (now - 7 * 24 * HOUR, now + 24 * HOUR);
        let live = (now - HOUR, now + 8 * HOUR);
        let fair_id = match self.fair_by_code(DEMO_FAIR_CODE).await? {
            Some(f) => {
                self.store.set_fair_windows(f.id, signup, live).await?;
                f.id
            }
            None => {
                self.store
                    .insert_fair(&Fair {
                        id: 0,
                        organizer_id,
                        title: "2026 届天津大学秋季视频双选会".into(),
                        details: fairhall_domain::fair::sanitize_details(
                            "<p>面向 2026 届毕业生的线上视频双选会。</p>\
                             <p>学生扫码进入会场，完善简历后投递，并与用人单位进行视频面试。</p>",
                        ),
                        signup_opens_at: signup.0,
                        signup_closes_at: signup.1,
                        starts_at: live.0,
                        ends_at: live.1,
                        min_completeness: 70,
                        employer_limit: None,
                        entry_code: DEMO_FAIR_CODE.into(),
                        created_at: now,
                    })
                    .await?
            }
        };

        // An employer taken through part 1 of the guide.
        let hr = self
            .demo_employer(
                "hr@demo-employer.cn",
                profile(
                    "天津示例科技有限公司",
                    "91120104MA05K3XQ2X",
                    "人事部 陈经理",
                    "13900000001",
                    "100-499",
                ),
            )
            .await?;
        let employer_id = hr.employer_id.ok_or(AppError::NotFound)?;
        if self.store.join_status(employer_id, organizer_id).await? == Some(JoinStatus::Pending) {
            for item in self.join_queue(&staff, JoinStatus::Pending).await? {
                if item.request.employer_id == employer_id {
                    self.approve_join_request(&staff, item.request.id).await?;
                }
            }
        }
        let interviewer = match self
            .store
            .credentials_by_email("interviewer@demo-employer.cn")
            .await?
        {
            Some(c) => c.user.id,
            None => {
                self.create_interviewer(
                    &hr,
                    "示例科技 李面试官",
                    "13900000002",
                    "interviewer@demo-employer.cn",
                    DEMO_PASSWORD,
                )
                .await?;
                self.store
                    .credentials_by_email("interviewer@demo-employer.cn")
                    .await?
                    .ok_or(AppError::NotFound)?
                    .user
                    .id
            }
        };
        if self.positions(&hr).await?.is_empty() {
            for (title, majors, min, max) in [
                (
                    "Java 后端开发工程师",
                    "计算机科学与技术、软件工程",
                    "9000",
                    "15000",
                ),
                ("数据分析师", "统计学、数学与应用数学", "8000", "13000"),
            ] {
                self.create_position(
                    &hr,
                    &PositionInput {
                        title: title.into(),
                        headcount: "3".into(),
                        education: "本科".into(),
                        majors: majors.into(),
                        city: "天津".into(),
                        salary_min: min.into(),
                        salary_max: max.into(),
                        description: "参与核心产品研发，入职有导师带教。".into(),
                    },
                )
                .await?;
            }
        }
        let brochure = match self.brochures_for_employer(&hr).await?.into_iter().next() {
            Some(b) => b.id,
            None => {
                self.create_brochure(
                    &hr,
                    BrochureInput {
                        title: "天津示例科技 2026 届校园招聘简章",
                        usage_notes: "用于秋季视频双选会",
                        content: "天津示例科技有限公司成立于 2012 年，专注于工业软件与数据智能。\n\n\
                                  本次招聘面向 2026 届本科及以上毕业生，岗位包括后端开发和数据分析。\n\n\
                                  我们提供有竞争力的薪酬、导师带教和完善的培训体系，欢迎投递简历。",
                    },
                )
                .await?
                .brochure
                .id
            }
        };
        if self
            .store
            .registration_of(fair_id, employer_id)
            .await?
            .is_none()
        {
            let positions: Vec<i64> = self.positions(&hr).await?.iter().map(|p| p.id).collect();
            let draft = RegistrationDraft::parse(
                &positions,
                &[interviewer],
                "人事部 陈经理",
                "022-27400000",
                Some(brochure),
            );
            let id = self.sign_up_for_fair(&hr, fair_id, draft).await?;
            self.approve_registration(&staff, id).await?;
        }

        // A second employer, waiting in the join queue (入驻审核).
        self.demo_employer(
            "hr@haihe-zhizao.cn",
            profile(
                "天津海河智能制造有限公司",
                "91120116MA06C1L74R",
                "招聘专员 刘女士",
                "13900000003",
                "500-999",
            ),
        )
        .await?;

        self.demo_students(&staff, fair_id, employer_id, now)
            .await?;

        let mut logins = vec![
            login(Role::PlatformAdmin, "admin@fairhall.demo"),
            login(Role::OrganizerStaff, "staff@tju.demo"),
            login(Role::EmployerAdmin, "hr@demo-employer.cn"),
            login(Role::Interviewer, "interviewer@demo-employer.cn"),
            login(Role::EmployerAdmin, "hr@haihe-zhizao.cn"),
        ];
        logins.push(DemoLogin {
            role: Role::Student,
            login: DEMO_STUDENT_PHONE.into(),
            secret: "手机验证码（见 /admin/outbox 或 `fairhall outbox`）；新同学，简历为空".into(),
        });
        logins.push(DemoLogin {
            role: Role::Student,
            login: DEMO_ENTERED_STUDENT_PHONE.into(),
            secret: "手机验证码；简历已完成，已进入会场、投递并留言".into(),
        });
        logins.push(DemoLogin {
            role: Role::Student,
            login: format!("云就业匹配：{DEMO_ROSTER_MATCH}"),
            secret: "学号、姓名与身份证号后 6 位".into(),
        });
        Ok(DemoInfo {
            logins,
            fair_code: DEMO_FAIR_CODE.into(),
        })
    }

    /// The demo roster, and a student who finished the resume, entered the fair, delivered a
    /// resume to the demo employer and wrote to it. Idempotent like the rest.
    async fn demo_students(
        &self,
        staff: &User,
        fair_id: i64,
        employer_id: i64,
        now: i64,
    ) -> AppResult<()> {
        self.import_roster(
            staff,
            "demo-roster.csv",
            DEMO_ROSTER_CSV.as_bytes().to_vec(),
        )
        .await?;

        let student = match self
            .store
            .student_by_phone(DEMO_ENTERED_STUDENT_PHONE)
            .await?
        {
            Some(u) => u,
            None => {
                let id = self
                    .store
                    .insert_user(&fairhall_store::users::NewUser {
                        role: Role::Student,
                        email: None,
                        phone: Some(DEMO_ENTERED_STUDENT_PHONE),
                        password_hash: None,
                        display_name: "李同学",
                        organizer_id: None,
                        employer_id: None,
                        now,
                    })
                    .await?;
                self.store
                    .record_consent(id, crate::accounts::PRIVACY_NOTICE_VERSION, now)
                    .await?;
                self.store.user(id).await?
            }
        };
        if self.store.fair_entry(fair_id, student.id).await?.is_some() {
            return Ok(());
        }
        self.save_resume_basics(
            &student,
            &BasicsInput {
                name: "李思远".into(),
                gender: "male".into(),
                birth_month: "2003-04".into(),
                phone: DEMO_ENTERED_STUDENT_PHONE.into(),
                email: "lisiyuan@example.cn".into(),
                school: "天津大学".into(),
                college: "智能与计算学部".into(),
                major: "计算机科学与技术".into(),
                degree: "bachelor".into(),
                graduation_year: "2026".into(),
                cities: vec!["天津".into(), "北京".into()],
                positions: vec!["前端开发工程师".into()],
                salary: "10-15K".into(),
            },
        )
        .await?;
        self.add_resume_entry(
            &student,
            &EntryInput::Education(EducationInput {
                school: "天津大学".into(),
                major: "计算机科学与技术".into(),
                degree: "bachelor".into(),
                start: "2022-09".into(),
                end: "2026-06".into(),
            }),
        )
        .await?;
        self.add_resume_entry(
            &student,
            &EntryInput::Experience(ExperienceInput {
                organisation: "天津某互联网公司".into(),
                role: "前端开发实习生".into(),
                start: "2025-07".into(),
                end: "2025-09".into(),
                description: "参与商家后台的页面开发，负责表单与列表组件。".into(),
            }),
        )
        .await?;
        self.save_resume_skills(
            &student,
            &[
                "JavaScript".into(),
                "TypeScript".into(),
                "Rust".into(),
                "英语六级".into(),
            ],
        )
        .await?;
        self.save_self_evaluation(&student, "做事踏实，乐于学习新技术，有良好的沟通能力。")
            .await?;
        self.enter_fair(&student, fair_id).await?;
        if let Some(registration) = self.store.registration_of(fair_id, employer_id).await? {
            self.deliver_resume(&student, fair_id, registration.id, None)
                .await?;
            self.student_send_message(
                &student,
                fair_id,
                registration.id,
                "您好，我对前端开发工程师岗位很感兴趣，已投递简历，期待您的回复。",
            )
            .await?;
            // 申请面试: waiting under 待处理 in the demo employer's hall (the fair is live).
            self.apply_for_interview(&student, fair_id, registration.id, None)
                .await?;
        }
        Ok(())
    }
}
