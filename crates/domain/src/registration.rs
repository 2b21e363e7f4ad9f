//! What an employer submits when signing up for a fair (单位报名): the positions it recruits
//! for, the interviewers who will host its interview rooms, the brochure shown to students, and
//! a contact person. The review states live in `review`.

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::account::Phone;
use crate::msg;

pub const MAX_POSITIONS: usize = 50;
pub const MAX_INTERVIEWERS: usize = 20;

/// A registration's editable content, parsed. Ids are checked against the employer's own
/// positions, interviewers and brochures by the application layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationDraft {
    pub position_ids: Vec<i64>,
    pub interviewer_ids: Vec<i64>,
    pub contact_name: String,
    pub contact_phone: String,
    pub brochure_id: Option<i64>,
}

fn dedup(ids: &[i64]) -> Vec<i64> {
    let mut v: Vec<i64> = ids.iter().copied().filter(|id| *id > 0).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// A contact number: a mobile number, or a landline with area code (`022-12345678`).
pub fn parse_contact_phone(input: &str) -> Result<String, DomainError> {
    if let Ok(p) = Phone::parse(input) {
        return Ok(p.as_str().to_string());
    }
    let s: String = input.trim().chars().filter(|c| *c != ' ').collect();
    let (area, number) = s.split_once('-').unwrap_or(("", &s));
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    let landline = if area.is_empty() {
        number.len() >= 10 && number.len() <= 12 && number.starts_with('0') && digits(number)
    } else {
        (3..=4).contains(&area.len())
            && area.starts_with('0')
            && digits(area)
            && (7..=8).contains(&number.len())
            && digits(number)
    };
    if landline {
        Ok(s)
    } else {
        Err(DomainError::new(
            "invalid_phone",
            "contact_phone",
            msg!("error.registration.contact_phone_invalid"),
        ))
    }
}

impl RegistrationDraft {
    /// Parses every field and returns all errors at once, so a form can show each beside its
    /// field.
    pub fn parse(
        position_ids: &[i64],
        interviewer_ids: &[i64],
        contact_name: &str,
        contact_phone: &str,
        brochure_id: Option<i64>,
    ) -> Result<RegistrationDraft, Vec<DomainError>> {
        let mut errors = Vec::new();
        let positions = dedup(position_ids);
        if positions.is_empty() {
            errors.push(DomainError::new(
                "positions_required",
                "position_ids",
                msg!("error.registration.positions_required"),
            ));
        } else if positions.len() > MAX_POSITIONS {
            errors.push(DomainError::new(
                "too_many_positions",
                "position_ids",
                msg!("error.registration.too_many_positions", max = MAX_POSITIONS),
            ));
        }
        let interviewers = dedup(interviewer_ids);
        if interviewers.is_empty() {
            errors.push(DomainError::new(
                "interviewers_required",
                "interviewer_ids",
                msg!("error.registration.interviewers_required"),
            ));
        } else if interviewers.len() > MAX_INTERVIEWERS {
            errors.push(DomainError::new(
                "too_many_interviewers",
                "interviewer_ids",
                msg!(
                    "error.registration.too_many_interviewers",
                    max = MAX_INTERVIEWERS
                ),
            ));
        }
        let name = contact_name.trim();
        if name.is_empty() {
            errors.push(DomainError::new(
                "contact_required",
                "contact_name",
                msg!("error.registration.contact_required"),
            ));
        } else if name.chars().count() > 30 {
            errors.push(DomainError::new(
                "contact_too_long",
                "contact_name",
                msg!("error.registration.contact_too_long"),
            ));
        }
        let phone = parse_contact_phone(contact_phone);
        if let Err(e) = &phone {
            errors.push(e.clone());
        }
        match phone {
            Ok(contact_phone) if errors.is_empty() => Ok(RegistrationDraft {
                position_ids: positions,
                interviewer_ids: interviewers,
                contact_name: name.to_string(),
                contact_phone,
                brochure_id: brochure_id.filter(|id| *id > 0),
            }),
            _ => Err(errors),
        }
    }
}

/// A registration as shown in the audit log: names rather than ids, so the log still reads
/// right after a position is renamed or deleted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RegistrationSnapshot {
    pub positions: Vec<String>,
    pub interviewers: Vec<String>,
    pub contact_name: String,
    pub contact_phone: String,
    pub brochure: Option<String>,
}

