//! `nn.gd` and `nn.sgd`: gradient descent on a quadratic descends below the step-size
//! threshold 2/λ_max and diverges above it; minibatch gradients are unbiased, an epoch's
//! partition averages to the full gradient, batch size N is plain GD, and the reshuffle is
//! fresh every epoch yet reproducible from its seed.

use linalg::{eigh, Matrix};
use nn::{
    run_epoch, Activation, Batch, BatchBuffers, Engine, Gd, Loss, Minibatches, Mlp, MlpTrainer,
    Objective, Optimizer, Penalty,
};
use proptest::prelude::*;

/// A random symmetric positive definite H = A Aᵀ / n + 0.1 I, a random b, and H's top eigenpair.
fn quadratic(n: usize, seed: u64) -> (Matrix, Vec<f64>, f64, Vec<f64>) {
    let a = Matrix::random_normal(n, n, seed);
    let mut h = a.matmul_tr(&a).scale(1.0 / n as f64) + Matrix::identity(n).scale(0.1);
    h.symmetrize();
    let b = Matrix::random_normal(n, 1, seed ^ 9).into_vec();
    let e = eigh(&h).expect("H is symmetric");
    (h, b, e.values[0], e.vectors.col(0))
}

/// f(w) = ½ wᵀHw - bᵀw and its gradient Hw - b.
fn f(h: &Matrix, b: &[f64], w: &[f64]) -> f64 {
    0.5 * linalg::dot(w, &h.matvec(w)) - linalg::dot(b, w)
}

fn grad(h: &Matrix, b: &[f64], w: &[f64]) -> Vec<f64> {
    h.matvec(w).iter().zip(b).map(|(hw, bi)| hw - bi).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// `nn.gd`: with α = s·2/λ_max, s < 1, every GD step lowers f by at least
    /// α||g||²(1 - αλ_max/2) (up to the rounding of evaluating f).
    #[test]
    fn gd_below_two_over_lambda_max_lowers_the_loss_every_step(
        n in 2usize..8, seed in any::<u64>(), s in 0.05f64..0.98,
    ) {
        let (h, b, lmax, _) = quadratic(n, seed);
        let alpha = s * 2.0 / lmax;
        let mut w = Matrix::random_normal(n, 1, seed ^ 3).scale(3.0).into_vec();
        let mut gd = Gd::new(alpha);
        for _ in 0..100 {
            let g = grad(&h, &b, &w);
            let before = f(&h, &b, &w);
            gd.step(&mut [&mut w[..]], &[&g[..]]);
            let after = f(&h, &b, &w);
            let guaranteed = alpha * linalg::dot(&g, &g) * (1.0 - alpha * lmax / 2.0);
            // f is a sum of O(n²) products of size ≤ λ_max||w||² + ||b|| ||w||: 4n² ε of that
            // bounds the rounding of both evaluations.
            let ww = linalg::dot(&w, &w);
            let tol = 4.0 * (n * n) as f64 * f64::EPSILON * (lmax * ww + linalg::norm2(&b) * ww.sqrt() + 1.0);
            prop_assert!(after <= before - guaranteed + tol, "{} -> {} (guaranteed drop {})", before, after, guaranteed);
        }
    }

    /// `nn.gd`: with α = s·2/λ_max, s > 1, the error along the top eigenvector is multiplied
    /// by |1 - αλ_max| > 1 every step, so f(w_t) - f(w*) grows without bound.
    #[test]
    fn gd_above_two_over_lambda_max_diverges(
        n in 2usize..8, seed in any::<u64>(), s in 1.05f64..1.5,
    ) {
        let (h, b, lmax, v) = quadratic(n, seed);
        let alpha = s * 2.0 / lmax;
        let wstar = linalg::Cholesky::new(&h).expect("H is SPD").solve_vec(&b);
        let fstar = f(&h, &b, &wstar);
        let mut w = Matrix::random_normal(n, 1, seed ^ 3).into_vec();
        let gap0 = f(&h, &b, &w) - fstar;
        let c0 = linalg::dot(&v, &w) - linalg::dot(&v, &wstar);
        let mut gd = Gd::new(alpha);
        let steps = 300;
        for _ in 0..steps {
            let g = grad(&h, &b, &w);
            gd.step(&mut [&mut w[..]], &[&g[..]]);
        }
        let gap = f(&h, &b, &w) - fstar;
        // f - f* ≥ ½λ_max c_t² with c_t = |1 - αλ_max|^t c_0, and |1 - αλ_max| ≥ 1.1.
        let growth = (alpha * lmax - 1.0).powi(steps);
        prop_assert!(gap.is_finite());
        prop_assert!(gap >= 0.25 * lmax * (growth * c0).powi(2), "gap {} c0 {}", gap, c0);
        prop_assert!(gap > 1e20 * gap0, "gap {} from {}", gap, gap0);
    }
}

