//! ICE servers for calls, and TURN credentials in the "TURN REST" scheme: the username is
//! `<expiry in Unix seconds>:<tag>` and the credential is `base64(HMAC-SHA1(secret, username))`.
//! A TURN server configured with the same shared secret (coturn: `use-auth-secret` and
//! `static-auth-secret`) checks the credential itself and refuses it once the expiry has passed,
//! so credentials are never stored and a leaked one stops working on its own.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha1::Sha1;

/// Shortest shared secret accepted: a short one can be guessed from a single credential.
pub const MIN_SECRET_LEN: usize = 16;
/// Bounds of a credential's lifetime: long enough for a full interview with reconnects, short
/// enough that a credential copied out of a page is soon worthless.
pub const MIN_TTL_SECS: i64 = 60;
pub const MAX_TTL_SECS: i64 = 86_400;
pub const DEFAULT_TTL_SECS: i64 = 3_600;

/// Credentials for the TURN servers, valid until `expires_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TurnCredentials {
    pub username: String,
    pub credential: String,
    /// Unix seconds.
    pub expires_at: i64,
}

/// Whom credentials are minted for: a user, and (once calls exist) the call. It becomes the
/// part of the username after the expiry, so a TURN server's logs show who used a relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TurnTag {
    pub user_id: i64,
    pub call_id: Option<i64>,
}

impl TurnTag {
    pub fn user(user_id: i64) -> Self {
        Self {
            user_id,
            call_id: None,
        }
    }

    pub fn call(user_id: i64, call_id: i64) -> Self {
        Self {
            user_id,
            call_id: Some(call_id),
        }
    }
}

impl std::fmt::Display for TurnTag {
    /// `42`, or `42-c7` for call 7. No `:`, which separates the expiry from the tag.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.call_id {
            None => write!(f, "{}", self.user_id),
            Some(call) => write!(f, "{}-c{call}", self.user_id),
        }
    }
}

/// Credentials for `user_tag`, valid from `now_secs` for `ttl_secs` seconds.
pub fn turn_credentials(
    secret: &[u8],
    user_tag: &str,
    now_secs: i64,
    ttl_secs: i64,
) -> TurnCredentials {
    let expires_at = now_secs.saturating_add(ttl_secs.max(0));
    let username = format!("{expires_at}:{user_tag}");
    TurnCredentials {
        credential: credential_for(secret, &username),
        username,
        expires_at,
    }
}

/// `base64(HMAC-SHA1(secret, username))`: what the TURN server computes to check a password.
pub fn credential_for(secret: &[u8], username: &str) -> String {
    // HMAC takes a key of any length, so this never fails.
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC accepts any key length");
    mac.update(username.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Whether credentials with this username are still good at `now_secs`.
pub fn is_current(username: &str, now_secs: i64) -> bool {
    username
        .split_once(':')
        .and_then(|(expiry, _)| expiry.parse::<i64>().ok())
        .is_some_and(|expiry| now_secs < expiry)
}

/// The two kinds of configured ICE server address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IceKind {
    Stun,
    Turn,
}

impl IceKind {
    /// The URI schemes of the kind (RFC 7064, RFC 7065), with their `:`.
    pub fn schemes(self) -> &'static [&'static str] {
        match self {
            IceKind::Stun => &["stun:"],
            IceKind::Turn => &["turn:", "turns:"],
        }
    }
}

/// Whether `url` is an address of that kind: one of its schemes, then a host, and no spaces or
/// commas (a list is split on commas).
pub fn is_ice_url(kind: IceKind, url: &str) -> bool {
    let Some(rest) = kind
        .schemes()
        .iter()
        .find_map(|scheme| url.strip_prefix(scheme))
    else {
        return false;
    };
    let host = rest.split(['?', ':']).next().unwrap_or("");
    !host.is_empty() && !url.contains(|c: char| c.is_whitespace() || c == ',')
}

/// One entry of a browser's `RTCConfiguration.iceServers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IceServer {
    pub urls: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

