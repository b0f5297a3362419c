//! The rayon thread pool of the threaded build. kimchi's prover parallelizes with rayon; in
//! WebAssembly a thread is a JS worker that has joined the instance's shared memory, so rayon's
//! threads cannot be spawned from Rust. Instead JS starts `n` workers that each call
//! `threadPoolWorker()`, which waits for a thread of the pool to run; then `threadPoolPrepare(n)`
//! builds rayon's global pool with a spawn handler that hands each thread to a waiting worker.
//! rayon waits until every thread has started, so the workers must be started first, and the
//! thread that prepares the pool must be allowed to block (a Node thread, or a browser worker).
//!
//! Without a pool (the single-threaded build, or before one is prepared), rayon runs every task on
//! the calling thread.

use std::sync::{Condvar, Mutex};

use crate::error::{fail, Error};

/// Most worker threads a pool may have.
pub const MAX_THREADS: u32 = 64;

/// Threads rayon has asked for and no worker has taken yet, and the workers' wake-up call.
static WAITING: Mutex<Vec<rayon::ThreadBuilder>> = Mutex::new(Vec::new());
static ARRIVED: Condvar = Condvar::new();

fn waiting() -> std::sync::MutexGuard<'static, Vec<rayon::ThreadBuilder>> {
    WAITING.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Builds rayon's pool of `threads` threads, each run by a worker waiting in `threadPoolWorker()`
/// (start them first). Returns once every thread has started. Once per instance.
#[kimchi_handles::export(js_name = "threadPoolPrepare")]
pub fn thread_pool_prepare(threads: u32) -> Result<u32, Error> {
    if !cfg!(all(target_arch = "wasm32", target_feature = "atomics")) {
        return fail!("threadPoolPrepare: this build has no threads (use the threaded build)");
    }
    if !(1..=MAX_THREADS).contains(&threads) {
        return fail!("threadPoolPrepare: threads must be from 1 to {MAX_THREADS}, got {threads}");
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads as usize)
        .thread_name(|i| format!("kimchi-handles rayon {i}"))
        .spawn_handler(|thread| {
            waiting().push(thread);
            ARRIVED.notify_one();
            Ok(())
        })
        .build_global()
        .map_err(|e| Error(format!("threadPoolPrepare: {e} (a pool is prepared once per instance)")))?;
    Ok(threads)
}

/// Waits for a thread of the pool and runs it on the calling worker, for as long as the pool
/// lives: a worker calls it once, after joining the instance's memory, and never returns to its
/// event loop.
#[kimchi_handles::export(js_name = "threadPoolWorker")]
pub fn thread_pool_worker() -> Result<(), Error> {
    if !cfg!(all(target_arch = "wasm32", target_feature = "atomics")) {
        return fail!("threadPoolWorker: this build has no threads (use the threaded build)");
    }
    let mut queue = waiting();
    let thread = loop {
        match queue.pop() {
            Some(thread) => break thread,
            None => queue = ARRIVED.wait(queue).unwrap_or_else(std::sync::PoisonError::into_inner),
        }
    };
    drop(queue);
    thread.run();
    Ok(())
}

/// Threads built and not yet taken by a worker (0 once the pool is running).
#[kimchi_handles::export(js_name = "threadPoolWaiting")]
pub fn thread_pool_waiting() -> u32 {
    waiting().len() as u32
}

/// Threads rayon runs tasks on (1 without a pool).
#[kimchi_handles::export(js_name = "threadPoolThreads")]
pub fn thread_pool_threads() -> u32 {
    rayon::current_num_threads() as u32
}
