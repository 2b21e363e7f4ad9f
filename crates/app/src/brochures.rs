//! Recruitment brochures (招聘简章).
