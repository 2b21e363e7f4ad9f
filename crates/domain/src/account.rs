//! Accounts: who someone is and how they prove it.

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::message::Message;
use crate::msg;

/// The five kinds of people in DESIGN.md. Stored as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    PlatformAdmin,
    OrganizerStaff,
    EmployerAdmin,
    Interviewer,
    Student,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::PlatformAdmin,
        Role::OrganizerStaff,
        Role::EmployerAdmin,
        Role::Interviewer,
        Role::Student,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::PlatformAdmin => "platform_admin",
            Role::OrganizerStaff => "organizer_staff",
            Role::EmployerAdmin => "employer_admin",
            Role::Interviewer => "interviewer",
            Role::Student => "student",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Students sign in with a phone code; everyone else with a password.
    pub fn signs_in_with_password(self) -> bool {
        self != Role::Student
    }
}

/// A login e-mail address, lower-cased. Deliberately loose: one `@`, a dot in the domain, no
/// spaces. Deliverability is proven by use, not by a regex.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, DomainError> {
        let s = input.trim().to_lowercase();
        let err = |m: Message| DomainError::new("invalid_email", "email", m);
        if s.is_empty() {
            return Err(err(msg!("error.account.email_required")));
        }
        if s.chars().count() > 254 {
            return Err(err(msg!("error.account.email_too_long")));
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err(err(msg!("error.account.email_invalid")));
        };
        let ok = !local.is_empty()
            && !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !s.chars().any(|c| c.is_whitespace() || c.is_control());
        if !ok {
            return Err(err(msg!("error.account.email_invalid")));
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A mainland China mobile number: 11 digits starting with 1 and a second digit 3–9. A `+86`
/// or `86` prefix, spaces and dashes are accepted and removed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Phone(String);

impl Phone {
    pub fn parse(input: &str) -> Result<Phone, DomainError> {
        let digits: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect();
        let digits = digits
            .strip_prefix("+86")
            .or_else(|| {
                (digits.len() == 13)
                    .then(|| digits.strip_prefix("86"))
                    .flatten()
            })
            .unwrap_or(&digits);
        let err = |m: Message| DomainError::new("invalid_phone", "phone", m);
        if digits.is_empty() {
            return Err(err(msg!("error.account.phone_required")));
        }
        let bytes = digits.as_bytes();
        let ok = bytes.len() == 11
            && bytes.iter().all(u8::is_ascii_digit)
            && bytes[0] == b'1'
            && (b'3'..=b'9').contains(&bytes[1]);
        if !ok {
            return Err(err(msg!("error.account.phone_invalid")));
        }
        Ok(Phone(digits.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `138****5678`: what logs and the outbox list show.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

/// A new password as typed. Only length is enforced (NIST SP 800-63B): at least 8 characters,
/// at most 128 so hashing cost stays bounded.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl NewPassword {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(input: &str) -> Result<NewPassword, DomainError> {
        let n = input.chars().count();
        if n < Self::MIN_CHARS {
            return Err(DomainError::new(
                "weak_password",
                "password",
                msg!("error.account.password_too_short", min = Self::MIN_CHARS),
            ));
        }
        if n > Self::MAX_CHARS {
            return Err(DomainError::new(
                "password_too_long",
                "password",
                msg!("error.account.password_too_long", max = Self::MAX_CHARS),
            ));
        }
        Ok(NewPassword(input.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A person's or organisation's display name: trimmed, 1–60 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(input: &str) -> Result<DisplayName, DomainError> {
        let s = input.trim();
        let err = |m: Message| DomainError::new("invalid_name", "name", m);
        if s.is_empty() {
            return Err(err(msg!("error.account.name_required")));
        }
        if s.chars().count() > 60 {
            return Err(err(msg!("error.account.name_too_long")));
        }
        if s.chars().any(char::is_control) {
            return Err(err(msg!("error.account.name_invalid_characters")));
        }
        Ok(DisplayName(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Session lifetime rules. A session ends after `idle_secs` without a request, and in any case
/// `absolute_secs` after sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle_secs: i64,
    pub absolute_secs: i64,
}

impl SessionPolicy {
    pub fn is_expired(&self, signed_in_at: i64, last_seen_at: i64, now: i64) -> bool {
        now - last_seen_at > self.idle_secs || now - signed_in_at > self.absolute_secs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_text() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
        assert!(!Role::Student.signs_in_with_password());
        assert!(Role::Interviewer.signs_in_with_password());
    }

    #[test]
    fn emails_are_lowercased_and_checked() {
        assert_eq!(
            Email::parse(" Li.Ming@Example.COM ").map(|e| e.0),
            Ok("li.ming@example.com".into())
        );
        for bad in [
            "", "a", "a@b", "@b.cn", "a@b.", "a@.cn", "a b@c.cn", "a@b@c.cn",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn phones_accept_common_forms_and_refuse_others() {
        for ok in [
            "13812345678",
            "+86 138 1234 5678",
            "8613812345678",
            "138-1234-5678",
        ] {
            assert_eq!(
                Phone::parse(ok).map(|p| p.0),
                Ok("13812345678".into()),
                "{ok}"
            );
        }
        for bad in [
            "",
            "1381234567",
            "23812345678",
            "12812345678",
            "1381234567a",
            "138123456789",
        ] {
            assert!(Phone::parse(bad).is_err(), "{bad} should be refused");
        }
        assert_eq!(
            Phone::parse("13812345678").map(|p| p.masked()),
            Ok("138****5678".into())
        );
    }

    #[test]
    fn passwords_need_eight_to_128_characters() {
        assert!(NewPassword::parse("1234567").is_err());
        assert!(NewPassword::parse("12345678").is_ok());
        assert!(NewPassword::parse("密码密码密码密码").is_ok());
        assert!(NewPassword::parse(&"x".repeat(129)).is_err());
        assert_eq!(
            format!("{:?}", NewPassword::parse("secret-pw")),
            "Ok(NewPassword(***))"
        );
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            DisplayName::parse("  天津大学就业指导中心 ").map(|n| n.0),
            Ok("天津大学就业指导中心".into())
        );
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"名".repeat(61)).is_err());
        assert!(DisplayName::parse("a\u{7}b").is_err());
    }

    #[test]
    fn sessions_expire_when_idle_or_too_old() {
        let p = SessionPolicy {
            idle_secs: 100,
            absolute_secs: 1000,
        };
        assert!(!p.is_expired(0, 0, 100));
        assert!(p.is_expired(0, 0, 101));
        assert!(!p.is_expired(0, 950, 1000));
        assert!(p.is_expired(0, 999, 1001));
    }
}
