//! 求职者大厅 (talent hall): every student who entered the fair, for the hosts of an approved
//! registration in it, filtered and paged in SQL.

use fairhall_domain::review::RegistrationStatus;
use fairhall_store::talents::{Talent, TalentFilter};
use fairhall_store::users::User;

use crate::{App, AppError, AppResult};

/// Students on one page.
pub const TALENT_PAGE_SIZE: i64 = 20;

/// What the employer asked for. Empty strings mean "any"; pages count from 1.
#[derive(Debug, Clone, Default)]
pub struct TalentQuery {
    pub school: String,
    pub major: String,
    /// `bachelor`, `master`, … or empty.
    pub degree: String,
    pub graduation_year: Option<i64>,
    pub q: String,
    pub page: i64,
}

#[derive(Debug, Clone)]
pub struct TalentPage {
    pub fair_id: i64,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub items: Vec<Talent>,
}

impl App {
    /// One page of the talent hall of a registration whose hall the caller opened
    /// (`hall_context`: their own, approved).
    pub async fn talents(&self, hall: &HallContext, query: &TalentQuery) -> AppResult<TalentPage> {
        let registration = &hall.registration;
        let registration_id = registration.id;
        let page = query.page.clamp(1, 1_000_000);
        let filter = TalentFilter {
            school: &query.school,
            major: &query.major,
            degree: &query.degree,
            graduation_year: query.graduation_year,
            q: &query.q,
        };
        let (total, items) = self
            .store
            .talents(
                registration.fair_id,
                registration_id,
                &filter,
                TALENT_PAGE_SIZE,
                (page - 1) * TALENT_PAGE_SIZE,
            )
            .await?;
        Ok(TalentPage {
            fair_id: registration.fair_id,
            total,
            page,
            pages: ((total + TALENT_PAGE_SIZE - 1) / TALENT_PAGE_SIZE).max(1),
            items,
        })
    }
}

/// What the hall pages show about the registration they are for.
#[derive(Debug, Clone)]
pub struct HallContext {
    pub registration: fairhall_store::registrations::Registration,
    pub fair: fairhall_store::fairs::Fair,
    pub employer_name: String,
}

impl App {
    /// The registration a host opens the 视频面试大厅 of: the caller's own, approved.
    pub async fn hall_context(&self, user: &User, registration_id: i64) -> AppResult<HallContext> {
        let registration = self.hall_registration(user, registration_id).await?;
        if registration.status != RegistrationStatus::Approved {
            return Err(AppError::NotFound);
        }
        let fair = self.store.fair_cached(registration.fair_id).await?;
        let employer_name = self
            .store
            .employer_cached(registration.employer_id)
            .await?
            .name;
        Ok(HallContext {
            registration,
            fair,
            employer_name,
        })
    }
}
