//! How each method's cost grows with N: wall time and peak memory of every method of the
//! course at N = 500 … 70 000 swiss-roll points, written as CSV, and the log-log figures.
//!
//! ```text
//! cargo run --release -p lectures --example scaling                      # measure: ours.csv
//! cargo run --release -p lectures --example scaling -- --cap 60 --sizes 500,1000,2000
//! cargo run --release -p lectures --example scaling -- --methods isomap-landmark --sizes 20000
//! python3 dimred/benches/scaling_reference.py                            # reference.csv
//! cargo run --release -p lectures --example scaling -- --plot            # the figures
//! cargo run --release -p lectures --example scaling -- --landmark-target # Isomap at 20 000
//! ```
//!
//! Why an example and not a criterion bench: criterion repeats each measurement at least ten
//! times, and one exact Isomap at N = 20 000 already takes minutes. Why in `lectures`: the
//! deep autoencoder lives in `nn`, which `dimred` does not depend on (the crates are
//! siblings, see the README's architecture), and `lectures` is the crate that sees both.
//!
//! Each (method, N) runs in a child process of this program (`--child METHOD N`), which
//! generates the data, times the fit alone, and prints its time and its peak resident memory
//! (VmHWM of `/proc/self/status`, so the data and the program count too: a few MB). A fresh
//! process per run keeps one run's memory out of the next one's peak. A method whose run passes
//! the time cap (`--cap SECONDS`, default 300) is killed and not run at larger N; such rows
//! are marked `timeout` and `skipped` in the CSV, and runs that would need more than
//! `--max-gib` (default 16) for their N x N matrices are marked `skipped-memory`. The load
//! average at the start of each run is in the CSV, because the machine is shared.

use dimred::diffusion::DiffusionMaps;
use dimred::isomap::{Isomap, Neighbourhood};
use dimred::kernels::Kernel;
use dimred::kpca::KernelPca;
use dimred::landmark::LandmarkIsomap;
use dimred::mds::ClassicalMds;
use dimred::nystrom::{NystromDiffusion, NystromKernelPca};
use dimred::pca::Pca;
use dimred::plot::{Lines, Series};
use dimred::smacof::Smacof;
use dimred::tsne::TSne;
use linalg::Matrix;
use nn::{Activation, Adam, Autoencoder, Schedule, TrainConfig};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Every method measured, by its name in the CSV, and whether it holds N x N matrices.
const METHODS: [(&str, bool); 11] = [
    ("pca", false),
    ("mds", true),
    ("kpca", true),
    ("kpca-nystrom", false),
    ("isomap", true),
    ("isomap-landmark", false),
    ("diffusion", true),
    ("diffusion-nystrom", false),
    ("smacof", true),
    ("tsne", false),
    ("autoencoder-epoch", false),
];
const SIZES: [usize; 7] = [500, 1000, 2000, 5000, 10_000, 20_000, 70_000];
/// Landmarks of landmark Isomap (the issue's target setting) and of the Nyström methods.
const ISOMAP_LANDMARKS: usize = 1000;
const NYSTROM_LANDMARKS: usize = 500;
const K_NEIGHBOURS: usize = 10;
const SEED: u64 = 0;
const OUT_DIR: &str = "dimred/benches/scaling";
const FIGURES_DIR: &str = "lectures/notes/figures";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("--child") => child(&args[1..]),
        Some("--plot") => plot(Path::new(OUT_DIR)),
        Some("--landmark-target") => landmark_target(),
        _ => measure(&args),
    };
    if let Err(e) = result {
        eprintln!("scaling: error: {e}");
        std::process::exit(1);
    }
}

/// The data of every run: the noise-free swiss roll (D = 3), seeded.
fn data(n: usize) -> Matrix {
    dimred::data::swiss_roll(n, 0.0, SEED).x
}

