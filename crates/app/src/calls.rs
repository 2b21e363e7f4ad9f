//! Calls: the ICE servers a browser gets, with TURN credentials minted per call.

use fairhall_domain::turn::{self, IceServer, TurnTag};
use fairhall_store::users::User;

use crate::{App, now_ms};

/// What a browser puts in `RTCConfiguration.iceServers`, and until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IceServers {
    pub servers: Vec<IceServer>,
    /// When the TURN credentials expire (Unix ms); the browser fetches new ones before. `None`
    /// without TURN servers, since STUN needs no credentials.
    pub expires_at: Option<i64>,
}

impl App {
    /// The ICE servers for any signed-in user, with TURN credentials minted for them.
    pub fn ice_servers(&self, user: &User) -> IceServers {
        self.ice_servers_for(TurnTag::user(user.id), now_ms())
    }

    /// The ICE servers with TURN credentials for `tag` (a user, or a user in a call), valid
    /// from `now` (Unix ms) for `turn_ttl_secs`.
    pub fn ice_servers_for(&self, tag: TurnTag, now: i64) -> IceServers {
        let c = &self.config;
        let creds = c
            .turn_secret()
            .filter(|_| !c.turn_urls.is_empty())
            .map(|secret| {
                turn::turn_credentials(
                    secret.as_bytes(),
                    &tag.to_string(),
                    now.div_euclid(1000),
                    i64::from(c.turn_ttl_secs),
                )
            });
        IceServers {
            servers: turn::ice_servers(&c.stun_urls, &c.turn_urls, creds.as_ref()),
            expires_at: creds.map(|t| t.expires_at.saturating_mul(1000)),
        }
    }
}
