//! The Fellegi–Sunter model: for every field and level, the probability of
//! that level among true matches (`m`) and among non-matches (`u`), and the
//! share of matches among the compared pairs (`lambda`). Estimated by
//! expectation–maximisation over the pairs' comparison patterns, without
//! labels.
//!
//! A pair's *weight* is the sum over fields of `log2(m / u)` for the level
//! it reached (0 for a missing value) plus the prior `log2(λ / (1 − λ))`;
//! its match probability is `1 / (1 + 2^−weight)`.

use crate::compare::{EXACT_LEVEL, NULL_LEVEL};

/// Bits per field in a packed pattern.
const BITS: u32 = 4;
/// The most fields a pattern can hold.
pub const MAX_FIELDS: usize = 16;

/// A pair's levels, one per field, packed four bits each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pattern(pub u64);

impl Pattern {
    /// The level of `field`.
    pub fn level(self, field: usize) -> u8 {
        ((self.0 >> (BITS as usize * field)) & 0xF) as u8
    }

    /// Sets the level of `field` (levels are below 16).
    pub fn with(self, field: usize, level: u8) -> Pattern {
        let shift = BITS as usize * field;
        Pattern((self.0 & !(0xF << shift)) | (u64::from(level & 0xF) << shift))
    }
}

/// Probabilities are kept away from 0 and 1 so that no single field can
/// make a weight infinite.
const FLOOR: f64 = 1e-6;

/// Estimated parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Share of true matches among the pairs the model was fitted on.
    pub lambda: f64,
    /// `m[field][level]`: P(level | match); index 0 (missing) unused.
    pub m: Vec<Vec<f64>>,
    /// `u[field][level]`: P(level | non-match); index 0 unused.
    pub u: Vec<Vec<f64>>,
    /// EM iterations run.
    pub iterations: usize,
}

impl Model {
    /// A starting point: `levels[f]` levels per field; agreement is likely
    /// among matches, `u` as given (e.g. from random pairs).
    pub fn initial(levels: &[usize], u: Vec<Vec<f64>>, lambda: f64) -> Model {
        let m = levels
            .iter()
            .map(|&n| {
                // Exact agreement 0.9 for matches, the rest spread with the
                // weakest (disagreement) last.
                let mut row = vec![0.0; n];
                let graded = n.saturating_sub(3);
                row[EXACT_LEVEL as usize] = 0.9;
                for (i, cell) in row.iter_mut().enumerate().skip(2).take(graded) {
                    *cell = 0.06 / (i as f64);
                }
                let used: f64 = row.iter().sum();
                row[n - 1] = (1.0 - used).max(0.01);
                normalise(&mut row);
                row
            })
            .collect();
        Model {
            lambda: lambda.clamp(FLOOR, 1.0 - FLOOR),
            m,
            u,
            iterations: 0,
        }
    }

    /// The weight of `field` at `level` (0 for a missing value).
    pub fn weight(&self, field: usize, level: u8) -> f64 {
        if level == NULL_LEVEL {
            return 0.0;
        }
        let l = level as usize;
        (self.m[field][l] / self.u[field][l]).log2()
    }

    /// The prior weight `log2(λ / (1 − λ))`.
    pub fn prior_weight(&self) -> f64 {
        (self.lambda / (1.0 - self.lambda)).log2()
    }

    /// The weight of a whole pattern, prior included.
    pub fn pattern_weight(&self, p: Pattern) -> f64 {
        self.prior_weight()
            + (0..self.m.len())
                .map(|f| self.weight(f, p.level(f)))
                .sum::<f64>()
    }

    /// Fits `m`, `lambda` and, unless `fix_u`, `u` to the counted patterns
    /// by EM, starting from `self`. Stops when no parameter moves by more
    /// than 1e-7 or after `max_iterations`. Deterministic: patterns are
    /// visited in the order given.
    pub fn fit(&mut self, patterns: &[(Pattern, u64)], fix_u: bool, max_iterations: usize) {
        let all = vec![true; self.m.len()];
        self.fit_some(patterns, &all, !fix_u, max_iterations);
    }