/// Run one method on N points in this process; returns the fit's wall time and CPU time
/// (user + system, summed over threads) in seconds.
fn run_method(method: &str, x: &Matrix) -> Result<(f64, f64), String> {
    let n = x.nrows();
    let (start, cpu_start) = (Instant::now(), cpu_seconds()?);
    let e = |e: dimred::DimredError| e.to_string();
    let rbf = Kernel::Rbf {
        gamma: 1.0 / x.ncols() as f64,
    };
    let knn = Neighbourhood::Knn(K_NEIGHBOURS);
    match method {
        "pca" => drop(Pca::new(2).fit_transform(x).map_err(e)?),
        "mds" => drop(ClassicalMds::new(2).fit_points(x).map_err(e)?),
        "kpca" => drop(KernelPca::new(rbf, 2).fit(x).map_err(e)?),
        "kpca-nystrom" => {
            let l = NYSTROM_LANDMARKS.min(n);
            drop(NystromKernelPca::new(rbf, 2, l).fit(x).map_err(e)?)
        }
        "isomap" => drop(Isomap::new(knn, 2).fit(x).map_err(e)?),
        "isomap-landmark" => {
            let l = ISOMAP_LANDMARKS.min(n);
            drop(LandmarkIsomap::new(knn, 2, l).fit(x).map_err(e)?)
        }
        "diffusion" => drop(DiffusionMaps::new(2).fit(x).map_err(e)?),
        "diffusion-nystrom" => {
            let l = NYSTROM_LANDMARKS.min(n);
            drop(
                NystromDiffusion::new(DiffusionMaps::new(2), l)
                    .fit(x)
                    .map_err(e)?,
            )
        }
        "smacof" => {
            // A fixed 300 Guttman transforms (tol 0), as the reference runs a fixed count.
            let s = Smacof {
                tol: 0.0,
                ..Smacof::new(2)
            };
            drop(s.fit_points(x).map_err(e)?)
        }
        "tsne" => drop(TSne::new(2).fit(x).map_err(e)?),
        "autoencoder-epoch" => autoencoder_epoch(x)?,
        other => return Err(format!("unknown method {other}")),
    }
    Ok((start.elapsed().as_secs_f64(), cpu_seconds()? - cpu_start))
}

/// This process's CPU time so far, user + system over all its threads: utime and stime,
/// fields 14 and 15 of /proc/self/stat, in clock ticks of 1/100 s (Linux's USER_HZ).
fn cpu_seconds() -> Result<f64, String> {
    let stat = std::fs::read_to_string("/proc/self/stat").map_err(|e| e.to_string())?;
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let after = &stat[stat.rfind(')').ok_or("malformed /proc/self/stat")? + 2..];
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok());
    match (ticks(11), ticks(12)) {
        (Some(u), Some(s)) => Ok((u + s) / 100.0),
        _ => Err("malformed /proc/self/stat".into()),
    }
}

/// One epoch of the deep autoencoder 3 → 64 → 32 → 2 → 32 → 64 → 3 (tanh hidden layers),
/// Adam, minibatches of 64: the cost of a pass over the data, linear in N.
fn autoencoder_epoch(x: &Matrix) -> Result<(), String> {
    use Activation::{Identity, Tanh};
    let d = x.ncols();
    let mut ae = Autoencoder::new(
        &[d, 64, 32, 2],
        &[Tanh, Tanh, Identity],
        &[2, 32, 64, d],
        &[Tanh, Tanh, Identity],
        SEED,
    );
    let config = TrainConfig {
        schedule: Schedule {
            epochs: 1,
            batch_size: Some(64),
            seed: SEED,
            ..Default::default()
        },
        ..TrainConfig::default()
    };
    ae.train(x, &mut Adam::new(1e-3), &config)
        .map(drop)
        .map_err(|e| e.to_string())
}

/// `--child METHOD N`: generate, fit, print `seconds cpu_seconds peak_kib`.
fn child(args: &[String]) -> Result<(), String> {
    let [method, n] = args else {
        return Err("--child needs METHOD N".into());
    };
    let n: usize = n.parse().map_err(|_| format!("bad N {n}"))?;
    let x = data(n);
    let (seconds, cpu) = run_method(method, &x)?;
    println!("{seconds} {cpu} {}", peak_kib()?);
    Ok(())
}

/// This process's peak resident set size, VmHWM of /proc/self/status, in KiB.
fn peak_kib() -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| e.to_string())?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmHWM in /proc/self/status".into())
}

