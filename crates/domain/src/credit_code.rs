//! The unified social credit code (统一社会信用代码, GB 32100-2015) that identifies an employer.
//!
//! Employers type it from their business licence, so input arrives in every shape a Chinese
//! keyboard can produce (lower case, full-width characters, stray spaces around it). It is
//! parsed once at the edge and stored in its canonical upper-case half-width form, so two
//! registrations of the same company always compare equal.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::DomainError;
use crate::message::Message;
use crate::msg;

/// The 31 characters GB 32100 allows: I, O, S, V and Z are left out because they are easily
/// mistaken for 1, 0, 5, U and 2 when read off a printed licence.
pub const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Length of a code, check character included.
pub const LENGTH: usize = 18;

/// Weights are 3^i mod 31. Because 31 is prime and no weight is 0 mod 31, changing any single
/// character always changes the weighted sum mod 31, which is why every single-character
/// typo is caught.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Positions 3–8 (1-based) hold the administrative division code, which is always digits.
const DIVISION: std::ops::Range<usize> = 2..8;

/// A valid unified social credit code in canonical form (upper case, half-width).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

/// Why a credit code was refused. Each variant maps to one thing the user can fix.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CreditCodeError {
    #[error("the unified social credit code is empty")]
    Empty,
    #[error("a unified social credit code has 18 characters, got {len}")]
    WrongLength { len: usize },
    #[error("character {ch:?} at position {position} is not allowed")]
    InvalidCharacter { position: usize, ch: char },
    #[error("wrong check character: expected {expected:?}, found {found:?}")]
    WrongCheckCharacter { expected: char, found: char },
}

impl CreditCodeError {
    /// Stable code for API clients and logs.
    pub fn code(&self) -> &'static str {
        match self {
            CreditCodeError::Empty => "credit_code_required",
            CreditCodeError::WrongLength { .. } => "credit_code_length",
            CreditCodeError::InvalidCharacter { .. } => "credit_code_character",
            CreditCodeError::WrongCheckCharacter { .. } => "credit_code_check",
        }
    }

    /// The message shown beside the input field.
    pub fn message(&self) -> Message {
        match self {
            CreditCodeError::Empty => msg!("error.credit_code.required"),
            CreditCodeError::WrongLength { len } => {
                msg!("error.credit_code.length", len = *len)
            }
            CreditCodeError::InvalidCharacter { position, ch } => {
                if DIVISION.contains(&(position - 1)) && alphabet_index(*ch).is_some() {
                    msg!(
                        "error.credit_code.character_not_digit",
                        position = *position,
                        ch = *ch
                    )
                } else {
                    msg!(
                        "error.credit_code.character",
                        position = *position,
                        ch = *ch
                    )
                }
            }
            CreditCodeError::WrongCheckCharacter { expected, .. } => {
                msg!("error.credit_code.check", expected = *expected)
            }
        }
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        self.message().zh()
    }
}

impl From<CreditCodeError> for DomainError {
    fn from(e: CreditCodeError) -> Self {
        DomainError::new(e.code(), "credit_code", e.message())
    }
}

