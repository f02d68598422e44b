//! The tests of exercise 20, `lectures/exercises/ex20_guttman_transform.rs` (`lectures exercises check ex20`).
//!
//! One test target per exercise, so that an exercise that does not compile blocks no other;
//! with the feature `solutions` the reference solution is tested in its place.

mod common;
#[cfg_attr(
    not(feature = "solutions"),
    path = "../../exercises/ex20_guttman_transform.rs"
)]
#[cfg_attr(
    feature = "solutions",
    path = "../../solutions/ex20_guttman_transform.rs"
)]
mod ex20_guttman_transform;

use common::*;

proptest! {
    #![proptest_config(config())]

    /// (`dr.mds.stress`): the Guttman transform never raises the stress (majorisation).
    #[test]
    fn guttman_transform_does_not_increase_stress((x, y) in (3usize..12, 1usize..4).prop_flat_map(|(n, d)| (matrix_of(n, 4, 2.0), matrix_of(n, d, 2.0)))) {
        let n = x.nrows();
        let delta = x.pairwise_sq_distances().map(f64::sqrt);
        let before = dimred::smacof::stress(&delta, &y, None);
        let next = ex20_guttman_transform::guttman_transform(&delta, &y);
        prop_assert!(next.shape() == y.shape(), "Y⁺ is {:?}, should be {:?}", next.shape(), y.shape());
        let after = dimred::smacof::stress(&delta, &next, None);
        // Stress is a sum of n² squares: rounding ~n² ε of it.
        prop_assert!(
            after <= before * (1.0 + 4.0 * (n * n) as f64 * EPS),
            "the stress rose from {before} to {after}; a Guttman transform never raises it"
        );
    }

    /// (`dr.mds.stress`): for centred Y, Y⁺ = Y − ∇σ(Y) / (2N), with ∇σ from the
    /// autodiff tape (σ(Y) = Σ_{i<j} (δ_ij − ||y_i − y_j||)², checked against dimred's stress).
    #[test]
    fn guttman_transform_is_a_gradient_step((x, y) in (3usize..10, 1usize..4).prop_flat_map(|(n, d)| (matrix_of(n, 4, 2.0), matrix_of(n, d, 2.0)))) {
        let n = x.nrows();
        let delta = x.pairwise_sq_distances().map(f64::sqrt);
        prop_assume!(distinct(&y, 0.0), "two embedded points coincide: σ is not differentiable there");
        let (y, _) = y.center_columns();
        // σ on the tape: one row per pair i < j of the difference operator D (D Y = y_i − y_j).
        let pairs: Vec<(usize, usize)> = (0..n).flat_map(|i| (i + 1..n).map(move |j| (i, j))).collect();
        let diff = Matrix::from_fn(pairs.len(), n, |p, k| {
            f64::from(u8::from(k == pairs[p].0)) - f64::from(u8::from(k == pairs[p].1))
        });
        let targets = Matrix::from_fn(pairs.len(), 1, |p, _| delta[pairs[p]]);
        let mut tape = Tape::new();
        let yv = tape.param(&y);
        let dv = tape.constant(&diff);
        let tv = tape.constant(&targets);
        let differences = tape.matmul(dv, yv);
        let squares = tape.square(differences);
        let theta2 = tape.sum_cols(squares);
        let theta = tape.sqrt(theta2);
        let residual = tape.sub(tv, theta);
        let r2 = tape.square(residual);
        let stress = tape.sum(r2);
        tape.backward(stress).unwrap();
        let sigma = dimred::smacof::stress(&delta, &y, None);
        // Sums of n² terms of size ≤ (δ + θ)².
        close_scalar("σ(Y) on the tape (a test bug if this fails)", tape.scalar(stress), sigma, 16.0 * (n * n) as f64 * EPS * sigma.max(1.0))?;
        let mut want = y.clone();
        want.add_scaled(-1.0 / (2.0 * n as f64), tape.grad(yv));
        // Row i of B(Y) Y sums n terms of size ≤ max δ; the tape's sum is in another order.
        let tol = 64.0 * n as f64 * EPS * (delta.max_abs() + y.max_abs());
        close("Y⁺", &ex20_guttman_transform::guttman_transform(&delta, &y), &want, tol)?;
    }
}
