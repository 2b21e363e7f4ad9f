//! Fair (场次) rules: the draft a staff member submits, windows, thresholds, entry codes.
//!
//! Also the organizer (主办方) a platform admin registers, since fairs belong to organizers and
//! nothing else in the domain needs it: its kind (高校 or 城市就业平台) and contact details.
//!
//! Times are Unix milliseconds, like the store. Forms type them as `datetime-local` values,
//! which are Beijing time (UTC+8, no daylight saving); `parse_beijing_local` and
//! `format_beijing_local` convert between the two.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::account::Email;
use crate::message::Message;
use crate::msg;

// ---------------------------------------------------------------------------------------------
// Organizers
// ---------------------------------------------------------------------------------------------

/// What kind of body runs the fairs: a university career centre or a city employment platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganizerKind {
    /// 高校
    University,
    /// 城市就业平台
    City,
}

impl OrganizerKind {
    pub const ALL: [OrganizerKind; 2] = [OrganizerKind::University, OrganizerKind::City];

    pub fn as_str(self) -> &'static str {
        match self {
            OrganizerKind::University => "university",
            OrganizerKind::City => "city",
        }
    }

    /// The Chinese name shown in lists.
    pub fn label_zh(self) -> &'static str {
        match self {
            OrganizerKind::University => "高校",
            OrganizerKind::City => "城市就业平台",
        }
    }

    pub fn parse(s: &str) -> Result<OrganizerKind, DomainError> {
        let s = s.trim();
        OrganizerKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                DomainError::new(
                    "invalid_kind",
                    "kind",
                    msg!("error.fair.organizer_kind_invalid"),
                )
            })
    }
}

/// An organizer as the platform admin registers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizerDraft {
    pub name: String,
    pub kind: OrganizerKind,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
}

pub const ORGANIZER_NAME_MAX: usize = 60;
pub const CONTACT_NAME_MAX: usize = 30;

impl OrganizerDraft {
    /// Checks the fields in form order; the first error names its field.
    pub fn parse(
        name: &str,
        kind: &str,
        contact_name: &str,
        contact_phone: &str,
        contact_email: Option<&str>,
    ) -> Result<OrganizerDraft, DomainError> {
        let name = name.trim();
        let bad_name = |m: Message| DomainError::new("invalid_organizer_name", "name", m);
        if name.is_empty() {
            return Err(bad_name(msg!("error.fair.organizer_name_required")));
        }
        if name.chars().count() > ORGANIZER_NAME_MAX {
            return Err(bad_name(msg!(
                "error.fair.organizer_name_too_long",
                max = ORGANIZER_NAME_MAX
            )));
        }
        if name.chars().any(char::is_control) {
            return Err(bad_name(msg!(
                "error.fair.organizer_name_invalid_characters"
            )));
        }
        let kind = OrganizerKind::parse(kind)?;

        let contact_name = contact_name.trim();
        let bad_contact = |m: Message| DomainError::new("invalid_contact_name", "contact_name", m);
        if contact_name.is_empty() {
            return Err(bad_contact(msg!("error.fair.contact_name_required")));
        }
        if contact_name.chars().count() > CONTACT_NAME_MAX {
            return Err(bad_contact(msg!(
                "error.fair.contact_name_too_long",
                max = CONTACT_NAME_MAX
            )));
        }
        if contact_name.chars().any(char::is_control) {
            return Err(bad_contact(msg!(
                "error.fair.contact_name_invalid_characters"
            )));
        }

        let contact_phone = parse_contact_phone(contact_phone)?;

        let contact_email = match contact_email.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(e) => Some(
                Email::parse(e)
                    .map_err(|err| {
                        DomainError::new("invalid_contact_email", "contact_email", err.message)
                    })?
                    .as_str()
                    .to_string(),
            ),
        };
        Ok(OrganizerDraft {
            name: name.to_string(),
            kind,
            contact_name: contact_name.to_string(),
            contact_phone,
            contact_email,
        })
    }
}

/// A contact telephone: a mobile or a landline with area code and extension, as people write
/// them (`022-2740 1234`, `(022)27401234-8001`, `+86 138 1234 5678`). Kept as typed, trimmed;
/// 7 to 20 digits, and only digits, spaces, `+ - ( )` around them.
pub fn parse_contact_phone(input: &str) -> Result<String, DomainError> {
    let s = input.trim();
    let err = |m: Message| DomainError::new("invalid_contact_phone", "contact_phone", m);
    if s.is_empty() {
        return Err(err(msg!("error.fair.contact_phone_required")));
    }
    let allowed = s
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')'));
    let digits = s.chars().filter(char::is_ascii_digit).count();
    if !allowed || !(7..=20).contains(&digits) || s.chars().count() > 32 {
        return Err(err(msg!("error.fair.contact_phone_invalid")));
    }
    Ok(s.to_string())
}

// ---------------------------------------------------------------------------------------------
// Fairs
// ---------------------------------------------------------------------------------------------

pub const TITLE_MAX: usize = 80;
/// The sanitised details are at most this many characters.
pub const DETAILS_MAX: usize = 20_000;
/// The seed guide: only a resume more than 70% complete may register for a fair.
pub const DEFAULT_MIN_COMPLETENESS: i64 = 70;
pub const EMPLOYER_LIMIT_MAX: i64 = 100_000;

/// 2000-01-01T00:00:00Z and 2100-01-01T00:00:00Z: times outside are typing mistakes.
const EARLIEST_MS: i64 = 946_684_800_000;
const LATEST_MS: i64 = 4_102_444_800_000;

