//! A multilayer perceptron: a stack of dense layers, X^0 → X^1 → ... → X^L, with a forward pass
//! that keeps every X^ℓ and a backward pass that runs the layers' formulas from ℓ = L down to 1
//! (`nn.backprop`; the index convention is in [`crate::layer`]).

use crate::{Activation, Dense, DenseGrad, Init, Loss};
use linalg::Matrix;

/// A multilayer perceptron: a `Vec` of [`Dense`] layers applied in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    /// The layers, layer 1 first.
    pub layers: Vec<Dense>,
}

/// ∇L for every layer of an [`Mlp`], in layer order.
#[derive(Debug, Clone, PartialEq)]
pub struct Gradients {
    /// One entry per layer.
    pub layers: Vec<DenseGrad>,
}

/// Buffers for one batch size: the activations X^1..X^L of the forward pass and the gradients
/// ∇_{X^ℓ} L of the backward pass. Reusing a workspace makes training allocation-free.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// X^ℓ for ℓ = 1..=L (index ℓ - 1).
    pub activations: Vec<Matrix>,
    /// ∇_{X^ℓ} L, overwritten by Δ^ℓ during the backward pass (index ℓ - 1).
    pub grads: Vec<Matrix>,
}

impl Workspace {
    /// Number of rows (samples) the buffers are sized for.
    pub fn batch_size(&self) -> usize {
        self.activations.first().map_or(0, |m| m.nrows())
    }

    /// X^L, the output of the last forward pass.
    pub fn output(&self) -> &Matrix {
        self.activations
            .last()
            .expect("a network has at least one layer")
    }
}

impl Mlp {
    /// A network with layer widths `sizes` = [n_0, n_1, ..., n_L] and one activation per layer,
    /// weights from [`Init::for_activation`] (Xavier for tanh/sigmoid/identity, He for relu),
    /// drawn from `linalg::rng(seed)`; biases 0.
    ///
    /// # Panics
    /// If `sizes.len() != activations.len() + 1` or there are no layers.
    ///
    /// ```
    /// use nn::{Activation::*, Mlp};
    /// let net = Mlp::new(&[64, 32, 2, 32, 64], &[Tanh, Tanh, Tanh, Identity], 0);
    /// assert_eq!(net.num_params(), 64 * 32 + 32 + 32 * 2 + 2 + 2 * 32 + 32 + 32 * 64 + 64);
    /// ```
    #[track_caller]
    pub fn new(sizes: &[usize], activations: &[Activation], seed: u64) -> Self {
        Self::build(sizes, activations, seed, None)
    }

    /// As [`Mlp::new`] with the same initialisation scheme for every layer.
    #[track_caller]
    pub fn with_init(sizes: &[usize], activations: &[Activation], init: Init, seed: u64) -> Self {
        Self::build(sizes, activations, seed, Some(init))
    }

    #[track_caller]
    fn build(sizes: &[usize], activations: &[Activation], seed: u64, init: Option<Init>) -> Self {
        assert!(
            !activations.is_empty() && sizes.len() == activations.len() + 1,
            "Mlp::new: {} sizes need {} activations, got {}",
            sizes.len(),
            sizes.len().saturating_sub(1),
            activations.len()
        );
        let mut g = linalg::rng(seed);
        let layers = sizes
            .windows(2)
            .zip(activations)
            .map(|(s, &act)| {
                let init = init.unwrap_or(Init::for_activation(act));
                Dense::new(s[0], s[1], act, init, &mut g)
            })
            .collect();
        Mlp { layers }
    }

    /// Input width n_0.
    pub fn input_dim(&self) -> usize {
        self.layers[0].n_in()
    }

    /// Output width n_L.
    pub fn output_dim(&self) -> usize {
        self.layers.last().expect("a network has layers").n_out()
    }

    /// Number of trainable numbers (all weights and biases).
    pub fn num_params(&self) -> usize {
        self.layers
            .iter()
            .map(|l| l.w.as_slice().len() + l.b.len())
            .sum()
    }