    /// As [`Model::fit`], updating `m` only for the fields marked in
    /// `update_m` (`lambda` always; `u` when `update_u`). Fields a set of
    /// pairs was selected on (blocked on) say nothing about their own `m`
    /// in that set, so their `m` is left alone.
    pub fn fit_some(
        &mut self,
        patterns: &[(Pattern, u64)],
        update_m: &[bool],
        update_u: bool,
        max_iterations: usize,
    ) {
        let fields = self.m.len();
        let total: f64 = patterns.iter().map(|(_, c)| *c as f64).sum();
        if total == 0.0 {
            return;
        }
        for it in 0..max_iterations {
            let mut mc: Vec<Vec<f64>> = self.m.iter().map(|r| vec![0.0; r.len()]).collect();
            let mut uc = mc.clone();
            let mut matches = 0.0;
            // Weights once per iteration, not once per pattern and field.
            let table: Vec<Vec<f64>> = (0..fields)
                .map(|f| {
                    (0..self.m[f].len())
                        .map(|l| self.weight(f, l as u8))
                        .collect()
                })
                .collect();
            let prior = self.prior_weight();
            for &(p, count) in patterns {
                let w = prior
                    + (0..fields)
                        .map(|f| table[f][p.level(f) as usize])
                        .sum::<f64>();
                let prob = 1.0 / (1.0 + (-w).exp2());
                let c = count as f64;
                matches += prob * c;
                for f in 0..fields {
                    let l = p.level(f) as usize;
                    if l != NULL_LEVEL as usize {
                        mc[f][l] += prob * c;
                        uc[f][l] += (1.0 - prob) * c;
                    }
                }
            }
            let mut moved: f64 = 0.0;
            let lambda = (matches / total).clamp(FLOOR, 1.0 - FLOOR);
            moved = moved.max((lambda - self.lambda).abs());
            self.lambda = lambda;
            for f in 0..fields {
                if update_m.get(f).copied().unwrap_or(false) {
                    moved = moved.max(update(&mut self.m[f], &mut mc[f]));
                }
                if update_u {
                    moved = moved.max(update(&mut self.u[f], &mut uc[f]));
                }
            }
            self.iterations = it + 1;
            if moved < 1e-7 {
                break;
            }
        }
    }
}

/// Replaces `row` by the normalised expected counts (keeping the old row
/// when a field was never observed) and says how far it moved.
fn update(row: &mut [f64], counts: &mut [f64]) -> f64 {
    let seen: f64 = counts.iter().skip(1).sum();
    if seen <= 0.0 {
        return 0.0;
    }
    normalise(counts);
    let mut moved: f64 = 0.0;
    for (old, new) in row.iter_mut().zip(counts.iter()).skip(1) {
        moved = moved.max((*old - *new).abs());
        *old = *new;
    }
    moved
}

/// Makes levels 1.. sum to 1, none below the floor.
pub fn normalise(row: &mut [f64]) {
    if row.is_empty() {
        return;
    }
    row[0] = 0.0;
    for x in row.iter_mut().skip(1) {
        *x = x.max(FLOOR);
    }
    let sum: f64 = row.iter().skip(1).sum();
    for x in row.iter_mut().skip(1) {
        *x /= sum;
    }
}

/// Holds levels of a normalised row at or below their caps, `(level,
/// most)`, and shares what they lose among the other levels in
/// proportion, so the row still sums to 1 and every cap holds exactly
/// (lowering some and normalising would lift the capped levels again).
/// Levels already under their cap are left as they are.
pub fn cap(row: &mut [f64], caps: &[(usize, f64)]) {
    let capped = |i: usize| caps.iter().any(|&(level, _)| level == i);
    let mut freed = 0.0;
    for &(level, most) in caps {
        if let Some(x) = row.get_mut(level) {
            if *x > most {
                freed += *x - most;
                *x = most;
            }
        }
    }
    let rest: f64 = (1..row.len()).filter(|&i| !capped(i)).map(|i| row[i]).sum();
    if freed <= 0.0 || rest <= 0.0 {
        return;
    }
    let scale = (rest + freed) / rest;
    for (i, x) in row.iter_mut().enumerate().skip(1) {
        if !capped(i) {
            *x *= scale;
        }
    }
}

