//! Saving and loading trained models as versioned JSON, with everything needed to apply them.
//!
//! A [`ModelFile`] is the trained network ([`Model`]) together with the preprocessing the
//! training data went through ([`Scaling`]) and where the model came from ([`Training`]: the
//! data's name, shape and column names, the seed). Encoding new rows applies the same scaling
//! first; decoding undoes it, so codes come from and reconstructions go back to the data's own
//! units. The file is one JSON object
//! `{"format": "nn-model", "version": 2, "written_by", "scaling", "training", "model"}`. Floats
//! are written by serde_json with its `float_roundtrip` feature (set in the workspace's
//! Cargo.toml): without it, parsing may land one ulp away from the written value, and a
//! reloaded model would not reproduce its outputs bit for bit.
//!
//! Writing is atomic: the JSON goes to a temporary file in the same directory, is flushed to
//! disk, then renamed over the target, so a crash leaves either the old file or the new one,
//! never half of one (a rename within one file system is atomic on POSIX).
//!
//! Loading never panics on a bad file: another format version, a truncated or malformed
//! file, and inconsistent shapes are each a [`ModelIoError`] saying which. Applying a model
//! to data of the wrong width is [`ModelIoError::InputWidth`] from [`Model::check_input`].

use crate::{Activation, Autoencoder, Dense, LinearAutoencoder, Mlp, Vae};
use linalg::persist::{write_atomically, SavedMatrix};
use linalg::Matrix;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};

/// The format version this build writes and reads. Version 1 files (before the scaling and
/// the training record were stored) are refused with [`ModelIoError::Version`]: applying one
/// would silently skip the scaling its network was trained with.
pub const FORMAT_VERSION: u32 = 2;
const FORMAT_NAME: &str = "nn-model";

/// A trained model of any of the three kinds.
#[derive(Debug, Clone, PartialEq)]
pub enum Model {
    /// A linear autoencoder.
    Linear(LinearAutoencoder),
    /// A deep autoencoder.
    Deep(Autoencoder),
    /// A variational autoencoder.
    Vae(Vae),
}

/// Why a model could not be saved, loaded or applied.
#[derive(Debug)]
pub enum ModelIoError {
    /// Reading or writing the file failed.
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file ends before the JSON does (an interrupted copy or write).
    Truncated {
        /// serde_json's description, with line and column.
        detail: String,
    },
    /// The file is not valid JSON, or not a model of this format.
    Malformed {
        /// What is wrong.
        detail: String,
    },
    /// The file was written by another format version.
    Version {
        /// The version in the file.
        found: u64,
        /// The version this build reads.
        expected: u32,
    },
    /// A parameter is NaN or infinite: JSON cannot hold it, and the model would be garbage.
    NonFinite {
        /// Which tensor ("encoder W", "layer 2 b", ...).
        tensor: String,
        /// The value.
        value: f64,
    },
    /// The data's columns do not have the training columns' names, in order.
    Columns {
        /// The training columns.
        expected: Vec<String>,
        /// The data's columns.
        found: Vec<String>,
    },
    /// The data contain NaN or infinity.
    NonFiniteData {
        /// (row, column), 0-based.
        at: (usize, usize),
    },
    /// The model is of the wrong kind for what was asked (sampling from a deterministic
    /// autoencoder).
    WrongKind {
        /// What was asked and which kinds can do it.
        detail: String,
    },
    /// The data's width does not match the model's input width.
    InputWidth {
        /// The model's input width.
        expected: usize,
        /// The data's number of columns.
        found: usize,
    },
}

impl fmt::Display for ModelIoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelIoError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            ModelIoError::Truncated { detail } => {
                write!(f, "model file is truncated (the JSON ends early: {detail})")
            }
            ModelIoError::Malformed { detail } => write!(f, "model file is malformed: {detail}"),
            ModelIoError::Version { found, expected } => write!(
                f,
                "model file has format version {found}; this build reads version {expected} \
                 (version 1 files do not record the data's scaling): retrain the model with \
                 this build"
            ),
            ModelIoError::Columns { expected, found } => write!(
                f,
                "the data's columns do not match the model's: trained on {} columns [{}], the \
                 data have {} columns [{}]",
                expected.len(),
                expected.join(", "),
                found.len(),
                found.join(", ")
            ),
            ModelIoError::NonFiniteData { at } => write!(
                f,
                "the data contain NaN or infinity at row {}, column {}",
                at.0 + 1,
                at.1 + 1
            ),
            ModelIoError::WrongKind { detail } => write!(f, "{detail}"),
            ModelIoError::NonFinite { tensor, value } => write!(
                f,
                "cannot save the model: {tensor} holds {value} (training diverged?)"
            ),
            ModelIoError::InputWidth { expected, found } => write!(
                f,
                "input width mismatch: the model expects {expected} columns, the data have {found}"
            ),
        }
    }
}

