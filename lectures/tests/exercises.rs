//! The tests that judge the exercises (`lectures exercises check`).
//!
//! Compiled only with the cargo feature `exercises`: against the student's stubs
//! (`--features exercises`) or the reference solutions (`--features exercises,solutions`).
//! Every test is named `exNN_…` after its exercise, so `-- exNN_` runs one exercise.
//!
//! Rules these tests keep:
//! - properties over random inputs (proptest), checked against the library (linalg, dimred,
//!   nn, autodiff) as an oracle or against an identity the answer must satisfy, so neither a
//!   constant nor a hard-coded answer can pass;
//! - never another exercise's function: each exercise stands alone;
//! - tolerances from the number of rounded operations times ε, with the reason beside them;
//! - messages in plain words, since `lectures exercises check` shows them to the student.
#![cfg(feature = "exercises")]

use autodiff::Tape;
use lectures::exercises::*;
use linalg::Matrix;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

const EPS: f64 = f64::EPSILON;

/// Modest case counts (CI runs on two cores); no regression files written next to the tests
/// (a failing stub would otherwise leave one behind); short shrinking, since a `todo!()` fails
/// on every input anyway.
fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        max_shrink_iters: 64,
        ..ProptestConfig::with_cases(32)
    }
}

/// Entry-wise comparison with a message that names the worst entry.
fn close(what: &str, got: &Matrix, want: &Matrix, tol: f64) -> Result<(), TestCaseError> {
    prop_assert!(
        got.shape() == want.shape(),
        "{} has shape {:?} but should have shape {:?}",
        what,
        got.shape(),
        want.shape()
    );
    let (mut worst, mut at) = (0.0f64, (0, 0));
    for i in 0..got.nrows() {
        for j in 0..got.ncols() {
            let e = (got[(i, j)] - want[(i, j)]).abs();
            // A NaN is the worst possible error.
            let e = if e.is_nan() { f64::INFINITY } else { e };
            if e > worst {
                worst = e;
                at = (i, j);
            }
        }
    }
    prop_assert!(
        worst <= tol,
        "{} entry {:?} is {} but should be {} (off by {:.2e}, allowed {:.2e})",
        what,
        at,
        got[at],
        want[at],
        worst,
        tol
    );
    Ok(())
}

fn close_vec(what: &str, got: &[f64], want: &[f64], tol: f64) -> Result<(), TestCaseError> {
    close(
        what,
        &Matrix::from_vec(1, got.len(), got.to_vec()),
        &Matrix::from_vec(1, want.len(), want.to_vec()),
        tol,
    )
}

fn close_scalar(what: &str, got: f64, want: f64, tol: f64) -> Result<(), TestCaseError> {
    prop_assert!(
        (got - want).abs() <= tol,
        "{} is {} but should be {} (off by {:.2e}, allowed {:.2e})",
        what,
        got,
        want,
        (got - want).abs(),
        tol
    );
    Ok(())
}

/// ||UᵀU − I||_max for a matrix that should have orthonormal columns.
fn orthonormality_error(u: &Matrix) -> f64 {
    let mut g = u.tr_matmul(u);
    for i in 0..g.nrows() {
        g[(i, i)] -= 1.0;
    }
    g.max_abs()
}

// ------------------------------------------------------------------------ 00 linear algebra

