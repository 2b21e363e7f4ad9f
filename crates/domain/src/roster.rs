//! The student roster (学籍名单) organizer staff import, and cloud-employment matching
//! (云就业匹配): a student of a partner university proves who they are by school, student
//! number, name and the last six characters of their ID number, and is signed in without a
//! phone code.
//!
//! The full ID number (身份证号) is personal data the product does not need: it is read here
//! only to check it (GB 11643 check character) and to derive what is kept. The app stores
//! `hash(salt, id_tail(id))` for matching and `hash(salt, full id)` to recognise the same
//! person across re-imports, never the number itself. The salt must be a server-side secret
//! (a keyed hash such as HMAC-SHA256), not a value stored beside the hash: a tail has only about
//! 1.1 million possible values, so an unkeyed or leaked-salt hash of it falls to brute force in
//! seconds.

use std::fmt;

use thiserror::Error;

use crate::DomainError;
use crate::account::Phone;
use crate::message::Message;
use crate::msg;
use crate::resume::{self, Degree, fold_full_width};

pub const STUDENT_NUMBER_MAX: usize = 32;
pub const ID_NUMBER_LEN: usize = 18;
/// The part of the ID number a student types to be matched.
pub const ID_TAIL_LEN: usize = 6;

/// GB 11643-1999: the weight of each of the first 17 digits (2^(18-i) mod 11) and the check
/// character for each remainder mod 11.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS: &[u8; 11] = b"10X98765432";

// ---------------------------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------------------------

/// The form two texts are compared in: full-width characters as ASCII, every space and
/// zero-width character removed, ASCII upper-cased, and the middle dots of transliterated
/// names (·・•‧∙.) unified. Records are typed by registrars and students alike, on different
/// input methods; "张 三" and "张三", "中国石油大学（华东）" and "中国石油大学(华东)",
/// "s2021001" and "Ｓ２０２１００１" are the same.
pub fn normalize(s: &str) -> String {
    s.chars()
        .map(fold_full_width)
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}'))
        .map(|c| match c {
            '·' | '・' | '•' | '‧' | '∙' | '.' => '·',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// ID numbers
// ---------------------------------------------------------------------------------------------

/// The GB 11643 check character for the first 17 digits, or `None` if `first17` is not 17
/// ASCII digits.
pub fn check_char(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = b
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    Some(char::from(ID_CHECK_CHARS[(sum % 11) as usize]))
}

fn id_chars(input: &str) -> String {
    input
        .trim()
        .trim_start_matches('\'')
        .chars()
        .map(fold_full_width)
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The last six characters of an ID number, with a lower-case x upper-cased and full-width
/// characters and spaces removed. This is what matching compares (through its hash). Input
/// shorter than six characters comes back whole, and then matches no stored tail.
pub fn id_tail(id: &str) -> String {
    let s = id_chars(id);
    let n = s.chars().count();
    s.chars().skip(n.saturating_sub(ID_TAIL_LEN)).collect()
}

/// What a student types on the matching form: the last six characters of their ID number,
/// or the whole number (checked, then cut to its tail).
pub fn parse_id_tail(input: &str) -> Result<String, DomainError> {
    let s = id_chars(input);
    if s.chars().count() == ID_NUMBER_LEN {
        return IdNumber::parse(&s).map(|id| id.tail());
    }
    let b = s.as_bytes();
    let ok = b.len() == ID_TAIL_LEN
        && b[..ID_TAIL_LEN - 1].iter().all(u8::is_ascii_digit)
        && (b[ID_TAIL_LEN - 1].is_ascii_digit() || b[ID_TAIL_LEN - 1] == b'X');
    if ok {
        Ok(s)
    } else {
        Err(DomainError::new(
            "invalid_id_tail",
            "id_tail",
            msg!("error.roster.id_tail_invalid"),
        ))
    }
}

/// A checked 18-character resident ID number. Deliberately not `Serialize` and masked in
/// `Debug`, so it cannot end up in the store or a log by accident; see the module comment for
/// what is kept instead.
#[derive(Clone, PartialEq, Eq)]
pub struct IdNumber(String);

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

fn is_leap(y: u32) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn valid_date(yyyymmdd: &str) -> bool {
    let Ok(n) = yyyymmdd.parse::<u32>() else {
        return false;
    };
    let (y, m, d) = (n / 10_000, n / 100 % 100, n % 100);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2100).contains(&y) && (1..=days).contains(&d)
}

impl IdNumber {
    /// Full-width digits, spaces and a lower-case x are accepted; a leading apostrophe (how
    /// spreadsheets mark a number as text) is dropped. The birth date inside must exist and the
    /// check character must be right, which catches nearly every mistyped digit.
    pub fn parse(input: &str) -> Result<IdNumber, DomainError> {
        let err = |code, m: Message| DomainError::new(code, "id_number", m);
        let s = id_chars(input);
        if s.is_empty() {
            return Err(err("required", msg!("error.roster.id_required")));
        }
        if s.contains("E+") && s.contains('.') {
            return Err(err("invalid_id_format", msg!("error.roster.id_scientific")));
        }
        let n = s.chars().count();
        if n != ID_NUMBER_LEN {
            return Err(err(
                "invalid_id_length",
                msg!("error.roster.id_length", want = ID_NUMBER_LEN, len = n),
            ));
        }
        let (first17, last) = s.split_at(17);
        if !first17.bytes().all(|b| b.is_ascii_digit())
            || !(last.bytes().all(|b| b.is_ascii_digit()) || last == "X")
        {
            return Err(err("invalid_id_format", msg!("error.roster.id_format")));
        }
        if !valid_date(&first17[6..14]) {
            return Err(err(
                "invalid_id_birth_date",
                msg!("error.roster.id_birth_date"),
            ));
        }
        if check_char(first17).map(String::from).as_deref() != Some(last) {
            return Err(err("invalid_id_check", msg!("error.roster.id_check")));
        }
        Ok(IdNumber(s))
    }

    /// The full number, for the app to hash. Never store or log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn tail(&self) -> String {
        id_tail(&self.0)
    }

    /// `110***********002X`: enough for staff to recognise a row in an import report.
    pub fn masked(&self) -> String {
        format!("{}***********{}", &self.0[..3], &self.0[14..])
    }
}

// ---------------------------------------------------------------------------------------------
// Columns and the header
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    StudentNumber,
    Name,
    IdNumber,
    School,
    College,
    Major,
    Degree,
    GraduationYear,
    Phone,
}

