//! Rate limits on sign-in and one-time codes, per account and per client address.
//!
//! Kept in memory per node (GCRA from `governor`). Behind a load balancer each node counts on
//! its own, so the effective limit is at most nodes × the configured one; the per-phone code
//! limit is also enforced in the database, which all nodes share.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::{AppError, Config};

pub struct Limits {
    pub login_account: DefaultKeyedRateLimiter<String>,
    pub login_ip: DefaultKeyedRateLimiter<IpAddr>,
    pub codes_ip: DefaultKeyedRateLimiter<IpAddr>,
    pub verify_ip: DefaultKeyedRateLimiter<IpAddr>,
    /// Roster matching (云就业匹配) per client address: generous, since a campus network puts
    /// many students behind one address.
    pub roster_ip: DefaultKeyedRateLimiter<IpAddr>,
    /// Roster matching per (normalised school, student number): a handful of tries, then one
    /// every few minutes, so an ID tail (about a million values) cannot be guessed.
    pub roster_student: DefaultKeyedRateLimiter<(String, String)>,
}

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN)
}

impl Limits {
    pub fn new(config: &Config) -> Self {
        Self {
            login_account: RateLimiter::keyed(Quota::per_minute(nz(
                config.login_per_account_per_minute
            ))),
            login_ip: RateLimiter::keyed(Quota::per_minute(nz(config.login_per_ip_per_minute))),
            codes_ip: RateLimiter::keyed(Quota::per_hour(nz(config.codes_per_ip_per_hour))),
            verify_ip: RateLimiter::keyed(Quota::per_minute(nz(30))),
            roster_ip: RateLimiter::keyed(Quota::per_minute(nz(30))),
            roster_student: RateLimiter::keyed(
                Quota::with_period(std::time::Duration::from_secs(180))
                    .unwrap_or_else(|| Quota::per_hour(nz(20)))
                    .allow_burst(nz(5)),
            ),
        }
    }
}

/// Takes one unit for `key`, or says how long to wait.
pub fn check<K: std::hash::Hash + Eq + Clone>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
) -> Result<(), AppError> {
    limiter.check_key(key).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        AppError::RateLimited {
            retry_after_secs: wait.as_secs().max(1),
        }
    })
}
