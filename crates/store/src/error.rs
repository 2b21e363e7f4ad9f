use fairhall_domain::call::CallStatus;
use fairhall_domain::ticket::Status as TicketStatus;
use thiserror::Error;

/// What can go wrong in the store. Callers branch on `Unique` (a unique constraint refused the
/// write, and which one), `Stale` (a compare-and-set found the row moved on, and what it is
/// now), `CallFull` and `NotFound`; everything else is an internal failure that is logged,
/// never shown.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("unique constraint violated: {0:?}")]
    Unique(Constraint),
    #[error("stale write: {0:?}")]
    Stale(Stale),
    /// A call already seats as many people as it may.
    #[error("call is full")]
    CallFull,
    #[error("not found")]
    NotFound,
    #[error("cannot open database: {0}")]
    Open(String),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// A caller's mistake the store noticed (e.g. a bulk insert keyed on a missing column).
    #[error("{0}")]
    Other(String),
    /// A stored status, origin, verdict, role or kind the domain does not know.
    #[error(transparent)]
    Corrupt(#[from] fairhall_domain::UnknownValue),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// The unique constraints a caller may want to tell apart. Named the same on both backends:
/// PostgreSQL reports the constraint's name, SQLite the columns it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constraint {
    /// `organizers.name`
    OrganizerName,
    /// `users.email` (index `users_email`)
    UserEmail,
    /// `users.phone` of students (index `users_student_phone`)
    StudentPhone,
    /// `fairs.entry_code`
    FairEntryCode,
    /// `employers.credit_code` (index `employers_credit_code`)
    EmployerCreditCode,
    /// one join request per employer and organizer
    JoinRequest,
    /// one registration per employer and fair
    Registration,
    /// one open ticket per student and registration (index `tickets_one_open`)
    OneOpenTicket,
    /// one ringing or active call per ticket (index `calls_one_live`)
    OneLiveCall,
    /// Any other: the name PostgreSQL gave, or the columns SQLite listed.
    Other(String),
}

/// Each known constraint with its PostgreSQL name and the columns SQLite names in its message
/// (`UNIQUE constraint failed: <columns>`).
const KNOWN: [(Constraint, &str, &str); 9] = [
    (
        Constraint::OrganizerName,
        "organizers_name_key",
        "organizers.name",
    ),
    (Constraint::UserEmail, "users_email", "users.email"),
    (
        Constraint::StudentPhone,
        "users_student_phone",
        "users.phone",
    ),
    (
        Constraint::FairEntryCode,
        "fairs_entry_code_key",
        "fairs.entry_code",
    ),
    (
        Constraint::EmployerCreditCode,
        "employers_credit_code",
        "employers.credit_code",
    ),
    (
        Constraint::JoinRequest,
        "join_requests_employer_id_organizer_id_key",
        "join_requests.employer_id, join_requests.organizer_id",
    ),
    (
        Constraint::Registration,
        "registrations_fair_id_employer_id_key",
        "registrations.fair_id, registrations.employer_id",
    ),
    (
        Constraint::OneOpenTicket,
        "tickets_one_open",
        "tickets.registration_id, tickets.student_id",
    ),
    (Constraint::OneLiveCall, "calls_one_live", "calls.ticket_id"),
];

impl Constraint {
    fn of(db: &dyn sqlx::error::DatabaseError) -> Constraint {
        if let Some(name) = db.constraint() {
            return KNOWN
                .iter()
                .find(|(_, pg, _)| *pg == name)
                .map(|(c, _, _)| c.clone())
                .unwrap_or_else(|| Constraint::Other(name.to_owned()));
        }
        let message = db.message();
        let columns = message
            .split_once("constraint failed: ")
            .map(|(_, cols)| cols.trim())
            .unwrap_or(message);
        KNOWN
            .iter()
            .find(|(_, _, cols)| *cols == columns)
            .map(|(c, _, _)| c.clone())
            .unwrap_or_else(|| Constraint::Other(columns.to_owned()))
    }
}

/// A compare-and-set that found its row moved on, with what the row is now (`None`: gone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stale {
    Ticket(Option<TicketStatus>),
    Call(Option<CallStatus>),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Unique(Constraint::of(db.as_ref()))
            }
            sqlx::Error::ColumnDecode { source, .. } => {
                match source.downcast_ref::<fairhall_domain::UnknownValue>() {
                    Some(unknown) => StoreError::Corrupt(unknown.clone()),
                    None => StoreError::Database(e),
                }
            }
            _ => StoreError::Database(e),
        }
    }
}