/// Match probability of a weight.
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_hold_exactly_and_the_rest_keeps_its_proportions() {
        let mut row = vec![0.0, 0.5, 0.2, 0.2, 0.1];
        cap(&mut row, &[(3, 0.05), (4, 0.02)]);
        assert!((row[3] - 0.05).abs() < 1e-12, "{row:?}");
        assert!((row[4] - 0.02).abs() < 1e-12, "{row:?}");
        assert!(
            (row.iter().skip(1).sum::<f64>() - 1.0).abs() < 1e-12,
            "{row:?}"
        );
        assert!((row[1] / row[2] - 2.5).abs() < 1e-12, "{row:?}");
        // Normalising after lowering, as the year caps once did, lifts
        // the capped levels back above their caps.
        let mut lowered = vec![0.0, 0.5, 0.2, 0.2, 0.1];
        lowered[3] = 0.05;
        lowered[4] = 0.02;
        normalise(&mut lowered);
        assert!(lowered[4] > 0.02, "{lowered:?}");
    }

    #[test]
    fn a_level_under_its_cap_is_left_alone() {
        let mut row = vec![0.0, 0.9, 0.09, 0.01];
        cap(&mut row, &[(3, 0.02)]);
        assert_eq!(row, vec![0.0, 0.9, 0.09, 0.01]);
    }

    #[test]
    fn patterns_pack_and_unpack_levels() {
        let p = Pattern::default().with(0, 3).with(5, 15).with(15, 1);
        assert_eq!(p.level(0), 3);
        assert_eq!(p.level(5), 15);
        assert_eq!(p.level(15), 1);
        assert_eq!(p.level(1), 0);
        assert_eq!(p.with(5, 2).level(5), 2);
    }

    /// Two fields of three levels (missing, agree, disagree). Matches agree
    /// on both 90% of the time each, non-matches 10%.
    fn synthetic() -> Vec<(Pattern, u64)> {
        let (nm, nu) = (1_000.0_f64, 9_000.0_f64);
        let p = |agree: bool, m: bool| match (agree, m) {
            (true, true) => 0.9,
            (false, true) => 0.1,
            (true, false) => 0.1,
            (false, false) => 0.9,
        };
        let mut out = Vec::new();
        for a in [true, false] {
            for b in [true, false] {
                for c in [true, false] {
                    let level = |x: bool| if x { 1 } else { 2 };
                    let pat = Pattern::default()
                        .with(0, level(a))
                        .with(1, level(b))
                        .with(2, level(c));
                    let n = nm * p(a, true) * p(b, true) * p(c, true)
                        + nu * p(a, false) * p(b, false) * p(c, false);
                    out.push((pat, n.round() as u64));
                }
            }
        }
        out
    }

    #[test]
    fn em_recovers_the_share_of_matches_without_labels() {
        let levels = [3, 3, 3];
        let u = levels
            .iter()
            .map(|_| vec![0.0, 0.3, 0.7])
            .collect::<Vec<_>>();
        let mut model = Model::initial(&levels, u, 0.3);
        model.fit(&synthetic(), false, 500);
        assert!((model.lambda - 0.1).abs() < 0.02, "{model:?}");
        assert!((model.m[1][1] - 0.9).abs() < 0.03, "{model:?}");
        assert!((model.u[1][1] - 0.1).abs() < 0.03, "{model:?}");
        // Agreement is evidence for a match, disagreement against.
        assert!(model.weight(1, 1) > 2.0);
        assert!(model.weight(1, 2) < -2.0);
        assert_eq!(model.weight(1, NULL_LEVEL), 0.0);
    }

    #[test]
    fn em_is_deterministic() {
        let levels = [3, 3, 3];
        let u = vec![vec![0.0, 0.2, 0.8]; 3];
        let mut a = Model::initial(&levels, u.clone(), 0.2);
        let mut b = Model::initial(&levels, u, 0.2);
        a.fit(&synthetic(), false, 50);
        b.fit(&synthetic(), false, 50);
        assert_eq!(a, b);
    }

    #[test]
    fn probabilities_follow_weights() {
        assert!((probability(0.0) - 0.5).abs() < 1e-12);
        assert!(probability(10.0) > 0.999);
        assert!(probability(-10.0) < 0.001);
    }
}
