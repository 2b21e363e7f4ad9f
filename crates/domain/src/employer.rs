//! Employer (单位) rules: the registration form, profile fields, positions (职位).
