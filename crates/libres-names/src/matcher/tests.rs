//! Tests of the list matcher on small hand-made registries.

use super::*;