/// What a staff member submits, before any rule is checked. Times in Unix milliseconds;
/// `None` where the field was left empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FairInput {
    pub title: String,
    pub details: String,
    pub signup_opens_at: Option<i64>,
    pub signup_closes_at: Option<i64>,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    /// `None` means the default, 70.
    pub min_completeness: Option<i64>,
    /// `None` means no limit.
    pub employer_limit: Option<i64>,
}

/// A fair that passed every rule: what the store keeps. `details` is sanitised HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FairDraft {
    pub title: String,
    pub details: String,
    pub signup_opens_at: i64,
    pub signup_closes_at: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub min_completeness: i64,
    pub employer_limit: Option<i64>,
}

fn time_field(value: Option<i64>, field: &'static str, what: Message) -> Result<i64, DomainError> {
    match value {
        None => Err(DomainError::new(
            "time_required",
            field,
            msg!("error.fair.time_required", what = what),
        )),
        Some(ms) if !(EARLIEST_MS..LATEST_MS).contains(&ms) => Err(DomainError::new(
            "invalid_time",
            field,
            msg!("error.fair.time_invalid", what = what),
        )),
        Some(ms) => Ok(ms),
    }
}

impl FairDraft {
    /// Checks a submitted fair, field by field in form order; the first broken rule is
    /// returned, naming its field. The details are sanitised here (see `sanitize_details`).
    pub fn parse(input: &FairInput) -> Result<FairDraft, DomainError> {
        let title = input.title.trim();
        let bad_title = |m: Message| DomainError::new("invalid_title", "title", m);
        if title.is_empty() {
            return Err(bad_title(msg!("error.fair.title_required")));
        }
        if title.chars().count() > TITLE_MAX {
            return Err(bad_title(msg!(
                "error.fair.title_too_long",
                max = TITLE_MAX
            )));
        }
        if title.chars().any(char::is_control) {
            return Err(bad_title(msg!("error.fair.title_invalid_characters")));
        }

        let details = sanitize_details(&input.details);
        if details.chars().count() > DETAILS_MAX {
            return Err(DomainError::new(
                "details_too_long",
                "details",
                msg!("error.fair.details_too_long", max = DETAILS_MAX),
            ));
        }

        let signup_opens_at = time_field(
            input.signup_opens_at,
            "signup_opens_at",
            msg!("label.fair.signup_opens_at"),
        )?;
        let signup_closes_at = time_field(
            input.signup_closes_at,
            "signup_closes_at",
            msg!("label.fair.signup_closes_at"),
        )?;
        if signup_closes_at <= signup_opens_at {
            return Err(DomainError::new(
                "signup_window_order",
                "signup_closes_at",
                msg!("error.fair.signup_window_order"),
            ));
        }
        let starts_at = time_field(input.starts_at, "starts_at", msg!("label.fair.starts_at"))?;
        let ends_at = time_field(input.ends_at, "ends_at", msg!("label.fair.ends_at"))?;
        if ends_at <= starts_at {
            return Err(DomainError::new(
                "live_window_order",
                "ends_at",
                msg!("error.fair.live_window_order"),
            ));
        }
        if signup_closes_at > ends_at {
            return Err(DomainError::new(
                "signup_after_fair",
                "signup_closes_at",
                msg!("error.fair.signup_after_fair"),
            ));
        }

        let min_completeness = input.min_completeness.unwrap_or(DEFAULT_MIN_COMPLETENESS);
        if !(0..=100).contains(&min_completeness) {
            return Err(DomainError::new(
                "invalid_min_completeness",
                "min_completeness",
                msg!("error.fair.min_completeness_range"),
            ));
        }

        if let Some(limit) = input.employer_limit {
            if limit < 1 {
                return Err(DomainError::new(
                    "invalid_employer_limit",
                    "employer_limit",
                    msg!("error.fair.employer_limit_too_small"),
                ));
            }
            if limit > EMPLOYER_LIMIT_MAX {
                return Err(DomainError::new(
                    "invalid_employer_limit",
                    "employer_limit",
                    msg!(
                        "error.fair.employer_limit_too_large",
                        max = EMPLOYER_LIMIT_MAX
                    ),
                ));
            }
        }

        Ok(FairDraft {
            title: title.to_string(),
            details,
            signup_opens_at,
            signup_closes_at,
            starts_at,
            ends_at,
            min_completeness,
            employer_limit: input.employer_limit,
        })
    }
}

/// A fair as a page form sends it: every field text. `to_input` reads the numbers and the
/// Beijing-time datetimes, naming the field that does not read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FairForm {
    pub title: String,
    pub details: String,
    pub signup_opens_at: String,
    pub signup_closes_at: String,
    pub starts_at: String,
    pub ends_at: String,
    pub min_completeness: String,
    pub employer_limit: String,
}

fn optional_local(value: &str, field: &'static str) -> Result<Option<i64>, DomainError> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        parse_beijing_local(value, field).map(Some)
    }
}

fn optional_number(
    value: &str,
    field: &'static str,
    what: Message,
) -> Result<Option<i64>, DomainError> {
    let v = value.trim().trim_end_matches('%').trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<i64>().map(Some).map_err(|_| {
        DomainError::new(
            "not_a_number",
            field,
            msg!("error.fair.not_a_number", what = what),
        )
    })
}

