//! Rosters (云就业匹配): organizer staff import student rosters from CSV or XLSX; students sign in by matching them.
//!
//! An import is all or nothing: the file is read and every row checked first, and only a
//! file without a single bad row is written, in one transaction. The ID number is read only to
//! check it; what is kept is a per-row random salt and two HMAC-SHA256 values keyed with this
//! installation's secret (`settings.roster_hash_key`): one of the whole number (the same
//! person across re-imports) and one of its last six characters (what students type).

use std::collections::HashMap;
use std::io::Cursor;
use std::net::IpAddr;

use anyhow::Context;
use calamine::{Data, Reader, open_workbook_auto_from_rs};
use fairhall_domain::DomainError;
use fairhall_domain::account::Role;
use fairhall_domain::message::Message;
use fairhall_domain::msg;
use fairhall_domain::roster::{self, Header, MatchOutcome, RosterRow};
use fairhall_store::roster::{ResumeBasicsFill, RosterEntry, RosterImport, RosterRecord};
use fairhall_store::users::{NewUser, User};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::accounts::PRIVACY_NOTICE_VERSION;
use crate::{App, AppError, AppResult, now_ms};

/// The most data rows one file may hold: more than any school's graduating class.
pub const MAX_ROWS: usize = 50_000;
/// The most row problems one report lists; the total is still counted.
pub const MAX_REPORTED: usize = 500;
/// How many imports the history shows.
const HISTORY: i64 = 20;

/// What went wrong on one line of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The line (CSV) or row (spreadsheet) number, counting the header as 1.
    pub line: usize,
    /// The column (`Column::as_str`).
    pub field: &'static str,
    pub code: &'static str,
    /// "第 3 行：…", to render in the reader's language.
    pub message: Message,
}

/// A row that was (or, in a refused file, would have been) imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedRow {
    pub line: usize,
    pub school: String,
    pub student_number: String,
    pub name: String,
    /// `110***********002X`.
    pub id_masked: String,
    /// Whether the import created the entry (false: updated an existing one, or not written).
    pub created: bool,
}

/// The row-by-row answer to an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub file_name: String,
    /// Data rows in the file (blank lines not counted).
    pub rows_total: usize,
    /// False when any row was refused: then nothing was written.
    pub imported: bool,
    pub inserted: i64,
    pub updated: i64,
    pub accepted: Vec<AcceptedRow>,
    /// At most `MAX_REPORTED`, in line order.
    pub problems: Vec<RowProblem>,
    pub problems_total: usize,
}

/// The staff page's numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterOverview {
    pub entries: i64,
    pub matched: i64,
    pub imports: Vec<RosterImport>,
}

/// What a student types to be matched.
#[derive(Debug, Clone, Default)]
pub struct MatchInput {
    pub school: String,
    pub student_number: String,
    pub name: String,
    /// The last six characters of the ID number (the whole number is accepted too).
    pub id_tail: String,
}

// ---------------------------------------------------------------------------------------------
// Reading files
// ---------------------------------------------------------------------------------------------

fn file_error(code: &'static str, message: Message) -> DomainError {
    DomainError::new(code, "file", message)
}

fn is_spreadsheet(bytes: &[u8]) -> bool {
    // ZIP (xlsx, xlsb, ods) or OLE2 (the old binary .xls).
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

fn looks_like_spreadsheet_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"]
        .iter()
        .any(|e| n.ends_with(e))
}

/// A file's rows as text cells, with their line numbers; blank rows left out.
pub fn read_table(file_name: &str, bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, DomainError> {
    if bytes.is_empty() {
        return Err(file_error(
            "empty_file",
            msg!("error.app.roster_file_empty"),
        ));
    }
    let rows = if is_spreadsheet(bytes) {
        read_spreadsheet(bytes)?
    } else if looks_like_spreadsheet_name(file_name) {
        return Err(file_error(
            "invalid_xlsx",
            msg!("error.app.roster_not_xlsx"),
        ));
    } else {
        read_csv(bytes)?
    };
    Ok(rows
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .collect())
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        // Numbers up to 15 digits are exact in a spreadsheet; student numbers, years and phone
        // numbers typed as numbers come back as whole floats.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        // An 18-digit ID number typed as a number has lost its last digits. Write it the way
        // the spreadsheet shows it, which the ID check recognises and explains.
        Data::Float(f) if f.abs() >= 1e15 => format!("{f:E}").replacen('E', "E+", 1),
        Data::Int(i) => i.to_string(),
        other => other.to_string(),
    }
}

