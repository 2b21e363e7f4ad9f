//! One-time sign-in codes for students.
//!
//! A code is six digits, valid for a short time, used at most once, and a wrong guess counts
//! against it: after `MAX_ATTEMPTS` wrong guesses the code is burnt and a new one is needed.
//! The store keeps only a hash of the code.

use crate::DomainError;
use crate::message::Message;
use crate::msg;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtpPolicy {
    pub ttl_secs: i64,
    pub max_attempts: i64,
    /// The shortest wait between two codes sent to one phone.
    pub resend_after_secs: i64,
}

impl Default for OtpPolicy {
    fn default() -> Self {
        Self {
            ttl_secs: 300,
            max_attempts: 5,
            resend_after_secs: 60,
        }
    }
}

/// What the store knows about the newest code for a phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpState {
    pub created_at: i64,
    pub used: bool,
    pub attempts: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtpVerdict {
    Accept,
    /// Wrong code, the code is still usable: count the attempt.
    Wrong,
}

/// A code as typed: exactly six ASCII digits once spaces are removed.
pub fn parse_code(input: &str) -> Result<String, DomainError> {
    let code: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code)
    } else {
        Err(DomainError::new(
            "invalid_code",
            "code",
            msg!("error.otp.code_invalid"),
        ))
    }
}

impl OtpPolicy {
    /// May a new code be sent now, given the newest code for this phone?
    pub fn may_send(&self, newest: Option<&OtpState>, now: i64) -> Result<(), DomainError> {
        match newest {
            Some(s) if !s.used && now - s.created_at < self.resend_after_secs => {
                let wait = self.resend_after_secs - (now - s.created_at);
                Err(DomainError::new(
                    "code_sent_recently",
                    "phone",
                    msg!("error.otp.sent_recently", secs = wait),
                ))
            }
            _ => Ok(()),
        }
    }

    /// Judge a guess against the newest code. `matches` is whether the hash of the guess equals
    /// the stored hash (compared in constant time by the caller).
    pub fn verify(
        &self,
        newest: Option<&OtpState>,
        matches: bool,
        now: i64,
    ) -> Result<OtpVerdict, DomainError> {
        let gone = |code, m: Message| Err(DomainError::new(code, "code", m));
        let Some(s) = newest else {
            return gone("code_missing", msg!("error.otp.code_missing"));
        };
        if s.used {
            return gone("code_used", msg!("error.otp.code_used"));
        }
        if now - s.created_at > self.ttl_secs {
            return gone("code_expired", msg!("error.otp.code_expired"));
        }
        if s.attempts >= self.max_attempts {
            return gone("code_exhausted", msg!("error.otp.code_exhausted"));
        }
        Ok(if matches {
            OtpVerdict::Accept
        } else {
            OtpVerdict::Wrong
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(created_at: i64, used: bool, attempts: i64) -> OtpState {
        OtpState {
            created_at,
            used,
            attempts,
        }
    }

    #[test]
    fn codes_are_six_digits() {
        assert_eq!(parse_code(" 123 456 "), Ok("123456".into()));
        for bad in ["", "12345", "1234567", "12345a", "１２３４５６"] {
            assert!(parse_code(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_second_code_waits_for_the_resend_interval() {
        let p = OtpPolicy::default();
        assert!(p.may_send(None, 0).is_ok());
        let err = p.may_send(Some(&state(100, false, 0)), 130);
        assert_eq!(err.map_err(|e| e.code), Err("code_sent_recently"));
        assert!(p.may_send(Some(&state(100, false, 0)), 160).is_ok());
        assert!(p.may_send(Some(&state(100, true, 0)), 101).is_ok());
    }

    #[test]
    fn verification_accepts_once_and_refuses_expired_used_and_exhausted_codes() {
        let p = OtpPolicy::default();
        let fresh = state(0, false, 0);
        assert_eq!(p.verify(Some(&fresh), true, 10), Ok(OtpVerdict::Accept));
        assert_eq!(p.verify(Some(&fresh), false, 10), Ok(OtpVerdict::Wrong));
        assert_eq!(p.verify(Some(&fresh), true, 300), Ok(OtpVerdict::Accept));
        let code = |r: Result<OtpVerdict, DomainError>| r.map_err(|e| e.code);
        assert_eq!(code(p.verify(Some(&fresh), true, 301)), Err("code_expired"));
        assert_eq!(
            code(p.verify(Some(&state(0, true, 0)), true, 1)),
            Err("code_used")
        );
        assert_eq!(
            code(p.verify(Some(&state(0, false, 5)), true, 1)),
            Err("code_exhausted")
        );
        assert_eq!(
            code(p.verify(Some(&state(0, false, 4)), true, 1)),
            Ok(OtpVerdict::Accept)
        );
        assert_eq!(code(p.verify(None, true, 1)), Err("code_missing"));
    }
}