/// A small random network and data set for the SGD properties.
fn sgd_case(seed: u64, n: usize) -> (Mlp, Matrix, Matrix) {
    let net = Mlp::new(&[3, 4, 2], &[Activation::Tanh, Activation::Identity], seed);
    let x = Matrix::random_normal(n, 3, seed ^ 1);
    let y = Matrix::random_normal(n, 2, seed ^ 2);
    (net, x, y)
}

/// ∇ of the mean squared error on the rows `idx`, as one vector.
fn batch_gradient(net: &Mlp, x: &Matrix, y: &Matrix, idx: &[usize]) -> Vec<f64> {
    let (xb, yb) = (x.select_rows(idx), y.select_rows(idx));
    let mut ws = net.workspace(idx.len());
    let mut g = net.zero_gradients();
    net.loss_and_gradient(&xb, &yb, Loss::MeanSquared, &mut ws, &mut g);
    g.to_vec()
}

/// Σ_i |∇ℓ_i| / N entrywise over single samples: the size of the terms a batch mean sums,
/// which sets the rounding error of any order of summation.
fn term_scale(net: &Mlp, x: &Matrix, y: &Matrix) -> Vec<f64> {
    let n = x.nrows();
    let mut s = vec![0.0; net.num_params()];
    for i in 0..n {
        for (sk, gk) in s.iter_mut().zip(batch_gradient(net, x, y, &[i])) {
            *sk += gk.abs() / n as f64;
        }
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// `nn.sgd`: at fixed weights, the mean of the minibatch gradients over one epoch's
    /// equal-size partition (from `Minibatches`) is the full-batch gradient.
    #[test]
    fn sgd_partition_mean_of_minibatch_gradients_is_full_gradient(
        seed in any::<u64>(), m in 1usize..6, k in 1usize..6,
    ) {
        let n = m * k;
        let (net, x, y) = sgd_case(seed, n);
        let full = batch_gradient(&net, &x, &y, &(0..n).collect::<Vec<_>>());
        let batches = Minibatches::new(n, m, seed).next_epoch();
        prop_assert!(batches.iter().all(|b| b.len() == m));
        let mut mean = vec![0.0; full.len()];
        for b in &batches {
            linalg::axpy(1.0 / k as f64, &batch_gradient(&net, &x, &y, b), &mut mean);
        }
        let scale = term_scale(&net, &x, &y);
        for ((a, b), s) in mean.iter().zip(&full).zip(&scale) {
            // Both are sums of the same N terms in different orders: ≤ (N + 4)ε Σ|terms|.
            prop_assert!((a - b).abs() <= (n + 4) as f64 * f64::EPSILON * s, "{} vs {}", a, b);
        }
    }

    /// `nn.sgd`: unbiasedness. The average of the minibatch gradient over all C(N, m) batches
    /// of size m (each equally likely under uniform sampling) is the full gradient.
    #[test]
    fn sgd_minibatch_gradient_is_unbiased(seed in any::<u64>(), n in 2usize..8, m in 1usize..4) {
        prop_assume!(m < n);
        let (net, x, y) = sgd_case(seed, n);
        let full = batch_gradient(&net, &x, &y, &(0..n).collect::<Vec<_>>());
        let subsets = combinations(n, m);
        let mut mean = vec![0.0; full.len()];
        for b in &subsets {
            linalg::axpy(1.0 / subsets.len() as f64, &batch_gradient(&net, &x, &y, b), &mut mean);
        }
        let scale = term_scale(&net, &x, &y);
        let count = subsets.len() * m;
        for ((a, b), s) in mean.iter().zip(&full).zip(&scale) {
            // Each sample appears in C(N-1, m-1) batches: the same terms summed in another
            // order, ≤ (C(N, m)·m + 4)ε Σ|terms|.
            prop_assert!((a - b).abs() <= (count + 4) as f64 * f64::EPSILON * s, "{} vs {}", a, b);
        }
    }

    /// `nn.sgd`: an epoch with batch size N is one plain GD step, bit for bit.
    #[test]
    fn sgd_batch_size_n_is_exactly_a_gd_step(seed in any::<u64>(), n in 1usize..20) {
        let (net, x, y) = sgd_case(seed, n);
        let lr = 0.1;
        let objective = Objective { loss: Loss::MeanSquared, penalty: Penalty::None };
        let mut sgd_net = net.clone();
        let batches = Minibatches::new(n, n, seed).next_epoch();
        let mut model = MlpTrainer::new(&mut sgd_net, objective, Engine::HandWritten, n, None);
        let data = Batch::all(&x, Some(&y));
        run_epoch(&mut model, &mut Gd::new(lr), data, &batches, &mut BatchBuffers::default()).unwrap();
        let mut gd_net = net.clone();
        let mut ws = net.workspace(n);
        let mut g = net.zero_gradients();
        gd_net.loss_and_gradient(&x, &y, Loss::MeanSquared, &mut ws, &mut g);
        Gd::new(lr).step(&mut gd_net.param_slices_mut(), &g.slices());
        prop_assert_eq!(sgd_net.params(), gd_net.params());
    }

    /// `nn.sgd`: every epoch is a partition of 0..N; consecutive epochs are shuffled
    /// differently; the same seed gives the same sequence of epochs, another seed another.
    #[test]
    fn sgd_reshuffles_every_epoch_reproducibly(seed in any::<u64>(), n in 30usize..60, m in 1usize..9) {
        let mut a = Minibatches::new(n, m, seed);
        let mut b = Minibatches::new(n, m, seed);
        let mut c = Minibatches::new(n, m, seed.wrapping_add(1));
        let mut previous: Option<Vec<Vec<usize>>> = None;
        for _ in 0..4 {
            let (ea, eb, ec) = (a.next_epoch(), b.next_epoch(), c.next_epoch());
            let mut all = ea.concat();
            all.sort_unstable();
            prop_assert_eq!(all, (0..n).collect::<Vec<_>>());
            prop_assert_eq!(ea.len(), n.div_ceil(m));
            prop_assert_eq!(&ea, &eb);
            // Two independent uniform permutations of ≥ 30 items give the same ordered
            // partition with probability ≤ (m!)^{N/m} / N! < 1e-9 for m ≤ 8.
            prop_assert_ne!(&ea, &ec);
            if let Some(p) = &previous {
                prop_assert_ne!(p, &ea);
            }
            previous = Some(ea);
        }
    }
}

/// All m-element subsets of 0..n, in lexicographic order.
fn combinations(n: usize, m: usize) -> Vec<Vec<usize>> {
    fn rec(start: usize, n: usize, m: usize, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if cur.len() == m {
            out.push(cur.clone());
            return;
        }
        for i in start..n {
            cur.push(i);
            rec(i + 1, n, m, cur, out);
            cur.pop();
        }
    }
    let mut out = Vec::new();
    rec(0, n, m, &mut Vec::new(), &mut out);
    out
}