proptest! {
    #![proptest_config(config())]

    /// ex01 (`la.jacobi.converges`): the rotation zeroes a_pq, is a rotation, takes the small angle.
    #[test]
    fn ex01_rotation_zeroes_the_pair_with_the_small_angle(
        app in -10.0..10.0f64, aqq in -10.0..10.0f64, mag in 1e-3..10.0f64, neg: bool,
    ) {
        let apq = if neg { -mag } else { mag };
        let (c, s) = ex01_jacobi_rotation::rotation(app, aqq, apq);
        // c² + s² is a handful of roundings away from 1.
        close_scalar("c² + s²", c * c + s * s, 1.0, 8.0 * EPS)?;
        let new_apq = c * s * (app - aqq) + (c * c - s * s) * apq;
        // A few products of numbers up to |a_pp| + |a_qq| + |a_pq|: rounding is ~ε of that.
        let scale = app.abs() + aqq.abs() + apq.abs();
        prop_assert!(
            new_apq.abs() <= 16.0 * EPS * scale,
            "after the rotation the off-diagonal entry is {:e}; it should be 0 (up to {:.1e})",
            new_apq, 16.0 * EPS * scale
        );
        prop_assert!(
            c > 0.0 && s.abs() <= c * (1.0 + 4.0 * EPS),
            "c = {}, s = {}: take the smaller angle, with c > 0 and |s| ≤ c", c, s
        );
    }

    /// ex01 (`la.jacobi.converges`): the same (c, s) as `linalg::jacobi_rotation`.
    #[test]
    fn ex01_rotation_matches_linalg(
        app in -10.0..10.0f64, aqq in -10.0..10.0f64, apq in 1e-3..10.0f64,
    ) {
        let mut a = Matrix::from_rows(&[[app, apq], [apq, aqq]]);
        let (c0, s0) = linalg::jacobi_rotation(&mut a, None, 0, 1).unwrap();
        let (c, s) = ex01_jacobi_rotation::rotation(app, aqq, apq);
        // c, s ≤ 1 in magnitude; equivalent stable formulas agree to a few ulps.
        close_scalar("c", c, c0, 1e-14)?;
        close_scalar("s", s, s0, 1e-14)?;
    }

    /// ex02 (`la.jacobi.converges`): off(A), and the predicted off-norm after one rotation
    /// equals the off-norm of the rotated matrix.
    #[test]
    fn ex02_off_norm_and_its_update_match_a_real_rotation(
        n in 2usize..8, seed: u64, p_raw in 0usize..100, q_raw in 0usize..100,
    ) {
        let p = p_raw % n;
        let q = (p + 1 + q_raw % (n - 1)) % n;
        let a = Matrix::random_symmetric(n, seed);
        let (off, after) = ex02_off_norm::off_norm_and_update(&a, p, q);
        let fro2 = a.frobenius_norm().powi(2);
        // A sum of n² squares: relative error ≤ n² ε; compared as squares (no sqrt amplification).
        let tol = 4.0 * (n * n) as f64 * EPS * fro2;
        close_scalar("off(A)²", off * off, linalg::off_norm(&a).powi(2), tol)?;
        let mut rotated = a.clone();
        linalg::jacobi_rotation(&mut rotated, None, p, q);
        close_scalar(
            "the predicted off(JᵀAJ)²",
            after * after,
            linalg::off_norm(&rotated).powi(2),
            tol,
        )?;
    }

    /// ex03 (`la.ky-fan`): the maximum of Tr(UᵀCU), attained by the returned U, beaten by no
    /// random orthonormal U.
    #[test]
    fn ex03_ky_fan_maximum_and_maximiser(n in 1usize..8, d_raw in 0usize..8, seed: u64) {
        let d = 1 + d_raw % n;
        let c = Matrix::random_symmetric(n, seed);
        let (best, u) = ex03_ky_fan::ky_fan(&c, d);
        let (oracle, _) = linalg::ky_fan_max(&c, d).unwrap();
        // Eigenvalues are accurate to n ε ||C||_F (backward stable); d of them are summed.
        let tol = 16.0 * (n * d) as f64 * EPS * c.frobenius_norm();
        close_scalar("the maximum λ_1 + … + λ_d", best, oracle, tol)?;
        prop_assert!(u.shape() == (n, d), "U is {:?}, should be {n}x{d}", u.shape());
        prop_assert!(
            orthonormality_error(&u) <= 16.0 * n as f64 * EPS,
            "the columns of U are not orthonormal: UᵀU − I has an entry {:e}",
            orthonormality_error(&u)
        );
        close_scalar("Tr(UᵀCU) for your U", u.tr_matmul(&c).matmul(&u).trace(), oracle, tol)?;
        let q = linalg::orthonormalize(&Matrix::random_normal(n, d, seed ^ 0x5eed)).unwrap();
        let other = q.tr_matmul(&c).matmul(&q).trace();
        prop_assert!(
            other <= oracle + tol,
            "a random orthonormal U reaches {} > {}: the returned value is not the maximum",
            other, oracle
        );
    }
}

// ---------------------------------------------------------------------- 01 PCA and MDS

fn scaled_data(n: usize, dim: usize, seed: u64) -> Matrix {
    // Columns of different spread and a non-zero mean, so that centring and ordering matter.
    let z = Matrix::random_normal(n, dim, seed);
    Matrix::from_fn(n, dim, |i, j| (j + 1) as f64 * z[(i, j)] + 3.0 - j as f64)
}

