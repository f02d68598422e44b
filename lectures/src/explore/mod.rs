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

/// A live page and the claims it animates: the course book shows a "watch it live" panel in
/// each of these claims' evidence when the book is served by `lectures explore` (under
/// `/book/`), and nothing when it is read from disk.
#[derive(Debug, Clone, Copy)]
pub struct LivePage {
    /// The page's path on the server.
    pub path: &'static str,
    /// What the page shows, one line.
    pub title: &'static str,
    /// The claim ids the page names.
    pub claims: &'static [&'static str],
}

/// The eight pages and their claims, in the order of the index page.
pub const LIVE_PAGES: &[LivePage] = &[
    LivePage {
        path: "/jacobi",
        title: "Jacobi, rotation by rotation",
        claims: &["la.jacobi.converges", "la.jacobi.invariants"],
    },
    LivePage {
        path: "/pca3",
        title: "Three ways to PCA, the linear autoencoder training",
        claims: &[
            "dr.pca.covariance",
            "dr.mds.classical",
            "nn.lae.trace",
            "nn.lae.training",
        ],
    },
    LivePage {
        path: "/spectral",
        title: "Kernel PCA, Isomap and diffusion maps with sliders",
        claims: &[
            "dr.kpca.centering",
            "dr.isomap.geodesic",
            "dr.diffusion.markov",
        ],
    },
    LivePage {
        path: "/tsne",
        title: "t-SNE and SNE iterating",
        claims: &["dr.sne.affinities", "dr.tsne.gradient"],
    },
    LivePage {
        path: "/mds",
        title: "Metric MDS and sketch-map iterating",
        claims: &["dr.mds.stress", "dr.sketchmap.stress"],
    },
    LivePage {
        path: "/gd",
        title: "Gradient descent on a quadratic, momentum and SGD",
        claims: &["nn.gd", "nn.sgd"],
    },
    LivePage {
        path: "/neuron",
        title: "The tanh neuron training; L1, L2 and elastic-net paths",
        claims: &["nn.neuron.tanh", "nn.regularization"],
    },
    LivePage {
        path: "/autoencoders",
        title: "The autoencoder and the VAE training",
        claims: &["nn.ae.loss", "nn.vae.elbo"],
    },
];

/// Claims whose view is not the page's default, with the controls to preset (explore.js sets
/// the control of each id in the query before the page's first request).
const CLAIM_PRESETS: &[(&str, &str)] = &[
    ("dr.isomap.geodesic", "method=isomap"),
    ("dr.diffusion.markov", "method=diffusion"),
    ("dr.sketchmap.stress", "method=sketchmap"),
    ("nn.vae.elbo", "model=vae"),
];

/// The live page that animates `claim`, if one does, and the address of the claim's view
/// on it (the page's path, with a query presetting its controls where the claim needs it).
pub fn live_page_of(claim: &str) -> Option<(&'static LivePage, String)> {
    let page = LIVE_PAGES.iter().find(|p| p.claims.contains(&claim))?;
    let address = match CLAIM_PRESETS.iter().find(|(c, _)| *c == claim) {
        Some((_, query)) => format!("{}?{query}", page.path),
        None => page.path.to_string(),
    };
    Some((page, address))
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
