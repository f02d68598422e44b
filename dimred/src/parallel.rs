//! Row-parallel loops on scoped threads: each output row is computed independently, so the
//! result is the same, bit for bit, whatever the number of threads.

/// Call `f(i, row_i)` for every row of `out` (rows of `row_len` entries), spreading contiguous
/// blocks of rows over the available cores.
pub(crate) fn for_each_row<T: Send>(
    out: &mut [T],
    row_len: usize,
    f: impl Fn(usize, &mut [T]) + Sync,
) {
    if row_len == 0 || out.is_empty() {
        return;
    }
    let rows = out.len() / row_len;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(rows);
    if threads <= 1 {
        for (i, row) in out.chunks_exact_mut(row_len).enumerate() {
            f(i, row);
        }
        return;
    }
    let per_thread = rows.div_ceil(threads);
    std::thread::scope(|s| {
        for (t, block) in out.chunks_mut(per_thread * row_len).enumerate() {
            let f = &f;
            s.spawn(move || {
                for (r, row) in block.chunks_exact_mut(row_len).enumerate() {
                    f(t * per_thread + r, row);
                }
            });
        }
    });
}

/// Call `f(i, row_i)` for every row of the square n x n matrix stored in `out` where only the
/// part of row i on and right of the diagonal is to be computed (an upper triangle, row i
/// holding n - i entries): the rows are cut at [`upper_triangle_cut`], so each of two threads
/// gets about half the *entries* (contiguous blocks of equal row counts would give the first
/// thread three quarters of them). Each row is computed independently, so the result is the
/// same bit for bit on one core or two.
pub(crate) fn for_each_upper_row<T: Send>(
    out: &mut [T],
    n: usize,
    f: impl Fn(usize, &mut [T]) + Sync,
) {
    if n == 0 || out.is_empty() {
        return;
    }
    let cut = upper_triangle_cut(n);
    let (first, second) = out.split_at_mut(cut * n);
    let run = |start: usize, block: &mut [T]| {
        for (r, row) in block.chunks_exact_mut(n).enumerate() {
            f(start + r, row);
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
    if threads > 1 && n >= UPPER_TWO_CORES_MIN_N {
        std::thread::scope(|s| {
            s.spawn(|| run(cut, second));
            run(0, first);
        });
    } else {
        run(0, first);
        run(cut, second);
    }
}

/// The row r at which rows 0..r of an n x n upper triangle hold about half its entries:
/// the rows from r on hold (n - r)^2 / 2 of the n^2 / 2, half when r = n (1 - 1/√2). It
/// depends on n only, so work cut there is the same whatever the number of cores.
pub(crate) fn upper_triangle_cut(n: usize) -> usize {
    ((n as f64 * (1.0 - std::f64::consts::FRAC_1_SQRT_2)) as usize).min(n)
}

/// Below this order [`for_each_upper_row`] stays on the calling thread: the triangle then
/// holds fewer than about 30 000 entries, too few to pay for starting a thread.
pub(crate) const UPPER_TWO_CORES_MIN_N: usize = 256;

/// The number of threads the loops here use: the available cores.
pub(crate) fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Call `f(b, block_b)` for the consecutive blocks of `out` whose lengths are `lens`, on
/// `threads` scoped threads that take the next unclaimed block as they finish one (blocks of
/// uneven cost balance themselves). Each call sees only its own block and its number, so the
/// output is the same, bit for bit, for any number of threads and any claiming order.
///
/// # Panics
/// If the lengths do not add up to `out.len()`.
#[track_caller]
pub(crate) fn for_each_block<T: Send>(
    out: &mut [T],
    lens: &[usize],
    threads: usize,
    f: impl Fn(usize, &mut [T]) + Sync,
) {
    assert_eq!(
        lens.iter().sum::<usize>(),
        out.len(),
        "for_each_block: block lengths and output length differ"
    );
    let mut blocks = Vec::with_capacity(lens.len());
    let mut rest = out;
    for &len in lens {
        let (block, tail) = rest.split_at_mut(len);
        blocks.push(block);
        rest = tail;
    }
    let threads = threads.clamp(1, blocks.len().max(1));
    if threads == 1 {
        for (b, block) in blocks.into_iter().enumerate() {
            f(b, block);
        }
        return;
    }
    let queue = std::sync::Mutex::new(blocks.into_iter().enumerate());
    std::thread::scope(|s| {
        for _ in 0..threads {
            let (f, queue) = (&f, &queue);
            s.spawn(move || loop {
                // The lock is held only to claim the next block, never while computing it.
                let next = queue.lock().expect("no thread panics holding it").next();
                match next {
                    Some((b, block)) => f(b, block),
                    None => break,
                }
            });
        }
    });
}
