-- 求职者大厅: a fair's students, latest entry first, a page at a time.
CREATE INDEX fair_entries_fair_entered ON fair_entries(fair_id, entered_at, student_id);
-- The latest ticket of a student with a registration is found by tickets_pair
-- (registration_id, student_id); exact filters on the resume.
CREATE INDEX resumes_degree_year ON resumes(degree, graduation_year);