impl Column {
    /// The canonical order: what `parse_row` expects and what the template file lists.
    pub const ALL: [Column; 9] = [
        Column::StudentNumber,
        Column::Name,
        Column::IdNumber,
        Column::School,
        Column::College,
        Column::Major,
        Column::Degree,
        Column::GraduationYear,
        Column::Phone,
    ];

    /// The English column name, also the `field` of errors about it.
    pub fn as_str(self) -> &'static str {
        match self {
            Column::StudentNumber => "student_number",
            Column::Name => "name",
            Column::IdNumber => "id_number",
            Column::School => "school",
            Column::College => "college",
            Column::Major => "major",
            Column::Degree => "degree",
            Column::GraduationYear => "graduation_year",
            Column::Phone => "phone",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Column::StudentNumber => "学号",
            Column::Name => "姓名",
            Column::IdNumber => "身份证号",
            Column::School => "学校",
            Column::College => "学院",
            Column::Major => "专业",
            Column::Degree => "学历",
            Column::GraduationYear => "毕业年份",
            Column::Phone => "手机号",
        }
    }

    /// The column's name, for messages in any language.
    pub fn label(self) -> Message {
        match self {
            Column::StudentNumber => msg!("label.roster.column.student_number"),
            Column::Name => msg!("label.roster.column.name"),
            Column::IdNumber => msg!("label.roster.column.id_number"),
            Column::School => msg!("label.roster.column.school"),
            Column::College => msg!("label.roster.column.college"),
            Column::Major => msg!("label.roster.column.major"),
            Column::Degree => msg!("label.roster.column.degree"),
            Column::GraduationYear => msg!("label.roster.column.graduation_year"),
            Column::Phone => msg!("label.roster.column.phone"),
        }
    }

    /// What matching needs. The rest is shown to staff and prefilled into the resume, and
    /// registrars' exports often lack some of it.
    pub fn is_required(self) -> bool {
        matches!(
            self,
            Column::StudentNumber | Column::Name | Column::IdNumber | Column::School
        )
    }

    /// Other names registrars' exports use for the column, besides `as_str` and `label_zh`.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::StudentNumber => &["学生学号", "student_no", "student_id"],
            Column::Name => &["学生姓名", "student_name"],
            Column::IdNumber => &["身份证号码", "身份证", "证件号码", "id_card"],
            Column::School => &["学校名称", "毕业院校", "院校"],
            Column::College => &["院系", "所在学院", "学院名称"],
            Column::Major => &["专业名称", "所学专业"],
            Column::Degree => &["学历层次"],
            Column::GraduationYear => &["毕业年度", "毕业届别", "届别", "毕业时间"],
            Column::Phone => &["手机", "手机号码", "联系电话", "mobile"],
        }
    }

    /// Which column a header cell names, if any. Case, width, spaces, `_`/`-`, a `*` marking
    /// a required column and a "（必填）" note are ignored.
    pub fn from_header(cell: &str) -> Option<Column> {
        let key = header_key(cell);
        if key.is_empty() {
            return None;
        }
        Column::ALL.into_iter().find(|c| {
            header_key(c.as_str()) == key
                || header_key(c.label_zh()) == key
                || c.aliases().iter().any(|a| header_key(a) == key)
        })
    }
}

