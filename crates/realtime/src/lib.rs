//! Real-time delivery: the `Bus` that carries events between nodes, and the `Hub` that holds
//! this node's live WebSocket connections and presence.
//!
//! The hub never talks to another node directly. It publishes to the bus and delivers what the
//! bus hands back, so the same code serves one process (the in-process bus) and a cluster (a
//! Redis bus behind the same trait).

pub mod bus;
pub mod hub;
pub mod message;
pub mod redis_bus;

pub use bus::{Bus, BusError, InProcessBus};
pub use hub::{ConnectionGuard, Hub, HubConfig};
pub use message::{
    CallData, CallParticipantData, ClientMessage, Envelope, IceCandidate, PROTOCOL_VERSION,
    ServerEvent, SignalKind, Topic,
};
pub use redis_bus::RedisBus;
