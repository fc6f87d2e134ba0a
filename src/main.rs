use clap::Parser;

// The build allocates many small strings on every thread; mimalloc keeps that off glibc's locks.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_arena_eager_commit` and `mi_option_purge_delay` (`mimalloc.h`, v3).
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed memory goes back to the system 10 ms after it is freed (mimalloc's default is 1 s), and
/// arenas are committed as used, not whole: the impact report of 1,000,000 survey rows peaks at
/// about 235 MB instead of about 400 MB, with no measurable cost to the site build
/// (bench/ssg.sh, bench/impact.sh; purging at once, `0`, made the site build 1.3x slower).
/// A value the user sets in `MIMALLOC_ARENA_EAGER_COMMIT` or `MIMALLOC_PURGE_DELAY` other than
/// mimalloc's default is kept.
///
/// mimalloc reserves its first arena while it initialises, before `main`: on Linux this runs
/// earlier still, from the executable's `.preinit_array` (before every constructor); it
/// allocates nothing.
extern "C" fn tune_allocator() {
    for (option, default, value) in [(ARENA_EAGER_COMMIT, 2, 0), (PURGE_DELAY, 1000, 10)] {
        // SAFETY: reads and sets one of mimalloc's documented options (a static table).
        unsafe {
            if libmimalloc_sys::mi_option_get(option) == default {
                libmimalloc_sys::mi_option_set(option, value);
            }
        }
    }
}

#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".preinit_array")]
static TUNE_ALLOCATOR: extern "C" fn() = tune_allocator;

fn main() -> std::process::ExitCode {
    #[cfg(not(target_os = "linux"))]
    tune_allocator();
    // Polars reads survey files in blocks rather than mapping them whole (a mapped file counts in
    // the process's memory to its last byte): about 250 MB less at the peak of 10,000,000 survey
    // rows (bench/impact.sh). Unless the user set it; before any other thread exists.
    if std::env::var_os("POLARS_FORCE_ASYNC").is_none() {
        // SAFETY: single-threaded here, nothing reads the environment concurrently.
        unsafe { std::env::set_var("POLARS_FORCE_ASYNC", "1") };
    }
    berdaya::common::diagnostics::install_panic_hook();
    berdaya::cli::run(berdaya::cli::Cli::parse())
}
