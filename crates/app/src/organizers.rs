//! Organizers (主办方) and their staff accounts, created by the platform admin.
