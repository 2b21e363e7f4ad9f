//! A node-local read cache for the reads every page repeats: the session, its user, the fair,
//! whether the student entered it, and the pages of the two directories (参会单位 and
//! 求职者大厅) that everyone in a fair reads over and over.
//!
//! Freshness:
//! - On this node a write is seen at once. Every store method that changes what an area
//!   caches bumps that area's generation after the write; an entry read under an older
//!   generation is not served. (A read that raced the write stored its value under the
//!   generation it started with, so it is not served either.)
//! - Another node's write is seen within the time to live (`read_cache_ms`, 3 s by default).
//!   That includes a sign-out on another node: the session keeps working here for at most
//!   that long. A time to live of 0 turns the cache off.
//! - The directories' pages are the same for everyone; what differs per employer (its tickets'
//!   states on the talent hall's cards) is cached apart, per registration and page.

use std::hash::Hash;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use moka::sync::Cache;

use crate::Result;
use crate::employers::Employer;
use crate::fairs::Fair;
use crate::registrations::Registration;
use crate::talents::Talent;
use crate::users::User;
use crate::venue::{VenueEmployer, VenuePosition};

/// What a write can change; each has its own generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Sessions,
    Users,
    Fairs,
    /// Fair entries: who is in a fair.
    Entries,
    /// 参会单位: registrations, employers, positions, brochures (and the registration and
    /// employer rows the hall pages check).
    Directory,
    /// 求职者大厅: fair entries and resumes.
    Talents,
    /// Interview tickets: the state the talent hall shows on each student's card.
    Tickets,
}

impl Area {
    const ALL: [Area; 7] = [
        Area::Sessions,
        Area::Users,
        Area::Fairs,
        Area::Entries,
        Area::Directory,
        Area::Talents,
        Area::Tickets,
    ];

    fn index(self) -> usize {
        self as usize
    }
}

/// One page of the employer list: how many match, the page's employers and their positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryPage {
    pub total: i64,
    pub employers: Vec<VenueEmployer>,
    pub positions: Vec<VenuePosition>,
}

/// One page of the talent hall before the employer's own tickets are laid over it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TalentRows {
    pub total: i64,
    pub talents: Vec<Talent>,
}

/// A directory query: the fair, the filter's words as typed, and the page window.
pub type PageKey = (i64, Vec<String>, i64, i64);

/// A registration's latest ticket with each of some students: student → (ticket id, status).
pub type TicketStates = std::collections::HashMap<i64, (i64, fairhall_domain::ticket::Status)>;

/// One kind of value the cache keeps, with the area whose writes make it stale. Each value is
/// kept with the area's generation from before it was read.
pub(crate) struct Slot<K, V> {
    area: Area,
    values: Cache<K, (u64, V)>,
}

pub(crate) struct ReadCache {
    ttl: Duration,
    generations: [AtomicU64; 7],
    pub(crate) sessions: Slot<String, String>,
    pub(crate) users: Slot<i64, User>,
    pub(crate) fairs: Slot<i64, Fair>,
    /// Only "entered" is kept: an entry, once made, stays.
    pub(crate) entries: Slot<(i64, i64), ()>,
    pub(crate) directory: Slot<PageKey, Arc<DirectoryPage>>,
    pub(crate) registrations: Slot<i64, Registration>,
    pub(crate) employers: Slot<i64, Employer>,
    pub(crate) talents: Slot<PageKey, Arc<TalentRows>>,
    pub(crate) talent_tickets: Slot<(i64, Vec<i64>), Arc<TicketStates>>,
}

impl std::fmt::Debug for ReadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadCache").field("ttl", &self.ttl).finish()
    }
}

/// Each entry lives between three quarters of the time to live and all of it, drawn at random,
/// so entries read together (every session at start-up, say) do not all expire together and
/// send their reads to the database in one burst.
struct Jittered(Duration);

impl<K, V> moka::Expiry<K, V> for Jittered {
    fn expire_after_create(&self, _: &K, _: &V, _: std::time::Instant) -> Option<Duration> {
        Some(self.0.mul_f64(0.75 + rand::random::<f64>() / 4.0))
    }
}

