//! Employers (单位): registration, profile, join requests (入驻) and their review, interviewers (面试官), positions (职位).
