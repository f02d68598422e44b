//! What the commands share (cargo feature `cli`, on by default; the library proper has no
//! terminal code): one flag vocabulary ([`DataArgs`], [`DimensionsArgs`], [`OutputArgs`], clap
//! structs a command flattens into its own) and one progress display ([`Progress`]) that turns
//! observer events into a bar on a terminal and plain lines when stderr is piped.
//!
//! The `dimred` command uses all of it; `lectures` flattens the same structs, so `--dataset`,
//! `--input`, `--label-column`, `--n-samples`, `--noise`, `--seed`, `-d/--dimensions` and
//! `-o/--output` mean the same in every command.

mod args;
mod progress;

pub use args::{parse_delimiter, DataArgs, DimensionsArgs, OutputArgs};
pub use progress::Progress;
