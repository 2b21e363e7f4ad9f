//! Resumes (简历): sections edited on a phone, the completeness score, and entering a fair (报名进入会场) behind the fair's threshold.
//!
//! Who may do what:
//! - a student reads and edits only their own resume; every save is parsed by the domain first,
//!   so invalid input changes nothing, and stores the completeness the save leads to;
//! - a student enters a fair when the resume reaches the fair's minimum completeness; entering
//!   again changes nothing;
//! - an employer admin or interviewer reads a student's resume inside a fair where the
//!   employer's registration is approved and the student entered.

use fairhall_domain::DomainError;
use fairhall_domain::account::{Email, Phone, Role};
use fairhall_domain::resume::{
    Award, AwardInput, Basics, BasicsInput, Completeness, Degree, Education, EducationInput,
    EntryRefused, Experience, ExperienceInput, Gender, JobIntention, Project, ProjectInput, Resume,
    Salary, Section, Suggestion, YearMonth, check_entry, check_room, completeness,
    parse_self_evaluation, parse_skills, to_reach,
};
use fairhall_store::entries::FairEntry;
use fairhall_store::fairs::Fair;
use fairhall_store::resumes::{BasicsColumns, ResumeChange, ResumeEntryRow, ResumeRow};
use fairhall_store::users::User;

use crate::files::{FileKind, StoredFile};
use crate::{App, AppError, AppResult, now_ms};

/// A resume as its owner edits it: the domain's resume, and the ids of the list entries in the
/// order of its vectors (`education_ids[i]` is the id of `resume.education[i]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadedResume {
    pub student_id: i64,
    pub resume: Resume,
    pub education_ids: Vec<i64>,
    pub experience_ids: Vec<i64>,
    pub project_ids: Vec<i64>,
    pub award_ids: Vec<i64>,
    /// The PDF's name as uploaded.
    pub attachment_name: Option<String>,
    /// When it was last saved; `None` for a resume never saved.
    pub updated_at: Option<i64>,
}

impl LoadedResume {
    /// The entry ids of a list section (empty for the others).
    pub fn ids(&self, section: Section) -> &[i64] {
        match section {
            Section::Education => &self.education_ids,
            Section::Experience => &self.experience_ids,
            Section::Projects => &self.project_ids,
            Section::Awards => &self.award_ids,
            _ => &[],
        }
    }

    pub fn completeness(&self) -> Completeness {
        completeness(&self.resume)
    }

    fn position(&self, section: Section, id: i64) -> Option<usize> {
        self.ids(section).iter().position(|x| *x == id)
    }
}

/// One entry of a list section as a form or the API sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryInput {
    Education(EducationInput),
    Experience(ExperienceInput),
    Project(ProjectInput),
    Award(AwardInput),
}

impl EntryInput {
    pub fn section(&self) -> Section {
        match self {
            EntryInput::Education(_) => Section::Education,
            EntryInput::Experience(_) => Section::Experience,
            EntryInput::Project(_) => Section::Projects,
            EntryInput::Award(_) => Section::Awards,
        }
    }

    /// Parses the entry; every broken rule, each with its field.
    pub fn parse(&self) -> Result<Entry, Vec<DomainError>> {
        Ok(match self {
            EntryInput::Education(i) => Entry::Education(Education::parse(i)?),
            EntryInput::Experience(i) => Entry::Experience(Experience::parse(i)?),
            EntryInput::Project(i) => Entry::Project(Project::parse(i)?),
            EntryInput::Award(i) => Entry::Award(Award::parse(i)?),
        })
    }
}

/// A parsed entry of a list section. Kept in `resume_entries.data` as the domain type's JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Education(Education),
    Experience(Experience),
    Project(Project),
    Award(Award),
}

impl Entry {
    pub fn section(&self) -> Section {
        match self {
            Entry::Education(_) => Section::Education,
            Entry::Experience(_) => Section::Experience,
            Entry::Project(_) => Section::Projects,
            Entry::Award(_) => Section::Awards,
        }
    }

