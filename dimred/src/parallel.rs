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