fn read_spreadsheet(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, DomainError> {
    let broken = || file_error("invalid_xlsx", msg!("error.app.roster_xlsx_unreadable"));
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|_| broken())?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| file_error("empty_file", msg!("error.app.roster_no_sheet")))?
        .map_err(|_| broken())?;
    let first = range.start().map_or(0, |(row, _)| row as usize);
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, row)| (first + i + 1, row.iter().map(cell_text).collect()))
        .collect())
}

/// CSV as Excel writes it: UTF-8 with or without a BOM, or GBK ("CSV" on a Chinese Windows).
fn decode_text(bytes: &[u8]) -> Result<String, DomainError> {
    let not_text = || file_error("invalid_csv", msg!("error.app.roster_not_csv"));
    // Control bytes other than tabs and line breaks occur in no text encoding a spreadsheet
    // writes a CSV in (UTF-16 "Unicode text" included: it is full of NULs).
    if bytes
        .iter()
        .any(|b| *b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n'))
    {
        return Err(not_text());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::GBK
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(|s| s.into_owned())
            .ok_or_else(|| file_error("invalid_encoding", msg!("error.app.roster_encoding")))?,
    };
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
    {
        return Err(not_text());
    }
    Ok(text)
}

fn read_csv(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, DomainError> {
    let text = decode_text(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            file_error(
                "invalid_csv",
                msg!("error.app.roster_bad_csv_line", line = line),
            )
        })?;
        // A record's position is where the reader started looking for it, which is before
        // any blank lines it skipped.
        let line = record.position().map_or(rows.len() + 1, |p| {
            let skipped = text
                .get(p.byte() as usize..)
                .unwrap_or("")
                .bytes()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .filter(|b| *b == b'\n')
                .count();
            p.line() as usize + skipped
        });
        rows.push((line, record.iter().map(str::to_owned).collect()));
    }
    Ok(rows)
}

/// A file read and every row checked.
#[derive(Debug)]
pub struct CheckedFile {
    /// Data rows (blank lines not counted).
    pub rows_total: usize,
    /// The good rows with their line numbers.
    pub rows: Vec<(usize, RosterRow)>,
    /// The bad rows, in line order.
    pub problems: Vec<RowProblem>,
}

/// Every checked row of a file, and the problems of its bad rows. A file-level problem (not
/// readable, no header, too many rows) is an error.
pub fn check_file(file_name: &str, bytes: &[u8]) -> Result<CheckedFile, DomainError> {
    let table = read_table(file_name, bytes)?;
    let mut rows = table.into_iter();
    let Some((_, header_cells)) = rows.next() else {
        return Err(file_error(
            "empty_file",
            msg!("error.app.roster_no_content"),
        ));
    };
    let header = Header::parse(&header_cells)?;
    let data: Vec<(usize, Vec<String>)> = rows.collect();
    if data.is_empty() {
        return Err(file_error("no_rows", msg!("error.app.roster_no_rows")));
    }
    if data.len() > MAX_ROWS {
        return Err(file_error(
            "too_many_rows",
            msg!("error.app.roster_too_many_rows", max = MAX_ROWS),
        ));
    }
    let total = data.len();
    let mut good = Vec::with_capacity(total);
    let mut problems = Vec::new();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (line, cells) in data {
        match header.parse_row(&cells, line) {
            Ok(row) => match seen.get(&row.lookup_key()) {
                Some(first) => problems.push(RowProblem {
                    line,
                    field: roster::Column::StudentNumber.as_str(),
                    code: "duplicate_student",
                    message: msg!(
                        "error.app.roster_duplicate_student",
                        line = line,
                        first = *first
                    ),
                }),
                None => {
                    seen.insert(row.lookup_key(), line);
                    good.push((line, row));
                }
            },
            Err(e) => problems.push(RowProblem {
                line: e.line,
                field: e.field,
                code: e.code,
                message: e.report(),
            }),
        }
    }
    Ok(CheckedFile {
        rows_total: total,
        rows: good,
        problems,
    })
}

