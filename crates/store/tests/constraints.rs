//! Every unique constraint the store tells apart ([`Constraint`]) is named the same on both
//! backends: PostgreSQL reports the constraint's or index's name, SQLite the columns it covers
//! (`UNIQUE constraint failed: <columns>`), and `error.rs` maps both to one variant.
//!
//! Each case writes the same row twice through the store's own methods; the first write must
//! succeed and the second must fail with `StoreError::Unique` of that constraint. A unique
//! constraint the store does not name (`files.storage_key`) must come back as
//! `Constraint::Other` with what the database said. SQLite runs in a temporary folder;
//! PostgreSQL (`TEST_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432`) in a database
//! of its own, dropped at the end, also when the test fails.
//!
//! The cases are listed once, in `provoked!`: it builds both the list that is run and a
//! `match` over `Constraint` with no catch-all, so a new variant does not compile until it is
//! listed with the case that provokes it.

use fairhall_domain::account::Role;
use fairhall_domain::fair::OrganizerKind;
use fairhall_domain::file::FileKind;
use fairhall_domain::ticket::{Origin, Side, Status};
use fairhall_store::calls::NewParticipant;
use fairhall_store::employers::ProfileFields;
use fairhall_store::fairs::Fair;
use fairhall_store::files::FileRow;
use fairhall_store::registrations::RegistrationContent;
use fairhall_store::tickets::NewTicket;
use fairhall_store::users::NewUser;
use fairhall_store::{Backend, Constraint, Store, StoreError};

const NOW: i64 = 1_750_000_000_000;

/// What went wrong in one case, as a line of the test's report.
type Case<T = StoreError> = Result<T, String>;

/// A row the case needs before its own write.
fn setup<T>(what: &str, written: fairhall_store::Result<T>) -> Case<T> {
    written.map_err(|e| format!("setting up ({what}) failed: {e:?}"))
}

/// Writes the row once, which must succeed, then again; the answer is the second write's error.
async fn twice<T>(write: impl AsyncFn() -> fairhall_store::Result<T>) -> Case {
    if let Err(e) = write().await {
        return Err(format!("the first write failed: {e:?}"));
    }
    match write().await {
        Ok(_) => Err("the second write succeeded".into()),
        Err(e) => Ok(e),
    }
}

macro_rules! provoked {
    ($($variant:ident => $case:ident),+ $(,)?) => {
        /// Every variant of `Constraint` but `Other`, in the order they are provoked.
        const PROVOKED: &[Constraint] = &[$(Constraint::$variant),+];

        /// Writes a row twice so that the second write hits `constraint`; the second write's
        /// error. No catch-all: a new variant of `Constraint` stops the build here until it is
        /// listed in `provoked!` with its case.
        async fn provoke(store: &Store, constraint: &Constraint) -> Case {
            match constraint {
                $(Constraint::$variant => $case(store).await,)+
                Constraint::Other(_) => Err("Other is provoked by `unnamed`".into()),
            }
        }
    };
}

provoked! {
    OrganizerName => organizer_name,
    UserEmail => user_email,
    StudentPhone => student_phone,
    FairEntryCode => fair_entry_code,
    EmployerCreditCode => employer_credit_code,
    JoinRequest => join_request,
    Registration => registration,
    OneOpenTicket => one_open_ticket,
    OneLiveCall => one_live_call,
}

// ---------- the rows the cases stand on ----------

async fn organizer(store: &Store, tag: &str) -> Case<i64> {
    let name = format!("主办方 {tag}");
    setup(
        "organizer",
        store
            .insert_organizer(&name, OrganizerKind::University, NOW)
            .await,
    )
}

async fn employer(store: &Store, tag: &str) -> Case<i64> {
    setup(
        "employer",
        store.insert_employer(&format!("单位 {tag}"), NOW).await,
    )
}

fn fair_row(organizer_id: i64, entry_code: &str) -> Fair {
    Fair {
        id: 0,
        organizer_id,
        title: format!("双选会 {entry_code}"),
        details: String::new(),
        signup_opens_at: NOW,
        signup_closes_at: NOW + 1,
        starts_at: NOW + 2,
        ends_at: NOW + 3,
        min_completeness: 70,
        employer_limit: None,
        entry_code: entry_code.to_owned(),
        created_at: NOW,
    }
}

