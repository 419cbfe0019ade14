//! End-to-end journeys live in `tests/`: see `docs/testing.md`.