/// The ICE servers to hand a browser: the STUN servers as one entry without credentials, then
/// the TURN servers as one entry with `turn` credentials. TURN servers are left out without
/// credentials, since a browser refuses a TURN entry that has none.
pub fn ice_servers(
    stun_urls: &[String],
    turn_urls: &[String],
    turn: Option<&TurnCredentials>,
) -> Vec<IceServer> {
    let mut servers = Vec::new();
    if !stun_urls.is_empty() {
        servers.push(IceServer {
            urls: stun_urls.to_vec(),
            username: None,
            credential: None,
        });
    }
    if let (false, Some(c)) = (turn_urls.is_empty(), turn) {
        servers.push(IceServer {
            urls: turn_urls.to_vec(),
            username: Some(c.username.clone()),
            credential: Some(c.credential.clone()),
        });
    }
    servers
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"north-campus-turn-secret";

    #[test]
    fn a_known_vector() {
        // Computed independently with Python:
        //   base64.b64encode(hmac.new(b"north-campus-turn-secret", b"1700003600:42",
        //                             hashlib.sha1).digest())
        let c = turn_credentials(SECRET, "42", 1_700_000_000, 3_600);
        assert_eq!(c.username, "1700003600:42");
        assert_eq!(c.credential, "RY8HQS82DCM0lXI+HPdswKtWXvI=");
        assert_eq!(c.expires_at, 1_700_003_600);
        // The same computation over b"1700003600:42-c7", for a call's tag.
        let c = turn_credentials(
            SECRET,
            &TurnTag::call(42, 7).to_string(),
            1_700_000_000,
            3_600,
        );
        assert_eq!(c.username, "1700003600:42-c7");
        assert_eq!(c.credential, "6+C7TSsYLvVzYb1I+CUs4ZJae08=");
    }

    #[test]
    fn credentials_expire_after_their_ttl() {
        let c = turn_credentials(SECRET, "42", 1_000, 600);
        assert_eq!(c.expires_at, 1_600);
        assert!(is_current(&c.username, 1_000));
        assert!(is_current(&c.username, 1_599));
        assert!(!is_current(&c.username, 1_600));
        assert!(!is_current(&c.username, 5_000));
        assert!(!is_current("42", 1_000));
        assert!(!is_current("soon:42", 1_000));
    }

    #[test]
    fn different_users_times_and_secrets_give_different_credentials() {
        let a = turn_credentials(SECRET, "42", 1_000, 600);
        let b = turn_credentials(SECRET, "43", 1_000, 600);
        let later = turn_credentials(SECRET, "42", 1_001, 600);
        let longer = turn_credentials(SECRET, "42", 1_000, 601);
        assert_ne!(a.username, b.username);
        assert_ne!(a.credential, b.credential);
        assert_ne!(a.username, later.username);
        assert_ne!(a.credential, later.credential);
        assert_ne!(a.username, longer.username);
        let other_secret = turn_credentials(b"another-turn-secret-0", "42", 1_000, 600);
        assert_eq!(a.username, other_secret.username);
        assert_ne!(a.credential, other_secret.credential);
        // The same input gives the same credential: nothing needs storing.
        assert_eq!(a, turn_credentials(SECRET, "42", 1_000, 600));
    }

    #[test]
    fn the_credential_is_the_hmac_of_the_username() {
        let c = turn_credentials(SECRET, "9", 50, 60);
        assert_eq!(c.credential, credential_for(SECRET, &c.username));
        assert_ne!(c.credential, credential_for(SECRET, "111:9"));
    }

    #[test]
    fn tags_name_the_user_and_the_call_without_a_colon() {
        assert_eq!(TurnTag::user(42).to_string(), "42");
        assert_eq!(TurnTag::call(42, 7).to_string(), "42-c7");
        assert_ne!(
            TurnTag::call(42, 7).to_string(),
            TurnTag::call(42, 8).to_string()
        );
        assert!(!TurnTag::call(1, 2).to_string().contains(':'));
    }

    #[test]
    fn ice_urls_need_the_scheme_of_their_kind_and_a_host() {
        for good in [
            "stun:stun.example.edu.cn",
            "stun:stun.example.edu.cn:3478",
            "stun:[2001:db8::1]:3478",
        ] {
            assert!(is_ice_url(IceKind::Stun, good), "{good}");
        }
        for good in [
            "turn:turn.example.edu.cn:3478?transport=udp",
            "turn:turn.example.edu.cn",
            "turns:turn.example.edu.cn:5349?transport=tcp",
        ] {
            assert!(is_ice_url(IceKind::Turn, good), "{good}");
        }
        for bad in [
            "",
            "stun:",
            "turn:turn.example.edu.cn",
            "https://stun.example.edu.cn",
            "stun.example.edu.cn",
            "stun: stun.example.edu.cn",
            "stun:a,stun:b",
            "STUN:example",
        ] {
            assert!(!is_ice_url(IceKind::Stun, bad), "{bad}");
        }
        for bad in [
            "stun:turn.example.edu.cn",
            "turn:",
            "turns:?transport=tcp",
            "turn",
        ] {
            assert!(!is_ice_url(IceKind::Turn, bad), "{bad}");
        }
    }

    #[test]
    fn ice_servers_put_credentials_on_turn_only() {
        let stun = vec!["stun:s.example".to_string()];
        let turn = vec![
            "turn:t.example:3478".to_string(),
            "turns:t.example:5349".to_string(),
        ];
        let c = turn_credentials(SECRET, "42", 1_000, 600);
        let servers = ice_servers(&stun, &turn, Some(&c));
        assert_eq!(servers.len(), 2);
        assert_eq!(servers[0].urls, stun);
        assert_eq!(servers[0].username, None);
        assert_eq!(servers[0].credential, None);
        assert_eq!(servers[1].urls, turn);
        assert_eq!(servers[1].username.as_deref(), Some(c.username.as_str()));
        assert_eq!(
            servers[1].credential.as_deref(),
            Some(c.credential.as_str())
        );

        assert_eq!(ice_servers(&stun, &turn, None).len(), 1);
        assert_eq!(ice_servers(&[], &turn, Some(&c)).len(), 1);
        assert!(ice_servers(&[], &[], Some(&c)).is_empty());
        assert_eq!(ice_servers(&stun, &[], Some(&c)).len(), 1);
    }

    #[test]
    fn a_stun_entry_serialises_without_credentials() {
        let servers = ice_servers(&["stun:s.example".into()], &[], None);
        let json = serde_json::to_value(&servers[0]).expect("json");
        assert_eq!(json, serde_json::json!({"urls": ["stun:s.example"]}));
    }
}
