//! Brochures (招聘简章).