impl FairForm {
    pub fn to_input(&self) -> Result<FairInput, DomainError> {
        Ok(FairInput {
            title: self.title.clone(),
            details: self.details.clone(),
            signup_opens_at: optional_local(&self.signup_opens_at, "signup_opens_at")?,
            signup_closes_at: optional_local(&self.signup_closes_at, "signup_closes_at")?,
            starts_at: optional_local(&self.starts_at, "starts_at")?,
            ends_at: optional_local(&self.ends_at, "ends_at")?,
            min_completeness: optional_number(
                &self.min_completeness,
                "min_completeness",
                msg!("label.fair.min_completeness"),
            )?,
            employer_limit: optional_number(
                &self.employer_limit,
                "employer_limit",
                msg!("label.fair.employer_limit"),
            )?,
        })
    }

    /// The form as it shows a saved fair, for editing.
    pub fn from_draft(d: &FairDraft) -> FairForm {
        FairForm {
            title: d.title.clone(),
            details: details_for_editing(&d.details),
            signup_opens_at: format_beijing_local(d.signup_opens_at),
            signup_closes_at: format_beijing_local(d.signup_closes_at),
            starts_at: format_beijing_local(d.starts_at),
            ends_at: format_beijing_local(d.ends_at),
            min_completeness: d.min_completeness.to_string(),
            employer_limit: d.employer_limit.map(|n| n.to_string()).unwrap_or_default(),
        }
    }
}

/// The tags a fair's details may use. Everything else is removed (its text kept); `script`
/// and `style` are removed with their content.
pub const DETAIL_TAGS: [&str; 10] = ["p", "br", "strong", "em", "ul", "ol", "li", "h3", "h4", "a"];

/// The version of `sanitize_details`'s rules. Details are sanitised once, when saved, and
/// stored with this number; raise it whenever the rules let less through, and every fair saved
/// under an older number is cleaned again when the application starts.
pub const DETAILS_POLICY: i64 = 1;

/// Cleans a fair's details for showing as HTML. Input with no tag at all is plain text: it is
/// escaped, blank lines separate paragraphs and single line breaks become `<br>`. Input with
/// tags keeps only `DETAIL_TAGS`, links only `href` (http, https, mailto or a path on this
/// site) and get `rel="noopener"`.
pub fn sanitize_details(input: &str) -> String {
    let input = input.replace("\r\n", "\n").replace('\r', "\n");
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return String::new();
    }
    let html = if looks_like_html(trimmed) {
        trimmed.to_string()
    } else {
        plain_text_to_html(trimmed)
    };
    let tags: HashSet<&str> = DETAIL_TAGS.into_iter().collect();
    let mut tag_attributes = HashMap::new();
    tag_attributes.insert("a", ["href"].into_iter().collect::<HashSet<&str>>());
    let schemes: HashSet<&str> = ["http", "https", "mailto"].into_iter().collect();
    ammonia::Builder::new()
        .tags(tags)
        .generic_attributes(HashSet::new())
        .tag_attributes(tag_attributes)
        .url_schemes(schemes)
        .link_rel(Some("noopener"))
        .clean(&html)
        .to_string()
        .trim()
        .to_string()
}

/// Saved details as the edit form shows them. Details that were typed as plain text (only
/// paragraphs and line breaks) come back as that plain text; other HTML gets a line break
/// after each block so it reads in a text box. Either way, saving it again gives the same
/// details.
pub fn details_for_editing(html: &str) -> String {
    let plain_tags = html
        .split('<')
        .skip(1)
        .all(|t| t.starts_with("p>") || t.starts_with("/p>") || t.starts_with("br>"));
    if plain_tags {
        let text = html
            .replace("</p><p>", "\n\n")
            .replace("<br>", "\n")
            .replace("<p>", "")
            .replace("</p>", "");
        let text = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&nbsp;", "\u{a0}")
            .replace("&amp;", "&");
        if sanitize_details(&text) == html {
            return text;
        }
    }
    let mut out = html.to_string();
    for close in [
        "</p>", "</ul>", "</ol>", "</li>", "</h3>", "</h4>", "<ul>", "<ol>",
    ] {
        let with_break = format!("{close}\n");
        out = out.replace(&with_break, close).replace(close, &with_break);
    }
    out.trim_end().to_string()
}

/// A `<` right before a letter, `/` or `!` opens a tag, an end tag or a comment.
fn looks_like_html(s: &str) -> bool {
    s.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
}

fn plain_text_to_html(text: &str) -> String {
    let mut out = String::new();
    for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        out.push_str("<p>");
        let lines: Vec<String> = para.lines().map(|l| escape(l.trim())).collect();
        out.push_str(&lines.join("<br>"));
        out.push_str("</p>");
    }
    out
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Where a fair stands at a moment. The live window wins over the sign-up window where they
/// overlap: on the fair day it is 进行中 even if late sign-ups are still taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FairStatus {
    /// Sign-up has not opened yet (未开始报名).
    Upcoming,
    /// Employers may sign up (报名中).
    SignupOpen,
    /// Sign-up closed, the fair has not started (报名已截止).
    SignupClosed,
    /// The fair is on (进行中).
    Live,
    /// The fair is over (已结束).
    Ended,
}

impl FairStatus {
    pub fn at(signup: (i64, i64), live: (i64, i64), now: i64) -> FairStatus {
        if now >= live.1 {
            FairStatus::Ended
        } else if now >= live.0 {
            FairStatus::Live
        } else if now < signup.0 {
            FairStatus::Upcoming
        } else if now < signup.1 {
            FairStatus::SignupOpen
        } else {
            FairStatus::SignupClosed
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FairStatus::Upcoming => "upcoming",
            FairStatus::SignupOpen => "signup_open",
            FairStatus::SignupClosed => "signup_closed",
            FairStatus::Live => "live",
            FairStatus::Ended => "ended",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            FairStatus::Upcoming => "未开始报名",
            FairStatus::SignupOpen => "报名中",
            FairStatus::SignupClosed => "报名已截止",
            FairStatus::Live => "进行中",
            FairStatus::Ended => "已结束",
        }
    }
}