fn header_key(cell: &str) -> String {
    let s: String = cell
        .chars()
        .map(fold_full_width)
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '*' | '\u{FEFF}'))
        .flat_map(char::to_lowercase)
        .collect();
    s.strip_suffix("(必填)")
        .or_else(|| s.strip_suffix("(选填)"))
        .unwrap_or(&s)
        .to_owned()
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HeaderError {
    #[error("missing required columns: {columns:?}")]
    MissingColumns { columns: Vec<Column> },
    #[error("column {column:?} appears twice")]
    DuplicateColumn { column: Column },
}

impl HeaderError {
    pub fn code(&self) -> &'static str {
        match self {
            HeaderError::MissingColumns { .. } => "missing_columns",
            HeaderError::DuplicateColumn { .. } => "duplicate_column",
        }
    }

    pub fn message(&self) -> Message {
        match self {
            HeaderError::MissingColumns { columns } => {
                let names: Vec<Message> = columns
                    .iter()
                    .map(|c| {
                        msg!(
                            "error.roster.column_named",
                            label = c.label(),
                            name = c.as_str()
                        )
                    })
                    .collect();
                msg!("error.roster.missing_columns", columns = names)
            }
            HeaderError::DuplicateColumn { column } => {
                msg!("error.roster.duplicate_column", column = column.label())
            }
        }
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        self.message().zh()
    }
}

impl From<HeaderError> for DomainError {
    fn from(e: HeaderError) -> Self {
        DomainError::new(e.code(), "file", e.message())
    }
}

/// Where each column is in the file. Unknown columns are ignored, so a registrar's full
/// export can be imported as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    positions: [Option<usize>; 9],
}

impl Header {
    pub fn parse(cells: &[String]) -> Result<Header, HeaderError> {
        let mut positions = [None; 9];
        for (i, cell) in cells.iter().enumerate() {
            let Some(column) = Column::from_header(cell) else {
                continue;
            };
            let slot = &mut positions[column_index(column)];
            if slot.is_some() {
                return Err(HeaderError::DuplicateColumn { column });
            }
            *slot = Some(i);
        }
        let missing: Vec<Column> = Column::ALL
            .into_iter()
            .filter(|c| c.is_required() && positions[column_index(*c)].is_none())
            .collect();
        if missing.is_empty() {
            Ok(Header { positions })
        } else {
            Err(HeaderError::MissingColumns { columns: missing })
        }
    }

