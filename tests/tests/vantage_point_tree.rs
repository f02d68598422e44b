//! The vantage-point tree behind the sparse P of t-SNE (`dr.sne.affinities` at large N): its k
//! nearest neighbours are those of the brute-force search, bit for bit and in the same order,
//! ties and duplicate points included.

use dimred::vantage_point_tree::{Neighbour, VantagePointTree};
use linalg::Matrix;
use proptest::prelude::*;

/// All N - 1 candidates of row i sorted by (squared distance, index): the definition of the
/// k nearest neighbours with ties broken by index.
fn brute_force(x: &Matrix, i: usize, k: usize) -> Vec<Neighbour> {
    let mut all: Vec<Neighbour> = (0..x.nrows())
        .filter(|&j| j != i)
        .map(|j| Neighbour {
            sq_dist: linalg::sq_dist(x.row(i), x.row(j)),
            index: j,
        })
        .collect();
    all.sort();
    all.truncate(k);
    all
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Real-valued points (no ties) and points on a coarse integer grid (many ties at the k-th
    /// distance, and duplicates at distance 0): the tree returns exactly the brute-force list
    /// for every row and every k from 1 to N - 1.
    #[test]
    fn vp_tree_neighbours_equal_brute_force(
        n in 2usize..160,
        dim in 1usize..6,
        grid in prop::bool::ANY,
        k_frac in 0.0f64..1.0,
        seed in 0u64..10_000,
    ) {
        let x = Matrix::random_normal(n, dim, seed)
            .map(|v| if grid { (1.5 * v).round() } else { v });
        let k = 1 + ((n - 2) as f64 * k_frac) as usize;
        let tree = VantagePointTree::new(&x);
        for i in 0..n {
            prop_assert_eq!(tree.nearest(i, k), brute_force(&x, i, k), "row {} k {}", i, k);
        }
    }
}

/// At a size where the tree has many levels (N = 3000, blobs in 10-D as in the t-SNE
/// benchmark, k = 90 = 3 · perplexity 30), every row's list is the brute-force list.
#[test]
fn vp_tree_neighbours_equal_brute_force_on_blobs() {
    let x = dimred::data::blobs(3000, 4, 10, 1.0, 0).x;
    let tree = VantagePointTree::new(&x);
    for i in (0..3000).step_by(7) {
        assert_eq!(tree.nearest(i, 90), brute_force(&x, i, 90), "row {i}");
    }
}

/// k = 0 gives nothing; a bad row or k panics naming the operation.
#[test]
fn vp_tree_edge_cases() {
    let x = Matrix::random_normal(20, 3, 1);
    let tree = VantagePointTree::new(&x);
    assert!(tree.nearest(3, 0).is_empty());
    assert_eq!(tree.nearest(3, 19).len(), 19);
    let err = std::panic::catch_unwind(|| tree.nearest(3, 20)).unwrap_err();
    let msg = err.downcast_ref::<String>().unwrap();
    assert!(msg.contains("VantagePointTree::nearest"), "{msg}");
}