    fn to_json(&self) -> AppResult<String> {
        let json = match self {
            Entry::Education(e) => serde_json::to_string(e),
            Entry::Experience(e) => serde_json::to_string(e),
            Entry::Project(e) => serde_json::to_string(e),
            Entry::Award(e) => serde_json::to_string(e),
        };
        json.map_err(|e| AppError::Internal(e.into()))
    }

    fn from_row(row: &ResumeEntryRow) -> AppResult<Entry> {
        let bad = |e: serde_json::Error| {
            AppError::Internal(anyhow::anyhow!(
                "resume entry {} does not parse: {e}",
                row.id
            ))
        };
        Ok(match Section::parse(&row.section) {
            Some(Section::Education) => {
                Entry::Education(serde_json::from_str(&row.data).map_err(bad)?)
            }
            Some(Section::Experience) => {
                Entry::Experience(serde_json::from_str(&row.data).map_err(bad)?)
            }
            Some(Section::Projects) => {
                Entry::Project(serde_json::from_str(&row.data).map_err(bad)?)
            }
            Some(Section::Awards) => Entry::Award(serde_json::from_str(&row.data).map_err(bad)?),
            _ => {
                return Err(AppError::Internal(anyhow::anyhow!(
                    "resume entry {} has section {}",
                    row.id,
                    row.section
                )));
            }
        })
    }

    /// Puts the entry into the resume: at `index`, replacing what is there, or at the end.
    fn place(self, l: &mut LoadedResume, index: Option<usize>, id: i64) {
        fn put<T>(list: &mut Vec<T>, ids: &mut Vec<i64>, item: T, index: Option<usize>, id: i64) {
            match index {
                Some(i) if i < list.len() => list[i] = item,
                _ => {
                    list.push(item);
                    ids.push(id);
                }
            }
        }
        let r = &mut l.resume;
        match self {
            Entry::Education(e) => put(&mut r.education, &mut l.education_ids, e, index, id),
            Entry::Experience(e) => put(&mut r.experience, &mut l.experience_ids, e, index, id),
            Entry::Project(e) => put(&mut r.projects, &mut l.project_ids, e, index, id),
            Entry::Award(e) => put(&mut r.awards, &mut l.award_ids, e, index, id),
        }
    }
}

