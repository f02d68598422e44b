//! Tour chapter `01-pca-and-mds`: PCA and classical MDS.

use super::{Chapter, Section};

/// The chapter and its claims in notes order.
pub const CHAPTER: Chapter = Chapter {
    stem: "01-pca-and-mds",
    title: "PCA and classical MDS",
    sections: SECTIONS,
};

const SECTIONS: &[Section] = &[];
