//! Unit tests of the weekly update and a property test of the org chart's bookkeeping.