proptest! {
    #![proptest_config(config())]

    /// ex04 (`dr.pca.covariance`): the ratios of dimred's PCA.
    #[test]
    fn ex04_explained_variance_ratio_matches_pca(
        n in 5usize..30, dim in 2usize..6, d_raw in 0usize..6, seed: u64,
    ) {
        let d = 1 + d_raw % dim;
        let x = scaled_data(n, dim, seed);
        let got = ex04_explained_variance::explained_variance_ratio(&x, d);
        let fit = dimred::pca::Pca::new(d).fit(&x).unwrap();
        prop_assert!(got.len() == d, "returned {} ratios, expected d = {d}", got.len());
        // Ratios lie in [0, 1]; eigenvalues carry an error of about D ε relative to the total.
        close_vec("the ratios", &got, &fit.explained_variance_ratio, 64.0 * (n * dim) as f64 * EPS)?;
    }

    /// ex05 (`dr.mds.classical`): for Euclidean distances, B is the Gram matrix of the centred
    /// points.
    #[test]
    fn ex05_double_centering_recovers_the_centred_gram(n in 2usize..20, dim in 1usize..5, seed: u64) {
        let x = scaled_data(n, dim, seed);
        let sq = x.pairwise_sq_distances();
        let (xc, _) = x.center_columns();
        let want = xc.matmul_tr(&xc);
        // Each b_ij is a few means of N entries: error about N ε max δ². The reference X_c X_cᵀ
        // carries the rounding of centring, ε max|X| per entry of X_c, times max|X_c| · dim.
        let tol = 16.0 * (n + dim) as f64 * EPS * (sq.max_abs() + x.max_abs() * xc.max_abs());
        close("B", &ex05_double_centering::double_center(&sq), &want, tol)?;
    }

    /// ex05 (`dr.mds.classical`): −½ J Δ² J with J formed explicitly, for any symmetric Δ² (not
    /// only Euclidean ones).
    #[test]
    fn ex05_double_centering_equals_the_product_with_j(n in 2usize..20, seed: u64) {
        let m = Matrix::random_uniform(n, n, 0.0, 4.0, seed);
        let sq = Matrix::from_fn(n, n, |i, j| if i == j { 0.0 } else { m[(i, j)] + m[(j, i)] });
        let j = Matrix::from_fn(n, n, |a, b| f64::from(u8::from(a == b)) - 1.0 / n as f64);
        let want = j.matmul(&sq).matmul(&j).scale(-0.5);
        // Two products of length N against an O(N) formula.
        close("B", &ex05_double_centering::double_center(&sq), &want, 16.0 * n as f64 * EPS * sq.max_abs())?;
    }
}

// ------------------------------------------------------------------------------ 02 autodiff

proptest! {
    #![proptest_config(config())]

    /// ex06 (`ad.reverse`): the tanh VJP equals the tape's gradient of Σ (tanh X ⊙ G).
    #[test]
    fn ex06_tanh_vjp_matches_the_tape(rows in 1usize..5, cols in 1usize..5, seed: u64) {
        let x = Matrix::random_normal(rows, cols, seed).scale(2.0);
        let g = Matrix::random_normal(rows, cols, seed ^ 1);
        let mut tape = Tape::new();
        let xv = tape.param(&x);
        let y = tape.tanh(xv);
        let gv = tape.constant(&g);
        let yg = tape.mul(y, gv);
        let loss = tape.sum(yg);
        tape.backward(loss).unwrap();
        // tanh to a few ulps, then 1 − y² and one product.
        close("X̄", &ex06_vjp_tanh::tanh_vjp(&x, &g), tape.grad(xv), 16.0 * EPS * g.max_abs())?;
    }

    /// ex07 (`ad.reverse`): the matmul VJP equals the tape's gradients of Σ (A B ⊙ C̄).
    #[test]
    fn ex07_matmul_vjp_matches_the_tape(m in 1usize..5, k in 1usize..5, n in 1usize..5, seed: u64) {
        let a = Matrix::random_normal(m, k, seed);
        let b = Matrix::random_normal(k, n, seed ^ 1);
        let g = Matrix::random_normal(m, n, seed ^ 2);
        let mut tape = Tape::new();
        let (av, bv) = (tape.param(&a), tape.param(&b));
        let c = tape.matmul(av, bv);
        let gv = tape.constant(&g);
        let cg = tape.mul(c, gv);
        let loss = tape.sum(cg);
        tape.backward(loss).unwrap();
        let (ga, gb) = ex07_vjp_matmul::matmul_vjp(&a, &b, &g);
        // Inner products of length n (for Ā) or m (for B̄).
        let scale = g.max_abs() * a.max_abs().max(b.max_abs()) * (m + n) as f64;
        close("Ā", &ga, tape.grad(av), 4.0 * EPS * scale)?;
        close("B̄", &gb, tape.grad(bv), 4.0 * EPS * scale)?;
    }
}

