//! The tape: a Wengert list of matrix-valued nodes kept in an arena, and the backward sweep.
//!
//! Every operation appends one node: its value (a [`Matrix`]), the operation with the indices
//! of its parents ([`Op`](crate::ops)), and whether any parameter lies upstream of it. Nodes
//! are only ever appended, so a node's parents always have smaller indices and the tape is
//! already in topological order: the backward sweep is one loop from the output down to
//! index 0 (`ad.reverse`). A [`Var`] is a `Copy` handle, an index into the arena plus a tag
//! that catches a handle used on the wrong tape or after [`Tape::clear`]. There is no
//! `Rc<RefCell<..>>` graph: the arena owns everything, and the borrow checker sees plain
//! slices.
//!
//! # Reusing the tape across training steps
//!
//! Parameters live outside the tape (in the network's layers). Each step
//! 1. [`Tape::clear`] forgets the nodes but keeps every buffer: the node vectors keep their
//!    capacity and node `i` keeps its value and gradient matrices;
//! 2. the parameters and the minibatch are bound as leaves ([`Tape::param`],
//!    [`Tape::constant`]), which copies them into the leaf buffers;
//! 3. the forward pass rebuilds the graph: node `i` of this step reuses the matrices of
//!    node `i` of the previous step, overwritten in place;
//! 4. [`Tape::backward`], then the optimiser reads [`Tape::grad`] of each parameter leaf.
//!
//! When a step builds the same graph in the same order (every training loop does), every
//! node finds a buffer of the right shape and the step allocates nothing. A node whose shape
//! changed (a smaller last minibatch) is resized, keeping its allocation if it is large
//! enough ([`Matrix::resize_zeroed`]); [`Tape::buffer_allocations`] counts the times a buffer
//! had to grow, and `autodiff/tests/no_alloc.rs` checks with a counting allocator that a
//! repeated step performs no heap allocation at all. Copying the parameters in costs
//! O(#parameters) per step, small against the O(batch × #parameters) of the products.
//!
//! # Gradients accumulate (`ad.fan-out`)
//!
//! A node used by several operations receives the sum of their contributions: every
//! vector–Jacobian product *adds* into its parents' gradients. Gradients of intermediate
//! nodes are scratch space, zeroed at the start of each backward sweep; gradients of
//! parameter leaves are zeroed when the leaf is bound and otherwise keep accumulating, so
//! calling `backward` twice on the same graph doubles them (as in PyTorch) unless
//! [`Tape::zero_grad`] runs in between.

use crate::error::AutodiffError;
use crate::ops::{Op, Pass};
use linalg::Matrix;
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};

/// Gives every tape its own id, so a `Var` used with another tape is caught.
static NEXT_TAPE_ID: AtomicU32 = AtomicU32::new(1);

/// A handle to a node of a [`Tape`]: an index into its arena. Cheap to copy; all operations
/// go through the tape (`tape.matmul(x, w)`), which owns the values and gradients.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Var {
    index: usize,
    tape: u32,
    generation: u32,
}

impl Var {
    /// The node's position on the tape (`v3` in the tape's printout).
    pub fn index(self) -> usize {
        self.index
    }
}

/// A reverse-mode automatic differentiation tape over matrices (`ad.reverse`, `ad.fan-out`).
///
/// ```
/// use autodiff::Tape;
/// use linalg::Matrix;
///
/// // f(w) = Σ tanh(x w)^2 for a constant x: build, differentiate, read the gradient.
/// let mut tape = Tape::new();
/// let x = tape.constant(&Matrix::from_rows(&[[1.0, 2.0], [3.0, 4.0]]));
/// let w = tape.param(&Matrix::from_rows(&[[0.1], [-0.2]]));
/// let z = tape.matmul(x, w);
/// let h = tape.tanh(z);
/// let h2 = tape.square(h);
/// let loss = tape.sum(h2);
/// tape.backward(loss).unwrap();
/// assert_eq!(tape.grad(w).shape(), (2, 1));
/// ```
pub struct Tape {
    id: u32,
    /// Bumped by `clear`, so handles from an earlier step are rejected.
    generation: u32,
    /// Number of live nodes; entries `len..` of the vectors are buffers kept for reuse.
    len: usize,
    ops: Vec<Op>,
    /// True when a parameter lies upstream: only such nodes get a gradient.
    needs_grad: Vec<bool>,
    values: Vec<Matrix>,
    grads: Vec<Matrix>,
    buffer_allocations: usize,
}

