//! Send-time stamps carried inside message text.
//!
//! The publisher writes `fhstamp:<epoch µs>:<sequence>` into the text it publishes; every
//! receiver, in any process on this machine, finds it in the raw frame (whatever JSON wraps it:
//! digits and colons are never escaped) and takes `now − stamp` as the latency. One clock (the
//! machine's) is read by both ends, so no synchronisation is needed.

use std::time::{SystemTime, UNIX_EPOCH};

const MARK: &str = "fhstamp:";

/// Microseconds since the Unix epoch.
pub fn now_us() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// A stamp for message number `seq`, taken now.
pub fn stamp(seq: u64) -> String {
    format!("{MARK}{}:{seq}", now_us())
}

/// The leading decimal number of `s` and what follows it.
fn leading_number(s: &str) -> Option<(u64, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let n = s.get(..end)?.parse().ok()?;
    Some((n, &s[end..]))
}

/// The (send time in µs, sequence) stamped in `text`, if any.
pub fn parse(text: &str) -> Option<(u64, u64)> {
    let at = text.find(MARK)? + MARK.len();
    let (sent, rest) = leading_number(&text[at..])?;
    let (seq, _) = leading_number(rest.strip_prefix(':')?)?;
    Some((sent, seq))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_survives_json_wrapping() {
        let s = stamp(7);
        let frame = serde_json::json!({"event": "announcement", "data": serde_json::json!({"text": s}).to_string()})
            .to_string();
        let (sent, seq) = parse(&frame).expect("found");
        assert_eq!(seq, 7);
        assert!(sent > 1_600_000_000_000_000);
        assert!(now_us() >= sent);
    }

    #[test]
    fn no_stamp_no_latency() {
        assert_eq!(parse(r#"{"type":"heartbeat"}"#), None);
        assert_eq!(parse("fhstamp:12"), None);
        assert_eq!(parse("fhstamp:12:x"), None);
        assert_eq!(parse("a fhstamp:12:3\""), Some((12, 3)));
    }
}
