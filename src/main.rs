use clap::Parser;

// The build allocates many small strings on every thread; mimalloc keeps that off glibc's locks.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_arena_eager_commit` (`mimalloc.h`, v3).
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// mimalloc's settings here, with the variables that override them: arenas are committed as
/// used, not whole, and freed memory goes back to the system 20 ms after it is freed (mimalloc's
/// default is 1 s), except while pages are rendered, when it goes back after 1 s (see
/// `berdaya::common::memory`: the impact report's peak memory is lower with the short delay,
/// the site build faster with the long one).
const TUNING: [(libmimalloc_sys::mi_option_t, &str, std::ffi::c_long); 2] = [
    (ARENA_EAGER_COMMIT, "MIMALLOC_ARENA_EAGER_COMMIT", 0),
    (
        berdaya::common::memory::PURGE_DELAY,
        berdaya::common::memory::PURGE_DELAY_VARIABLE,
        berdaya::common::memory::SOON_MS,
    ),
];

/// mimalloc reserves its first arena while it starts, before `main`, so the settings are made
/// defaults earlier still, from the executable's `.preinit_array` (run before every constructor
/// by glibc; the environment is not readable yet there): mimalloc then reads its `MIMALLOC_*`
/// variables over them when it starts. Allocates nothing.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
extern "C" fn tune_allocator() {
    for (option, _, value) in TUNING {
        // SAFETY: sets the default of one of mimalloc's documented options (a static table).
        unsafe { libmimalloc_sys::mi_option_set_default(option, value) };
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[used]
#[unsafe(link_section = ".preinit_array")]
static TUNE_ALLOCATOR: extern "C" fn() = tune_allocator;

/// Elsewhere (no `.preinit_array`, or musl, which does not run it) the settings are made in
/// `main`, unless the variable is set: the purge delay applies; the first arena, reserved before,
/// stays committed whole.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {
    for (option, variable, value) in TUNING {
        if std::env::var_os(variable).is_none() {
            // SAFETY: sets one of mimalloc's documented options (a static table).
            unsafe { libmimalloc_sys::mi_option_set(option, value) };
        }
    }
}

fn main() -> std::process::ExitCode {
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
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