fn remove_at(l: &mut LoadedResume, section: Section, index: usize) {
    let r = &mut l.resume;
    match section {
        Section::Education => {
            r.education.remove(index);
            l.education_ids.remove(index);
        }
        Section::Experience => {
            r.experience.remove(index);
            l.experience_ids.remove(index);
        }
        Section::Projects => {
            r.projects.remove(index);
            l.project_ids.remove(index);
        }
        Section::Awards => {
            r.awards.remove(index);
            l.award_ids.remove(index);
        }
        _ => {}
    }
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The basics as stored. Read leniently: a value the domain no longer accepts (or one another
/// feature wrote in a looser form, such as 本科 for the degree) is read when it can be and
/// otherwise shown as missing, never an error.
fn basics_of(row: &ResumeRow) -> Basics {
    fn text(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    Basics {
        name: text(&row.name).map(str::to_owned),
        gender: text(&row.gender).and_then(|s| Gender::parse(s).ok()),
        birth_month: text(&row.birth_month).and_then(|s| YearMonth::parse(s, "birth_month").ok()),
        phone: text(&row.phone).and_then(|s| Phone::parse(s).ok()),
        email: text(&row.email).and_then(|s| Email::parse(s).ok()),
        school: text(&row.school).map(str::to_owned),
        college: text(&row.college).map(str::to_owned),
        major: text(&row.major).map(str::to_owned),
        degree: text(&row.degree).and_then(Degree::from_text),
        graduation_year: row.graduation_year.and_then(|y| u16::try_from(y).ok()),
        intention: JobIntention {
            cities: lines(&row.cities),
            positions: lines(&row.intended_positions),
            salary: text(&row.salary).and_then(|s| Salary::parse(s).ok().flatten()),
        },
    }
}

fn columns_of(b: &Basics) -> BasicsColumns {
    BasicsColumns {
        name: b.name.clone(),
        gender: b.gender.map(|g| g.as_str().to_owned()),
        birth_month: b.birth_month.map(|m| m.to_string()),
        phone: b.phone.as_ref().map(|p| p.as_str().to_owned()),
        email: b.email.as_ref().map(|e| e.as_str().to_owned()),
        school: b.school.clone(),
        college: b.college.clone(),
        major: b.major.clone(),
        degree: b.degree.map(|d| d.as_str().to_owned()),
        graduation_year: b.graduation_year.map(i64::from),
        cities: b.intention.cities.join("\n"),
        intended_positions: b.intention.positions.join("\n"),
        salary: b.intention.salary.map(Salary::as_string),
    }
}

/// Several field errors at once become one `Invalid` for the first; pages parse again to show
/// each beside its field.
fn first_error(errors: Vec<DomainError>) -> AppError {
    errors
        .into_iter()
        .next()
        .map(AppError::Invalid)
        .unwrap_or_else(|| AppError::Internal(anyhow::anyhow!("empty error list")))
}

/// A fair's minimum completeness as a percent the domain takes.
pub fn threshold_of(fair: &Fair) -> u8 {
    u8::try_from(fair.min_completeness.clamp(0, 100)).unwrap_or(100)
}

/// What happened when a student asked to enter a fair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnterOutcome {
    /// The student is in; `first_time` is false when they had entered before.
    Entered { entry: FairEntry, first_time: bool },
    /// The resume is below the fair's threshold: the score, and what would lift it.
    Refused(EntryRefused),
}

/// Where a student stands with one fair.
#[derive(Debug, Clone)]
pub struct EntryStatus {
    pub fair: Fair,
    pub entered: Option<FairEntry>,
    pub percent: u8,
    pub threshold: u8,
    /// What to add to reach the threshold (empty when it is reached).
    pub missing: Vec<Suggestion>,
}

impl App {
    /// The student a user acts as.
    fn student_self(&self, user: &User) -> AppResult<i64> {
        if user.role == Role::Student {
            Ok(user.id)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// A student's resume with its entry ids; an empty one if nothing was saved yet. No access
    /// check: callers check who may read it.
    pub async fn load_resume(&self, student_id: i64) -> AppResult<LoadedResume> {
        let row = self.store.resume_row(student_id).await?;
        let mut l = LoadedResume {
            student_id,
            ..LoadedResume::default()
        };
        if let Some(row) = &row {
            l.resume.basics = basics_of(row);
            l.resume.skills = lines(&row.skills);
            l.resume.self_evaluation = row.self_evaluation.clone();
            l.resume.photo = row.photo_key.clone();
            l.resume.attachment = row.attachment_key.clone();
            l.attachment_name = row.attachment_name.clone();
            l.updated_at = Some(row.updated_at);
        }
        for entry in self.store.resume_entries(student_id).await? {
            Entry::from_row(&entry)?.place(&mut l, None, entry.id);
        }
        Ok(l)
    }

    /// A student's resume as the domain sees it (no access check).
    pub async fn resume(&self, student_id: i64) -> AppResult<Resume> {
        Ok(self.load_resume(student_id).await?.resume)
    }

    /// The signed-in student's own resume.
    pub async fn my_resume(&self, user: &User) -> AppResult<LoadedResume> {
        let me = self.student_self(user)?;
        self.load_resume(me).await
    }

    /// Writes one change whose effect on the resume `after` already shows.
    async fn write(
        &self,
        student_id: i64,
        after: &LoadedResume,
        change: ResumeChange<'_>,
    ) -> AppResult<Option<i64>> {
        let percent = i64::from(after.completeness().percent);
        Ok(self
            .store
            .save_resume(student_id, change, percent, now_ms())
            .await?)
    }

    /// Saves 基本信息. Returns the new completeness in percent.
    pub async fn save_resume_basics(&self, user: &User, input: &BasicsInput) -> AppResult<u8> {
        let me = self.student_self(user)?;
        let basics = Basics::parse(input).map_err(first_error)?;
        let mut l = self.load_resume(me).await?;
        let columns = columns_of(&basics);
        l.resume.basics = basics;
        self.write(me, &l, ResumeChange::Basics(&columns)).await?;
        Ok(l.completeness().percent)
    }

    /// Adds an entry to a list section, if it has room. Returns the entry's id.
    pub async fn add_resume_entry(&self, user: &User, input: &EntryInput) -> AppResult<i64> {
        let me = self.student_self(user)?;
        let entry = input.parse().map_err(first_error)?;
        let section = entry.section();
        let mut l = self.load_resume(me).await?;
        check_room(section, l.ids(section).len())?;
        let data = entry.to_json()?;
        entry.place(&mut l, None, 0);
        let id = self
            .write(
                me,
                &l,
                ResumeChange::AddEntry {
                    section: section.as_str(),
                    data: &data,
                },
            )
            .await?;
        id.ok_or_else(|| AppError::Internal(anyhow::anyhow!("no id for the new entry")))
    }

    /// Rewrites one of the student's entries. `NotFound` for an entry of another section or
    /// another student.
    pub async fn edit_resume_entry(
        &self,
        user: &User,
        id: i64,
        input: &EntryInput,
    ) -> AppResult<()> {
        let me = self.student_self(user)?;
        let mut l = self.load_resume(me).await?;
        let index = l.position(input.section(), id).ok_or(AppError::NotFound)?;
        let entry = input.parse().map_err(first_error)?;
        let data = entry.to_json()?;
        entry.place(&mut l, Some(index), id);
        self.write(me, &l, ResumeChange::EditEntry { id, data: &data })
            .await?;
        Ok(())
    }

    /// Deletes one of the student's entries.
    pub async fn delete_resume_entry(
        &self,
        user: &User,
        section: Section,
        id: i64,
    ) -> AppResult<()> {
        let me = self.student_self(user)?;
        let mut l = self.load_resume(me).await?;
        let index = l.position(section, id).ok_or(AppError::NotFound)?;
        remove_at(&mut l, section, index);
        self.write(me, &l, ResumeChange::DeleteEntry { id }).await?;
        Ok(())
    }

    /// Saves 技能与证书 (the whole list).
    pub async fn save_resume_skills(&self, user: &User, skills: &[String]) -> AppResult<u8> {
        let me = self.student_self(user)?;
        let skills = parse_skills(skills)?;
        let mut l = self.load_resume(me).await?;
        let text = skills.join("\n");
        l.resume.skills = skills;
        self.write(me, &l, ResumeChange::Skills(&text)).await?;
        Ok(l.completeness().percent)
    }

    /// Saves 自我评价.
    pub async fn save_self_evaluation(&self, user: &User, text: &str) -> AppResult<u8> {
        let me = self.student_self(user)?;
        let text = parse_self_evaluation(text)?;
        let mut l = self.load_resume(me).await?;
        l.resume.self_evaluation = text.clone();
        self.write(me, &l, ResumeChange::SelfEvaluation(&text))
            .await?;
        Ok(l.completeness().percent)
    }

    async fn set_resume_file(
        &self,
        me: i64,
        kind: FileKind,
        file: Option<&StoredFile>,
    ) -> AppResult<()> {
        let mut l = self.load_resume(me).await?;
        let id = match file {
            Some(f) => Some(
                self.store
                    .file_by_key(&f.key)
                    .await?
                    .ok_or_else(|| AppError::Internal(anyhow::anyhow!("stored file vanished")))?
                    .id,
            ),
            None => None,
        };
        let key = file.map(|f| f.key.clone());
        let change = if kind == FileKind::Photo {
            l.resume.photo = key;
            ResumeChange::Photo(id)
        } else {
            l.resume.attachment = key;
            ResumeChange::Attachment(id)
        };
        self.write(me, &l, change).await?;
        Ok(())
    }

    /// Uploads 证件照 (PNG, JPEG or WebP, judged by content), replacing the one before.
    pub async fn upload_resume_photo(
        &self,
        user: &User,
        bytes: Vec<u8>,
        original_name: &str,
    ) -> AppResult<StoredFile> {
        let me = self.student_self(user)?;
        let file = self
            .store_upload(me, FileKind::Photo, bytes, original_name, "photo")
            .await?;
        self.set_resume_file(me, FileKind::Photo, Some(&file))
            .await?;
        Ok(file)
    }

    pub async fn remove_resume_photo(&self, user: &User) -> AppResult<()> {
        let me = self.student_self(user)?;
        self.set_resume_file(me, FileKind::Photo, None).await
    }

    /// Uploads 附件简历 (a PDF, judged by content), replacing the one before.
    pub async fn upload_resume_attachment(
        &self,
        user: &User,
        bytes: Vec<u8>,
        original_name: &str,
    ) -> AppResult<StoredFile> {
        let me = self.student_self(user)?;
        let file = self
            .store_upload(me, FileKind::Attachment, bytes, original_name, "attachment")
            .await?;
        self.set_resume_file(me, FileKind::Attachment, Some(&file))
            .await?;
        Ok(file)
    }

    pub async fn remove_resume_attachment(&self, user: &User) -> AppResult<()> {
        let me = self.student_self(user)?;
        self.set_resume_file(me, FileKind::Attachment, None).await
    }

    /// Where the student stands with a fair: entered or not, the score, and what to add.
    pub async fn fair_entry_status(&self, user: &User, fair_id: i64) -> AppResult<EntryStatus> {
        let me = self.student_self(user)?;
        let fair = self.store.fair(fair_id).await?;
        self.entry_status_of(me, fair).await
    }

    /// The same, for a fair by its entry code.
    pub async fn fair_entry_status_by_code(
        &self,
        user: &User,
        code: &str,
    ) -> AppResult<EntryStatus> {
        let me = self.student_self(user)?;
        let fair = self.fair_by_code(code).await?.ok_or(AppError::NotFound)?;
        self.entry_status_of(me, fair).await
    }

    async fn entry_status_of(&self, me: i64, fair: Fair) -> AppResult<EntryStatus> {
        let resume = self.resume(me).await?;
        let threshold = threshold_of(&fair);
        Ok(EntryStatus {
            entered: self.store.fair_entry(fair.id, me).await?,
            percent: completeness(&resume).percent,
            missing: to_reach(&resume, threshold),
            threshold,
            fair,
        })
    }

    /// 报名进入会场: enters the fair if the resume reaches its minimum completeness. Entering
    /// again is harmless: the first entry stands, whatever the resume is now.
    pub async fn enter_fair(&self, user: &User, fair_id: i64) -> AppResult<EnterOutcome> {
        let me = self.student_self(user)?;
        let fair = self.store.fair(fair_id).await?;
        if let Some(entry) = self.store.fair_entry(fair.id, me).await? {
            return Ok(EnterOutcome::Entered {
                entry,
                first_time: false,
            });
        }
        let resume = self.resume(me).await?;
        if let Err(refused) = check_entry(&resume, threshold_of(&fair)) {
            return Ok(EnterOutcome::Refused(refused));
        }
        let percent = i64::from(completeness(&resume).percent);
        let entry = self
            .store
            .insert_fair_entry(fair.id, me, percent, now_ms())
            .await?;
        Ok(EnterOutcome::Entered {
            entry,
            first_time: true,
        })
    }

    /// A student's resume as an employer sees it: only inside a fair where the employer's
    /// registration is approved and the student entered. Anything else is `NotFound`, so an
    /// employer learns nothing about students outside its fairs.
    pub async fn resume_for_employer(
        &self,
        viewer: &User,
        fair_id: i64,
        student_id: i64,
    ) -> AppResult<LoadedResume> {
        let employer = match (viewer.role, viewer.employer_id) {
            (Role::EmployerAdmin | Role::Interviewer, Some(e)) => e,
            _ => return Err(AppError::Forbidden),
        };
        if !self
            .store
            .employer_may_see_student_in(employer, student_id, fair_id)
            .await?
        {
            return Err(AppError::NotFound);
        }
        self.load_resume(student_id).await
    }
}