impl std::error::Error for ModelIoError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ModelIoError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

// ---- The serialised form: plain data, checked when turned back into models. ----

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    format: String,
    version: u64,
    written_by: String,
    scaling: Scaling,
    training: Training,
    model: SavedModel,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum SavedModel {
    LinearAutoencoder {
        w: SavedMatrix,
        u: SavedMatrix,
        mean: Vec<f64>,
    },
    Autoencoder {
        layers: Vec<SavedLayer>,
        code_layer: usize,
    },
    Vae {
        encoder: Vec<SavedLayer>,
        decoder: Vec<SavedLayer>,
        beta: f64,
    },
}

#[derive(Serialize, Deserialize)]
struct SavedLayer {
    activation: String,
    w: SavedMatrix,
    b: Vec<f64>,
}

fn malformed(detail: impl Into<String>) -> ModelIoError {
    ModelIoError::Malformed {
        detail: detail.into(),
    }
}

fn activation_from(name: &str) -> Result<Activation, ModelIoError> {
    [
        Activation::Identity,
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Relu,
    ]
    .into_iter()
    .find(|a| a.name() == name)
    .ok_or_else(|| malformed(format!("unknown activation \"{name}\"")))
}

fn save_mlp(net: &Mlp) -> Vec<SavedLayer> {
    net.layers
        .iter()
        .map(|l| SavedLayer {
            activation: l.activation.name().to_string(),
            w: SavedMatrix::from(&l.w),
            b: l.b.clone(),
        })
        .collect()
}

fn load_mlp(layers: Vec<SavedLayer>, what: &str) -> Result<Mlp, ModelIoError> {
    if layers.is_empty() {
        return Err(malformed(format!("{what}: no layers")));
    }
    let mut out = Vec::with_capacity(layers.len());
    for (k, l) in layers.into_iter().enumerate() {
        let name = format!("{what} layer {}", k + 1);
        let w = l.w.into_matrix(&name).map_err(malformed)?;
        if l.b.len() != w.ncols() {
            return Err(malformed(format!(
                "{name}: {} biases for {} outputs",
                l.b.len(),
                w.ncols()
            )));
        }
        if let Some(prev) = out.last().map(|p: &Dense| p.n_out()) {
            if prev != w.nrows() {
                return Err(malformed(format!(
                    "{name}: {} inputs after a layer of {prev} outputs",
                    w.nrows()
                )));
            }
        }
        out.push(Dense::from_parts(w, l.b, activation_from(&l.activation)?));
    }
    Ok(Mlp { layers: out })
}

impl Model {
    /// The input width D the model expects.
    pub fn input_dim(&self) -> usize {
        match self {
            Model::Linear(m) => m.input_dim(),
            Model::Deep(m) => m.input_dim(),
            Model::Vae(m) => m.input_dim(),
        }
    }

    /// The code width d.
    pub fn code_dim(&self) -> usize {
        match self {
            Model::Linear(m) => m.code_dim(),
            Model::Deep(m) => m.code_dim(),
            Model::Vae(m) => m.latent_dim(),
        }
    }

    /// Ok when `x` has the model's input width.
    ///
    /// # Errors
    /// [`ModelIoError::InputWidth`] naming both widths.
    pub fn check_input(&self, x: &Matrix) -> Result<(), ModelIoError> {
        if x.ncols() == self.input_dim() {
            Ok(())
        } else {
            Err(ModelIoError::InputWidth {
                expected: self.input_dim(),
                found: x.ncols(),
            })
        }
    }

    /// The codes of the rows of `x` (the VAE's posterior means μ).
    ///
    /// # Errors
    /// [`ModelIoError::InputWidth`] if the width is wrong.
    pub fn encode(&self, x: &Matrix) -> Result<Matrix, ModelIoError> {
        self.check_input(x)?;
        Ok(match self {
            Model::Linear(m) => m.encode(x),
            Model::Deep(m) => m.encode(x),
            Model::Vae(m) => m.encode(x).0,
        })
    }

