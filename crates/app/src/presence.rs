//! Who may see whose presence.

use fairhall_domain::account::Role;
use fairhall_store::users::User;

use crate::{App, AppResult};

/// The most users one watch request may name.
pub const MAX_WATCH: usize = 500;

/// The relationship rule, without IO: colleagues see each other, the platform admin sees all.
/// Ticket-based visibility (students and the hosts they interview with) needs the store and is
/// checked in `App::visible_presence`.
pub fn may_see(viewer: &User, target: &User) -> bool {
    viewer.id == target.id
        || viewer.role == Role::PlatformAdmin
        || (viewer.employer_id.is_some() && viewer.employer_id == target.employer_id)
        || (viewer.organizer_id.is_some() && viewer.organizer_id == target.organizer_id)
}

impl App {
    /// Filters `targets` to those whose presence `viewer` may watch.
    pub async fn visible_presence(&self, viewer: &User, targets: &[i64]) -> AppResult<Vec<i64>> {
        let mut out = Vec::new();
        for &id in targets.iter().take(MAX_WATCH) {
            if let Ok(target) = self.store.user(id).await
                && (may_see(viewer, &target) || self.ticket_link(viewer, &target).await?)
            {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// Interviews make presence visible: a student sees the hosts of registrations they hold an
    /// open ticket with (to know when 开始面试 can work), and hosts see the students holding
    /// tickets with their registrations (the 待面试 list shows who is online).
    async fn ticket_link(&self, viewer: &User, target: &User) -> AppResult<bool> {
        let host = |u: &User| match (u.role, u.employer_id) {
            (Role::EmployerAdmin | Role::Interviewer, Some(e)) => {
                Some((e, u.role == Role::EmployerAdmin))
            }
            _ => None,
        };
        Ok(match (viewer.role, target.role) {
            (Role::Student, _) => match host(target) {
                Some((employer_id, admin)) => {
                    self.store
                        .open_ticket_with_host(viewer.id, employer_id, target.id, admin)
                        .await?
                }
                None => false,
            },
            (_, Role::Student) => match host(viewer) {
                Some((employer_id, admin)) => {
                    self.store
                        .any_ticket_with_host(target.id, employer_id, viewer.id, admin)
                        .await?
                }
                None => false,
            },
            _ => false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: i64, role: Role, organizer_id: Option<i64>, employer_id: Option<i64>) -> User {
        User {
            id,
            role,
            email: None,
            phone: None,
            display_name: String::new(),
            organizer_id,
            employer_id,
            created_at: 0,
        }
    }

    #[test]
    fn colleagues_and_the_admin_see_presence_and_strangers_do_not() {
        let hr = user(1, Role::EmployerAdmin, None, Some(10));
        let iv = user(2, Role::Interviewer, None, Some(10));
        let other_iv = user(3, Role::Interviewer, None, Some(11));
        let staff = user(4, Role::OrganizerStaff, Some(20), None);
        let staff2 = user(5, Role::OrganizerStaff, Some(20), None);
        let student = user(6, Role::Student, None, None);
        let admin = user(7, Role::PlatformAdmin, None, None);
        assert!(may_see(&hr, &iv) && may_see(&iv, &hr));
        assert!(!may_see(&hr, &other_iv));
        assert!(may_see(&staff, &staff2));
        assert!(!may_see(&staff, &hr));
        assert!(!may_see(&student, &hr) && !may_see(&hr, &student));
        assert!(may_see(&student, &student));
        assert!(may_see(&admin, &student) && may_see(&admin, &hr));
    }
}