    /// The file's position of a column, if it has one.
    pub fn position(&self, column: Column) -> Option<usize> {
        self.positions[column_index(column)]
    }

    /// A data row in `Column::ALL` order; empty where the file has no such column or the row
    /// is short (spreadsheets drop trailing empty cells).
    pub fn arrange(&self, cells: &[String]) -> Vec<String> {
        Column::ALL
            .into_iter()
            .map(|c| {
                self.position(c)
                    .and_then(|i| cells.get(i))
                    .cloned()
                    .unwrap_or_default()
            })
            .collect()
    }

    pub fn parse_row(&self, cells: &[String], line: usize) -> Result<RosterRow, RowError> {
        parse_row(&self.arrange(cells), line)
    }
}

fn column_index(c: Column) -> usize {
    Column::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------------------------

/// A row that could not be imported. `line` is the caller's line number in the file, so staff
/// can find it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {field}: {message}")]
pub struct RowError {
    pub line: usize,
    /// The column (`Column::as_str`).
    pub field: &'static str,
    pub code: &'static str,
    pub message: Message,
}

impl RowError {
    fn at(line: usize, e: DomainError, column: Column) -> RowError {
        RowError {
            line,
            field: column.as_str(),
            code: e.code,
            message: e.message,
        }
    }

    /// "第 3 行：身份证号校验位不正确，请核对", for the import report.
    pub fn report(&self) -> Message {
        msg!(
            "error.roster.row",
            line = self.line,
            message = self.message.clone()
        )
    }

    /// The report line in Chinese.
    pub fn report_zh(&self) -> String {
        self.report().zh()
    }
}

/// One student of the roster, checked. Holds the ID number only until the app has hashed it;
/// not `Serialize` for that reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    /// Normalised (`normalize`): it is an identifier, not prose.
    pub student_number: String,
    pub name: String,
    pub id_number: IdNumber,
    pub school: String,
    pub college: Option<String>,
    pub major: Option<String>,
    pub degree: Option<Degree>,
    pub graduation_year: Option<u16>,
    pub phone: Option<Phone>,
}

impl RosterRow {
    /// What the app looks a row up by: normalised school and student number. A student number
    /// is unique only within its school.
    pub fn lookup_key(&self) -> (String, String) {
        (normalize(&self.school), normalize(&self.student_number))
    }
}

fn text(
    input: &str,
    column: Column,
    max: usize,
    required: bool,
) -> Result<Option<String>, DomainError> {
    let field = column.as_str();
    let label = column.label();
    let s = input.trim();
    if s.is_empty() {
        return if required {
            Err(DomainError::new(
                "required",
                field,
                msg!("error.roster.required", label = label),
            ))
        } else {
            Ok(None)
        };
    }
    if s.chars().any(char::is_control) {
        return Err(DomainError::new(
            "invalid_characters",
            field,
            msg!("error.roster.invalid_characters", label = label),
        ));
    }
    let n = s.chars().count();
    if n > max {
        return Err(DomainError::new(
            "too_long",
            field,
            msg!("error.roster.too_long", label = label, max = max, len = n),
        ));
    }
    Ok(Some(s.to_owned()))
}

fn student_number(input: &str) -> Result<String, DomainError> {
    let field = Column::StudentNumber.as_str();
    let s = normalize(input);
    if s.is_empty() {
        return Err(DomainError::new(
            "required",
            field,
            msg!("error.roster.student_number_required"),
        ));
    }
    if s.chars().count() > STUDENT_NUMBER_MAX {
        return Err(DomainError::new(
            "too_long",
            field,
            msg!(
                "error.roster.student_number_too_long",
                max = STUDENT_NUMBER_MAX
            ),
        ));
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(DomainError::new(
            "invalid_student_number",
            field,
            msg!("error.roster.student_number_invalid"),
        ));
    }
    Ok(s)
}

