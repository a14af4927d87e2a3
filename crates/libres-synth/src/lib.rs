//! Synthetic data for Libres, made from fixed seeds so that every run
//! gives the same data.
//!
//! What belongs here: [`demo`], the registry `libres demo` and `libres
//! seed-demo` create (labelled synthetic: no real person's name; every
//! page says so), and [`testset`], the official-style name lists with
//! their ground truth that `libres gen-name-testset` writes for measuring
//! the matcher.
//!
//! What does not: anything a real registry runs on. Nothing in the
//! application depends on this crate; the binary uses it for its demo and
//! test-set commands, the tests and benchmarks for their data.

pub mod demo;
pub mod testset;