async fn fair(store: &Store, tag: &str) -> Case<i64> {
    let organizer_id = organizer(store, tag).await?;
    setup(
        "fair",
        store
            .insert_fair(&fair_row(organizer_id, &format!("code-{tag}")))
            .await,
    )
}

fn user_row<'a>(role: Role, email: Option<&'a str>, phone: Option<&'a str>) -> NewUser<'a> {
    NewUser {
        role,
        email,
        phone,
        password_hash: None,
        display_name: "用户",
        organizer_id: None,
        employer_id: None,
        now: NOW,
    }
}

async fn student(store: &Store, phone: &str) -> Case<i64> {
    setup(
        "student",
        store
            .insert_user(&user_row(Role::Student, None, Some(phone)))
            .await,
    )
}

const NO_CHOICES: RegistrationContent<'static> = RegistrationContent {
    position_ids: &[],
    interviewer_ids: &[],
    contact_name: "联系人",
    contact_phone: "13800000000",
    brochure_id: None,
};

/// A fair with one employer registered for it and one student: what a ticket needs.
async fn ticket_row(store: &Store, tag: &str, phone: &str) -> Case<NewTicket> {
    let fair_id = fair(store, tag).await?;
    let employer_id = employer(store, tag).await?;
    let registration_id = setup(
        "registration",
        store
            .insert_registration(fair_id, employer_id, &NO_CHOICES, NOW)
            .await,
    )?;
    let student_id = student(store, phone).await?;
    Ok(NewTicket {
        fair_id,
        registration_id,
        employer_id,
        student_id,
        origin: Origin::Applied,
        status: Status::Pending,
        position_id: None,
        created_by: student_id,
    })
}

// ---------- the cases ----------

async fn organizer_name(store: &Store) -> Case {
    twice(async || {
        store
            .insert_organizer("同名主办方", OrganizerKind::City, NOW)
            .await
    })
    .await
}

async fn user_email(store: &Store) -> Case {
    let user = user_row(Role::PlatformAdmin, Some("same@example.com"), None);
    twice(async || store.insert_user(&user).await).await
}

async fn student_phone(store: &Store) -> Case {
    let user = user_row(Role::Student, None, Some("13900000001"));
    twice(async || store.insert_user(&user).await).await
}

async fn fair_entry_code(store: &Store) -> Case {
    let organizer_id = organizer(store, "entry-code").await?;
    let row = fair_row(organizer_id, "same-code");
    twice(async || store.insert_fair(&row).await).await
}

async fn employer_credit_code(store: &Store) -> Case {
    let profile = ProfileFields {
        name: "同码单位",
        credit_code: "91110000000000000X",
        contact_name: "联系人",
        contact_phone: "13800000000",
        contact_email: "hr@example.com",
        industry: "软件",
        size: "100-499",
        city: "北京",
        address: None,
        description: None,
    };
    twice(async || store.insert_employer_profile(&profile, NOW).await).await
}

async fn join_request(store: &Store) -> Case {
    let organizer_id = organizer(store, "join").await?;
    let employer_id = employer(store, "join").await?;
    twice(async || {
        store
            .insert_join_request(employer_id, organizer_id, NOW)
            .await
    })
    .await
}

async fn registration(store: &Store) -> Case {
    let fair_id = fair(store, "registration").await?;
    let employer_id = employer(store, "registration").await?;
    twice(async || {
        store
            .insert_registration(fair_id, employer_id, &NO_CHOICES, NOW)
            .await
    })
    .await
}

async fn one_open_ticket(store: &Store) -> Case {
    let ticket = ticket_row(store, "open-ticket", "13900000002").await?;
    twice(async || store.insert_ticket(&ticket, NOW).await).await
}

async fn one_live_call(store: &Store) -> Case {
    let ticket = ticket_row(store, "live-call", "13900000003").await?;
    let ticket_id = setup("ticket", store.insert_ticket(&ticket, NOW).await)?;
    let caller = NewParticipant {
        user_id: ticket.student_id,
        side: Side::Student,
    };
    twice(async || {
        store
            .insert_call(ticket_id, caller, &[], NOW, NOW + 30_000)
            .await
    })
    .await
}

