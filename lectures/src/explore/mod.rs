//! `lectures explore`: live pages where a student moves a control and watches the workspace's
//! own code recompute.
//!
//! A small synchronous HTTP server ([tiny_http]) bound to 127.0.0.1 serves the pages (plain
//! HTML, CSS and hand-written JavaScript compiled into the binary), a JSON API that runs the
//! library code, the notes and sources each page cites, and the tour's HTML book when it has
//! been built (`out/tour`).
//!
//! Figures are drawn in the page from JSON, not as SVG on the server: one response carries the
//! numbers (a matrix, a point cloud, a loss curve) in a few kB, a canvas redraws it in well
//! under a millisecond, and the same drawer serves the static views and the frames that live
//! runs stream while the library iterates ([`jobs`]). dimred's SVG plots remain the tour's
//! figures.
//!
//! | module | what |
//! |---|---|
//! | [`server`] | the HTTP loop, routing, static files, the read-only book folder, panics caught |
//! | [`params`] | query parsing and validation: every bad parameter is an HTTP 400 with a message |
//! | [`datasets`] | the data sets the pages offer (built-in and generated) |
//! | [`jobs`] | live runs: a registry of computing jobs whose frames the pages poll |
//! | [`jacobi_steps`] | page 1: Jacobi rotation by rotation (`la.jacobi.converges`, `la.jacobi.invariants`) |
//! | [`pca_three_ways`] | page 2: covariance PCA, classical MDS and a linear autoencoder trained by GD |
//! | [`spectral`] | page 3: kernel PCA, Isomap and diffusion maps with sliders |
//! | [`tsne_live`] | page 4: t-SNE and SNE iterating live, the KL curve, early exaggeration |
//! | [`stress_maps`] | page 5: SMACOF and sketch-map iterating live, the stress per step |
//! | [`gradient_descent`] | page 6: GD on a quadratic, momentum, SGD against GD |
//! | [`neuron`] | page 7: the tanh neuron's decision line per epoch; L1/L2/elastic-net paths |
//! | [`autoencoders`] | page 8: the deep autoencoder and the VAE trained live, codes per epoch |

pub mod autoencoders;
pub mod datasets;
pub mod gradient_descent;
pub mod jacobi_steps;
pub mod jobs;
pub mod neuron;
pub mod params;
pub mod pca_three_ways;
pub mod server;
pub mod spectral;
pub mod stress_maps;
pub mod tsne_live;

use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// Options of `lectures explore`.
#[derive(Debug, Clone, Args)]
pub struct ExploreArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Open the address in the default browser (xdg-open / open).
    #[arg(long)]
    pub open: bool,
    /// The tour's HTML book, served read-only under /book/ when the folder exists.
    #[arg(long, default_value = "out/tour")]
    pub book: PathBuf,
}

/// Run `lectures explore` until the process is interrupted (Ctrl-C). The server keeps no
/// state on disk and holds no open files between requests, so the default SIGINT action
/// (ending the process, the operating system closing the socket) is a clean stop.
pub fn cli(args: ExploreArgs) -> ExitCode {
    let book = args.book.is_dir().then(|| args.book.clone());
    match server::serve(args.port, book, args.open) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