impl CreditCode {
    pub fn parse(input: &str) -> Result<CreditCode, CreditCodeError> {
        let chars: Vec<char> = input.trim().chars().map(canonical_char).collect();
        if chars.is_empty() {
            return Err(CreditCodeError::Empty);
        }
        if chars.len() != LENGTH {
            return Err(CreditCodeError::WrongLength { len: chars.len() });
        }
        let mut values = [0u32; LENGTH];
        for (i, &ch) in chars.iter().enumerate() {
            let value = alphabet_index(ch)
                .filter(|&v| !DIVISION.contains(&i) || v < 10)
                .ok_or(CreditCodeError::InvalidCharacter {
                    position: i + 1,
                    ch,
                })?;
            values[i] = value;
        }
        let expected = check_character_of(&values[..LENGTH - 1]);
        let found = chars[LENGTH - 1];
        if expected != found {
            return Err(CreditCodeError::WrongCheckCharacter { expected, found });
        }
        Ok(CreditCode(chars.into_iter().collect()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Position 1: which kind of authority registered the organisation (9 = market
    /// regulation, 5 = civil affairs, …).
    pub fn registration_authority(&self) -> char {
        self.char_at(0)
    }

    /// Position 2: organisation type within that authority (1 = enterprise, 2 = individual
    /// business, …).
    pub fn organisation_type(&self) -> char {
        self.char_at(1)
    }

    /// Positions 3–8: where the organisation was registered, which lets pages show a region.
    pub fn division_code(&self) -> &str {
        &self.0[DIVISION]
    }

    /// Positions 9–17: the organisation code, the older national identifier that is still
    /// printed on some documents.
    pub fn organisation_code(&self) -> &str {
        &self.0[8..17]
    }

    fn char_at(&self, i: usize) -> char {
        // The code is ASCII by construction, so byte i is character i.
        char::from(self.0.as_bytes()[i])
    }
}

/// Computes the check character for the first 17 characters of a code, or `None` if `body`
/// is not 17 characters of the alphabet. Useful for generating valid test data.
pub fn check_character(body: &str) -> Option<char> {
    let values: Vec<u32> = body
        .chars()
        .map(|c| alphabet_index(canonical_char(c)))
        .collect::<Option<_>>()?;
    (values.len() == LENGTH - 1).then(|| check_character_of(&values))
}

fn check_character_of(values: &[u32]) -> char {
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let c = (31 - sum % 31) % 31;
    alphabet_char(c)
}

fn alphabet_index(ch: char) -> Option<u32> {
    ALPHABET
        .chars()
        .position(|a| a == ch)
        .and_then(|i| u32::try_from(i).ok())
}

/// `value` is always reduced mod 31 by the caller, so the index is in range.
fn alphabet_char(value: u32) -> char {
    char::from(ALPHABET.as_bytes()[value as usize])
}

/// Full-width forms come from Chinese input methods left in full-width mode; they are the
/// same characters to the user, so they are folded to ASCII before checking.
fn canonical_char(ch: char) -> char {
    let ch = match ch {
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(u32::from(ch) - 0xFEE0).unwrap_or(ch)
        }
        _ => ch,
    };
    ch.to_ascii_uppercase()
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for CreditCode {
    type Err = CreditCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CreditCode::parse(s)
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        CreditCode::parse(&s)
    }
}

impl From<CreditCode> for String {
    fn from(code: CreditCode) -> Self {
        code.0
    }
}

impl AsRef<str> for CreditCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// Codes of well-known companies as publicly listed. Only those that pass the check were
    /// kept; two recalled candidates failed it and were dropped as misremembered.
    const PUBLIC: &[&str] = &[
        "91350100M000100Y43",
        "91110000600037341L",
        "91440300708461136T",
        "914403001922038216",
        "91110108551385082Q",
    ];

    fn with_check(body: &str) -> String {
        format!("{body}{}", check_character(body).unwrap())
    }

    #[test]
    fn public_codes_are_valid() {
        for code in PUBLIC {
            let parsed = CreditCode::parse(code).unwrap();
            assert_eq!(parsed.as_str(), *code);
        }
    }

    #[test]
    fn computed_codes_are_valid() {
        for body in [
            "91110108MA01ABCDE",
            "12100000400000000",
            "52310000MJ0000000",
            "93440300MA5FXXXXX",
            "11440000000000000",
            "Y1420100MA4K00000",
        ] {
            let code = with_check(body);
            assert_eq!(CreditCode::parse(&code).unwrap().as_str(), code);
        }
    }

    #[test]
    fn check_character_can_be_zero() {
        // Find a body whose check value is 31 → 0, the wrap-around case of the algorithm.
        let body = (0..31u32)
            .map(|v| format!("9111000060003734{}", alphabet_char(v)))
            .find(|b| check_character(b) == Some('0'))
            .unwrap();
        let code = with_check(&body);
        assert!(code.ends_with('0'));
        assert!(CreditCode::parse(&code).is_ok());
    }

    #[test]
    fn every_single_substitution_is_refused() {
        let valid: Vec<String> = PUBLIC
            .iter()
            .map(|s| (*s).to_owned())
            .chain([with_check("91110108MA01ABCDE")])
            .collect();
        for code in valid {
            let chars: Vec<char> = code.chars().collect();
            for position in 0..LENGTH {
                for replacement in ALPHABET.chars().filter(|&c| c != chars[position]) {
                    let mut typo = chars.clone();
                    typo[position] = replacement;
                    let typo: String = typo.into_iter().collect();
                    assert!(
                        CreditCode::parse(&typo).is_err(),
                        "{typo} (from {code}, position {}) was accepted",
                        position + 1
                    );
                }
            }
        }
    }

    #[test]
    fn lowercase_and_surrounding_space_are_accepted() {
        let code = CreditCode::parse("  91350100m000100y43 \n").unwrap();
        assert_eq!(code.as_str(), "91350100M000100Y43");
    }

    #[test]
    fn full_width_is_accepted() {
        let code = CreditCode::parse("　９１３５０１００Ｍ０００１００ｙ４３　").unwrap();
        assert_eq!(code.as_str(), "91350100M000100Y43");
    }

    #[test]
    fn empty_is_refused() {
        assert_eq!(CreditCode::parse(""), Err(CreditCodeError::Empty));
        assert_eq!(CreditCode::parse(" \t　"), Err(CreditCodeError::Empty));
    }

    #[test]
    fn wrong_length_is_refused() {
        let err = CreditCode::parse("91350100M000100Y4").unwrap_err();
        assert_eq!(err, CreditCodeError::WrongLength { len: 17 });
        assert_eq!(err.message_zh(), "统一社会信用代码应为 18 位，当前为 17 位");
        assert_eq!(
            CreditCode::parse("91350100M000100Y431").unwrap_err(),
            CreditCodeError::WrongLength { len: 19 }
        );
        // Characters, not bytes, are counted.
        assert_eq!(
            CreditCode::parse("９１３５０１００Ｍ０００１００Ｙ４").unwrap_err(),
            CreditCodeError::WrongLength { len: 17 }
        );
    }

    #[test]
    fn bad_characters_are_refused_with_their_position() {
        for (input, position, ch) in [
            ("9135I100M000100Y43", 5, 'I'),
            ("91350100O000100Y43", 9, 'O'),
            ("91350100M000100S43", 16, 'S'),
            ("9135010 M000100Y43", 8, ' '),
            ("91350100M00-100Y43", 12, '-'),
            ("91350100M000100Y4Z", 18, 'Z'),
            ("91350100M000100Y4中", 18, '中'),
            ("913A0100M000100Y43", 4, 'A'),
        ] {
            assert_eq!(
                CreditCode::parse(input),
                Err(CreditCodeError::InvalidCharacter { position, ch }),
                "{input}"
            );
        }
        let err = CreditCode::parse("9135I100M000100Y43").unwrap_err();
        assert_eq!(err.message_zh(), "第 5 位字符“I”不是有效字符");
        let err = CreditCode::parse("913A0100M000100Y43").unwrap_err();
        assert!(err.message_zh().contains("第 3 至 8 位应为数字"));
    }

    #[test]
    fn wrong_check_character_names_the_expected_one() {
        let err = CreditCode::parse("91350100M000100Y44").unwrap_err();
        assert_eq!(
            err,
            CreditCodeError::WrongCheckCharacter {
                expected: '3',
                found: '4'
            }
        );
        assert_eq!(
            err.message_zh(),
            "校验位错误：最后一位应为“3”，请核对后重新输入"
        );
    }

    #[test]
    fn parts_are_exposed() {
        let code = CreditCode::parse("91350100M000100Y43").unwrap();
        assert_eq!(code.registration_authority(), '9');
        assert_eq!(code.organisation_type(), '1');
        assert_eq!(code.division_code(), "350100");
        assert_eq!(code.organisation_code(), "M000100Y4");
        assert_eq!(code.to_string(), "91350100M000100Y43");
    }

    #[test]
    fn serde_goes_through_parse() {
        let code: CreditCode = serde_json::from_str("\"91350100m000100y43\"").unwrap();
        assert_eq!(code.as_str(), "91350100M000100Y43");
        assert_eq!(
            serde_json::to_string(&code).unwrap(),
            "\"91350100M000100Y43\""
        );
        assert!(serde_json::from_str::<CreditCode>("\"91350100M000100Y44\"").is_err());
    }

    #[test]
    fn converts_to_domain_error() {
        let e: DomainError = CreditCodeError::WrongLength { len: 3 }.into();
        assert_eq!(e.field, "credit_code");
        assert_eq!(e.code, "credit_code_length");
    }
}
