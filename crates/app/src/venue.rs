//! The venue for students: the employer list of a fair, employer and position details, and deliveries (投递简历) with the employer's received-resume pages.
//!
//! Who may do what:
//! - a student who entered the fair (报名进入会场) sees its approved employers, their brochures
//!   and the positions chosen in their registrations, and delivers a resume to an employer,
//!   optionally for one position, once each, until the fair ends;
//! - a student sees only their own deliveries;
//! - the employer's admin and its interviewers see the deliveries their employer received, and
//!   opening one marks it viewed (by whom, when) the first time.

use std::sync::Arc;

use fairhall_domain::account::Role;
use fairhall_domain::employer::Education;
use fairhall_domain::fair::{VideoButton, check_delivery_open, video_button};
use fairhall_domain::review::RegistrationStatus;
use fairhall_store::brochures::Brochure;
pub use fairhall_store::cache::DirectoryPage;
use fairhall_store::employers::EmployerProfile;
use fairhall_store::fairs::Fair;
use fairhall_store::users::User;
use fairhall_store::venue::{Delivery, VenueFilter};
pub use fairhall_store::venue::{EmployerDelivery, StudentDelivery, VenueEmployer, VenuePosition};
use fairhall_store::{StoreError, registrations::RegistrationListed};

use crate::{App, AppError, AppResult, now_ms};

/// Employers on one page of the list.
pub const PAGE_SIZE: i64 = 20;

/// What the student asked the list for. Empty strings mean "any"; pages count from 1.
#[derive(Debug, Clone, Default)]
pub struct EmployerQuery {
    pub q: String,
    pub city: String,
    pub industry: String,
    /// An education as stored or labelled (`bachelor` or `本科`).
    pub education: String,
    pub major: String,
    pub page: i64,
}

/// One employer of the list with the positions it offers in the fair.
#[derive(Debug, Clone)]
pub struct EmployerCard {
    pub employer: VenueEmployer,
    pub positions: Vec<VenuePosition>,
}

/// One page of the list.
#[derive(Debug, Clone)]
pub struct EmployerList {
    pub fair: Fair,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    /// The page as the store keeps it: shared by every request for it while it is fresh, and
    /// never changed once built (a change makes a new one), so a rendering of it can be kept
    /// as long as the page itself.
    pub listed: Arc<DirectoryPage>,
    pub video: VideoButton,
}

impl EmployerList {
    /// The page's employers, each with its positions.
    pub fn items(&self) -> Vec<EmployerCard> {
        self.listed
            .employers
            .iter()
            .map(|employer| EmployerCard {
                employer: employer.clone(),
                positions: self
                    .listed
                    .positions
                    .iter()
                    .filter(|p| p.registration_id == employer.registration_id)
                    .cloned()
                    .collect(),
            })
            .collect()
    }
}

/// What the filters offer, from what the fair's employers and positions have.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterOptions {
    pub cities: Vec<String>,
    pub industries: Vec<String>,
    /// Canonical educations (`Education::as_str`), in the order of the enum.
    pub educations: Vec<Education>,
    pub majors: Vec<String>,
}

/// An employer's page in the venue.
#[derive(Debug, Clone)]
pub struct EmployerDetail {
    pub fair: Fair,
    pub employer: VenueEmployer,
    pub profile: EmployerProfile,
    pub brochure: Option<Brochure>,
    pub positions: Vec<VenuePosition>,
    /// Position keys the student already delivered to (0: the employer as a whole).
    pub delivered: Vec<i64>,
    pub video: VideoButton,
}

/// A position's page in the venue.
#[derive(Debug, Clone)]
pub struct PositionDetail {
    pub fair: Fair,
    pub employer: VenueEmployer,
    pub position: VenuePosition,
    pub delivered: bool,
    pub video: VideoButton,
}

/// The answer to 投递简历.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub id: i64,
    pub fair_id: i64,
    pub registration_id: i64,
}

/// What an employer's received-resumes page shows.
#[derive(Debug, Clone)]
pub struct ReceivedDeliveries {
    pub deliveries: Vec<EmployerDelivery>,
    /// The fairs the employer takes part in (approved registrations), for the filter.
    pub fairs: Vec<RegistrationListed>,
}

/// The education spellings a filter matches: the chosen one as stored either way, and
/// positions open to any education.
fn education_spellings(e: Education) -> Vec<&'static str> {
    let mut v = vec![e.as_str(), e.label_zh()];
    if e != Education::Any {
        v.extend([Education::Any.as_str(), Education::Any.label_zh()]);
    }
    v
}

/// Splits stored majors (joined with `、`, or typed with commas) into a sorted, unique list.
pub fn split_majors<'a>(stored: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = stored
        .into_iter()
        .flat_map(|m| m.split(['、', ',', '，', ';', '；']))
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

