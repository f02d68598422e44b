//! Tour chapter `02-autodiff`: Automatic differentiation.

use super::{Chapter, Section};

/// The chapter and its claims in notes order.
pub const CHAPTER: Chapter = Chapter {
    stem: "02-autodiff",
    title: "Automatic differentiation",
    sections: SECTIONS,
};

const SECTIONS: &[Section] = &[];
