//! Fair registrations (单位报名) and their audit log.