// ------------------------------------------------------------ 03 spectral and kernel methods

proptest! {
    #![proptest_config(config())]

    /// ex08 (`dr.isomap.geodesic`): the same path lengths as dimred's Dijkstra, from every
    /// source, on k-NN graphs (small k leaves some graphs disconnected: +∞ there).
    #[test]
    fn ex08_shortest_paths_match_dimred(n in 5usize..40, k in 1usize..4, seed: u64) {
        let x = Matrix::random_normal(n, 2, seed);
        let g = dimred::graph::knn_graph(&x, k).unwrap();
        let mut want = vec![0.0; n];
        for source in 0..n {
            dimred::graph::dijkstra(&g, source, &mut want);
            let got = ex08_dijkstra::shortest_paths(&g, source);
            prop_assert!(got.len() == n, "{} distances for {n} nodes", got.len());
            for (t, (&a, &b)) in got.iter().zip(&want).enumerate() {
                // Path sums of ≤ n edges; a different path of equal length may sum in another order.
                let ok = if b.is_infinite() { a == b } else { (a - b).abs() <= 4.0 * n as f64 * EPS * b };
                prop_assert!(ok, "from node {source} to node {t}: you found {a}, the shortest path is {b}");
            }
        }
    }

    /// ex09 (`dr.kpca.centering`): J K J with K from dimred's RBF kernel and J formed explicitly.
    #[test]
    fn ex09_centred_rbf_gram_matches_jkj(n in 2usize..15, dim in 1usize..4, gamma in 0.05..2.0f64, seed: u64) {
        let x = Matrix::random_normal(n, dim, seed);
        let k = dimred::kernels::Kernel::Rbf { gamma }.gram(&x);
        let j = Matrix::from_fn(n, n, |a, b| f64::from(u8::from(a == b)) - 1.0 / n as f64);
        let want = j.matmul(&k).matmul(&j);
        // Entries of K are in (0, 1]; means of N of them.
        close("K̃", &ex09_centered_rbf_gram::centered_rbf_gram(&x, gamma), &want, 16.0 * n as f64 * EPS)?;
    }

    /// ex10 (`dr.quality`): dimred's trustworthiness, for random linear projections to 2-D.
    #[test]
    fn ex10_trustworthiness_matches_dimred(n in 12usize..40, k_raw in 0usize..20, seed: u64) {
        let k = 1 + k_raw % (n.div_ceil(2) - 1);
        let x = Matrix::random_normal(n, 5, seed);
        let y = x.matmul(&Matrix::random_normal(5, 2, seed ^ 1));
        let want = dimred::quality::trustworthiness(&x, &y, k).unwrap();
        // A sum of integers times one factor: both sides round the same few operations.
        close_scalar("T(k)", ex10_trustworthiness::trustworthiness(&x, &y, k), want, 8.0 * EPS)?;
    }
}

// ---------------------------------------------------------- 04 losses and probabilistic maps