/// The one-minute load average.
fn load1() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// The measurement options: which methods and sizes, the time cap, the memory budget.
struct Options {
    methods: Vec<String>,
    sizes: Vec<usize>,
    cap: Duration,
    max_gib: f64,
    out: PathBuf,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        methods: METHODS.iter().map(|m| m.0.to_string()).collect(),
        sizes: SIZES.to_vec(),
        cap: Duration::from_secs(300),
        max_gib: 16.0,
        out: Path::new(OUT_DIR).join("ours.csv"),
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--methods" => o.methods = value()?.split(',').map(str::to_string).collect(),
            "--sizes" => {
                o.sizes = value()?
                    .split(',')
                    .map(|s| s.parse().map_err(|_| format!("bad size {s}")))
                    .collect::<Result<_, _>>()?
            }
            "--cap" => {
                let s: f64 = value()?.parse().map_err(|_| "bad --cap".to_string())?;
                o.cap = Duration::from_secs_f64(s);
            }
            "--max-gib" => o.max_gib = value()?.parse().map_err(|_| "bad --max-gib")?,
            "--out" => o.out = PathBuf::from(value()?),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    for m in &o.methods {
        if !METHODS.iter().any(|k| k.0 == m) {
            return Err(format!("unknown method {m}"));
        }
    }
    Ok(o)
}

/// Measure every (method, N) in a child process and append rows to the CSV (written anew
/// if it does not exist; rows of other (method, N) pairs already there are kept).
fn measure(args: &[String]) -> Result<(), String> {
    let o = parse_options(args)?;
    let mut rows = read_rows(&o.out).unwrap_or_default();
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    for method in &o.methods {
        let square = METHODS.iter().any(|m| m.0 == method && m.1);
        // A run over the cap in an earlier invocation stops this method too.
        let mut over_cap = rows.iter().any(|r| {
            r.method == *method && (r.status == "timeout" || r.seconds > o.cap.as_secs_f64())
        });
        for &n in &o.sizes {
            // Two N x N matrices of f64 at most at a time on the exact paths.
            let gib = if square {
                2.0 * (n * n * 8) as f64 / 1e9
            } else {
                0.0
            };
            let (status, seconds, cpu, mib) = if over_cap {
                ("skipped".to_string(), f64::NAN, f64::NAN, f64::NAN)
            } else if gib > o.max_gib {
                ("skipped-memory".to_string(), f64::NAN, f64::NAN, f64::NAN)
            } else {
                run_child(&exe, method, n, o.cap)?
            };
            over_cap |= status == "timeout" || seconds > o.cap.as_secs_f64();
            let row = Row {
                implementation: "ours".into(),
                method: method.clone(),
                n,
                seconds,
                cpu_seconds: cpu,
                peak_mib: mib,
                status,
                load1: load1(),
            };
            println!("{}", row.csv());
            rows.retain(|r| !(r.method == row.method && r.n == row.n));
            rows.push(row);
            write_rows(&o.out, &rows)?;
        }
    }
    Ok(())
}

