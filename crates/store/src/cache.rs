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

pub(crate) struct ReadCache {
    ttl: Duration,
    generations: [AtomicU64; 7],
    sessions: Cache<String, (u64, String)>,
    users: Cache<i64, (u64, User)>,
    fairs: Cache<i64, (u64, Fair)>,
    entries: Cache<(i64, i64), u64>,
    directory: Cache<PageKey, (u64, Arc<DirectoryPage>)>,
    registrations: Cache<i64, (u64, Registration)>,
    employers: Cache<i64, (u64, Employer)>,
    talents: Cache<PageKey, (u64, Arc<TalentRows>)>,
    talent_tickets: Cache<(i64, Vec<i64>), (u64, Arc<TicketStates>)>,
}

/// A registration's latest ticket with each of some students: student → (ticket id, status).
pub type TicketStates = std::collections::HashMap<i64, (i64, String)>;

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

fn cache<K, V>(capacity: u64, ttl: Duration) -> Cache<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    Cache::builder()
        .max_capacity(capacity)
        .expire_after(Jittered(ttl.max(Duration::from_millis(1))))
        .build()
}

impl ReadCache {
    pub(crate) fn new(ttl: Duration) -> Self {
        ReadCache {
            ttl,
            generations: Default::default(),
            sessions: cache(200_000, ttl),
            users: cache(200_000, ttl),
            fairs: cache(10_000, ttl),
            entries: cache(400_000, ttl),
            // Pages hold up to 20 rows each: a few thousand pages stay within tens of MiB.
            directory: cache(4_000, ttl),
            registrations: cache(20_000, ttl),
            employers: cache(20_000, ttl),
            talents: cache(4_000, ttl),
            talent_tickets: cache(20_000, ttl),
        }
    }