proptest! {
    #![proptest_config(config())]

    /// ex11 (`dr.mds.stress`): the Guttman transform never raises the stress (majorisation).
    #[test]
    fn ex11_guttman_transform_does_not_increase_stress(n in 3usize..12, d in 1usize..4, seed: u64) {
        let x = Matrix::random_normal(n, 4, seed);
        let delta = x.pairwise_sq_distances().map(f64::sqrt);
        let y = Matrix::random_normal(n, d, seed ^ 1);
        let before = dimred::smacof::stress(&delta, &y, None);
        let next = ex11_guttman_transform::guttman_transform(&delta, &y);
        prop_assert!(next.shape() == y.shape(), "Y⁺ is {:?}, should be {:?}", next.shape(), y.shape());
        let after = dimred::smacof::stress(&delta, &next, None);
        // Stress is a sum of n² squares: rounding ~n² ε of it.
        prop_assert!(
            after <= before * (1.0 + 4.0 * (n * n) as f64 * EPS),
            "the stress rose from {before} to {after}; a Guttman transform never raises it"
        );
    }

    /// ex11 (`dr.mds.stress`): for centred Y, Y⁺ = Y − ∇σ(Y) / (2N), with ∇σ from the
    /// autodiff tape (σ(Y) = Σ_{i<j} (δ_ij − ||y_i − y_j||)², checked against dimred's stress).
    #[test]
    fn ex11_guttman_transform_is_a_gradient_step(n in 3usize..10, d in 1usize..4, seed: u64) {
        let x = Matrix::random_normal(n, 4, seed);
        let delta = x.pairwise_sq_distances().map(f64::sqrt);
        let (y, _) = Matrix::random_normal(n, d, seed ^ 1).center_columns();
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
        close("Y⁺", &ex11_guttman_transform::guttman_transform(&delta, &y), &want, tol)?;
    }

    /// ex12 (`dr.sketchmap.stress`): value and derivative of dimred's sigmoid transform.
    #[test]
    fn ex12_sigmoid_matches_dimred(
        r in 0.0..10.0f64, sigma in 0.1..5.0f64, a in 1.0..10.0f64, b in 1.0..10.0f64,
    ) {
        let t = dimred::sketchmap::Transform::Sigmoid { sigma, a, b };
        let (s, ds) = ex12_sketchmap_sigmoid::sigmoid(r, sigma, a, b);
        // powf and exp2 are accurate to an ulp; a dozen operations in all.
        close_scalar("s(r)", s, t.apply(r), 64.0 * EPS)?;
        close_scalar("s'(r)", ds, t.derivative(r), 64.0 * EPS * (1.0 + t.derivative(r).abs()))?;
        let (half, _) = ex12_sketchmap_sigmoid::sigmoid(sigma, sigma, a, b);
        close_scalar("s(σ)", half, 0.5, 8.0 * EPS)?;
    }

    /// ex13 (`dr.sne.affinities`): p is a Gibbs distribution e^{−β d}/Z with perplexity P, and β
    /// agrees with dimred's calibration.
    #[test]
    fn ex13_perplexity_is_calibrated(
        m in 5usize..30, log_scale in -3.0..3.0f64, frac in 0.05..0.8f64, seed: u64,
    ) {
        let scale = 10f64.powf(log_scale);
        let d: Vec<f64> = Matrix::random_uniform(1, m, 0.0, 10.0 * scale, seed).into_vec();
        let perplexity = 1.5 + frac * (m as f64 - 1.5);
        let (beta, p) = ex13_perplexity::calibrate(&d, perplexity);
        prop_assert!(p.len() == m, "p has {} entries for {m} distances", p.len());
        close_scalar("Σ p_j", p.iter().sum(), 1.0, 4.0 * m as f64 * EPS)?;
        let h: f64 = -p.iter().filter(|&&v| v > 0.0).map(|v| v * v.ln()).sum::<f64>();
        // The target is |H − ln P| ≤ 1e-10; our own sum of m terms adds m ε.
        close_scalar("the entropy H(p)", h, perplexity.ln(), 1e-9)?;
        let (k0, _) = d.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1)).unwrap();
        for (j, (&pj, &dj)) in p.iter().zip(&d).enumerate() {
            if pj > 1e-300 {
                let want = -beta * (dj - d[k0]);
                // ln of a number with relative error m ε, against β Δd with a few roundings.
                prop_assert!(
                    (pj.ln() - p[k0].ln() - want).abs() <= 1e-9 * (1.0 + want.abs()),
                    "p_{j}/p_{k0} = {} is not e^(−β (d_{j} − d_{k0})) = {}: p must be e^(−β d)/Z for the returned β",
                    pj / p[k0], want.exp()
                );
            }
        }
        let mut q = vec![0.0; m];
        let (beta0, _) = dimred::sne::calibrate_row(&d, perplexity, &mut q);
        // Both stop within 1e-10 of ln P; |dH/d ln β| = β² Var(d) is far from 0 here.
        close_scalar("β / β(dimred)", beta / beta0, 1.0, 1e-6)?;
    }

    /// ex14 (`dr.tsne.gradient`): dimred's exact t-SNE gradient for real affinities.
    #[test]
    fn ex14_tsne_gradient_matches_dimred(n in 4usize..20, spread in 0.1..10.0f64, seed: u64) {
        use dimred::sne::{affinities, Neighbours};
        let x = Matrix::random_normal(n, 5, seed);
        let perplexity = ((n as f64 - 1.0) / 3.0).max(1.5);
        let aff = affinities(&x, perplexity, Neighbours::All).unwrap();
        let y = Matrix::random_normal(n, 2, seed ^ 1).scale(spread);
        let mut want = Matrix::zeros(n, 2);
        dimred::tsne::exact_gradient(&aff, &y, dimred::tsne::LowDimKernel::StudentT, 1.0, &mut want);
        let got = ex14_tsne_gradient::tsne_gradient(&aff.to_dense(), &y);
        // Sums of n terms, each at most 4 |y_i − y_j| ≤ 8 max|y| times p or q ≤ 1.
        close("∇KL", &got, &want, 64.0 * n as f64 * EPS * (want.max_abs() + 8.0 * y.max_abs() / n as f64))?;
    }
}