/// Run `--child METHOD N`, killing it at the cap: (status, seconds, CPU seconds, peak MiB).
fn run_child(
    exe: &Path,
    method: &str,
    n: usize,
    cap: Duration,
) -> Result<(String, f64, f64, f64), String> {
    let mut child = Command::new(exe)
        .args(["--child", method, &n.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            let mut out = String::new();
            use std::io::Read as _;
            if let Some(mut s) = child.stdout.take() {
                s.read_to_string(&mut out).map_err(|e| e.to_string())?;
            }
            let v: Vec<f64> = out
                .split_whitespace()
                .filter_map(|t| t.parse().ok())
                .collect();
            return match (status.success(), v.as_slice()) {
                (true, &[s, c, k]) => Ok(("ok".into(), s, c, k / 1024.0)),
                _ => Ok((format!("failed ({status})"), f64::NAN, f64::NAN, f64::NAN)),
            };
        }
        if start.elapsed() > cap {
            child.kill().map_err(|e| e.to_string())?;
            child.wait().map_err(|e| e.to_string())?;
            let s = start.elapsed().as_secs_f64();
            return Ok(("timeout".into(), s, f64::NAN, f64::NAN));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// One row of the CSV.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    implementation: String,
    method: String,
    n: usize,
    seconds: f64,
    cpu_seconds: f64,
    peak_mib: f64,
    status: String,
    load1: String,
}

const HEADER: &str = "implementation,method,n,seconds,cpu_seconds,peak_mib,status,load1";

impl Row {
    fn csv(&self) -> String {
        let num = |v: f64, p: usize| {
            if v.is_finite() {
                format!("{v:.p$}")
            } else {
                String::new()
            }
        };
        format!(
            "{},{},{},{},{},{},{},{}",
            self.implementation,
            self.method,
            self.n,
            num(self.seconds, 4),
            num(self.cpu_seconds, 2),
            num(self.peak_mib, 1),
            self.status,
            self.load1
        )
    }

    fn parse(line: &str) -> Option<Row> {
        let f: Vec<&str> = line.split(',').collect();
        let num = |s: &str| s.parse().unwrap_or(f64::NAN);
        (f.len() == 8).then(|| Row {
            implementation: f[0].into(),
            method: f[1].into(),
            n: f[2].parse().unwrap_or(0),
            seconds: num(f[3]),
            cpu_seconds: num(f[4]),
            peak_mib: num(f[5]),
            status: f[6].into(),
            load1: f[7].into(),
        })
    }
}

fn read_rows(path: &Path) -> Option<Vec<Row>> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(text.lines().skip(1).filter_map(Row::parse).collect())
}

fn write_rows(path: &Path, rows: &[Row]) -> Result<(), String> {
    let mut sorted = rows.to_vec();
    let order = |m: &str| METHODS.iter().position(|k| k.0 == m).unwrap_or(usize::MAX);
    sorted.sort_by_key(|r| (order(&r.method), r.n));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let mut text = format!("{HEADER}\n");
    for r in &sorted {
        text.push_str(&r.csv());
        text.push('\n');
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The least-squares slope of log t against log N over the completed runs: the exponent p
/// of t ∝ N^p. None with fewer than two runs.
fn fitted_slope(points: &[(f64, f64)]) -> Option<f64> {
    if points.len() < 2 {
        return None;
    }
    let logs: Vec<(f64, f64)> = points.iter().map(|p| (p.0.ln(), p.1.ln())).collect();
    let m = logs.len() as f64;
    let (mx, my) = logs
        .iter()
        .fold((0.0, 0.0), |a, p| (a.0 + p.0 / m, a.1 + p.1 / m));
    let sxy: f64 = logs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = logs.iter().map(|p| (p.0 - mx).powi(2)).sum();
    Some(sxy / sxx)
}

/// The method families of the figures: (file stem, title, methods).
const FAMILIES: [(&str, &str, &[&str]); 4] = [
    (
        "04-scaling-linear",
        "PCA and classical MDS",
        &["pca", "mds"],
    ),
    (
        "04-scaling-spectral",
        "Kernel PCA, Isomap, diffusion maps: exact and with landmarks",
        &[
            "kpca",
            "kpca-nystrom",
            "isomap",
            "isomap-landmark",
            "diffusion",
            "diffusion-nystrom",
        ],
    ),
    ("04-scaling-losses", "SMACOF and t-SNE", &["smacof", "tsne"]),
    (
        "04-scaling-autoencoder",
        "One epoch of the deep autoencoder",
        &["autoencoder-epoch"],
    ),
];

/// `--plot`: one log-log figure of time against N per family, ours solid and the reference
/// dashed, the fitted slope in each legend entry, black points where a run was stopped at
/// the time cap. The time plotted is wall time; the CSV
/// also has CPU time (user + system over all threads), which other jobs on a shared machine
/// disturb less but which /proc counts in ticks of 10 ms, too coarse for the fast runs. The
/// figures go to
/// the notes' figures (`lectures/notes/figures/04-scaling-*.svg`), where the book finds them.
fn plot(dir: &Path) -> Result<(), String> {
    let mut rows = read_rows(&dir.join("ours.csv")).ok_or("no ours.csv: measure first")?;
    rows.extend(read_rows(&dir.join("reference.csv")).unwrap_or_default());
    for (stem, title, methods) in FAMILIES {
        let mut series = Vec::new();
        for &method in methods {
            for implementation in ["ours", "reference"] {
                let points: Vec<(f64, f64)> = rows
                    .iter()
                    .filter(|r| r.method == method && r.implementation == implementation)
                    .filter(|r| r.status == "ok" && r.seconds > 0.0)
                    .map(|r| (r.n as f64, r.seconds))
                    .collect();
                let Some(slope) = fitted_slope(&points) else {
                    continue;
                };
                let who = if implementation == "ours" {
                    ""
                } else {
                    " (reference)"
                };
                series.push(Series {
                    name: format!("{method}{who}: slope {slope:.2}"),
                    points,
                    dashed: implementation != "ours",
                });
            }
        }
        // Runs stopped at the time cap, drawn at the cap: the curve would go on above it.
        let stopped: Vec<(f64, f64)> = rows
            .iter()
            .filter(|r| methods.contains(&r.method.as_str()) && r.status == "timeout")
            .map(|r| (r.n as f64, r.seconds))
            .collect();
        let points = if stopped.is_empty() {
            Vec::new()
        } else {
            vec![("stopped at the time cap".to_string(), stopped)]
        };
        let svg = Lines {
            title: title.into(),
            x_label: "N (swiss-roll points), log scale".into(),
            y_label: "wall time (s), log scale".into(),
            series,
            log_y: true,
            points,
            point_colours: vec!["#000000"],
        }
        .to_svg_log_x();
        let path = Path::new(FIGURES_DIR).join(format!("{stem}.svg"));
        std::fs::write(&path, svg).map_err(|e| format!("{}: {e}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// `--landmark-target`: landmark Isomap on 20 000 swiss-roll points with 1000 landmarks
/// (time, peak memory), then exact Isomap on the same points, and the trustworthiness T(10)
/// of both embeddings on the same 2000-point random subsample (T needs all pairwise
/// distances of the points it scores, O(m²): the subsample keeps that small).
fn landmark_target() -> Result<(), String> {
    let n = 20_000;
    let x = data(n);
    let knn = Neighbourhood::Knn(K_NEIGHBOURS);
    let e = |e: dimred::DimredError| e.to_string();
    let start = Instant::now();
    let landmark = LandmarkIsomap::new(knn, 2, ISOMAP_LANDMARKS)
        .fit(&x)
        .map_err(e)?;
    let t_landmark = start.elapsed().as_secs_f64();
    let peak_landmark = peak_kib()? as f64 / 1024.0;
    let start = Instant::now();
    let exact = Isomap::new(knn, 2).fit(&x).map_err(e)?;
    let t_exact = start.elapsed().as_secs_f64();
    let sample = subsample(n, 2000);
    let (xs, ls, es) = (
        x.select_rows(&sample),
        landmark.embedding.select_rows(&sample),
        exact.embedding.select_rows(&sample),
    );
    let tw_landmark = dimred::quality::trustworthiness(&xs, &ls, 10).map_err(e)?;
    let tw_exact = dimred::quality::trustworthiness(&xs, &es, 10).map_err(e)?;
    let mut out = std::io::stdout();
    let _ = writeln!(
        out,
        "landmark Isomap, N = {n}, {ISOMAP_LANDMARKS} landmarks, k = {K_NEIGHBOURS}: \
         {t_landmark:.2} s, peak {peak_landmark:.0} MiB (target: under 10 s)\n\
         exact Isomap: {t_exact:.2} s ({:.1} x the landmark time)\n\
         trustworthiness T(10) on a random 2000-point subsample: landmark {tw_landmark:.4}, \
         exact {tw_exact:.4}, difference {:.4} (target: within 0.01)\nload: {}",
        t_exact / t_landmark,
        tw_exact - tw_landmark,
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    Ok(())
}

/// m distinct indices out of 0..n, seeded (a partial Fisher–Yates shuffle), sorted.
fn subsample(n: usize, m: usize) -> Vec<usize> {
    use rand::Rng;
    let mut rng = linalg::rng(SEED + 1);
    let mut idx: Vec<usize> = (0..n).collect();
    for i in 0..m {
        let j = rng.random_range(i..n);
        idx.swap(i, j);
    }
    let mut out = idx[..m].to_vec();
    out.sort_unstable();
    out
}
