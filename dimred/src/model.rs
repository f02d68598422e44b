//! # Saved models: fit once, project new rows later (scikit-learn's fit / transform)
//!
//! Three methods of the course have an *out-of-sample map*, a formula that places a point the
//! fit never saw:
//!
//! | method | the map | needs from training |
//! |---|---|---|
//! | PCA | y = (x − μ) V_d | the mean μ and the directions V_d |
//! | kernel PCA | y = k̃(x)ᵀ α, the test kernel centred with the *training* means | the training points, K's column and grand means, the α's |
//! | classical MDS | Gower: y_k = (1/2√λ_k) Σ_i v_ik (ā_i − δ²_i) | the training points, ā, the eigenpairs |
//!
//! The others (Isomap, t-SNE, SMACOF, sketch-map, diffusion maps) embed a fixed set of
//! points: their fits have no such formula here, and [`SavedModel::for_method`] says so.
//!
//! A [`SavedModel`] is written as one JSON object
//! `{"format": "dimred-model", "version": 1, "written_by", "columns", "training", "model"}`
//! with [`linalg::persist`]'s atomic write. Reading it back checks the format, the version and
//! every matrix; applying it checks the columns of the new data by number and by name, so a
//! file with reordered or missing columns is an error naming both lists, never a silent
//! shuffle.

use crate::kernels::Kernel;
use crate::kpca::KernelPcaFit;
use crate::mds::MdsFit;
use crate::pca::PcaFit;
use linalg::persist::{write_atomically, SavedMatrix};
use linalg::Matrix;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

/// The format name in every model file.
pub const FORMAT_NAME: &str = "dimred-model";
/// The format version this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// A fitted model with an out-of-sample map.
#[derive(Debug, Clone, PartialEq)]
pub enum Fitted {
    /// PCA (either solver: the fit is the same mean and directions).
    Pca(PcaFit),
    /// Kernel PCA, with its training points and centring statistics.
    KernelPca(KernelPcaFit),
    /// Classical MDS of points (Euclidean distances), with the training points.
    ClassicalMds {
        /// The fit: eigenpairs, embedding, ā.
        fit: MdsFit,
        /// The training points, to measure a new point's squared distances to them.
        x_train: Matrix,
    },
}

/// Where a model came from: enough to say what it was trained on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Training {
    /// The data set's name (built-in name, generator, or file name).
    pub data: String,
    /// N, the number of training rows.
    pub n_samples: usize,
    /// D, the number of columns.
    pub n_features: usize,
}

/// A model file's content: the fitted map and what it was fitted on.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedModel {
    /// The training data's column names, in order: new data must have the same.
    pub columns: Vec<String>,
    /// The training data's name and shape.
    pub training: Training,
    /// The fitted map.
    pub fitted: Fitted,
}

/// Why a model could not be saved, read or applied.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelError {
    /// The method has no out-of-sample map.
    NoOutOfSampleMap(String),
    /// Reading or writing the file failed.
    Io(String),
    /// The file is not a model of this format, or is damaged (the message says where).
    Malformed(String),
    /// The file was written by another format version.
    Version {
        /// The version in the file.
        found: u64,
    },
    /// The new data's columns differ from the training columns.
    Columns {
        /// The training columns.
        expected: Vec<String>,
        /// The new data's columns.
        found: Vec<String>,
    },
    /// The new data contain NaN or infinity.
    NonFinite {
        /// (row, column), 0-based.
        at: (usize, usize),
    },
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::NoOutOfSampleMap(m) => write!(f, "{m}"),
            ModelError::Io(m) | ModelError::Malformed(m) => write!(f, "{m}"),
            ModelError::Version { found } => write!(
                f,
                "the model file has format version {found}; this build reads version \
                 {FORMAT_VERSION}: refit the model with this build"
            ),
            ModelError::Columns { expected, found } => write!(
                f,
                "the data's columns do not match the model's: the model was fitted on {} \
                 columns [{}], the data have {} columns [{}]",
                expected.len(),
                expected.join(", "),
                found.len(),
                found.join(", ")
            ),
            ModelError::NonFinite { at } => write!(
                f,
                "the data contain NaN or infinity at row {}, column {}",
                at.0 + 1,
                at.1 + 1
            ),
        }
    }
}