/// One changed field of an audit entry: (field, before, after).
pub fn changed_fields(
    before: &RegistrationSnapshot,
    after: &RegistrationSnapshot,
) -> Vec<(&'static str, String, String)> {
    let join = |v: &[String]| v.join("、");
    let mut out = Vec::new();
    if before.positions != after.positions {
        out.push(("positions", join(&before.positions), join(&after.positions)));
    }
    if before.interviewers != after.interviewers {
        out.push((
            "interviewers",
            join(&before.interviewers),
            join(&after.interviewers),
        ));
    }
    if before.contact_name != after.contact_name {
        out.push((
            "contact_name",
            before.contact_name.clone(),
            after.contact_name.clone(),
        ));
    }
    if before.contact_phone != after.contact_phone {
        out.push((
            "contact_phone",
            before.contact_phone.clone(),
            after.contact_phone.clone(),
        ));
    }
    if before.brochure != after.brochure {
        out.push((
            "brochure",
            before.brochure.clone().unwrap_or_default(),
            after.brochure.clone().unwrap_or_default(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(r: Result<RegistrationDraft, Vec<DomainError>>) -> Vec<&'static str> {
        r.err().unwrap_or_default().iter().map(|e| e.code).collect()
    }

    #[test]
    fn a_complete_draft_parses_with_ids_deduplicated() {
        let d = RegistrationDraft::parse(&[3, 1, 3], &[7], " 王老师 ", "138 0000 0000", Some(2))
            .expect("valid");
        assert_eq!(d.position_ids, vec![1, 3]);
        assert_eq!(d.contact_name, "王老师");
        assert_eq!(d.contact_phone, "13800000000");
        assert_eq!(d.brochure_id, Some(2));
    }

    #[test]
    fn every_missing_field_is_reported_at_once() {
        let c = codes(RegistrationDraft::parse(&[], &[], " ", "123", None));
        assert_eq!(
            c,
            vec![
                "positions_required",
                "interviewers_required",
                "contact_required",
                "invalid_phone"
            ]
        );
    }

    #[test]
    fn limits_on_positions_interviewers_and_names_hold() {
        let many: Vec<i64> = (1..=51).collect();
        assert_eq!(
            codes(RegistrationDraft::parse(
                &many,
                &[1],
                "王",
                "13800000000",
                None
            )),
            vec!["too_many_positions"]
        );
        let many: Vec<i64> = (1..=21).collect();
        assert_eq!(
            codes(RegistrationDraft::parse(
                &[1],
                &many,
                "王",
                "13800000000",
                None
            )),
            vec!["too_many_interviewers"]
        );
        let long = "王".repeat(31);
        assert_eq!(
            codes(RegistrationDraft::parse(
                &[1],
                &[1],
                &long,
                "13800000000",
                None
            )),
            vec!["contact_too_long"]
        );
        assert_eq!(
            codes(RegistrationDraft::parse(
                &[0, -1],
                &[1],
                "王",
                "13800000000",
                None
            )),
            vec!["positions_required"]
        );
    }

    #[test]
    fn contact_numbers_may_be_mobiles_or_landlines() {
        for ok in ["13800000000", "022-12345678", "0755-1234567", "02212345678"] {
            assert!(parse_contact_phone(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "12345",
            "22-12345678",
            "022-123",
            "abc-12345678",
            "1380000000",
        ] {
            assert!(parse_contact_phone(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_audit_diff_lists_only_what_changed() {
        let before = RegistrationSnapshot {
            positions: vec!["前端工程师".into()],
            interviewers: vec!["李".into()],
            contact_name: "王".into(),
            contact_phone: "13800000000".into(),
            brochure: None,
        };
        let mut after = before.clone();
        assert!(changed_fields(&before, &after).is_empty());
        after.positions.push("测试工程师".into());
        after.brochure = Some("2026 校招简章".into());
        let diff = changed_fields(&before, &after);
        assert_eq!(
            diff,
            vec![
                (
                    "positions",
                    "前端工程师".into(),
                    "前端工程师、测试工程师".into()
                ),
                ("brochure", String::new(), "2026 校招简章".into()),
            ]
        );
    }
}
