//! The observer convention (linalg::observe) on dimred's iterative methods: the events are the
//! history the fit returns, step by step, with the state they describe; a `Break` ends the
//! run with `Stopped` naming the step; the plain entry point is the observed one watched by
//! nobody (same bits).

use dimred::graph::GeodesicRows;
use dimred::isomap::{Isomap, Neighbourhood};
use dimred::observe::{ControlFlow, Recorder};
use dimred::sketchmap::{SketchMap, SketchMapIteration};
use dimred::smacof::{stress, Smacof, SmacofInit, SmacofIteration};
use dimred::tsne::{TSne, TsneIteration, TsnePhase};
use dimred::DimredError;

fn blobs() -> linalg::Matrix {
    dimred::data::blobs(60, 3, 5, 0.5, 2).x
}

/// t-SNE: one event per iterate (max_iter + 1), the KL on the recording iterations equal to
/// `kl_history`, the phase switching after `exaggeration_iter`, and the embedding of the last
/// event the result.
#[test]
fn tsne_events_are_the_kl_history_and_mark_the_end_of_exaggeration() {
    let x = blobs();
    let t = TSne {
        perplexity: 10.0,
        max_iter: 120,
        exaggeration_iter: 50,
        kl_every: 25,
        ..TSne::new(2)
    };
    let mut kls = Vec::new();
    let mut phases = Vec::new();
    let mut last = None;
    let fit = t
        .fit_observed(&x, &mut |e: &TsneIteration| {
            if let Some(kl) = e.kl {
                kls.push((e.iteration, kl));
            }
            phases.push(e.phase);
            last = Some(e.embedding.clone());
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(phases.len(), 121);
    assert_eq!(kls, fit.kl_history);
    assert_eq!(
        kls.iter().map(|k| k.0).collect::<Vec<_>>(),
        [0, 25, 50, 75, 100, 120]
    );
    let first_refinement = phases.iter().position(|p| *p == TsnePhase::Refinement);
    assert_eq!(first_refinement, Some(50));
    assert_eq!(last.unwrap(), fit.embedding);
    // Watching changes nothing: the plain fit gives the same bits.
    assert_eq!(t.fit(&x).unwrap(), fit);
}

/// SMACOF: one event per entry of `stress_history`, each stress the stress of the embedding
/// it comes with (to rounding: the event's value comes out of the Guttman pass, the check
/// recomputes it pair by pair in another order).
#[test]
fn smacof_events_carry_each_configuration_with_its_stress() {
    let x = blobs();
    let delta = x.pairwise_sq_distances().map(f64::sqrt);
    let s = Smacof {
        max_iter: 30,
        tol: 0.0,
        init: SmacofInit::Random { seed: 3 },
        ..Smacof::new(2)
    };
    let mut seen = Vec::new();
    let fit = s
        .fit_points_observed(&x, &mut |e: &SmacofIteration| {
            let direct = stress(&delta, e.embedding, None);
            // Sums of 1770 squares of order σ/N²: relative rounding ~ N²·ε.
            assert!(
                (direct - e.stress).abs() <= 1e-10 * direct.max(1.0),
                "{direct} {}",
                e.stress
            );
            seen.push((e.iteration, e.stress));
            ControlFlow::Continue(())
        })
        .unwrap();
    let stresses: Vec<f64> = seen.iter().map(|s| s.1).collect();
    assert_eq!(stresses, fit.stress_history);
    assert_eq!(seen.last().unwrap().0, fit.iterations);
}

/// A `Break` is a `Stopped` error naming the step, never a result that looks converged.
#[test]
fn breaking_stops_every_method_with_stopped() {
    let x = blobs();
    let stop_at = |k: usize| {
        move |i: usize| {
            if i >= k {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        }
    };
    let t = TSne {
        perplexity: 10.0,
        max_iter: 100,
        ..TSne::new(2)
    };
    let stop = stop_at(7);
    let err = t
        .fit_observed(&x, &mut |e: &TsneIteration| stop(e.iteration))
        .unwrap_err();
    assert_eq!(
        err,
        DimredError::Stopped {
            method: "t-SNE",
            iteration: 7
        }
    );
    let stop = stop_at(3);
    let err = Smacof::new(2)
        .fit_points_observed(&x, &mut |e: &SmacofIteration| stop(e.iteration))
        .unwrap_err();
    assert_eq!(
        err,
        DimredError::Stopped {
            method: "SMACOF",
            iteration: 3
        }
    );
    let sm = SketchMap {
        n_landmarks: 30,
        ..SketchMap::new(2)
    };
    let stop = stop_at(2);
    let err = sm
        .fit_observed(&x, &mut |e: &SketchMapIteration| stop(e.iteration))
        .unwrap_err();
    assert_eq!(
        err,
        DimredError::Stopped {
            method: "sketch-map",
            iteration: 2
        }
    );
    let roll = dimred::data::swiss_roll(100, 0.0, 1).x;
    let err = Isomap::new(Neighbourhood::Knn(8), 2)
        .fit_observed(&roll, &mut |_: &GeodesicRows| ControlFlow::Break(()))
        .unwrap_err();
    assert!(
        matches!(
            err,
            DimredError::Stopped {
                method: "geodesic distances",
                ..
            }
        ),
        "{err}"
    );
}

/// Sketch-map's events are its stress history, with the landmarks' coordinates (L x d).
#[test]
fn sketchmap_events_are_the_stress_history() {
    let x = blobs();
    let sm = SketchMap {
        n_landmarks: 30,
        max_iter: 40,
        ..SketchMap::new(2)
    };
    let mut seen = Vec::new();
    let fit = sm
        .fit_observed(&x, &mut |e: &SketchMapIteration| {
            assert_eq!(e.landmark_coordinates.len(), 30 * e.n_components);
            seen.push(e.stress);
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(seen, fit.stress_history);
}

/// Isomap reports the geodesic rows in blocks, ending at N; the Recorder keeps them all.
#[test]
fn isomap_reports_geodesic_rows_up_to_n() {
    let x = dimred::data::swiss_roll(150, 0.0, 1).x;
    let mut rec = Recorder::default();
    let fit = Isomap::new(Neighbourhood::Knn(8), 2)
        .fit_observed(&x, &mut rec)
        .unwrap();
    let done: Vec<usize> = rec.events.iter().map(|e: &GeodesicRows| e.done).collect();
    assert_eq!(done, [64, 128, 150]);
    assert!(rec.events.iter().all(|e| e.total == 150));
    assert_eq!(
        Isomap::new(Neighbourhood::Knn(8), 2)
            .fit(&x)
            .unwrap()
            .embedding,
        fit.embedding
    );
}