fn pages_for(total: i64) -> i64 {
    ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1)
}

impl App {
    /// The fair a student acts in, if they entered it. Another role: forbidden; a student who
    /// has not entered: `not_entered`.
    pub async fn require_entered(&self, user: &User, fair_id: i64) -> AppResult<Fair> {
        if user.role != Role::Student {
            return Err(AppError::Forbidden);
        }
        let fair = match self.store.fair_cached(fair_id).await {
            Ok(f) => f,
            Err(StoreError::NotFound) => return Err(AppError::NotFound),
            Err(e) => return Err(e.into()),
        };
        if !self.store.has_entered(fair_id, user.id).await? {
            return Err(AppError::Refused {
                code: "not_entered",
                message: fairhall_domain::msg!("error.app.not_entered"),
            });
        }
        Ok(fair)
    }

    /// The employer a user acts for: its admin or one of its interviewers.
    fn employer_user_of(&self, user: &User) -> AppResult<i64> {
        match (user.role, user.employer_id) {
            (Role::EmployerAdmin | Role::Interviewer, Some(e)) => Ok(e),
            _ => Err(AppError::Forbidden),
        }
    }

    /// 参会单位: one page of the fair's approved employers matching the query.
    #[tracing::instrument(skip_all, fields(fair.id = fair_id))]
    pub async fn venue_employers(
        &self,
        user: &User,
        fair_id: i64,
        query: &EmployerQuery,
    ) -> AppResult<EmployerList> {
        let fair = self.require_entered(user, fair_id).await?;
        let education = match query.education.trim() {
            "" => Vec::new(),
            e => match Education::parse(e) {
                Ok(e) => education_spellings(e),
                // An education no position has matches nothing, as a filter should.
                Err(_) => vec![""],
            },
        };
        let filter = VenueFilter {
            q: &query.q,
            city: &query.city,
            industry: &query.industry,
            education: &education,
            major: &query.major,
        };
        // Far beyond any real list, and small enough that the offset cannot overflow.
        let page = query.page.clamp(1, 1_000_000);
        let listed = self
            .store
            .venue_page(fair_id, &filter, PAGE_SIZE, (page - 1) * PAGE_SIZE)
            .await?;
        let total = listed.total;
        Ok(EmployerList {
            video: video_button(now_ms(), fair.starts_at, fair.ends_at),
            fair,
            total,
            page,
            pages: pages_for(total),
            listed,
        })
    }

    /// The values the list's filters offer in this fair.
    pub async fn venue_filters(&self, user: &User, fair_id: i64) -> AppResult<FilterOptions> {
        self.require_entered(user, fair_id).await?;
        let mut v = self.store.venue_filter_values(fair_id).await?;
        // Sorted here, not by the database's collation, so both backends agree.
        v.cities.sort();
        v.cities.dedup();
        v.industries.sort();
        let mut educations: Vec<Education> = v
            .educations
            .iter()
            .filter_map(|e| Education::parse(e).ok())
            .collect();
        educations.sort_by_key(|e| Education::ALL.iter().position(|x| x == e));
        educations.dedup();
        Ok(FilterOptions {
            cities: v.cities,
            industries: v.industries,
            educations,
            majors: split_majors(v.majors.iter().map(String::as_str)),
        })
    }