    /// Back from codes (M x d) to the network's input space (the VAE's decoder mean).
    ///
    /// # Errors
    /// [`ModelIoError::InputWidth`] if the codes are not d wide.
    pub fn decode(&self, codes: &Matrix) -> Result<Matrix, ModelIoError> {
        if codes.ncols() != self.code_dim() {
            return Err(ModelIoError::InputWidth {
                expected: self.code_dim(),
                found: codes.ncols(),
            });
        }
        Ok(match self {
            Model::Linear(m) => m.decode(codes),
            Model::Deep(m) => m.decode(codes),
            Model::Vae(m) => m.decode(codes),
        })
    }

    /// The reconstructions of the rows of `x` (the VAE's at the posterior mean).
    ///
    /// # Errors
    /// [`ModelIoError::InputWidth`] if the width is wrong.
    pub fn reconstruct(&self, x: &Matrix) -> Result<Matrix, ModelIoError> {
        self.check_input(x)?;
        Ok(match self {
            Model::Linear(m) => m.reconstruct(x),
            Model::Deep(m) => m.reconstruct(x),
            Model::Vae(m) => m.reconstruct(x),
        })
    }

    /// The network as plain serialisable data.
    fn saved(&self) -> SavedModel {
        match self {
            Model::Linear(m) => SavedModel::LinearAutoencoder {
                w: SavedMatrix::from(&m.w),
                u: SavedMatrix::from(&m.u),
                mean: m.mean.clone(),
            },
            Model::Deep(m) => SavedModel::Autoencoder {
                layers: save_mlp(&m.net),
                code_layer: m.code_layer,
            },
            Model::Vae(m) => SavedModel::Vae {
                encoder: save_mlp(&m.encoder),
                decoder: save_mlp(&m.decoder),
                beta: m.beta,
            },
        }
    }

    /// The network back from plain data, checking every shape against the others.
    fn from_saved(saved: SavedModel) -> Result<Model, ModelIoError> {
        let model = match saved {
            SavedModel::LinearAutoencoder { w, u, mean } => {
                let (w, u) = (
                    w.into_matrix("encoder W").map_err(malformed)?,
                    u.into_matrix("decoder U").map_err(malformed)?,
                );
                let d = u.ncols();
                let dim = mean.len();
                if w.shape() != (d, dim) || u.nrows() != dim || d == 0 {
                    return Err(malformed(format!(
                        "linear autoencoder: W {:?}, U {:?} and a mean of length {dim} do not fit",
                        w.shape(),
                        u.shape()
                    )));
                }
                Model::Linear(LinearAutoencoder { w, u, mean })
            }
            SavedModel::Autoencoder { layers, code_layer } => {
                let net = load_mlp(layers, "autoencoder")?;
                if code_layer == 0 || code_layer >= net.layers.len() {
                    return Err(malformed(format!(
                        "autoencoder: code layer {code_layer} of {} layers",
                        net.layers.len()
                    )));
                }
                Model::Deep(Autoencoder { net, code_layer })
            }
            SavedModel::Vae {
                encoder,
                decoder,
                beta,
            } => {
                let (encoder, decoder) =
                    (load_mlp(encoder, "encoder")?, load_mlp(decoder, "decoder")?);
                if encoder.output_dim() != 2 * decoder.input_dim()
                    || decoder.output_dim() != encoder.input_dim()
                {
                    return Err(malformed(format!(
                        "VAE: encoder {} -> {} and decoder {} -> {} do not fit (want D -> 2d, d -> D)",
                        encoder.input_dim(),
                        encoder.output_dim(),
                        decoder.input_dim(),
                        decoder.output_dim()
                    )));
                }
                Model::Vae(Vae {
                    encoder,
                    decoder,
                    beta,
                })
            }
        };
        Ok(model)
    }

    /// The first non-finite parameter, if any: (tensor name, value).
    pub fn find_non_finite(&self) -> Option<(String, f64)> {
        let mat = |name: &str, m: &Matrix| m.find_non_finite().map(|(_, v)| (name.to_string(), v));
        let mlp = |name: &str, net: &Mlp| {
            net.find_non_finite()
                .map(|(l, t, v)| (format!("{name} layer {} {t}", l + 1), v))
        };
        match self {
            Model::Linear(m) => mat("encoder W", &m.w)
                .or_else(|| mat("decoder U", &m.u))
                .or_else(|| {
                    m.mean
                        .iter()
                        .find(|v| !v.is_finite())
                        .map(|&v| ("mean".to_string(), v))
                }),
            Model::Deep(m) => mlp("autoencoder", &m.net),
            Model::Vae(m) => mlp("encoder", &m.encoder).or_else(|| mlp("decoder", &m.decoder)),
        }
    }
}