fn accepted(line: usize, row: &RosterRow, created: bool) -> AcceptedRow {
    AcceptedRow {
        line,
        school: row.school.clone(),
        student_number: row.student_number.clone(),
        name: row.name.clone(),
        id_masked: row.id_number.masked(),
        created,
    }
}

/// A name to show in the history: the uploaded file's, without any folder, bounded.
fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let s: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    if s.is_empty() { "roster".into() } else { s }
}

// ---------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------

impl App {
    fn roster_staff_of(&self, user: &User) -> AppResult<i64> {
        match (user.role, user.organizer_id) {
            (Role::OrganizerStaff, Some(o)) => Ok(o),
            _ => Err(AppError::Forbidden),
        }
    }

    /// HMAC-SHA256 under the installation's roster key of `purpose:salt:value`.
    fn roster_hash(&self, purpose: &str, salt: &str, value: &str) -> AppResult<String> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.roster_key).context("roster key length")?;
        for part in [purpose, ":", salt, ":", value] {
            mac.update(part.as_bytes());
        }
        Ok(hex::encode(mac.finalize().into_bytes()))
    }

    /// Imports a roster file for the staff member's organizer: every row, or — if any row is
    /// bad or the file cannot be read — nothing. A row already on the roster (same school and
    /// student number) is updated in place.
    #[tracing::instrument(skip_all, fields(user.id = user.id))]
    pub async fn import_roster(
        &self,
        user: &User,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> AppResult<ImportReport> {
        let organizer = self.roster_staff_of(user)?;
        let file_name = clean_file_name(file_name);
        let name = file_name.clone();
        // Parsing a large spreadsheet is CPU work; keep it off the request threads.
        let checked = tokio::task::spawn_blocking(move || check_file(&name, &bytes))
            .await
            .context("roster parsing task")??;
        let CheckedFile {
            rows_total,
            rows,
            problems,
        } = checked;
        if !problems.is_empty() {
            let problems_total = problems.len();
            return Ok(ImportReport {
                file_name,
                rows_total,
                imported: false,
                inserted: 0,
                updated: 0,
                accepted: rows.iter().map(|(l, r)| accepted(*l, r, false)).collect(),
                problems: problems.into_iter().take(MAX_REPORTED).collect(),
                problems_total,
            });
        }
        let salts = self.store.roster_salts(organizer).await?;
        let mut records = Vec::with_capacity(rows.len());
        for (_, row) in &rows {
            let (school_key, student_number) = row.lookup_key();
            let salt = match salts.get(&(school_key.clone(), student_number.clone())) {
                Some((salt, _)) => salt.clone(),
                None => hex::encode(rand::random::<[u8; 16]>()),
            };
            records.push(RosterRecord {
                id_hash: self.roster_hash("id", &salt, row.id_number.expose())?,
                id_tail_hash: self.roster_hash("tail", &salt, &row.id_number.tail())?,
                id_salt: salt,
                school: row.school.clone(),
                school_key,
                student_number,
                name: row.name.clone(),
                college: row.college.clone(),
                major: row.major.clone(),
                degree: row.degree.map(|d| d.as_str().to_owned()),
                graduation_year: row.graduation_year.map(i64::from),
                phone: row.phone.as_ref().map(|p| p.as_str().to_owned()),
            });
        }
        let written = self
            .store
            .roster_import(organizer, user.id, &file_name, &records, now_ms())
            .await?;
        tracing::info!(
            organizer.id = organizer,
            inserted = written.inserted,
            updated = written.updated,
            "roster imported"
        );
        Ok(ImportReport {
            file_name,
            rows_total,
            imported: true,
            inserted: written.inserted,
            updated: written.updated,
            accepted: rows
                .iter()
                .zip(&written.created)
                .map(|((l, r), c)| accepted(*l, r, *c))
                .collect(),
            problems: Vec::new(),
            problems_total: 0,
        })
    }

    /// The staff member's organizer's roster: how many students, how many matched, and the
    /// latest imports.
    pub async fn roster_overview(&self, user: &User) -> AppResult<RosterOverview> {
        let organizer = self.roster_staff_of(user)?;
        let (entries, matched) = self.store.roster_counts(organizer).await?;
        let imports = self.store.roster_imports(organizer, HISTORY).await?;
        Ok(RosterOverview {
            entries,
            matched,
            imports,
        })
    }

    /// 云就业匹配: signs a student in by school, student number, name and ID tail. The student
    /// account is the one already linked to the roster row, else the student with the roster's
    /// phone, else a new one. The student is marked verified and empty resume basics are filled
    /// from the roster. Returns the user and whether the account is new.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in_with_roster(
        &self,
        input: &MatchInput,
        consent: bool,
        ip: IpAddr,
    ) -> AppResult<(User, bool)> {
        self.limit(&self.limits.roster_ip, &ip).await?;
        for (value, field, label) in [
            (&input.school, "school", msg!("label.roster.column.school")),
            (
                &input.student_number,
                "student_number",
                msg!("label.roster.column.student_number"),
            ),
            (&input.name, "name", msg!("label.roster.column.name")),
        ] {
            if roster::normalize(value).is_empty() {
                return Err(DomainError::new(
                    "required",
                    field,
                    msg!("error.app.roster_required", label = label),
                )
                .into());
            }
        }
        let tail = roster::parse_id_tail(&input.id_tail)?;
        if !consent {
            return Err(DomainError::new(
                "consent_required",
                "consent",
                msg!("error.app.consent_required"),
            )
            .into());
        }
        let key = (
            roster::normalize(&input.school),
            roster::normalize(&input.student_number),
        );
        self.limit(&self.limits.roster_student, &key).await?;

        let candidates = self.store.roster_lookup(&key.0, &key.1).await?;
        let mut matched = Vec::new();
        let mut outcome = MatchOutcome::NotFound;
        for row in candidates {
            let tail_ok = bool::from(
                self.roster_hash("tail", &row.id_salt, &tail)?
                    .as_bytes()
                    .ct_eq(row.id_tail_hash.as_bytes()),
            );
            let o = roster::matches(
                &row.school,
                &row.student_number,
                &row.name,
                &input.school,
                &input.student_number,
                &input.name,
                tail_ok,
            );
            if o.is_match() {
                matched.push(row);
            } else if o != MatchOutcome::NotFound {
                outcome = o;
            }
        }
        let Some(first) = matched.first().cloned() else {
            tracing::info!(outcome = outcome.as_str(), "roster match failed");
            return Err(DomainError::new("roster_no_match", "form", outcome.message()).into());
        };

        let now = now_ms();
        let (mut user, mut created) = self.roster_student(&matched, &first, now).await?;
        let linked = self.store.roster_link_user(first.id, user.id, now).await?;
        if linked != user.id {
            // Another match of the same student won the race: use that account, and drop the
            // one made here, which nothing refers to yet.
            if created {
                self.store.delete_unlinked_student(user.id).await?;
            }
            user = self.store.user(linked).await?;
            created = false;
        }
        for row in matched.iter().filter(|r| r.id != first.id) {
            self.store.roster_link_user(row.id, user.id, now).await?;
        }
        self.store.mark_verified(user.id, now).await?;
        let fill = ResumeBasicsFill {
            name: Some(first.name.clone()),
            phone: first.phone.clone(),
            school: Some(first.school.clone()),
            college: first.college.clone(),
            major: first.major.clone(),
            degree: first.degree.clone(),
            graduation_year: first.graduation_year,
        };
        self.store.fill_resume_basics(user.id, &fill, now).await?;
        let percent = self.load_resume(user.id).await?.completeness().percent;
        self.store
            .roster_resume_completeness(user.id, i64::from(percent))
            .await?;
        self.store
            .record_consent(user.id, PRIVACY_NOTICE_VERSION, now)
            .await?;
        self.store.touch_login(user.id, now).await?;
        tracing::info!(user.id = user.id, created, "roster match signed in");
        Ok((user, created))
    }

    /// The student a matched row stands for: the one linked by an earlier match, or a new one.
    ///
    /// The roster's phone column is never trusted as a login: it comes from a file nobody has
    /// verified, so taking over the account that signs in with that phone would hand a stranger's
    /// resume and chats to whoever typed the row. The new account has no login phone; the roster's
    /// phone only fills the resume.
    async fn roster_student(
        &self,
        matched: &[RosterEntry],
        first: &RosterEntry,
        now: i64,
    ) -> AppResult<(User, bool)> {
        if let Some(id) = matched.iter().find_map(|r| r.user_id) {
            let user = self.store.user(id).await?;
            if user.role == Role::Student {
                return Ok((user, false));
            }
        }
        let new = NewUser {
            role: Role::Student,
            email: None,
            phone: None,
            password_hash: None,
            display_name: &first.name,
            organizer_id: None,
            employer_id: None,
            now,
        };
        let id = self.store.insert_user(&new).await?;
        Ok((self.store.user(id).await?, true))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const HEADER: &str = "学号,姓名,身份证号,学校,学院,专业,学历,毕业年份,手机号\n";

    #[test]
    fn a_csv_with_a_bom_parses() {
        let csv =
            format!("\u{FEFF}{HEADER}2021001,李明,11010519491231002X,天津大学,,,本科,2025,\n");
        let f = check_file("r.csv", csv.as_bytes()).unwrap();
        assert_eq!((f.rows_total, f.rows.len(), f.problems.len()), (1, 1, 0));
        assert_eq!(f.rows[0].0, 2);
    }

    #[test]
    fn a_gbk_csv_from_excel_parses() {
        let csv = format!("{HEADER}2021001,李明,11010519491231002X,天津大学,,,本科,2025,\n");
        let (gbk, _, failed) = encoding_rs::GBK.encode(&csv);
        assert!(!failed);
        assert!(std::str::from_utf8(&gbk).is_err());
        let f = check_file("r.csv", &gbk).unwrap();
        assert_eq!(f.rows[0].1.name, "李明");
        assert_eq!(f.rows[0].1.school, "天津大学");
    }

    #[test]
    fn blank_lines_are_skipped_and_lines_counted_from_the_header() {
        let csv = format!(
            "{HEADER}\n2021001,李明,11010519491231002X,天津大学\n,,,\n2021002,,11010519491231002X,天津大学\n"
        );
        let f = check_file("r.csv", csv.as_bytes()).unwrap();
        assert_eq!(f.rows_total, 2);
        assert_eq!(f.rows[0].0, 3);
        assert_eq!(f.problems[0].line, 5);
        assert_eq!(f.problems[0].field, "name");
    }

    #[test]
    fn binary_garbage_and_broken_spreadsheets_are_refused() {
        let garbage: Vec<u8> = (0..=255u8).cycle().take(2048).collect();
        assert_eq!(
            check_file("r.csv", &garbage).unwrap_err().code,
            "invalid_csv"
        );
        assert_eq!(
            check_file("r.xlsx", b"not a spreadsheet").unwrap_err().code,
            "invalid_xlsx"
        );
        assert_eq!(
            check_file("r.xlsx", b"PK\x03\x04garbage").unwrap_err().code,
            "invalid_xlsx"
        );
        assert_eq!(check_file("r.csv", b"").unwrap_err().code, "empty_file");
        assert_eq!(
            check_file("r.csv", HEADER.as_bytes()).unwrap_err().code,
            "no_rows"
        );
        assert_eq!(
            check_file("r.csv", "姓名,专业\n李明,软件\n".as_bytes())
                .unwrap_err()
                .code,
            "missing_columns"
        );
    }

    #[test]
    fn spreadsheet_numbers_read_as_people_typed_them() {
        assert_eq!(cell_text(&Data::Float(2021001.0)), "2021001");
        assert_eq!(cell_text(&Data::Float(13812345678.0)), "13812345678");
        assert_eq!(cell_text(&Data::Int(2025)), "2025");
        assert_eq!(cell_text(&Data::Empty), "");
        let id = cell_text(&Data::Float(110105194912310020.0));
        assert!(id.contains("E+") && id.contains('.'), "{id}");
        assert_eq!(
            fairhall_domain::roster::IdNumber::parse(&id)
                .unwrap_err()
                .code,
            "invalid_id_format"
        );
    }

    #[test]
    fn file_names_lose_their_folders() {
        assert_eq!(clean_file_name("C:\\Users\\a\\名单.xlsx"), "名单.xlsx");
        assert_eq!(clean_file_name("/tmp/x.csv"), "x.csv");
        assert_eq!(clean_file_name("  "), "roster");
    }
}
