//! Chat between a student and an employer in a fair: what a message may contain, and how
//! fast one sender may send.

use crate::DomainError;
use crate::msg;

/// Long enough for a question about a position or a short self-introduction; a resume is
/// delivered, not pasted.
pub const MESSAGE_MAX: usize = 1000;
/// Blank lines kept in a row. More only push the conversation off a phone screen.
pub const MAX_BLANK_LINES: usize = 2;
/// The rate window of `may_send`.
pub const RATE_WINDOW_MS: i64 = 60_000;
/// A person typing sends at most a message every few seconds; this stops scripts and
/// paste-floods without ever slowing a real conversation.
pub const DEFAULT_MAX_PER_MINUTE: usize = 20;

/// Characters that reorder text (bidirectional overrides and isolates): they can make a message
/// read differently from what was sent, for example a file name or a link.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A message as typed, made ready to store and show: line endings unified to `\n`, tabs as
/// spaces, trailing spaces of each line dropped, runs of more than `MAX_BLANK_LINES` blank
/// lines shortened, the whole trimmed; then 1 to `MESSAGE_MAX` characters. Control characters
/// other than the newline are refused rather than silently dropped, since they never come from
/// a keyboard.
pub fn parse_message(text: &str) -> Result<String, DomainError> {
    let s = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', " ");
    if s.chars()
        .any(|c| (c.is_control() && c != '\n') || is_bidi_control(c))
    {
        return Err(DomainError::new(
            "invalid_characters",
            "text",
            msg!("error.chat.invalid_characters"),
        ));
    }
    let mut out = String::with_capacity(s.len());
    let mut blank_run = 0;
    for line in s.split('\n') {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > MAX_BLANK_LINES {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    let out = out.trim();
    let n = out.chars().count();
    if n == 0 {
        return Err(DomainError::new(
            "message_required",
            "text",
            msg!("error.chat.message_required"),
        ));
    }
    if n > MESSAGE_MAX {
        return Err(DomainError::new(
            "message_too_long",
            "text",
            msg!("error.chat.message_too_long", max = MESSAGE_MAX, len = n),
        ));
    }
    Ok(out.to_owned())
}

/// How long, in milliseconds, a sender must wait before the next message, given when their
/// recent messages were sent (any order; older ones are ignored). `None`: they may send now.
///
/// A sliding window: at most `max_per_minute` sends in the last `RATE_WINDOW_MS`. Send times
/// in the future (clocks of two nodes disagreeing) count as recent. `max_per_minute == 0`
/// means sending is switched off.
pub fn retry_after_ms(recent_ms: &[i64], now: i64, max_per_minute: usize) -> Option<i64> {
    if max_per_minute == 0 {
        return Some(RATE_WINDOW_MS);
    }
    let mut in_window: Vec<i64> = recent_ms
        .iter()
        .copied()
        .filter(|t| now - t < RATE_WINDOW_MS)
        .collect();
    if in_window.len() < max_per_minute {
        return None;
    }
    in_window.sort_unstable();
    // Once this send leaves the window, max_per_minute - 1 remain and one more fits.
    let leaving = in_window[in_window.len() - max_per_minute];
    Some((leaving + RATE_WINDOW_MS - now).clamp(1, RATE_WINDOW_MS))
}

/// May this sender send now? Refused with the wait in whole seconds, rounded up.
pub fn may_send(recent_ms: &[i64], now: i64, max_per_minute: usize) -> Result<(), DomainError> {
    match retry_after_ms(recent_ms, now, max_per_minute) {
        None => Ok(()),
        Some(ms) => {
            let secs = (ms + 999) / 1000;
            Err(DomainError::new(
                "rate_limited",
                "text",
                msg!("error.chat.too_fast", secs = secs),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn messages_are_trimmed_and_kept_otherwise() {
        assert_eq!(
            parse_message("  你好，请问还招人吗？ \n"),
            Ok("你好，请问还招人吗？".into())
        );
        assert_eq!(
            parse_message("第一行\r\n  第二行缩进\r第三行"),
            Ok("第一行\n  第二行缩进\n第三行".into())
        );
        assert_eq!(parse_message("a\tb"), Ok("a b".into()));
        assert_eq!(parse_message("x"), Ok("x".into()));
    }

    #[test]
    fn more_than_two_blank_lines_are_collapsed_to_two() {
        assert_eq!(parse_message("a\n\nb"), Ok("a\n\nb".into()));
        assert_eq!(parse_message("a\n\n\nb"), Ok("a\n\n\nb".into()));
        assert_eq!(parse_message("a\n\n\n\nb"), Ok("a\n\n\nb".into()));
        assert_eq!(
            parse_message("a\n \n\t\n  \n\n\nb\n\n\n\n\nc"),
            Ok("a\n\n\nb\n\n\nc".into())
        );
        assert_eq!(parse_message("\n\n\n\na\n\n\n\n"), Ok("a".into()));
    }

    #[test]
    fn empty_messages_are_refused() {
        for empty in ["", "   ", "\n\n", "\r\n\t \u{3000}"] {
            let e = parse_message(empty).unwrap_err();
            assert_eq!((e.code, e.field), ("message_required", "text"), "{empty:?}");
        }
    }

    #[test]
    fn messages_are_at_most_1000_characters() {
        let max = "字".repeat(MESSAGE_MAX);
        assert_eq!(
            parse_message(&max).map(|m| m.chars().count()),
            Ok(MESSAGE_MAX)
        );
        let e = parse_message(&format!("{max}多")).unwrap_err();
        assert_eq!(e.code, "message_too_long");
        assert_eq!(e.message, "消息最多 1000 个字，当前为 1001 个字");
        // Counted after trimming.
        assert!(parse_message(&format!("  {max}  \n\n")).is_ok());
    }

    #[test]
    fn control_and_reordering_characters_are_refused() {
        for bad in [
            "a\u{0}b",
            "bell\u{7}",
            "esc\u{1b}[31m",
            "del\u{7f}",
            "c1\u{85}",
            "abc\u{202E}fdp.exe",
        ] {
            assert_eq!(
                parse_message(bad).map_err(|e| e.code),
                Err("invalid_characters"),
                "{bad:?}"
            );
        }
        assert!(parse_message("emoji 👋 and 中文").is_ok());
    }

    #[test]
    fn a_sender_may_send_up_to_the_limit_per_minute() {
        let now = 1_000_000;
        assert_eq!(may_send(&[], now, 3), Ok(()));
        assert_eq!(may_send(&[now - 1000, now - 2000], now, 3), Ok(()));
        let full = [now - 50_000, now - 10_000, now - 1_000];
        let e = may_send(&full, now, 3).unwrap_err();
        assert_eq!(e.code, "rate_limited");
        assert_eq!(e.message, "发送太频繁，请 10 秒后再试");
        assert_eq!(retry_after_ms(&full, now, 3), Some(10_000));
        // Order does not matter.
        assert_eq!(
            retry_after_ms(&[now - 1_000, now - 50_000, now - 10_000], now, 3),
            Some(10_000)
        );
    }

    #[test]
    fn the_window_is_exactly_one_minute() {
        let now = 1_000_000;
        // Sent exactly a minute ago: out of the window.
        assert_eq!(may_send(&[now - RATE_WINDOW_MS], now, 1), Ok(()));
        // A millisecond later than that: still in it, for one more millisecond.
        assert_eq!(retry_after_ms(&[now - RATE_WINDOW_MS + 1], now, 1), Some(1));
        assert_eq!(
            may_send(&[now - RATE_WINDOW_MS + 1], now, 1).map_err(|e| e.message.zh()),
            Err("发送太频繁，请 1 秒后再试".into())
        );
        // Old sends are ignored, however many.
        let old: Vec<i64> = (0..100).map(|i| now - RATE_WINDOW_MS - i).collect();
        assert_eq!(may_send(&old, now, 1), Ok(()));
    }

    #[test]
    fn with_more_sends_than_the_limit_the_wait_is_until_enough_leave() {
        let now = 1_000_000;
        // Five sends, limit 3: two must leave before one more fits.
        let sends = [
            now - 55_000,
            now - 40_000,
            now - 30_000,
            now - 20_000,
            now - 5_000,
        ];
        assert_eq!(retry_after_ms(&sends, now, 3), Some(30_000));
    }

    #[test]
    fn future_send_times_count_and_a_zero_limit_refuses() {
        let now = 1_000_000;
        assert_eq!(retry_after_ms(&[now + 5_000], now, 1), Some(RATE_WINDOW_MS));
        assert_eq!(retry_after_ms(&[], now, 0), Some(RATE_WINDOW_MS));
        assert!(may_send(&[], now, DEFAULT_MAX_PER_MINUTE).is_ok());
    }
}