fn slot<K, V>(area: Area, capacity: u64, ttl: Duration) -> Slot<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    Slot {
        area,
        values: Cache::builder()
            .max_capacity(capacity)
            .expire_after(Jittered(ttl.max(Duration::from_millis(1))))
            .build(),
    }
}

impl ReadCache {
    pub(crate) fn new(ttl: Duration) -> Self {
        ReadCache {
            ttl,
            generations: Default::default(),
            sessions: slot(Area::Sessions, 200_000, ttl),
            users: slot(Area::Users, 200_000, ttl),
            fairs: slot(Area::Fairs, 10_000, ttl),
            entries: slot(Area::Entries, 400_000, ttl),
            // Pages hold up to 20 rows each: a few thousand pages stay within tens of MiB.
            directory: slot(Area::Directory, 4_000, ttl),
            registrations: slot(Area::Directory, 20_000, ttl),
            employers: slot(Area::Directory, 20_000, ttl),
            talents: slot(Area::Talents, 4_000, ttl),
            talent_tickets: slot(Area::Tickets, 20_000, ttl),
        }
    }

    fn enabled(&self) -> bool {
        !self.ttl.is_zero()
    }

    /// The area's generation now: take it before reading the database, store it with the value.
    pub(crate) fn generation(&self, area: Area) -> u64 {
        self.generations[area.index()].load(Ordering::Acquire)
    }

    /// Called after a write to `area` has committed.
    pub(crate) fn changed(&self, area: Area) {
        self.generations[area.index()].fetch_add(1, Ordering::AcqRel);
    }

    /// After a bulk write that may touch anything.
    pub(crate) fn changed_all(&self) {
        for area in Area::ALL {
            self.changed(area);
        }
    }

    /// The value kept for `key`, if it was read under its area's current generation.
    pub(crate) fn get<K, V>(&self, slot: &Slot<K, V>, key: &K) -> Option<V>
    where
        K: Hash + Eq + Send + Sync + 'static,
        V: Clone + Send + Sync + 'static,
    {
        if !self.enabled() {
            return None;
        }
        match slot.values.get(key) {
            Some((generation, v)) if generation == self.generation(slot.area) => Some(v),
            _ => None,
        }
    }

    /// Keeps `value`, read (or written) under `generation`.
    pub(crate) fn keep<K, V>(&self, slot: &Slot<K, V>, key: K, generation: u64, value: V)
    where
        K: Hash + Eq + Send + Sync + 'static,
        V: Clone + Send + Sync + 'static,
    {
        if self.enabled() {
            slot.values.insert(key, (generation, value));
        }
    }

    /// The value of `key`: the one kept here if fresh, or what `load` reads, kept for next time.
    pub(crate) async fn through<K, V>(
        &self,
        slot: &Slot<K, V>,
        key: K,
        load: impl Future<Output = Result<V>>,
    ) -> Result<V>
    where
        K: Hash + Eq + Send + Sync + 'static,
        V: Clone + Send + Sync + 'static,
    {
        if let Some(v) = self.get(slot, &key) {
            return Ok(v);
        }
        // Taken before `load` runs (a future does nothing until awaited).
        let generation = self.generation(slot.area);
        let v = load.await?;
        self.keep(slot, key, generation, v.clone());
        Ok(v)
    }

    /// `through` for values that may be missing: only what was found is kept.
    pub(crate) async fn through_found<K, V>(
        &self,
        slot: &Slot<K, V>,
        key: K,
        load: impl Future<Output = Result<Option<V>>>,
    ) -> Result<Option<V>>
    where
        K: Hash + Eq + Send + Sync + 'static,
        V: Clone + Send + Sync + 'static,
    {
        if let Some(v) = self.get(slot, &key) {
            return Ok(Some(v));
        }
        let generation = self.generation(slot.area);
        let found = load.await?;
        if let Some(v) = &found {
            self.keep(slot, key, generation, v.clone());
        }
        Ok(found)
    }