impl Default for Tape {
    fn default() -> Self {
        Self::new()
    }
}

impl Tape {
    /// An empty tape.
    pub fn new() -> Self {
        Tape {
            id: NEXT_TAPE_ID.fetch_add(1, Ordering::Relaxed),
            generation: 0,
            len: 0,
            ops: Vec::new(),
            needs_grad: Vec::new(),
            values: Vec::new(),
            grads: Vec::new(),
            buffer_allocations: 0,
        }
    }

    /// Forget every node but keep all buffers for the next step (see the module docs).
    /// Handles made before the call are invalid afterwards, and using one panics.
    pub fn clear(&mut self) {
        self.len = 0;
        self.generation = self.generation.wrapping_add(1);
    }

    /// Number of nodes on the tape.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the tape has no nodes.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many times a value or gradient buffer had to be allocated or grown since the tape
    /// was made. After the first training step it stays constant.
    pub fn buffer_allocations(&self) -> usize {
        self.buffer_allocations
    }

    /// A leaf whose gradient `backward` computes: a parameter (weights, biases) or any input
    /// you differentiate with respect to. The value is copied onto the tape; its gradient
    /// starts at zero.
    pub fn param(&mut self, value: &Matrix) -> Var {
        self.leaf(value, true)
    }

    /// A leaf that needs no gradient: data, targets, the VAE's sampled ε. Operations whose
    /// inputs are all constants are constants too, and `backward` skips them.
    pub fn constant(&mut self, value: &Matrix) -> Var {
        self.leaf(value, false)
    }

    fn leaf(&mut self, value: &Matrix, needs_grad: bool) -> Var {
        let i = self.reserve(Op::Leaf, value.shape(), needs_grad);
        self.values[i]
            .as_mut_slice()
            .copy_from_slice(value.as_slice());
        self.var(i)
    }

    /// Append node `len` with the given operation and shape, reusing the buffers of the node
    /// that had this index before the last `clear`; its value is left to the caller.
    fn reserve(&mut self, op: Op, shape: (usize, usize), needs_grad: bool) -> usize {
        let i = self.len;
        if i == self.values.len() {
            // A new high-water mark: the only place the arena grows.
            self.ops.push(op);
            self.needs_grad.push(needs_grad);
            self.values.push(Matrix::zeros(0, 0));
            self.grads.push(Matrix::zeros(0, 0));
        }
        self.ops[i] = op;
        self.needs_grad[i] = needs_grad;
        fit(&mut self.values[i], shape, &mut self.buffer_allocations);
        if needs_grad {
            fit(&mut self.grads[i], shape, &mut self.buffer_allocations);
            // A parameter's gradient accumulates from zero; an intermediate node's gradient
            // is zeroed by each backward sweep instead (one pass over memory, not two).
            if op.is_leaf() {
                self.grads[i].as_mut_slice().fill(0.0);
            }
        }
        self.len += 1;
        i
    }

    /// Append the node computed by `op` (its shape already checked) and run its forward pass
    /// into the node's value buffer.
    pub(crate) fn push(&mut self, op: Op, shape: (usize, usize)) -> Var {
        let needs_grad = op.parents().any(|p| self.needs_grad[p]);
        let i = self.reserve(op, shape, needs_grad);
        // Parents have smaller indices: split the arena so they can be read while node i is
        // written.
        let (parents, rest) = self.values.split_at_mut(i);
        op.eval(parents, Pass::Forward(&mut rest[0]));
        self.var(i)
    }

    fn var(&self, index: usize) -> Var {
        Var {
            index,
            tape: self.id,
            generation: self.generation,
        }
    }

    /// The arena index of `v`, after checking that `v` belongs to this tape and this step.
    #[track_caller]
    pub(crate) fn index(&self, v: Var) -> usize {
        assert!(
            v.tape == self.id,
            "Var v{} belongs to another tape (tape #{}, this is tape #{})",
            v.index,
            v.tape,
            self.id
        );
        assert!(
            v.generation == self.generation && v.index < self.len,
            "Var v{} was made before the last Tape::clear; rebuild it in this step",
            v.index
        );
        v.index
    }

