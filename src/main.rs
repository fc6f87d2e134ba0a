use clap::Parser;

// The build allocates many small strings on every thread; mimalloc keeps that off glibc's locks.
// (Its immediate purging, `purge_delay = 0`, lowered the impact pipeline's peak but made the
// site build 1.23x slower in system time: not used.)
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
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