/// How the training data were transformed before the network saw them. Stored in the model
/// file, applied to new data before encoding and undone after decoding.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Scaling {
    /// The data as they are (the linear autoencoder centres them itself, by its `mean`).
    Identity,
    /// (x − min) / span with one minimum and one span for the whole matrix, so the relative
    /// scales of the columns are kept and the data land in [0, 1] (where a sigmoid output
    /// layer can reach them).
    MinMax {
        /// The smallest entry of the training data.
        min: f64,
        /// max − min of the training data (1 when every entry is equal).
        span: f64,
    },
}

impl Scaling {
    /// The min-max scaling of `x` (one min and one span over all entries).
    pub fn min_max(x: &Matrix) -> Scaling {
        let lo = x.as_slice().iter().copied().fold(f64::INFINITY, f64::min);
        let hi = x
            .as_slice()
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let span = if hi > lo { hi - lo } else { 1.0 };
        Scaling::MinMax { min: lo, span }
    }

    /// Data units → the network's units.
    pub fn apply(&self, x: &Matrix) -> Matrix {
        match *self {
            Scaling::Identity => x.clone(),
            Scaling::MinMax { min, span } => x.map(|v| (v - min) / span),
        }
    }

    /// The network's units → data units (the inverse of [`Scaling::apply`]).
    pub fn undo(&self, y: &Matrix) -> Matrix {
        match *self {
            Scaling::Identity => y.clone(),
            Scaling::MinMax { min, span } => y.map(|v| v * span + min),
        }
    }

    /// A sentence for a report: what the network saw.
    pub fn describe(&self) -> String {
        match *self {
            Scaling::Identity => "data used as they are".into(),
            Scaling::MinMax { min, span } => {
                format!("data scaled to [0, 1] as (x − {min}) / {span}")
            }
        }
    }
}

/// What a model was trained on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Training {
    /// The data set's name (built-in, generator, or file name).
    pub data: String,
    /// N, the number of training rows.
    pub n_samples: usize,
    /// The column names, in order; new data must have the same.
    pub columns: Vec<String>,
    /// The seed of the initial weights and the minibatch order.
    pub seed: u64,
}

/// A trained model with what is needed to apply it: the file `lectures train` writes.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelFile {
    /// The network.
    pub model: Model,
    /// The preprocessing of the training data.
    pub scaling: Scaling,
    /// The training data's description.
    pub training: Training,
}

impl ModelFile {
    /// Check new data (columns named `columns`) against the training columns and for
    /// non-finite entries.
    ///
    /// # Errors
    /// [`ModelIoError::Columns`] naming both lists; [`ModelIoError::NonFiniteData`].
    pub fn check_data(&self, x: &Matrix, columns: &[String]) -> Result<(), ModelIoError> {
        if columns != self.training.columns.as_slice() || x.ncols() != columns.len() {
            return Err(ModelIoError::Columns {
                expected: self.training.columns.clone(),
                found: columns.to_vec(),
            });
        }
        match x.find_non_finite() {
            Some((at, _)) => Err(ModelIoError::NonFiniteData { at }),
            None => Ok(()),
        }
    }

    /// The codes of rows in data units (the VAE's posterior means μ).
    ///
    /// # Errors
    /// As [`ModelFile::check_data`].
    pub fn encode(&self, x: &Matrix, columns: &[String]) -> Result<Matrix, ModelIoError> {
        self.check_data(x, columns)?;
        self.model.encode(&self.scaling.apply(x))
    }

    /// The VAE's posterior (μ, log σ²) of rows in data units.
    ///
    /// # Errors
    /// [`ModelIoError::WrongKind`] for a deterministic autoencoder; as [`ModelFile::check_data`].
    pub fn encode_with_variance(
        &self,
        x: &Matrix,
        columns: &[String],
    ) -> Result<(Matrix, Matrix), ModelIoError> {
        self.check_data(x, columns)?;
        match &self.model {
            Model::Vae(v) => Ok(v.encode(&self.scaling.apply(x))),
            _ => Err(ModelIoError::WrongKind {
                detail: "only a VAE has a posterior variance (this model is a deterministic \
                         autoencoder): drop --with-variance"
                    .into(),
            }),
        }
    }

    /// Codes back to data units.
    ///
    /// # Errors
    /// [`ModelIoError::InputWidth`] if the codes are not d wide; NaN in the codes as
    /// [`ModelIoError::NonFiniteData`].
    pub fn decode(&self, codes: &Matrix) -> Result<Matrix, ModelIoError> {
        if let Some((at, _)) = codes.find_non_finite() {
            return Err(ModelIoError::NonFiniteData { at });
        }
        Ok(self.scaling.undo(&self.model.decode(codes)?))
    }

