//! The tests of exercise 35, `lectures/exercises/ex35_tsne_affinities.rs` (`lectures exercises check ex35`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex35_tsne_affinities.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../../solutions/ex35_tsne_affinities.rs"
)]
mod ex35_tsne_affinities;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`dr.sne.affinities`): dimred's symmetric affinities, for random points and perplexities.
    #[test]
    fn joint_affinities_match_dimred(x in points(5..24, 3, 2.0), frac in 0.0..1.0f64) {
        let n = x.nrows();
        prop_assume!(distinct(&x, 0.0), "two points coincide");
        let perplexity = 1.5 + frac * (n as f64 - 3.0);
        let p = ex35_tsne_affinities::joint_affinities(&x, perplexity);
        prop_assert!(p.shape() == (n, n), "P is {:?}, should be {n}×{n}", p.shape());
        for i in 0..n {
            prop_assert!(p[(i, i)] == 0.0, "p_{i}{i} = {} should be 0 (a point is not its own neighbour)", p[(i, i)]);
        }
        // Symmetrised by one addition and one division per entry: exact in both orders.
        close("P − Pᵀ", &p, &p.transpose(), 0.0)?;
        close_scalar("Σ p_ij", p.as_slice().iter().sum(), 1.0, 4.0 * (n * n) as f64 * EPS)?;
        let want = dimred::sne::affinities(&x, perplexity, dimred::sne::Neighbours::All).unwrap().to_dense();
        // Both calibrations stop within about 1e-10 of ln Perp; a change δ in ln β moves
        // ln p_{j|i} by β (d_ij − mean d)·δ, and β·spread(d) is O(1) at the calibrated β.
        close("P", &p, &want, 1e-7 * want.max_abs())?;
    }
}