impl std::error::Error for ModelError {}

impl SavedModel {
    /// The methods with an out-of-sample map, by the command's method names.
    pub const METHODS: [&'static str; 4] = ["pca", "pca-svd", "kpca", "mds"];

    /// Check that `method` (a name of the `dimred` command) has an out-of-sample map.
    ///
    /// # Errors
    /// [`ModelError::NoOutOfSampleMap`] naming the method and the ones that have a map.
    pub fn for_method(method: &str) -> Result<(), ModelError> {
        if Self::METHODS.contains(&method) {
            return Ok(());
        }
        Err(ModelError::NoOutOfSampleMap(format!(
            "{method} embeds a fixed set of points and has no out-of-sample map here, so it \
             cannot be saved and applied to new rows; methods that can: {} (refit on all the \
             rows together instead)",
            Self::METHODS.join(", ")
        )))
    }

    /// The embedding dimension d.
    pub fn n_components(&self) -> usize {
        match &self.fitted {
            Fitted::Pca(p) => p.components.ncols(),
            Fitted::KernelPca(k) => k.alphas.ncols(),
            Fitted::ClassicalMds { fit, .. } => fit.embedding.ncols(),
        }
    }

    /// Project new rows (M x D, columns named `columns`) by the fitted map.
    ///
    /// # Errors
    /// [`ModelError::Columns`] if the count or names differ from training;
    /// [`ModelError::NonFinite`] for NaN or infinity in `x`.
    pub fn transform(&self, x: &Matrix, columns: &[String]) -> Result<Matrix, ModelError> {
        if columns != self.columns.as_slice() || x.ncols() != self.columns.len() {
            return Err(ModelError::Columns {
                expected: self.columns.clone(),
                found: columns.to_vec(),
            });
        }
        if let Some((at, _)) = x.find_non_finite() {
            return Err(ModelError::NonFinite { at });
        }
        Ok(match &self.fitted {
            Fitted::Pca(p) => p.transform(x),
            Fitted::KernelPca(k) => k.transform(x),
            Fitted::ClassicalMds { fit, x_train } => {
                let d2 = Matrix::from_fn(x.nrows(), x_train.nrows(), |m, i| {
                    linalg::sq_dist(x.row(m), x_train.row(i))
                });
                fit.transform_squared_distances(&d2)
            }
        })
    }

    /// Write the model to `path` as JSON, atomically.
    ///
    /// # Errors
    /// [`ModelError::Io`] naming the file.
    pub fn save(&self, path: &Path) -> Result<(), ModelError> {
        let json = serde_json::to_string(&Envelope::from(self))
            .map_err(|e| ModelError::Io(format!("could not encode the model: {e}")))?;
        write_atomically(path, json.as_bytes())
            .map_err(|(p, e)| ModelError::Io(format!("cannot write {}: {e}", p.display())))
    }

    /// Read a model written by [`SavedModel::save`].
    ///
    /// # Errors
    /// [`ModelError::Io`] if the file cannot be read; [`ModelError::Malformed`] for another
    /// format, truncated JSON, a missing field (named) or an inconsistent matrix;
    /// [`ModelError::Version`] for another version.
    pub fn load(path: &Path) -> Result<SavedModel, ModelError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ModelError::Io(format!("cannot read {}: {e}", path.display())))?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            ModelError::Malformed(format!(
                "{} is not a complete JSON file: {e}",
                path.display()
            ))
        })?;
        let format = value.get("format").and_then(|f| f.as_str());
        if format != Some(FORMAT_NAME) {
            return Err(ModelError::Malformed(format!(
                "{} is not a dimred model file (format {:?}, expected \"{FORMAT_NAME}\"); \
                 autoencoder models are applied with `lectures encode`",
                path.display(),
                format.unwrap_or("missing")
            )));
        }
        match value.get("version").and_then(|v| v.as_u64()) {
            Some(v) if v == u64::from(FORMAT_VERSION) => {}
            Some(found) => return Err(ModelError::Version { found }),
            None => {
                return Err(ModelError::Malformed(format!(
                    "{}: the field \"version\" is missing",
                    path.display()
                )))
            }
        }
        let envelope: Envelope = serde_json::from_value(value)
            .map_err(|e| ModelError::Malformed(format!("{}: {e}", path.display())))?;
        envelope
            .into_model()
            .map_err(|e| ModelError::Malformed(format!("{}: {e}", path.display())))
    }
}