/// Whether an employer may sign up at `now`: inside `[opens, closes)`.
pub fn signup_open(signup: (i64, i64), now: i64) -> bool {
    signup.0 <= now && now < signup.1
}

// ---------------------------------------------------------------------------------------------
// The venue
// ---------------------------------------------------------------------------------------------

/// The video-interview button beside an employer and on a position page. Students see it from
/// the moment they enter the venue; it only works inside the live window `[starts, ends)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", content = "opens_at", rename_all = "snake_case")]
pub enum VideoButton {
    /// Before the fair: disabled, showing when it opens (Unix ms).
    OpensAt(i64),
    /// The fair is on.
    Live,
    /// The fair is over: disabled for good.
    Ended,
}

impl VideoButton {
    pub fn as_str(self) -> &'static str {
        match self {
            VideoButton::OpensAt(_) => "opens_at",
            VideoButton::Live => "live",
            VideoButton::Ended => "ended",
        }
    }
}

/// The button's state at `now` for a fair live in `[starts_at, ends_at)`: the same bounds
/// `FairStatus::at` calls 进行中.
pub fn video_button(now: i64, starts_at: i64, ends_at: i64) -> VideoButton {
    if now >= ends_at {
        VideoButton::Ended
    } else if now >= starts_at {
        VideoButton::Live
    } else {
        VideoButton::OpensAt(starts_at)
    }
}

