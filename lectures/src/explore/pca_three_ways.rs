//! Page 2, three ways to PCA on the same data (`dr.pca.covariance`, `dr.mds.classical`,
//! `nn.lae.trace`, `nn.lae.training`): covariance PCA and classical MDS with dimred, and a
//! linear autoencoder trained by full-batch gradient descent with nn, from a balanced or an
//! unbalanced start, with or without weight decay.
//!
//! The run is [`nn::LinearAutoencoder::train`] called for a few epochs at a time; full-batch
//! GD keeps no state besides U and W, so the pieces are exactly one long run, and between
//! pieces the page gets the codes XWᵀ as a frame. The step is given as a fraction of
//! 1/σ₁², σ₁ the top singular value of the centred data (the module's safe step for the
//! summed loss); a run that diverges is refused with nn's message.

use super::datasets;
use super::params::{BadRequest, Checked, Query};
use dimred::mds::ClassicalMds;
use dimred::pca::Pca;
use nn::{LaeConfig, LinearAutoencoder, Start};
use serde_json::{json, Value};

/// Largest N and epoch count of the page.
pub const MAX_N: usize = 600;
/// Most epochs.
pub const MAX_EPOCHS: usize = 3000;
/// Frames of codes sent per run.
const FRAMES: usize = 30;

fn rows2(m: &linalg::Matrix) -> Vec<[f64; 2]> {
    m.rows().map(|r| [r[0], r[1]]).collect()
}

/// `GET /api/pca3?data=…&n=…&start=balanced|unbalanced&lr=…&decay=…&epochs=…&seed=…`.
pub fn handle(q: &Query) -> Checked<Value> {
    q.only(&[
        "data", "n", "noise", "seed", "start", "lr", "decay", "epochs",
    ])?;
    let d = datasets::from_query(q, MAX_N)?;
    let start = match q.choice("start", &["balanced", "unbalanced"])? {
        "balanced" => Start::Balanced { scale: 0.1 },
        _ => Start::Unbalanced {
            u_scale: 0.5,
            w_scale: 0.05,
        },
    };
    let lr_frac = q.f64_in("lr", 0.01..=3.0, 0.5)?;
    let decay = q.f64_in("decay", 0.0..=1e4, 0.0)?;
    let epochs = q.usize_in("epochs", 1..=MAX_EPOCHS, 400)?;
    let seed = q.usize_in("seed", 0..=1_000_000, 0)? as u64;
    let refuse = |e: &dyn std::fmt::Display| BadRequest(e.to_string());

    let pca = Pca::new(2).fit(&d.x).map_err(|e| refuse(&e))?;
    let pca_scores = pca.transform(&d.x);
    let mds = ClassicalMds::new(2)
        .fit_points(&d.x)
        .map_err(|e| refuse(&e))?;
    // σ₁², the top eigenvalue of X_cᵀX_c: the summed loss is safe for η < 1/σ₁².
    let xc = d.x.center_columns().0;
    let sigma1_sq = linalg::eigvalsh(&xc.tr_matmul(&xc)).map_err(|e| refuse(&e))?[0];
    let lr = lr_frac / sigma1_sq;

    let mut lae = LinearAutoencoder::new(pca.mean.clone(), 2, &start, seed);
    let chunk = epochs.div_ceil(FRAMES);
    let (mut loss, mut w_minus_ut, mut angle): (Vec<f64>, Vec<f64>, Vec<f64>) =
        (vec![], vec![], vec![]);
    let mut frames = vec![json!({"epoch": 0, "codes": rows2(&lae.encode(&d.x))})];
    let mut done = 0;
    while done < epochs {
        let config = LaeConfig {
            epochs: chunk.min(epochs - done),
            lr,
            weight_decay: decay,
            batch_size: None,
            seed,
        };
        let rec = lae
            .train(&d.x, &config, Some(&pca.components))
            .map_err(|e| stopped(&e, lr_frac, done))?;
        // Each piece's record starts with the state before it: keep index 0 only the first time.
        let skip = usize::from(done > 0);
        loss.extend(&rec.loss[skip..]);
        w_minus_ut.extend(&rec.w_minus_ut[skip..]);
        angle.extend(&rec.largest_angle[skip..]);
        done += config.epochs;
        frames.push(json!({"epoch": done, "codes": rows2(&lae.encode(&d.x))}));
    }
    Ok(json!({
        "data": d.name, "n": d.len(), "dim": d.x.ncols(), "colour": datasets::colouring(&d),
        "pca": rows2(&pca_scores), "mds": rows2(&mds.embedding), "lr": lr, "sigma1_sq": sigma1_sq,
        "loss": loss, "w_minus_ut": w_minus_ut, "largest_angle": angle, "frames": frames,
    }))
}

/// The message of a failed run: nn's error, the epoch, and the step against the safe 1/σ₁².
fn stopped(e: &nn::TrainError, lr_frac: f64, done: usize) -> BadRequest {
    BadRequest(format!(
        "training stopped after epoch {done}: {e}. The step was η = {lr_frac}/σ₁²; take a \
         smaller one (the tour trains with 0.05/σ₁²)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(s: &str) -> Checked<Value> {
        handle(&Query::parse(s).unwrap())
    }

    #[test]
    fn the_autoencoder_finds_the_principal_subspace() {
        let v = get("data=iris&n=150&epochs=600&lr=0.5").unwrap();
        let angle: Vec<f64> = v["largest_angle"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_f64().unwrap())
            .collect();
        assert_eq!(angle.len(), 601);
        // Iris has a clear gap λ₂ > λ₃ (ratio about 3.3), so GD closes the angle geometrically
        // (measured: from about 1 rad to 6e-5 rad in 600 epochs); a broken training loop or a
        // wrong reference subspace would leave it near its start.
        assert!(
            angle[600] < 1e-3 * angle[0],
            "{} -> {}",
            angle[0],
            angle[600]
        );
        assert_eq!(
            v["frames"].as_array().unwrap().last().unwrap()["epoch"],
            600
        );
    }

    #[test]
    fn the_unbalanced_start_trains_too() {
        let v = get("data=iris&n=150&epochs=600&lr=0.5&start=unbalanced").unwrap();
        let angle = v["largest_angle"].as_array().unwrap();
        // As above: the angle must fall by orders of magnitude from a random start.
        let (first, last) = (angle[0].as_f64().unwrap(), angle[600].as_f64().unwrap());
        assert!(last < 1e-3 * first, "{first} -> {last}");
    }

    #[test]
    fn a_diverging_step_is_a_message() {
        let e = get("data=iris&n=150&epochs=200&lr=3").unwrap_err();
        assert!(
            e.0.contains("training stopped") && e.0.contains("smaller"),
            "{e}"
        );
        for bad in [
            "lr=0",
            "epochs=0",
            "epochs=100000",
            "start=random",
            "n=5000",
        ] {
            assert!(get(bad).is_err(), "{bad}");
        }
    }
}
