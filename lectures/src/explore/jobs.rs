//! Live runs: the job registry behind the pages whose figure moves while the library iterates
//! (t-SNE, SMACOF, sketch-map, autoencoder training).
//!
//! A page starts a run with one request (`/api/tsne?session=…&…`); the run goes on in a thread
//! of its own, and the library's observer ([`linalg::observe`]) publishes each iterate into the
//! job's slot: the newest frame (a point cloud) replaces the previous one, and small per-step
//! records (a KL value, a stress, a loss) are appended. The page asks for "a frame newer than
//! the one I drew" (`/api/job?id=…&after=seq&have=records`), which the server answers as soon as
//! one exists (a long poll, at most [`POLL_WAIT`]), then draws and asks again.
//!
//! Why polling for the latest frame rather than a stream of every frame: the library is never
//! slowed down by the page (the observer only copies N × 2 numbers under a lock, it never waits
//! for a socket), a slow page or a busy machine simply skips frames instead of falling behind a
//! growing queue, and each answer is an ordinary short HTTP reply, so the synchronous server
//! needs no chunked streaming and a worker is held only while no new frame exists.
//!
//! Limits: a page session (an id the page makes up when it loads) has at most one run per
//! slot; starting a new one cancels the superseded run, whose observer then answers
//! `Break` (the library returns its `Stopped` error). At most [`MAX_RUNNING`] runs compute at
//! once; a run nobody has polled for [`ABANDONED_AFTER`] (a closed tab) stops itself, and
//! finished runs are forgotten after [`FORGET_AFTER`].

use super::params::{BadRequest, Checked, Query};
use linalg::observe::ControlFlow;
use serde_json::{json, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// Runs computing at once: two cores, and a page runs at most two (t-SNE beside SNE).
pub const MAX_RUNNING: usize = 4;
/// Longest wait of a poll for a new frame.
pub const POLL_WAIT: Duration = Duration::from_millis(250);
/// A run that nobody polled for this long stops itself (its page was closed).
pub const ABANDONED_AFTER: Duration = Duration::from_secs(5);
/// A finished run is forgotten when nobody has polled it for this long.
pub const FORGET_AFTER: Duration = Duration::from_secs(60);

/// What a run has published so far.
#[derive(Debug, Default)]
pub struct Progress {
    /// Frames published: the page sends the last it drew and waits for a larger one.
    pub seq: u64,
    /// The step of the newest frame (iteration or epoch).
    pub step: usize,
    /// The newest frame's points (N × 2, f32: the figure needs 7 digits, not 16).
    pub points: Vec<[f32; 2]>,
    /// Anything else of the newest frame (images, the phase, ...).
    pub extra: Value,
    /// One small record per step that reports one (KL, stress, loss): the page's curve.
    pub records: Vec<Value>,
    /// The run's summary when it ended normally.
    pub result: Option<Value>,
    /// The run's error message when it failed (a diverged step, a bad parameter found late).
    pub error: Option<String>,
    /// True once the run's thread has ended (normally, by error, or cancelled).
    pub done: bool,
}

/// One run: its identity, its cancel flag and what it published.
#[derive(Debug)]
pub struct Job {
    /// The id the page polls.
    pub id: u64,
    session: String,
    cancelled: AtomicBool,
    progress: Mutex<Progress>,
    changed: Condvar,
    last_polled: Mutex<Instant>,
}

/// How fast a live run shows its steps: at most `per_second` (0: as fast as the machine goes),
/// step k no earlier than k / `per_second` seconds after the run started. The page's "speed"
/// control, so that a student can follow early exaggeration or the first epochs.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    per_second: usize,
    start: Instant,
}

impl Pace {
    /// A pace of `per_second` steps per second from now.
    pub fn new(per_second: usize) -> Pace {
        Pace {
            per_second,
            start: Instant::now(),
        }
    }