// ------------------------------------------------------------------- 05 neural networks

proptest! {
    #![proptest_config(config())]

    /// ex15 (`nn.neuron.tanh`): nn's neuron gradient, and central differences of its loss.
    #[test]
    fn ex15_neuron_gradient_matches_nn_and_finite_differences(
        n in 1usize..20, w0 in -2.0..2.0f64, w1 in -2.0..2.0f64, w2 in -2.0..2.0f64, seed: u64,
    ) {
        let w = [w0, w1, w2];
        let x = Matrix::random_uniform(n, 2, -1.0, 1.0, seed);
        let y: Vec<f64> = Matrix::random_uniform(1, n, -1.0, 1.0, seed ^ 1)
            .as_slice().iter().map(|v| v.signum()).collect();
        let got = ex15_neuron_gradient::neuron_gradient(w, &x, &y);
        let want = nn::TanhNeuron::new(w).gradient(&x, &y);
        // n terms, each |−2 (y − ŷ)(1 − ŷ²) x| ≤ 4.
        close_vec("∇_w L", &got, &want, 64.0 * n as f64 * EPS)?;
        let h = 1e-6;
        for k in 0..3 {
            let (mut wp, mut wm) = (w, w);
            wp[k] += h;
            wm[k] -= h;
            let fd = (nn::TanhNeuron::new(wp).loss(&x, &y) - nn::TanhNeuron::new(wm).loss(&x, &y)) / (2.0 * h);
            // Central differences: h² L''' + ε L / h, far below 1e-6 for L ≤ 4n.
            close_scalar(&format!("∂L/∂w{k} (against finite differences)"), got[k], fd, 1e-6 * n as f64)?;
        }
    }

    /// ex16 (`nn.backprop`): Δ, ∇W, ∇b and ∇X_prev of nn's Dense::backward.
    #[test]
    fn ex16_backward_matches_nn_dense(batch in 1usize..6, n_in in 1usize..5, n_out in 1usize..5, seed: u64) {
        let x_prev = Matrix::random_normal(batch, n_in, seed);
        let w = Matrix::random_normal(n_in, n_out, seed ^ 1);
        let b = Matrix::random_normal(1, n_out, seed ^ 2).into_vec();
        let layer = nn::Dense::from_parts(w.clone(), b, nn::Activation::Tanh);
        let x_out = layer.forward(&x_prev);
        let g = Matrix::random_normal(batch, n_out, seed ^ 3);
        let mut delta = g.clone();
        let mut grads = nn::DenseGrad::zeros(n_in, n_out);
        let mut gx = Matrix::zeros(batch, n_in);
        layer.backward(&x_prev, &x_out, &mut delta, &mut grads, Some(&mut gx));
        let got = ex16_backprop_delta::dense_tanh_backward(&x_prev, &w, &x_out, &g);
        // Products of length batch, n_out; entries of order max|G| max|X| max|W|.
        let scale = g.max_abs() * (1.0 + x_prev.max_abs()) * (1.0 + w.max_abs());
        let tol = 8.0 * (batch + n_in + n_out) as f64 * EPS * scale;
        close("Δ", &got.delta, &delta, tol)?;
        close("∇_W L", &got.grad_w, &grads.w, tol)?;
        close_vec("∇_b L", &got.grad_b, &grads.b, tol)?;
        close("∇_{X_prev} L", &got.grad_x_prev, &gx, tol)?;
    }

    /// ex17 (`nn.sgd`): the batches partition 0..N into sorted batches of the right sizes.
    #[test]
    fn ex17_minibatches_partition_the_samples(n in 0usize..50, batch in 1usize..10, seed: u64) {
        let batches = ex17_minibatches::minibatches(n, batch, seed);
        prop_assert!(
            batches.len() == n.div_ceil(batch),
            "{} batches for N = {n}, m = {batch}; expected ⌈N/m⌉ = {}", batches.len(), n.div_ceil(batch)
        );
        for (k, bt) in batches.iter().enumerate() {
            let want = if k + 1 < batches.len() { batch } else { n - batch * k };
            prop_assert!(bt.len() == want, "batch {k} has {} samples, expected {want}", bt.len());
            prop_assert!(bt.windows(2).all(|w| w[0] < w[1]), "batch {k} = {bt:?} is not sorted");
        }
        let mut all: Vec<usize> = batches.concat();
        all.sort_unstable();
        prop_assert!(all == (0..n).collect::<Vec<_>>(), "the batches are not a partition of 0..{n}: {all:?}");
    }

    /// ex17 (`nn.sgd`): the order depends on the seed, and only on the seed.
    #[test]
    fn ex17_minibatches_are_seeded_shuffles(seed: u64) {
        let a = ex17_minibatches::minibatches(20, 1, seed);
        prop_assert!(a == ex17_minibatches::minibatches(20, 1, seed), "the same seed gave two different orders");
        // Two seeds (or the identity) give the same order of 20 with probability 1/20!.
        prop_assert!(a != ex17_minibatches::minibatches(20, 1, seed.wrapping_add(1)), "seeds {seed} and {} gave the same order", seed.wrapping_add(1));
        let order: Vec<usize> = a.concat();
        prop_assert!(order != (0..20).collect::<Vec<_>>(), "the samples were not shuffled");
    }

    /// ex18 (`nn.regularization`): nn's soft threshold, and the minimiser of ½(v − u)² + t|v|.
    #[test]
    fn ex18_soft_threshold_is_the_prox_of_l1(u in -10.0..10.0f64, t in 0.0..5.0f64, dv in 1e-3..1.0f64) {
        let v = ex18_soft_threshold::soft_threshold(u, t);
        // One subtraction each way: bit for bit.
        prop_assert!(v == nn::soft_threshold(u, t), "S_{t}({u}) = {v}, should be {}", nn::soft_threshold(u, t));
        let obj = |v: f64| 0.5 * (v - u).powi(2) + t * v.abs();
        for other in [v + dv, v - dv, 0.0, u] {
            prop_assert!(obj(v) <= obj(other) + 8.0 * EPS * (1.0 + u * u),
                "½(v − u)² + t|v| is {} at your v = {v} but {} at v = {other}", obj(v), obj(other));
        }
    }

    /// ex19 (`nn.lae.optimal-code`): μ, orthonormal U, Z = (X − 1μᵀ)U, and the reconstruction
    /// error (N − 1) Σ_{k>d} λ_k that no other orthonormal U beats.
    #[test]
    fn ex19_linear_code_is_optimal(n in 5usize..30, dim in 2usize..6, d_raw in 0usize..6, seed: u64) {
        let d = 1 + d_raw % dim;
        let x = scaled_data(n, dim, seed);
        let code = ex19_linear_code::linear_code(&x, d);
        let (xc, mean) = x.center_columns();
        let nd = (n * dim) as f64;
        close_vec("μ", &code.mean, &mean, 4.0 * n as f64 * EPS * x.max_abs())?;
        prop_assert!(code.u.shape() == (dim, d), "U is {:?}, should be {dim}x{d}", code.u.shape());
        prop_assert!(orthonormality_error(&code.u) <= 16.0 * dim as f64 * EPS,
            "the columns of U are not orthonormal: UᵀU − I has an entry {:e}", orthonormality_error(&code.u));
        close("Z", &code.z, &xc.matmul(&code.u), 16.0 * dim as f64 * EPS * xc.max_abs())?;
        let error = |u: &Matrix| {
            let z = xc.matmul(u);
            (&xc - &z.matmul_tr(u)).frobenius_norm().powi(2)
        };
        let lambda = linalg::eigvalsh(&x.covariance()).unwrap();
        let want = (n - 1) as f64 * lambda[d..].iter().sum::<f64>();
        // Sums of N D squares of entries up to max|X_c|; eigenvalues to D ε ||C||.
        let tol = 64.0 * nd * EPS * xc.frobenius_norm().powi(2);
        close_scalar("||X − X̂||²", error(&code.u), want, tol)?;
        let q = linalg::orthonormalize(&Matrix::random_normal(dim, d, seed ^ 7)).unwrap();
        prop_assert!(error(&q) >= want - tol, "a random orthonormal U reconstructs better ({} < {want})", error(&q));
    }

    /// ex20 (`nn.vae.elbo`): the Gaussian KL and its gradients equal the tape's `gaussian_kl`.
    #[test]
    fn ex20_gaussian_kl_matches_the_tape(rows in 1usize..4, cols in 1usize..4, seed: u64) {
        let mu = Matrix::random_normal(rows, cols, seed).scale(2.0);
        let logvar = Matrix::random_uniform(rows, cols, -3.0, 3.0, seed ^ 1);
        let mut tape = Tape::new();
        let (m, l) = (tape.param(&mu), tape.param(&logvar));
        let kl = tape.gaussian_kl(m, l);
        tape.backward(kl).unwrap();
        let (value, g_mu, g_lv) = ex20_gaussian_kl::gaussian_kl(&mu, &logvar);
        // A sum of rows·cols terms, each at most ½ (μ² + e³ + 3 + 1).
        let scale = (rows * cols) as f64 * (mu.max_abs().powi(2) + 25.0);
        close_scalar("KL", value, tape.scalar(kl), 8.0 * EPS * scale)?;
        // ∂KL/∂μ is μ itself: a copy, up to an ulp if computed as a product.
        close("∂KL/∂μ", &g_mu, tape.grad(m), 2.0 * EPS * mu.max_abs())?;
        close("∂KL/∂ℓ", &g_lv, tape.grad(l), 8.0 * EPS * 25.0)?;
    }

    /// ex21 (`nn.vae.elbo`): z and both gradients equal the tape's for z = μ + e^{ℓ/2} ⊙ ε.
    #[test]
    fn ex21_reparameterisation_matches_the_tape(rows in 1usize..4, cols in 1usize..4, seed: u64) {
        let mu = Matrix::random_normal(rows, cols, seed);
        let logvar = Matrix::random_uniform(rows, cols, -3.0, 3.0, seed ^ 1);
        let eps = Matrix::random_normal(rows, cols, seed ^ 2);
        let g = Matrix::random_normal(rows, cols, seed ^ 3);
        let mut tape = Tape::new();
        let (m, l) = (tape.param(&mu), tape.param(&logvar));
        let e = tape.constant(&eps);
        let half = tape.scale(l, 0.5);
        let sigma = tape.exp(half);
        let noise = tape.mul(sigma, e);
        let z = tape.add(m, noise);
        let gv = tape.constant(&g);
        let zg = tape.mul(z, gv);
        let loss = tape.sum(zg);
        tape.backward(loss).unwrap();
        let got = ex21_reparameterize::reparameterize(&mu, &logvar, &eps, &g);
        // σ ≤ e^1.5 < 5; a few roundings of products of that size.
        let scale = 5.0 * (1.0 + eps.max_abs()) * (1.0 + g.max_abs()) + mu.max_abs();
        close("z", &got.z, tape.value(z), 8.0 * EPS * scale)?;
        // ∂L/∂μ is Z̄ itself.
        close("∂L/∂μ", &got.grad_mu, tape.grad(m), 2.0 * EPS * g.max_abs())?;
        close("∂L/∂ℓ", &got.grad_logvar, tape.grad(l), 8.0 * EPS * scale)?;
    }
}