/// Parses one data row given in `Column::ALL` order (use `Header::parse_row` for a file's own
/// order). Missing trailing cells count as empty. The first broken rule, in column order, is
/// reported.
pub fn parse_row(cells: &[String], line: usize) -> Result<RosterRow, RowError> {
    let cell = |c: Column| cells.get(column_index(c)).map_or("", String::as_str);
    let at = |c: Column| move |e: DomainError| RowError::at(line, e, c);
    let optional = |c: Column, max| text(cell(c), c, max, false).map_err(at(c));

    let student_number =
        student_number(cell(Column::StudentNumber)).map_err(at(Column::StudentNumber))?;
    let name = text(cell(Column::Name), Column::Name, resume::NAME_MAX, true)
        .map_err(at(Column::Name))?
        .unwrap_or_default();
    let id_number = IdNumber::parse(cell(Column::IdNumber)).map_err(at(Column::IdNumber))?;
    let school = text(
        cell(Column::School),
        Column::School,
        resume::TITLE_MAX,
        true,
    )
    .map_err(at(Column::School))?
    .unwrap_or_default();
    let college = optional(Column::College, resume::TITLE_MAX)?;
    let major = optional(Column::Major, resume::TITLE_MAX)?;
    let degree = match cell(Column::Degree).trim() {
        "" => None,
        s => Some(Degree::parse(s, "degree").map_err(at(Column::Degree))?),
    };
    let graduation_year = match cell(Column::GraduationYear).trim() {
        "" => None,
        s => Some(
            resume::parse_graduation_year(s, "graduation_year")
                .map_err(at(Column::GraduationYear))?,
        ),
    };
    let phone = match cell(Column::Phone).trim() {
        "" => None,
        s => Some(Phone::parse(s).map_err(at(Column::Phone))?),
    };
    Ok(RosterRow {
        student_number,
        name,
        id_number,
        school,
        college,
        major,
        degree,
        graduation_year,
        phone,
    })
}

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

/// The result of matching a student's input against one roster row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchOutcome {
    Matched,
    /// No row for this school and student number (a student number of another school included).
    NotFound,
    WrongName,
    WrongIdTail,
}

impl MatchOutcome {
    pub fn is_match(self) -> bool {
        self == MatchOutcome::Matched
    }

    /// For logs and counting failed attempts.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchOutcome::Matched => "matched",
            MatchOutcome::NotFound => "not_found",
            MatchOutcome::WrongName => "wrong_name",
            MatchOutcome::WrongIdTail => "wrong_id_tail",
        }
    }

    /// What the student is told. Every failure reads the same: saying "wrong name" would
    /// confirm that the student number exists, and let anyone probe the roster one field at a
    /// time.
    pub fn message(self) -> Message {
        match self {
            MatchOutcome::Matched => msg!("error.roster.matched"),
            _ => msg!("error.roster.no_match"),
        }
    }

    /// The message in Chinese.
    pub fn message_zh(self) -> String {
        self.message().zh()
    }
}