    /// Encode then decode: reconstructions in data units.
    ///
    /// # Errors
    /// As [`ModelFile::encode`].
    pub fn reconstruct(&self, x: &Matrix, columns: &[String]) -> Result<Matrix, ModelIoError> {
        self.decode(&self.encode(x, columns)?)
    }

    /// `n` draws from the VAE's prior N(0, I) decoded to data units, seeded.
    ///
    /// # Errors
    /// [`ModelIoError::WrongKind`] unless the model is a VAE.
    pub fn sample(&self, n: usize, seed: u64) -> Result<Matrix, ModelIoError> {
        let Model::Vae(v) = &self.model else {
            return Err(ModelIoError::WrongKind {
                detail: "sampling needs a VAE (its prior N(0, I) is the distribution to draw \
                         from); this model is a deterministic autoencoder: train one with \
                         --model vae"
                    .into(),
            });
        };
        let z = Matrix::random_normal(n, v.latent_dim(), seed);
        self.decode(&z)
    }

    /// The file as JSON text (format version [`FORMAT_VERSION`]).
    pub fn to_json(&self) -> String {
        let env = Envelope {
            format: FORMAT_NAME.to_string(),
            version: FORMAT_VERSION as u64,
            written_by: format!("nn {}", env!("CARGO_PKG_VERSION")),
            scaling: self.scaling,
            training: self.training.clone(),
            model: self.model.saved(),
        };
        // Serialising plain structs of numbers and strings cannot fail; a non-finite float
        // would be written as null ([`ModelFile::save`] refuses those first, and from_json
        // refuses a null where a number belongs).
        serde_json::to_string_pretty(&env).expect("serialising plain data")
    }

    /// Parse a model file from JSON text. The format and version are checked before the
    /// rest, so a file of another version is reported as such even when its layout differs.
    ///
    /// # Errors
    /// [`ModelIoError::Truncated`], [`ModelIoError::Malformed`] (a missing field is named),
    /// [`ModelIoError::Version`].
    pub fn from_json(text: &str) -> Result<ModelFile, ModelIoError> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            if e.is_eof() {
                ModelIoError::Truncated {
                    detail: e.to_string(),
                }
            } else {
                malformed(e.to_string())
            }
        })?;
        match value.get("format").and_then(|f| f.as_str()) {
            Some(FORMAT_NAME) => {}
            other => {
                return Err(malformed(format!(
                    "\"format\" is {other:?}, expected \"{FORMAT_NAME}\""
                )))
            }
        }
        let found = value
            .get("version")
            .and_then(|v| v.as_u64())
            .ok_or_else(|| malformed("no integer \"version\" field"))?;
        if found != FORMAT_VERSION as u64 {
            return Err(ModelIoError::Version {
                found,
                expected: FORMAT_VERSION,
            });
        }
        let env: Envelope = serde_json::from_value(value).map_err(|e| malformed(e.to_string()))?;
        if let Scaling::MinMax { min, span } = env.scaling {
            if !(min.is_finite() && span.is_finite() && span > 0.0) {
                return Err(malformed(format!("scaling: min {min}, span {span}")));
            }
        }
        let model = Model::from_saved(env.model)?;
        if env.training.columns.len() != model.input_dim() {
            return Err(malformed(format!(
                "{} training columns for a model of input width {}",
                env.training.columns.len(),
                model.input_dim()
            )));
        }
        Ok(ModelFile {
            model,
            scaling: env.scaling,
            training: env.training,
        })
    }

    /// Write the file to `path` atomically ([`linalg::persist::write_atomically`]).
    ///
    /// # Errors
    /// [`ModelIoError::NonFinite`] for a NaN or infinite parameter (nothing is written);
    /// [`ModelIoError::Io`] naming the file that failed.
    pub fn save(&self, path: &Path) -> Result<(), ModelIoError> {
        if let Some((tensor, value)) = self.model.find_non_finite() {
            return Err(ModelIoError::NonFinite { tensor, value });
        }
        write_atomically(path, self.to_json().as_bytes())
            .map_err(|(path, source)| ModelIoError::Io { path, source })
    }

    /// Read a model file from `path`.
    ///
    /// # Errors
    /// [`ModelIoError::Io`] if the file cannot be read, else as [`ModelFile::from_json`].
    pub fn load(path: &Path) -> Result<ModelFile, ModelIoError> {
        let text = std::fs::read_to_string(path).map_err(|source| ModelIoError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        ModelFile::from_json(&text)
    }
}