/// ex17 (`nn.sgd`): every order of 3 samples is equally likely. Over 6000 seeds the counts of
/// the 6 orders pass a χ² test (5 degrees of freedom; P(χ² > 30) ≈ 1.5e-5 for a fair shuffle).
/// The classic mistake, swapping with a random position in 0..N instead of 0..=i, makes some
/// orders 25% likelier than others: χ² is about 74 on average, 54 with these seeds.
#[test]
fn ex17_minibatch_orders_are_uniform() {
    let mut counts = std::collections::BTreeMap::new();
    let runs = 6000u64;
    for seed in 0..runs {
        let order: Vec<usize> = ex17_minibatches::minibatches(3, 1, seed).concat();
        *counts.entry(order).or_insert(0u64) += 1;
    }
    let expected = runs as f64 / 6.0;
    let chi2: f64 = counts
        .values()
        .map(|&c| (c as f64 - expected).powi(2) / expected)
        .sum::<f64>()
        + (6 - counts.len().min(6)) as f64 * expected;
    assert!(
        counts.len() == 6 && chi2 < 30.0,
        "the 6 orders of 3 samples came out {counts:?} times in {runs} shuffles (χ² = {chi2:.1}, \
         a fair shuffle stays below 30): some orders are more likely than others"
    );
}
