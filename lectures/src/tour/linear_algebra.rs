//! Tour chapter `00-linear-algebra`: Linear algebra: symmetric eigenproblems and the SVD.

use super::{Chapter, Section};

/// The chapter and its claims in notes order.
pub const CHAPTER: Chapter = Chapter {
    stem: "00-linear-algebra",
    title: "Linear algebra: symmetric eigenproblems and the SVD",
    sections: SECTIONS,
};

const SECTIONS: &[Section] = &[];
