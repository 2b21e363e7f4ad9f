//! Who may see whose presence.

use fairhall_domain::account::Role;
use fairhall_store::users::User;

use crate::{App, AppResult};

/// The most users one watch request may name.
pub const MAX_WATCH: usize = 500;

/// The relationship rule, without IO: colleagues see each other, the platform admin sees all.
/// Fair-based visibility (students and employers of one fair) joins this as fairs arrive.
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
            if let Ok(target) = self.store.user(id).await {
                if may_see(viewer, &target) {
                    out.push(id);
                }
            }
        }
        Ok(out)
    }
}
