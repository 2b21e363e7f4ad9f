//! Enums that the store keeps as text: each names its values with `as_str` and lists them in
//! `ALL`, and `TryFrom<String>` turns a column back into the enum. The store decodes every
//! status, origin, verdict, role and kind column this way when it reads a row, so nothing above
//! it compares strings.

use thiserror::Error;

/// A stored text that names none of an enum's values: the database was written by something
/// else. Never the user's fault.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown {kind} {value:?}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

/// `TryFrom<String>` and `TryFrom<&str>` for an enum with `ALL` and `as_str`.
macro_rules! stored_as_text {
    ($($ty:ty => $kind:literal),+ $(,)?) => {$(
        impl TryFrom<&str> for $ty {
            type Error = $crate::stored::UnknownValue;

            fn try_from(s: &str) -> Result<Self, Self::Error> {
                <$ty>::ALL
                    .into_iter()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| $crate::stored::UnknownValue {
                        kind: $kind,
                        value: s.to_owned(),
                    })
            }
        }

        impl TryFrom<String> for $ty {
            type Error = $crate::stored::UnknownValue;

            fn try_from(s: String) -> Result<Self, Self::Error> {
                <$ty>::try_from(s.as_str())
            }
        }
    )+};
}

stored_as_text! {
    crate::account::Role => "role",
    crate::fair::OrganizerKind => "organizer kind",
    crate::review::JoinStatus => "join status",
    crate::review::RegistrationStatus => "registration status",
    crate::ticket::Status => "ticket status",
    crate::ticket::Origin => "ticket origin",
    crate::ticket::Verdict => "verdict",
    crate::ticket::Side => "side",
    crate::call::CallStatus => "call status",
    crate::call::Seat => "call seat",
    crate::file::FileKind => "file kind",
    crate::notification::Kind => "notification kind",
    crate::notification::Channel => "outbox channel",
    crate::notification::Delivery => "outbox delivery",
}

#[cfg(test)]
mod tests {
    use crate::account::Role;
    use crate::call::{CallStatus, Seat};
    use crate::fair::OrganizerKind;
    use crate::file::FileKind;
    use crate::notification::{Channel, Delivery, Kind};
    use crate::review::{JoinStatus, RegistrationStatus};
    use crate::ticket::{Origin, Side, Status, Verdict};

    /// Every value comes back from its own text, and a text it does not know is refused with
    /// the kind named.
    fn round_trips<T>(all: &[T], as_str: fn(&T) -> &'static str)
    where
        T: Copy + PartialEq + std::fmt::Debug + TryFrom<String, Error = super::UnknownValue>,
    {
        for v in all {
            assert_eq!(T::try_from(as_str(v).to_owned()), Ok(*v));
        }
        let err = T::try_from("no such value".to_owned()).expect_err("unknown text");
        assert_eq!(err.value, "no such value");
        assert!(err.to_string().contains(err.kind));
    }

    #[test]
    fn every_stored_enum_round_trips_through_its_text() {
        round_trips(&Role::ALL, |v| v.as_str());
        round_trips(&OrganizerKind::ALL, |v| v.as_str());
        round_trips(&JoinStatus::ALL, |v| v.as_str());
        round_trips(&RegistrationStatus::ALL, |v| v.as_str());
        round_trips(&Status::ALL, |v| v.as_str());
        round_trips(&Origin::ALL, |v| v.as_str());
        round_trips(&Verdict::ALL, |v| v.as_str());
        round_trips(&Side::ALL, |v| v.as_str());
        round_trips(&CallStatus::ALL, |v| v.as_str());
        round_trips(&Seat::ALL, |v| v.as_str());
        round_trips(&FileKind::ALL, |v| v.as_str());
        round_trips(&Kind::ALL, |v| v.as_str());
        round_trips(&Channel::ALL, |v| v.as_str());
        round_trips(&Delivery::ALL, |v| v.as_str());
    }
}
