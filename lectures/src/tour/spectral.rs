//! Tour chapter `03-spectral-and-kernel`: Spectral and kernel methods.

use super::{Chapter, Section};

/// The chapter and its claims in notes order.
pub const CHAPTER: Chapter = Chapter {
    stem: "03-spectral-and-kernel",
    title: "Spectral and kernel methods",
    sections: SECTIONS,
};

const SECTIONS: &[Section] = &[];
