use clap::Parser;

// The build allocates many small strings on every thread; mimalloc keeps that off glibc's locks.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

unsafe extern "C" {
    /// mimalloc's option setter (in the C library the allocator above links).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}
// mimalloc 2.x's `mi_option_e` (include/mimalloc.h of the libmimalloc-sys crate in Cargo.lock).
const MI_OPTION_ARENA_EAGER_COMMIT: std::ffi::c_int = 4;
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

fn main() -> std::process::ExitCode {
    // Memory goes back to the system as soon as it is freed, and arenas are committed as they are
    // used; polars reads survey files in blocks rather than mapping them whole. Together they take
    // the impact pipeline's peak on 10,000,000 survey rows from 2.5-2.6 GB to 2.0-2.3 GB (max RSS
    // of single runs, bench/impact.sh); time within noise. Both before any other thread exists.
    // SAFETY: single-threaded here; mimalloc's options may be set at any time.
    unsafe {
        mi_option_set(MI_OPTION_PURGE_DELAY, 0);
        mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
        if std::env::var_os("POLARS_FORCE_ASYNC").is_none() {
            std::env::set_var("POLARS_FORCE_ASYNC", "1");
        }
    }
    berdaya::common::diagnostics::install_panic_hook();
    berdaya::cli::run(berdaya::cli::Cli::parse())
}