/// A unique constraint the store has no name for: a file's storage key.
async fn unnamed(store: &Store) -> Case {
    let owner_user_id = setup(
        "owner",
        store
            .insert_user(&user_row(
                Role::PlatformAdmin,
                Some("owner@example.com"),
                None,
            ))
            .await,
    )?;
    let file = FileRow {
        id: 0,
        storage_key: "same/key".into(),
        kind: FileKind::Logo,
        content_type: "image/png".into(),
        size: 1,
        sha256: "00".into(),
        original_name: "logo.png".into(),
        owner_user_id,
        created_at: NOW,
    };
    twice(async || store.insert_file(&file).await).await
}

/// Runs every case on `store`; one line per case that did not answer as expected.
async fn mismatches(store: &Store) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |what: String, expected: Constraint, got: Case| match got {
        Ok(StoreError::Unique(c)) if c == expected => {}
        Ok(other) => out.push(format!(
            "{what}: expected Unique({expected:?}), got {other:?}"
        )),
        Err(e) => out.push(format!("{what}: {e}")),
    };
    for constraint in PROVOKED {
        let got = provoke(store, constraint).await;
        check(format!("{constraint:?}"), constraint.clone(), got);
    }
    // PostgreSQL names the column's constraint `<table>_<column>_key`.
    let other = match store.backend() {
        Backend::Sqlite => "files.storage_key",
        Backend::Postgres => "files_storage_key_key",
    };
    check(
        "files.storage_key".into(),
        Constraint::Other(other.into()),
        unnamed(store).await,
    );
    out
}

fn assert_none(backend: &str, found: &[String]) {
    assert!(
        found.is_empty(),
        "{backend}: unique violations mapped wrongly:\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn every_constraint_but_other_is_provoked_once() {
    // That none is left out is checked by the build (`provoke` has no catch-all); here, that
    // none is listed twice and `Other` is not among them.
    for (i, c) in PROVOKED.iter().enumerate() {
        assert!(!matches!(c, Constraint::Other(_)), "Other is in PROVOKED");
        assert!(
            !PROVOKED[..i].contains(c),
            "{c:?} is listed twice in provoked!"
        );
    }
}

#[tokio::test]
async fn sqlite_names_each_unique_constraint() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = Store::open_sqlite(dir.path()).await.expect("open SQLite");
    store.migrate().await.expect("migrate SQLite");
    let found = mismatches(&store).await;
    store.close().await;
    assert_none("sqlite", &found);
}

/// A PostgreSQL database for one test, dropped when this is dropped (also when the test
/// panics). The name follows the other tests' `fh_test_<unix seconds>_…`, so a database left
/// behind by a killed run is swept with theirs.
struct Database {
    server: String,
    name: String,
}

impl Database {
    async fn create() -> Database {
        let server = std::env::var("TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
        let admin = Store::connect(&format!("{server}/postgres"))
            .await
            .expect("PostgreSQL must be reachable for this test (set TEST_POSTGRES_URL)");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("the clock is after 1970")
            .as_secs();
        let name = format!("fh_test_{now}_constraints{:08x}", rand::random::<u32>());
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(admin.pool())
            .await
            .expect("CREATE DATABASE");
        admin.close().await;
        Database { server, name }
    }

    fn url(&self) -> String {
        format!("{}/{}", self.server, self.name)
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        // Drop may run inside the test's runtime, which cannot be blocked on: the database is
        // dropped from a thread with a runtime of its own.
        let (server, name) = (self.server.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || -> Result<(), String> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let admin = Store::connect(&format!("{server}/postgres"))
                    .await
                    .map_err(|e| e.to_string())?;
                let done = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(admin.pool())
                .await;
                admin.close().await;
                done.map(|_| ()).map_err(|e| e.to_string())
            })
        })
        .join();
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("could not drop the test database {}: {e}", self.name),
            Err(_) => eprintln!("could not drop the test database {}", self.name),
        }
    }
}

#[tokio::test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 (run by .ci/run)"]
async fn postgres_names_each_unique_constraint() {
    let database = Database::create().await;
    let store = Store::connect(&database.url())
        .await
        .expect("connect to the test database");
    store.migrate().await.expect("migrate PostgreSQL");
    let found = mismatches(&store).await;
    store.close().await;
    drop(database);
    assert_none("postgres", &found);
}