    /// The shape of node `i` (for the shape checks of the operations).
    pub(crate) fn shape_at(&self, i: usize) -> (usize, usize) {
        self.values[i].shape()
    }

    /// The value of a node.
    ///
    /// # Panics
    /// If `v` belongs to another tape or to a step before the last `clear`.
    #[track_caller]
    pub fn value(&self, v: Var) -> &Matrix {
        &self.values[self.index(v)]
    }

    /// The value of a 1x1 node as a number.
    ///
    /// # Panics
    /// If the node is not 1x1, or `v` is not a live node of this tape.
    #[track_caller]
    pub fn scalar(&self, v: Var) -> f64 {
        let m = self.value(v);
        assert!(
            m.shape() == (1, 1),
            "Tape::scalar: node v{} is {}x{}, not 1x1",
            v.index,
            m.nrows(),
            m.ncols()
        );
        m[(0, 0)]
    }

    /// The shape of a node's value.
    ///
    /// # Panics
    /// If `v` is not a live node of this tape.
    #[track_caller]
    pub fn shape(&self, v: Var) -> (usize, usize) {
        self.value(v).shape()
    }

    /// True when a parameter lies upstream of `v`, so that `v` has a gradient.
    ///
    /// # Panics
    /// If `v` is not a live node of this tape.
    #[track_caller]
    pub fn needs_grad(&self, v: Var) -> bool {
        self.needs_grad[self.index(v)]
    }

    /// The gradient ∂loss/∂v filled in by the last [`Tape::backward`], same shape as `v`.
    /// A parameter's gradient is zero from its binding until the first backward sweep; an
    /// intermediate node's gradient is meaningful only after a sweep (its buffer is scratch
    /// space, reset by each sweep).
    ///
    /// # Panics
    /// If `v` is a constant or depends only on constants (it has no gradient), or is not a
    /// live node of this tape.
    #[track_caller]
    pub fn grad(&self, v: Var) -> &Matrix {
        let i = self.index(v);
        assert!(
            self.needs_grad[i],
            "Tape::grad: node v{i} ({}) depends on no parameter, so it has no gradient; \
             bind it with Tape::param to differentiate with respect to it",
            self.ops[i].name()
        );
        &self.grads[i]
    }

    /// Set the gradients of all parameter leaves to zero (intermediate gradients are reset by
    /// every backward sweep anyway). Needed only to call `backward` again on the same graph.
    pub fn zero_grad(&mut self) {
        for i in 0..self.len {
            if self.needs_grad[i] {
                self.grads[i].as_mut_slice().fill(0.0);
            }
        }
    }