    pub(crate) fn enabled(&self) -> bool {
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

    fn fresh<K, V>(&self, cache: &Cache<K, (u64, V)>, area: Area, key: &K) -> Option<V>
    where
        K: Hash + Eq + Send + Sync + 'static,
        V: Clone + Send + Sync + 'static,
    {
        if !self.enabled() {
            return None;
        }
        match cache.get(key) {
            Some((generation, v)) if generation == self.generation(area) => Some(v),
            _ => None,
        }
    }

    fn keep<K, V>(&self, cache: &Cache<K, (u64, V)>, key: K, generation: u64, value: V)
    where
        K: Hash + Eq + Send + Sync + 'static,
        V: Clone + Send + Sync + 'static,
    {
        if self.enabled() {
            cache.insert(key, (generation, value));
        }
    }

    pub(crate) fn session(&self, id: &str) -> Option<String> {
        self.fresh(&self.sessions, Area::Sessions, &id.to_string())
    }

    pub(crate) fn keep_session(&self, id: &str, generation: u64, data: String) {
        self.keep(&self.sessions, id.to_string(), generation, data);
    }

    /// A session was deleted here: forget it at once (and anything read under it).
    pub(crate) fn forget_session(&self, id: &str) {
        self.changed(Area::Sessions);
        self.sessions.invalidate(id);
    }

    pub(crate) fn user(&self, id: i64) -> Option<User> {
        self.fresh(&self.users, Area::Users, &id)
    }

    pub(crate) fn keep_user(&self, generation: u64, user: User) {
        self.keep(&self.users, user.id, generation, user);
    }

    pub(crate) fn fair(&self, id: i64) -> Option<Fair> {
        self.fresh(&self.fairs, Area::Fairs, &id)
    }

    pub(crate) fn keep_fair(&self, generation: u64, fair: Fair) {
        self.keep(&self.fairs, fair.id, generation, fair);
    }

    /// Only "entered" is kept: an entry, once made, stays.
    pub(crate) fn entered(&self, fair_id: i64, student_id: i64) -> bool {
        self.enabled()
            && self.entries.get(&(fair_id, student_id)) == Some(self.generation(Area::Entries))
    }

    pub(crate) fn keep_entered(&self, fair_id: i64, student_id: i64, generation: u64) {
        if self.enabled() {
            self.entries.insert((fair_id, student_id), generation);
        }
    }

    pub(crate) fn directory(&self, key: &PageKey) -> Option<Arc<DirectoryPage>> {
        self.fresh(&self.directory, Area::Directory, key)
    }

    pub(crate) fn keep_directory(&self, key: PageKey, generation: u64, page: Arc<DirectoryPage>) {
        self.keep(&self.directory, key, generation, page);
    }

    pub(crate) fn registration(&self, id: i64) -> Option<Registration> {
        self.fresh(&self.registrations, Area::Directory, &id)
    }

    pub(crate) fn keep_registration(&self, generation: u64, registration: Registration) {
        self.keep(
            &self.registrations,
            registration.id,
            generation,
            registration,
        );
    }

    pub(crate) fn employer(&self, id: i64) -> Option<Employer> {
        self.fresh(&self.employers, Area::Directory, &id)
    }

    pub(crate) fn keep_employer(&self, generation: u64, employer: Employer) {
        self.keep(&self.employers, employer.id, generation, employer);
    }

    pub(crate) fn talents(&self, key: &PageKey) -> Option<Arc<TalentRows>> {
        self.fresh(&self.talents, Area::Talents, key)
    }

    pub(crate) fn talent_tickets(&self, key: &(i64, Vec<i64>)) -> Option<Arc<TicketStates>> {
        self.fresh(&self.talent_tickets, Area::Tickets, key)
    }

    pub(crate) fn keep_talent_tickets(
        &self,
        key: (i64, Vec<i64>),
        generation: u64,
        states: Arc<TicketStates>,
    ) {
        self.keep(&self.talent_tickets, key, generation, states);
    }

    pub(crate) fn keep_talents(&self, key: PageKey, generation: u64, rows: Arc<TalentRows>) {
        self.keep(&self.talents, key, generation, rows);
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
        c.keep_user(g, user(1, "甲"));
        assert_eq!(c.user(1).map(|u| u.display_name), Some("甲".into()));
        c.changed(Area::Fairs);
        assert!(
            c.user(1).is_some(),
            "another area's write leaves users alone"
        );
        c.changed(Area::Users);
        assert!(c.user(1).is_none());
    }

    #[test]
    fn a_read_that_raced_a_write_is_not_served() {
        let c = ReadCache::new(Duration::from_secs(60));
        let before = c.generation(Area::Sessions);
        // The write commits and bumps the generation while the read is still in flight …
        c.changed(Area::Sessions);
        // … and the read stores what it saw under the generation it started with.
        c.keep_session("s", before, "old".into());
        assert_eq!(c.session("s"), None);
    }

    #[test]
    fn a_deleted_session_is_forgotten_and_bulk_writes_reset_everything() {
        let c = ReadCache::new(Duration::from_secs(60));
        c.keep_session("s", c.generation(Area::Sessions), "{}".into());
        assert_eq!(c.session("s").as_deref(), Some("{}"));
        c.forget_session("s");
        assert_eq!(c.session("s"), None);
        c.keep_entered(7, 1, c.generation(Area::Entries));
        assert!(c.entered(7, 1));
        assert!(!c.entered(7, 2));
        c.changed_all();
        assert!(!c.entered(7, 1));
    }

    #[test]
    fn entries_expire_after_the_time_to_live() {
        let c = ReadCache::new(Duration::from_millis(30));
        c.keep_user(c.generation(Area::Users), user(1, "甲"));
        assert!(c.user(1).is_some());
        std::thread::sleep(Duration::from_millis(80));
        assert!(c.user(1).is_none());
    }

    #[test]
    fn a_zero_time_to_live_turns_the_cache_off() {
        let c = ReadCache::new(Duration::ZERO);
        c.keep_user(c.generation(Area::Users), user(1, "甲"));
        c.keep_entered(7, 1, c.generation(Area::Entries));
        assert!(c.user(1).is_none());
        assert!(!c.entered(7, 1));
    }
}
