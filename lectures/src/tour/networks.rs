//! Tour chapter `05-neural-networks`: Neural networks.

use super::{Chapter, Section};

/// The chapter and its claims in notes order.
pub const CHAPTER: Chapter = Chapter {
    stem: "05-neural-networks",
    title: "Neural networks",
    sections: SECTIONS,
};

const SECTIONS: &[Section] = &[];