    /// Buffers for batches of `batch` rows.
    pub fn workspace(&self, batch: usize) -> Workspace {
        let activations: Vec<Matrix> = self
            .layers
            .iter()
            .map(|l| Matrix::zeros(batch, l.n_out()))
            .collect();
        Workspace {
            grads: activations.clone(),
            activations,
        }
    }

    /// Zero gradients shaped like this network.
    pub fn zero_gradients(&self) -> Gradients {
        Gradients {
            layers: self
                .layers
                .iter()
                .map(|l| DenseGrad::zeros(l.n_in(), l.n_out()))
                .collect(),
        }
    }

    /// The network's output X^L for input X^0 = `x` (one sample per row).
    ///
    /// # Panics
    /// If `x.ncols() != input_dim()`.
    #[track_caller]
    pub fn forward(&self, x: &Matrix) -> Matrix {
        let mut ws = self.workspace(x.nrows());
        self.forward_cached(x, &mut ws);
        ws.activations.pop().expect("a network has layers")
    }

    /// The forward pass keeping every X^ℓ in `ws` (resized if the batch size changed);
    /// returns X^L.
    ///
    /// # Panics
    /// If `x.ncols() != input_dim()`.
    #[track_caller]
    pub fn forward_cached<'w>(&self, x: &Matrix, ws: &'w mut Workspace) -> &'w Matrix {
        assert_eq!(
            x.ncols(),
            self.input_dim(),
            "Mlp::forward: input has {} columns, the network expects {}",
            x.ncols(),
            self.input_dim()
        );
        if ws.activations.len() != self.layers.len() {
            *ws = self.workspace(x.nrows());
        } else if ws.batch_size() != x.nrows() {
            // A new batch size (the last, smaller minibatch): keep the allocations.
            for (l, (a, g)) in self
                .layers
                .iter()
                .zip(ws.activations.iter_mut().zip(ws.grads.iter_mut()))
            {
                a.resize_zeroed(x.nrows(), l.n_out());
                g.resize_zeroed(x.nrows(), l.n_out());
            }
        }
        // X^1 = f(X^0 W^1 + 1 b^1), then X^ℓ from X^{ℓ-1}.
        self.layers[0].forward_into(x, &mut ws.activations[0]);
        for l in 1..self.layers.len() {
            let (done, rest) = ws.activations.split_at_mut(l);
            self.layers[l].forward_into(&done[l - 1], &mut rest[0]);
        }
        ws.output()
    }

    /// The backward pass (`nn.backprop`) after [`Mlp::forward_cached`] on the same `x` and `ws`, with
    /// ∇_{X^L} L already in `ws.grads[L-1]`: fills `grads` with ∇_{W^ℓ} L and ∇_{b^ℓ} L for
    /// every layer (overwriting), running each layer's [`Dense::backward`] from ℓ = L to 1.
    ///
    /// # Panics
    /// If the shapes of `x`, `ws` or `grads` do not fit the network.
    #[track_caller]
    pub fn backward(&self, x: &Matrix, ws: &mut Workspace, grads: &mut Gradients) {
        self.backward_to_input(x, ws, grads, None);
    }

    /// [`Mlp::backward`], and also ∇_{X^0} L into `grad_input` when given (x's shape): the
    /// gradient a network feeding this one needs (the VAE's decoder passes it to the sampling
    /// step, `nn.vae.elbo`).
    ///
    /// # Panics
    /// As [`Mlp::backward`], or if `grad_input` is not shaped like `x`.
    #[track_caller]
    pub fn backward_to_input(
        &self,
        x: &Matrix,
        ws: &mut Workspace,
        grads: &mut Gradients,
        mut grad_input: Option<&mut Matrix>,
    ) {
        if let Some(g) = grad_input.as_deref() {
            assert_eq!(
                g.shape(),
                x.shape(),
                "Mlp::backward_to_input: input gradient buffer {:?} for input {:?}",
                g.shape(),
                x.shape()
            );
        }
        let n = self.layers.len();
        assert_eq!(
            grads.layers.len(),
            n,
            "Mlp::backward: {} gradient slots for {n} layers",
            grads.layers.len()
        );
        for l in (0..n).rev() {
            // Layer ℓ = l + 1. Its input X^{ℓ-1} is the network input for the first layer.
            let x_prev = if l == 0 { x } else { &ws.activations[l - 1] };
            let (lower, upper) = ws.grads.split_at_mut(l);
            let grad_x_prev = if l == 0 {
                grad_input.take()
            } else {
                Some(&mut lower[l - 1])
            };
            self.layers[l].backward(
                x_prev,
                &ws.activations[l],
                &mut upper[0],
                &mut grads.layers[l],
                grad_x_prev,
            );
        }
    }

    /// The loss of the network on (x, y) and its gradient with respect to every weight and
    /// bias, written into `grads`: forward pass, ∂L/∂X^L from the loss, backward pass.
    ///
    /// # Panics
    /// If the shapes of `x`, `y` or `grads` do not fit the network.
    #[track_caller]
    pub fn loss_and_gradient(
        &self,
        x: &Matrix,
        y: &Matrix,
        loss: Loss,
        ws: &mut Workspace,
        grads: &mut Gradients,
    ) -> f64 {
        self.forward_cached(x, ws);
        let last = self.layers.len() - 1;
        let (acts, gs) = (&ws.activations, &mut ws.grads);
        let value = loss.value_and_gradient_into(&acts[last], y, &mut gs[last]);
        self.backward(x, ws, grads);
        value
    }

    /// The loss of the network on (x, y) (a forward pass only).
    ///
    /// # Panics
    /// If the shapes do not fit the network.
    #[track_caller]
    pub fn loss(&self, x: &Matrix, y: &Matrix, loss: Loss) -> f64 {
        loss.value(&self.forward(x), y)
    }

    /// All parameters as one vector: for each layer, W row by row, then b.
    pub fn params(&self) -> Vec<f64> {
        let mut p = Vec::with_capacity(self.num_params());
        for l in &self.layers {
            p.extend_from_slice(l.w.as_slice());
            p.extend_from_slice(&l.b);
        }
        p
    }

    /// Set all parameters from a vector in the order of [`Mlp::params`].
    ///
    /// # Panics
    /// If `p.len() != num_params()`.
    #[track_caller]
    pub fn set_params(&mut self, p: &[f64]) {
        assert_eq!(
            p.len(),
            self.num_params(),
            "Mlp::set_params: {} values for {} parameters",
            p.len(),
            self.num_params()
        );
        let mut rest = p;
        for l in &mut self.layers {
            let (w, tail) = rest.split_at(l.w.as_slice().len());
            let (b, tail) = tail.split_at(l.b.len());
            l.w.as_mut_slice().copy_from_slice(w);
            l.b.copy_from_slice(b);
            rest = tail;
        }
    }

    /// The parameters as mutable slices, one per tensor, in the order W^1, b^1, W^2, b^2, ...
    /// (the layout optimisers and [`Gradients::slices`] share).
    pub fn param_slices_mut(&mut self) -> Vec<&mut [f64]> {
        let mut v = Vec::with_capacity(2 * self.layers.len());
        for l in &mut self.layers {
            v.push(l.w.as_mut_slice());
            v.push(l.b.as_mut_slice());
        }
        v
    }

    /// The first non-finite parameter, if any: (layer index from 0, "W" or "b", value).
    pub fn find_non_finite(&self) -> Option<(usize, &'static str, f64)> {
        self.layers.iter().enumerate().find_map(|(i, l)| {
            if let Some((_, v)) = l.w.find_non_finite() {
                return Some((i, "W", v));
            }
            l.b.iter().find(|v| !v.is_finite()).map(|&v| (i, "b", v))
        })
    }
}

impl Gradients {
    /// The gradients as slices, one per tensor, in the order ∇W^1, ∇b^1, ∇W^2, ∇b^2, ...
    pub fn slices(&self) -> Vec<&[f64]> {
        let mut v = Vec::with_capacity(2 * self.layers.len());
        for l in &self.layers {
            v.push(l.w.as_slice());
            v.push(l.b.as_slice());
        }
        v
    }

    /// All gradients as one vector, in the order of [`Mlp::params`].
    pub fn to_vec(&self) -> Vec<f64> {
        self.slices().concat()
    }
}