    /// Sleep until step `step` is due.
    fn wait_for(&self, step: usize) {
        if self.per_second > 0 {
            let due = self.start + Duration::from_secs_f64(step as f64 / self.per_second as f64);
            std::thread::sleep(due.saturating_duration_since(Instant::now()));
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave Progress half-written in a way that
    // matters to a figure; keep serving.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Job {
    /// False once the run was superseded, stopped, or abandoned by its page: the observer then
    /// answers `Break`.
    pub fn keep_going(&self) -> bool {
        if self.cancelled.load(Ordering::Relaxed) {
            return false;
        }
        if lock(&self.last_polled).elapsed() > ABANDONED_AFTER {
            self.cancelled.store(true, Ordering::Relaxed);
            return false;
        }
        true
    }

    /// What every live run's observer does with one step: `Break` when the run was superseded
    /// (or its page went away); else publish the step's frame (`write` fills in the points,
    /// records and extra; the step number is set here) and keep to `pace`.
    pub fn frame(
        &self,
        step: usize,
        pace: &Pace,
        write: impl FnOnce(&mut Progress),
    ) -> ControlFlow<()> {
        if !self.keep_going() {
            return ControlFlow::Break(());
        }
        self.publish(|p| {
            p.step = step;
            write(p);
        });
        pace.wait_for(step);
        ControlFlow::Continue(())
    }

    /// Publish a new frame: `write` updates the progress (points, records, extra) under the
    /// lock, then the frame counter moves and waiting polls wake up.
    pub fn publish(&self, write: impl FnOnce(&mut Progress)) {
        let mut p = lock(&self.progress);
        write(&mut p);
        p.seq += 1;
        drop(p);
        self.changed.notify_all();
    }

    /// Replace the frame's points by the rows of an N × 2 (or wider; the first two columns)
    /// row-major array.
    pub fn set_points(p: &mut Progress, flat: &[f64], row_len: usize) {
        p.points.clear();
        p.points.extend(
            flat.chunks_exact(row_len)
                .map(|r| [r[0] as f32, r.get(1).copied().unwrap_or(0.0) as f32]),
        );
    }

    fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    fn finish(&self, outcome: Result<Value, String>) {
        self.publish(|p| {
            match outcome {
                Ok(v) => p.result = Some(v),
                Err(e) => p.error = Some(e),
            }
            p.done = true;
        });
    }

    fn running(&self) -> bool {
        !lock(&self.progress).done && !self.cancelled.load(Ordering::Relaxed)
    }

    /// The reply to a poll: wait up to `wait` for a frame after `after`, then send the newest
    /// frame (points only when newer than `after`), the records from index `have` on, and the
    /// end state.
    fn poll(&self, after: u64, have: usize, wait: Duration) -> Value {
        *lock(&self.last_polled) = Instant::now();
        let deadline = Instant::now() + wait;
        let mut p = lock(&self.progress);
        while p.seq <= after && !p.done {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            p = self
                .changed
                .wait_timeout(p, left)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
        let fresh = p.seq > after;
        json!({
            "id": self.id, "seq": p.seq, "step": p.step, "done": p.done,
            "points": if fresh { json!(p.points) } else { Value::Null },
            "extra": if fresh { p.extra.clone() } else { Value::Null },
            "records": p.records.get(have..).unwrap_or(&[]),
            "result": p.result, "error": p.error,
            "cancelled": self.cancelled.load(Ordering::Relaxed),
        })
    }
}

/// All runs the server knows.
#[derive(Debug, Default)]
pub struct Registry {
    jobs: Mutex<Vec<Arc<Job>>>,
    next_id: AtomicU64,
}

/// The server's one registry.
pub fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(Registry::default)
}

impl Registry {
    /// Start `run` for `session` in a thread of its own, cancelling the session's previous
    /// run. `run` gets the job to publish into and to ask [`Job::keep_going`]; its `Ok` value
    /// becomes the result, its `Err` (or a panic) the error the page shows.
    ///
    /// # Errors
    /// [`MAX_RUNNING`] other runs are computing.
    pub fn start(
        &self,
        session: &str,
        run: impl FnOnce(&Job) -> Result<Value, String> + Send + 'static,
    ) -> Checked<Arc<Job>> {
        let mut jobs = lock(&self.jobs);
        for j in jobs.iter().filter(|j| j.session == session) {
            j.cancel();
        }
        jobs.retain(|j| {
            let p = lock(&j.progress);
            !(p.done && (j.session == session || lock(&j.last_polled).elapsed() > FORGET_AFTER))
        });
        let running = jobs.iter().filter(|j| j.running()).count();
        if running >= MAX_RUNNING {
            return Err(BadRequest(format!(
                "{running} live runs are computing already (the limit is {MAX_RUNNING} on this \
                 machine): close another explore tab, or wait for one to finish"
            )));
        }
        let job = Arc::new(Job {
            id: self.next_id.fetch_add(1, Ordering::Relaxed) + 1,
            session: session.to_string(),
            cancelled: AtomicBool::new(false),
            progress: Mutex::new(Progress::default()),
            changed: Condvar::new(),
            last_polled: Mutex::new(Instant::now()),
        });
        jobs.push(job.clone());
        drop(jobs);
        let worker = job.clone();
        std::thread::spawn(move || {
            let outcome = catch_unwind(AssertUnwindSafe(|| run(&worker))).unwrap_or_else(|p| {
                let msg = p
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| p.downcast_ref::<&str>().copied())
                    .unwrap_or("unknown panic");
                Err(format!("internal error: {msg}"))
            });
            worker.finish(outcome);
        });
        Ok(job)
    }

    fn find(&self, id: u64) -> Checked<Arc<Job>> {
        lock(&self.jobs)
            .iter()
            .find(|j| j.id == id)
            .cloned()
            .ok_or_else(|| {
                BadRequest(format!(
                    "no live run {id}: it ended and was forgotten, or the server restarted; \
                     move a control to start a new one"
                ))
            })
    }

    /// Number of runs computing now.
    pub fn running(&self) -> usize {
        lock(&self.jobs).iter().filter(|j| j.running()).count()
    }
}

/// The page's session id: 1 to 64 letters, digits, `-` or `_`.
pub fn session(q: &Query) -> Checked<String> {
    let s = q
        .raw("session")
        .ok_or_else(|| BadRequest("a live run needs `session=` (the page's id)".into()))?;
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !ok {
        return Err(BadRequest(format!(
            "session = `{s}`: 1 to 64 letters, digits, - or _"
        )));
    }
    Ok(s.to_string())
}

/// `GET /api/job?id=…&after=…&have=…[&wait=ms]`: the newest frame of run `id` after frame
/// `after`, and its records from index `have` on (see [`Job::poll`]).
pub fn poll(q: &Query) -> Checked<Value> {
    q.only(&["id", "after", "have", "wait"])?;
    let id = q.usize_in("id", 1..=usize::MAX, 0)?;
    if q.raw("id").is_none() {
        return Err(BadRequest("a poll needs `id=` (the run's id)".into()));
    }
    let after = q.usize_in("after", 0..=usize::MAX, 0)? as u64;
    let have = q.usize_in("have", 0..=usize::MAX, 0)?;
    let wait = q.usize_in("wait", 0..=POLL_WAIT.as_millis() as usize, 250)?;
    let job = registry().find(id as u64)?;
    Ok(job.poll(after, have, Duration::from_millis(wait as u64)))
}

/// `GET /api/stop?id=…`: cancel run `id` (the page's stop button).
pub fn stop(q: &Query) -> Checked<Value> {
    q.only(&["id"])?;
    let id = q.usize_in("id", 1..=usize::MAX, 1)? as u64;
    registry().find(id)?.cancel();
    Ok(json!({"id": id, "stopping": true}))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Query {
        Query::parse(s).unwrap()
    }

    /// A run that publishes `frames` frames, one record each, waiting for a go-ahead flag.
    fn counting_run(frames: usize) -> impl FnOnce(&Job) -> Result<Value, String> + Send {
        move |job: &Job| {
            let pace = Pace::new(0);
            for k in 0..frames {
                let shown = job.frame(k, &pace, |p| {
                    Job::set_points(p, &[k as f64, 2.0 * k as f64], 2);
                    p.records.push(json!({ "k": k }));
                });
                if shown.is_break() {
                    return Err(format!("stopped at {k}"));
                }
                std::thread::sleep(Duration::from_millis(2));
            }
            Ok(json!({ "frames": frames }))
        }
    }

    /// Poll `job` as the page does until it ends; returns the last reply and every record.
    fn poll_until_done(job: &Job) -> Value {
        let mut after = 0;
        let mut records = Vec::new();
        loop {
            let v = job.poll(after, records.len(), POLL_WAIT);
            records.extend(v["records"].as_array().unwrap().iter().cloned());
            after = v["seq"].as_u64().unwrap();
            if v["done"] == true {
                return json!({"last": v, "records": records});
            }
        }
    }

    #[test]
    fn a_run_streams_its_frames_and_records_then_its_result() {
        let reg = Registry::default();
        let job = reg.start("s", counting_run(20)).unwrap();
        let end = poll_until_done(&job);
        // Every record arrives exactly once, in order, however the polls fell.
        let ks: Vec<u64> = end["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["k"].as_u64().unwrap())
            .collect();
        assert_eq!(ks, (0..20).collect::<Vec<u64>>());
        assert_eq!(end["last"]["result"]["frames"], 20);
        assert_eq!(end["last"]["error"], Value::Null);
        assert_eq!(reg.running(), 0);
    }

    #[test]
    fn a_new_run_of_the_same_session_cancels_the_old_one() {
        let reg = Registry::default();
        let first = reg.start("s", counting_run(100_000)).unwrap();
        let second = reg.start("s", counting_run(3)).unwrap();
        let end = poll_until_done(&first);
        let msg = end["last"]["error"].as_str().unwrap();
        assert!(msg.starts_with("stopped at"), "{end}");
        assert_eq!(poll_until_done(&second)["last"]["result"]["frames"], 3);
    }

    #[test]
    fn the_number_of_running_jobs_is_limited() {
        let reg = Registry::default();
        let long: Vec<_> = (0..MAX_RUNNING)
            .map(|k| reg.start(&format!("s{k}"), counting_run(100_000)).unwrap())
            .collect();
        let refused = reg.start("one-more", counting_run(1)).unwrap_err();
        assert!(refused.0.contains("limit"), "{refused}");
        // Stopping one frees its place.
        long[0].cancel();
        poll_until_done(&long[0]);
        let job = reg.start("one-more", counting_run(1)).unwrap();
        assert_eq!(poll_until_done(&job)["last"]["result"]["frames"], 1);
        long[1..].iter().for_each(|j| j.cancel());
    }

    #[test]
    fn a_panicking_run_is_an_error_message_not_a_dead_server() {
        let reg = Registry::default();
        let job = reg
            .start("s", |_job: &Job| -> Result<Value, String> {
                panic!("boom")
            })
            .unwrap();
        let end = poll_until_done(&job);
        assert_eq!(end["last"]["error"], "internal error: boom");
    }

    #[test]
    fn bad_polls_and_sessions_are_refused() {
        for bad in [
            "id=0",
            "",
            "id=abc",
            "id=999999999",
            "id=1&wait=100000",
            "id=1&x=2",
        ] {
            assert!(poll(&q(bad)).is_err(), "{bad}");
        }
        for bad in [
            "",
            "session=",
            "session=a%20b",
            &format!("session={}", "x".repeat(65)),
        ] {
            assert!(session(&q(bad)).is_err(), "{bad}");
        }
        assert_eq!(session(&q("session=ab-C_9")).unwrap(), "ab-C_9");
    }
}
