//! Feature unification only; no code.
