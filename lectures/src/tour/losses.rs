//! Tour chapter `04-losses-and-probabilistic`: Losses and probabilistic embeddings.

use super::{Chapter, Section};

/// The chapter and its claims in notes order.
pub const CHAPTER: Chapter = Chapter {
    stem: "04-losses-and-probabilistic",
    title: "Losses and probabilistic embeddings",
    sections: SECTIONS,
};

const SECTIONS: &[Section] = &[];