/// Matches what a student typed against a roster row, each text compared in `normalize`d
/// form. The school must match (student numbers repeat across schools), then the name, then
/// the ID tail, whose hashes the caller has compared (`tail_matches`). Empty input never
/// matches.
pub fn matches(
    row_school: &str,
    row_student_number: &str,
    row_name: &str,
    input_school: &str,
    input_student_number: &str,
    input_name: &str,
    tail_matches: bool,
) -> MatchOutcome {
    let same = |a: &str, b: &str| {
        let b = normalize(b);
        !b.is_empty() && normalize(a) == b
    };
    if !same(row_school, input_school) || !same(row_student_number, input_student_number) {
        MatchOutcome::NotFound
    } else if !same(row_name, input_name) {
        MatchOutcome::WrongName
    } else if !tail_matches {
        MatchOutcome::WrongIdTail
    } else {
        MatchOutcome::Matched
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// A valid ID number built from 17 digits by computing its check character, so tests do
    /// not depend on any real person's number.
    fn valid_id(first17: &str) -> String {
        format!("{first17}{}", check_char(first17).unwrap())
    }

    fn cells(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    fn good_row() -> Vec<String> {
        cells(&[
            "2021001",
            "李明",
            "11010519491231002X",
            "天津大学",
            "智能与计算学部",
            "软件工程",
            "本科",
            "2025",
            "13812345678",
        ])
    }

    #[test]
    fn the_check_character_follows_gb_11643() {
        assert_eq!(check_char("11010519491231002"), Some('X'));
        assert_eq!(check_char("44030419900101001"), Some('1'));
        assert_eq!(check_char("1101051949123100"), None);
        assert_eq!(check_char("1101051949123100a"), None);
        // Every remainder is reachable, so every check character occurs.
        let mut seen: Vec<char> = (0..200)
            .map(|i| check_char(&format!("110105200001{i:05}")).unwrap())
            .collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 11);
    }

    #[test]
    fn valid_id_numbers_are_accepted_in_the_forms_people_type() {
        for ok in [
            "11010519491231002X",
            "11010519491231002x",
            " 110105 19491231 002X ",
            "'11010519491231002X",
            "１１０１０５１９４９１２３１００２Ｘ",
        ] {
            assert_eq!(
                IdNumber::parse(ok).map(|i| i.expose().to_owned()),
                Ok("11010519491231002X".into()),
                "{ok}"
            );
        }
        let leap = valid_id("44030420000229123");
        assert!(IdNumber::parse(&leap).is_ok());
    }

    #[test]
    fn invalid_id_numbers_are_refused_with_the_reason() {
        let code = |s: &str| IdNumber::parse(s).map_err(|e| (e.code, e.field)).err();
        let mut wrong_check = valid_id("11010519900307123");
        let last = wrong_check.pop().unwrap();
        wrong_check.push(if last == '0' { '1' } else { '0' });
        for (bad, want) in [
            ("", "required"),
            ("110105194912310", "invalid_id_length"),
            ("11010519491231002XX", "invalid_id_length"),
            ("1.10105E+17", "invalid_id_format"),
            ("11010519491231002Y", "invalid_id_format"),
            ("1101051949123100AX", "invalid_id_format"),
            ("110105194912310021", "invalid_id_check"),
            (wrong_check.as_str(), "invalid_id_check"),
            (
                valid_id("11010519491331002").as_str(),
                "invalid_id_birth_date",
            ),
            (
                valid_id("11010519490230002").as_str(),
                "invalid_id_birth_date",
            ),
            (
                valid_id("44030419000229123").as_str(),
                "invalid_id_birth_date",
            ),
            (
                valid_id("11010518991231002").as_str(),
                "invalid_id_birth_date",
            ),
        ] {
            assert_eq!(code(bad), Some((want, "id_number")), "{bad}");
        }
    }

    #[test]
    fn an_id_number_never_shows_in_debug_output() {
        let id = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(format!("{id:?}"), "IdNumber(110***********002X)");
        let row = parse_row(&good_row(), 2).unwrap();
        assert!(!format!("{row:?}").contains("11010519491231002X"));
    }

    #[test]
    fn the_tail_is_the_last_six_characters_upper_cased() {
        assert_eq!(id_tail("11010519491231002x"), "31002X");
        assert_eq!(id_tail("110105 19491231 002x"), "31002X");
        assert_eq!(id_tail("３１００２ｘ"), "31002X");
        assert_eq!(id_tail("123"), "123");
        assert_eq!(
            IdNumber::parse("11010519491231002X").unwrap().tail(),
            "31002X"
        );
        assert_eq!(parse_id_tail("31002x"), Ok("31002X".into()));
        assert_eq!(parse_id_tail("11010519491231002X"), Ok("31002X".into()));
        for bad in ["", "3100", "31002XX", "X31002", "3100a2", "31002Y"] {
            assert_eq!(
                parse_id_tail(bad).map_err(|e| e.code),
                Err("invalid_id_tail"),
                "{bad}"
            );
        }
        assert_eq!(
            parse_id_tail("110105194912310021").map_err(|e| e.code),
            Err("invalid_id_check")
        );
    }

    // --- header -------------------------------------------------------------------------------

    #[test]
    fn headers_map_chinese_and_english_names_in_any_order() {
        let h = Header::parse(&cells(&[
            "\u{FEFF}姓名",
            "备注",
            "student_number",
            "*身份证号码",
            "学校（必填）",
            "Graduation Year",
            "手机",
        ]))
        .unwrap();
        assert_eq!(h.position(Column::Name), Some(0));
        assert_eq!(h.position(Column::StudentNumber), Some(2));
        assert_eq!(h.position(Column::IdNumber), Some(3));
        assert_eq!(h.position(Column::School), Some(4));
        assert_eq!(h.position(Column::GraduationYear), Some(5));
        assert_eq!(h.position(Column::Phone), Some(6));
        assert_eq!(h.position(Column::Major), None);

        let row = cells(&[
            "李明",
            "x",
            "2021001",
            "11010519491231002X",
            "天津大学",
            "2025",
        ]);
        let arranged = h.arrange(&row);
        assert_eq!(
            arranged,
            cells(&[
                "2021001",
                "李明",
                "11010519491231002X",
                "天津大学",
                "",
                "",
                "",
                "2025",
                ""
            ])
        );
        let parsed = h.parse_row(&row, 2).unwrap();
        assert_eq!(parsed.graduation_year, Some(2025));
        assert_eq!(parsed.phone, None);

        for c in Column::ALL {
            assert_eq!(Column::from_header(c.as_str()), Some(c));
            assert_eq!(Column::from_header(c.label_zh()), Some(c));
            assert_eq!(Column::from_header(&c.as_str().to_uppercase()), Some(c));
        }
        assert_eq!(Column::from_header(""), None);
        assert_eq!(Column::from_header("备注"), None);
    }

    #[test]
    fn a_header_without_the_required_columns_is_refused() {
        let e = Header::parse(&cells(&["姓名", "学院", "专业"])).unwrap_err();
        assert_eq!(
            e,
            HeaderError::MissingColumns {
                columns: vec![Column::StudentNumber, Column::IdNumber, Column::School]
            }
        );
        assert_eq!(e.code(), "missing_columns");
        assert_eq!(
            e.message_zh(),
            "名单第一行应为表头，缺少必填列：学号（student_number）、身份证号（id_number）、学校（school）"
        );
        assert!(Header::parse(&[]).is_err());
        let dup =
            Header::parse(&cells(&["学号", "姓名", "身份证号", "学校", "school"])).unwrap_err();
        assert_eq!(
            dup,
            HeaderError::DuplicateColumn {
                column: Column::School
            }
        );
        assert_eq!(DomainError::from(dup).code, "duplicate_column");
    }

    // --- rows ---------------------------------------------------------------------------------

    #[test]
    fn a_good_row_parses() {
        let r = parse_row(&good_row(), 2).unwrap();
        assert_eq!(r.student_number, "2021001");
        assert_eq!(r.name, "李明");
        assert_eq!(r.id_number.tail(), "31002X");
        assert_eq!(r.degree, Some(Degree::Bachelor));
        assert_eq!(r.graduation_year, Some(2025));
        assert_eq!(r.phone.as_ref().map(Phone::as_str), Some("13812345678"));
        assert_eq!(
            r.lookup_key(),
            ("天津大学".to_owned(), "2021001".to_owned())
        );
        let short = parse_row(&good_row()[..4], 3).unwrap();
        assert_eq!(
            (short.college, short.degree, short.phone),
            (None, None, None)
        );
        let lower = parse_row(
            &cells(&["ｓ2021-001", " 李明 ", "11010519491231002X", "天津大学"]),
            4,
        )
        .unwrap();
        assert_eq!(lower.student_number, "S2021-001");
        assert_eq!(lower.name, "李明");
    }

    #[test]
    fn every_bad_cell_is_reported_with_its_line_and_column() {
        let cases: [(usize, &str, &str, &str); 14] = [
            (0, "", "student_number", "required"),
            (0, "2021/001", "student_number", "invalid_student_number"),
            (
                0,
                "1234567890123456789012345678901234",
                "student_number",
                "too_long",
            ),
            (1, "  ", "name", "required"),
            (1, "李\u{7}明", "name", "invalid_characters"),
            (1, &"名".repeat(31), "name", "too_long"),
            (2, "110105194912310021", "id_number", "invalid_id_check"),
            (2, "", "id_number", "required"),
            (3, "", "school", "required"),
            (4, "\u{1}", "college", "invalid_characters"),
            (6, "高中", "degree", "invalid_degree"),
            (7, "1989", "graduation_year", "invalid_year"),
            (8, "12345", "phone", "invalid_phone"),
            (5, &"专".repeat(61), "major", "too_long"),
        ];
        for (i, value, field, code) in cases {
            let mut row = good_row();
            row[i] = value.to_owned();
            let e = parse_row(&row, 7).unwrap_err();
            assert_eq!((e.line, e.field, e.code), (7, field, code), "{value}");
            assert!(e.report_zh().starts_with("第 7 行："), "{}", e.report_zh());
        }
        let mut row = good_row();
        row[2] = "110105194912310021".into();
        assert_eq!(
            parse_row(&row, 9).unwrap_err().report_zh(),
            "第 9 行：身份证号校验位不正确，请核对"
        );
    }

    // --- matching -----------------------------------------------------------------------------

    fn try_match(school: &str, number: &str, name: &str, tail: bool) -> MatchOutcome {
        matches("天津大学", "2021001", "李明", school, number, name, tail)
    }

    #[test]
    fn an_exact_match_signs_the_student_in() {
        assert_eq!(
            try_match("天津大学", "2021001", "李明", true),
            MatchOutcome::Matched
        );
        assert!(MatchOutcome::Matched.is_match());
    }

    #[test]
    fn a_wrong_name_or_id_tail_does_not_match() {
        assert_eq!(
            try_match("天津大学", "2021001", "李敏", true),
            MatchOutcome::WrongName
        );
        assert_eq!(
            try_match("天津大学", "2021001", "李明", false),
            MatchOutcome::WrongIdTail
        );
    }

    #[test]
    fn a_student_number_of_another_school_does_not_match() {
        assert_eq!(
            try_match("南开大学", "2021001", "李明", true),
            MatchOutcome::NotFound
        );
        assert_eq!(
            try_match("天津大学", "2021002", "李明", true),
            MatchOutcome::NotFound
        );
    }

    #[test]
    fn empty_input_never_matches() {
        assert_eq!(
            matches("", "", "", "", "", "", true),
            MatchOutcome::NotFound
        );
        assert_eq!(
            matches("天津大学", "2021001", "", "天津大学", "2021001", " ", true),
            MatchOutcome::WrongName
        );
    }

    #[test]
    fn full_width_and_spaced_input_matches() {
        assert_eq!(
            try_match(" 天津 大学 ", "２０２１００１", "李\u{3000}明", true),
            MatchOutcome::Matched
        );
        assert_eq!(
            matches(
                "中国石油大学（华东）",
                "s2021001",
                "阿卜杜·热合曼",
                "中国石油大学(华东)",
                "Ｓ2021001",
                "阿卜杜.热合曼",
                true
            ),
            MatchOutcome::Matched
        );
    }

    #[test]
    fn every_failure_tells_the_student_the_same_thing() {
        let failures = [
            MatchOutcome::NotFound,
            MatchOutcome::WrongName,
            MatchOutcome::WrongIdTail,
        ];
        for f in failures {
            assert!(!f.is_match());
            assert_eq!(f.message_zh(), MatchOutcome::NotFound.message_zh());
        }
        assert_ne!(
            MatchOutcome::WrongName.as_str(),
            MatchOutcome::WrongIdTail.as_str()
        );
    }
}