// ---- The serialised form: plain data, checked when turned back into fits. ----

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    format: String,
    version: u64,
    written_by: String,
    columns: Vec<String>,
    training: Training,
    model: SavedFit,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
enum SavedFit {
    Pca {
        mean: Vec<f64>,
        components: SavedMatrix,
        explained_variance: Vec<f64>,
        explained_variance_ratio: Vec<f64>,
        total_variance: f64,
        n_samples: usize,
    },
    KernelPca {
        kernel: SavedKernel,
        x_train: SavedMatrix,
        k_col_means: Vec<f64>,
        k_grand_mean: f64,
        eigenvalues: Vec<f64>,
        alphas: SavedMatrix,
        embedding: SavedMatrix,
    },
    ClassicalMds {
        x_train: SavedMatrix,
        embedding: SavedMatrix,
        eigenvalues: Vec<f64>,
        negative_eigenvalues: Vec<f64>,
        trace: f64,
        spectrum_complete: bool,
        mean_squared_distances: Vec<f64>,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "kernel", rename_all = "snake_case", deny_unknown_fields)]
enum SavedKernel {
    Linear,
    Polynomial { degree: u32, gamma: f64, coef0: f64 },
    Rbf { gamma: f64 },
}

impl From<&SavedModel> for Envelope {
    fn from(m: &SavedModel) -> Self {
        let model = match &m.fitted {
            Fitted::Pca(p) => SavedFit::Pca {
                mean: p.mean.clone(),
                components: (&p.components).into(),
                explained_variance: p.explained_variance.clone(),
                explained_variance_ratio: p.explained_variance_ratio.clone(),
                total_variance: p.total_variance,
                n_samples: p.n_samples,
            },
            Fitted::KernelPca(k) => SavedFit::KernelPca {
                kernel: match k.kernel {
                    Kernel::Linear => SavedKernel::Linear,
                    Kernel::Polynomial {
                        degree,
                        gamma,
                        coef0,
                    } => SavedKernel::Polynomial {
                        degree,
                        gamma,
                        coef0,
                    },
                    Kernel::Rbf { gamma } => SavedKernel::Rbf { gamma },
                },
                x_train: (&k.x_train).into(),
                k_col_means: k.k_col_means.clone(),
                k_grand_mean: k.k_grand_mean,
                eigenvalues: k.eigenvalues.clone(),
                alphas: (&k.alphas).into(),
                embedding: (&k.embedding).into(),
            },
            Fitted::ClassicalMds { fit, x_train } => SavedFit::ClassicalMds {
                x_train: x_train.into(),
                embedding: (&fit.embedding).into(),
                eigenvalues: fit.eigenvalues.clone(),
                negative_eigenvalues: fit.negative_eigenvalues.clone(),
                trace: fit.trace,
                spectrum_complete: fit.spectrum_complete,
                mean_squared_distances: fit.mean_squared_distances.clone(),
            },
        };
        Envelope {
            format: FORMAT_NAME.into(),
            version: FORMAT_VERSION.into(),
            written_by: format!("dimred {}", env!("CARGO_PKG_VERSION")),
            columns: m.columns.clone(),
            training: m.training.clone(),
            model,
        }
    }
}