    /// A session was deleted here: forget it at once (and anything read under it).
    pub(crate) fn forget_session(&self, id: &str) {
        self.changed(Area::Sessions);
        self.sessions.values.invalidate(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: i64, name: &str) -> User {
        User {
            id,
            role: fairhall_domain::account::Role::Student,
            email: None,
            phone: None,
            display_name: name.into(),
            organizer_id: None,
            employer_id: None,
            created_at: 0,
        }
    }

    #[test]
    fn a_value_is_served_until_its_area_changes() {
        let c = ReadCache::new(Duration::from_secs(60));
        let g = c.generation(Area::Users);
        c.keep(&c.users, 1, g, user(1, "甲"));
        assert_eq!(
            c.get(&c.users, &1).map(|u| u.display_name),
            Some("甲".into())
        );
        c.changed(Area::Fairs);
        assert!(
            c.get(&c.users, &1).is_some(),
            "another area's write leaves users alone"
        );
        c.changed(Area::Users);
        assert!(c.get(&c.users, &1).is_none());
    }

    #[test]
    fn a_read_that_raced_a_write_is_not_served() {
        let c = ReadCache::new(Duration::from_secs(60));
        let before = c.generation(Area::Sessions);
        // The write commits and bumps the generation while the read is still in flight …
        c.changed(Area::Sessions);
        // … and the read stores what it saw under the generation it started with.
        c.keep(&c.sessions, "s".into(), before, "old".into());
        assert_eq!(c.get(&c.sessions, &"s".to_string()), None);
    }

    #[test]
    fn a_deleted_session_is_forgotten_and_bulk_writes_reset_everything() {
        let c = ReadCache::new(Duration::from_secs(60));
        c.keep(
            &c.sessions,
            "s".into(),
            c.generation(Area::Sessions),
            "{}".into(),
        );
        assert_eq!(c.get(&c.sessions, &"s".to_string()).as_deref(), Some("{}"));
        c.forget_session("s");
        assert_eq!(c.get(&c.sessions, &"s".to_string()), None);
        c.keep(&c.entries, (7, 1), c.generation(Area::Entries), ());
        assert!(c.get(&c.entries, &(7, 1)).is_some());
        assert!(c.get(&c.entries, &(7, 2)).is_none());
        c.changed_all();
        assert!(c.get(&c.entries, &(7, 1)).is_none());
    }

    #[test]
    fn entries_expire_after_the_time_to_live() {
        let c = ReadCache::new(Duration::from_millis(30));
        c.keep(&c.users, 1, c.generation(Area::Users), user(1, "甲"));
        assert!(c.get(&c.users, &1).is_some());
        std::thread::sleep(Duration::from_millis(80));
        assert!(c.get(&c.users, &1).is_none());
    }

    #[test]
    fn a_zero_time_to_live_turns_the_cache_off() {
        let c = ReadCache::new(Duration::ZERO);
        c.keep(&c.users, 1, c.generation(Area::Users), user(1, "甲"));
        c.keep(&c.entries, (7, 1), c.generation(Area::Entries), ());
        assert!(c.get(&c.users, &1).is_none());
        assert!(c.get(&c.entries, &(7, 1)).is_none());
    }

    #[tokio::test]
    async fn reading_through_loads_once_until_the_area_changes() {
        let c = ReadCache::new(Duration::from_secs(60));
        let load = |name: &'static str| async move { Ok(user(1, name)) };
        let first = c
            .through(&c.users, 1, load("甲"))
            .await
            .map(|u| u.display_name);
        assert_eq!(first.ok().as_deref(), Some("甲"));
        let kept = c
            .through(&c.users, 1, load("乙"))
            .await
            .map(|u| u.display_name);
        assert_eq!(kept.ok().as_deref(), Some("甲"), "served from the cache");
        c.changed(Area::Users);
        let again = c
            .through(&c.users, 1, load("乙"))
            .await
            .map(|u| u.display_name);
        assert_eq!(
            again.ok().as_deref(),
            Some("乙"),
            "read again after a write"
        );
        // Only what was found is kept: a missing value is asked for every time.
        let missing = c
            .through_found(&c.registrations, 9, async { Ok(None) })
            .await;
        assert!(matches!(missing, Ok(None)));
        assert!(c.get(&c.registrations, &9).is_none());
    }
}
