//! Saving and loading trained models as versioned JSON.
//!
//! The file is one JSON object `{"format": "nn-model", "version": 1, "model": {...}}`. Floats
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

/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
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
                "model file has format version {found}; this build reads version {expected}"
            ),
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
struct Envelope {
    format: String,
    version: u64,
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

    /// The model as JSON text (format version [`FORMAT_VERSION`]).
    pub fn to_json(&self) -> String {
        let model = match self {
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
        };
        let env = Envelope {
            format: FORMAT_NAME.to_string(),
            version: FORMAT_VERSION as u64,
            model,
        };
        // Serialising plain structs of numbers and strings cannot fail; a non-finite float
        // would be written as null ([`Model::save`] refuses those first, and from_json
        // refuses a null where a number belongs).
        serde_json::to_string_pretty(&env).expect("serialising plain data")
    }

    /// Parse a model from JSON text.
    ///
    /// The version is checked before the rest, so a file of another version is reported as
    /// such even when its layout differs.
    ///
    /// # Errors
    /// [`ModelIoError::Truncated`], [`ModelIoError::Malformed`], [`ModelIoError::Version`].
    pub fn from_json(text: &str) -> Result<Model, ModelIoError> {
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
        let model = match env.model {
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

    /// Write the model to `path` atomically: a temporary file in the same directory, flushed
    /// and synced, then renamed over `path`.
    ///
    /// # Errors
    /// [`ModelIoError::NonFinite`] for a NaN or infinite parameter (nothing is written);
    /// [`ModelIoError::Io`] naming the file that failed.
    pub fn save(&self, path: &Path) -> Result<(), ModelIoError> {
        if let Some((tensor, value)) = self.find_non_finite() {
            return Err(ModelIoError::NonFinite { tensor, value });
        }
        write_atomically(path, self.to_json().as_bytes())
            .map_err(|(path, source)| ModelIoError::Io { path, source })
    }

    /// Read a model from `path`.
    ///
    /// # Errors
    /// [`ModelIoError::Io`] if the file cannot be read, else as [`Model::from_json`].
    pub fn load(path: &Path) -> Result<Model, ModelIoError> {
        let text = std::fs::read_to_string(path).map_err(|source| ModelIoError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Model::from_json(&text)
    }
}