    /// Reverse sweep (`ad.reverse`): fill ∂loss/∂v for every node v upstream of the scalar
    /// `loss` that depends on a parameter, visiting each node once, from `loss` down to the
    /// leaves, each node adding its vector–Jacobian product into its parents' gradients.
    ///
    /// With ȳ = ∂loss/∂y for a node y = op(a, b): ā += ȳ ∂y/∂a and b̄ += ȳ ∂y/∂b, the formulas
    /// of [`crate::ops`]. A node used k times gets the sum of k contributions (`ad.fan-out`).
    /// The cost is a constant times the forward pass: one VJP per node, each about as
    /// expensive as the forward operation (two products for a matmul).
    ///
    /// Parameter gradients accumulate: a second call on the same graph adds the gradient
    /// again (doubling it) unless [`Tape::zero_grad`] runs in between.
    ///
    /// # Errors
    /// [`AutodiffError::NotScalar`] (naming the shape) if `loss` is not 1x1;
    /// [`AutodiffError::NoParameters`] if no parameter lies upstream;
    /// [`AutodiffError::NonFiniteValue`] / [`AutodiffError::NonFiniteGradient`] if the loss
    /// or a parameter's gradient is NaN or infinite (never a silent NaN).
    ///
    /// # Panics
    /// If `loss` is not a live node of this tape.
    #[track_caller]
    pub fn backward(&mut self, loss: Var) -> Result<(), AutodiffError> {
        let l = self.index(loss);
        let (rows, cols) = self.values[l].shape();
        if (rows, cols) != (1, 1) {
            return Err(AutodiffError::NotScalar {
                node: l,
                rows,
                cols,
            });
        }
        if !self.needs_grad[l] {
            return Err(AutodiffError::NoParameters { node: l });
        }
        if !self.values[l][(0, 0)].is_finite() {
            return Err(self.first_non_finite_value(l));
        }
        for i in 0..=l {
            if self.needs_grad[i] && !self.ops[i].is_leaf() {
                self.grads[i].as_mut_slice().fill(0.0);
            }
        }
        self.grads[l][(0, 0)] += 1.0;
        for i in (0..=l).rev() {
            if !self.needs_grad[i] || self.ops[i].is_leaf() {
                continue;
            }
            // Gradients of the parents (indices < i) are written, node i's is read.
            let (parent_grads, rest) = self.grads.split_at_mut(i);
            let pass = Pass::Vjp {
                needs: &self.needs_grad,
                y: &self.values[i],
                gy: &rest[0],
                g: parent_grads,
            };
            self.ops[i].eval(&self.values, pass);
        }
        let bad_leaf = (0..=l).any(|i| {
            self.needs_grad[i] && self.ops[i].is_leaf() && self.grads[i].find_non_finite().is_some()
        });
        if bad_leaf {
            return Err(self.first_non_finite(l));
        }
        Ok(())
    }

    /// The first node (forward order) up to `l` whose value is not finite.
    fn first_non_finite_value(&self, l: usize) -> AutodiffError {
        let (node, (at, value)) = (0..=l)
            .find_map(|i| self.values[i].find_non_finite().map(|f| (i, f)))
            .expect("a non-finite loss has a non-finite node upstream");
        AutodiffError::NonFiniteValue {
            node,
            op: self.ops[node].name(),
            at,
            value,
        }
    }

    /// Explain a non-finite parameter gradient: a non-finite value if there is one, else the
    /// node nearest the loss whose gradient is not finite.
    fn first_non_finite(&self, l: usize) -> AutodiffError {
        if (0..=l).any(|i| self.values[i].find_non_finite().is_some()) {
            return self.first_non_finite_value(l);
        }
        let (node, (at, value)) = (0..=l)
            .rev()
            .filter(|&i| self.needs_grad[i])
            .find_map(|i| self.grads[i].find_non_finite().map(|f| (i, f)))
            .expect("a non-finite parameter gradient is a non-finite gradient");
        AutodiffError::NonFiniteGradient {
            node,
            op: self.ops[node].name(),
            at,
            value,
        }
    }
}

/// Give `m` the shape `shape`, reusing its allocation when it is large enough; counts the
/// allocations it cannot avoid.
fn fit(m: &mut Matrix, (rows, cols): (usize, usize), allocations: &mut usize) {
    if m.shape() != (rows, cols) {
        if rows * cols > m.capacity() {
            *allocations += 1;
        }
        m.resize_zeroed(rows, cols);
    }
}

/// The Wengert list, one line per node, for example
///
/// ```text
/// v0 = constant                     3x2
/// v2 = param                        2x1
/// v4 = matmul(v0, v2)               3x1
/// v7 = squared_error(v6, v1)        1x1
/// ```
///
/// Operations whose inputs are all constants are marked `(no grad)`.
impl fmt::Display for Tape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for i in 0..self.len {
            let (r, c) = self.values[i].shape();
            let op = self.ops[i];
            let parents: Vec<String> = op.parents().map(|p| format!("v{p}")).collect();
            let expr = match (op.is_leaf(), self.needs_grad[i]) {
                (true, true) => "param".to_string(),
                (true, false) => "constant".to_string(),
                (false, _) => format!("{}({})", op.name(), parents.join(", ")),
            };
            let note = if !op.is_leaf() && !self.needs_grad[i] {
                "  (no grad)"
            } else {
                ""
            };
            writeln!(f, "{:<34}{r}x{c}{note}", format!("v{i} = {expr}"))?;
        }
        Ok(())
    }
}

impl fmt::Debug for Tape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tape #{} with {} nodes:\n{self}", self.id, self.len)
    }
}
