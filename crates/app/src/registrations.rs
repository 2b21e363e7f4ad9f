//! Fair registrations (单位报名): sign-up, review, changes by organizer staff with an audit log.