    /// An employer's page: profile, the brochure chosen for this fair, the positions.
    #[tracing::instrument(skip_all, fields(fair.id = fair_id, registration.id = registration_id))]
    pub async fn venue_employer(
        &self,
        user: &User,
        fair_id: i64,
        registration_id: i64,
    ) -> AppResult<EmployerDetail> {
        let fair = self.require_entered(user, fair_id).await?;
        let employer = self
            .store
            .venue_employer(fair_id, registration_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let profile = self.store.employer_profile(employer.employer_id).await?;
        let brochure = match employer.brochure_id {
            Some(id) => match self.store.brochure(id).await {
                Ok(b) if b.employer_id == employer.employer_id => Some(b),
                Ok(_) | Err(StoreError::NotFound) => None,
                Err(e) => return Err(e.into()),
            },
            None => None,
        };
        let positions = self.store.venue_positions(&[registration_id]).await?;
        let delivered = self.store.delivered_keys(registration_id, user.id).await?;
        Ok(EmployerDetail {
            video: video_button(now_ms(), fair.starts_at, fair.ends_at),
            fair,
            employer,
            profile,
            brochure,
            positions,
            delivered,
        })
    }

    /// A position's page: only positions chosen in an approved registration of the fair.
    #[tracing::instrument(skip_all, fields(fair.id = fair_id, position.id = position_id))]
    pub async fn venue_position(
        &self,
        user: &User,
        fair_id: i64,
        position_id: i64,
    ) -> AppResult<PositionDetail> {
        let fair = self.require_entered(user, fair_id).await?;
        let position = self
            .store
            .venue_position(fair_id, position_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let employer = self
            .store
            .venue_employer(fair_id, position.registration_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let delivered = self
            .store
            .delivered_keys(position.registration_id, user.id)
            .await?
            .contains(&position.id);
        Ok(PositionDetail {
            video: video_button(now_ms(), fair.starts_at, fair.ends_at),
            fair,
            employer,
            position,
            delivered,
        })
    }

    /// 投递简历: to an employer of the fair, optionally for one of the positions it offers
    /// there. Once per employer and position; a second time is `already_delivered`.
    #[tracing::instrument(skip_all, fields(fair.id = fair_id, registration.id = registration_id))]
    pub async fn deliver_resume(
        &self,
        user: &User,
        fair_id: i64,
        registration_id: i64,
        position_id: Option<i64>,
    ) -> AppResult<Delivered> {
        let fair = self.require_entered(user, fair_id).await?;
        let employer = self
            .store
            .venue_employer(fair_id, registration_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let now = now_ms();
        check_delivery_open(now, fair.ends_at)?;
        if let Some(p) = position_id {
            let offered = self
                .store
                .venue_positions(&[registration_id])
                .await?
                .iter()
                .any(|x| x.id == p);
            if !offered {
                return Err(fairhall_domain::DomainError::new(
                    "unknown_position",
                    "position_id",
                    fairhall_domain::msg!("error.app.position_not_offered"),
                )
                .into());
            }
        }
        let (id, created) = self
            .store
            .insert_delivery(
                fair_id,
                registration_id,
                employer.employer_id,
                user.id,
                position_id,
                now,
            )
            .await?;
        if !created {
            return Err(AppError::Conflict {
                code: "already_delivered",
                field: "position_id",
                message: if position_id.is_some() {
                    fairhall_domain::msg!(
                        "error.app.already_delivered_position",
                        employer = &employer.name
                    )
                } else {
                    fairhall_domain::msg!("error.app.already_delivered", employer = &employer.name)
                },
            });
        }
        Ok(Delivered {
            id,
            fair_id,
            registration_id,
        })
    }

    /// 我的投递: the student's own deliveries, newest first, with whether each was viewed.
    pub async fn my_deliveries(&self, user: &User) -> AppResult<Vec<StudentDelivery>> {
        if user.role != Role::Student {
            return Err(AppError::Forbidden);
        }
        Ok(self.store.deliveries_of_student(user.id).await?)
    }

    /// 收到的简历: the deliveries the user's employer received, optionally in one fair.
    pub async fn received_deliveries(
        &self,
        user: &User,
        fair_id: Option<i64>,
    ) -> AppResult<ReceivedDeliveries> {
        let employer = self.employer_user_of(user)?;
        let deliveries = self.store.deliveries_of_employer(employer, fair_id).await?;
        let fairs = self
            .store
            .registrations_of_employer(employer)
            .await?
            .into_iter()
            .filter(|r| r.status == RegistrationStatus::Approved)
            .collect();
        Ok(ReceivedDeliveries { deliveries, fairs })
    }

    /// Opens a received delivery: the first opening marks it viewed by this user. Another
    /// employer's delivery is not found.
    #[tracing::instrument(skip_all, fields(delivery.id = id))]
    pub async fn open_delivery(&self, user: &User, id: i64) -> AppResult<Delivery> {
        let employer = self.employer_user_of(user)?;
        let delivery = self
            .store
            .delivery(id)
            .await?
            .filter(|d| d.employer_id == employer)
            .ok_or(AppError::NotFound)?;
        if delivery.viewed_at.is_none() {
            let now = now_ms();
            self.store.mark_delivery_viewed(id, user.id, now).await?;
        }
        // Read again: a colleague may have opened it at the same moment.
        self.store.delivery(id).await?.ok_or(AppError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn majors_split_into_a_sorted_unique_list() {
        let mut expected: Vec<String> = ["机械", "数学", "计算机", "软件工程"]
            .into_iter()
            .map(String::from)
            .collect();
        expected.sort();
        assert_eq!(
            split_majors(["计算机、软件工程", "软件工程，数学", "", "  机械 "]),
            expected
        );
    }

    #[test]
    fn an_education_filter_matches_both_spellings_and_any() {
        assert_eq!(
            education_spellings(Education::Bachelor),
            vec!["bachelor", "本科", "any", "不限"]
        );
        assert_eq!(education_spellings(Education::Any), vec!["any", "不限"]);
    }

    #[test]
    fn pages_round_up_and_never_drop_to_zero() {
        assert_eq!(pages_for(0), 1);
        assert_eq!(pages_for(20), 1);
        assert_eq!(pages_for(21), 2);
        assert_eq!(pages_for(45), 3);
    }
}