impl Envelope {
    /// Back to a [`SavedModel`], checking every matrix and the shapes against each other.
    fn into_model(self) -> Result<SavedModel, String> {
        let d = self.columns.len();
        let fitted = match self.model {
            SavedFit::Pca {
                mean,
                components,
                explained_variance,
                explained_variance_ratio,
                total_variance,
                n_samples,
            } => {
                let components = components.into_matrix("PCA components")?;
                expect_len("PCA mean", mean.len(), d)?;
                expect_len("PCA components' rows", components.nrows(), d)?;
                Fitted::Pca(PcaFit {
                    mean,
                    components,
                    explained_variance,
                    explained_variance_ratio,
                    total_variance,
                    n_samples,
                })
            }
            kpca @ SavedFit::KernelPca { .. } => kernel_pca_from(kpca, d)?,
            mds @ SavedFit::ClassicalMds { .. } => classical_mds_from(mds, d)?,
        };
        Ok(SavedModel {
            columns: self.columns,
            training: self.training,
            fitted,
        })
    }
}

/// A saved kernel PCA back to its fit, with its shapes checked against `d` columns.
fn kernel_pca_from(saved: SavedFit, d: usize) -> Result<Fitted, String> {
    let SavedFit::KernelPca {
        kernel,
        x_train,
        k_col_means,
        k_grand_mean,
        eigenvalues,
        alphas,
        embedding,
    } = saved
    else {
        unreachable!("called with a kernel PCA")
    };
    let x_train = x_train.into_matrix("kernel PCA training points")?;
    let alphas = alphas.into_matrix("kernel PCA alphas")?;
    expect_len("kernel PCA training columns", x_train.ncols(), d)?;
    expect_len(
        "kernel PCA column means",
        k_col_means.len(),
        x_train.nrows(),
    )?;
    expect_len("kernel PCA alphas' rows", alphas.nrows(), x_train.nrows())?;
    let kernel = match kernel {
        SavedKernel::Linear => Kernel::Linear,
        SavedKernel::Polynomial {
            degree,
            gamma,
            coef0,
        } => Kernel::Polynomial {
            degree,
            gamma,
            coef0,
        },
        SavedKernel::Rbf { gamma } => Kernel::Rbf { gamma },
    };
    Ok(Fitted::KernelPca(KernelPcaFit {
        kernel,
        x_train,
        k_col_means,
        k_grand_mean,
        eigenvalues,
        alphas,
        embedding: embedding.into_matrix("kernel PCA embedding")?,
    }))
}

/// A saved classical MDS back to its fit, with its shapes checked against `d` columns.
fn classical_mds_from(saved: SavedFit, d: usize) -> Result<Fitted, String> {
    let SavedFit::ClassicalMds {
        x_train,
        embedding,
        eigenvalues,
        negative_eigenvalues,
        trace,
        spectrum_complete,
        mean_squared_distances,
    } = saved
    else {
        unreachable!("called with a classical MDS")
    };
    let x_train = x_train.into_matrix("MDS training points")?;
    let embedding = embedding.into_matrix("MDS embedding")?;
    expect_len("MDS training columns", x_train.ncols(), d)?;
    expect_len("MDS ā", mean_squared_distances.len(), x_train.nrows())?;
    expect_len("MDS embedding rows", embedding.nrows(), x_train.nrows())?;
    if eigenvalues.len() < embedding.ncols() {
        return Err(format!(
            "MDS: {} eigenvalues for {} coordinates",
            eigenvalues.len(),
            embedding.ncols()
        ));
    }
    Ok(Fitted::ClassicalMds {
        fit: MdsFit {
            embedding,
            eigenvalues,
            negative_eigenvalues,
            trace,
            spectrum_complete,
            mean_squared_distances,
        },
        x_train,
    })
}

fn expect_len(what: &str, found: usize, expected: usize) -> Result<(), String> {
    if found == expected {
        Ok(())
    } else {
        Err(format!("{what}: {found} where {expected} were expected"))
    }
}