/// Resumes are delivered (投递简历) before and during the fair, not after it ended.
pub fn check_delivery_open(now: i64, ends_at: i64) -> Result<(), DomainError> {
    if now >= ends_at {
        return Err(DomainError::new(
            "fair_ended",
            "form",
            msg!("error.fair.delivery_closed"),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Entry codes
// ---------------------------------------------------------------------------------------------

/// The characters of an entry code: lower-case letters and digits without those read
/// alike on a poster (0/o, 1/l). 32 characters, so each one carries 5 random bits.
pub const ENTRY_CODE_ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";
/// 8 characters: 2^40 codes, far too many to find a fair by guessing.
pub const ENTRY_CODE_LEN: usize = 8;
/// The longest code `EntryCode::lookup` looks up.
pub const ENTRY_CODE_LOOKUP_MAX: usize = 32;

/// A fair's entry code, the last part of its entry URL `/f/{code}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EntryCode(String);

impl EntryCode {
    /// Makes a code from random bytes (one per character; each uniformly picks one of the
    /// 32 characters, since 256 is a multiple of 32).
    pub fn from_random(bytes: [u8; ENTRY_CODE_LEN]) -> EntryCode {
        let s = bytes
            .iter()
            .map(|b| char::from(ENTRY_CODE_ALPHABET[usize::from(b % 32)]))
            .collect();
        EntryCode(s)
    }

    /// Checks a code that a new fair would get. Codes of older fairs (e.g. the demo fair's)
    /// may not follow this rule; look fairs up by the code as stored, never through `parse`.
    pub fn parse(input: &str) -> Result<EntryCode, DomainError> {
        let ok = input.len() == ENTRY_CODE_LEN
            && input.bytes().all(|b| ENTRY_CODE_ALPHABET.contains(&b));
        if !ok {
            return Err(DomainError::new(
                "invalid_entry_code",
                "entry_code",
                msg!("error.fair.entry_code_invalid"),
            ));
        }
        Ok(EntryCode(input.to_string()))
    }

    /// A code as it comes in a link, a QR code or a form, before the fair is looked up: 1 to
    /// 32 ASCII letters and digits, the shape every stored code has (the demo fair's and older
    /// fairs' too; new codes also pass `parse`). Anything else names no fair and is refused
    /// here, so only a code of this shape reaches the database.
    pub fn lookup(input: &str) -> Option<EntryCode> {
        let ok = (1..=ENTRY_CODE_LOOKUP_MAX).contains(&input.len())
            && input.bytes().all(|b| b.is_ascii_alphanumeric());
        ok.then(|| EntryCode(input.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

// ---------------------------------------------------------------------------------------------
// Beijing time
// ---------------------------------------------------------------------------------------------

const BEIJING_OFFSET_MS: i64 = 8 * 3_600_000;
const DAY_MS: i64 = 86_400_000;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Reads a `datetime-local` value (`2026-11-26T09:30`, seconds optional, a space also accepted
/// for the `T`) as Beijing time and returns Unix milliseconds.
pub fn parse_beijing_local(input: &str, field: &'static str) -> Result<i64, DomainError> {
    let err = || DomainError::new("invalid_time", field, msg!("error.fair.time_format"));
    let s = input.trim();
    let (date, time) = s.split_once(['T', ' ']).ok_or_else(err)?;
    let num = |p: &str, len: usize| -> Result<i64, DomainError> {
        if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
            p.parse().map_err(|_| err())
        } else {
            Err(err())
        }
    };
    let mut dp = date.split('-');
    let (y, m, d) = match (dp.next(), dp.next(), dp.next(), dp.next()) {
        (Some(y), Some(m), Some(d), None) => (num(y, 4)?, num(m, 2)?, num(d, 2)?),
        _ => return Err(err()),
    };
    let mut tp = time.trim().split(':');
    let (hh, mm, ss) = match (tp.next(), tp.next(), tp.next(), tp.next()) {
        (Some(h), Some(mi), None, None) => (num(h, 2)?, num(mi, 2)?, 0),
        (Some(h), Some(mi), Some(sec), None) => (num(h, 2)?, num(mi, 2)?, num(sec, 2)?),
        _ => return Err(err()),
    };
    if !(1..=12).contains(&m)
        || !(1..=days_in_month(y, m)).contains(&d)
        || !(0..24).contains(&hh)
        || !(0..60).contains(&mm)
        || !(0..60).contains(&ss)
    {
        return Err(err());
    }
    let local = days_from_civil(y, m, d) * DAY_MS + (hh * 3600 + mm * 60 + ss) * 1000;
    Ok(local - BEIJING_OFFSET_MS)
}

/// Unix milliseconds as a `datetime-local` value in Beijing time, e.g. `2026-11-26T09:30`.
pub fn format_beijing_local(ms: i64) -> String {
    let local = ms + BEIJING_OFFSET_MS;
    let days = local.div_euclid(DAY_MS);
    let in_day = local.rem_euclid(DAY_MS) / 1000;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}",
        in_day / 3600,
        (in_day / 60) % 60
    )
}

// ---------------------------------------------------------------------------------------------
// 现场公告: announcements the organizer sends everyone in the fair
// ---------------------------------------------------------------------------------------------

pub const ANNOUNCEMENT_MAX: usize = 300;

/// An announcement to a fair's participants ("双选会将于 10 分钟后开始"): 1–300 characters, one
/// paragraph or a few lines, no other control characters.
pub fn parse_announcement(input: &str) -> Result<String, DomainError> {
    let s = input.trim();
    let len = s.chars().count();
    if len == 0 {
        return Err(DomainError::new(
            "announcement_required",
            "text",
            msg!("error.fair.announcement_required"),
        ));
    }
    if len > ANNOUNCEMENT_MAX {
        return Err(DomainError::new(
            "announcement_too_long",
            "text",
            msg!(
                "error.fair.announcement_too_long",
                max = ANNOUNCEMENT_MAX,
                len = len
            ),
        ));
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
        return Err(DomainError::new(
            "invalid_characters",
            "text",
            msg!("error.fair.announcement_invalid_characters"),
        ));
    }
    Ok(s.to_owned())
}

/// Announcements may be sent from the day sign-up opens until the fair's live window ends:
/// before that there is nobody to tell, after it the fair is over.
pub fn check_announcement_open(
    now: i64,
    signup_opens_at: i64,
    ends_at: i64,
) -> Result<(), DomainError> {
    if now < signup_opens_at {
        return Err(DomainError::new(
            "announcement_too_early",
            "",
            msg!("error.fair.announcement_before_signup"),
        ));
    }
    if now >= ends_at {
        return Err(DomainError::new(
            "fair_ended",
            "",
            msg!("error.fair.announcement_after_fair"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;
    /// One change to a valid input.
    type Change = Box<dyn Fn(&mut FairInput)>;
    /// name, kind, contact, phone, e-mail, and the field that is refused.
    type OrganizerCase<'a> = (&'a str, &'a str, &'a str, &'a str, Option<&'a str>, &'a str);
    /// 2026-11-26 08:00 Beijing.
    const T0: i64 = 1_795_651_200_000;

    fn valid() -> FairInput {
        FairInput {
            title: "  2026 届秋季视频双选会 ".into(),
            details: "面向 2026 届毕业生。".into(),
            signup_opens_at: Some(T0),
            signup_closes_at: Some(T0 + 24 * HOUR),
            starts_at: Some(T0 + 48 * HOUR),
            ends_at: Some(T0 + 56 * HOUR),
            min_completeness: None,
            employer_limit: None,
        }
    }

    fn field_of(input: &FairInput) -> &'static str {
        FairDraft::parse(input)
            .expect_err("should be refused")
            .field
    }

    #[test]
    fn a_code_is_looked_up_only_in_the_shape_stored_codes_have() {
        for ok in ["demo2026", "ABC123", "k7m2q9xa", &"a".repeat(32)] {
            assert_eq!(
                EntryCode::lookup(ok).map(|c| c.as_str().to_string()),
                Some(ok.to_string())
            );
        }
        for bad in ["", "demo 2026", "x'--", "代码", "a/b", &"a".repeat(33)] {
            assert_eq!(EntryCode::lookup(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_valid_fair_parses_with_defaults() {
        let d = FairDraft::parse(&valid()).expect("valid");
        assert_eq!(d.title, "2026 届秋季视频双选会");
        assert_eq!(d.details, "<p>面向 2026 届毕业生。</p>");
        assert_eq!(d.min_completeness, 70);
        assert_eq!(d.employer_limit, None);
    }

    #[test]
    fn edge_values_are_accepted() {
        let mut i = valid();
        i.title = "名".repeat(TITLE_MAX);
        i.min_completeness = Some(0);
        i.employer_limit = Some(1);
        // Sign-up may close exactly when the fair ends, and overlap the live window.
        i.signup_closes_at = i.ends_at;
        i.details = String::new();
        let d = FairDraft::parse(&i).expect("valid");
        assert_eq!(d.min_completeness, 0);
        assert_eq!(d.employer_limit, Some(1));
        assert_eq!(d.details, "");
        i.min_completeness = Some(100);
        assert!(FairDraft::parse(&i).is_ok());
    }

    #[test]
    fn every_invalid_field_is_refused_with_its_name() {
        let cases: Vec<(&str, Change)> = vec![
            ("title", Box::new(|i| i.title = "   ".into())),
            ("title", Box::new(|i| i.title = "名".repeat(TITLE_MAX + 1))),
            ("title", Box::new(|i| i.title = "a\u{7}b".into())),
            (
                "details",
                Box::new(|i| i.details = "字".repeat(DETAILS_MAX + 1)),
            ),
            ("signup_opens_at", Box::new(|i| i.signup_opens_at = None)),
            ("signup_opens_at", Box::new(|i| i.signup_opens_at = Some(0))),
            ("signup_closes_at", Box::new(|i| i.signup_closes_at = None)),
            (
                "signup_closes_at",
                Box::new(|i| i.signup_closes_at = i.signup_opens_at),
            ),
            (
                "signup_closes_at",
                Box::new(|i| i.signup_closes_at = Some(T0 - HOUR)),
            ),
            ("starts_at", Box::new(|i| i.starts_at = None)),
            ("starts_at", Box::new(|i| i.starts_at = Some(LATEST_MS))),
            ("ends_at", Box::new(|i| i.ends_at = None)),
            ("ends_at", Box::new(|i| i.ends_at = i.starts_at)),
            ("ends_at", Box::new(|i| i.ends_at = Some(T0 + 47 * HOUR))),
            (
                "signup_closes_at",
                Box::new(|i| i.signup_closes_at = Some(T0 + 57 * HOUR)),
            ),
            (
                "min_completeness",
                Box::new(|i| i.min_completeness = Some(-1)),
            ),
            (
                "min_completeness",
                Box::new(|i| i.min_completeness = Some(101)),
            ),
            ("employer_limit", Box::new(|i| i.employer_limit = Some(0))),
            ("employer_limit", Box::new(|i| i.employer_limit = Some(-5))),
            (
                "employer_limit",
                Box::new(|i| i.employer_limit = Some(EMPLOYER_LIMIT_MAX + 1)),
            ),
        ];
        for (n, (field, change)) in cases.iter().enumerate() {
            let mut input = valid();
            change(&mut input);
            let e = FairDraft::parse(&input).expect_err("refused");
            assert_eq!(e.field, *field, "case {n}: {e:?}");
            assert!(!e.message.zh().is_empty());
            assert!(
                e.message
                    .zh()
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "message in Chinese: {}",
                e.message
            );
        }
        assert_eq!(field_of(&FairInput::default()), "title");
    }

    #[test]
    fn window_errors_say_what_is_wrong() {
        let mut i = valid();
        i.signup_closes_at = Some(T0 + 57 * HOUR);
        let e = FairDraft::parse(&i).expect_err("refused");
        assert_eq!(e.code, "signup_after_fair");
        assert!(e.message.contains("不能晚于双选会结束时间"));
        let mut i = valid();
        i.ends_at = i.starts_at;
        assert_eq!(
            FairDraft::parse(&i).expect_err("refused").code,
            "live_window_order"
        );
    }

    #[test]
    fn details_are_sanitised() {
        let dirty = r#"<h3>日程</h3><p onclick="x()" style="color:red">上午 <strong>9:00</strong> 开始<script>alert(1)</script></p>
<ul><li><em>一</em></li></ul><ol><li>二</li></ol><h4>小标题</h4><br>
<a href="https://example.cn/a" target="_blank" onclick="y()">链接</a><a href="javascript:alert(1)">坏链接</a>
<img src="x" onerror="z()"><iframe src="https://evil.example"></iframe><table><tr><td>表格文字</td></tr></table><h1>大标题</h1>"#;
        let clean = sanitize_details(dirty);
        for gone in [
            "script",
            "alert",
            "onclick",
            "style",
            "img",
            "onerror",
            "iframe",
            "table",
            "<td",
            "<h1",
            "javascript",
            "target",
        ] {
            assert!(!clean.contains(gone), "{gone} left in {clean}");
        }
        for kept in [
            "<h3>日程</h3>",
            "<strong>9:00</strong>",
            "<ul><li><em>一</em></li></ul>",
            "<ol><li>二</li></ol>",
            "<h4>小标题</h4>",
            "<br>",
            r#"<a href="https://example.cn/a" rel="noopener">链接</a>"#,
            "坏链接",
            "表格文字",
            "大标题",
        ] {
            assert!(clean.contains(kept), "{kept} missing from {clean}");
        }
        assert!(clean.starts_with("<h3>"));
    }

    #[test]
    fn plain_text_details_become_paragraphs() {
        assert_eq!(
            sanitize_details("第一段\r\n第二行\n\n\n  第二段 a < b, 3<5 & \"c\"  \n"),
            "<p>第一段<br>第二行</p><p>第二段 a &lt; b, 3&lt;5 &amp; \"c\"</p>"
        );
        assert_eq!(sanitize_details("第二段 a & b"), "<p>第二段 a &amp; b</p>");
        assert_eq!(sanitize_details(" \n "), "");
        // Sanitising twice changes nothing, so editing a saved fair keeps its details.
        let once = sanitize_details("<p>甲 &amp; 乙</p><ul><li>一</li></ul>");
        assert_eq!(sanitize_details(&once), once);
    }

    #[test]
    fn saved_details_come_back_editable() {
        let typed = "第一段\n第二行 a < b & \"c\"\n\n第二段";
        let saved = sanitize_details(typed);
        assert_eq!(details_for_editing(&saved), typed);
        let html = "<h3>日程</h3><ul><li>上午</li><li>下午</li></ul><p>见 <a href=\"https://a.cn\" rel=\"noopener\">链接</a></p>";
        let saved = sanitize_details(html);
        let editable = details_for_editing(&saved);
        assert_eq!(
            editable,
            "<h3>日程</h3>\n<ul>\n<li>上午</li>\n<li>下午</li>\n</ul>\n<p>见 <a href=\"https://a.cn\" rel=\"noopener\">链接</a></p>"
        );
        let again = sanitize_details(&editable);
        assert_eq!(details_for_editing(&again), editable, "stable across saves");
        // Text that would read as a tag once unescaped stays HTML.
        let saved = sanitize_details("3&lt;b 与 4");
        assert_eq!(sanitize_details(&details_for_editing(&saved)), saved);
        assert_eq!(details_for_editing(""), "");
    }

    #[test]
    fn form_values_read_as_beijing_time_and_numbers() {
        let form = FairForm {
            title: "秋季双选会".into(),
            details: String::new(),
            signup_opens_at: "2026-11-26T08:00".into(),
            signup_closes_at: "2026-11-27 08:00:00".into(),
            starts_at: "2026-11-28T08:00".into(),
            ends_at: String::new(),
            min_completeness: " 80% ".into(),
            employer_limit: "".into(),
        };
        let i = form.to_input().expect("reads");
        assert_eq!(i.signup_opens_at, Some(T0));
        assert_eq!(i.signup_closes_at, Some(T0 + 24 * HOUR));
        assert_eq!(i.ends_at, None);
        assert_eq!(i.min_completeness, Some(80));
        assert_eq!(i.employer_limit, None);
        assert_eq!(field_of(&i), "ends_at");

        for (field, value) in [
            ("signup_opens_at", "明天"),
            ("starts_at", "2026-02-30T08:00"),
            ("ends_at", "2026-11-28T24:00"),
            ("signup_closes_at", "2026-1-2T08:00"),
            ("min_completeness", "七十"),
            ("employer_limit", "1.5"),
        ] {
            let mut f = form.clone();
            let slot = match field {
                "signup_opens_at" => &mut f.signup_opens_at,
                "signup_closes_at" => &mut f.signup_closes_at,
                "starts_at" => &mut f.starts_at,
                "ends_at" => &mut f.ends_at,
                "min_completeness" => &mut f.min_completeness,
                _ => &mut f.employer_limit,
            };
            *slot = value.into();
            assert_eq!(f.to_input().expect_err("refused").field, field);
        }
    }

    #[test]
    fn beijing_time_round_trips() {
        assert_eq!(format_beijing_local(T0), "2026-11-26T08:00");
        assert_eq!(parse_beijing_local("2026-11-26T08:00", "x"), Ok(T0));
        assert_eq!(parse_beijing_local("1970-01-01T08:00", "x"), Ok(0));
        assert_eq!(format_beijing_local(0), "1970-01-01T08:00");
        // Leap days.
        assert!(parse_beijing_local("2028-02-29T00:00", "x").is_ok());
        assert!(parse_beijing_local("2100-02-29T00:00", "x").is_err());
        assert!(parse_beijing_local("2000-02-29T00:00", "x").is_ok());
        for ms in [
            T0,
            T0 + 123 * HOUR + 60_000,
            951_782_400_000,
            4_102_444_740_000,
        ] {
            let s = format_beijing_local(ms);
            assert_eq!(parse_beijing_local(&s, "x"), Ok(ms), "{s}");
        }
        let d = FairDraft::parse(&valid()).expect("valid");
        let back = FairForm::from_draft(&d).to_input().expect("reads");
        assert_eq!(FairDraft::parse(&back), Ok(d));
    }

    #[test]
    fn status_follows_the_windows() {
        let signup = (100, 200);
        let live = (300, 400);
        assert_eq!(FairStatus::at(signup, live, 99), FairStatus::Upcoming);
        assert_eq!(FairStatus::at(signup, live, 100), FairStatus::SignupOpen);
        assert_eq!(FairStatus::at(signup, live, 200), FairStatus::SignupClosed);
        assert_eq!(FairStatus::at(signup, live, 300), FairStatus::Live);
        assert_eq!(FairStatus::at(signup, live, 400), FairStatus::Ended);
        // Overlapping windows: on the fair day it is live.
        assert_eq!(FairStatus::at((100, 400), live, 350), FairStatus::Live);
        assert_eq!(FairStatus::SignupOpen.label_zh(), "报名中");
        assert!(signup_open(signup, 100));
        assert!(!signup_open(signup, 200));
        assert!(!signup_open(signup, 99));
    }

    #[test]
    fn the_video_button_opens_with_the_live_window() {
        let (starts, ends) = (T0, T0 + 8 * HOUR);
        assert_eq!(
            video_button(T0 - 24 * HOUR, starts, ends),
            VideoButton::OpensAt(T0)
        );
        assert_eq!(video_button(T0 - 1, starts, ends), VideoButton::OpensAt(T0));
        assert_eq!(video_button(T0, starts, ends), VideoButton::Live);
        assert_eq!(video_button(ends - 1, starts, ends), VideoButton::Live);
        assert_eq!(video_button(ends, starts, ends), VideoButton::Ended);
        assert_eq!(video_button(ends + HOUR, starts, ends), VideoButton::Ended);
        // It agrees with the fair's status on every boundary.
        for now in [T0 - 1, T0, ends - 1, ends] {
            let live = FairStatus::at((0, 1), (starts, ends), now) == FairStatus::Live;
            assert_eq!(video_button(now, starts, ends) == VideoButton::Live, live);
        }
        assert_eq!(VideoButton::OpensAt(1).as_str(), "opens_at");
        assert_eq!(
            serde_json::to_value(VideoButton::OpensAt(5)).expect("serialises"),
            serde_json::json!({"state": "opens_at", "opens_at": 5})
        );
        assert_eq!(
            serde_json::to_value(VideoButton::Live).expect("serialises"),
            serde_json::json!({"state": "live"})
        );
    }

    #[test]
    fn resumes_are_delivered_until_the_fair_ends() {
        let ends = T0 + 8 * HOUR;
        assert!(check_delivery_open(T0 - 24 * HOUR, ends).is_ok());
        assert!(check_delivery_open(ends - 1, ends).is_ok());
        let e = check_delivery_open(ends, ends).expect_err("closed");
        assert_eq!(e.code, "fair_ended");
        assert!(check_delivery_open(ends + 1, ends).is_err());
    }

    #[test]
    fn entry_codes_use_the_unambiguous_alphabet() {
        assert_eq!(ENTRY_CODE_ALPHABET.len(), 32);
        for bad in [b'0', b'o', b'1', b'l'] {
            assert!(!ENTRY_CODE_ALPHABET.contains(&bad));
        }
        let c = EntryCode::from_random([0, 1, 31, 32, 255, 128, 7, 200]);
        assert_eq!(c.as_str().len(), ENTRY_CODE_LEN);
        assert_eq!(EntryCode::parse(c.as_str()), Ok(c.clone()));
        assert_eq!(&c.as_str()[..3], "ab9");
        for bad in [
            "",
            "abcdefg",
            "abcdefghj",
            "abcdefgo",
            "abcdefg0",
            "abcdefg1",
            "abcdefgl",
            "ABCDEFGH",
            "abcdéfgh",
            "demo2026",
        ] {
            assert_eq!(
                EntryCode::parse(bad).expect_err(bad).field,
                "entry_code",
                "{bad}"
            );
        }
        // Every byte value maps into the alphabet.
        for b in 0..=255u8 {
            let c = EntryCode::from_random([b; ENTRY_CODE_LEN]);
            assert!(EntryCode::parse(c.as_str()).is_ok());
        }
    }

    #[test]
    fn organizers_are_checked_field_by_field() {
        let ok = OrganizerDraft::parse(
            " 天津大学就业指导中心 ",
            "university",
            "王老师",
            "022-2740 1234",
            Some(" Job@TJU.edu.cn "),
        )
        .expect("valid");
        assert_eq!(ok.name, "天津大学就业指导中心");
        assert_eq!(ok.kind, OrganizerKind::University);
        assert_eq!(ok.contact_email.as_deref(), Some("job@tju.edu.cn"));
        let no_mail =
            OrganizerDraft::parse("天津市就业服务平台", "city", "李", "13812345678", Some(" "))
                .expect("valid");
        assert_eq!(no_mail.contact_email, None);
        assert_eq!(no_mail.kind.label_zh(), "城市就业平台");

        let long_name = "名".repeat(ORGANIZER_NAME_MAX + 1);
        let long_contact = "名".repeat(CONTACT_NAME_MAX + 1);
        let cases: [OrganizerCase; 11] = [
            ("", "university", "王", "13812345678", None, "name"),
            (&long_name, "university", "王", "13812345678", None, "name"),
            ("a\u{0}b", "university", "王", "13812345678", None, "name"),
            ("天大", "", "王", "13812345678", None, "kind"),
            ("天大", "company", "王", "13812345678", None, "kind"),
            ("天大", "city", " ", "13812345678", None, "contact_name"),
            (
                "天大",
                "city",
                &long_contact,
                "13812345678",
                None,
                "contact_name",
            ),
            ("天大", "city", "王", "", None, "contact_phone"),
            ("天大", "city", "王", "12345", None, "contact_phone"),
            ("天大", "city", "王", "022-abc-1234", None, "contact_phone"),
            (
                "天大",
                "city",
                "王",
                "13812345678",
                Some("not-an-email"),
                "contact_email",
            ),
        ];
        for (name, kind, contact, phone, email, field) in cases {
            let e = OrganizerDraft::parse(name, kind, contact, phone, email).expect_err(field);
            assert_eq!(e.field, field, "{name}/{kind}/{contact}/{phone}/{email:?}");
        }
    }
    #[test]
    fn an_announcement_is_trimmed_and_bounded() {
        assert_eq!(
            parse_announcement("  双选会将于 10 分钟后开始\n请提前测试设备  ").as_deref(),
            Ok("双选会将于 10 分钟后开始\n请提前测试设备")
        );
        assert_eq!(
            parse_announcement("   ").map_err(|e| e.code),
            Err("announcement_required")
        );
        let long = "字".repeat(ANNOUNCEMENT_MAX + 1);
        assert_eq!(
            parse_announcement(&long).map_err(|e| e.code),
            Err("announcement_too_long")
        );
        assert!(parse_announcement(&"字".repeat(ANNOUNCEMENT_MAX)).is_ok());
        assert_eq!(
            parse_announcement("开始\u{7}了").map_err(|e| e.code),
            Err("invalid_characters")
        );
    }

    #[test]
    fn announcements_are_open_from_signup_until_the_fair_ends() {
        assert_eq!(
            check_announcement_open(99, 100, 200).map_err(|e| e.code),
            Err("announcement_too_early")
        );
        assert!(check_announcement_open(100, 100, 200).is_ok());
        assert!(check_announcement_open(199, 100, 200).is_ok());
        assert_eq!(
            check_announcement_open(200, 100, 200).map_err(|e| e.code),
            Err("fair_ended")
        );
    }
}
