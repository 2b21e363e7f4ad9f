//! Rate limits on sign-in, one-time codes and roster matching, per account and per client
//! address.
//!
//! Each limit is checked twice:
//! - on the node, in memory (GCRA from `governor`): smooth, and enough on a single node;
//! - across the cluster, when the bus has one (Redis): a count per window shared by every node,
//!   so a load balancer spreading one client over N nodes does not give it N times the quota.
//!   If Redis does not answer, the node's own limit still holds and the request goes on.
//!
//! The per-phone code limit is also enforced in the database, which all nodes share.

use std::fmt::Debug;
use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use sha2::{Digest, Sha256};

use crate::{App, AppError, AppResult, Config};

/// One limit: the node's limiter, and the same quota as hits per window for the cluster.
pub struct Limit<K: Hash + Eq + Clone> {
    local: DefaultKeyedRateLimiter<K>,
    name: &'static str,
    max_per_window: u32,
    window: Duration,
}

impl<K: Hash + Eq + Clone + Debug> Limit<K> {
    fn new(name: &'static str, quota: Quota, max_per_window: u32, window: Duration) -> Self {
        Limit {
            local: RateLimiter::keyed(quota),
            name,
            max_per_window: max_per_window.max(1),
            window,
        }
    }

    /// `max` per `window`, evenly spread on the node.
    fn per(name: &'static str, max: u32, window: Duration) -> Self {
        let max = nz(max);
        let period = window / max.get();
        let quota = Quota::with_period(period)
            .unwrap_or_else(|| Quota::per_second(max))
            .allow_burst(max);
        Self::new(name, quota, max.get(), window)
    }

    /// The key as the cluster counts it: hashed, so student numbers and addresses are not
    /// written to Redis in the clear.
    fn cluster_key(&self, key: &K) -> String {
        let digest = Sha256::digest(format!("{key:?}").as_bytes());
        format!("{}:{}", self.name, hex::encode(&digest[..16]))
    }

    /// Takes one unit on this node, or says how long to wait.
    fn check_local(&self, key: &K) -> Result<(), AppError> {
        self.local.check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            AppError::RateLimited {
                retry_after_secs: wait.as_secs().max(1),
            }
        })
    }
}

pub struct Limits {
    pub login_account: Limit<String>,
    pub login_ip: Limit<IpAddr>,
    pub codes_ip: Limit<IpAddr>,
    pub verify_ip: Limit<IpAddr>,
    /// Roster matching (云就业匹配) per client address: generous, since a campus network puts
    /// many students behind one address.
    pub roster_ip: Limit<IpAddr>,
    /// Roster matching per (normalised school, student number): a handful of tries, then one
    /// every few minutes, so an ID tail (about a million values) cannot be guessed.
    pub roster_student: Limit<(String, String)>,
}

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN)
}

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

impl Limits {
    pub fn new(config: &Config) -> Self {
        Self {
            login_account: Limit::per(
                "login_account",
                config.sign_in.login_per_account_per_minute,
                MINUTE,
            ),
            login_ip: Limit::per("login_ip", config.sign_in.login_per_ip_per_minute, MINUTE),
            codes_ip: Limit::per("codes_ip", config.sign_in.codes_per_ip_per_hour, HOUR),
            verify_ip: Limit::per("verify_ip", 30, MINUTE),
            roster_ip: Limit::per("roster_ip", 30, MINUTE),
            // Five tries at once, then one every three minutes; across the cluster, five in
            // any fifteen minutes.
            roster_student: Limit::new(
                "roster_student",
                Quota::with_period(Duration::from_secs(180))
                    .unwrap_or_else(|| Quota::per_hour(nz(20)))
                    .allow_burst(nz(5)),
                5,
                Duration::from_secs(900),
            ),
        }
    }
}

impl App {
    /// Takes one unit of `limit` for `key` on this node and, with a cluster bus, across the
    /// cluster; or says how long to wait.
    pub async fn limit<K: Hash + Eq + Clone + Debug>(
        &self,
        limit: &Limit<K>,
        key: &K,
    ) -> AppResult<()> {
        limit.check_local(key)?;
        match self
            .hub
            .bus()
            .count_hit(&limit.cluster_key(key), limit.window)
            .await
        {
            Ok(Some(hits)) if hits > u64::from(limit.max_per_window) => {
                Err(AppError::RateLimited {
                    retry_after_secs: limit.window.as_secs().max(1),
                })
            }
            Ok(_) => Ok(()),
            Err(e) => {
                tracing::warn!(error = %e, limit = limit.name,
                    "cluster rate limit unavailable; the node's own limit applies");
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_allows_its_quota_at_once_then_refuses_with_a_wait() {
        let l: Limit<String> = Limit::per("t", 3, MINUTE);
        let k = "a@example.cn".to_string();
        for _ in 0..3 {
            assert!(l.check_local(&k).is_ok());
        }
        match l.check_local(&k) {
            Err(AppError::RateLimited { retry_after_secs }) => {
                assert!((1..=20).contains(&retry_after_secs), "{retry_after_secs}");
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert!(
            l.check_local(&"b@example.cn".to_string()).is_ok(),
            "keys are apart"
        );
    }

    #[test]
    fn cluster_keys_name_the_limit_and_hide_the_key() {
        let l: Limit<(String, String)> = Limit::per("roster_student", 5, MINUTE);
        let key = ("天津大学".to_string(), "2022001234".to_string());
        let k = l.cluster_key(&key);
        assert!(k.starts_with("roster_student:"), "{k}");
        assert!(!k.contains("2022001234"), "{k}");
        assert_eq!(k, l.cluster_key(&key));
        assert_ne!(k, l.cluster_key(&("天津大学".into(), "2022001235".into())));
    }
}
