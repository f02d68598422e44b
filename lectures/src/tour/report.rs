//! The tour's HTML report: one self-contained folder (`index.html` plus the SVG figures).
