//! Fair (场次) rules: the draft a staff member submits, windows, thresholds, entry codes.
